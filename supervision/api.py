"""REST endpoints of 督导: notifications, 催办, 约谈/问责, 专题听取汇报, a group's workload."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from supervision import selectors, services
from supervision.choices import EvaluationGrade
from supervision.models import Accountability, LeaderEvaluation, Notification, RecordEvaluation, ReportHearing
from supervision.views import urge_targets
from units.access import scope_for
from units.api import UnitCodeField
from units.choices import OrgKind
from units.models import Organization, Person


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.notifications_of(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notice = self.get_queryset().filter(pk=pk).first()
        if notice is None:
            raise NotFound
        services.notification_read(actor=request.user, notification=notice)
        return Response(NotificationSerializer(notice).data)


class UrgeSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=40)
    id = serializers.IntegerField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class UrgeViewSet(viewsets.GenericViewSet):
    """催办 by hand (rate-limited per object)."""

    serializer_class = UrgeSerializer

    @extend_schema(request=UrgeSerializer, responses={201: None})
    def create(self, request: Request) -> Response:
        serializer = UrgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = urge_targets().get(data["kind"])
        found = target(data["id"]) if target else None
        if found is None or not scope_for(request.user).reaches(found.unit_path):
            raise NotFound
        services.urge(
            actor=request.user,
            object_key=f"{data['kind']}:{data['id']}",
            unit_path=found.unit_path,
            recipients=found.recipients,
            title=found.title,
            url=found.url,
            note=data.get("note", ""),
        )
        return Response(status=201)


class AccountabilitySerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())

    class Meta:
        model = Accountability
        fields = ["id", "unit", "person", "kind", "date", "reason", "outcome", "version"]
        read_only_fields = ["id", "version"]


class AccountabilityViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """约谈 and 问责 records of principals in the caller's scope (offices, 督导组, oversight)."""

    serializer_class = AccountabilitySerializer

    def get_queryset(self) -> Any:
        scope = scope_for(self.request.user)
        return Accountability.objects.filter(
            scope.unit_q(
                path_field="unit_path", unit_field="unit_id", roles=["office", "supervisor", "oversight"]
            )
        ).order_by("-date")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.accountability_record(
            actor=self.request.user, **serializer.validated_data
        )


class HearingSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()

    class Meta:
        model = ReportHearing
        fields = ["id", "unit", "date", "chaired_by", "reporters", "notes"]
        read_only_fields = ["id", "chaired_by"]


class HearingViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """专题听取汇报 records of units in the caller's scope."""

    serializer_class = HearingSerializer

    def get_queryset(self) -> Any:
        scope = scope_for(self.request.user)
        return ReportHearing.objects.filter(
            scope.unit_q(path_field="unit_path", unit_field="unit_id")
        ).order_by("-date")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.hearing_record(actor=self.request.user, **serializer.validated_data)


class WorkItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    unit_name = serializers.CharField()
    since = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    days_waiting = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField()
    url = serializers.CharField()
    detail = serializers.CharField()


class GroupWorkloadViewSet(viewsets.GenericViewSet):
    """A 督导组's work, oldest first (members of the group and the offices above it)."""

    serializer_class = WorkItemSerializer
    queryset = Organization.objects.none()
    lookup_value_regex = r"\d+"

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses=WorkItemSerializer(many=True),
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        if not pk.isdigit():
            raise NotFound
        group = selectors.group_get_visible(request.user, int(pk))
        return Response(WorkItemSerializer(selectors.workload(group), many=True).data)


# --- documents: 月度工作进展报告, 纪实评价 -------------------------------------------


class JobStartedSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    status_url = serializers.CharField()
    download_url = serializers.CharField()


def _job_started(job: Any) -> Response:
    return Response(
        {
            "job": job.pk,
            "status_url": reverse("job-detail", args=[job.pk]),
            "download_url": reverse("job_download", args=[job.pk]),
        },
        status=status.HTTP_202_ACCEPTED,
    )


class MonthlyReportSerializer(serializers.Serializer):
    unit = UnitCodeField()
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="2014-06")


class MonthlyReportViewSet(viewsets.GenericViewSet):
    """Start a unit's 月度工作进展报告 (.docx) as a background job; poll /api/jobs/{id}/."""

    serializer_class = MonthlyReportSerializer
    queryset = Organization.objects.none()

    @extend_schema(request=MonthlyReportSerializer, responses={202: JobStartedSerializer})
    def create(self, request: Request) -> Response:
        serializer = MonthlyReportSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        year, month = (int(part) for part in serializer.validated_data["month"].split("-"))
        job = services.monthly_report_start(
            actor=request.user, unit=serializer.validated_data["unit"], year=year, month=month
        )
        return _job_started(job)


class LeaderEvaluationSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = LeaderEvaluation
        fields = ["person", "person_name", "post_title", "grade", "text", "figures"]
        read_only_fields = ["person_name", "post_title", "figures"]


class RecordEvaluationSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    leaders = LeaderEvaluationSerializer(many=True, read_only=True)

    class Meta:
        model = RecordEvaluation
        fields = [
            "id",
            "group",
            "unit",
            "unit_name",
            "status",
            "grade",
            "text",
            "figures",
            "leaders",
            "submitted_at",
            "version",
        ]
        read_only_fields = fields


class LeaderInputSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    grade = serializers.ChoiceField(
        choices=EvaluationGrade.choices, required=False, allow_blank=True, default=""
    )
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class RecordEvaluationSaveSerializer(serializers.Serializer):
    group = serializers.IntegerField()
    unit = UnitCodeField()
    grade = serializers.ChoiceField(
        choices=EvaluationGrade.choices, required=False, allow_blank=True, default=""
    )
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    leaders = LeaderInputSerializer(many=True, required=False, default=list)
    submit = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class GroupSerializer(serializers.Serializer):
    group = serializers.IntegerField()


class RecordEvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """纪实评价 of units in the caller's reach (offices, 督导组, 领导小组); ``save/`` writes, ``report/``
    starts the group's report to the upper 组织部."""

    serializer_class = RecordEvaluationSerializer
    filterset_fields = ["group", "status"]

    def get_queryset(self) -> Any:
        return selectors.evaluations_visible_to(self.request.user).order_by("group", "unit_path")

    def _group(self, pk: int) -> Organization:
        group = (
            Organization.objects.select_related("unit").filter(pk=pk, kind=OrgKind.SUPERVISION_GROUP).first()
        )
        if group is None:
            raise NotFound
        return group

    @extend_schema(request=RecordEvaluationSaveSerializer, responses=RecordEvaluationSerializer)
    @action(detail=False, methods=["post"])
    def save(self, request: Request) -> Response:
        serializer = RecordEvaluationSaveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        group, unit = self._group(data["group"]), data["unit"]
        if not selectors.assigned_to(group, unit):
            raise NotFound
        record = services.record_evaluation_save(
            actor=request.user,
            group=group,
            unit=unit,
            grade=data["grade"],
            text=data["text"],
            leaders=[services.LeaderInput(e["person"], e["grade"], e["text"]) for e in data["leaders"]],
            submit=data["submit"],
            version=data["version"],
        )
        record = (
            RecordEvaluation.objects.prefetch_related("leaders__person")
            .select_related("unit")
            .get(pk=record.pk)
        )
        return Response(RecordEvaluationSerializer(record).data)

    @extend_schema(request=GroupSerializer, responses={202: JobStartedSerializer})
    @action(detail=False, methods=["post"])
    def report(self, request: Request) -> Response:
        serializer = GroupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = self._group(serializer.validated_data["group"])
        if not selectors.may_report_evaluations(request.user, group):
            raise NotFound
        return _job_started(services.evaluation_report_start(actor=request.user, group=group))


routes = [
    ("notifications", NotificationViewSet, "notification"),
    ("urges", UrgeViewSet, "urge"),
    ("accountability", AccountabilityViewSet, "accountability"),
    ("report-hearings", HearingViewSet, "report-hearing"),
    ("supervision-groups", GroupWorkloadViewSet, "supervision-group"),
    ("monthly-reports", MonthlyReportViewSet, "monthly-report"),
    ("record-evaluations", RecordEvaluationViewSet, "record-evaluation"),
]

"""REST endpoints of 督导: notifications, 催办, 约谈/问责, 专题听取汇报, a group's workload."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from supervision import selectors, services
from supervision.models import Accountability, Notification, ReportHearing
from supervision.views import urge_targets
from units.access import scope_for
from units.api import UnitCodeField
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


routes = [
    ("notifications", NotificationViewSet, "notification"),
    ("urges", UrgeViewSet, "urge"),
    ("accountability", AccountabilityViewSet, "accountability"),
    ("report-hearings", HearingViewSet, "report-hearing"),
    ("supervision-groups", GroupWorkloadViewSet, "supervision-group"),
]

"""REST endpoints for stage 1: study sessions, opinions, opinion groups, surveys and results, 返工补课.

Querysets come from the selectors (the caller's scope); writes go through the
services. A submitter's name and contact appear only for the office of the
opinion's unit and never for an anonymous opinion. The public submission is
not an API endpoint: it lives on the rate-limited public page.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from campaign.api_scope import ScopeFirstMixin
from stages import selectors, services
from stages.choices import (
    ClaimKind,
    OpinionCategory,
    OpinionChannel,
    OpinionStatus,
)
from stages.models import Opinion, OpinionGroup, Remediation, StudySession, Survey
from units.access import scope_for
from units.api import UnitCodeField
from units.models import Person, Unit

# --- study sessions ---------------------------------------------------------------


class StudySessionSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    participants = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Person.objects.all(), required=False
    )
    version = serializers.IntegerField(required=False, help_text=_("修改时必填：读取时的版本号"))

    class Meta:
        model = StudySession
        fields = [
            "id",
            "unit",
            "kind",
            "kind_display",
            "held_on",
            "hours",
            "topic",
            "material",
            "participants",
            "version",
        ]
        read_only_fields = ["id"]


class UnderFilterMixin:
    def subtree_of(self, queryset: Any, name: str, value: str) -> Any:
        root = Unit.objects.filter(code=value).first()
        if root is None:
            return queryset.none()
        return queryset.filter(unit_path__startswith=root.path)


class StudySessionFilter(UnderFilterMixin, django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=_("单位编码"))
    under = django_filters.CharFilter(method="subtree_of", label=_("单位编码：含其所有下级"))
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("学习日期起"))
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("学习日期止"))

    class Meta:
        model = StudySession
        fields = ["kind"]


class StudySessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """学习记录 of units in the caller's scope; recorded by the unit's 班子 members or the office."""

    serializer_class = StudySessionSerializer
    filterset_class = StudySessionFilter
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self) -> Any:
        return (
            selectors.study_sessions_visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related("participants")
            .order_by("-held_on", "-pk")
        )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.study_session_create(
            actor=self.request.user,
            unit=data["unit"],
            kind=data["kind"],
            held_on=data["held_on"],
            hours=data["hours"],
            topic=data["topic"],
            material=data.get("material", ""),
            participants=data.get("participants", []),
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        session = self.get_object()
        serializer.instance = services.study_session_update(
            actor=self.request.user,
            session=session,
            version=data.get("version"),
            kind=data["kind"],
            held_on=data["held_on"],
            hours=data["hours"],
            topic=data["topic"],
            material=data.get("material", ""),
            participants=data.get("participants", []),
        )


# --- opinions ----------------------------------------------------------------------


class OpinionSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    status = serializers.SerializerMethodField()
    about_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    submitter_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    submitter_contact = serializers.CharField(required=False, allow_blank=True, max_length=100)
    receipt_code = serializers.CharField(source="receipt_display", read_only=True)

    class Meta:
        model = Opinion
        fields = [
            "id",
            "receipt_code",
            "unit",
            "channel",
            "channel_display",
            "category",
            "category_display",
            "is_anonymous",
            "submitter_name",
            "submitter_contact",
            "about_person",
            "text",
            "received_on",
            "source",
            "group",
            "status",
        ]
        read_only_fields = ["id", "source", "group"]

    @extend_schema_field(serializers.ChoiceField(choices=OpinionStatus.choices))
    def get_status(self, obj: Opinion) -> str:
        return selectors.opinion_status(obj)

    def to_representation(self, instance: Opinion) -> dict[str, Any]:
        data = super().to_representation(instance)
        scope = scope_for(self.context["request"].user)
        if instance.is_anonymous or not scope.can_manage(instance.unit_path):
            # Anonymous: nothing to show. Named: only the office of the unit sees who it was.
            data.pop("submitter_name", None)
            data.pop("submitter_contact", None)
        if not scope.can_manage(instance.unit_path):
            data.pop("receipt_code", None)
        return data


class OpinionFilter(UnderFilterMixin, django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=_("单位编码"))
    under = django_filters.CharFilter(method="subtree_of", label=_("单位编码：含其所有下级"))
    status = django_filters.ChoiceFilter(choices=OpinionStatus.choices, method="by_status", label=_("状态"))
    channel = django_filters.ChoiceFilter(choices=OpinionChannel.choices)
    category = django_filters.ChoiceFilter(choices=OpinionCategory.choices)

    class Meta:
        model = Opinion
        fields = ["channel", "category", "group"]

    def by_status(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(selectors.STATUS_FILTERS[value])


class OpinionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """意见建议 of units in the caller's scope. The office enters opinions gathered offline here."""

    serializer_class = OpinionSerializer
    filterset_class = OpinionFilter

    def get_queryset(self) -> Any:
        return (
            selectors.opinions_visible_to(self.request.user)
            .select_related("unit", "group")
            .order_by("-received_on", "-pk")
        )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.opinion_create(
            actor=self.request.user,
            unit=data["unit"],
            channel=data["channel"],
            category=data["category"],
            text=data["text"],
            received_on=data["received_on"],
            is_anonymous=data.get("is_anonymous", False),
            submitter_name=data.get("submitter_name", ""),
            submitter_contact=data.get("submitter_contact", ""),
            about_person=data.get("about_person"),
        )


# --- groups ----------------------------------------------------------------------------


class OpinionGroupSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    opinions: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = OpinionGroup
        fields = [
            "id",
            "unit",
            "title",
            "status",
            "status_display",
            "similarity",
            "merged_into",
            "claim_kind",
            "claimed_person",
            "claimed_at",
            "answer",
            "answered_at",
            "published_at",
            "opinions",
            "version",
        ]
        read_only_fields = fields


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text=_("读取时的版本号，防止覆盖他人的修改"))


class ConfirmSerializer(VersionSerializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ClaimSerializer(VersionSerializer):
    claim_kind = serializers.ChoiceField(choices=ClaimKind.choices)
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )


class AnswerSerializer(VersionSerializer):
    answer = serializers.CharField(max_length=5000)


class GroupFilter(UnderFilterMixin, django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=_("单位编码"))
    under = django_filters.CharFilter(method="subtree_of", label=_("单位编码：含其所有下级"))

    class Meta:
        model = OpinionGroup
        fields = ["status", "claim_kind"]


class OpinionGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """意见组 (梳辫子): confirm, claim (主动认领), draft and publish the answer (原汁原味反馈)."""

    serializer_class = OpinionGroupSerializer
    filterset_class = GroupFilter

    def get_queryset(self) -> Any:
        return (
            selectors.groups_visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related("opinions")
            .order_by("unit_path", "-pk")
        )

    def _data(self, serializer_class: Any, request: Request) -> dict[str, Any]:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _read(self, group: OpinionGroup) -> Response:
        return Response(OpinionGroupSerializer(self.get_queryset().get(pk=group.pk)).data)

    @extend_schema(request=ConfirmSerializer, responses=OpinionGroupSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """确认归并 a proposed group (office)."""
        group = self.get_object()  # out of scope: 404 before the body is looked at
        data = self._data(ConfirmSerializer, request)
        return self._read(services.group_confirm(actor=request.user, group=group, **data))

    @extend_schema(request=ClaimSerializer, responses=OpinionGroupSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        """主动认领 by the 班子 (its principal or the office) or by a leader (himself or the office)."""
        group = self.get_object()  # out of scope: 404 before the body is looked at
        data = self._data(ClaimSerializer, request)
        data["kind"] = data.pop("claim_kind")
        return self._read(services.group_claim(actor=request.user, group=group, **data))

    @extend_schema(request=AnswerSerializer, responses=OpinionGroupSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        """Draft or revise the answer (the claimer or the office)."""
        group = self.get_object()  # out of scope: 404 before the body is looked at
        data = self._data(AnswerSerializer, request)
        return self._read(services.group_answer(actor=request.user, group=group, **data))

    @extend_schema(request=ConfirmSerializer, responses=OpinionGroupSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Publish the answer (office): every opinion of the group shows it."""
        group = self.get_object()  # out of scope: 404 before the body is looked at
        data = self._data(ConfirmSerializer, request)
        return self._read(services.group_publish(actor=request.user, group=group, **data))


# --- surveys -----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class FractionField(serializers.Field):
    """An exact rate as "numerator/denominator" (null when nobody answered)."""

    def to_representation(self, value: Any) -> str | None:
        return None if value is None else f"{value.numerator}/{value.denominator}"


class SurveySerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    purpose_display = serializers.CharField(source="get_purpose_display", read_only=True)
    targets = serializers.SerializerMethodField()
    threshold = FractionField(read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "unit",
            "title",
            "purpose",
            "purpose_display",
            "subject",
            "mode",
            "status",
            "opens_at",
            "closes_at",
            "threshold",
            "targets",
            "closed_at",
            "version",
        ]
        read_only_fields = fields

    def get_targets(self, obj: Survey) -> list[str]:
        return [t.unit.code for t in obj.targets.all()]


class ResultSerializer(serializers.Serializer):
    unit = serializers.CharField(source="target.unit.code")
    unit_name = serializers.CharField(source="target.unit.name")
    rank = serializers.IntegerField(allow_null=True)
    responses = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    answered = serializers.IntegerField()
    option_counts = serializers.DictField(child=serializers.IntegerField())
    rate = FractionField()
    rate_percent = serializers.SerializerMethodField()
    threshold = FractionField()
    below_threshold = serializers.BooleanField()

    def get_rate_percent(self, obj: Any) -> float | None:
        return None if obj.rate is None else round(float(obj.rate) * 100, 2)


class SurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """满意度测评 run in, or evaluating units in, the caller's scope; results with exact rates and ranks."""

    serializer_class = SurveySerializer
    filterset_fields = ["purpose", "status", "mode"]

    def get_queryset(self) -> Any:
        return (
            selectors.surveys_visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related("targets__unit")
            .order_by("-opens_at", "-pk")
        )

    @extend_schema(responses=ResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str) -> Response:
        """Per target: counts, exact rate, rank and whether it fell under the threshold (live while open)."""
        survey = self.get_object()
        return Response(ResultSerializer(selectors.survey_results(request.user, survey), many=True).data)

    @extend_schema(request=VersionSerializer, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str) -> Response:
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        survey = services.survey_open(actor=request.user, survey=self.get_object(), **data.validated_data)
        return Response(SurveySerializer(self.get_queryset().get(pk=survey.pk)).data)

    @extend_schema(request=VersionSerializer, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """End the survey and fix the results; targets under the threshold get a 返工补课 record."""
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        survey = services.survey_close(actor=request.user, survey=self.get_object(), **data.validated_data)
        return Response(SurveySerializer(self.get_queryset().get(pk=survey.pk)).data)


class RemediationSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Remediation
        fields = ["id", "unit", "survey", "result", "status", "reason", "work_done", "closed_at", "version"]
        read_only_fields = fields


class WorkDoneSerializer(VersionSerializer):
    work_done = serializers.CharField(max_length=5000)


class RemediationViewSet(
    ScopeFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """返工补课 of units in the caller's scope: the office records what is redone, then closes it."""

    serializer_class = RemediationSerializer
    filterset_fields = ["status", "survey"]

    def get_queryset(self) -> Any:
        return selectors.remediations_visible_to(self.request.user).select_related("unit").order_by("-pk")

    @extend_schema(request=WorkDoneSerializer, responses=RemediationSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str) -> Response:
        data = WorkDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.remediation_record(
            actor=request.user, remediation=self.get_object(), **data.validated_data
        )
        return Response(RemediationSerializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(request=VersionSerializer, responses=RemediationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.remediation_close(
            actor=request.user, remediation=self.get_object(), **data.validated_data
        )
        return Response(RemediationSerializer(self.get_queryset().get(pk=item.pk)).data)


routes = [
    ("study-sessions", StudySessionViewSet, "study-session"),
    ("opinions", OpinionViewSet, "opinion"),
    ("opinion-groups", OpinionGroupViewSet, "opinion-group"),
    ("surveys", SurveyViewSet, "survey"),
    ("remediations", RemediationViewSet, "remediation"),
]

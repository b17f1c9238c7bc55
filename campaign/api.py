"""The REST API base: router, error handling, and the campaign's own endpoints.

Each app's ``api.py`` lists its viewsets in ``routes``; they are collected here
so that adding a capability never means editing this file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from campaign.apps import project_modules
from campaign.choices import Stage, Verdict
from campaign.gates import condition_label, conditions, get_condition
from campaign.models import Campaign, Gate, Job, LookBack, StageCalendar, UnitStage, WindowOverride
from campaign.selectors import (
    attach_gates,
    calendars_visible_to,
    campaigns_visible_to,
    gates_visible_to,
    jobs_of,
    lookbacks_visible_to,
    overrides_visible_to,
    stage_rows,
    unit_stages_visible_to,
)
from campaign.services import (
    calendar_set,
    lookback_close,
    lookback_record,
    unit_stage_advance,
    window_override_set,
)
from units.models import Unit
from units.selectors import units_visible_to


class CampaignSerializer(serializers.ModelSerializer):
    root_unit_code = serializers.CharField(source="root_unit.code", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "batch", "root_unit_code", "start_date", "end_date", "min_unit_months"]


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """教育实践活动: those whose tree overlaps the caller's scope."""

    serializer_class = CampaignSerializer

    def get_queryset(self) -> Any:
        return campaigns_visible_to(self.request.user).order_by("-start_date")


class JobSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "input_name",
            "done",
            "total",
            "percent",
            "result",
            "error",
            "created_at",
            "finished_at",
        ]


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Background jobs the caller started (imports now, exports later)."""

    serializer_class = JobSerializer

    def get_queryset(self) -> Any:
        return jobs_of(self.request.user)


# --- calendar, stage states, gates, 回头看 -------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class VisibleUnitField(serializers.SlugRelatedField):
    """A unit given by its code; only units the caller can see resolve."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self) -> Any:
        return units_visible_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class VisibleCampaignField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> Any:
        return campaigns_visible_to(self.context["request"].user)


class CalendarSerializer(serializers.ModelSerializer):
    campaign = VisibleCampaignField()
    unit = VisibleUnitField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    top_level = serializers.IntegerField(
        read_only=True, help_text=_("按表中日程开展的层级：2 市，3 县，4 乡镇")
    )
    version = serializers.IntegerField(required=False, help_text=_("修改时必填：读取时的版本号"))

    class Meta:
        model = StageCalendar
        fields = [
            "id",
            "campaign",
            "unit",
            "unit_name",
            "top_level",
            "interval_days",
            "stage1_start",
            "stage1_end",
            "stage2_start",
            "stage2_end",
            "stage3_start",
            "stage3_end",
            "note",
            "version",
        ]
        read_only_fields = ["id", "top_level"]
        validators: list = []


class CalendarViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """环节日程 of the offices in (and above) the caller's scope; the levels below follow by the interval."""

    serializer_class = CalendarSerializer
    filterset_fields = ["campaign"]
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self) -> Any:
        return (
            calendars_visible_to(self.request.user).select_related("unit").order_by("campaign", "unit_path")
        )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = calendar_set(actor=self.request.user, **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        calendar = self.get_object()
        data = dict(serializer.validated_data)
        data.pop("campaign", None)
        data.pop("unit", None)
        serializer.instance = calendar_set(
            actor=self.request.user, campaign=calendar.campaign, unit=calendar.unit, **data
        )


class OverrideSerializer(serializers.ModelSerializer):
    campaign = VisibleCampaignField()
    unit = VisibleUnitField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    version = serializers.IntegerField(required=False, help_text=_("修改时必填：读取时的版本号"))

    class Meta:
        model = WindowOverride
        fields = ["id", "campaign", "unit", "unit_name", "stage", "start", "end", "reason", "version"]
        read_only_fields = ["id"]
        validators: list = []


class OverrideViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """单位环节日程调整: one unit's own window for a stage. POST sets (creates or changes) it."""

    serializer_class = OverrideSerializer
    filterset_fields = ["campaign", "stage"]

    def get_queryset(self) -> Any:
        return overrides_visible_to(self.request.user).select_related("unit").order_by("unit_path", "stage")

    @extend_schema(request=OverrideSerializer, responses=OverrideSerializer)
    def create(self, request: Request) -> Response:
        serializer = OverrideSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        override = window_override_set(actor=request.user, **serializer.validated_data)
        return Response(OverrideSerializer(override, context=self.get_serializer_context()).data, status=201)


class WindowSerializer(serializers.Serializer):
    stage = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    source = serializers.CharField(help_text=_("calendar：所在层级的日程；override：单位调整"))  # type: ignore[assignment]
    reason = serializers.CharField()
    state = serializers.CharField(help_text=_("done 已过 / current 所处 / future 未到"))
    late_days = serializers.IntegerField()
    late_text = serializers.CharField()


class GateCheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    state = serializers.CharField(help_text=_("met 已满足 / unmet 未满足 / pending 尚未启用"))
    detail = serializers.CharField()
    fix_label = serializers.CharField()
    fix_url = serializers.CharField()
    gate_id = serializers.IntegerField(allow_null=True)


class UnitStageSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_kind = serializers.CharField(source="unit.kind", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True, allow_null=True)
    position = serializers.IntegerField(read_only=True, help_text=_("0 未开始，1–3 所处环节，4 已完成"))
    windows = serializers.SerializerMethodField()
    late_days = serializers.SerializerMethodField()
    late_text = serializers.SerializerMethodField()
    gates = serializers.SerializerMethodField()

    class Meta:
        model = UnitStage
        fields = [
            "id",
            "campaign",
            "unit",
            "unit_name",
            "unit_kind",
            "status",
            "status_display",
            "stage",
            "stage_display",
            "position",
            "entered_on",
            "started_on",
            "finished_on",
            "restarts",
            "version",
            "windows",
            "late_days",
            "late_text",
            "gates",
        ]

    def _row(self, state: UnitStage) -> Any:
        return self.context.get("rows", {}).get(state.pk)

    @extend_schema_field(WindowSerializer(many=True))
    def get_windows(self, state: UnitStage) -> list[dict[str, Any]]:
        row = self._row(state)
        return [WindowSerializer(w).data for w in row.windows] if row else []

    def get_late_days(self, state: UnitStage) -> int:
        row = self._row(state)
        return row.late.days if row else 0

    def get_late_text(self, state: UnitStage) -> str:
        row = self._row(state)
        return row.late.text if row else ""

    @extend_schema_field(GateCheckSerializer(many=True))
    def get_gates(self, state: UnitStage) -> list[dict[str, Any]]:
        row = self._row(state)
        return [GateCheckSerializer(c).data for c in row.checks] if row else []


class UnitStageFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=_("单位编码"))
    under = django_filters.CharFilter(method="subtree_of", label=_("单位编码：列出该单位及其所有下级"))
    late = django_filters.BooleanFilter(method="noop", label=_("只列逾期单位"))

    class Meta:
        model = UnitStage
        fields = ["campaign", "status", "stage"]

    def subtree_of(self, queryset: Any, name: str, value: str) -> Any:
        root = Unit.objects.filter(code=value).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(unit_path__startswith=root.path)

    def noop(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset  # applied after the windows are computed, see UnitStageViewSet.list


class AdvanceSerializer(serializers.Serializer):
    from_position = serializers.IntegerField(
        min_value=0, max_value=3, help_text=_("读取时单位所处的位置：0 未开始，1–3 所处环节")
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class UnitStageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """单位环节进度: each participating unit's stage, windows, lateness and gates.

    ``advance`` moves a unit to its next stage (office only); it is refused, naming each
    unmet gate, until the gates of the stage it leaves are met.
    """

    serializer_class = UnitStageSerializer
    filterset_class = UnitStageFilter

    def get_queryset(self) -> Any:
        return (
            unit_stages_visible_to(self.request.user)
            .select_related("unit", "campaign")
            .order_by("campaign", "unit_path")
        )

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        late = request.query_params.get("late", "").lower() in ("true", "1", "yes")
        if late:
            rows = [r for r in stage_rows(request.user, list(queryset), with_gates=False) if r.late]
            page: Sequence[Any] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
            attach_gates(list(page or []))
            context = {**self.get_serializer_context(), "rows": {r.state.pk: r for r in page or []}}
            data = UnitStageSerializer([r.state for r in page or []], many=True, context=context).data
            return self.get_paginated_response(data)
        states = self.paginate_queryset(queryset) or []
        context = {**self.get_serializer_context(), "rows": self._rows(states)}
        return self.get_paginated_response(UnitStageSerializer(states, many=True, context=context).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        state = self.get_object()
        context = {**self.get_serializer_context(), "rows": self._rows([state])}
        return Response(UnitStageSerializer(state, context=context).data)

    def _rows(self, states: Sequence[UnitStage]) -> dict[int, Any]:
        return {r.state.pk: r for r in stage_rows(self.request.user, list(states))}

    @extend_schema(request=AdvanceSerializer, responses=UnitStageSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        """进入下一环节（未开始 → 第一环节 → … → 已完成）."""
        state = self.get_object()
        serializer = AdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        state = unit_stage_advance(actor=request.user, unit_stage=state, **serializer.validated_data)
        state = self.get_queryset().get(pk=state.pk)
        context = {**self.get_serializer_context(), "rows": self._rows([state])}
        return Response(UnitStageSerializer(state, context=context).data)


class GateSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
    enabled = serializers.SerializerMethodField(help_text=_("条件是否已有评估功能；未启用的不阻止推进"))
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = Gate
        fields = [
            "id",
            "campaign",
            "stage",
            "stage_display",
            "condition",
            "label",
            "unit_kinds",
            "params",
            "is_active",
            "enabled",
            "note",
            "version",
        ]

    def get_label(self, gate: Gate) -> str:
        return condition_label(gate.condition, gate.params)

    def get_enabled(self, gate: Gate) -> bool:
        condition = get_condition(gate.condition)
        return bool(condition and condition.enabled)


class GateViewSet(viewsets.ReadOnlyModelViewSet):
    """环节关卡 of the campaigns the caller sees (set by the campaign's office, in the admin for now)."""

    serializer_class = GateSerializer
    filterset_fields = ["campaign", "stage", "is_active", "condition"]

    def get_queryset(self) -> Any:
        return gates_visible_to(self.request.user).order_by("campaign", "stage", "id")

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"])
    def conditions(self, request: Request) -> Response:
        """The condition keys a gate may name, their params and whether they are evaluated yet."""
        return Response(
            [
                {
                    "key": c.key,
                    "label": str(c.label),
                    "description": str(c.description),
                    "fix_label": str(c.fix_label),
                    "builtin": c.builtin,
                    "enabled": c.enabled,
                    "params": [
                        {"name": p.name, "label": str(p.label), "kind": p.kind, "default": p.default}
                        for p in c.params
                    ],
                }
                for c in conditions()
            ]
        )


class LookBackSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    verdict_display = serializers.CharField(source="get_verdict_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = LookBack
        fields = [
            "id",
            "campaign",
            "unit",
            "unit_name",
            "stage",
            "verdict",
            "verdict_display",
            "findings",
            "points",
            "due_date",
            "status",
            "status_display",
            "is_overdue",
            "group",
            "group_name",
            "recorded_by",
            "recorded_by_name",
            "recorded_on",
            "closed_on",
            "close_note",
            "version",
        ]
        read_only_fields = fields


class LookBackCreateSerializer(serializers.Serializer):
    campaign = VisibleCampaignField()
    unit = VisibleUnitField(help_text=_("单位编码"))
    stage = serializers.ChoiceField(choices=Stage.choices)
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    findings = serializers.CharField()
    points = serializers.CharField(required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class LookBackCloseSerializer(serializers.Serializer):
    note = serializers.CharField()
    version = serializers.IntegerField(required=False)


class LookBackFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=_("单位编码"))
    under = django_filters.CharFilter(method="subtree_of", label=_("单位编码：该单位及其所有下级"))

    class Meta:
        model = LookBack
        fields = ["campaign", "verdict", "status", "stage"]

    def subtree_of(self, queryset: Any, name: str, value: str) -> Any:
        root = Unit.objects.filter(code=value).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(unit_path__startswith=root.path)


class LookBackViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """回头看: recorded by the 督导组 covering the unit; a 限期整改 is closed with ``close``."""

    serializer_class = LookBackSerializer
    filterset_class = LookBackFilter

    def get_queryset(self) -> Any:
        return (
            lookbacks_visible_to(self.request.user)
            .select_related("unit", "group", "recorded_by")
            .order_by("-recorded_on", "-id")
        )

    @extend_schema(request=LookBackCreateSerializer, responses=LookBackSerializer)
    def create(self, request: Request) -> Response:
        serializer = LookBackCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit, campaign = data.pop("unit"), data.pop("campaign")
        state = unit_stages_visible_to(request.user).filter(campaign=campaign, unit=unit).first()
        if state is None:
            raise ValidationError({"unit": [_("该单位尚未纳入本活动。")]})
        lookback = lookback_record(actor=request.user, unit_stage=state, **data)
        return Response(LookBackSerializer(self.get_queryset().get(pk=lookback.pk)).data, status=201)

    @extend_schema(request=LookBackCloseSerializer, responses=LookBackSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """限期整改销号."""
        lookback = self.get_object()
        serializer = LookBackCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lookback = lookback_close(actor=request.user, lookback=lookback, **serializer.validated_data)
        return Response(LookBackSerializer(self.get_queryset().get(pk=lookback.pk)).data)


routes = [
    ("calendars", CalendarViewSet, "calendar"),
    ("window-overrides", OverrideViewSet, "window-override"),
    ("unit-stages", UnitStageViewSet, "unit-stage"),
    ("gates", GateViewSet, "gate"),
    ("lookbacks", LookBackViewSet, "lookback"),
]


def _collect_routes() -> DefaultRouter:
    from campaign.dashboard_api import DashboardViewSet

    router = DefaultRouter()
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("jobs", JobViewSet, basename="job")
    router.register("dashboards", DashboardViewSet, basename="dashboard")
    for prefix, viewset, basename in routes:
        router.register(prefix, viewset, basename=basename)
    for module in project_modules("api", skip=("campaign",)):
        for prefix, viewset, basename in getattr(module, "routes", []):
            router.register(prefix, viewset, basename=basename)
    return router


router = _collect_routes()

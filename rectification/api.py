"""REST endpoints for rectification: the same scope as the pages, writes through the services."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from campaign import clock
from rectification import rights, selectors, services
from rectification.choices import Handling, ListKind, Priority, WarningLevel
from rectification.models import ItemRating, RectificationItem, RectificationPlan, Rule, SpecialProject
from units.access import scope_for
from units.api import UnitCodeField
from units.models import Person, Unit
from units.selectors import units_visible_to


class ItemSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    handling_display = serializers.CharField(source="get_handling_display", read_only=True)
    warning = serializers.CharField(read_only=True)
    responsible_leader_name = serializers.CharField(
        source="responsible_leader.name", read_only=True, default=""
    )
    list_kind = serializers.ChoiceField(source="kind", choices=ListKind.choices, read_only=True)

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "number",
            "unit",
            "unit_name",
            "plan",
            "list_kind",
            "person",
            "problem",
            "measure",
            "target",
            "responsible_leader",
            "responsible_leader_name",
            "responsible_unit",
            "handling",
            "handling_display",
            "deadline",
            "explanation",
            "priority",
            "status",
            "status_display",
            "warning",
            "is_public",
            "needs_upper_help",
            "source_count",
            "evidence_count",
            "last_progress",
            "last_progress_on",
            "opened_on",
            "closed_on",
            "reopen_count",
            "version",
        ]
        read_only_fields = fields


class ItemCreateSerializer(serializers.Serializer):
    unit = UnitCodeField(help_text=_("单位编码"))
    list_kind = serializers.ChoiceField(source="kind", choices=ListKind.choices, required=False)
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    problem = serializers.CharField()
    measure = serializers.CharField()
    target = serializers.CharField()
    responsible_leader = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    responsible_unit = serializers.CharField(max_length=200)
    handling = serializers.ChoiceField(choices=Handling.choices)
    deadline = serializers.DateField(required=False, allow_null=True)
    explanation = serializers.CharField(required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)


class RectificationVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("读取时的版本号，防止覆盖他人的修改"))


class SignOffOpinionSerializer(RectificationVersionSerializer):
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(RectificationVersionSerializer):
    reason = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    text = serializers.CharField(help_text=_("进展情况（佐证材料请在页面上上传）"))


class ItemFilter(django_filters.FilterSet):
    list_kind = django_filters.ChoiceFilter(field_name="kind", choices=ListKind.choices, label=_("清单类别"))
    under = django_filters.CharFilter(method="subtree_of", label=_("单位编码：该单位及其下级的事项"))
    unit = django_filters.CharFilter(field_name="unit__code", label=_("单位编码：仅该单位的事项"))
    warning = django_filters.ChoiceFilter(
        method="by_warning", choices=WarningLevel.choices, label=_("预警：yellow 临期 / red 逾期")
    )

    class Meta:
        model = RectificationItem
        fields = ["status", "handling", "needs_upper_help"]

    def subtree_of(self, queryset: Any, name: str, value: str) -> Any:
        root = Unit.objects.filter(code=value).first()
        return queryset.filter(unit_path__startswith=root.path) if root else queryset.none()

    def by_warning(self, queryset: Any, name: str, value: str) -> Any:
        today = clock.today()
        if value == WarningLevel.RED:
            return queryset.filter(selectors.red_q(today))
        if value == WarningLevel.YELLOW:
            return queryset.filter(selectors.yellow_q(today))
        return queryset.exclude(selectors.red_q(today)).exclude(selectors.yellow_q(today))


class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """整改事项 the caller can see; transitions are actions, each one a service."""

    serializer_class = ItemSerializer
    filterset_class = ItemFilter

    def get_queryset(self) -> Any:
        return (
            selectors.with_warning(selectors.items_visible_to(self.request.user))
            .select_related("unit", "responsible_leader")
            .order_by("unit_path", "deadline", "pk")
        )

    def _read(self, item: RectificationItem) -> dict[str, Any]:
        return ItemSerializer(self.get_queryset().get(pk=item.pk)).data

    def _valid(self, serializer_class: Any, data: Any) -> dict[str, Any]:
        serializer = serializer_class(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=ItemCreateSerializer, responses=ItemSerializer)
    def create(self, request: Request) -> Response:
        data = dict(self._valid(ItemCreateSerializer, request.data))
        item = services.item_create(actor=request.user, **data)
        return Response(self._read(item), status=201)

    @extend_schema(request=ProgressSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> Response:
        """报告整改进展."""
        item = self.get_object()
        data = self._valid(ProgressSerializer, request.data)
        services.item_report_progress(actor=request.user, item=item, text=data["text"])
        return Response(self._read(item))

    @extend_schema(request=SignOffOpinionSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"], url_path="request-close")
    def request_close(self, request: Request, pk: str) -> Response:
        """申请销号."""
        item = self.get_object()
        data = self._valid(SignOffOpinionSerializer, request.data)
        services.item_request_close(
            actor=request.user, item=item, version=data["version"], note=data["opinion"]
        )
        return Response(self._read(item))

    @extend_schema(request=SignOffOpinionSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, pk: str) -> Response:
        """销号 (督导组 or an upper office)."""
        item = self.get_object()
        data = self._valid(SignOffOpinionSerializer, request.data)
        services.item_sign_off(
            actor=request.user, item=item, version=data["version"], opinion=data["opinion"]
        )
        return Response(self._read(item))

    @extend_schema(request=ReasonSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: str) -> Response:
        """退回 a close request, with the reason."""
        item = self.get_object()
        data = self._valid(ReasonSerializer, request.data)
        services.item_send_back(actor=request.user, item=item, version=data["version"], reason=data["reason"])
        return Response(self._read(item))

    @extend_schema(request=ReasonSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        """复号 a closed item that relapsed."""
        item = self.get_object()
        data = self._valid(ReasonSerializer, request.data)
        services.item_reopen(actor=request.user, item=item, version=data["version"], reason=data["reason"])
        return Response(self._read(item))


class PlanSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    list_kind = serializers.ChoiceField(source="kind", choices=ListKind.choices, read_only=True)

    class Meta:
        model = RectificationPlan
        fields = [
            "id",
            "unit",
            "list_kind",
            "kind_display",
            "person",
            "title",
            "summary",
            "status",
            "status_display",
            "review",
            "submitted_on",
            "approved_on",
            "published",
            "published_on",
            "version",
        ]
        read_only_fields = fields


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """整改方案 in the caller's scope (and those he reviews). ``submit`` sends a plan into its review
    chain; reviewers act on the open step with ``POST /api/review-steps/{id}/act/`` (their
    ``GET /api/review-steps/`` lists it, ``review`` names the engine's review)."""

    serializer_class = PlanSerializer
    filterset_fields = ["status", "published"]

    def get_queryset(self) -> Any:
        return (
            selectors.plans_visible_to(self.request.user).select_related("unit").order_by("unit_path", "pk")
        )

    @extend_schema(request=RectificationVersionSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        plan = self.get_object()
        serializer = RectificationVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.plan_submit(actor=request.user, plan=plan, version=serializer.validated_data["version"])
        return Response(PlanSerializer(self.get_queryset().get(pk=plan.pk)).data)


class SpecialProjectSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = SpecialProject
        fields = ["id", "unit", "number", "title", "description", "origin", "kinds", "deadline"]
        read_only_fields = fields


class SpecialProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """专项整治 deployed in or above the caller's scope."""

    serializer_class = SpecialProjectSerializer

    def get_queryset(self) -> Any:
        return (
            selectors.projects_visible_to(self.request.user)
            .select_related("unit")
            .order_by("unit_path", "number")
        )


class RuleSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    judgement_display = serializers.CharField(source="get_judgement_display", read_only=True)

    class Meta:
        model = Rule
        fields = [
            "id",
            "unit",
            "title",
            "judgement",
            "judgement_display",
            "reason",
            "owner",
            "deadline",
            "status",
            "issued_on",
            "doc_number",
            "version",
        ]
        read_only_fields = fields


class RuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """建章立制: the rules inventory of units in the caller's scope."""

    serializer_class = RuleSerializer
    filterset_fields = ["judgement", "status"]

    def get_queryset(self) -> Any:
        scope = scope_for(self.request.user)
        return (
            Rule.objects.filter(scope.unit_q(path_field="unit_path", unit_field="unit_id"))
            .select_related("unit")
            .order_by("unit_path", "pk")
        )


class UnansweredViewSet(viewsets.ViewSet):
    """ "四个回应": per unit, how many sources of each kind no item answers yet."""

    @extend_schema(
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description=_("单位编码"))],
        responses={200: dict},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        unit = units_visible_to(request.user).filter(code=pk).first()
        if unit is None:
            raise NotFound
        groups = selectors.unanswered_sources(unit, limit=200)
        return Response(
            {
                "unit": unit.code,
                "can_keep": rights.may_keep_records(scope_for(request.user), unit.path),
                "kinds": [
                    {
                        "kind": g.kind,
                        "label": g.label,
                        "total": g.total,
                        "sources": [{"id": s.id, "label": s.label, "url": s.url} for s in g.sources],
                    }
                    for g in groups
                ],
            }
        )


class ItemRatingSerializer(serializers.ModelSerializer):
    """One round of the public's rating of a finished item (开门整改); the answers are in ``survey``."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    rate = serializers.SerializerMethodField(help_text="满意率（满意+基本满意）/评价人数，精确分数，如 12/14")
    threshold = serializers.SerializerMethodField(help_text="低于此满意率（且达到最少评价人数）即复号")

    class Meta:
        model = ItemRating
        fields = [
            "id",
            "item",
            "round",
            "status",
            "status_display",
            "responses",
            "satisfied",
            "rate",
            "min_responses",
            "threshold",
            "survey",
            "created_at",
            "ended_at",
        ]
        read_only_fields = fields

    def get_rate(self, rating: ItemRating) -> str | None:
        rate = rating.rate
        return f"{rate.numerator}/{rate.denominator}" if rate is not None else None

    def get_threshold(self, rating: ItemRating) -> str:
        return f"{rating.survey.threshold_numerator}/{rating.survey.threshold_denominator}"


class ItemRatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rating rounds of the items the caller can see (``?item=<id>`` for one item). The public rates
    on the public page (one rating per browser), not through the API."""

    serializer_class = ItemRatingSerializer

    def get_queryset(self) -> Any:
        ratings = ItemRating.objects.filter(
            item__in=selectors.items_visible_to(self.request.user).values("pk")
        )
        item = self.request.query_params.get("item", "")
        if item:
            ratings = ratings.filter(item_id=int(item) if item.isdigit() else 0)
        return ratings.select_related("survey").order_by("item_id", "-round")


routes = [
    ("rectification-items", ItemViewSet, "rectification-item"),
    ("rectification-plans", PlanViewSet, "rectification-plan"),
    ("special-projects", SpecialProjectViewSet, "special-project"),
    ("rules", RuleViewSet, "rule"),
    ("item-ratings", ItemRatingViewSet, "item-rating"),
    ("unanswered-sources", UnansweredViewSet, "unanswered-source"),
]

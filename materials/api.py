"""REST endpoints: materials (drafts, submission, versions), the reviewer's inbox and actions, chains."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from materials import review as engine
from materials import selectors, services
from materials.choices import ActionKind, MaterialKind, SixNo
from materials.copycheck.api import routes as copycheck_routes
from materials.models import (
    ChainStep,
    ChainTemplate,
    Material,
    MaterialVersion,
    ReviewStep,
    ReviewStepReviewer,
)
from units.api import UnitCodeField
from units.models import Person
from units.selectors import people_visible_to


class MaterialSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Material
        fields = [
            "id",
            "title",
            "unit",
            "unit_name",
            "kind",
            "kind_display",
            "subject_person",
            "author",
            "status",
            "status_display",
            "published_at",
            "version",
        ]
        read_only_fields = fields


class MaterialStartSerializer(serializers.Serializer):
    unit = UnitCodeField()
    kind = serializers.ChoiceField(choices=MaterialKind.choices)
    subject_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )


class DraftSerializer(serializers.Serializer):
    content = serializers.JSONField(help_text=_("按各部分组织的材料内容，结构见文档"))
    version = serializers.IntegerField()


class VersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField()


class MaterialVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaterialVersion
        fields = ["number", "content", "text", "submitted_at"]


class MaterialViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """对照检查材料 the caller may see (see README, Access)."""

    serializer_class = MaterialSerializer
    filterset_fields = ["status", "kind"]

    def get_queryset(self) -> Any:
        return (
            selectors.materials_visible_to(self.request.user)
            .select_related("unit")
            .order_by("unit_path", "pk")
        )

    @extend_schema(request=MaterialStartSerializer, responses=MaterialSerializer)
    def create(self, request: Request) -> Response:
        data = self._valid(MaterialStartSerializer, request.data)
        from materials.views import unit_campaign

        material = services.material_start(
            actor=request.user,
            campaign=unit_campaign(data["unit"]),
            unit=data["unit"],
            kind=data["kind"],
            subject_person=data.get("subject_person"),
        )
        return Response(MaterialSerializer(material).data, status=201)

    @extend_schema(responses=DraftSerializer)
    @action(detail=True, methods=["get"])
    def draft(self, request: Request, pk: str) -> Response:
        material = self.get_object()
        if not selectors.can_edit(request.user, material):
            raise NotFound
        return Response({"content": material.draft, "version": material.version})

    @extend_schema(request=DraftSerializer, responses=MaterialSerializer)
    @draft.mapping.put
    def save_draft(self, request: Request, pk: str) -> Response:
        material = self.get_object()
        data = self._valid(DraftSerializer, request.data)
        material = services.material_save_draft(
            actor=request.user, material=material, content=data["content"], version=data["version"]
        )
        return Response(MaterialSerializer(material).data)

    @extend_schema(request=VersionedSerializer, responses=MaterialSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        material = self.get_object()
        data = self._valid(VersionedSerializer, request.data)
        material = services.material_submit(actor=request.user, material=material, version=data["version"])
        return Response(MaterialSerializer(material).data)

    @extend_schema(request=None, responses=MaterialSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        material = services.material_publish(actor=request.user, material=self.get_object())
        return Response(MaterialSerializer(material).data)

    @extend_schema(responses=MaterialVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str) -> Response:
        material = self.get_object()
        return Response(MaterialVersionSerializer(material.versions.order_by("number"), many=True).data)

    def _valid(self, serializer_class: Any, data: Any) -> dict[str, Any]:
        serializer = serializer_class(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class InboxSerializer(serializers.ModelSerializer):
    step_id = serializers.IntegerField(source="step.pk")
    step = serializers.CharField(source="step.name")
    step_kind = serializers.CharField(source="step.kind")
    material = serializers.IntegerField(source="step.review.subject_id")
    subject_kind = serializers.CharField(source="step.review.subject_kind")
    subject_url = serializers.SerializerMethodField()
    title = serializers.CharField(source="step.review.title")
    unit = serializers.CharField(source="step.review.unit.name")
    author = serializers.CharField(source="step.review.author.name")
    review_version = serializers.IntegerField(source="step.review.version")
    due_at = serializers.DateTimeField(source="step.due_at")

    class Meta:
        model = ReviewStepReviewer
        fields = [
            "step_id",
            "step",
            "step_kind",
            "material",
            "subject_kind",
            "subject_url",
            "title",
            "unit",
            "author",
            "opened_at",
            "due_at",
            "review_version",
        ]

    @cached_property
    def _subject_url(self) -> Callable[[str, int], str]:
        # The list's one child serializer serves every row: each kind's URL is reversed once.
        return engine.subject_url_maker()

    def get_subject_url(self, row: ReviewStepReviewer) -> str:
        return self._subject_url(row.step.review.subject_kind, row.step.review.subject_id)


class DecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            a
            for a in ActionKind.choices
            if a[0] in {"pass", "sign", "return_revise", "return_rewrite", "acknowledge"}
        ]
    )
    opinion = serializers.CharField(max_length=5000)
    checklist = serializers.ListField(child=serializers.ChoiceField(choices=SixNo.choices), required=False)
    review_version = serializers.IntegerField()


class ReassignSerializer(serializers.Serializer):
    people = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), many=True)
    reason = serializers.CharField(max_length=500)


class StepSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = ReviewStep
        fields = [
            "id",
            "round",
            "order",
            "name",
            "kind",
            "state",
            "state_display",
            "reviewer_label",
            "unresolved",
            "opened_at",
            "due_at",
            "acted_at",
        ]


class ReviewStepViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """待我审核 (open steps waiting for the caller, oldest first) and the actions on them."""

    serializer_class = InboxSerializer
    queryset = ReviewStepReviewer.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.inbox(self.request.user)

    def _step(self, pk: str) -> ReviewStep:
        step = ReviewStep.objects.filter(pk=pk).select_related("review").first()
        if step is None or not engine.subject_visible(
            self.request.user, step.review.subject_kind, step.review.subject_id
        ):
            raise NotFound
        return step

    @extend_schema(request=DecisionSerializer, responses=StepSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request: Request, pk: str) -> Response:
        """通过 / 签字 / 退回修改 / 退回重写 / 审阅."""
        step = self._step(pk)
        if step.is_open:
            engine.require_reviewer(request.user, step)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        step = engine.review_step_act(
            actor=request.user,
            step=step,
            decision=engine.Decision(data["action"], data["opinion"], tuple(data.get("checklist") or ())),
            review_version=data["review_version"],
        )
        return Response(StepSerializer(step).data)

    @extend_schema(request=ReassignSerializer, responses=StepSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str) -> Response:
        step = self._step(pk)
        serializer = ReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        asked = [p.pk for p in serializer.validated_data["people"]]
        people = list(people_visible_to(request.user).filter(pk__in=asked))
        step = engine.review_step_reassign(
            actor=request.user, step=step, people=people, reason=serializer.validated_data["reason"]
        )
        return Response(StepSerializer(step).data)


class ChainStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChainStep
        fields = [
            "order",
            "name",
            "kind",
            "reviewer_rule",
            "rule_level",
            "condition",
            "time_limit_days",
            "note",
        ]


class ChainTemplateSerializer(serializers.ModelSerializer):
    steps = ChainStepSerializer(many=True, read_only=True)

    class Meta:
        model = ChainTemplate
        fields = ["id", "code", "name", "subject_kind", "reentry", "description", "is_active", "steps"]


class ChainTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """审核流程: the chains as configured (read only; offices edit them in the admin)."""

    serializer_class = ChainTemplateSerializer
    queryset = ChainTemplate.objects.prefetch_related("steps").order_by("code")


routes = [
    ("materials", MaterialViewSet, "material"),
    ("review-steps", ReviewStepViewSet, "review-step"),
    ("chain-templates", ChainTemplateViewSet, "chain-template"),
    *copycheck_routes,  # 雷同检测
]

# 谈心谈话, 拟批评意见, meetings and their criticisms, 通报会, 专题报告 (materials/meeting_api.py).
from materials.meeting_api import routes as meeting_routes  # noqa: E402

routes += meeting_routes

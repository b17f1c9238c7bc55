"""REST endpoints of 谈心谈话, 拟批评意见, the meeting, its criticisms, 通报会 and 专题报告.

Same scope as the pages; every write calls a service. Collected into ``materials.api.routes``.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from campaign.api_scope import ScopeFirstMixin
from materials import meeting_selectors as ms
from materials import meeting_services, talk_services
from materials import talk_selectors as ts
from materials.meeting_choices import (
    AttendeeCapacity,
    HalfDay,
    MeetingRating,
    MemberAppraisal,
    StageDecision,
    WeakReason,
)
from materials.meeting_models import (
    Briefing,
    CriticismList,
    Meeting,
    MeetingCriticism,
    MeetingReport,
    PlannedCriticism,
    Talk,
)
from materials.models import ReviewStep
from materials.views import unit_campaign
from stages.choices import SurveyMode
from stages.selectors import surveys_visible_to
from units.api import UnitCodeField
from units.models import Organization, Person
from units.selectors import unit_get_visible


class ApiMixin(ScopeFirstMixin):
    request: Any

    def _valid(self, serializer_class: Any, data: Any) -> dict[str, Any]:
        serializer = serializer_class(data=data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class MeetingVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="读取时的版本号，防止覆盖他人的修改")


# --- 谈心谈话 ---------------------------------------------------------------------------


class TalkSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    party_a_name = serializers.CharField(source="party_a.name", read_only=True)
    party_b_name = serializers.CharField(source="party_b.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Talk
        fields = [
            "id",
            "unit",
            "held_on",
            "party_a",
            "party_a_name",
            "party_b",
            "party_b_name",
            "group",
            "recorded_by",
            "status",
            "status_display",
            "own_problems",
            "other_problems",
            "body_problems",
            "meeting_points",
            "confirmed_by",
            "confirmed_at",
            "version",
        ]
        read_only_fields = fields


class TalkPointsSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    own_problems = serializers.CharField(max_length=5000)
    other_problems = serializers.CharField(max_length=5000)
    body_problems = serializers.CharField(max_length=5000)
    meeting_points = serializers.CharField(max_length=5000)


class TalkCreateSerializer(TalkPointsSerializer):
    unit = UnitCodeField()
    counterpart = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), help_text="谈话另一方")
    group = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True, help_text="督导组谈话时填写"
    )


class TalkUpdateSerializer(TalkPointsSerializer, MeetingVersionSerializer):
    pass


def _points(data: dict[str, Any]) -> talk_services.TalkPoints:
    return talk_services.TalkPoints(
        data["own_problems"], data["other_problems"], data["body_problems"], data["meeting_points"]
    )


class TalkViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """谈心谈话 records the caller may see (``?unit=<code>`` for one 班子); record, correct, confirm;
    ``coverage`` derives the "四必谈" of a 班子 and says which are missing."""

    serializer_class = TalkSerializer

    def get_queryset(self) -> Any:
        talks = ts.talks_visible_to(self.request.user).select_related("unit", "party_a", "party_b")
        unit = self.request.query_params.get("unit")
        if unit:
            talks = talks.filter(unit__code=unit)
        return talks.order_by("unit_path", "-held_on", "pk")

    @extend_schema(request=TalkCreateSerializer, responses=TalkSerializer)
    def create(self, request: Request) -> Response:
        data = self._valid(TalkCreateSerializer, request.data)
        talk = talk_services.talk_record(
            actor=request.user,
            campaign=unit_campaign(data["unit"]),
            unit=data["unit"],
            counterpart=data["counterpart"],
            group=data.get("group"),
            held_on=data["held_on"],
            points=_points(data),
        )
        return Response(TalkSerializer(talk).data, status=201)

    @extend_schema(request=TalkUpdateSerializer, responses=TalkSerializer)
    def update(self, request: Request, pk: str) -> Response:
        data = self._valid(TalkUpdateSerializer, request.data)
        talk = talk_services.talk_update(
            actor=request.user,
            talk=self.get_object(),
            version=data["version"],
            held_on=data["held_on"],
            points=_points(data),
        )
        return Response(TalkSerializer(talk).data)

    @extend_schema(request=MeetingVersionSerializer, responses=TalkSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        data = self._valid(MeetingVersionSerializer, request.data)
        talk = talk_services.talk_confirm(actor=request.user, talk=self.get_object(), version=data["version"])
        return Response(TalkSerializer(talk).data)

    @extend_schema(
        parameters=[OpenApiParameter("unit", str, required=True, description="单位编码")],
        responses={200: dict},
    )
    @action(detail=False, methods=["get"])
    def coverage(self, request: Request) -> Response:
        """The required talks of a 班子 today, each with its state (confirmed / recorded / missing)."""
        unit = unit_get_visible(request.user, request.query_params.get("unit", ""))
        found = ts.talk_coverage([unit]).get(unit.pk)
        if found is None:
            return Response({"unit": unit.code, "required": False})
        return Response(
            {
                "unit": unit.code,
                "required": True,
                "total": found.total,
                "done": found.done,
                "complete": found.complete,
                "talks": [
                    {
                        "kind": r.kind,
                        "kind_display": r.kind_label,
                        "member": r.member.pk,
                        "member_name": r.member.name,
                        "other": r.other.pk if r.other else None,
                        "other_name": r.other.name if r.other else None,
                        "department": r.department.code if r.department else None,
                        "groups": list(r.group_ids),
                        "state": r.state,
                        "talk": r.talk.pk if r.talk else None,
                    }
                    for r in found.required
                ],
            }
        )


# --- 拟批评意见 ---------------------------------------------------------------------------


class PlannedCriticismSerializer(serializers.ModelSerializer):
    target_name = serializers.CharField(source="target.name", read_only=True, allow_null=True)

    class Meta:
        model = PlannedCriticism
        fields = ["id", "order", "target", "target_name", "content", "weak_reason", "weak_note"]


class CriticismListSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    items = serializers.SerializerMethodField()
    review_version = serializers.IntegerField(source="review.version", read_only=True, allow_null=True)

    class Meta:
        model = CriticismList
        fields = [
            "id",
            "unit",
            "person",
            "person_name",
            "status",
            "status_display",
            "items",
            "version",
            "review_version",
        ]

    def get_items(self, obj: CriticismList) -> list[dict[str, Any]]:
        items = [i for i in obj.items.all() if i.is_active]
        return list(PlannedCriticismSerializer(sorted(items, key=lambda i: (i.order, i.pk)), many=True).data)


class UnitSerializer(serializers.Serializer):
    unit = UnitCodeField()


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    target = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    content = serializers.CharField(max_length=5000, allow_blank=True)
    delete = serializers.BooleanField(default=False)


class ItemsSerializer(MeetingVersionSerializer):
    items = ItemSerializer(many=True)


class WeakSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=WeakReason.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StageDecisionSerializer(serializers.Serializer):
    step = serializers.IntegerField(help_text="审核环节编号")
    action = serializers.ChoiceField(choices=StageDecision.choices)
    opinion = serializers.CharField(max_length=5000)
    review_version = serializers.IntegerField()


class CriticismDecisionSerializer(StageDecisionSerializer):
    weak = WeakSerializer(many=True, required=False)


class CriticismListViewSet(
    ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """拟批评意见: each member lists them; the 督导组 checks, the 活动办 audits, weak items go back."""

    serializer_class = CriticismListSerializer

    def get_queryset(self) -> Any:
        return (
            ts.criticism_lists_visible_to(self.request.user)
            .select_related("unit", "person", "review")
            .prefetch_related("items__target")
            .order_by("unit_path", "pk")
        )

    @extend_schema(request=UnitSerializer, responses=CriticismListSerializer)
    def create(self, request: Request) -> Response:
        unit = self._valid(UnitSerializer, request.data)["unit"]
        found = talk_services.criticism_list_start(
            actor=request.user, campaign=unit_campaign(unit), unit=unit
        )
        return Response(CriticismListSerializer(found).data, status=201)

    @extend_schema(request=ItemsSerializer, responses=CriticismListSerializer)
    @action(detail=True, methods=["put"])
    def items(self, request: Request, pk: str) -> Response:
        data = self._valid(ItemsSerializer, request.data)
        found = talk_services.criticism_list_save(
            actor=request.user,
            criticism_list=self.get_object(),
            items=[
                talk_services.ItemInput(row.get("id"), row.get("target"), row["content"], row["delete"])
                for row in data["items"]
            ],
            version=data["version"],
        )
        return Response(CriticismListSerializer(self.get_queryset().get(pk=found.pk)).data)

    @extend_schema(request=MeetingVersionSerializer, responses=CriticismListSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        data = self._valid(MeetingVersionSerializer, request.data)
        found = talk_services.criticism_list_submit(
            actor=request.user, criticism_list=self.get_object(), version=data["version"]
        )
        return Response(CriticismListSerializer(self.get_queryset().get(pk=found.pk)).data)

    @extend_schema(request=CriticismDecisionSerializer, responses=CriticismListSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request: Request, pk: str) -> Response:
        """督导组把关 / 活动办审核: 通过, or 退回 naming the weak items."""
        found = self.get_object()
        data = self._valid(CriticismDecisionSerializer, request.data)
        step = ReviewStep.objects.filter(pk=data["step"], review_id=found.review_id).first()
        if step is None:
            raise NotFound
        talk_services.criticism_list_decide(
            actor=request.user,
            criticism_list=found,
            step=step,
            action=data["action"],
            opinion=data["opinion"],
            weak=[
                talk_services.WeakItem(w["item"], w["reason"], w.get("note", ""))
                for w in data.get("weak", [])
            ],
            review_version=data["review_version"],
        )
        return Response(CriticismListSerializer(self.get_queryset().get(pk=found.pk)).data)


# --- the meeting ----------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    review_version = serializers.IntegerField(source="review.version", read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "unit",
            "unit_name",
            "kind",
            "kind_display",
            "number",
            "previous",
            "status",
            "status_display",
            "planned_start",
            "planned_start_half",
            "planned_end",
            "planned_end_half",
            "location",
            "procedure",
            "held_start",
            "held_start_half",
            "held_end",
            "held_end_half",
            "agenda_requirements",
            "agenda_body_inspection",
            "agenda_member_inspection",
            "agenda_supervisor_comment",
            "agenda_summary",
            "rating",
            "evaluation",
            "evaluated_at",
            "evaluation_sent_to",
            "rehold_reason",
            "version",
            "review_version",
        ]
        read_only_fields = fields


class PlanSerializer(MeetingVersionSerializer):
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_start_half = serializers.ChoiceField(choices=HalfDay.choices, default=HalfDay.AM)
    planned_end = serializers.DateField(required=False, allow_null=True)
    planned_end_half = serializers.ChoiceField(choices=HalfDay.choices, default=HalfDay.PM)
    location = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    procedure = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class HoldSerializer(MeetingVersionSerializer):
    held_start = serializers.DateField()
    held_start_half = serializers.ChoiceField(choices=HalfDay.choices, default=HalfDay.AM)
    held_end = serializers.DateField()
    held_end_half = serializers.ChoiceField(choices=HalfDay.choices, default=HalfDay.PM)


class AgendaSerializer(MeetingVersionSerializer):
    agenda_requirements = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    agenda_body_inspection = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    agenda_member_inspection = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    agenda_supervisor_comment = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    agenda_summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AttendeeSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    capacity = serializers.ChoiceField(choices=AttendeeCapacity.choices)
    present = serializers.BooleanField(default=True)
    as_ordinary_member = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class StatementSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    self_criticism = serializers.CharField(max_length=5000)


class CriticismAddSerializer(serializers.Serializer):
    target = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    critic = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    content = serializers.CharField(max_length=5000)


class AppraisalRowSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    appraisal = serializers.ChoiceField(choices=MemberAppraisal.choices)


class AppraisalsSerializer(serializers.Serializer):
    appraisals = AppraisalRowSerializer(many=True)


class EvaluationSerializer(MeetingVersionSerializer):
    rating = serializers.ChoiceField(choices=MeetingRating.choices)
    evaluation = serializers.CharField(max_length=5000)


class RehearReasonSerializer(MeetingVersionSerializer):
    reason = serializers.CharField(max_length=5000)


class MeetingCriticismSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    target_name = serializers.CharField(source="target.name", read_only=True)
    critic_name = serializers.CharField(source="critic.name", read_only=True)
    meeting_number = serializers.IntegerField(source="meeting.number", read_only=True)

    class Meta:
        model = MeetingCriticism
        fields = [
            "id",
            "unit",
            "meeting",
            "meeting_number",
            "target",
            "target_name",
            "critic",
            "critic_name",
            "content",
            "is_active",
        ]


class MeetingViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """专题民主生活会 / 组织生活会: plan and its review, preconditions, holding, the record,
    the 督导组's evaluation and an order to re-hold."""

    serializer_class = MeetingSerializer
    filterset_fields = ["status", "kind"]

    def get_queryset(self) -> Any:
        meetings = ms.meetings_visible_to(self.request.user).select_related("unit", "review")
        unit = self.request.query_params.get("unit")
        if unit:
            meetings = meetings.filter(unit__code=unit)
        return meetings.order_by("unit_path", "number")

    def _out(self, meeting: Meeting) -> Response:
        return Response(MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=UnitSerializer, responses=MeetingSerializer)
    def create(self, request: Request) -> Response:
        unit = self._valid(UnitSerializer, request.data)["unit"]
        meeting = meeting_services.meeting_start(actor=request.user, campaign=unit_campaign(unit), unit=unit)
        return Response(MeetingSerializer(meeting).data, status=201)

    @extend_schema(request=PlanSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["put"])
    def plan(self, request: Request, pk: str) -> Response:
        data = self._valid(PlanSerializer, request.data)
        meeting = meeting_services.meeting_plan_save(actor=request.user, meeting=self.get_object(), **data)
        return self._out(meeting)

    @extend_schema(request=MeetingVersionSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="submit-plan")
    def submit_plan(self, request: Request, pk: str) -> Response:
        data = self._valid(MeetingVersionSerializer, request.data)
        meeting = meeting_services.meeting_plan_submit(
            actor=request.user, meeting=self.get_object(), version=data["version"]
        )
        return self._out(meeting)

    @extend_schema(request=StageDecisionSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="plan-act")
    def plan_act(self, request: Request, pk: str) -> Response:
        """督导组 / 活动办 on the plan: 通过, 退回修改, 退回重写."""
        meeting = self.get_object()
        data = self._valid(StageDecisionSerializer, request.data)
        step = ReviewStep.objects.filter(pk=data["step"], review_id=meeting.review_id).first()
        if step is None:
            raise NotFound
        meeting_services.meeting_plan_decide(
            actor=request.user,
            meeting=meeting,
            step=step,
            action=data["action"],
            opinion=data["opinion"],
            review_version=data["review_version"],
        )
        return self._out(meeting)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def preconditions(self, request: Request, pk: str) -> Response:
        """What must hold before the meeting may be held, each missing piece named."""
        checks = ms.meeting_preconditions(self.get_object())
        return Response(
            {
                "ready": all(c.ok for c in checks),
                "checks": [
                    {
                        "key": c.key,
                        "label": c.label,
                        "ok": c.ok,
                        "note": c.note,
                        "missing": [m for m, _l in c.missing],
                    }
                    for c in checks
                ],
            }
        )

    @extend_schema(request=HoldSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str) -> Response:
        data = self._valid(HoldSerializer, request.data)
        meeting = meeting_services.meeting_hold(actor=request.user, meeting=self.get_object(), **data)
        return self._out(meeting)

    @extend_schema(request=AgendaSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["put"])
    def record(self, request: Request, pk: str) -> Response:
        data = self._valid(AgendaSerializer, request.data)
        version = data.pop("version")
        meeting = meeting_services.meeting_record_save(
            actor=request.user, meeting=self.get_object(), version=version, agenda=data
        )
        return self._out(meeting)

    @extend_schema(request=AttendeeSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendees(self, request: Request, pk: str) -> Response:
        data = self._valid(AttendeeSerializer, request.data)
        meeting = self.get_object()
        meeting_services.meeting_attendee_set(actor=request.user, meeting=meeting, **data)
        return self._out(meeting)

    @extend_schema(request=StatementSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def statements(self, request: Request, pk: str) -> Response:
        data = self._valid(StatementSerializer, request.data)
        meeting = self.get_object()
        meeting_services.meeting_statement_save(actor=request.user, meeting=meeting, **data)
        return self._out(meeting)

    @extend_schema(request=CriticismAddSerializer, responses=MeetingCriticismSerializer)
    @action(detail=True, methods=["post"])
    def criticisms(self, request: Request, pk: str) -> Response:
        data = self._valid(CriticismAddSerializer, request.data)
        criticism = meeting_services.meeting_criticism_add(
            actor=request.user, meeting=self.get_object(), **data
        )
        return Response(MeetingCriticismSerializer(criticism).data, status=201)

    @extend_schema(request=AppraisalsSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def appraisals(self, request: Request, pk: str) -> Response:
        data = self._valid(AppraisalsSerializer, request.data)
        meeting = self.get_object()
        meeting_services.meeting_appraisals_save(
            actor=request.user,
            meeting=meeting,
            appraisals={r["person"]: r["appraisal"] for r in data["appraisals"]},
        )
        return self._out(meeting)

    @extend_schema(request=EvaluationSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def evaluate(self, request: Request, pk: str) -> Response:
        data = self._valid(EvaluationSerializer, request.data)
        meeting = meeting_services.meeting_evaluate(actor=request.user, meeting=self.get_object(), **data)
        return self._out(meeting)

    @extend_schema(request=RehearReasonSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def rehold(self, request: Request, pk: str) -> Response:
        """责令重开: answers the new meeting."""
        data = self._valid(RehearReasonSerializer, request.data)
        again = meeting_services.meeting_order_rehold(actor=request.user, meeting=self.get_object(), **data)
        return Response(MeetingSerializer(again).data, status=201)


class MeetingCriticismViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Criticisms received at the meetings: sources stage three must answer ("四个回应").
    ``?unit=<code>``; ``?include_superseded=1`` adds those of meetings ordered re-held."""

    serializer_class = MeetingCriticismSerializer

    def get_queryset(self) -> Any:
        criticisms = ms.criticisms_visible_to(self.request.user).filter(is_active=True)
        if self.request.query_params.get("include_superseded") != "1":
            criticisms = criticisms.exclude(meeting__status="rehold_ordered")
        unit = self.request.query_params.get("unit")
        if unit:
            criticisms = criticisms.filter(unit__code=unit)
        return criticisms.select_related("unit", "meeting", "target", "critic").order_by("unit_path", "pk")


# --- 通报会 and 专题报告 ----------------------------------------------------------------------


class BriefingSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    survey_title = serializers.CharField(source="survey.title", read_only=True, default=None)
    survey_status = serializers.CharField(source="survey.status", read_only=True, default=None)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Briefing
        fields = [
            "id",
            "unit",
            "meeting",
            "held_on",
            "content",
            "survey",
            "survey_title",
            "survey_status",
            "respondents",
            "satisfied",
            "satisfaction",
            "status",
            "status_display",
            "version",
        ]
        read_only_fields = fields


class BriefingCreateSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    held_on = serializers.DateField()
    content = serializers.CharField(max_length=5000)


class BriefingResultSerializer(MeetingVersionSerializer):
    respondents = serializers.IntegerField(min_value=1)
    satisfied = serializers.IntegerField(min_value=0)


class BriefingSurveySerializer(MeetingVersionSerializer):
    survey = serializers.IntegerField(
        required=False, help_text="关联已有的群众评议测评（用途 meeting，测评对象含本班子）；不填则新建"
    )
    mode = serializers.ChoiceField(choices=SurveyMode.choices, required=False, default=SurveyMode.RESPONDENTS)
    opens_at = serializers.DateTimeField(required=False)
    closes_at = serializers.DateTimeField(required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if "survey" not in data and not (data.get("opens_at") and data.get("closes_at")):
            raise serializers.ValidationError("新建测评须填写开始时间和截止时间（opens_at、closes_at）。")
        return data


class BriefingViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """情况通报会 and the result of its 群众评议 (below 2/3 satisfied → 返工补课)."""

    serializer_class = BriefingSerializer

    def get_queryset(self) -> Any:
        return (
            ms.briefings_visible_to(self.request.user)
            .select_related("unit", "survey")
            .order_by("unit_path", "held_on")
        )

    @extend_schema(request=BriefingCreateSerializer, responses=BriefingSerializer)
    def create(self, request: Request) -> Response:
        data = self._valid(BriefingCreateSerializer, request.data)
        meeting = get_object_or_404(ms.meetings_visible_to(request.user), pk=data["meeting"])
        briefing = meeting_services.briefing_record(
            actor=request.user, meeting=meeting, held_on=data["held_on"], content=data["content"]
        )
        return Response(BriefingSerializer(briefing).data, status=201)

    @extend_schema(request=BriefingResultSerializer, responses=BriefingSerializer)
    @action(detail=True, methods=["post"])
    def result(self, request: Request, pk: str) -> Response:
        data = self._valid(BriefingResultSerializer, request.data)
        briefing = meeting_services.briefing_record_result(
            actor=request.user, briefing=self.get_object(), **data
        )
        return Response(BriefingSerializer(briefing).data)

    @extend_schema(request=BriefingSurveySerializer, responses=BriefingSerializer)
    @action(detail=True, methods=["post"])
    def survey(self, request: Request, pk: str) -> Response:
        """The 群众评议 on the survey engine: link an existing MEETING survey or create one (draft)."""
        data = self._valid(BriefingSurveySerializer, request.data)
        briefing = self.get_object()
        if "survey" in data:
            survey = get_object_or_404(surveys_visible_to(request.user), pk=data["survey"])
            briefing = meeting_services.briefing_survey_link(
                actor=request.user, briefing=briefing, version=data["version"], survey=survey
            )
        else:
            meeting_services.briefing_survey_create(
                actor=request.user,
                briefing=briefing,
                version=data["version"],
                mode=data["mode"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        briefing.refresh_from_db()
        return Response(BriefingSerializer(briefing).data)


class ReportSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = MeetingReport
        fields = [
            "id",
            "unit",
            "meeting",
            "due_date",
            "is_late",
            "content",
            "status",
            "status_display",
            "submitted_at",
            "read_at",
            "read_opinion",
            "filed_at",
            "recipients",
            "version",
        ]
        read_only_fields = fields


class ReportContentSerializer(MeetingVersionSerializer):
    content = serializers.CharField(max_length=5000, allow_blank=True)


class ReportOpinionSerializer(MeetingVersionSerializer):
    opinion = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class MeetingReportViewSet(
    ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """专题报告: due 15 days after the meeting (``?late=1`` for the late ones); written by the unit,
    read by the 督导组, filed by the 活动办."""

    serializer_class = ReportSerializer
    filterset_fields = ["status"]

    def get_queryset(self) -> Any:
        reports = ms.reports_visible_to(self.request.user).select_related("unit")
        if self.request.query_params.get("late") == "1":
            reports = reports.filter(ms.late_q())
        return reports.order_by("due_date", "unit_path", "pk")

    def _out(self, report: MeetingReport) -> Response:
        return Response(ReportSerializer(report).data)

    @extend_schema(request=ReportContentSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["put"])
    def content(self, request: Request, pk: str) -> Response:
        data = self._valid(ReportContentSerializer, request.data)
        return self._out(meeting_services.report_save(actor=request.user, report=self.get_object(), **data))

    @extend_schema(request=MeetingVersionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        data = self._valid(MeetingVersionSerializer, request.data)
        return self._out(meeting_services.report_submit(actor=request.user, report=self.get_object(), **data))

    @extend_schema(request=ReportOpinionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        data = self._valid(ReportOpinionSerializer, request.data)
        return self._out(meeting_services.report_read(actor=request.user, report=self.get_object(), **data))

    @extend_schema(request=MeetingVersionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def file(self, request: Request, pk: str) -> Response:
        data = self._valid(MeetingVersionSerializer, request.data)
        return self._out(meeting_services.report_file(actor=request.user, report=self.get_object(), **data))


routes = [
    ("talks", TalkViewSet, "talk"),
    ("criticism-lists", CriticismListViewSet, "criticism-list"),
    ("meetings", MeetingViewSet, "meeting"),
    ("meeting-criticisms", MeetingCriticismViewSet, "meeting-criticism"),
    ("briefings", BriefingViewSet, "briefing"),
    ("meeting-reports", MeetingReportViewSet, "meeting-report"),
]

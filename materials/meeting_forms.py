"""Forms of the talk, 拟批评意见, meeting, 通报会 and 专题报告 pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from campaign.forms import DateInput, VersionedForm
from materials.meeting_choices import (
    AttendeeCapacity,
    HalfDay,
    MeetingRating,
    MemberAppraisal,
    StageDecision,
    WeakReason,
)
from materials.talk_services import MAX_TEXT
from stages.choices import SurveyMode
from stages.forms import DATETIME_FORMATS, DateTimeInput

AREA = forms.Textarea(attrs={"rows": 3})


def _text(label: Any, required: bool = True, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class TalkPointsForm(VersionedForm):
    held_on = forms.DateField(label=_("谈话日期"), widget=DateInput())
    own_problems = _text(_("一、主动亮明自身存在的突出问题"))
    other_problems = _text(_("二、诚恳指出对方存在的问题"))
    body_problems = _text(_("三、交换对班子存在问题的看法"))
    meeting_points = _text(_("四、其他准备在会上提出的问题和意见"))


class TalkForm(TalkPointsForm):
    """Record a talk: the other party is chosen among the recorder's required talks."""

    counterpart = forms.ChoiceField(label=_("谈话对象"))

    field_order = ["counterpart", "held_on"]

    def __init__(self, *args: Any, counterparts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counterpart"].choices = [("", "—"), *counterparts]  # type: ignore[attr-defined]


class ConfirmForm(VersionedForm):
    pass


class CriticismItemForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    target = forms.ChoiceField(label=_("批评对象"), required=False)
    content = forms.CharField(
        label=_("拟批评意见"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("班子整体"))] + (targets or [])  # type: ignore[attr-defined]


CriticismItemFormSet = formset_factory(CriticismItemForm, extra=3, can_delete=True, max_num=60)

REVIEW_ACTIONS = StageDecision.choices


class DecisionForm(forms.Form):
    """A reviewer's decision on a meeting plan or a 拟批评意见 at his step."""

    review_version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        label=_("办理"), choices=REVIEW_ACTIONS, widget=forms.RadioSelect, initial="pass"
    )
    opinion = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class CriticismDecisionForm(DecisionForm):
    """…and, for a 拟批评意见, which items are too weak and why."""

    def __init__(self, *args: Any, items: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"weak_{item.pk}"] = forms.ChoiceField(
                label=_("第%(n)d条") % {"n": item.order},
                required=False,
                choices=[("", _("可以")), *list(WeakReason.choices)],
            )

    def weak(self) -> list[tuple[int, str]]:
        return [(item.pk, self.cleaned_data.get(f"weak_{item.pk}") or "") for item in self.items]

    def weak_fields(self) -> list[tuple[Any, Any]]:
        return [(item, self[f"weak_{item.pk}"]) for item in self.items]


class PlanForm(VersionedForm):
    planned_start = forms.DateField(label=_("开始日期"), widget=DateInput(), required=False)
    planned_start_half = forms.ChoiceField(label=_("开始于"), choices=HalfDay.choices, initial=HalfDay.AM)
    planned_end = forms.DateField(label=_("结束日期"), widget=DateInput(), required=False)
    planned_end_half = forms.ChoiceField(label=_("结束于"), choices=HalfDay.choices, initial=HalfDay.PM)
    location = forms.CharField(label=_("地点"), max_length=100, required=False)
    procedure = _text(
        _("程序要求"),
        required=False,
        rows=8,
        help_text=_(
            "[002] 会议议程主要有5项：书记提出要求；书记代表班子作对照检查；书记和班子成员逐一对照检查发言、"
            "其他同志开展批评；督导组长简要评价；书记总结。"
        ),
    )


class HoldForm(VersionedForm):
    held_start = forms.DateField(label=_("召开日期"), widget=DateInput())
    held_start_half = forms.ChoiceField(label=_("开始于"), choices=HalfDay.choices, initial=HalfDay.AM)
    held_end = forms.DateField(label=_("结束日期"), widget=DateInput())
    held_end_half = forms.ChoiceField(label=_("结束于"), choices=HalfDay.choices, initial=HalfDay.PM)


class AgendaForm(VersionedForm):
    agenda_requirements = _text(_("一、书记就开好专题民主生活会提出要求"), required=False, rows=2)
    agenda_body_inspection = _text(_("二、书记代表领导班子作对照检查发言"), required=False, rows=3)
    agenda_member_inspection = _text(
        _("三、书记和班子成员对照检查发言、其他同志开展批评（概况）"), required=False, rows=2
    )
    agenda_supervisor_comment = _text(_("四、督导组长对民主生活会情况简要评价"), required=False, rows=2)
    agenda_summary = _text(_("五、书记总结"), required=False, rows=2)


class AttendeeForm(forms.Form):
    person_code = forms.CharField(label=_("人员编码"), max_length=32)
    capacity = forms.ChoiceField(label=_("参会身份"), choices=AttendeeCapacity.choices)
    as_ordinary_member = forms.BooleanField(label=_("以普通党员身份参加"), required=False)
    present = forms.BooleanField(label=_("出席"), required=False, initial=True)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class StatementForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    self_criticism = _text(_("自我批评（摘要）"), rows=3)


class MeetingCriticismForm(forms.Form):
    target = forms.ChoiceField(label=_("被批评人"))
    critic = forms.ChoiceField(label=_("提出人"))
    content = _text(_("批评意见"), rows=2)

    def __init__(
        self, *args: Any, people: list[tuple[str, str]], targets: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—"), *targets]  # type: ignore[attr-defined]
        self.fields["critic"].choices = [("", "—"), *people]  # type: ignore[attr-defined]


class WithdrawForm(forms.Form):
    criticism = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("撤回原因"), max_length=500)


class AppraisalForm(forms.Form):
    """One select per attending party member."""

    def __init__(
        self,
        *args: Any,
        attendees: Any = (),
        initial_values: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.attendees = list(attendees)
        for attendee in self.attendees:
            self.fields[f"appraisal_{attendee.person_id}"] = forms.ChoiceField(
                label=attendee.person.name,
                required=False,
                choices=[("", "—"), *list(MemberAppraisal.choices)],
                initial=(initial_values or {}).get(attendee.person_id, ""),
            )

    def values(self) -> dict[int, str]:
        return {a.person_id: self.cleaned_data.get(f"appraisal_{a.person_id}") or "" for a in self.attendees}


class EvaluationForm(VersionedForm):
    rating = forms.ChoiceField(label=_("评价等次"), choices=MeetingRating.choices, widget=forms.RadioSelect)
    evaluation = _text(_("评价意见（反馈党委（党组）书记）"), rows=5)


class ReholdForm(VersionedForm):
    reason = _text(
        _("责令重开的理由"), rows=3, help_text=_("如：批评和自我批评不触及问题、相互评功摆好走过场。")
    )


class BriefingForm(forms.Form):
    held_on = forms.DateField(label=_("通报会日期"), widget=DateInput())
    content = _text(
        _("通报内容"), rows=4, help_text=_("会前准备情况、开展批评和自我批评情况、制定整改措施等。")
    )


class BriefingResultForm(VersionedForm):
    respondents = forms.IntegerField(label=_("参评人数"), min_value=1)
    satisfied = forms.IntegerField(label=_("满意和基本满意人数"), min_value=0)


class BriefingSurveyForm(VersionedForm):
    """群众评议 on the survey engine: a new MEETING survey of the 班子 (a draft to open)."""

    mode = forms.ChoiceField(label=_("参评方式"), choices=SurveyMode.choices, initial=SurveyMode.RESPONDENTS)
    opens_at = forms.DateTimeField(
        label=_("开始时间"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    closes_at = forms.DateTimeField(
        label=_("截止时间"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )


class BriefingLinkForm(VersionedForm):
    """Take an existing 群众评议 survey of the 班子."""

    survey = forms.TypedChoiceField(label=_("已有的群众评议测评"), coerce=int)

    def __init__(self, *args: Any, surveys: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["survey"]
        field.choices = [(s.pk, f"{s.title}（{s.get_status_display()}）") for s in surveys]


class ReportForm(VersionedForm):
    content = _text(_("报告内容"), required=False, rows=14)


class ReportReadForm(VersionedForm):
    opinion = _text(_("审阅意见"), required=False, rows=3)

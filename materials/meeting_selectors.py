"""Reads on 专题民主生活会 / 组织生活会, 通报会 and 专题报告, the preconditions of holding a meeting,
the gates stage two hands to the calendar, and the meeting's criticisms for rectification.

Gates (each takes a list of units and answers ``{unit_id: bool}`` in a fixed number of queries):
    talk_selectors.talks_complete   谈心谈话全覆盖 (five queries)
    meeting_held                    the current meeting was held (one query)
    briefing_done                   情况通报会 held and 群众评议 at least 2/3 satisfied (two queries)
    report_filed                    专题报告 filed with the 活动办 (one query)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign import clock
from materials.choices import MaterialStatus
from materials.meeting_choices import (
    HELD_STATUSES,
    BriefingStatus,
    EventSubject,
    HalfDay,
    MeetingKind,
    MeetingStatus,
    ReportStatus,
)
from materials.meeting_models import Briefing, Meeting, MeetingCriticism, MeetingEvent, MeetingReport
from materials.models import ReviewStepReviewer
from materials.selectors import open_steps_by_review, required_materials
from materials.talk_selectors import (
    FIRST_BATCH_KINDS,
    Coverage,
    meeting_kind_for,
    supervising_level,
    talk_coverage,
)
from units.access import scope_for
from units.choices import Role, UnitKind
from units.models import Unit
from units.selectors import territorial_ancestor

REPORT_DAYS = 15
SATISFACTION_THRESHOLD = (2, 3)  # 满意率低于2/3的，要督促其返工、补课 [002] 八


# --- rules on dates ------------------------------------------------------------------


def report_due(held_end: datetime.date) -> datetime.date:
    """专题报告 "民主生活会召开后15天内" [002] 九: the meeting's last day (a campaign date in
    Asia/Shanghai) plus fifteen days."""
    return held_end + datetime.timedelta(days=REPORT_DAYS)


def half_days(start: datetime.date, start_half: str, end: datetime.date, end_half: str) -> int:
    """How many half-days a meeting from ``start`` to ``end`` (inclusive) lasts."""
    return (
        (end - start).days * 2
        + (1 if end_half == HalfDay.PM else 0)
        - (1 if start_half == HalfDay.PM else 0)
        + 1
    )


def minimum_half_days(unit: Unit, kind: str) -> int:
    """[002] 六: "市、县（区）党委领导班子专题民主生活会的时间不少于一天半，其他单位领导班子…不少于一天"."""
    if kind != MeetingKind.DEMOCRATIC_LIFE:
        return 1
    return 3 if unit.kind in (UnitKind.CITY, UnitKind.COUNTY) else 2


def days_label(halves: int) -> str:
    return _("%(n)s天") % {"n": f"{halves / 2:g}"}


def satisfied_enough(satisfied: int, respondents: int) -> bool:
    num, den = SATISFACTION_THRESHOLD
    return satisfied * den >= respondents * num


# --- visibility -----------------------------------------------------------------------------


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    """Meetings of the units the user reaches (a 班子 member: his own), and those whose plan he reviews."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Meeting.objects.all()
    if scope.is_anonymous:
        return Meeting.objects.none()
    reviewer = ReviewStepReviewer.objects.filter(step__review_id=OuterRef("review_id"), user_id=user.pk)
    return Meeting.objects.filter(
        scope.unit_q(path_field="unit_path", unit_field="unit_id") | Exists(reviewer)
    )


def meeting_get_visible(user: Any, pk: int) -> Meeting:
    meeting = (
        meetings_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "campaign", "review__template", "previous", "evaluation_sent_to", "report")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def current_meetings(units: Iterable[Unit]) -> dict[int, Meeting]:
    """The latest meeting of each unit (a re-held one replaces the first), with its report. One query."""
    ids = [u.pk for u in units]
    found: dict[int, Meeting] = {}
    for meeting in (
        Meeting.objects.filter(unit_id__in=ids).select_related("report").order_by("unit_id", "-number")
    ):
        found.setdefault(meeting.unit_id, meeting)
    return found


def meetings_of_unit(unit: Unit) -> list[Meeting]:
    return list(Meeting.objects.filter(unit=unit).select_related("report").order_by("-number"))


def reports_visible_to(user: Any) -> QuerySet[MeetingReport]:
    scope = scope_for(user)
    if scope.is_superuser:
        return MeetingReport.objects.all()
    if scope.is_anonymous:
        return MeetingReport.objects.none()
    return MeetingReport.objects.filter(scope.unit_q(path_field="unit_path", unit_field="unit_id"))


def briefings_visible_to(user: Any) -> QuerySet[Briefing]:
    scope = scope_for(user)
    if scope.is_superuser:
        return Briefing.objects.all()
    if scope.is_anonymous:
        return Briefing.objects.none()
    return Briefing.objects.filter(scope.unit_q(path_field="unit_path", unit_field="unit_id"))


def late_q() -> Q:
    """Reports sent after their due day, or still unsent after it (days in Asia/Shanghai)."""
    return ~Q(status=ReportStatus.SUPERSEDED) & (
        Q(submitted_at__isnull=True, due_date__lt=clock.today()) | Q(submitted_at__date__gt=F("due_date"))
    )


def reports_under(
    user: Any, root: Unit, *, late_only: bool = False, status: str = ""
) -> QuerySet[MeetingReport]:
    reports = reports_visible_to(user).filter(unit_path__startswith=root.path)
    if late_only:
        reports = reports.filter(late_q())
    if status:
        reports = reports.filter(status=status)
    return reports.select_related("unit", "meeting").order_by("due_date", "unit_path", "pk")


def stage_events(subject: str, subject_id: int) -> QuerySet[MeetingEvent]:
    return MeetingEvent.objects.filter(subject=subject, subject_id=subject_id).order_by("created_at", "pk")


def meeting_events(meeting: Meeting) -> QuerySet[MeetingEvent]:
    return stage_events(EventSubject.MEETING, meeting.pk)


# --- may the meeting be held? --------------------------------------------------------------


@dataclass
class Check:
    """One precondition of holding the meeting, with every missing piece named."""

    key: str
    label: str
    missing: list[tuple[str, str]] = field(default_factory=list)  # (what, link)
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.missing


def meeting_preconditions(meeting: Meeting, coverage: Coverage | None = None) -> list[Check]:
    """[002] 六: "准备工作不充分、班子成员之间谈心谈话没有全覆盖、对照检查材料审核没有通过的，不能开会";
    the plan must have passed the 督导组 and the 活动办. A 组织生活会 needs its materials only."""
    unit = meeting.unit
    checks = []
    meeting_url = reverse("materials:meeting", args=[meeting.pk])
    if meeting.kind == MeetingKind.DEMOCRATIC_LIFE:
        plan = Check("plan", _("会议方案经督导组和活动办审核通过"))
        if meeting.status not in (MeetingStatus.PLAN_APPROVED, *HELD_STATUSES):
            if meeting.status == MeetingStatus.PLAN_IN_REVIEW and meeting.review_id:
                steps = open_steps_by_review([meeting.review_id]).get(meeting.review_id, [])
                where = "；".join(f"{s.name}（{s.reviewer_label}）" for s in steps) or _("审核中")
                plan.missing.append((_("会议方案正在审核：%(where)s") % {"where": where}, meeting_url))
            elif meeting.status == MeetingStatus.PLAN_RETURNED:
                plan.missing.append((_("会议方案已被退回，请修改后重新提交"), meeting_url))
            else:
                plan.missing.append((_("会议方案尚未提交审核"), meeting_url))
        checks.append(plan)
        coverage = coverage or talk_coverage([unit])[unit.pk]
        talks = Check(
            "talks",
            _("谈心谈话全覆盖（“四必谈”）"),
            note=_("已完成 %(done)d / %(total)d") % {"done": coverage.done, "total": coverage.total},
        )
        talks_url = reverse("materials:talks", args=[unit.code])
        for requirement in coverage.missing:
            state = _("待对方确认") if requirement.state == "recorded" else _("未谈")
            talks.missing.append((f"{requirement.label}（{requirement.kind_label}）：{state}", talks_url))
        if not coverage.has_group:
            talks.note += _("；尚未确定督导本单位的督导组")
        checks.append(talks)
    materials = Check("materials", _("对照检查材料全部审核通过"))
    required = required_materials(unit)
    in_review = [r.material.review_id for r in required if r.material and r.material.review_id]
    steps_by_review = open_steps_by_review(in_review) if in_review else {}
    for entry in required:
        material = entry.material
        if material is None:
            who = f"（{entry.person.name}）" if entry.person else _("（班子）")
            materials.missing.append(
                (
                    _("%(kind)s%(who)s：尚未开始撰写") % {"kind": entry.label, "who": who},
                    unit.get_absolute_url() + "#materials",
                )
            )
        elif material.status != MaterialStatus.APPROVED:
            state = material.get_status_display()
            steps = steps_by_review.get(material.review_id or 0, [])
            if steps:
                state += "：" + "、".join(s.name for s in steps)
            materials.missing.append((f"{material.title}（{state}）", material.get_absolute_url()))
    checks.append(materials)
    return checks


def refusals(checks: list[Check]) -> list[str]:
    return [f"{check.label}：{what}" for check in checks for what, _link in check.missing]


# --- gates --------------------------------------------------------------------------------------


def meeting_held(units: Iterable[Unit]) -> dict[int, bool]:
    """Gate: the unit's current meeting (the re-held one after an order to re-hold) was held. One query."""
    units = list(units)
    current = current_meetings(units)
    return {u.pk: u.pk in current and current[u.pk].status in HELD_STATUSES for u in units}


def briefing_done(units: Iterable[Unit]) -> dict[int, bool]:
    """Gate: after the current meeting a 情况通报会 was held and its 群众评议 reached 2/3. Two queries."""
    units = list(units)
    current = current_meetings(units)
    passed = set(
        Briefing.objects.filter(
            meeting_id__in=[m.pk for m in current.values()], status=BriefingStatus.PASSED
        ).values_list("meeting_id", flat=True)
    )
    return {u.pk: u.pk in current and current[u.pk].pk in passed for u in units}


def report_filed(units: Iterable[Unit]) -> dict[int, bool]:
    """Gate: the 专题报告 of the current meeting was filed with the 活动办. One query."""
    units = list(units)
    current = current_meetings(units)
    result = {}
    for unit in units:
        meeting = current.get(unit.pk)
        report = getattr(meeting, "report", None) if meeting else None
        result[unit.pk] = report is not None and report.status == ReportStatus.FILED
    return result


# --- sources for rectification ---------------------------------------------------------------


def meeting_criticisms(
    unit_ids: Iterable[int], *, include_superseded: bool = False
) -> QuerySet[MeetingCriticism]:
    """The criticisms received at the meetings of these units: each one a source stage three must
    answer ("四个回应"), identified by its id. One query. Withdrawn entries are left out, and so are
    the criticisms of a meeting ordered re-held unless ``include_superseded``."""
    criticisms = MeetingCriticism.objects.filter(
        unit_id__in=unit_ids if isinstance(unit_ids, QuerySet) else list(unit_ids), is_active=True
    )
    if not include_superseded:
        criticisms = criticisms.exclude(meeting__status=MeetingStatus.REHOLD_ORDERED)
    return criticisms.select_related("meeting", "target", "critic", "unit").order_by(
        "unit_path", "meeting__number", "target__name", "pk"
    )


def criticisms_visible_to(user: Any) -> QuerySet[MeetingCriticism]:
    scope = scope_for(user)
    if scope.is_superuser:
        return MeetingCriticism.objects.all()
    if scope.is_anonymous:
        return MeetingCriticism.objects.none()
    return MeetingCriticism.objects.filter(scope.unit_q(path_field="unit_path", unit_field="unit_id"))


# --- overviews -----------------------------------------------------------------------------------


def meeting_units_under(user: Any, root: Unit) -> QuerySet[Unit]:
    """Units in ``root``'s subtree, within the user's scope, that hold a meeting."""
    return (
        Unit.objects.filter(scope_for(user).unit_q())
        .filter(path__startswith=root.path, is_active=True)
        .exclude(kind__in=FIRST_BATCH_KINDS)
        .order_by("path")
    )


@dataclass
class UnitRow:
    unit: Unit
    kind: str | None
    coverage: Coverage | None
    meeting: Meeting | None
    briefing: Briefing | None
    report: MeetingReport | None


def unit_rows(units: list[Unit]) -> list[UnitRow]:
    """Stage two at a glance for a page of units: coverage (six queries), current meetings with
    their reports (one), their latest 通报会 (one)."""
    coverage = talk_coverage(units)
    current = current_meetings(units)
    briefings: dict[int, Briefing] = {}
    for briefing in Briefing.objects.filter(meeting_id__in=[m.pk for m in current.values()]).order_by(
        "held_on", "pk"
    ):
        briefings[briefing.meeting_id] = briefing
    rows = []
    for unit in units:
        meeting = current.get(unit.pk)
        rows.append(
            UnitRow(
                unit=unit,
                kind=meeting_kind_for(unit),
                coverage=coverage.get(unit.pk),
                meeting=meeting,
                briefing=briefings.get(meeting.pk) if meeting else None,
                report=getattr(meeting, "report", None) if meeting else None,
            )
        )
    return rows


def briefings_of(meeting: Meeting) -> list[Briefing]:
    """The meeting's 通报会 with their 群众评议 survey and its result for the 班子. Two queries."""
    from stages.models import SurveyResult

    briefings = list(meeting.briefings.select_related("survey").order_by("held_on", "pk"))
    results = (
        {
            r.survey_id: r
            for r in SurveyResult.objects.filter(
                survey_id__in=[b.survey_id for b in briefings if b.survey_id], unit_id=meeting.unit_id
            ).select_related("remediation")
        }
        if any(b.survey_id for b in briefings)
        else {}
    )
    for briefing in briefings:
        briefing.survey_result = results.get(briefing.survey_id or 0)  # type: ignore[attr-defined]
    return briefings


def briefing_survey_candidates(user: Any, unit: Unit) -> list[Any]:
    """群众评议 surveys of this 班子 the user sees that no 通报会 uses yet (to link one). One query."""
    from stages.choices import SurveyPurpose
    from stages.selectors import surveys_visible_to

    return list(
        surveys_visible_to(user)
        .filter(purpose=SurveyPurpose.MEETING, targets__unit=unit, briefings__isnull=True)
        .order_by("-opens_at", "-pk")[:20]
    )


def filing_office_area(unit: Unit) -> Unit | None:
    """The 党委 whose 活动办 files the unit's 专题报告 (and audits its plan): 市委 for a 县委."""
    return territorial_ancestor(unit, supervising_level(unit))


def is_filing_office(user: Any, unit: Unit) -> bool:
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    area = filing_office_area(unit)
    return area is not None and scope.reaches(area.path, roles=[Role.OFFICE])

"""Writes on the 专题民主生活会 / 组织生活会 and what follows it ([002] 六–九, [000] (二)4–5).

The plan goes through the review-chain engine (``SubjectKind.MEETING_PLAN``: the 督导组, then the
活动办 of the level above). ``meeting_hold`` refuses, naming each missing piece, unless the talks
cover the "四必谈", every required 对照检查材料 is approved and the plan is approved; a meeting
lasts at least a day and a half for a 市/县 党委 and a day for the others. The 督导组 evaluates it
and may order it re-held: the first meeting stays, a new one (``previous``) starts from the plan.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from campaign import clock
from campaign.models import Campaign
from campaign.services import check_version, save_validated
from materials import review as engine
from materials.chains import area_title
from materials.choices import SubjectKind
from materials.meeting_choices import (
    HELD_STATUSES,
    AttendeeCapacity,
    BriefingStatus,
    EventAction,
    EventSubject,
    HalfDay,
    MeetingKind,
    MeetingRating,
    MeetingStatus,
    MemberAppraisal,
    ReportStatus,
)
from materials.meeting_models import (
    Briefing,
    Meeting,
    MeetingAttendee,
    MeetingCriticism,
    MeetingReport,
    MeetingStatement,
    PartyMemberAppraisal,
)
from materials.meeting_selectors import (
    days_label,
    filing_office_area,
    half_days,
    is_filing_office,
    meeting_preconditions,
    meetings_visible_to,
    minimum_half_days,
    refusals,
    report_due,
    satisfied_enough,
)
from materials.models import Review, ReviewStep
from materials.talk_selectors import (
    is_body_member,
    is_supervising,
    meeting_kind_for,
    supervising_group_ids,
)
from materials.talk_services import MAX_TEXT, record_event
from stages import services as survey_engine
from stages.choices import SurveyPurpose, SurveyStatus
from stages.models import Survey, SurveyResult, SurveyTarget
from units.access import require, scope_for
from units.choices import LEADERSHIP_ROLES, PostRole
from units.models import ContactPoint, OrgMembership, Person, Post, Unit


def _event(actor: Any, meeting: Meeting, action: str, before: str = "", note: str = "") -> None:
    record_event(
        actor=actor,
        unit_id=meeting.unit_id,
        unit_path=meeting.unit_path,
        subject=EventSubject.MEETING,
        subject_id=meeting.pk,
        action=action,
        from_state=before,
        to_state=meeting.status,
        note=note,
    )


def _require_writer(actor: Any, unit: Unit) -> None:
    require(is_body_member(actor, unit), _("只有本单位班子成员可以办理。"))


def _lock(meeting: Meeting, version: int | None) -> Meeting:
    found = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign", "review")
        .get(pk=meeting.pk)
    )
    check_version(found, version)
    return found


def _text(value: str | None, field: str, label: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("%(label)s不能超过%(n)d字。") % {"label": label, "n": MAX_TEXT}})
    return value


@dataclass(frozen=True)
class Span:
    """A meeting's days, by half-days: from the morning or afternoon of ``start`` to that of ``end``."""

    start: datetime.date
    start_half: str
    end: datetime.date
    end_half: str

    @property
    def halves(self) -> int:
        return half_days(self.start, self.start_half, self.end, self.end_half)

    def problems(self, unit: Unit, kind: str, prefix: str) -> list[str]:
        if (self.end, self.end_half == HalfDay.PM) < (self.start, self.start_half == HalfDay.PM):
            return [_("结束时间不能早于开始时间。")]
        needed = minimum_half_days(unit, kind)
        if self.halves < needed:
            return [
                _("%(prefix)s只安排了%(has)s，%(who)s专题民主生活会的时间不少于%(need)s。")
                % {
                    "prefix": prefix,
                    "has": days_label(self.halves),
                    "who": _("市、县（区）党委领导班子")
                    if needed == 3
                    else _("%(unit)s领导班子") % {"unit": unit.name},
                    "need": days_label(needed),
                }
            ]
        return []


# --- the meeting and its plan --------------------------------------------------------------


@transaction.atomic
def meeting_start(*, actor: Any, campaign: Campaign, unit: Unit) -> Meeting:
    """Open the unit's meeting (or return the current one): 专题民主生活会, or 组织生活会 for a
    grassroots organisation."""
    _require_writer(actor, unit)
    kind = meeting_kind_for(unit)
    if kind is None:
        raise ValidationError(
            _("“%(unit)s”属第一批活动单位，本批次不召开专题民主生活会。") % {"unit": unit.name}
        )
    current = Meeting.objects.filter(campaign=campaign, unit=unit).order_by("-number").first()
    if current is not None:
        return current
    meeting = Meeting(campaign=campaign, unit=unit, unit_path=unit.path, kind=kind)
    save_validated(meeting, actor=actor)
    _event(actor, meeting, EventAction.START)
    return meeting


@transaction.atomic
def meeting_plan_save(
    *,
    actor: Any,
    meeting: Meeting,
    version: int | None,
    planned_start: datetime.date | None,
    planned_start_half: str,
    planned_end: datetime.date | None,
    planned_end_half: str,
    location: str,
    procedure: str,
) -> Meeting:
    """The 方案: 时间安排、程序要求 [002] 六. Editable until submitted, and again after a return."""
    meeting = _lock(meeting, None)
    _require_writer(actor, meeting.unit)
    check_version(meeting, version)
    if not meeting.plan_editable:
        raise ValidationError(_("会议方案在审核中或已审核通过，不能修改。"))
    if planned_start and planned_end:
        problems = Span(planned_start, planned_start_half, planned_end, planned_end_half).problems(
            meeting.unit, meeting.kind, _("方案")
        )
        if problems:
            raise ValidationError({"planned_end": problems})
    meeting.planned_start, meeting.planned_start_half = planned_start, planned_start_half
    meeting.planned_end, meeting.planned_end_half = planned_end, planned_end_half
    meeting.location = _text(location, "location", _("地点"))[:100]
    meeting.procedure = _text(procedure, "procedure", _("程序要求"))
    save_validated(
        meeting,
        actor=actor,
        update_fields=[
            "planned_start",
            "planned_start_half",
            "planned_end",
            "planned_end_half",
            "location",
            "procedure",
        ],
    )
    return meeting


@transaction.atomic
def meeting_plan_submit(*, actor: Any, meeting: Meeting, version: int | None) -> Meeting:
    """Send the plan to the 督导组 then the 活动办 (again after a return)."""
    meeting = _lock(meeting, None)
    _require_writer(actor, meeting.unit)
    check_version(meeting, version)
    if meeting.kind != MeetingKind.DEMOCRATIC_LIFE:
        raise ValidationError(_("组织生活会方案无需报督导组和活动办审核。"))
    if not meeting.plan_editable:
        raise ValidationError(_("会议方案在审核中或已审核通过，不能重复提交。"))
    errors = []
    if not (meeting.planned_start and meeting.planned_end):
        errors.append(_("请在方案中填写会议的起止日期。"))
    else:
        errors += Span(
            meeting.planned_start, meeting.planned_start_half, meeting.planned_end, meeting.planned_end_half
        ).problems(meeting.unit, meeting.kind, _("方案"))
    if not meeting.procedure:
        errors.append(_("请在方案中写明程序要求。"))
    if errors:
        raise ValidationError(errors)
    person = Person.objects.get(pk=scope_for(actor).person_id or 0)
    before = meeting.status
    meeting.status = MeetingStatus.PLAN_IN_REVIEW
    save_validated(meeting, actor=actor, update_fields=["status"])
    _event(actor, meeting, EventAction.SUBMIT, before)
    review = engine.review_submit(
        actor=actor,
        review=meeting.review,
        subject_kind=SubjectKind.MEETING_PLAN,
        subject_id=meeting.pk,
        campaign_id=meeting.campaign_id,
        unit=meeting.unit,
        author=person,
        is_body=True,
        variant=meeting.kind,
        title=_("%(meeting)s方案") % {"meeting": meeting},
        subject_version=None,
    )
    meeting.refresh_from_db(fields=["status", "version"])
    meeting.review = review
    save_validated(meeting, actor=actor, update_fields=["review"])
    return meeting


@transaction.atomic
def meeting_plan_decide(
    *, actor: Any, meeting: Meeting, step: ReviewStep, action: str, opinion: str, review_version: int | None
) -> ReviewStep:
    """The 督导组 or the 活动办 acts on the plan at its step (通过 / 退回修改 / 退回重写)."""
    if meeting.review_id is None or step.review_id != meeting.review_id:
        raise ValidationError(_("该审核环节不属于这份会议方案。"))
    engine.require_reviewer(actor, step)
    return engine.review_step_act(
        actor=actor, step=step, decision=engine.Decision(action, opinion), review_version=review_version
    )


class MeetingPlanHandler:
    """What the review engine does to a meeting when its plan's review moves."""

    def visible(self, user: Any, subject_id: int) -> bool:
        return meetings_visible_to(user).filter(pk=subject_id).exists()

    def grant_read(self, review: Review, users: list[Any]) -> None:
        """Reviewers read it through ``meetings_visible_to`` (they are its reviewers)."""

    def after_returned(self, review: Review, action: str, actor: Any) -> None:
        self._move(review, actor, MeetingStatus.PLAN_RETURNED, EventAction.RETURNED)

    def after_approved(self, review: Review, actor: Any) -> None:
        self._move(review, actor, MeetingStatus.PLAN_APPROVED, EventAction.APPROVED)

    def url(self, subject_id: int) -> str:
        return reverse("materials:meeting", args=[subject_id])

    def _move(self, review: Review, actor: Any, status: str, action: str) -> None:
        meeting = Meeting.objects.select_for_update().get(pk=review.subject_id)
        before = meeting.status
        meeting.status = status
        save_validated(meeting, actor=actor, update_fields=["status"])
        _event(actor, meeting, action, before)


engine.register_subject(SubjectKind.MEETING_PLAN, MeetingPlanHandler())


# --- holding it ------------------------------------------------------------------------------


@transaction.atomic
def meeting_hold(
    *,
    actor: Any,
    meeting: Meeting,
    version: int | None,
    held_start: datetime.date,
    held_start_half: str,
    held_end: datetime.date,
    held_end_half: str,
) -> Meeting:
    """Register the meeting as held. Refused — naming every missing piece — unless the talks cover
    the "四必谈", every required 对照检查材料 is approved and the plan is approved, and unless the
    meeting lasted long enough ("准备工作不充分…不能开会" [002] 六)."""
    meeting = _lock(meeting, None)
    unit = meeting.unit
    _require_writer(actor, unit)
    check_version(meeting, version)
    allowed_from = (
        {MeetingStatus.PLAN_APPROVED}
        if meeting.kind == MeetingKind.DEMOCRATIC_LIFE
        else {MeetingStatus.PLANNING, MeetingStatus.PLAN_APPROVED}
    )
    if meeting.status in HELD_STATUSES or meeting.status == MeetingStatus.REHOLD_ORDERED:
        raise ValidationError(_("这次会议已经登记召开。"))
    problems = refusals(meeting_preconditions(meeting))
    if meeting.status not in allowed_from and not problems:
        problems.append(_("会议方案尚未审核通过。"))
    span = Span(held_start, held_start_half, held_end, held_end_half)
    problems += span.problems(unit, meeting.kind, _("会议"))
    if held_end > clock.today():
        problems.append(_("会议尚未结束：结束日期不能晚于今天。"))
    if problems:
        raise ValidationError(problems)
    before = meeting.status
    meeting.held_start, meeting.held_start_half = held_start, held_start_half
    meeting.held_end, meeting.held_end_half = held_end, held_end_half
    meeting.status = MeetingStatus.HELD
    save_validated(
        meeting,
        actor=actor,
        update_fields=["held_start", "held_start_half", "held_end", "held_end_half", "status"],
    )
    _seat_attendees(actor, meeting)
    if meeting.kind == MeetingKind.DEMOCRATIC_LIFE:
        report = MeetingReport(
            campaign=meeting.campaign,
            meeting=meeting,
            unit=unit,
            unit_path=unit.path,
            due_date=report_due(held_end),
        )
        save_validated(report, actor=actor)
    _event(
        actor,
        meeting,
        EventAction.HOLD,
        before,
        note=_("%(start)s至%(end)s，%(days)s")
        % {"start": held_start, "end": held_end, "days": days_label(span.halves)},
    )
    return meeting


def _seat_attendees(actor: Any, meeting: Meeting) -> None:
    """Start the record with the members, the 联系点 leaders and the 督导组; each member's statement."""
    unit = meeting.unit
    members: dict[int, Person] = {}
    for post in (
        Post.objects.active(clock.today())
        .filter(unit=unit, role__in=LEADERSHIP_ROLES)
        .select_related("person")
        .order_by("sort_order", "pk")
    ):
        members.setdefault(post.person_id, post.person)
    seats: dict[int, tuple[Person, str]] = {pk: (p, AttendeeCapacity.MEMBER) for pk, p in members.items()}
    for point in ContactPoint.objects.filter(campaign=meeting.campaign, unit=unit).select_related("person"):
        seats.setdefault(point.person_id, (point.person, AttendeeCapacity.CONTACT_LEADER))
    if meeting.kind == MeetingKind.DEMOCRATIC_LIFE:
        group_ids = supervising_group_ids([unit])[unit.pk]
        for seat in (
            OrgMembership.objects.active(clock.today())
            .filter(organization_id__in=group_ids)
            .select_related("person")
            .order_by("role", "person__name")
        ):
            seats.setdefault(seat.person_id, (seat.person, AttendeeCapacity.SUPERVISOR))
    bulk_create_with_history(
        [MeetingAttendee(meeting=meeting, person=p, capacity=c) for p, c in seats.values()],
        MeetingAttendee,
        default_user=actor,
    )
    bulk_create_with_history(
        [MeetingStatement(meeting=meeting, person=p) for p in members.values()],
        MeetingStatement,
        default_user=actor,
    )


def _lock_held(meeting: Meeting, actor: Any) -> Meeting:
    meeting = _lock(meeting, None)
    _require_writer(actor, meeting.unit)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            _("会议记录只能在会议登记召开后、督导组评价前填写（当前：%(state)s）。")
            % {"state": meeting.get_status_display()}
        )
    return meeting


AGENDA_FIELDS = [
    "agenda_requirements",
    "agenda_body_inspection",
    "agenda_member_inspection",
    "agenda_supervisor_comment",
    "agenda_summary",
]


@transaction.atomic
def meeting_record_save(
    *, actor: Any, meeting: Meeting, version: int | None, agenda: dict[str, str]
) -> Meeting:
    """The five agenda items of [002] 六, in summary."""
    meeting = _lock_held(meeting, actor)
    check_version(meeting, version)
    for name in AGENDA_FIELDS:
        setattr(
            meeting,
            name,
            _text(
                agenda.get(name, ""), name, str(getattr(Meeting._meta.get_field(name), "verbose_name", name))
            ),
        )
    save_validated(meeting, actor=actor, update_fields=AGENDA_FIELDS)
    return meeting


@transaction.atomic
def meeting_attendee_set(
    *,
    actor: Any,
    meeting: Meeting,
    person: Person,
    capacity: str,
    present: bool = True,
    as_ordinary_member: bool = False,
    note: str = "",
) -> MeetingAttendee:
    """Add someone to the attendance (an upper-level leader, a party member…) or correct his entry."""
    meeting = _lock_held(meeting, actor)
    if capacity not in AttendeeCapacity.values:
        raise ValidationError({"capacity": _("请选择参会身份。")})
    if as_ordinary_member and meeting.kind != MeetingKind.ORGANIZATIONAL_LIFE:
        raise ValidationError(_("“以普通党员身份参加”只适用于支部的组织生活会。"))
    attendee = MeetingAttendee.objects.filter(meeting=meeting, person=person).first()
    if attendee is None:
        attendee = MeetingAttendee(meeting=meeting, person=person)
    attendee.capacity, attendee.present = capacity, present
    attendee.as_ordinary_member, attendee.note = as_ordinary_member, (note or "").strip()[:200]
    save_validated(attendee, actor=actor)
    return attendee


@transaction.atomic
def meeting_statement_save(
    *, actor: Any, meeting: Meeting, person: Person, self_criticism: str
) -> MeetingStatement:
    """A member's 对照检查发言: his self-criticism in summary."""
    meeting = _lock_held(meeting, actor)
    if not MeetingAttendee.objects.filter(meeting=meeting, person=person).exists():
        raise ValidationError(_("%(name)s不在参会名单中。") % {"name": person.name})
    statement = MeetingStatement.objects.filter(meeting=meeting, person=person).first() or MeetingStatement(
        meeting=meeting, person=person
    )
    statement.self_criticism = _text(self_criticism, "self_criticism", _("自我批评"), required=True)
    save_validated(statement, actor=actor)
    return statement


@transaction.atomic
def meeting_criticism_add(
    *, actor: Any, meeting: Meeting, target: Person, critic: Person, content: str
) -> MeetingCriticism:
    """A criticism made at the meeting: who criticised whom, and what. It becomes a source that
    rectification must answer."""
    meeting = _lock_held(meeting, actor)
    present = {
        a.person_id: a for a in MeetingAttendee.objects.filter(meeting=meeting, person__in=[target, critic])
    }
    if target.pk not in present:
        raise ValidationError({"target": _("%(name)s不在参会名单中。") % {"name": target.name}})
    if critic.pk not in present:
        raise ValidationError({"critic": _("%(name)s不在参会名单中。") % {"name": critic.name}})
    if target.pk == critic.pk:
        raise ValidationError({"critic": _("自我批评请登记在本人的对照检查发言中。")})
    criticism = MeetingCriticism(
        meeting=meeting,
        unit_id=meeting.unit_id,
        unit_path=meeting.unit_path,
        target=target,
        critic=critic,
        content=_text(content, "content", _("批评意见"), required=True),
    )
    save_validated(criticism, actor=actor)
    return criticism


@transaction.atomic
def meeting_criticism_withdraw(*, actor: Any, criticism: MeetingCriticism, reason: str) -> MeetingCriticism:
    """A mistaken entry is withdrawn, never deleted; the history says why."""
    meeting = _lock_held(criticism.meeting, actor)
    criticism = MeetingCriticism.objects.select_for_update().get(pk=criticism.pk, meeting=meeting)
    reason = _text(reason, "reason", _("撤回原因"), required=True)
    criticism.is_active = False
    save_validated(criticism, actor=actor, update_fields=["is_active"])
    _event(actor, meeting, EventAction.WITHDRAW, meeting.status, note=f"{criticism}：{reason}")
    return criticism


@transaction.atomic
def meeting_appraisals_save(
    *, actor: Any, meeting: Meeting, appraisals: dict[int, str]
) -> list[PartyMemberAppraisal]:
    """民主评议党员 at a 组织生活会: each attending party member rated 优秀/合格/基本合格/不合格."""
    meeting = _lock_held(meeting, actor)
    if meeting.kind != MeetingKind.ORGANIZATIONAL_LIFE:
        raise ValidationError(_("民主评议党员在基层党组织的组织生活会上进行。"))
    attendees = {
        a.person_id: a for a in MeetingAttendee.objects.filter(meeting=meeting).select_related("person")
    }
    existing = {a.person_id: a for a in PartyMemberAppraisal.objects.filter(meeting=meeting)}
    saved = []
    for person_id, value in appraisals.items():
        if not value:
            continue
        if value not in MemberAppraisal.values:
            raise ValidationError(_("评议等次只能是优秀、合格、基本合格或不合格。"))
        if person_id not in attendees:
            raise ValidationError(_("只能评议参会的党员。"))
        row = existing.get(person_id) or PartyMemberAppraisal(
            meeting=meeting, person=attendees[person_id].person
        )
        if row.pk is None or row.appraisal != value:
            row.appraisal = value
            save_validated(row, actor=actor)
        saved.append(row)
    return saved


# --- the 督导组's evaluation and an order to re-hold -----------------------------------------------


def _require_supervisor(actor: Any, meeting: Meeting) -> None:
    require(is_supervising(actor, meeting.unit), _("只有督导本单位的督导组成员可以办理。"))


@transaction.atomic
def meeting_evaluate(
    *, actor: Any, meeting: Meeting, version: int | None, rating: str, evaluation: str
) -> Meeting:
    """The 督导组 rates the meeting and writes its evaluation, fed back to the secretary [002] 七."""
    meeting = _lock(meeting, None)
    _require_supervisor(actor, meeting)
    check_version(meeting, version)
    if meeting.kind != MeetingKind.DEMOCRATIC_LIFE:
        raise ValidationError(_("督导组评价适用于专题民主生活会。"))
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("只能评价已召开、尚未评价的会议。"))
    if rating not in MeetingRating.values:
        raise ValidationError({"rating": _("请选择评价等次。")})
    secretary = (
        Post.objects.active(clock.today())
        .filter(unit=meeting.unit, role=PostRole.PRINCIPAL)
        .select_related("person")
        .first()
    )
    before = meeting.status
    meeting.rating = rating
    meeting.evaluation = _text(evaluation, "evaluation", _("评价意见"), required=True)
    meeting.evaluated_by, meeting.evaluated_at = actor, clock.now()
    meeting.evaluation_sent_to = secretary.person if secretary else None
    meeting.status = MeetingStatus.EVALUATED
    save_validated(
        meeting,
        actor=actor,
        update_fields=[
            "rating",
            "evaluation",
            "evaluated_by",
            "evaluated_at",
            "evaluation_sent_to",
            "status",
        ],
    )
    _event(
        actor,
        meeting,
        EventAction.EVALUATE,
        before,
        note=_("评价等次：%(rating)s；已反馈%(who)s")
        % {
            "rating": meeting.get_rating_display(),
            "who": secretary.person.name if secretary else _("（本单位暂无主要负责同志）"),
        },
    )
    return meeting


@transaction.atomic
def meeting_order_rehold(*, actor: Any, meeting: Meeting, version: int | None, reason: str) -> Meeting:
    """ "相互评功摆好走过场的，要责令重开" [002] 六: the meeting stays in the record, ordered re-held,
    and a new meeting starts from its plan again. Returns the new meeting."""
    meeting = _lock(meeting, None)
    _require_supervisor(actor, meeting)
    check_version(meeting, version)
    if meeting.kind != MeetingKind.DEMOCRATIC_LIFE:
        raise ValidationError(_("责令重开适用于专题民主生活会。"))
    if meeting.status not in HELD_STATUSES:
        raise ValidationError(_("只能对已召开的会议责令重开。"))
    before = meeting.status
    meeting.rehold_reason = _text(reason, "reason", _("责令重开的理由"), required=True)
    meeting.status = MeetingStatus.REHOLD_ORDERED
    save_validated(meeting, actor=actor, update_fields=["rehold_reason", "status"])
    _event(actor, meeting, EventAction.REHOLD, before, note=meeting.rehold_reason)
    report = MeetingReport.objects.select_for_update().filter(meeting=meeting).first()
    if report is not None and report.status != ReportStatus.FILED:
        report_before = report.status
        report.status = ReportStatus.SUPERSEDED
        save_validated(report, actor=actor, update_fields=["status"])
        _report_event(actor, report, EventAction.SUPERSEDE, report_before)
    again = Meeting(
        campaign=meeting.campaign,
        unit=meeting.unit,
        unit_path=meeting.unit_path,
        kind=meeting.kind,
        number=meeting.number + 1,
        previous=meeting,
        location=meeting.location,
        procedure=meeting.procedure,
    )
    save_validated(again, actor=actor)
    _event(
        actor,
        again,
        EventAction.START,
        note=_("督导组责令重开：%(reason)s") % {"reason": meeting.rehold_reason},
    )
    return again


# --- 情况通报会 and 群众评议 ------------------------------------------------------------------------


@transaction.atomic
def briefing_record(*, actor: Any, meeting: Meeting, held_on: datetime.date, content: str) -> Briefing:
    """情况通报暨群众评议会 after the meeting [002] 八: what was reported. The 评议 result follows."""
    meeting = _lock(meeting, None)
    _require_writer(actor, meeting.unit)
    if meeting.kind != MeetingKind.DEMOCRATIC_LIFE or meeting.status not in HELD_STATUSES:
        raise ValidationError(_("专题民主生活会召开后才能召开情况通报会。"))
    if meeting.held_end and held_on < meeting.held_end:
        raise ValidationError({"held_on": _("通报会应在民主生活会之后召开。")})
    if held_on > clock.today():
        raise ValidationError({"held_on": _("通报会日期不能晚于今天。")})
    if Briefing.objects.filter(
        meeting=meeting, status__in=[BriefingStatus.HELD, BriefingStatus.PASSED]
    ).exists():
        raise ValidationError(_("已登记通报会；只有群众评议要求返工补课后才需要再次通报。"))
    briefing = Briefing(
        campaign=meeting.campaign,
        meeting=meeting,
        unit_id=meeting.unit_id,
        unit_path=meeting.unit_path,
        held_on=held_on,
        content=_text(content, "content", _("通报内容"), required=True),
    )
    save_validated(briefing, actor=actor)
    record_event(
        actor=actor,
        unit_id=briefing.unit_id,
        unit_path=briefing.unit_path,
        subject=EventSubject.BRIEFING,
        subject_id=briefing.pk,
        action=EventAction.RECORD,
        to_state=briefing.status,
    )
    return briefing


@transaction.atomic
def briefing_record_result(
    *,
    actor: Any,
    briefing: Briefing,
    version: int | None,
    respondents: int,
    satisfied: int,
) -> Briefing:
    """The 群众评议 result entered from the tallied paper 评议表 (a briefing evaluated on the
    survey engine takes it from its survey instead). Below 2/3 satisfied → 返工补课 [002] 八."""
    briefing = _lock_briefing(briefing)
    require(
        is_body_member(actor, briefing.unit) or is_filing_office(actor, briefing.unit),
        _("只有本单位班子成员或上级活动办可以录入群众评议结果。"),
    )
    check_version(briefing, version)
    if briefing.status != BriefingStatus.HELD:
        raise ValidationError(_("这次通报会的群众评议结果已经录入。"))
    if briefing.survey_id is not None:
        raise ValidationError(_("这次通报会的群众评议通过满意度测评进行，测评结束时自动汇总结果。"))
    if respondents <= 0:
        raise ValidationError({"respondents": _("参评人数必须大于0。")})
    if satisfied < 0 or satisfied > respondents:
        raise ValidationError({"satisfied": _("满意和基本满意人数应在0到参评人数之间。")})
    _briefing_result(
        briefing,
        actor,
        respondents=respondents,
        satisfied=satisfied,
        passed=satisfied_enough(satisfied, respondents),
    )
    return briefing


def _lock_briefing(briefing: Briefing) -> Briefing:
    return Briefing.objects.select_for_update(of=("self",)).select_related("unit").get(pk=briefing.pk)


def _briefing_result(
    briefing: Briefing, actor: Any, *, respondents: int, satisfied: int, passed: bool, note: str = ""
) -> None:
    before = briefing.status
    briefing.respondents, briefing.satisfied = respondents, satisfied
    briefing.status = BriefingStatus.PASSED if passed else BriefingStatus.REWORK
    save_validated(briefing, actor=actor, update_fields=["respondents", "satisfied", "status"])
    record_event(
        actor=actor,
        unit_id=briefing.unit_id,
        unit_path=briefing.unit_path,
        subject=EventSubject.BRIEFING,
        subject_id=briefing.pk,
        action=EventAction.RESULT,
        from_state=before,
        to_state=briefing.status,
        note=_("满意率 %(rate).1f%%（%(s)d/%(n)d）")
        % {"rate": satisfied * 100 / respondents, "s": satisfied, "n": respondents}
        + (f"；{note}" if note else ""),
    )


def _require_survey_office(actor: Any, briefing: Briefing) -> None:
    require(
        scope_for(actor).can_manage(briefing.unit_path),
        _("只有活动办可以为通报会建立或关联群众评议测评。"),
    )


def _check_linkable(briefing: Briefing) -> None:
    if briefing.status != BriefingStatus.HELD:
        raise ValidationError(_("这次通报会的群众评议结果已经得出，不能再关联测评。"))
    current = briefing.survey
    if current is not None and not (
        current.status == SurveyStatus.CLOSED and not _survey_answered(current, briefing)
    ):
        raise ValidationError(_("这次通报会已关联群众评议测评“%(t)s”。") % {"t": current.title})


def _survey_answered(survey: Survey, briefing: Briefing) -> bool:
    return SurveyResult.objects.filter(survey=survey, unit_id=briefing.unit_id, answered__gt=0).exists()


def _link_survey(briefing: Briefing, survey: Survey, actor: Any) -> None:
    briefing.survey = survey
    save_validated(briefing, actor=actor, update_fields=["survey"])
    record_event(
        actor=actor,
        unit_id=briefing.unit_id,
        unit_path=briefing.unit_path,
        subject=EventSubject.BRIEFING,
        subject_id=briefing.pk,
        action=EventAction.UPDATE,
        from_state=briefing.status,
        to_state=briefing.status,
        note=_("群众评议采用满意度测评“%(t)s”") % {"t": survey.title},
    )


@transaction.atomic
def briefing_survey_create(
    *,
    actor: Any,
    briefing: Briefing,
    version: int | None,
    mode: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
) -> Survey:
    """The 群众评议 of a 通报会 on the survey engine: a MEETING survey of the 班子 (a draft the
    office then opens, with slips or a public link). Its result comes back when it closes."""
    briefing = _lock_briefing(briefing)
    _require_survey_office(actor, briefing)
    check_version(briefing, version)
    _check_linkable(briefing)
    survey = survey_engine.survey_create(
        actor=actor,
        unit=briefing.unit,
        title=_("%(unit)s专题民主生活会情况通报暨群众评议") % {"unit": briefing.unit.name},
        purpose=SurveyPurpose.MEETING,
        subject=_("%(day)s 情况通报会") % {"day": f"{briefing.held_on:%Y-%m-%d}"},
        mode=mode,
        opens_at=opens_at,
        closes_at=closes_at,
        targets=[briefing.unit],
    )
    _link_survey(briefing, survey, actor)
    return survey


@transaction.atomic
def briefing_survey_link(*, actor: Any, briefing: Briefing, version: int | None, survey: Survey) -> Briefing:
    """Take an existing 群众评议 survey of the 班子 for this 通报会 (one already closed gives its
    result at once)."""
    briefing = _lock_briefing(briefing)
    _require_survey_office(actor, briefing)
    check_version(briefing, version)
    _check_linkable(briefing)
    survey = Survey.objects.get(pk=survey.pk)
    require(scope_for(actor).can_manage(survey.unit_path), _("只能关联本级或下级活动办组织的测评。"))
    if survey.purpose != SurveyPurpose.MEETING:
        raise ValidationError({"survey": _("只能关联用途为“群众评议（专题民主生活会后）”的测评。")})
    if not SurveyTarget.objects.filter(survey=survey, unit_id=briefing.unit_id).exists():
        raise ValidationError(
            {"survey": _("该测评的测评对象不包括“%(unit)s”。") % {"unit": briefing.unit.name}}
        )
    if Briefing.objects.filter(survey=survey).exclude(pk=briefing.pk).exists():
        raise ValidationError({"survey": _("该测评已用于另一次通报会。")})
    _link_survey(briefing, survey, actor)
    if survey.status == SurveyStatus.CLOSED:
        _take_survey_result(briefing, survey, actor)
    return briefing


def briefing_take_survey_result(survey: Survey, actor: Any) -> None:
    """Hook of the survey engine (run inside its closing transaction): a 通报会 evaluated by this
    survey takes its result; under the survey's threshold the engine has opened 返工补课."""
    for briefing in Briefing.objects.select_for_update(of=("self",)).filter(
        survey=survey, status=BriefingStatus.HELD
    ):
        _take_survey_result(briefing, survey, actor)


def _take_survey_result(briefing: Briefing, survey: Survey, actor: Any) -> None:
    result = SurveyResult.objects.filter(survey=survey, unit_id=briefing.unit_id).first()
    if result is None or not result.answered:
        return  # nobody answered: the office links or creates another survey
    _briefing_result(
        briefing,
        actor,
        respondents=result.answered,
        satisfied=result.satisfied,
        passed=not result.below_threshold,
        note=_("来自测评“%(t)s”") % {"t": survey.title},
    )


# --- 专题报告 ---------------------------------------------------------------------------------------


def _report_event(actor: Any, report: MeetingReport, action: str, before: str, note: str = "") -> None:
    record_event(
        actor=actor,
        unit_id=report.unit_id,
        unit_path=report.unit_path,
        subject=EventSubject.REPORT,
        subject_id=report.pk,
        action=action,
        from_state=before,
        to_state=report.status,
        note=note,
    )


def _lock_report(report: MeetingReport, version: int | None) -> MeetingReport:
    found = MeetingReport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)
    check_version(found, version)
    return found


@transaction.atomic
def report_save(*, actor: Any, report: MeetingReport, version: int | None, content: str) -> MeetingReport:
    report = _lock_report(report, None)
    _require_writer(actor, report.unit)
    check_version(report, version)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("专题报告已经报送，不能修改。"))
    report.content = _text(content, "content", _("报告内容"))
    save_validated(report, actor=actor, update_fields=["content"])
    return report


@transaction.atomic
def report_submit(*, actor: Any, report: MeetingReport, version: int | None) -> MeetingReport:
    """The unit sends its report to the 督导组. After the due day it is sent, and flagged, late."""
    report = _lock_report(report, None)
    _require_writer(actor, report.unit)
    check_version(report, version)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("专题报告已经报送。"))
    if not report.content.strip():
        raise ValidationError({"content": _("请先撰写报告内容。")})
    before = report.status
    report.status, report.submitted_at = ReportStatus.SUBMITTED, clock.now()
    save_validated(report, actor=actor, update_fields=["status", "submitted_at"])
    _report_event(
        actor,
        report,
        EventAction.SEND,
        before,
        note=_("逾期报送（期限 %(d)s）") % {"d": report.due_date} if report.is_late else "",
    )
    return report


@transaction.atomic
def report_read(*, actor: Any, report: MeetingReport, version: int | None, opinion: str) -> MeetingReport:
    """The 督导组 reads (审阅) the report before it goes to the 活动办."""
    report = _lock_report(report, None)
    require(is_supervising(actor, report.unit), _("只有督导本单位的督导组成员可以审阅专题报告。"))
    check_version(report, version)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只能审阅已报送、尚未审阅的专题报告。"))
    before = report.status
    report.status, report.read_at, report.read_by = ReportStatus.READ, clock.now(), actor
    report.read_opinion = _text(opinion, "opinion", _("审阅意见"))
    save_validated(report, actor=actor, update_fields=["status", "read_at", "read_by", "read_opinion"])
    _report_event(actor, report, EventAction.READ, before, note=report.read_opinion)
    return report


def report_recipients(unit: Unit) -> list[str]:
    """ "同时按程序报市纪委和市委组织部" [002] 九: the 纪委 and 组织部 of the filing level."""
    area = filing_office_area(unit)
    if area is None:
        return []
    return [_("%(area)s纪委") % {"area": area.name}, _("%(title)s组织部") % {"title": area_title(area)}]


@transaction.atomic
def report_file(*, actor: Any, report: MeetingReport, version: int | None) -> MeetingReport:
    """The 活动办 of the level above files the report; the 纪委 and 组织部 are recorded as recipients."""
    report = _lock_report(report, None)
    require(is_filing_office(actor, report.unit), _("只有上级活动办可以对专题报告备案。"))
    check_version(report, version)
    if report.status != ReportStatus.READ:
        raise ValidationError(_("专题报告须经督导组审阅后报活动办备案。"))
    before = report.status
    report.status, report.filed_at, report.filed_by = ReportStatus.FILED, clock.now(), actor
    report.recipients = report_recipients(report.unit)
    save_validated(report, actor=actor, update_fields=["status", "filed_at", "filed_by", "recipients"])
    _report_event(actor, report, EventAction.FILE, before, note="、".join(report.recipients))
    return report

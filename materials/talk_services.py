"""Writes on 谈心谈话 and 拟批评意见 ([002] 三4).

A talk is recorded by one party and confirmed by the other; only confirmed talks count
towards coverage. 拟批评意见 go through the review-chain engine (``SubjectKind.CRITICISM_LIST``):
the 督导组 checks them, the 活动办 audits them, and either may send weak items back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign import clock
from campaign.models import Campaign
from campaign.services import check_version, save_validated
from materials import review as engine
from materials.choices import RETURN_ACTIONS, SubjectKind
from materials.meeting_choices import (
    CriticismListStatus,
    EventAction,
    EventSubject,
    TalkStatus,
    WeakReason,
)
from materials.meeting_models import CriticismList, MeetingEvent, PlannedCriticism, Talk
from materials.models import Review, ReviewStep
from materials.talk_selectors import (
    criticism_lists_visible_to,
    is_body_member,
    may_confirm,
    requires_talks,
    talk_coverage,
)
from units.access import require, scope_for
from units.choices import LEADERSHIP_ROLES
from units.models import Organization, Person, Post, Unit

MAX_TEXT = 5000


def actor_name(user: Any) -> str:
    person = getattr(user, "person", None)
    return person.name if person else (user.get_full_name() or user.username)


def record_event(
    *,
    actor: Any,
    unit_id: int,
    unit_path: str,
    subject: str,
    subject_id: int,
    action: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
) -> MeetingEvent:
    """Append one row to the trail of a stage-two record."""
    return MeetingEvent.objects.create(
        unit_id=unit_id,
        unit_path=unit_path,
        subject=subject,
        subject_id=subject_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=actor_name(actor) if getattr(actor, "is_authenticated", False) else _("系统"),
        note=note,
    )


def _actor_person(actor: Any) -> Person:
    person_id = scope_for(actor).person_id
    if person_id is None:
        raise PermissionDenied(_("您的账号没有关联人员信息，不能登记。"))
    return Person.objects.get(pk=person_id)


# --- 谈心谈话 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TalkPoints:
    """The four points of [002] 三4 that every talk must cover."""

    own_problems: str
    other_problems: str
    body_problems: str
    meeting_points: str

    def cleaned(self) -> TalkPoints:
        values = {k: (v or "").strip() for k, v in self.__dict__.items()}
        labels = {
            "own_problems": _("主动亮明自身存在的突出问题"),
            "other_problems": _("诚恳指出对方存在的问题"),
            "body_problems": _("交换对班子存在问题的看法"),
            "meeting_points": _("准备在会上提出的问题和意见"),
        }
        errors = {}
        for key, value in values.items():
            if not value:
                errors[key] = _("请填写“%(point)s”：谈心谈话至少要谈透这4个方面。") % {"point": labels[key]}
            elif len(value) > MAX_TEXT:
                errors[key] = _("不能超过%(n)d字。") % {"n": MAX_TEXT}
        if errors:
            raise ValidationError(errors)
        return TalkPoints(**values)


def _check_day(campaign: Campaign, held_on: datetime.date) -> None:
    if held_on > clock.today():
        raise ValidationError({"held_on": _("谈话日期不能晚于今天。")})
    if held_on < campaign.start_date:
        raise ValidationError({"held_on": _("谈话日期不能早于活动开始日期。")})


@transaction.atomic
def talk_record(
    *,
    actor: Any,
    campaign: Campaign,
    unit: Unit,
    counterpart: Person,
    group: Organization | None,
    held_on: datetime.date,
    points: TalkPoints,
) -> Talk:
    """Either party records a talk of the unit's "四必谈"; the other side confirms it.

    With ``group`` the talk is the 督导组's with a member: recorded by a group member
    (``counterpart`` is the member) or by the member (``counterpart`` is the group member).
    """
    recorder = _actor_person(actor)
    if not requires_talks(unit):
        raise ValidationError(_("“%(unit)s”不召开专题民主生活会，无需登记“四必谈”。") % {"unit": unit.name})
    coverage = talk_coverage([unit])[unit.pk]
    if group is not None:
        # Seats of the group, if it is one of those that supervise this unit.
        in_group = {m.person_id for m in coverage.group_seats if m.organization_id == group.pk}
        if recorder.pk in in_group:
            party_a, party_b = recorder, counterpart
        else:
            party_a, party_b = counterpart, recorder
        if party_a.pk not in in_group:
            raise ValidationError(
                {"counterpart": _("%(name)s不是督导本单位的督导组成员。") % {"name": party_a.name}}
            )
        requirement = coverage.find(party_b.pk, None, group=True)
    else:
        party_a, party_b = recorder, counterpart
        requirement = coverage.find(party_a.pk, party_b.pk)
    if requirement is None:
        raise ValidationError(
            {
                "counterpart": _("%(a)s与%(b)s的谈话不在“%(unit)s”班子“四必谈”的范围内。")
                % {"a": party_a.name, "b": party_b.name, "unit": unit.name}
            }
        )
    _check_day(campaign, held_on)
    points = points.cleaned()
    talk = Talk(
        campaign=campaign,
        unit=unit,
        unit_path=unit.path,
        held_on=held_on,
        party_a=party_a,
        party_b=party_b,
        group=group,
        recorded_by=recorder,
        own_problems=points.own_problems,
        other_problems=points.other_problems,
        body_problems=points.body_problems,
        meeting_points=points.meeting_points,
    )
    save_validated(talk, actor=actor)
    record_event(
        actor=actor,
        unit_id=unit.pk,
        unit_path=unit.path,
        subject=EventSubject.TALK,
        subject_id=talk.pk,
        action=EventAction.RECORD,
        to_state=TalkStatus.RECORDED,
        note=requirement.kind_label,
    )
    return talk


def _lock_talk(talk: Talk, version: int | None) -> Talk:
    talk = Talk.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=talk.pk)
    check_version(talk, version)
    return talk


@transaction.atomic
def talk_update(
    *, actor: Any, talk: Talk, version: int | None, held_on: datetime.date, points: TalkPoints
) -> Talk:
    """The recorder corrects his record until the other side confirms it."""
    talk = _lock_talk(talk, None)
    require(scope_for(actor).person_id == talk.recorded_by_id, _("只有登记人可以修改谈话记录。"))
    check_version(talk, version)
    if talk.status != TalkStatus.RECORDED:
        raise ValidationError(_("对方已确认的谈话记录不能再修改。"))
    _check_day(talk.campaign, held_on)
    points = points.cleaned()
    talk.held_on = held_on
    for key, value in points.__dict__.items():
        setattr(talk, key, value)
    save_validated(talk, actor=actor, update_fields=["held_on", *points.__dict__])
    record_event(
        actor=actor,
        unit_id=talk.unit_id,
        unit_path=talk.unit_path,
        subject=EventSubject.TALK,
        subject_id=talk.pk,
        action=EventAction.UPDATE,
    )
    return talk


@transaction.atomic
def talk_confirm(*, actor: Any, talk: Talk, version: int | None) -> Talk:
    """The other side confirms the record: from then on the talk counts towards coverage."""
    talk = _lock_talk(talk, None)
    if talk.status != TalkStatus.RECORDED:
        raise ValidationError(_("这次谈话已经确认过了。"))
    require(may_confirm(actor, talk), _("只有谈话的另一方可以确认这条记录。"))
    check_version(talk, version)
    talk.status = TalkStatus.CONFIRMED
    talk.confirmed_by_id = scope_for(actor).person_id
    talk.confirmed_at = clock.now()
    save_validated(talk, actor=actor, update_fields=["status", "confirmed_by", "confirmed_at"])
    record_event(
        actor=actor,
        unit_id=talk.unit_id,
        unit_path=talk.unit_path,
        subject=EventSubject.TALK,
        subject_id=talk.pk,
        action=EventAction.CONFIRM,
        from_state=TalkStatus.RECORDED,
        to_state=TalkStatus.CONFIRMED,
    )
    return talk


# --- 拟批评意见 ---------------------------------------------------------------------------


@transaction.atomic
def criticism_list_start(*, actor: Any, campaign: Campaign, unit: Unit) -> CriticismList:
    """A 班子 member opens his own 拟批评意见 (or gets the one he has)."""
    person = _actor_person(actor)
    require(is_body_member(actor, unit), _("只有本单位班子成员可以列出拟批评意见。"))
    if not requires_talks(unit):
        raise ValidationError(_("“%(unit)s”不召开专题民主生活会，无需列出拟批评意见。") % {"unit": unit.name})
    existing = CriticismList.objects.filter(campaign=campaign, unit=unit, person=person).first()
    if existing is not None:
        return existing
    criticism_list = CriticismList(campaign=campaign, unit=unit, unit_path=unit.path, person=person)
    save_validated(criticism_list, actor=actor)
    record_event(
        actor=actor,
        unit_id=unit.pk,
        unit_path=unit.path,
        subject=EventSubject.CRITICISM_LIST,
        subject_id=criticism_list.pk,
        action=EventAction.START,
        to_state=CriticismListStatus.DRAFT,
    )
    return criticism_list


@dataclass(frozen=True)
class ItemInput:
    """One row of the list as the member edits it: ``pk`` None for a new item."""

    pk: int | None
    target: Person | None
    content: str
    delete: bool = False


def _lock_list(criticism_list: CriticismList, version: int | None) -> CriticismList:
    found = (
        CriticismList.objects.select_for_update(of=("self",))
        .select_related("unit", "review")
        .get(pk=criticism_list.pk)
    )
    check_version(found, version)
    return found


@transaction.atomic
def criticism_list_save(
    *, actor: Any, criticism_list: CriticismList, items: list[ItemInput], version: int | None
) -> CriticismList:
    """The member writes his items: to whom (a colleague, or the 班子 as a whole) and what.
    Removed items are kept, inactive."""
    criticism_list = _lock_list(criticism_list, None)
    require(scope_for(actor).person_id == criticism_list.person_id, _("拟批评意见须由本人列出。"))
    check_version(criticism_list, version)
    if not criticism_list.editable:
        raise ValidationError(_("拟批评意见在审核中或已审核通过，不能修改。"))
    colleagues = set(
        Post.objects.active(clock.today())
        .filter(unit_id=criticism_list.unit_id, role__in=LEADERSHIP_ROLES)
        .exclude(person_id=criticism_list.person_id)
        .values_list("person_id", flat=True)
    )
    existing = {i.pk: i for i in criticism_list.items.select_for_update()}
    order = 0
    for row in items:
        item = existing.get(row.pk) if row.pk else None
        if row.pk and item is None:
            raise ValidationError(_("条目不属于这份拟批评意见，请刷新页面后重试。"))
        if row.delete:
            if item is not None and item.is_active:
                item.is_active = False
                save_validated(item, actor=actor, update_fields=["is_active"])
            continue
        content = (row.content or "").strip()
        if not content:
            continue
        if len(content) > MAX_TEXT:
            raise ValidationError(_("每条意见不能超过%(n)d字。") % {"n": MAX_TEXT})
        if row.target is not None and row.target.pk not in colleagues:
            raise ValidationError(
                _("%(name)s不是本班子的其他成员，不能作为批评对象。") % {"name": row.target.name}
            )
        order += 1
        if item is None:
            item = PlannedCriticism(
                criticism_list=criticism_list, order=order, target=row.target, content=content
            )
            save_validated(item, actor=actor)
        elif (item.order, item.target_id, item.content, item.is_active) != (
            order,
            row.target.pk if row.target else None,
            content,
            True,
        ):
            item.order, item.target, item.content, item.is_active = order, row.target, content, True
            save_validated(item, actor=actor, update_fields=["order", "target", "content", "is_active"])
    save_validated(criticism_list, actor=actor, update_fields=[])
    return criticism_list


@transaction.atomic
def criticism_list_submit(*, actor: Any, criticism_list: CriticismList, version: int | None) -> CriticismList:
    """Send the list to the 督导组 (and then the 活动办); after a return, send the revised list back."""
    criticism_list = _lock_list(criticism_list, None)
    require(scope_for(actor).person_id == criticism_list.person_id, _("拟批评意见须由本人提交。"))
    check_version(criticism_list, version)
    if not criticism_list.editable:
        raise ValidationError(_("拟批评意见在审核中或已审核通过，不能重复提交。"))
    items = list(criticism_list.items.filter(is_active=True).select_for_update())
    if not items:
        raise ValidationError(_("请至少列出一条拟批评意见。"))
    for item in items:  # a resubmitted list is judged afresh
        if item.weak_reason or item.weak_note:
            item.weak_reason, item.weak_note = "", ""
            save_validated(item, actor=actor, update_fields=["weak_reason", "weak_note"])
    previous = criticism_list.status
    criticism_list.status = CriticismListStatus.IN_REVIEW
    save_validated(criticism_list, actor=actor, update_fields=["status"])
    record_event(
        actor=actor,
        unit_id=criticism_list.unit_id,
        unit_path=criticism_list.unit_path,
        subject=EventSubject.CRITICISM_LIST,
        subject_id=criticism_list.pk,
        action=EventAction.SUBMIT,
        from_state=previous,
        to_state=CriticismListStatus.IN_REVIEW,
    )
    review = engine.review_submit(
        actor=actor,
        review=criticism_list.review,
        subject_kind=SubjectKind.CRITICISM_LIST,
        subject_id=criticism_list.pk,
        campaign_id=criticism_list.campaign_id,
        unit=criticism_list.unit,
        author=criticism_list.person,
        is_body=False,
        variant="criticism_list",
        title=str(criticism_list),
        subject_version=None,
    )
    criticism_list.refresh_from_db(fields=["status", "version"])
    criticism_list.review = review
    save_validated(criticism_list, actor=actor, update_fields=["review"])
    return criticism_list


@dataclass(frozen=True)
class WeakItem:
    item_id: int
    reason: str
    note: str = ""


@transaction.atomic
def criticism_list_decide(
    *,
    actor: Any,
    criticism_list: CriticismList,
    step: ReviewStep,
    action: str,
    opinion: str,
    weak: list[WeakItem],
    review_version: int | None,
) -> ReviewStep:
    """The 督导组 (把关) or the 活动办 (审核) passes the list, or sends it back naming the weak
    items — "不动真格、没有辣味、当老好人" — so that the member talks again and revises."""
    if criticism_list.review_id is None or step.review_id != criticism_list.review_id:
        raise ValidationError(_("该审核环节不属于这份拟批评意见。"))
    engine.require_reviewer(actor, step)
    returning = action in RETURN_ACTIONS
    if weak and not returning:
        raise ValidationError(_("标出不合格的条目时，请选择“退回修改”。"))
    items = {i.pk: i for i in criticism_list.items.filter(is_active=True).select_for_update()}
    notes = []
    for entry in weak:
        item = items.get(entry.item_id)
        if item is None:
            raise ValidationError(_("条目不属于这份拟批评意见，请刷新页面后重试。"))
        if entry.reason not in WeakReason.values:
            raise ValidationError(_("请选择退回原因。"))
        item.weak_reason, item.weak_note = entry.reason, entry.note.strip()[:300]
        save_validated(item, actor=actor, update_fields=["weak_reason", "weak_note"])
        notes.append(
            _("第%(n)d条：%(reason)s%(note)s")
            % {
                "n": item.order,
                "reason": WeakReason(entry.reason).label,
                "note": f"（{item.weak_note}）" if item.weak_note else "",
            }
        )
    if notes:
        opinion = (opinion or "").strip() + "\n" + _("退回的条目：") + "；".join(notes)
    return engine.review_step_act(
        actor=actor,
        step=step,
        decision=engine.Decision(action, opinion),
        review_version=review_version,
    )


class CriticismListHandler:
    """What the review engine does to a 拟批评意见 when its review moves."""

    def visible(self, user: Any, subject_id: int) -> bool:
        return criticism_lists_visible_to(user).filter(pk=subject_id).exists()

    def grant_read(self, review: Review, users: list[Any]) -> None:
        """Reviewers read it through ``criticism_lists_visible_to`` (they are its reviewers)."""

    def after_returned(self, review: Review, action: str, actor: Any) -> None:
        _set_list_status(review, actor, CriticismListStatus.RETURNED, EventAction.RETURNED)

    def after_approved(self, review: Review, actor: Any) -> None:
        _set_list_status(review, actor, CriticismListStatus.APPROVED, EventAction.APPROVED)

    def url(self, subject_id: int) -> str:
        return reverse("materials:criticism_list", args=[subject_id])


def _set_list_status(review: Review, actor: Any, status: str, action: str) -> None:
    criticism_list = CriticismList.objects.select_for_update().get(pk=review.subject_id)
    previous = criticism_list.status
    criticism_list.status = status
    save_validated(criticism_list, actor=actor, update_fields=["status"])
    record_event(
        actor=actor,
        unit_id=criticism_list.unit_id,
        unit_path=criticism_list.unit_path,
        subject=EventSubject.CRITICISM_LIST,
        subject_id=criticism_list.pk,
        action=action,
        from_state=previous,
        to_state=status,
    )


engine.register_subject(SubjectKind.CRITICISM_LIST, CriticismListHandler())

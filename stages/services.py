"""Writes on stage-1 records: study sessions, opinions and their groups, surveys, 返工补课.

Every function checks the actor's right first, then the rule, then saves with
history attributed to the actor. Transitions lock the row, re-check its state
under the lock and append an event row. Public writes (an opinion from the
public page, a survey answer) record no user at all, whoever is logged in:
an anonymous submitter or respondent must never be identifiable.
"""

from __future__ import annotations

import datetime
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaign import clock
from campaign.audit import acting_as
from campaign.models import Campaign, Job
from campaign.services import check_version, job_create, save_validated
from stages import grouping
from stages.choices import (
    SORTING_STATUSES,
    ClaimKind,
    GroupAction,
    GroupStatus,
    JobKinds,
    OpinionChannel,
    OpinionSource,
    RemediationAction,
    RemediationStatus,
    SurveyAction,
    SurveyMode,
    SurveyPurpose,
    SurveyStatus,
)
from stages.models import (
    Opinion,
    OpinionGroup,
    OpinionGroupEvent,
    Remediation,
    RemediationEvent,
    StudySession,
    Survey,
    SurveyAnswer,
    SurveyEvent,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    SurveyResult,
    SurveyTarget,
    SurveyToken,
)
from stages.rules import can_record_study, is_principal_of, leadership_posts
from stages.selectors import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    campaign_for_unit,
    people_of_unit,
    survey_tally,
    unsorted_opinions,
)
from units.access import require, scope_for
from units.models import Person, Unit

_NOT_OFFICE = _("只有本单位或上级的活动办可以办理此事项。")
# Up to this many loose opinions are sorted while the office waits; more go to the worker.
GROUPING_INLINE_LIMIT = 300
TOKEN_BATCH_LIMIT = 2000


def clean_text(text: Any) -> str:
    """Text as people type it: newlines unified, control and format characters dropped, trimmed."""
    value = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return value.strip()


def one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(clean_text(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _campaign(unit: Unit) -> Campaign:
    campaign = campaign_for_unit(unit)
    if campaign is None:
        raise ValidationError(_("“%(unit)s”不在任何教育实践活动的范围内。") % {"unit": unit})
    return campaign


def _save_without_user(obj: models.Model) -> None:
    """full_clean() and save() with no user on the history row, whoever is logged in."""
    obj._history_user = None  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save()


def _require_office(actor: Any, path: str) -> None:
    require(scope_for(actor).can_manage(path), _NOT_OFFICE)


# --- study sessions ---------------------------------------------------------------------


def _check_session(unit: Unit, held_on: datetime.date, participants: Iterable[Person]) -> list[Person]:
    if held_on > clock.today():
        raise ValidationError({"held_on": _("学习日期不能晚于今天。")})
    people = list(participants)
    allowed = set(people_of_unit(unit, on=held_on).values_list("pk", flat=True))
    outside = [p.name for p in people if p.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                "participants": _("这些人员在学习当天未在“%(unit)s”任职：%(names)s")
                % {"unit": unit, "names": "、".join(outside)}
            }
        )
    return people


@transaction.atomic
def study_session_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    held_on: datetime.date,
    hours: Decimal,
    topic: str,
    material: str = "",
    participants: Iterable[Person] = (),
) -> StudySession:
    """Record a study session of a unit (its 班子 members or the office do this)."""
    require(can_record_study(actor, unit), _("只有本单位班子成员或活动办可以登记学习记录。"))
    people = _check_session(unit, held_on, participants)
    session = StudySession(
        unit=unit,
        unit_path=unit.path,
        campaign=_campaign(unit),
        kind=kind,
        held_on=held_on,
        hours=hours,
        topic=clean_text(topic),
        material=clean_text(material),
        recorded_by=actor,
    )
    save_validated(session, actor=actor)
    with acting_as(actor):
        session.participants.set(people)
    return session


@transaction.atomic
def study_session_update(
    *,
    actor: Any,
    session: StudySession,
    version: int | None,
    kind: str,
    held_on: datetime.date,
    hours: Decimal,
    topic: str,
    material: str = "",
    participants: Iterable[Person] = (),
) -> StudySession:
    session = StudySession.objects.select_for_update().select_related("unit").get(pk=session.pk)
    require(can_record_study(actor, session.unit), _("只有本单位班子成员或活动办可以修改学习记录。"))
    check_version(session, version)
    people = _check_session(session.unit, held_on, participants)
    session.kind, session.held_on, session.hours = kind, held_on, hours
    session.topic, session.material = clean_text(topic), clean_text(material)
    save_validated(session, actor=actor, update_fields=["kind", "held_on", "hours", "topic", "material"])
    with acting_as(actor):
        session.participants.set(people)
    return session


# --- opinions ------------------------------------------------------------------------------------


def new_receipt_code() -> str:
    """A random receipt code (12 characters, no 0/O/1/I), unused so far."""
    while True:
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(RECEIPT_LENGTH))
        if not Opinion.objects.filter(receipt_code=code).exists():
            return code


def _identity(is_anonymous: bool, name: str, contact: str) -> tuple[str, str]:
    if is_anonymous:
        return "", ""
    return clean_text(name), clean_text(contact)


def _check_text(text: str) -> str:
    value = clean_text(text)
    if not value:
        raise ValidationError({"text": _("请填写意见内容。")})
    return value


def _check_about(unit: Unit, person: Person | None) -> None:
    if person is not None and not people_of_unit(unit).filter(pk=person.pk).exists():
        raise ValidationError(
            {"about_person": _("“%(name)s”不在“%(unit)s”任职。") % {"name": person, "unit": unit}}
        )


@transaction.atomic
def opinion_submit_public(
    *,
    unit: Unit,
    category: str,
    text: str,
    is_anonymous: bool,
    submitter_name: str = "",
    submitter_contact: str = "",
) -> Opinion:
    """An opinion from the unit's public page. No account; the receipt code is the submitter's key.

    Nothing about the submitter is kept for an anonymous opinion — no name, no
    contact, no user, no address — and the history row carries no user either.
    """
    if not unit.is_active:
        raise ValidationError(_("该单位已撤销，不再接收意见。"))
    campaign = _campaign(unit)
    body = _check_text(text)
    name, contact = _identity(is_anonymous, submitter_name, submitter_contact)
    if not is_anonymous and not name:
        raise ValidationError({"submitter_name": _("实名提交请填写姓名；不愿留名请选择“匿名（背靠背）”。")})
    opinion = Opinion(
        unit=unit,
        unit_path=unit.path,
        campaign=campaign,
        receipt_code=new_receipt_code(),
        channel=OpinionChannel.ONLINE,
        category=category,
        is_anonymous=is_anonymous,
        submitter_name=name,
        submitter_contact=contact,
        text=body,
        received_on=clock.today(),
        source=OpinionSource.PUBLIC,
        entered_by=None,
    )
    _save_without_user(opinion)
    return opinion


@transaction.atomic
def opinion_create(
    *,
    actor: Any,
    unit: Unit,
    channel: str,
    category: str,
    text: str,
    received_on: datetime.date,
    is_anonymous: bool,
    submitter_name: str = "",
    submitter_contact: str = "",
    about_person: Person | None = None,
) -> Opinion:
    """An opinion gathered offline (座谈会, 走访, 来信, 上级反馈 …), keyed in by the office."""
    require(scope_for(actor).can_manage(unit.path), _("只有本单位或上级的活动办可以录入意见。"))
    if received_on > clock.today():
        raise ValidationError({"received_on": _("收到日期不能晚于今天。")})
    _check_about(unit, about_person)
    name, contact = _identity(is_anonymous, submitter_name, submitter_contact)
    opinion = Opinion(
        unit=unit,
        unit_path=unit.path,
        campaign=_campaign(unit),
        receipt_code=new_receipt_code(),
        channel=channel,
        category=category,
        is_anonymous=is_anonymous,
        submitter_name=name,
        submitter_contact=contact,
        about_person=about_person,
        text=_check_text(text),
        received_on=received_on,
        source=OpinionSource.OFFICE,
        entered_by=actor,
    )
    save_validated(opinion, actor=actor)
    return opinion


@transaction.atomic
def opinion_update(
    *,
    actor: Any,
    opinion: Opinion,
    version: int | None,
    channel: str,
    category: str,
    received_on: datetime.date,
    about_person: Person | None,
) -> Opinion:
    """Correct how an opinion was filed. Its text stays as received (原汁原味); so does its submitter."""
    opinion = Opinion.objects.select_for_update().select_related("unit").get(pk=opinion.pk)
    _require_office(actor, opinion.unit_path)
    check_version(opinion, version)
    if received_on > clock.today():
        raise ValidationError({"received_on": _("收到日期不能晚于今天。")})
    _check_about(opinion.unit, about_person)
    opinion.channel, opinion.category = channel, category
    opinion.received_on, opinion.about_person = received_on, about_person
    save_validated(opinion, actor=actor, update_fields=["channel", "category", "received_on", "about_person"])
    return opinion


@transaction.atomic
def opinion_import_start(*, actor: Any, root: Unit, upload: Any, skip_errors: bool) -> Job:
    """Queue an import of opinions into units of ``root``'s subtree; it runs in a Celery worker."""
    from stages.tasks import opinion_import_task

    _require_office(actor, root.path)
    job = job_create(
        actor=actor,
        kind=JobKinds.OPINIONS_IMPORT,
        upload=upload,
        params={"skip_errors": skip_errors, "root_id": root.pk},
    )
    transaction.on_commit(lambda: opinion_import_task.delay(job.pk))
    return job


# --- opinion groups (梳辫子, 认领, 反馈) ----------------------------------------------------------


def _event(group: OpinionGroup, action: str, from_status: str, actor: Any, note: str = "") -> None:
    event = OpinionGroupEvent(
        group=group, action=action, from_status=from_status, to_status=group.status, actor=actor, note=note
    )
    save_validated(event, actor=actor)


def _lock_group(group: OpinionGroup) -> OpinionGroup:
    return OpinionGroup.objects.select_for_update(of=("self",)).select_related("unit").get(pk=group.pk)


def _move(opinions: Sequence[Opinion], group: OpinionGroup | None, actor: Any) -> None:
    for opinion in opinions:
        opinion.group = group
        opinion.version += 1
    if opinions:
        bulk_update_with_history(list(opinions), Opinion, ["group", "version"], default_user=actor)


def _set_status(group: OpinionGroup, status: str, actor: Any, extra: Sequence[str] = ()) -> None:
    group.status = status
    save_validated(group, actor=actor, update_fields=["status", *extra])


def _title(value: str | None, fallback: str) -> str:
    title = one_line(value or "", 200)
    return title or fallback


@transaction.atomic
def opinion_grouping_run(*, actor: Any, unit: Unit, threshold: float | None = None) -> list[OpinionGroup]:
    """Propose groups among the unit's opinions that are in no group yet (梳辫子).

    Proposals wait for the office to confirm, merge, split or dissolve them.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)  # one sorting run per unit at a time
    _require_office(actor, unit.path)
    campaign = _campaign(unit)
    opinions = list(unsorted_opinions(unit, campaign).select_for_update())
    proposals = grouping.propose([o.text for o in opinions], threshold or grouping.DEFAULT_THRESHOLD)
    created = []
    for proposal in proposals:
        members = [opinions[i] for i in proposal.members]
        group = OpinionGroup(
            unit=unit,
            unit_path=unit.path,
            campaign=campaign,
            title=one_line(members[0].text, 60),
            status=GroupStatus.PROPOSED,
            similarity=proposal.similarity,
        )
        save_validated(group, actor=actor)
        _move(members, group, actor)
        _event(
            group,
            GroupAction.PROPOSE,
            "",
            actor,
            _("相似度 %(score).2f，共 %(n)d 条") % {"score": proposal.similarity, "n": len(members)},
        )
        created.append(group)
    return created


@dataclass(frozen=True)
class GroupingStarted:
    groups: list[OpinionGroup] | None = None  # run inline
    job: Job | None = None  # queued for the worker


@transaction.atomic
def opinion_grouping_start(*, actor: Any, unit: Unit) -> GroupingStarted:
    """Sort now when the batch is small; hand a large batch to the Celery worker."""
    _require_office(actor, unit.path)
    campaign = _campaign(unit)
    if unsorted_opinions(unit, campaign).count() <= GROUPING_INLINE_LIMIT:
        return GroupingStarted(groups=opinion_grouping_run(actor=actor, unit=unit))
    from stages.tasks import opinion_grouping_task

    job = job_create(actor=actor, kind=JobKinds.OPINIONS_GROUPING, params={"unit_id": unit.pk})
    transaction.on_commit(lambda: opinion_grouping_task.delay(job.pk))
    return GroupingStarted(job=job)


@transaction.atomic
def group_confirm(
    *, actor: Any, group: OpinionGroup, version: int | None = None, title: str | None = None
) -> OpinionGroup:
    """The office agrees that a proposed group's opinions say the same thing."""
    group = _lock_group(group)
    _require_office(actor, group.unit_path)
    check_version(group, version)
    if group.status != GroupStatus.PROPOSED:
        raise ValidationError(_("只有“建议归并”的意见组需要确认。"))
    group.title = _title(title, group.title)
    _set_status(group, GroupStatus.CONFIRMED, actor, ["title"])
    _event(group, GroupAction.CONFIRM, GroupStatus.PROPOSED, actor)
    return group


@transaction.atomic
def group_dissolve(*, actor: Any, group: OpinionGroup, version: int | None = None) -> OpinionGroup:
    """Undo a group while sorting: its opinions return to the unsorted pile; the group stays on record."""
    group = _lock_group(group)
    _require_office(actor, group.unit_path)
    check_version(group, version)
    if group.status not in SORTING_STATUSES:
        raise ValidationError(_("意见组已认领，不能再拆散。"))
    opinions = list(group.opinions.select_for_update())
    _move(opinions, None, actor)
    before = group.status
    _set_status(group, GroupStatus.DISSOLVED, actor)
    _event(group, GroupAction.DISSOLVE, before, actor, _("%(n)d 条意见退回待梳理") % {"n": len(opinions)})
    return group


def _loose(unit: Unit, opinions: Iterable[Opinion]) -> list[Opinion]:
    ids = [o.pk for o in opinions]
    found = list(Opinion.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(found) != len(set(ids)) or any(o.unit_id != unit.pk for o in found):
        raise ValidationError(_("只能归并本单位的意见。"))
    if any(o.group_id is not None for o in found):
        raise ValidationError(_("所选意见中有的已在其他意见组中，请先从原组移出。"))
    return found


@transaction.atomic
def group_create(*, actor: Any, unit: Unit, opinions: Sequence[Opinion], title: str = "") -> OpinionGroup:
    """Group loose opinions by hand (one opinion alone is a group of one)."""
    _require_office(actor, unit.path)
    members = _loose(unit, opinions)
    if not members:
        raise ValidationError(_("请选择要归并的意见。"))
    group = OpinionGroup(
        unit=unit,
        unit_path=unit.path,
        campaign=members[0].campaign,
        title=_title(title, one_line(members[0].text, 60)),
        status=GroupStatus.CONFIRMED,
    )
    save_validated(group, actor=actor)
    _move(members, group, actor)
    _event(group, GroupAction.CREATE, "", actor, _("共 %(n)d 条") % {"n": len(members)})
    return group


@transaction.atomic
def groups_confirm_singles(*, actor: Any, unit: Unit) -> int:
    """Every loose opinion of the unit becomes a confirmed group of its own."""
    _require_office(actor, unit.path)
    campaign = _campaign(unit)
    opinions = list(unsorted_opinions(unit, campaign).select_for_update())
    groups = [
        OpinionGroup(
            unit=unit,
            unit_path=unit.path,
            campaign=campaign,
            title=one_line(o.text, 60),
            status=GroupStatus.CONFIRMED,
        )
        for o in opinions
    ]
    for group in groups:
        group.full_clean()
    groups = bulk_create_with_history(groups, OpinionGroup, default_user=actor)
    for opinion, group in zip(opinions, groups, strict=True):
        opinion.group = group
        opinion.version += 1
    if opinions:
        bulk_update_with_history(opinions, Opinion, ["group", "version"], default_user=actor)
    events = [
        OpinionGroupEvent(
            group=g, action=GroupAction.CREATE, to_status=g.status, actor=actor, note=_("单条成组")
        )
        for g in groups
    ]
    bulk_create_with_history(events, OpinionGroupEvent, default_user=actor)
    return len(groups)


@transaction.atomic
def group_merge(
    *,
    actor: Any,
    target: OpinionGroup,
    groups: Sequence[OpinionGroup] = (),
    opinions: Sequence[Opinion] = (),
    title: str | None = None,
) -> OpinionGroup:
    """Fold other groups (while sorting) and loose opinions into ``target``.

    The target may already be claimed or have a draft answer — a late duplicate
    joins it and will get the same answer — but not a published one.
    """
    target = _lock_group(target)
    _require_office(actor, target.unit_path)
    if target.status not in (
        GroupStatus.PROPOSED,
        GroupStatus.CONFIRMED,
        GroupStatus.CLAIMED,
        GroupStatus.ANSWERED,
    ):
        raise ValidationError(_("该意见组的答复已发布（或组已不存在），不能再并入意见；请将新意见单独成组。"))
    others = list(
        OpinionGroup.objects.select_for_update(of=("self",))
        .filter(pk__in=[g.pk for g in groups])
        .exclude(pk=target.pk)
        .order_by("pk")
    )
    if any(g.unit_id != target.unit_id for g in others):
        raise ValidationError(_("只能合并同一单位的意见组。"))
    if any(g.status not in SORTING_STATUSES for g in others):
        raise ValidationError(_("已认领的意见组不能并入其他组。"))
    loose = _loose(target.unit, opinions)
    moved = list(Opinion.objects.select_for_update().filter(group__in=others).order_by("pk")) + loose
    if not moved:
        raise ValidationError(_("请选择要并入的意见组或意见。"))
    _move(moved, target, actor)
    for other in others:
        before = other.status
        other.merged_into = target
        _set_status(other, GroupStatus.MERGED, actor, ["merged_into"])
        _event(other, GroupAction.MERGE, before, actor, _("并入意见组 #%(pk)d") % {"pk": target.pk})
    before = target.status
    target.title = _title(title, target.title)
    _set_status(target, GroupStatus.CONFIRMED if before == GroupStatus.PROPOSED else before, actor, ["title"])
    note = _("并入 %(g)d 个意见组、共 %(n)d 条意见") % {"g": len(others), "n": len(moved)}
    _event(target, GroupAction.MERGE if others else GroupAction.ADD, before, actor, note)
    return target


@transaction.atomic
def group_split(
    *,
    actor: Any,
    group: OpinionGroup,
    opinions: Sequence[Opinion],
    to_new_group: bool = True,
    title: str = "",
) -> OpinionGroup | None:
    """Take opinions out of a group while sorting: into a new group, or back to the unsorted pile."""
    group = _lock_group(group)
    _require_office(actor, group.unit_path)
    if group.status not in SORTING_STATUSES:
        raise ValidationError(_("意见组已认领，不能再拆分。"))
    members = list(group.opinions.select_for_update().order_by("pk"))
    chosen_ids = {o.pk for o in opinions}
    chosen = [o for o in members if o.pk in chosen_ids]
    if not chosen or len(chosen) != len(chosen_ids):
        raise ValidationError(_("请选择本组中要拆出的意见。"))
    if len(chosen) == len(members):
        raise ValidationError(_("不能把全部意见拆出；如要整组取消，请用“拆散”。"))
    new_group = None
    if to_new_group:
        new_group = OpinionGroup(
            unit=group.unit,
            unit_path=group.unit_path,
            campaign_id=group.campaign_id,
            title=_title(title, one_line(chosen[0].text, 60)),
            status=GroupStatus.CONFIRMED,
        )
        save_validated(new_group, actor=actor)
        _event(new_group, GroupAction.SPLIT, "", actor, _("从意见组 #%(pk)d 拆出") % {"pk": group.pk})
    _move(chosen, new_group, actor)
    note = _("拆出 %(n)d 条意见") % {"n": len(chosen)}
    if new_group is not None:
        note += _("，另成意见组 #%(pk)d") % {"pk": new_group.pk}
    _event(group, GroupAction.SPLIT, group.status, actor, note)
    return new_group


def _claim_rights(actor: Any, group: OpinionGroup, kind: str, person: Person | None) -> None:
    scope = scope_for(actor)
    office = scope.can_manage(group.unit_path)
    if kind == ClaimKind.LEADER:
        if person is None:
            raise ValidationError({"person": _("请选择认领的领导。")})
        if not leadership_posts(person.pk, group.unit_id).exists():
            raise ValidationError(
                {"person": _("“%(name)s”不是“%(unit)s”的班子成员。") % {"name": person, "unit": group.unit}}
            )
        require(office or scope.person_id == person.pk, _("只能由领导本人或活动办办理认领。"))
    else:
        require(
            office or is_principal_of(actor, group.unit),
            _("以领导班子名义认领，须由本单位主要负责同志或活动办办理。"),
        )


@transaction.atomic
def group_claim(
    *, actor: Any, group: OpinionGroup, kind: str, person: Person | None = None, version: int | None = None
) -> OpinionGroup:
    """主动认领: the unit's 班子 as a body, or one of its leaders, takes up a confirmed group."""
    group = _lock_group(group)
    check_version(group, version)
    if group.status not in (GroupStatus.CONFIRMED, GroupStatus.CLAIMED):
        raise ValidationError(_("只有已确认、尚未答复的意见组可以认领。"))
    if group.status == GroupStatus.CLAIMED:
        require(
            scope_for(actor).can_manage(group.unit_path),
            _("该意见组已被认领；改由他人认领须由活动办办理。"),
        )
    _claim_rights(actor, group, kind, person)
    before = group.status
    group.claim_kind = kind
    group.claimed_person = person if kind == ClaimKind.LEADER else None
    group.claimed_at = clock.now()
    _set_status(group, GroupStatus.CLAIMED, actor, ["claim_kind", "claimed_person", "claimed_at"])
    _event(group, GroupAction.CLAIM, before, actor, group.claimer_label)
    return group


def can_answer(actor: Any, group: OpinionGroup) -> bool:
    scope = scope_for(actor)
    if scope.can_manage(group.unit_path):
        return True
    if group.claim_kind == ClaimKind.LEADER:
        return scope.person_id is not None and scope.person_id == group.claimed_person_id
    if group.claim_kind == ClaimKind.BODY:
        return is_principal_of(actor, group.unit)
    return False


@transaction.atomic
def group_answer(*, actor: Any, group: OpinionGroup, answer: str, version: int | None = None) -> OpinionGroup:
    """The claimer drafts (or revises) the answer; it reaches the public only when the office publishes it."""
    group = _lock_group(group)
    check_version(group, version)
    if group.status not in (GroupStatus.CLAIMED, GroupStatus.ANSWERED):
        raise ValidationError(_("请先认领该意见组，再拟写答复；已发布的答复不能修改。"))
    require(can_answer(actor, group), _("只有认领人或活动办可以拟写答复。"))
    text = clean_text(answer)
    if not text:
        raise ValidationError({"answer": _("请填写答复内容。")})
    before = group.status
    group.answer = text
    group.answered_at = clock.now()
    _set_status(group, GroupStatus.ANSWERED, actor, ["answer", "answered_at"])
    _event(group, GroupAction.ANSWER, before, actor)
    return group


@transaction.atomic
def group_publish(
    *, actor: Any, group: OpinionGroup, version: int | None = None, title: str | None = None
) -> OpinionGroup:
    """原汁原味反馈: the office publishes the answer; every opinion of the group now shows it."""
    group = _lock_group(group)
    _require_office(actor, group.unit_path)
    check_version(group, version)
    if group.status != GroupStatus.ANSWERED:
        raise ValidationError(_("只有已拟写答复、尚未发布的意见组可以发布。"))
    group.title = _title(title, group.title)
    group.published_at = clock.now()
    _set_status(group, GroupStatus.PUBLISHED, actor, ["title", "published_at"])
    _event(group, GroupAction.PUBLISH, GroupStatus.ANSWERED, actor)
    return group


# --- surveys ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    text: str
    options: tuple[tuple[str, bool], ...]  # (label, counted as satisfied)
    counts: bool = True


DEFAULT_OPTIONS: tuple[tuple[str, bool], ...] = (("满意", True), ("基本满意", True), ("不满意", False))


def default_questions(purpose: str) -> list[QuestionSpec]:
    """The questionnaire each evaluation of the seeds starts from; offices edit it freely."""
    informational = {
        SurveyPurpose.STAGE_ONE: ["学习教育情况", "听取意见情况", "边学边改情况"],
        # 群众评议 after the meeting: what [002] says it reviews.
        SurveyPurpose.MEETING: [
            "查摆问题情况",
            "撰写对照检查材料情况",
            "召开专题民主生活会情况",
            "开展批评和自我批评情况",
            "边学边改情况",
        ],
        SurveyPurpose.FINAL: ["改进作风情况", "解决问题情况"],
        SurveyPurpose.POLL: ["整治“四风”问题成效"],
    }.get(SurveyPurpose(purpose), [])
    overall = {
        SurveyPurpose.POLL: "对机关作风的总体满意程度",
        SurveyPurpose.ITEM: "对这项问题整改效果的评价",
    }.get(SurveyPurpose(purpose), "对领导班子教育实践活动的总体评价")
    return [QuestionSpec(text, DEFAULT_OPTIONS, counts=False) for text in informational] + [
        QuestionSpec(overall, DEFAULT_OPTIONS, counts=True)
    ]


def _check_survey(
    *,
    unit: Unit,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    targets: Sequence[Unit],
    questions: Sequence[QuestionSpec],
    threshold: Fraction,
) -> None:
    errors: dict[str, list[str]] = {}
    if closes_at <= opens_at:
        errors.setdefault("closes_at", []).append(_("截止时间必须晚于开始时间。"))
    if not targets:
        errors.setdefault("targets", []).append(_("请至少列入一个测评对象。"))
    outside = [t.name for t in targets if not t.path.startswith(unit.path)]
    if outside:
        errors.setdefault("targets", []).append(
            _("测评对象必须是“%(unit)s”或其下级单位：%(names)s") % {"unit": unit, "names": "、".join(outside)}
        )
    if len({t.pk for t in targets}) != len(targets):
        errors.setdefault("targets", []).append(_("测评对象有重复。"))
    if not 0 < threshold <= 1 or threshold.denominator > 1000:
        errors.setdefault("threshold", []).append(_("满意率标准必须是0到1之间的分数，如 2/3。"))
    if not questions:
        errors.setdefault("questions", []).append(_("请至少设置一个测评项目。"))
    for question in questions:
        labels = [label for label, _sat in question.options]
        if not question.text.strip() or len(question.text) > 200:
            errors.setdefault("questions", []).append(_("测评项目不能为空，也不能超过200个字。"))
        if len(labels) < 2 or len(set(labels)) != len(labels) or any(not x or len(x) > 50 for x in labels):
            errors.setdefault("questions", []).append(
                _("“%(q)s”至少要有两个不同的选项，每项不超过50个字。") % {"q": question.text}
            )
        if question.counts and not any(sat for _label, sat in question.options):
            errors.setdefault("questions", []).append(
                _("“%(q)s”计入满意率，至少要有一个选项计为满意。") % {"q": question.text}
            )
    if questions and not any(q.counts for q in questions):
        errors.setdefault("questions", []).append(_("至少要有一个测评项目计入满意率。"))
    if errors:
        raise ValidationError(errors)


def _write_questions(survey: Survey, questions: Sequence[QuestionSpec], actor: Any) -> None:
    for order, spec in enumerate(questions, start=1):
        question = SurveyQuestion(survey=survey, text=spec.text.strip(), sort_order=order, counts=spec.counts)
        save_validated(question, actor=actor)
        options = [
            SurveyOption(question=question, label=label.strip(), sort_order=i, is_satisfied=satisfied)
            for i, (label, satisfied) in enumerate(spec.options, start=1)
        ]
        bulk_create_with_history(options, SurveyOption, default_user=actor)


def _write_targets(survey: Survey, targets: Sequence[Unit], actor: Any) -> None:
    rows = [
        SurveyTarget(survey=survey, unit=unit, unit_path=unit.path, sort_order=i)
        for i, unit in enumerate(targets, start=1)
    ]
    bulk_create_with_history(rows, SurveyTarget, default_user=actor)


def _survey_event(survey: Survey, action: str, from_status: str, actor: Any, note: str = "") -> None:
    event = SurveyEvent(
        survey=survey, action=action, from_status=from_status, to_status=survey.status, actor=actor, note=note
    )
    save_validated(event, actor=actor)


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    purpose: str,
    mode: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    targets: Sequence[Unit],
    subject: str = "",
    questions: Sequence[QuestionSpec] | None = None,
    threshold: Fraction = Fraction(2, 3),
) -> Survey:
    """A survey run by the office of ``unit`` on one or more units of its subtree (a draft until opened)."""
    _require_office(actor, unit.path)
    return _survey_new(
        actor=actor,
        unit=unit,
        title=title,
        purpose=purpose,
        mode=mode,
        opens_at=opens_at,
        closes_at=closes_at,
        targets=targets,
        subject=subject,
        questions=questions,
        threshold=threshold,
    )


@transaction.atomic
def survey_create_for_rule(
    *,
    unit: Unit,
    title: str,
    purpose: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    subject: str = "",
    threshold: Fraction = Fraction(2, 3),
) -> Survey:
    """A public-link survey of ``unit`` that a rule of another app opens by itself, no user acting
    (the public rating of a finished rectification item): created open, default questionnaire."""
    survey = _survey_new(
        actor=None,
        unit=unit,
        title=title,
        purpose=purpose,
        mode=SurveyMode.PUBLIC,
        opens_at=opens_at,
        closes_at=closes_at,
        targets=[unit],
        subject=subject,
        questions=None,
        threshold=threshold,
    )
    _set_survey_status(survey, SurveyStatus.OPEN, None)
    _survey_event(survey, SurveyAction.OPEN, SurveyStatus.DRAFT, None, _("由系统按规则发布"))
    return survey


def _survey_new(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    purpose: str,
    mode: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    targets: Sequence[Unit],
    subject: str,
    questions: Sequence[QuestionSpec] | None,
    threshold: Fraction,
) -> Survey:
    questions = list(questions) if questions is not None else default_questions(purpose)
    _check_survey(
        unit=unit,
        opens_at=opens_at,
        closes_at=closes_at,
        targets=targets,
        questions=questions,
        threshold=threshold,
    )
    survey = Survey(
        unit=unit,
        unit_path=unit.path,
        campaign=_campaign(unit),
        title=clean_text(title),
        purpose=purpose,
        subject=clean_text(subject),
        mode=mode,
        opens_at=opens_at,
        closes_at=closes_at,
        threshold_numerator=threshold.numerator,
        threshold_denominator=threshold.denominator,
        public_key=secrets.token_urlsafe(16),
        created_by=actor,
    )
    save_validated(survey, actor=actor)
    _write_targets(survey, targets, actor)
    _write_questions(survey, questions, actor)
    _survey_event(survey, SurveyAction.CREATE, "", actor)
    return survey


@transaction.atomic
def survey_update(
    *,
    actor: Any,
    survey: Survey,
    version: int | None,
    title: str,
    mode: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    targets: Sequence[Unit],
    questions: Sequence[QuestionSpec],
    subject: str = "",
    threshold: Fraction = Fraction(2, 3),
) -> Survey:
    """Change a draft: its targets and questionnaire are rewritten (nobody has answered yet)."""
    survey = Survey.objects.select_for_update().select_related("unit").get(pk=survey.pk)
    _require_office(actor, survey.unit_path)
    check_version(survey, version)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("测评已发布，不能再修改对象和测评项目。"))
    _check_survey(
        unit=survey.unit,
        opens_at=opens_at,
        closes_at=closes_at,
        targets=targets,
        questions=questions,
        threshold=threshold,
    )
    if mode != survey.mode and survey.tokens.exists():
        raise ValidationError({"mode": _("已生成评议码，不能再改变参评方式。")})
    survey.title, survey.subject, survey.mode = clean_text(title), clean_text(subject), mode
    survey.opens_at, survey.closes_at = opens_at, closes_at
    survey.threshold_numerator, survey.threshold_denominator = threshold.numerator, threshold.denominator
    save_validated(
        survey,
        actor=actor,
        update_fields=[
            "title",
            "subject",
            "mode",
            "opens_at",
            "closes_at",
            "threshold_numerator",
            "threshold_denominator",
        ],
    )
    with acting_as(actor):
        # A draft has no responses: its rows are rewritten (the history keeps the old ones).
        for option in SurveyOption.objects.filter(question__survey=survey):
            option.delete()
        for question in SurveyQuestion.objects.filter(survey=survey):
            question.delete()
        keep = {t.pk for t in targets}
        for target in SurveyTarget.objects.filter(survey=survey):
            if target.unit_id not in keep:
                target.delete()
    existing = set(SurveyTarget.objects.filter(survey=survey).values_list("unit_id", flat=True))
    _write_targets(survey, [t for t in targets if t.pk not in existing], actor)
    for order, target in enumerate(targets, start=1):
        row = SurveyTarget.objects.get(survey=survey, unit=target)
        if row.sort_order != order:
            row.sort_order = order
            save_validated(row, actor=actor, update_fields=["sort_order"])
    _write_questions(survey, questions, actor)
    _survey_event(survey, SurveyAction.EDIT, SurveyStatus.DRAFT, actor)
    return survey


def _lock_survey(survey: Survey) -> Survey:
    return Survey.objects.select_for_update(of=("self",)).select_related("unit").get(pk=survey.pk)


@transaction.atomic
def survey_open(*, actor: Any, survey: Survey, version: int | None = None) -> Survey:
    """Publish a draft: respondents may answer between its opening and closing times."""
    survey = _lock_survey(survey)
    _require_office(actor, survey.unit_path)
    check_version(survey, version)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("只有起草中的测评可以发布。"))
    if survey.closes_at <= clock.now():
        raise ValidationError(_("截止时间已过，请先修改截止时间。"))
    _set_survey_status(survey, SurveyStatus.OPEN, actor)
    _survey_event(survey, SurveyAction.OPEN, SurveyStatus.DRAFT, actor)
    return survey


def _set_survey_status(survey: Survey, status: str, actor: Any, extra: Sequence[str] = ()) -> None:
    survey.status = status
    save_validated(survey, actor=actor, update_fields=["status", *extra])


@transaction.atomic
def survey_close(*, actor: Any, survey: Survey, version: int | None = None) -> Survey:
    """End the survey and fix its results: counts, exact rates, ranks; 返工补课 under the threshold."""
    survey = _lock_survey(survey)
    _require_office(actor, survey.unit_path)
    check_version(survey, version)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(_("只有已发布的测评可以结束。"))
    if survey.purpose == SurveyPurpose.ITEM:
        raise ValidationError(_("整改效果评价由系统按规则结束（复号或重新销号时），不能手工结束。"))
    return _close(survey, actor, remediate=True)


@transaction.atomic
def survey_settle(*, survey: Survey, note: str = "") -> Survey:
    """Close a survey when a rule of another app says so, no user acting: results are fixed as at
    any close, but no 返工补课 is opened — the caller applies its own consequence (复号)."""
    survey = _lock_survey(survey)
    if survey.status != SurveyStatus.OPEN:
        return survey
    return _close(survey, None, remediate=False, note=note)


# Callables run inside the closing transaction, after the results are written: (survey, actor).
# Other apps register here (materials: the 通报会 takes its 群众评议 result from its survey).
SURVEY_CLOSE_HOOKS: list[Callable[[Survey, Any], None]] = []


def _close(survey: Survey, actor: Any, *, remediate: bool, note: str = "") -> Survey:
    now = clock.now()
    tallies = survey_tally(survey)
    below = []
    for tally in tallies:
        result = SurveyResult(
            survey=survey,
            target=tally.target,
            unit_id=tally.target.unit_id,
            unit_path=tally.target.unit_path,
            responses=tally.responses,
            satisfied=tally.satisfied,
            answered=tally.answered,
            option_counts=tally.option_counts,
            threshold_numerator=survey.threshold_numerator,
            threshold_denominator=survey.threshold_denominator,
            below_threshold=tally.below_threshold,
            rank=tally.rank,
            computed_at=now,
        )
        save_validated(result, actor=actor)
        if result.below_threshold:
            below.append(result)
            if remediate:
                _remediation_open(survey, result, tally.target.unit, actor)
    survey.closed_at = now
    _set_survey_status(survey, SurveyStatus.CLOSED, actor, ["closed_at"])
    summary = _("共 %(n)d 个测评对象，%(b)d 个低于满意率标准") % {"n": len(tallies), "b": len(below)}
    _survey_event(
        survey, SurveyAction.CLOSE, SurveyStatus.OPEN, actor, f"{summary}；{note}" if note else summary
    )
    for hook in SURVEY_CLOSE_HOOKS:
        hook(survey, actor)
    return survey


def _remediation_open(survey: Survey, result: SurveyResult, unit: Unit, actor: Any) -> Remediation:
    rate = result.rate
    assert rate is not None
    remediation = Remediation(
        unit=unit,
        unit_path=unit.path,
        survey=survey,
        result=result,
        reason=_("“%(survey)s”群众满意率 %(rate)s（%(s)d/%(n)d），低于 %(t)s 的标准，须返工补课。")
        % {
            "survey": survey.title,
            "rate": f"{float(rate) * 100:.1f}%",
            "s": result.satisfied,
            "n": result.answered,
            "t": f"{survey.threshold_numerator}/{survey.threshold_denominator}",
        },
    )
    save_validated(remediation, actor=actor)
    event = RemediationEvent(
        remediation=remediation,
        action=RemediationAction.OPEN,
        to_status=RemediationStatus.OPEN,
        actor=actor,
        note=remediation.reason,
    )
    save_validated(event, actor=actor)
    return remediation


@transaction.atomic
def survey_tokens_issue(*, actor: Any, survey: Survey, respondents: Sequence[str]) -> list[SurveyToken]:
    """One-time codes for named respondents (or categories such as 服务对象), one per slip."""
    survey = _lock_survey(survey)
    _require_office(actor, survey.unit_path)
    if survey.mode != SurveyMode.RESPONDENTS:
        raise ValidationError(_("公开链接方式的测评不需要生成评议码。"))
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError(_("测评已结束，不能再生成评议码。"))
    labels = [one_line(label, 100) for label in respondents]
    if not labels:
        raise ValidationError({"respondents": _("请填写参评人员，或填写要生成的数量。")})
    if len(labels) > TOKEN_BATCH_LIMIT:
        raise ValidationError({"respondents": _("一次最多生成 %(n)d 个评议码。") % {"n": TOKEN_BATCH_LIMIT}})
    tokens = [
        SurveyToken(survey=survey, token=secrets.token_urlsafe(12), respondent=label) for label in labels
    ]
    return bulk_create_with_history(tokens, SurveyToken, default_user=actor)


def _check_window(survey: Survey) -> None:
    now = clock.now()
    if survey.status != SurveyStatus.OPEN or not survey.opens_at <= now <= survey.closes_at:
        raise ValidationError(
            _("本次测评的开放时间为 %(start)s 至 %(end)s，现在不能提交。")
            % {"start": f"{survey.opens_at:%Y-%m-%d %H:%M}", "end": f"{survey.closes_at:%Y-%m-%d %H:%M}"}
        )


def _check_answers(
    survey: Survey, answers: dict[int, dict[int, int]]
) -> dict[SurveyTarget, list[SurveyOption]]:
    targets = {t.pk: t for t in SurveyTarget.objects.filter(survey=survey).select_related("unit")}
    questions = list(
        SurveyQuestion.objects.filter(survey=survey).prefetch_related("options").order_by("sort_order")
    )
    chosen: dict[SurveyTarget, list[SurveyOption]] = {}
    for target_id, by_question in answers.items():
        if not by_question:
            continue  # "不了解，不评价" for this target
        target = targets.get(target_id)
        if target is None:
            raise ValidationError(_("测评对象无效，请刷新页面后重新填写。"))
        picked = []
        for question in questions:
            option = next((o for o in question.options.all() if o.pk == by_question.get(question.pk)), None)
            if option is None:
                raise ValidationError(
                    _("请对“%(target)s”的每一个测评项目都作出选择（缺“%(q)s”）。")
                    % {"target": target.unit.name, "q": question.text}
                )
            picked.append(option)
        chosen[target] = picked
    if not chosen:
        raise ValidationError(_("请至少对一个测评对象作出评价。"))
    return chosen


@transaction.atomic
def survey_respond(
    *,
    survey: Survey,
    answers: dict[int, dict[int, int]],
    token: str | None = None,
    browser_id: str | None = None,
) -> SurveyToken:
    """Record one respondent's answers ({target id: {question id: option id}}), once per token.

    Respondent-list surveys take the code from the respondent's slip; public-link
    surveys take the browser's id, so one browser answers once. Nothing about
    the respondent is stored beyond the token, and no user is recorded.
    """
    survey = Survey.objects.get(pk=survey.pk)
    _check_window(survey)
    if survey.mode == SurveyMode.RESPONDENTS:
        held = (
            SurveyToken.objects.select_for_update().filter(survey=survey, token=str(token or "")[:64]).first()
        )
        if held is None:
            raise ValidationError(_("评议码无效，请核对后重新输入。"))
        if held.used_at is not None:
            raise ValidationError(_("该评议码已经提交过评议，每个评议码只能使用一次。"))
    else:
        if not browser_id or len(browser_id) < 16:
            raise ValidationError(_("请允许浏览器保存 Cookie 后再提交。"))
        key = f"p{survey.pk}-{browser_id}"[:64]
        if SurveyToken.objects.filter(token=key).exists():
            raise ValidationError(_("您已经提交过本次测评，每人只能提交一次。"))
        held = SurveyToken(survey=survey, token=key, is_public=True)
    chosen = _check_answers(survey, answers)
    now = clock.now()
    held.used_at = now
    try:
        with transaction.atomic():
            _save_without_user(held)
    except IntegrityError as exc:  # the same browser submitting twice at the same moment
        raise ValidationError(_("您已经提交过本次测评，每人只能提交一次。")) from exc
    for target, options in chosen.items():
        response = SurveyResponse(survey=survey, token=held, target=target, submitted_at=now)
        _save_without_user(response)
        for option in options:
            _save_without_user(SurveyAnswer(response=response, question_id=option.question_id, option=option))
    return held


# --- 返工补课 -----------------------------------------------------------------------------------------------


def _lock_remediation(remediation: Remediation) -> Remediation:
    return Remediation.objects.select_for_update(of=("self",)).select_related("unit").get(pk=remediation.pk)


@transaction.atomic
def remediation_record(
    *, actor: Any, remediation: Remediation, work_done: str, version: int | None = None
) -> Remediation:
    """The office records what is being redone (补课 sessions, new hearings, a repeated meeting …)."""
    remediation = _lock_remediation(remediation)
    _require_office(actor, remediation.unit_path)
    check_version(remediation, version)
    if remediation.status != RemediationStatus.OPEN:
        raise ValidationError(_("返工补课已完成，不能再修改。"))
    text = clean_text(work_done)
    if not text:
        raise ValidationError({"work_done": _("请填写返工补课的情况。")})
    remediation.work_done = text
    save_validated(remediation, actor=actor, update_fields=["work_done"])
    event = RemediationEvent(
        remediation=remediation,
        action=RemediationAction.RECORD,
        from_status=RemediationStatus.OPEN,
        to_status=RemediationStatus.OPEN,
        actor=actor,
    )
    save_validated(event, actor=actor)
    return remediation


@transaction.atomic
def remediation_close(*, actor: Any, remediation: Remediation, version: int | None = None) -> Remediation:
    """返工补课 done: needs the record of what was redone."""
    remediation = _lock_remediation(remediation)
    _require_office(actor, remediation.unit_path)
    check_version(remediation, version)
    if remediation.status != RemediationStatus.OPEN:
        raise ValidationError(_("返工补课已完成。"))
    if not remediation.work_done.strip():
        raise ValidationError({"work_done": _("请先记录返工补课的情况，再办理完成。")})
    remediation.status = RemediationStatus.CLOSED
    remediation.closed_at = clock.now()
    save_validated(remediation, actor=actor, update_fields=["status", "closed_at"])
    event = RemediationEvent(
        remediation=remediation,
        action=RemediationAction.CLOSE,
        from_status=RemediationStatus.OPEN,
        to_status=RemediationStatus.CLOSED,
        actor=actor,
    )
    save_validated(event, actor=actor)
    return remediation

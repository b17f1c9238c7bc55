"""Writes of 督导: 催办 by hand, notes, 约谈/问责, the checklist, 听取汇报 records, reading notifications."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from campaign import clock
from campaign.audit import acting_as
from campaign.choices import JobKind
from campaign.models import Job
from campaign.services import check_version, job_create, save_validated
from supervision.choices import CheckStatus, EvaluationGrade, EvaluationStatus, NotificationKind
from supervision.models import (
    Accountability,
    LeaderEvaluation,
    Notification,
    RecordEvaluation,
    ReportHearing,
    SupervisionNote,
    UnitCheck,
    Urge,
)
from units.access import require, scope_for
from units.choices import OrgKind, Role
from units.models import Organization, OrgMembership, Person, SupervisionAssignment, Unit

OVERSEERS = [Role.OFFICE, Role.SUPERVISOR]


@transaction.atomic
def urge(
    *,
    actor: Any,
    object_key: str,
    unit_path: str,
    recipients: list[Any],
    title: str,
    url: str,
    note: str = "",
) -> Urge:
    """催办: tell the people an item waits on, now. At most once per object per URGE_INTERVAL_HOURS."""
    require(
        scope_for(actor).reaches(unit_path, roles=OVERSEERS),
        _("只有上级活动办或督导组可以催办。"),
    )
    now = clock.now()
    since = now - datetime.timedelta(hours=settings.URGE_INTERVAL_HOURS)
    last = Urge.objects.select_for_update().filter(object_key=object_key, created_at__gte=since).first()
    if last is not None:
        raise ValidationError(
            _("该事项已于%(when)s催办过，%(hours)d小时内不再重复催办。")
            % {"when": f"{last.created_at:%m-%d %H:%M}", "hours": settings.URGE_INTERVAL_HOURS}
        )
    if not recipients:
        raise ValidationError(_("该事项目前没有可以催办的人员。"))
    actor_name = getattr(getattr(actor, "person", None), "name", actor.get_username())
    body = _("%(who)s催办：%(title)s") % {"who": actor_name, "title": title}
    if note.strip():
        body += "\n" + note.strip()[:300]
    Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=NotificationKind.URGE,
            title=_("催办：%(t)s") % {"t": title[:150]},
            body=body,
            url=url,
            created_at=now,
        )
        for user in recipients
    )
    return Urge.objects.create(
        object_key=object_key,
        actor=actor,
        note=note.strip()[:300],
        recipients=len(recipients),
        created_at=now,
    )


def notification_read(*, actor: Any, notification: Notification) -> None:
    if notification.user_id != actor.pk:
        raise ValidationError(_("不能操作他人的通知。"))
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])


def notifications_read_all(*, actor: Any) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=clock.now())


def _supervisor_person(actor: Any, unit: Unit) -> Person:
    scope = scope_for(actor)
    require(
        scope.reaches(unit.path, roles=OVERSEERS), _("只有督导该单位的督导组成员或活动办可以填写督导记录。")
    )
    person = getattr(actor, "person", None)
    require(person is not None, _("您的账号没有关联人员信息。"))
    return person  # type: ignore[return-value]


@transaction.atomic
def note_add(*, actor: Any, record: Model, unit: Unit, text: str) -> SupervisionNote:
    """Attach an internal note to any record of a unit the actor supervises."""
    author = _supervisor_person(actor, unit)
    if not text.strip():
        raise ValidationError({"text": _("请填写督导意见。")})
    note = SupervisionNote(
        unit=unit,
        unit_path=unit.path,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        author=author,
        text=text.strip()[:5000],
    )
    save_validated(note, actor=actor)
    return note


@transaction.atomic
def accountability_record(
    *, actor: Any, unit: Unit, person: Person, kind: str, date: datetime.date, reason: str, outcome: str = ""
) -> Accountability:
    """约谈/问责 of a unit's principal, recorded by an office above or at the unit."""
    require(scope_for(actor).can_manage(unit.path), _("只有活动办可以登记约谈和问责。"))
    if not unit.posts.filter(person=person).exists():
        raise ValidationError({"person": _("“%(p)s”不是“%(u)s”的班子成员。") % {"p": person, "u": unit}})
    record = Accountability(
        unit=unit,
        unit_path=unit.path,
        person=person,
        kind=kind,
        date=date,
        reason=reason.strip(),
        outcome=outcome.strip(),
        recorded_by=actor,
    )
    save_validated(record, actor=actor)
    return record


@transaction.atomic
def accountability_update_outcome(
    *, actor: Any, record: Accountability, outcome: str, version: int | None
) -> Accountability:
    record = Accountability.objects.select_for_update().get(pk=record.pk)
    require(scope_for(actor).can_manage(record.unit_path), _("只有活动办可以登记约谈和问责。"))
    check_version(record, version)
    record.outcome = outcome.strip()
    save_validated(record, actor=actor, update_fields=["outcome"])
    return record


def groups_supervising(actor: Any, unit: Unit) -> list[Organization]:
    """The actor's 督导组 that are assigned to the unit or a unit above it."""
    today = clock.today()
    person_id = scope_for(actor).person_id
    ancestors = [unit.path[: i * Unit.steplen] for i in range(1, unit.depth + 1)]
    assigned = SupervisionAssignment.objects.active(today).filter(unit__path__in=ancestors).values("group_id")
    mine = OrgMembership.objects.active(today).filter(person_id=person_id).values("organization_id")
    return list(
        Organization.objects.filter(kind=OrgKind.SUPERVISION_GROUP, pk__in=assigned).filter(pk__in=mine)
    )


@transaction.atomic
def unit_check_set(
    *,
    actor: Any,
    group: Organization,
    unit: Unit,
    item: str,
    status: str,
    note: str,
    version: int | None = None,
) -> UnitCheck:
    """One "六个不放过" item of a group's checklist on a unit; only that group's members set it."""
    require(group in groups_supervising(actor, unit), _("只有督导该单位的督导组成员可以填写核查结果。"))
    if status == CheckStatus.CONCERN and not note.strip():
        raise ValidationError({"note": _("存在问题时请写明具体情况。")})
    check, _created = UnitCheck.objects.select_for_update().get_or_create(
        group=group, unit=unit, item=item, defaults={"unit_path": unit.path}
    )
    if not _created:
        check_version(check, version)
    check.status, check.note, check.checked_by = status, note.strip(), actor
    save_validated(check, actor=actor, update_fields=["status", "note", "checked_by"])
    return check


@transaction.atomic
def hearing_record(
    *, actor: Any, unit: Unit, date: datetime.date, reporters: str, notes: str
) -> ReportHearing:
    """The secretary (or his office) records that he heard the lower organisations' report."""
    scope = scope_for(actor)
    principal = unit.posts.active(clock.today()).filter(role="principal").select_related("person").first()
    require(
        scope.can_manage(unit.path) or (principal is not None and principal.person_id == scope.person_id),
        _("由本单位主要负责同志或活动办登记听取汇报情况。"),
    )
    if principal is None:
        raise ValidationError(_("该单位没有在任的主要负责同志。"))
    if date > clock.today():
        raise ValidationError({"date": _("不能登记将来的日期。")})
    hearing = ReportHearing(
        unit=unit,
        unit_path=unit.path,
        date=date,
        chaired_by=principal.person,
        reporters=reporters.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    save_validated(hearing, actor=actor)
    return hearing


# --- documents generated in the background -------------------------------------


@transaction.atomic
def monthly_report_start(*, actor: Any, unit: Unit, year: int, month: int) -> Job:
    """Queue a unit's 月度工作进展报告 for a month that has begun; the owner downloads it."""
    from supervision.monthly import may_request_monthly_report
    from supervision.tasks import monthly_report_task

    require(may_request_monthly_report(actor, unit), _("您不能查看该单位的工作记录。"))
    today = clock.today()
    if not 1 <= month <= 12 or year < 2013 or (year, month) > (today.year, today.month):
        raise ValidationError({"month": _("请选择已经开始的月份。")})
    job = job_create(
        actor=actor,
        kind=JobKind.MONTHLY_REPORT,
        params={"unit": unit.code, "year": year, "month": month},
    )
    job.input_name = f"{unit.name} {year}年{month}月"
    job.save(update_fields=["input_name"])
    transaction.on_commit(lambda: monthly_report_task.delay(job.pk))
    return job


# --- 纪实评价 ---------------------------------------------------------------------


@dataclass
class LeaderInput:
    person_id: int
    grade: str = ""
    text: str = ""


@transaction.atomic
def record_evaluation_save(
    *,
    actor: Any,
    group: Organization,
    unit: Unit,
    grade: str,
    text: str,
    leaders: list[LeaderInput],
    submit: bool = False,
    version: int | None = None,
) -> RecordEvaluation:
    """Write the group's 纪实评价 of an assigned unit; ``submit`` locks it.

    The figures are counted again from the record on every save, so the submitted evaluation
    carries the record as it stood when the group signed it.
    """
    from supervision.evaluation import evaluation_figures, leaders_of
    from supervision.selectors import may_write_evaluation

    require(
        may_write_evaluation(actor, group, unit),
        _("只有被派驻该单位的督导组成员或活动办可以填写纪实评价。"),
    )
    evaluation = RecordEvaluation.objects.select_for_update().filter(group=group, unit=unit).first()
    if evaluation is None:
        evaluation = RecordEvaluation(
            group=group, unit=unit, unit_path=unit.path, campaign_id=group.campaign_id
        )
    else:
        check_version(evaluation, version)
        if evaluation.locked:
            raise ValidationError(_("纪实评价已提交，不能再修改。"))
    if grade and grade not in EvaluationGrade.values:
        raise ValidationError({"grade": _("请选择评价等次。")})
    posts = leaders_of(unit)
    given = {entry.person_id: entry for entry in leaders}
    unknown = set(given) - {post.person_id for post in posts}
    if unknown:
        raise ValidationError(_("只能评价该单位领导班子的成员。"))
    errors: dict[str, str] = {}
    if submit:
        if not grade:
            errors["grade"] = _("提交前请选择班子的评价等次。")
        if not text.strip():
            errors["text"] = _("提交前请填写对班子的评价意见。")
        missing = [p.person.name for p in posts if not (given.get(p.person_id) and given[p.person_id].grade)]
        missing += [
            p.person.name
            for p in posts
            if given.get(p.person_id) and given[p.person_id].grade and not given[p.person_id].text.strip()
        ]
        if missing:
            errors["__all__"] = _("提交前请为每位领导干部选择等次并填写评价意见：%(names)s。") % {
                "names": "、".join(missing)
            }
    for entry in given.values():
        if entry.grade and entry.grade not in EvaluationGrade.values:
            errors["__all__"] = _("请选择评价等次。")
    if errors:
        raise ValidationError(errors)
    body_figures, leader_figures = evaluation_figures(unit, [p.person_id for p in posts])
    evaluation.grade, evaluation.text, evaluation.figures = grade, text.strip(), body_figures
    evaluation.written_by = actor
    if evaluation.pk:
        evaluation.version += 1
    if submit:
        evaluation.status = EvaluationStatus.SUBMITTED
        evaluation.submitted_by, evaluation.submitted_at = actor, clock.now()
    save_validated(evaluation, actor=actor)
    existing = {row.person_id: row for row in evaluation.leaders.all()}
    for order, post in enumerate(posts):
        entry = given.get(post.person_id) or LeaderInput(post.person_id)
        row = existing.pop(post.person_id, None) or LeaderEvaluation(
            evaluation=evaluation, person=post.person
        )
        row.post_title, row.sort_order = post.title, order
        row.grade, row.text, row.figures = entry.grade, entry.text.strip(), leader_figures[post.person_id]
        row.full_clean()
        with acting_as(actor):
            row.save()
    for stale in existing.values():  # left the 班子 since the draft was saved
        with acting_as(actor):
            stale.delete()
    return evaluation


@transaction.atomic
def evaluation_report_start(*, actor: Any, group: Organization) -> Job:
    """Queue the group's 纪实评价 report to the upper 组织部."""
    from supervision.selectors import may_report_evaluations
    from supervision.tasks import evaluation_report_task

    require(may_report_evaluations(actor, group), _("只有督导组成员或其上级活动办可以生成纪实评价报告。"))
    job = job_create(actor=actor, kind=JobKind.RECORD_EVALUATION_REPORT, params={"group": group.pk})
    job.input_name = group.name
    job.save(update_fields=["input_name"])
    transaction.on_commit(lambda: evaluation_report_task.delay(job.pk))
    return job

"""Writes of 督导: 催办 by hand, notes, 约谈/问责, the checklist, 听取汇报 records, reading notifications."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from campaign import clock
from campaign.services import check_version, save_validated
from supervision.choices import CheckStatus, NotificationKind
from supervision.models import Accountability, Notification, ReportHearing, SupervisionNote, UnitCheck, Urge
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

"""Reminder sweeps: find what is due, write the ledger, send one digest per person.

Apps declare what they remind about in ``<app>/reminders.py`` as ``RULES``, a
list of ``ReminderRule``. A rule streams ``Due`` items computed from the
current state (an open step past its time limit, an item near its deadline),
so a sweep after an outage finds everything still due and nothing already done.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from campaign import clock
from campaign.apps import project_modules
from supervision.choices import NotificationKind, Threshold
from supervision.models import Notification, ReminderLedger

log = logging.getLogger(__name__)
CHUNK = 2000
# A claim older than this whose rows were never sent belongs to a sweep that died.
STALE_CLAIM = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Due:
    object_key: str
    threshold: str
    recipients: tuple[int, ...]
    title: str
    url: str = ""
    due_at: datetime.datetime | None = None


class ReminderRule(Protocol):
    name: str
    label: str

    def due(self, now: datetime.datetime) -> Iterable[Due]: ...


def end_of_day(day: datetime.date) -> datetime.datetime:
    """A deadline given as a day runs to the end of that day, in the campaign's time zone."""
    return datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=clock.now().tzinfo)


def deadline_threshold(
    due_at: datetime.datetime, now: datetime.datetime, soon: datetime.timedelta
) -> str | None:
    """The one threshold a deadline is at now (the latest reached), or None before the "soon" window."""
    if now >= due_at + datetime.timedelta(days=7):
        return Threshold.LONG_OVERDUE
    if now >= due_at + datetime.timedelta(days=1):
        return Threshold.OVERDUE
    if now >= due_at:
        return Threshold.DUE
    if now >= due_at - soon:
        return Threshold.DUE_SOON
    return None


def all_rules() -> list[Any]:
    return [rule for module in project_modules("reminders") for rule in getattr(module, "RULES", [])]


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class SweepResult:
    found: int = 0
    sent: int = 0
    digests: int = 0


def record_due(rules: Iterable[Any], now: datetime.datetime) -> int:
    """Write a ledger row for every (object, threshold, recipient) now due; existing rows stay."""
    found = 0
    for rule in rules:
        rows = (
            ReminderLedger(
                rule=rule.name,
                object_key=due.object_key,
                threshold=due.threshold,
                recipient_id=user_id,
                title=due.title[:300],
                url=due.url,
                due_at=due.due_at,
                created_at=now,
            )
            for due in rule.due(now)
            for user_id in due.recipients
        )
        for chunk in _chunks(rows, CHUNK):
            ReminderLedger.objects.bulk_create(chunk, ignore_conflicts=True, batch_size=CHUNK)
            found += len(chunk)
    return found


def claim(now: datetime.datetime) -> str:
    """Compare-and-set: take every unsent row nobody holds (or whose holder died)."""
    token = uuid.uuid4().hex
    ReminderLedger.objects.filter(sent_at__isnull=True).filter(
        Q(claimed_by__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM)
    ).update(claimed_by=token, claimed_at=now)
    return token


def send_claimed(token: str, now: datetime.datetime) -> SweepResult:
    """One digest per person for the rows this sweep holds: in-app, and by e-mail when he has one."""
    result = SweepResult()
    users = get_user_model().objects.in_bulk(
        ReminderLedger.objects.filter(claimed_by=token, sent_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    rows = ReminderLedger.objects.filter(claimed_by=token, sent_at__isnull=True).order_by(
        "recipient_id", "due_at", "pk"
    )
    batch: list[ReminderLedger] = []
    for row in rows.iterator(chunk_size=CHUNK):
        if batch and batch[-1].recipient_id != row.recipient_id:
            _deliver(users[batch[0].recipient_id], batch, now)
            result.digests += 1
            result.sent += len(batch)
            batch = []
        batch.append(row)
    if batch:
        _deliver(users[batch[0].recipient_id], batch, now)
        result.digests += 1
        result.sent += len(batch)
    return result


def _deliver(user: Any, items: list[ReminderLedger], now: datetime.datetime) -> None:
    labels = dict(Threshold.choices)
    lines = [f"· {item.title}（{labels.get(item.threshold, item.threshold)}）" for item in items]
    title = _("催办提醒：您有 %(n)d 项事项需要办理") % {"n": len(items)}
    with transaction.atomic():
        notice = Notification.objects.create(
            user=user,
            kind=NotificationKind.DIGEST,
            title=title,
            body="\n".join(lines),
            url=items[0].url if len(items) == 1 else "",
            created_at=now,
        )
        ReminderLedger.objects.filter(pk__in=[i.pk for i in items]).update(sent_at=now, notification=notice)
        if user.email:
            transaction.on_commit(lambda: _email(notice.pk))


def _email(notification_id: int) -> None:
    notice = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        send_mail(notice.title, notice.body, settings.DEFAULT_FROM_EMAIL, [notice.user.email])
    except Exception:  # the in-app notice stands; mail failures are logged, not retried forever
        log.exception("reminder e-mail to %s failed", notice.user_id)
        return
    Notification.objects.filter(pk=notification_id).update(emailed=True)


def sweep(rules: Iterable[Any] | None = None, now: datetime.datetime | None = None) -> SweepResult:
    now = now or clock.now()
    found = record_due(rules if rules is not None else all_rules(), now)
    result = send_claimed(claim(now), now)
    result.found = found
    return result


@dataclass
class UrgeTarget:
    """What a 催办 by hand needs to know about an object: where it is, who it waits on."""

    unit_path: str
    recipients: list[Any]
    title: str
    url: str

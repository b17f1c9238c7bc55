"""Reminder sweeps: find what is due, write the ledger, send one digest per person.

Apps declare what they remind about in ``<app>/reminders.py`` as ``RULES``, a
list of ``ReminderRule``. A rule streams ``Due`` items computed from the
current state (an open step past its time limit, an item near its deadline),
so a sweep after an outage finds everything still due and nothing already done.

A sweep is set-based: a rule may stream plain ``Row`` tuples (``rows(now)``) straight
from a ``values_list(...).iterator()``; the ledger is written in chunks of
``CHUNK`` rows by one ``INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING`` on
PostgreSQL (``bulk_create(ignore_conflicts=True)`` elsewhere); the digests of
``REMINDER_DIGEST_BATCH`` people are written in one transaction together with
marking their rows sent; e-mail goes after the commit.
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
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext as _

from campaign import clock
from campaign.apps import project_modules
from supervision.choices import NotificationKind, Threshold
from supervision.models import Notification, ReminderLedger

log = logging.getLogger(__name__)
CHUNK = 10_000


def stale_claim() -> datetime.timedelta:
    """A claim older than this whose rows were never sent belongs to a sweep that died (a worker
    killed mid-sweep): the next sweep takes those rows over. Taking over a live sweep's rows is
    harmless too, since a row is sent only by the sweep that holds it when the digest is written."""
    return datetime.timedelta(seconds=settings.REMINDER_STALE_CLAIM_SECONDS)


@dataclass(frozen=True)
class Due:
    object_key: str
    threshold: str
    recipients: tuple[int, ...]
    title: str
    url: str = ""
    due_at: datetime.datetime | None = None


# (object_key, threshold, recipient_id, title, url, due_at): one ledger row, no model instance.
Row = tuple[str, str, int, str, str, "datetime.datetime | None"]


class ReminderRule(Protocol):
    """What a rule declares. A rule may also define ``rows(now) -> Iterable[Row]``, the same
    reminders one row per recipient; the sweep then uses it rather than ``due``."""

    name: str
    label: str

    def due(self, now: datetime.datetime) -> Iterable[Due]: ...


def rows_of(rule: Any, now: datetime.datetime) -> Iterator[Row]:
    """The ledger rows a rule finds due now: from ``rows`` when it has one, else from ``due``."""
    rows = getattr(rule, "rows", None)
    if rows is not None:
        yield from rows(now)
        return
    for due in rule.due(now):
        for user_id in due.recipients:
            yield (due.object_key, due.threshold, user_id, due.title, due.url, due.due_at)


def due_from_rows(rows: Iterable[Row]) -> Iterator[Due]:
    """``due`` for a rule that has ``rows``: consecutive rows of one object and threshold make one Due."""
    current: list[Row] = []
    for row in rows:
        if current and (current[0][0], current[0][1]) != (row[0], row[1]):
            yield _due_of(current)
            current = []
        current.append(row)
    if current:
        yield _due_of(current)


def _due_of(rows: list[Row]) -> Due:
    key, threshold, _user, title, url, due_at = rows[0]
    return Due(key, threshold, tuple(r[2] for r in rows), title, url, due_at)


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


def record_due(rules: Iterable[Any], now: datetime.datetime, token: str | None = None) -> int:
    """Write a ledger row for every (object, threshold, recipient) now due; existing rows stay.
    With a ``token`` the new rows are written already claimed by that sweep: nobody else can hold
    a row that did not exist, and each row is written once rather than inserted then claimed."""
    found = 0
    write = _insert_postgresql if connection.vendor == "postgresql" else _insert_orm
    for rule in rules:
        for chunk in _chunks(rows_of(rule, now), CHUNK):
            write(rule.name, chunk, now, token)
            found += len(chunk)
    return found


def _insert_postgresql(rule: str, rows: list[Row], now: datetime.datetime, token: str | None) -> None:
    """One statement per chunk: the rows travel as six arrays, duplicates of the unique key are skipped."""
    table = connection.ops.quote_name(ReminderLedger._meta.db_table)
    columns = (
        "rule, object_key, threshold, recipient_id, title, url, due_at, created_at, claimed_by, claimed_at"
    )
    keys, thresholds, users, titles, urls, dues = (list(column) for column in zip(*rows, strict=True))
    titles = [title[:300] for title in titles]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) "
            "SELECT %s, k, t, r, ti, u, d, %s, %s, %s FROM unnest("
            "%s::varchar[], %s::varchar[], %s::integer[], %s::varchar[], %s::varchar[], %s::timestamptz[]"
            ") AS x(k, t, r, ti, u, d) ON CONFLICT DO NOTHING",
            [rule, now, token, now if token else None, keys, thresholds, users, titles, urls, dues],
        )


def _insert_orm(rule: str, rows: list[Row], now: datetime.datetime, token: str | None) -> None:
    ReminderLedger.objects.bulk_create(
        (
            ReminderLedger(
                rule=rule,
                object_key=key,
                threshold=threshold,
                recipient_id=user_id,
                title=title[:300],
                url=url,
                due_at=due_at,
                created_at=now,
                claimed_by=token,
                claimed_at=now if token else None,
            )
            for key, threshold, user_id, title, url, due_at in rows
        ),
        ignore_conflicts=True,
        batch_size=2000,
    )


def claim(now: datetime.datetime, token: str | None = None) -> str:
    """Compare-and-set: take every unsent row nobody holds (or whose holder died)."""
    token = token or uuid.uuid4().hex
    ReminderLedger.objects.filter(sent_at__isnull=True).filter(
        Q(claimed_by__isnull=True) | Q(claimed_at__lt=now - stale_claim())
    ).update(claimed_by=token, claimed_at=now)
    return token


def send_claimed(token: str, now: datetime.datetime) -> SweepResult:
    """One digest per person for the rows this sweep holds: in-app, and by e-mail when he has one.
    People are taken ``REMINDER_DIGEST_BATCH`` at a time, each batch in one transaction."""
    result = SweepResult()
    people = (
        ReminderLedger.objects.filter(claimed_by=token, sent_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    for batch in _chunks(list(people), max(1, settings.REMINDER_DIGEST_BATCH)):
        digests, sent = _deliver(batch, now, token)
        result.digests += digests
        result.sent += sent
    return result


def _deliver(people: list[int], now: datetime.datetime, token: str) -> tuple[int, int]:
    """The digests of these people for the rows still held by this sweep; the notices and the rows'
    ``sent_at`` are written in one transaction, so a worker killed at any point leaves both or neither.
    Returns (digests, rows sent)."""
    held = ReminderLedger.objects.filter(claimed_by=token, sent_at__isnull=True, recipient_id__in=people)
    labels = dict(Threshold.choices)
    with transaction.atomic():
        rows = list(
            held.select_for_update()
            .order_by("recipient_id", "due_at", "pk")
            .values_list("recipient_id", "title", "threshold", "url")
        )  # rows taken over meanwhile by another sweep are not ours, and not here
        if not rows:
            return 0, 0
        emails = dict(get_user_model().objects.filter(pk__in=people).values_list("pk", "email"))
        notices: list[Notification] = []
        start = 0
        for end in range(1, len(rows) + 1):
            if end < len(rows) and rows[end][0] == rows[start][0]:
                continue
            items = rows[start:end]
            lines = [f"· {title}（{labels.get(level, level)}）" for _u, title, level, _url in items]
            notices.append(
                Notification(
                    user_id=items[0][0],
                    kind=NotificationKind.DIGEST,
                    title=_("催办提醒：您有 %(n)d 项事项需要办理") % {"n": len(items)},
                    body="\n".join(lines),
                    url=items[0][3] if len(items) == 1 else "",
                    created_at=now,
                )
            )
            start = end
        Notification.objects.bulk_create(notices)
        marked = held.update(
            sent_at=now,
            notification_id=Case(*(When(recipient_id=n.user_id, then=Value(n.pk)) for n in notices)),
        )
        if marked != len(rows):  # cannot happen while the rows are locked; never send a digest short
            raise RuntimeError(f"reminder digest: {marked} rows marked for {len(rows)} read")
        mails = [(n.pk, emails[n.user_id], n.title, n.body) for n in notices if emails.get(n.user_id)]
        if mails:
            transaction.on_commit(lambda: _email(mails))
    return len(notices), len(rows)


def _email(mails: list[tuple[int, str, str, str]]) -> None:
    """The e-mail copies of a batch of digests, over one connection; failures are logged, not retried."""
    done: list[int] = []
    try:
        with get_connection(fail_silently=False) as mailer:
            for pk, address, title, body in mails:
                try:
                    EmailMessage(
                        title, body, settings.DEFAULT_FROM_EMAIL, [address], connection=mailer
                    ).send()
                except Exception:  # the in-app notice stands
                    log.exception("reminder e-mail for notice %s failed", pk)
                    continue
                done.append(pk)
    except Exception:  # the mail server is away: the in-app notices stand
        log.exception("reminder e-mail: no connection to the mail server")
    if done:
        Notification.objects.filter(pk__in=done).update(emailed=True)


def sweep(rules: Iterable[Any] | None = None, now: datetime.datetime | None = None) -> SweepResult:
    now = now or clock.now()
    # Rows left unsent by earlier sweeps first, while they are few; then the new rows, claimed as written.
    token = claim(now)
    found = record_due(rules if rules is not None else all_rules(), now, token)
    result = send_claimed(token, now)
    result.found = found
    return result


@dataclass
class UrgeTarget:
    """What a 催办 by hand needs to know about an object: where it is, who it waits on."""

    unit_path: str
    recipients: list[Any]
    title: str
    url: str

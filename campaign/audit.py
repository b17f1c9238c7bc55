"""Audit trail: who changed what, through any path.

Every domain model declares ``history = audit_history()``. The acting user
comes from, in order: an explicit ``acting_as(user)`` block (services called
from Celery tasks, management commands and tests), then the current request
(web, API, admin via simple-history's middleware).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("campaign_actor", default=None)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute every history row written inside the block to ``user``."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def _history_user(request: Any = None, **kwargs: Any) -> Any:
    actor = _actor.get()
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor
    if request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
    return None


def audit_history(**kwargs: Any) -> HistoricalRecords:
    """The history manager every domain model uses."""
    kwargs.setdefault("get_user", _history_user)
    kwargs.setdefault("cascade_delete_history", False)
    return HistoricalRecords(**kwargs)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: Any
    who: str
    action: str
    changes: list[FieldChange]
    reason: str


_ACTIONS = {"+": "创建", "~": "修改", "-": "删除"}


def _display(record: Any, field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(field, models.ForeignKey):
        related = getattr(record, field.name, None)
        return str(related) if related is not None else str(value)
    return str(value)


def history_entries(instance: models.Model, *, skip: tuple[str, ...] = ()) -> list[HistoryEntry]:
    """The history of one record as field-by-field changes, newest first.

    Two queries whatever the length of the history: the records with their
    users, and (through select_related) nothing more for foreign keys that
    the history model itself carries.
    """
    manager = instance.history  # type: ignore[attr-defined]
    model = instance._meta.model
    fk_names = [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.name not in skip and hasattr(manager.model, f.name)
    ]
    records = list(manager.select_related("history_user", *fk_names).order_by("history_date", "history_id"))
    tracked = {f.attname for f in manager.model._meta.concrete_fields}  # excluded_fields are not there
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.attname in tracked
        and f.name not in skip
        and f.name not in {"id", "path", "depth", "numchild", "version"}
    ]
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        changes = []
        for field in fields:
            new = getattr(record, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if previous is not None and old == new:
                continue
            if previous is None and new in (None, "", False):
                continue
            changes.append(
                FieldChange(
                    label=str(field.verbose_name),
                    old=_display(previous, field, old) if previous is not None else "—",
                    new=_display(record, field, new),
                )
            )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else _("系统"),
                action=_ACTIONS.get(record.history_type, record.history_type),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
        previous = record
    entries.reverse()
    return entries

"""Keeping ``UnitItemTally`` true: per unit, its live items, closed, red and yellow as of a day.

Item saves and deletes mark their unit's row stale (signals, so every write path is covered,
history included); ``tally_refresh`` — beat, every few minutes — recounts the stale units, and
on a new day rebuilds every row, since red and yellow move with the date. Bulk writers that
bypass signals (the province generator) call ``tally_rebuild`` when they finish.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from campaign import clock
from rectification.choices import LIVE_STATUSES
from rectification.models import RectificationItem, UnitItemTally
from rectification.selectors import item_tally_counts

BATCH = 5000


def _counted(items: Any, today: datetime.date) -> Any:
    return (
        items.filter(status__in=LIVE_STATUSES)
        .order_by()
        .values("unit_id", "unit_path")
        .annotate(**item_tally_counts(today))
    )


def _rows(counted: Iterable[dict[str, Any]], today: datetime.date) -> Iterable[UnitItemTally]:
    for found in counted:
        yield UnitItemTally(counted_on=today, stale=False, **found)


@transaction.atomic
def tally_rebuild(today: datetime.date | None = None) -> int:
    """Recount every unit (one GROUP BY over the items); returns the number of rows."""
    today = today or clock.today()
    # A save in flight either committed before the count (which sees it) or marks its row
    # stale after this commits (the upsert in mark_stale waits for the new row).
    UnitItemTally.objects.all().delete()
    written = 0
    batch: list[UnitItemTally] = []
    for row in _rows(_counted(RectificationItem.objects.all(), today).iterator(chunk_size=BATCH), today):
        batch.append(row)
        if len(batch) >= BATCH:
            written += _insert(batch)
            batch = []
    written += _insert(batch)
    return written


def _insert(rows: list[UnitItemTally]) -> int:
    # Two rebuilds at once (beat and a generator): both counts are true, the first one stays.
    UnitItemTally.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def tally_refresh(today: datetime.date | None = None) -> dict[str, int]:
    """Recount the stale units, or everything once the rows are of another day."""
    today = today or clock.today()
    if UnitItemTally.objects.exclude(counted_on=today).exists():
        return {"rebuilt": tally_rebuild(today), "refreshed": 0}
    refreshed = 0
    while True:
        with transaction.atomic():
            # Locked first, counted after: a save that marked one of these rows stale has
            # committed by then (the count sees it); a later save waits and marks it again.
            rows = list(
                UnitItemTally.objects.select_for_update(skip_locked=True)
                .filter(stale=True)
                .order_by("pk")[:BATCH]
            )
            if not rows:
                return {"rebuilt": 0, "refreshed": refreshed}
            counted = {
                found["unit_id"]: found
                for found in _counted(
                    RectificationItem.objects.filter(unit_id__in=[r.pk for r in rows]), today
                )
            }
            for row in rows:
                found = counted.get(row.pk, {})
                row.stale, row.counted_on = False, today
                row.total, row.closed = found.get("total", 0), found.get("closed", 0)
                row.red, row.yellow = found.get("red", 0), found.get("yellow", 0)
            UnitItemTally.objects.bulk_update(
                rows, ["stale", "counted_on", "total", "closed", "red", "yellow"], batch_size=BATCH
            )
            refreshed += len(rows)


def mark_stale(item: RectificationItem) -> None:
    """One upsert: the unit's first item inserts its row, later ones only flag it."""
    UnitItemTally.objects.bulk_create(
        [UnitItemTally(unit_id=item.unit_id, unit_path=item.unit_path, counted_on=clock.today(), stale=True)],
        update_conflicts=True,
        unique_fields=["unit"],
        update_fields=["stale"],
    )


def on_item_saved(sender: Any, instance: RectificationItem, **kwargs: Any) -> None:
    mark_stale(instance)

"""Reads for the public rating of finished items (开门整改): what may be rated, and the results."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from rectification.choices import ItemStatus
from rectification.models import ItemRating, RectificationItem
from rectification.selectors import public_items


def is_publicly_ratable(item: RectificationItem) -> bool:
    """Closed (销号) and shown on the unit's public page (published plan, never a personal measure)."""
    return (
        item.status == ItemStatus.CLOSED
        and item.unit.is_active
        and public_items(item.unit).filter(pk=item.pk).exists()
    )


def public_item_get(pk: int) -> RectificationItem:
    """A published item as the public sees it (only the public fields), or 404."""
    item = RectificationItem.objects.select_related("unit").filter(pk=pk, unit__is_active=True).first()
    if item is None:
        raise Http404
    shown = public_items(item.unit).filter(pk=pk).first()
    if shown is None:
        raise Http404
    shown.unit = item.unit  # the public fields only, and the unit already read
    return shown


def attach_ratings(items: Iterable[RectificationItem]) -> list[RectificationItem]:
    """Set ``rating`` on each item: its latest rating round, or None. One query."""
    items = list(items)
    latest: dict[int, ItemRating] = {}
    rows = ItemRating.objects.filter(item__in=[i.pk for i in items]).order_by("item_id", "-round")
    for rating in rows:
        latest.setdefault(rating.item_id, rating)
    for item in items:
        item.rating = latest.get(item.pk)  # type: ignore[attr-defined]
    return items


def item_ratings(item: RectificationItem) -> list[ItemRating]:
    """Every rating round of an item, latest first, with its survey. One query."""
    return list(ItemRating.objects.filter(item=item).select_related("survey").order_by("-round"))

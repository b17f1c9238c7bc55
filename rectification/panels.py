"""Sections rectification adds to a unit's page and to its public page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from campaign.pages import Panel
from rectification import selectors
from rectification.choices import ItemStatus, SourceKind
from rectification.rating_selectors import attach_ratings
from units.models import Unit

PUBLIC_LIMIT = 20


def unit_panels(request: HttpRequest, unit: Unit) -> list[Panel]:
    """整改落实: items by status and warning, plans, unanswered sources, 专项整治, 建章立制."""
    summary = selectors.unit_summary(request.user, unit)
    statuses = [(label, summary.by_status.get(value, 0), value) for value, label in ItemStatus.choices]
    unanswered = [
        (str(SourceKind(kind).label), n)
        for kind, n in summary.unanswered.items()
        if kind in SourceKind.values and n
    ]
    return [
        Panel(
            title=_("整改落实、建章立制"),
            template="rectification/_unit_panel.html",
            context={"summary": summary, "statuses": statuses, "unanswered": unanswered, "unit": unit},
            anchor="rectification",
        )
    ]


def public_sections(unit: Unit) -> list[Panel]:
    """开门整改: published 班子 plans and grassroots lists, never members' personal measures."""
    plans = list(selectors.public_plans(unit))
    if not plans:
        return []
    items = selectors.public_items(unit)
    shown: list[Any] = attach_ratings(selectors.attach_evidence_kinds(items[: PUBLIC_LIMIT + 1]))
    return [
        Panel(
            title=_("整改方案和整改清单"),
            template="rectification/_public_section.html",
            context={
                "plans": plans,
                "items": shown[:PUBLIC_LIMIT],
                "more": len(shown) > PUBLIC_LIMIT,
                "unit": unit,
            },
            anchor="rectification",
        )
    ]

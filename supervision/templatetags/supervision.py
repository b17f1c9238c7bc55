"""Template pieces other apps put on their record pages: the internal notes card and a 催办 button."""

from __future__ import annotations

from typing import Any

from django import template

from supervision.selectors import may_read_notes, notes_on
from units.access import scope_for

register = template.Library()


@register.inclusion_tag("supervision/_notes_card.html", takes_context=True)
def notes_card(context: dict[str, Any], record: Any, unit: Any) -> dict[str, Any]:
    """Internal notes on ``record`` (two queries); nothing at all for those who may not read them."""
    user = context["request"].user
    visible = may_read_notes(user, unit)
    return {
        "visible": visible,
        "notes": list(notes_on(user, record)) if visible else [],
        "record_label": record._meta.label,
        "record_id": record.pk,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("supervision/_urge_button.html", takes_context=True)
def urge_button(context: dict[str, Any], kind: str, object_id: int, unit_path: str) -> dict[str, Any]:
    user = context["request"].user
    return {
        "allowed": scope_for(user).reaches(unit_path, roles=["office", "supervisor"]),
        "kind": kind,
        "object_id": object_id,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }

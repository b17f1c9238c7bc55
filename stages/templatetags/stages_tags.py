"""Showing exact satisfaction rates: as a percentage and as the fraction they are."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(rate: Fraction | None, digits: int = 1) -> str:
    if rate is None:
        return "—"
    return f"{float(rate) * 100:.{int(digits)}f}%"


@register.filter
def fraction(rate: Fraction | None) -> str:
    if rate is None:
        return "—"
    return f"{rate.numerator}/{rate.denominator}"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None

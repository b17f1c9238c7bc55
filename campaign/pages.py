"""Extension points through which apps add sections to shared pages.

An app contributes to a unit's page by defining ``unit_panels(request, unit)``
in ``<app>/panels.py``, and to the public page of a unit by defining
``public_sections(unit)`` in the same module; each returns a list of Panel.
The unit page never imports the later apps, so adding a capability never
means editing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from campaign.apps import project_modules


@dataclass
class Panel:
    """A titled section rendered by ``template`` with ``context`` (and ``panel`` itself)."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    anchor: str = ""


def unit_panels(request: HttpRequest, unit: Any) -> list[Panel]:
    return [
        panel
        for module in project_modules("panels")
        if hasattr(module, "unit_panels")
        for panel in module.unit_panels(request, unit)
    ]


def public_sections(unit: Any) -> list[Panel]:
    return [
        panel
        for module in project_modules("panels")
        if hasattr(module, "public_sections")
        for panel in module.public_sections(unit)
    ]

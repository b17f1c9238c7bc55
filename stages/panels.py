"""Sections stage 1 adds to the unit page and to the unit's public page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from campaign.pages import Panel
from stages import selectors
from stages.forms import PublicOpinionForm, ReceiptForm
from units.access import scope_for
from units.models import Unit


def unit_panels(request: HttpRequest, unit: Unit) -> list[Panel]:
    """Study sessions, opinions by status, unclaimed groups, latest satisfaction: three queries
    (the scope; sessions, opinions and groups as one UNION ALL; the latest survey results)."""
    summary = selectors.unit_summary(unit)
    return [
        Panel(
            title=_("学习教育、听取意见"),
            template="stages/_unit_panel.html",
            anchor="stage-one",
            context={
                "unit": unit,
                "summary": summary,
                "is_office": scope_for(request.user).can_manage(unit.path),
            },
        )
    ]


def public_sections(unit: Unit) -> list[Panel]:
    """The public's part: send an opinion, look up an answer, answers published, open surveys."""
    campaign = selectors.campaign_for_unit(unit)
    context: dict[str, Any] = {
        "unit": unit,
        "accepting": campaign is not None and unit.is_active,
        "form": PublicOpinionForm(),
        "receipt_form": ReceiptForm(),
        "published": selectors.published_groups(unit),
        "surveys": selectors.open_public_surveys(unit),
    }
    return [
        Panel(title=_("听取意见"), template="stages/_public_section.html", anchor="opinions", context=context)
    ]

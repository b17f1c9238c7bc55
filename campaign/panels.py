"""The campaign's section on a unit's page: stage state, windows, gates, 回头看 and moves."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from campaign.pages import Panel
from campaign.selectors import unit_stage_overview
from units.access import scope_for
from units.choices import Level, Role


def unit_panels(request: HttpRequest, unit: Any) -> list[Panel]:
    """One query when the unit takes part in no campaign; a fixed handful when it does."""
    scope = scope_for(request.user)
    views = unit_stage_overview(request.user, unit)
    is_area = unit.is_territorial and Level.PROVINCE <= unit.level < Level.VILLAGE
    if not views and not is_area:
        return []
    can_manage = scope.can_manage(unit.path)
    is_supervisor = scope.reaches(unit.path, roles=[Role.SUPERVISOR])
    return [
        Panel(
            title=_("教育实践活动环节"),
            template="campaign/_unit_stage_panel.html",
            anchor="stages",
            context={
                "unit": unit,
                "views": views,
                "is_area": is_area,
                "can_manage": can_manage,
                "can_lookback": is_supervisor,
                "can_close": can_manage or is_supervisor,
            },
        )
    ]

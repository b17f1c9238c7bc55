"""督导 on a unit's page: 约谈/问责, monthly 听取汇报 (for 县 and 市直 secretaries), internal notes."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from campaign.pages import Panel
from supervision.models import Accountability, ReportHearing
from supervision.monthly import may_request_monthly_report
from supervision.selectors import may_read_notes, record_evaluation_links
from units.choices import Level, UnitCategory, UnitKind
from units.models import Unit


def hearings_owed(unit: Unit) -> bool:
    """[002] 四(一): 县（区）、市直单位党委（党组）书记每月至少专题听取一次汇报."""
    return unit.kind == UnitKind.COUNTY or (unit.category == UnitCategory.DIRECT and unit.level == Level.CITY)


def unit_panels(request: HttpRequest, unit: Unit) -> list[Panel]:
    panels = []
    if may_request_monthly_report(request.user, unit):
        panels.append(
            Panel(
                title=_("文书报告"),
                template="supervision/_documents_panel.html",
                context={"unit": unit, "evaluations": record_evaluation_links(request.user, unit)},
                anchor="documents",
            )
        )
    if not may_read_notes(request.user, unit):
        return panels
    context = {
        "unit": unit,
        "accountability": Accountability.objects.filter(unit=unit).select_related("person")[:5],
        "hearings": ReportHearing.objects.filter(unit=unit)[:3] if hearings_owed(unit) else None,
    }
    return [
        Panel(
            title=_("督导"), template="supervision/_unit_panel.html", context=context, anchor="supervision"
        ),
        *panels,
    ]

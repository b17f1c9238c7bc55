"""The materials section of a unit's page, and published materials on its public page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign.links import url_maker
from campaign.pages import Panel
from materials import sections
from materials.selectors import can_edit, open_steps_by_review, published_materials, required_materials
from units.access import scope_for
from units.models import Unit
from units.selectors import seated_posts


def unit_panels(request: HttpRequest, unit: Unit) -> list[Panel]:
    required = required_materials(unit, posts=seated_posts(request, unit))
    if not required:
        return []
    scope = scope_for(request.user)
    open_steps = open_steps_by_review(
        [r.material.review_id for r in required if r.material and r.material.review_id]
    )
    # The link and the status label per row made once here (a county's list has a dozen and more
    # rows; reverse(), get_status_display and an {% include %} per row were most of its time).
    material_url = url_maker("materials:detail")
    status_labels: dict[str, str] = {}
    rows = []
    for entry in required:
        material = entry.material
        status = material.status if material else ""
        if material and status not in status_labels:
            status_labels[status] = material.get_status_display()
        rows.append(
            {
                "entry": entry,
                "url": material_url(material.pk) if material else "",
                "status": status,
                "status_label": status_labels.get(status, ""),
                "steps": open_steps.get(material.review_id, []) if material and material.review_id else [],
                "can_start": (entry.person is not None and entry.person.pk == scope.person_id)
                or (
                    entry.person is None
                    and any(g.role == "principal" and g.unit_id == unit.pk for g in scope.grants)
                ),
                "can_open": material is not None
                and (scope.reaches(unit.path) or can_edit(request.user, material)),
            }
        )
    return [
        Panel(
            title=_("对照检查材料"),
            template="materials/_unit_panel.html",
            context={
                "rows": rows,
                "unit": unit,
                "start_url": reverse("materials:start"),
                "can_oversee": scope.reaches(
                    unit.path, roles=["office", "supervisor", "oversight", "principal"]
                ),
            },
            anchor="materials",
        )
    ]


def public_sections(unit: Unit) -> list[Panel]:
    published = list(published_materials(unit).prefetch_related("versions"))
    if not published:
        return []
    items: list[dict[str, Any]] = []
    for material in published:
        version = max(material.versions.all(), key=lambda v: v.number)
        items.append(
            {"material": material, "sections": [s for s in sections.sections_text(version.content) if s[1]]}
        )
    return [
        Panel(
            title=_("对照检查材料公示"),
            template="materials/_public_section.html",
            context={"items": items},
            anchor="materials",
        )
    ]


# --- 谈心谈话 and the meeting: a second panel beside the materials one ------------------------

from materials.meeting_choices import MeetingKind  # noqa: E402
from materials.meeting_selectors import current_meetings  # noqa: E402
from materials.talk_selectors import meeting_kind_for, requires_talks, talk_coverage  # noqa: E402

_materials_panels = unit_panels


def meeting_panels(request: HttpRequest, unit: Unit) -> list[Panel]:
    """谈心谈话 coverage, the meeting and its 专题报告: four queries for the coverage (the 班子
    come with the page's ``seated_posts``), one for the meeting."""
    kind = meeting_kind_for(unit)
    if kind is None:
        return []
    return [
        Panel(
            title=_("谈心谈话和民主生活会") if kind == MeetingKind.DEMOCRATIC_LIFE else _("组织生活会"),
            template="materials/_meeting_panel.html",
            context={
                "unit": unit,
                "coverage": (
                    talk_coverage([unit], posts=seated_posts(request, unit))[unit.pk]
                    if requires_talks(unit)
                    else None
                ),
                "meeting": current_meetings([unit]).get(unit.pk),
                "kind_label": MeetingKind(kind).label,
                "can_oversee": scope_for(request.user).reaches(
                    unit.path, roles=["office", "supervisor", "oversight", "principal"]
                ),
            },
            anchor="meetings",
        )
    ]


def unit_panels(request: HttpRequest, unit: Unit) -> list[Panel]:  # type: ignore[no-redef]
    return _materials_panels(request, unit) + meeting_panels(request, unit)

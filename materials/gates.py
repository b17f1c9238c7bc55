"""Gate: every 对照检查材料 a unit owes is approved ([002] 六: "对照检查材料审核没有通过的，不能开会")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from campaign import gates
from materials.choices import MaterialStatus
from materials.selectors import required_materials_for


@gates.evaluator("materials_approved", fix_url_name="materials:under")
def materials_approved(
    campaign: Any, units: list[Any], params: dict[str, Any]
) -> dict[int, gates.GateResult]:
    required = required_materials_for(units)
    results = {}
    for unit in units:
        entries = required.get(unit.pk, [])
        missing = [
            (
                e.material.title
                if e.material
                else f"{e.label}{'（' + e.person.name + '）' if e.person else ''}"
            )
            for e in entries
            if e.material is None or e.material.status != MaterialStatus.APPROVED
        ]
        if not entries:
            results[unit.pk] = gates.GateResult(True, _("本单位无需撰写对照检查材料"))
        elif missing:
            shown = "、".join(missing[:3]) + (_("等") if len(missing) > 3 else "")
            results[unit.pk] = gates.GateResult(
                False, _("%(n)d份材料尚未审核通过：%(list)s") % {"n": len(missing), "list": shown}
            )
        else:
            results[unit.pk] = gates.GateResult(True, _("%(n)d份材料均已审核通过") % {"n": len(entries)})
    return results

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


def _boolean(results: dict[int, bool], met: str, unmet: str) -> dict[int, gates.GateResult]:
    return {unit_id: gates.GateResult(ok, met if ok else unmet) for unit_id, ok in results.items()}


@gates.evaluator("talks_complete", fix_url_name="materials:talks")
def talks_complete(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, gates.GateResult]:
    from materials.talk_selectors import talks_complete as complete

    return _boolean(complete(units), _("“四必谈”已全覆盖"), _("“四必谈”尚未全覆盖"))


@gates.evaluator("democratic_meeting_held", fix_url_name="materials:meeting_unit")
def meeting_held(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, gates.GateResult]:
    from materials.meeting_selectors import meeting_held as held

    return _boolean(
        held(units), _("专题民主生活会（组织生活会）已召开"), _("专题民主生活会（组织生活会）尚未召开")
    )


@gates.evaluator("meeting_briefing_held", fix_url_name="materials:meeting_unit")
def briefing_held(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, gates.GateResult]:
    from materials.meeting_selectors import briefing_done

    return _boolean(
        briefing_done(units),
        _("已召开情况通报会，群众评议满意率达到三分之二"),
        _("情况通报会暨群众评议尚未完成"),
    )


@gates.evaluator("meeting_report_filed", fix_url_name="materials:meeting_unit")
def report_filed(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, gates.GateResult]:
    from materials.meeting_selectors import report_filed as filed

    return _boolean(filed(units), _("专题报告已报送活动办"), _("专题报告尚未报送活动办"))

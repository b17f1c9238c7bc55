"""Gates on stage 3: items signed off or explained ([003] 销号), 专项整治 accepted ([003] 评估验收)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign import gates
from rectification.choices import Handling, ItemStatus, SourceKind
from rectification.models import RectificationItem
from rectification.selectors import failed_acceptance_unit_ids, unanswered_source_counts


@gates.evaluator("rectification_items_closed", fix_url_name="rectification:ledger")
def items_closed(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, gates.GateResult]:
    """Every live item 已销号, or 暂不具备条件 with its explanation to the public."""
    rows = (
        RectificationItem.objects.filter(unit__in=units)
        .exclude(status=ItemStatus.WITHDRAWN)
        .values("unit_id")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=~Q(status=ItemStatus.CLOSED) & ~Q(handling=Handling.NOT_YET)),
        )
        .order_by()
    )
    counts = {row["unit_id"]: (row["total"], row["open"]) for row in rows}
    results = {}
    for unit in units:
        total, still_open = counts.get(unit.pk, (0, 0))
        if total == 0:
            results[unit.pk] = gates.GateResult(False, _("尚未建立整改清单"))
        elif still_open:
            results[unit.pk] = gates.GateResult(False, _("%(n)d项整改事项尚未销号") % {"n": still_open})
        else:
            results[unit.pk] = gates.GateResult(True, _("%(n)d项整改事项均已销号或作出说明") % {"n": total})
    return results


@gates.evaluator("special_rectification_passed", fix_url_name="rectification:projects")
def special_passed(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, gates.GateResult]:
    failed = failed_acceptance_unit_ids(units)
    return {
        unit.pk: gates.GateResult(False, _("专项整治评估验收不合格"))
        if unit.pk in failed
        else gates.GateResult(True, _("没有不合格的专项整治"))
        for unit in units
    }


gates.declare(
    "sources_answered",
    label=gettext_lazy("“四个回应”：征求的意见、查摆的问题、会上的批评和上级点明的问题都有整改事项回应"),
    fix_label=gettext_lazy("“四个回应”待回应来源"),
    description=gettext_lazy(
        "回应征求到的群众意见、对照检查材料查摆的问题、民主生活会上的批评意见、上级和督导组点明的问题 [003]。"
    ),
)


@gates.evaluator("sources_answered", fix_url_name="rectification:sources")
def sources_answered(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, gates.GateResult]:
    counts = unanswered_source_counts(units)
    results = {}
    for unit in units:
        missing = {kind: n for kind, n in counts.get(unit.pk, {}).items() if n}
        if missing:
            detail = "、".join(f"{SourceKind(k).label}{n}条" for k, n in missing.items())
            results[unit.pk] = gates.GateResult(False, _("尚未回应：%(d)s") % {"d": detail})
        else:
            results[unit.pk] = gates.GateResult(True, _("各类来源均已有整改事项回应"))
    return results

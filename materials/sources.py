"""Problems listed in 对照检查材料 as "四个回应" sources that rectification items answer [003]."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from materials.meeting_models import MeetingCriticism
from materials.meeting_selectors import meeting_criticisms
from materials.models import MaterialProblem
from rectification.source_registry import SourceInfo, SourceProvider, unit_ids, unit_set


class MaterialProblems(SourceProvider):
    """The live problems of every submitted material of the unit (班子 and personal)."""

    kind = "material_problem"
    unit_field = "unit_id"

    def sources_for_units(self, units: Iterable[Any]) -> QuerySet:
        return MaterialProblem.objects.filter(unit__in=unit_set(units), is_active=True).select_related(
            "material"
        )

    def info(self, row: MaterialProblem) -> SourceInfo:
        return SourceInfo(
            kind=self.kind,
            id=row.pk,
            unit_id=row.unit_id,
            label=f"{row.material.title}：{row.text[:60]}",
            url=reverse("materials:detail", args=[row.material_id]),
        )

    def describe(self, ids: Iterable[int]) -> dict[int, SourceInfo]:
        rows = MaterialProblem.objects.filter(pk__in=list(ids)).select_related("material")
        return {row.pk: self.info(row) for row in rows}


class MeetingCriticisms(SourceProvider):
    """Criticisms received at the 专题民主生活会: stage three answers each one [001]."""

    kind = "meeting_criticism"
    unit_field = "unit_id"

    def sources_for_units(self, units: Iterable[Any]) -> QuerySet:
        return meeting_criticisms(unit_ids(units))

    def info(self, row: MeetingCriticism) -> SourceInfo:
        return SourceInfo(
            kind=self.kind,
            id=row.pk,
            unit_id=row.unit_id,
            label=f"{row.critic.name} → {row.target.name}：{row.content[:60]}",
            url=reverse("materials:meeting", args=[row.meeting_id]),
        )

    def describe(self, ids: Iterable[int]) -> dict[int, SourceInfo]:
        rows = MeetingCriticism.objects.filter(pk__in=list(ids)).select_related("critic", "target")
        return {row.pk: self.info(row) for row in rows}


providers = [MaterialProblems(), MeetingCriticisms()]

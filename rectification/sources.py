"""The source kinds rectification provides itself: problems pointed out by superiors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from rectification.choices import SourceKind
from rectification.models import PointedProblem
from rectification.source_registry import SourceInfo, SourceProvider, unit_set


class PointedProblemProvider(SourceProvider):
    """上级党组织和督导组点明的问题 [003], recorded in ``PointedProblem``."""

    kind = SourceKind.POINTED_PROBLEM
    unit_field = "unit_id"

    def sources_for_units(self, units: Iterable[Any]) -> QuerySet:
        return PointedProblem.objects.filter(unit__in=unit_set(units)).order_by("pointed_on", "pk")

    def info(self, row: Any) -> SourceInfo:
        return SourceInfo(
            kind=self.kind, id=row.pk, unit_id=row.unit_id, label=f"{row.pointed_by_name}：{row.text.strip()}"
        )

    def describe(self, ids: Iterable[int]) -> dict[int, SourceInfo]:
        return {row.pk: self.info(row) for row in PointedProblem.objects.filter(pk__in=list(ids))}


providers = [PointedProblemProvider()]

"""Opinions from the public as "四个回应" sources: each standing group, and each opinion no group holds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from rectification.source_registry import SourceInfo, SourceProvider, unit_set
from stages.choices import GroupStatus
from stages.models import Opinion, OpinionGroup

STANDING = [GroupStatus.CONFIRMED, GroupStatus.CLAIMED, GroupStatus.ANSWERED, GroupStatus.PUBLISHED]


class OpinionGroups(SourceProvider):
    kind = "opinion_group"

    def sources_for_units(self, units: Iterable[Any]) -> QuerySet:
        return OpinionGroup.objects.filter(unit__in=unit_set(units), status__in=STANDING)

    def info(self, row: OpinionGroup) -> SourceInfo:
        return SourceInfo(self.kind, row.pk, row.unit_id, row.title[:80], row.get_absolute_url())

    def describe(self, ids: Iterable[int]) -> dict[int, SourceInfo]:
        return {row.pk: self.info(row) for row in OpinionGroup.objects.filter(pk__in=list(ids))}


class LooseOpinions(SourceProvider):
    """Opinions not (yet) in a standing group are answered one by one."""

    kind = "opinion"

    def sources_for_units(self, units: Iterable[Any]) -> QuerySet:
        return Opinion.objects.filter(unit__in=unit_set(units)).filter(
            Q(group__isnull=True) | ~Q(group__status__in=STANDING)
        )

    def info(self, row: Opinion) -> SourceInfo:
        return SourceInfo(self.kind, row.pk, row.unit_id, row.text[:80], row.get_absolute_url())

    def describe(self, ids: Iterable[int]) -> dict[int, SourceInfo]:
        return {row.pk: self.info(row) for row in Opinion.objects.filter(pk__in=list(ids))}


providers = [OpinionGroups(), LooseOpinions()]

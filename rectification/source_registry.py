"""The "四个回应" sources: a registry of providers, one per source kind.

An item answers sources that live in other apps — opinions and opinion groups
(``stages``), problems listed in a 对照检查材料 (``materials``), criticisms from the
专题民主生活会, problems pointed out by superiors (``rectification.PointedProblem``).
Each app describes its sources to rectification with a provider, listed in
``<app>/sources.py`` as::

    providers = [MyProvider()]

A provider subclasses :class:`SourceProvider`:

- ``kind``: a ``rectification.choices.SourceKind`` value;
- ``sources_for_units(units)``: a lazy QuerySet of the source rows that belong to
  those units (a list or QuerySet of ``units.Unit``; filter with ``unit_set(units)`` or
  ``unit_ids(units)``, which keep a QuerySet a subquery) — one SQL query however many
  units; its ``pk`` is the ``source_id`` items link to, and ``unit_field`` names the
  column holding the source's unit id (for per-unit counts);
- ``info(row)``: a :class:`SourceInfo` for one row of that QuerySet (no query);
- ``describe(ids)``: ``{id: SourceInfo}`` for the given ids, in one query.

This module collects the providers lazily with ``project_modules("sources")`` (it is
deliberately not called ``sources.py`` itself, so collecting never imports it again).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import CharField, Count, Exists, F, OuterRef, QuerySet, Value

from campaign.apps import project_modules
from rectification.choices import LIVE_STATUSES, SourceKind


@dataclass(frozen=True)
class SourceInfo:
    kind: str
    id: int
    unit_id: int
    label: str
    url: str = ""

    @property
    def kind_label(self) -> str:
        return str(SourceKind(self.kind).label) if self.kind in SourceKind.values else self.kind


def unit_set(units: Iterable[Any]) -> QuerySet | list[Any]:
    """``units`` for a ``unit__in`` filter: a QuerySet stays one (a subquery: a province's
    dashboard passes its participating units so, not as a 20,000-id list), anything else a list."""
    return units if isinstance(units, QuerySet) else list(units)


def unit_ids(units: Iterable[Any]) -> QuerySet | list[int]:
    """The ids of ``units`` for a ``unit_id__in`` filter, a subquery when ``units`` is a QuerySet."""
    return units.values("pk") if isinstance(units, QuerySet) else [u.pk for u in units]


class SourceProvider:
    """Base class of the providers; see the module docstring for the contract."""

    kind: str = ""
    unit_field: str = "unit_id"

    def sources_for_units(self, units: Iterable[Any]) -> QuerySet:
        raise NotImplementedError

    def info(self, row: Any) -> SourceInfo:
        raise NotImplementedError

    def describe(self, ids: Iterable[int]) -> dict[int, SourceInfo]:
        raise NotImplementedError

    @property
    def label(self) -> str:
        return str(SourceKind(self.kind).label)


_providers: dict[str, SourceProvider] | None = None


def providers() -> dict[str, SourceProvider]:
    """The registered providers by kind, in the order of SourceKind."""
    global _providers
    if _providers is None:
        found: dict[str, SourceProvider] = {}
        for module in project_modules("sources"):
            for provider in getattr(module, "providers", []):
                if provider.kind not in SourceKind.values:
                    raise ImproperlyConfigured(f"unknown source kind {provider.kind!r} in {module.__name__}")
                if provider.kind in found:
                    raise ImproperlyConfigured(f"two providers for source kind {provider.kind!r}")
                found[provider.kind] = provider
        _providers = {kind: found[kind] for kind in SourceKind.values if kind in found}
    return _providers


def provider_for(kind: str) -> SourceProvider | None:
    return providers().get(kind)


@contextmanager
def overridden(*extra: SourceProvider) -> Iterator[None]:
    """Tests: register extra providers (replacing those of the same kind) inside the block."""
    global _providers
    saved = dict(providers())
    _providers = {**saved, **{p.kind: p for p in extra}}
    try:
        yield
    finally:
        _providers = saved


@contextmanager
def exclusively(*only: SourceProvider) -> Iterator[None]:
    """Tests: only these providers are registered inside the block."""
    global _providers
    saved = dict(providers())
    _providers = {p.kind: p for p in only}
    try:
        yield
    finally:
        _providers = saved


def _answered(kind: str) -> Exists:
    from rectification.models import ItemSource

    return Exists(
        ItemSource.objects.filter(source_kind=kind, source_id=OuterRef("pk"), item__status__in=LIVE_STATUSES)
    )


def unanswered(provider: SourceProvider, units: Iterable[Any]) -> QuerySet:
    """Sources of ``units`` that no live item answers yet (one query when evaluated)."""
    return provider.sources_for_units(units).filter(~_answered(provider.kind))


def unanswered_count_rows(units: Iterable[Any]) -> list[QuerySet]:
    """Per registered provider, its unanswered sources counted per unit: a ``values()``
    QuerySet of ``source_kind``, ``source_unit`` and ``n``, unevaluated, so that a caller
    can make them part of a UNION ALL of its own (the unit page's 整改落实 panel does)."""
    units = list(units) if not isinstance(units, QuerySet) else units
    return [
        unanswered(provider, units)
        .order_by()
        .values(source_unit=F(provider.unit_field))
        .annotate(source_kind=Value(kind, output_field=CharField()), n=Count("pk"))
        for kind, provider in providers().items()
    ]


def unanswered_counts(units: Iterable[Any]) -> dict[int, dict[str, int]]:
    """{unit id: {source kind: number unanswered}}: one query (a UNION ALL of every registered
    provider's grouped count), however many providers and units."""
    result: dict[int, dict[str, int]] = {}
    counts = [rows.values_list("source_kind", "source_unit", "n") for rows in unanswered_count_rows(units)]
    if not counts:
        return result
    first, *rest = counts
    for kind, unit_id, n in first.union(*rest, all=True) if rest else first:
        result.setdefault(unit_id, {})[kind] = n
    return result


def describe(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], SourceInfo]:
    """Labels for (kind, id) pairs: one query per kind present."""
    by_kind: dict[str, list[int]] = {}
    for kind, ident in pairs:
        by_kind.setdefault(kind, []).append(ident)
    result: dict[tuple[str, int], SourceInfo] = {}
    for kind, ids in by_kind.items():
        provider = provider_for(kind)
        if provider is None:
            continue
        for ident, info in provider.describe(ids).items():
            result[(kind, ident)] = info
    return result

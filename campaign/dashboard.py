"""The dashboard of a subtree: summary figures, the drill-down table of the children, charts.

Reads only. One computation (``campaign.figures``) gives the rows of every child and of the
root's own records; the totals are their sums. Queries, whatever the size of the subtree:
the children (1), each provider's grouped queries (fixed, see each provider), the breakdowns
(1 each) and the charts (1 per series that needs one) — pinned in tests/campaign/test_dashboard.py.
The computed part (``Snapshot``) is cached for ``DASHBOARD_CACHE_SECONDS`` and warmed for the
campaign's top units by ``campaign.tasks.dashboard_warm_task``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign import figures, selectors
from campaign.figures import Breakdown, Chart, Column, FigureContext
from campaign.models import Campaign
from units.access import SUBTREE_ROLES, scope_for
from units.choices import UnitKind
from units.models import Unit
from units.selectors import unit_get_visible

NAME_SORT = "name"


@dataclass
class ChildRow:
    unit: Unit
    values: dict[str, Any]
    rank: int | None = None


@dataclass
class Dashboard:
    campaign: Campaign
    root: Unit
    subtree: bool
    columns: list[Column]
    table_columns: list[Column]
    totals: dict[str, Any]
    own: dict[str, Any]
    rows: list[ChildRow]
    kinds: list[tuple[str, str, int]]
    kind: str
    sort: str
    direction: str
    breakdowns: list[Breakdown] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    ancestors: list[Unit] = field(default_factory=list)
    computed_at: datetime.datetime | None = None

    @property
    def groups(self) -> list[tuple[str, list[Column]]]:
        """Columns grouped for the summary cards, in provider order."""
        result: list[tuple[str, list[Column]]] = []
        for column in self.columns:
            if result and result[-1][0] == str(column.group):
                result[-1][1].append(column)
            else:
                result.append((str(column.group), [column]))
        return result

    @property
    def table_groups(self) -> list[tuple[str, int]]:
        result: list[tuple[str, int]] = []
        for column in self.table_columns:
            if result and result[-1][0] == str(column.group):
                result[-1] = (result[-1][0], result[-1][1] + 1)
            else:
                result.append((str(column.group), 1))
        return result


def sees_subtree(user: Any, root: Unit) -> bool:
    """Whether the user reaches the units below ``root`` (a 班子 member sees his own unit only)."""
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.roles_on(root.path) & SUBTREE_ROLES)


def default_direction(column: Column | None) -> str:
    """Best first: descending unless lower is better (late, stuck, failed …)."""
    if column is None:
        return "asc"
    return "asc" if column.higher_is_better is False else "desc"


def dashboard_for(
    user: Any, code: str, query: Mapping[str, str], *, with_charts: bool = True, may_refresh: bool = False
) -> Dashboard:
    """The dashboard a page or an API call asks for: the unit by code, the campaign, and the
    table's sort and filter from the query string (``campaign``, ``sort``, ``dir``, ``kind``)."""
    root = unit_get_visible(user, code)
    campaign = selectors.campaign_for_unit(user, root, query.get("campaign"))
    return dashboard(
        user,
        campaign,
        root,
        sort=query.get("sort", ""),
        direction=query.get("dir", ""),
        kind=query.get("kind", ""),
        with_charts=with_charts,
        # Recounting a province takes seconds: only office staff may skip the cache.
        refresh=may_refresh and query.get("refresh") == "1" and scope_for(user).is_office_staff,
    )


def dashboard(
    user: Any,
    campaign: Campaign,
    root: Unit,
    *,
    sort: str = "",
    direction: str = "",
    kind: str = "",
    with_charts: bool = True,
    refresh: bool = False,
) -> Dashboard:
    """The figures of ``root``'s subtree as far as the user sees, and its children sorted and ranked."""
    subtree = sees_subtree(user, root)
    ctx = FigureContext(campaign=campaign, root=root, subtree=subtree)
    providers = figures.all_providers()
    columns = [c for p in providers for c in p.columns]
    table_columns = [c for c in columns if not c.summary_only]
    by_key = {c.key: c for c in columns}

    children: list[Unit] = (
        list(
            Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1, is_active=True).order_by(
                "path"
            )
        )
        if subtree
        else []
    )
    snap = snapshot(ctx, providers, children, with_charts=with_charts, refresh=refresh)
    rows = snap.rows
    totals = figures.totals(rows, columns)
    own: dict[str, Any] = {c.key: 0 for c in columns if c.ratio is None}
    own.update(rows.get(root.path, {}))
    figures.add_ratios(own, columns)

    kind_labels = dict(UnitKind.choices)
    kind_counts: dict[str, int] = {}
    for child in children:
        kind_counts[child.kind] = kind_counts.get(child.kind, 0) + 1
    kinds = [(k, str(kind_labels.get(k, k)), n) for k, n in kind_counts.items()]
    if kind not in kind_counts:
        kind = ""

    child_rows = []
    for child in children:
        if kind and child.kind != kind:
            continue
        values: dict[str, Any] = {c.key: 0 for c in columns if c.ratio is None}
        values.update(rows.get(child.path, {}))
        figures.add_ratios(values, columns)
        child_rows.append(ChildRow(child, values))

    column = by_key.get(sort)
    if column is None and sort != NAME_SORT:
        sort = ""
    if direction not in ("asc", "desc"):
        direction = default_direction(column) if column else "asc"
    if column is not None:
        present = [r for r in child_rows if r.values.get(sort) is not None]
        missing = [r for r in child_rows if r.values.get(sort) is None]
        present.sort(key=lambda r: (r.values[sort], r.unit.path), reverse=direction == "desc")
        previous, rank = None, 0
        for index, row in enumerate(present, start=1):
            if row.values[sort] != previous:
                rank, previous = index, row.values[sort]
            row.rank = rank
        child_rows = present + missing
    elif sort == NAME_SORT:
        child_rows.sort(key=lambda r: r.unit.name, reverse=direction == "desc")

    scope = scope_for(user)
    ancestors = [
        u
        for u in Unit.objects.filter(path__in=root.ancestor_paths()).order_by("path")
        if scope.reaches(u.path)
    ]
    result = Dashboard(
        campaign=campaign,
        root=root,
        subtree=subtree,
        columns=columns,
        table_columns=table_columns,
        totals=totals,
        own=own,
        rows=child_rows,
        kinds=sorted(kinds, key=lambda k: k[1]),
        kind=kind,
        sort=sort,
        direction=direction,
        ancestors=ancestors,
    )
    if with_charts:
        result.breakdowns = snap.breakdowns
        result.charts = snap.charts
    result.computed_at = snap.computed_at
    return result


@dataclass
class Snapshot:
    """The computed part of a dashboard: the rows of every provider, breakdowns and charts."""

    rows: figures.Rows
    breakdowns: list[Breakdown]
    charts: list[Chart]
    computed_at: datetime.datetime


def cache_seconds() -> int:
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 0) or 0)


def _cache_key(ctx: FigureContext) -> str:
    return f"dashboard:v1:{ctx.campaign.pk}:{ctx.root.path}:{int(ctx.subtree)}:{ctx.today.isoformat()}"


def snapshot(
    ctx: FigureContext,
    providers: list[figures.Provider],
    children: list[Unit],
    *,
    with_charts: bool = True,
    refresh: bool = False,
) -> Snapshot:
    """The figures of a subtree, from the cache when ``DASHBOARD_CACHE_SECONDS`` allows.

    A large subtree (a province of 25,000 units and a million 整改事项) takes seconds to
    count; the result is kept for ``DASHBOARD_CACHE_SECONDS`` (per campaign, root, reach and
    day — the same for every user with the same reach) and ``dashboard_warm_task`` recomputes
    the top units' ahead of time. With caching off, only what is asked for is computed.
    """
    seconds = cache_seconds()
    key = _cache_key(ctx)
    if seconds and not refresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    full = with_charts or bool(seconds)
    rows: figures.Rows = {}
    breakdowns: list[Breakdown] = []
    charts: list[Chart] = []
    with figures.gc_paused():
        for provider in providers:
            figures.merge(rows, provider.rows(ctx))
        if full:
            for provider in providers:
                breakdowns.extend(provider.breakdowns(ctx))
                charts.extend(provider.charts(ctx, rows, children))
    snap = Snapshot(rows, breakdowns, charts, timezone.localtime())
    if seconds:
        cache.set(key, snap, seconds)
    return snap


def table_header(board: Dashboard) -> list[str]:
    return [_("排名"), _("单位"), _("单位类型"), *[_column_title(c) for c in board.table_columns]]


def _column_title(column: Column) -> str:
    title = f"{column.group}·{column.label}"
    return f"{title}（%）" if column.ratio else title


def table_rows(board: Dashboard) -> list[list[Any]]:
    """The drill-down table as the .xlsx holds it: the children, the root's own records, the total."""
    keys = [c.key for c in board.table_columns]
    result: list[list[Any]] = [
        [
            row.rank or "",
            row.unit.name,
            row.unit.get_kind_display(),
            *[_cell(row.values.get(k)) for k in keys],
        ]
        for row in board.rows
    ]
    own_name = _("%(name)s（本级）") % {"name": board.root.name}
    result.append(["", own_name, board.root.get_kind_display(), *[_cell(board.own.get(k)) for k in keys]])
    result.append(["", _("合计"), "", *[_cell(board.totals.get(k)) for k in keys]])
    return result


def _cell(value: Any) -> Any:
    return "" if value is None else value


def as_json(board: Dashboard) -> dict[str, Any]:
    """Totals, children rows and chart series, for the API and the page's charts."""
    return {
        "campaign": board.campaign.pk,
        "unit": {"code": board.root.code, "name": board.root.name, "kind": board.root.kind},
        "subtree": board.subtree,
        "columns": [
            {
                "key": c.key,
                "label": str(c.label),
                "group": str(c.group),
                "higher_is_better": c.higher_is_better,
                "ratio": bool(c.ratio),
                "in_table": not c.summary_only,
            }
            for c in board.columns
        ],
        "totals": board.totals,
        "own": board.own,
        "children": [
            {
                "code": r.unit.code,
                "name": r.unit.name,
                "kind": r.unit.kind,
                "rank": r.rank,
                "values": r.values,
            }
            for r in board.rows
        ],
        "charts": [c.as_dict() for c in board.charts],
    }


def warm(campaign: Campaign, root: Unit) -> None:
    """Recompute and cache the full-reach figures of ``root`` (for dashboard_warm_task)."""
    ctx = FigureContext(campaign=campaign, root=root, subtree=True)
    children = list(
        Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1, is_active=True).order_by("path")
    )
    snapshot(ctx, figures.all_providers(), children, refresh=True)

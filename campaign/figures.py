"""Dashboard figures of a subtree: a registry of providers collected from each app's ``figures.py``.

A provider declares its columns and computes, for a root unit and a campaign, the
figures of every child of the root and of the root's own records, each with ONE grouped
query over its records: ``unit_path`` starts with the root's path, grouped by the
child's path prefix ``substr(unit_path, 1, len(root.path) + 4)`` (the root's own records
group under the root's path itself). The dashboard's totals are the sums of those rows,
so one computation serves the summary cards and the drill-down table, and the number of
queries does not depend on the size of the subtree.

An app adds figures by defining ``providers = [...]`` in ``<app>/figures.py``::

    class OpinionFigures(figures.Provider):
        name = "opinions"
        columns = [figures.Column("opinions", _("收到意见"), _("征求意见"))]

        def rows(self, ctx):
            return figures.grouped(Opinion.objects.filter(campaign=ctx.campaign), ctx, opinions=Count("pk"))

A column is either a count (summed for the totals) or a ratio of two other columns of the
same provider (``ratio=("satisfied", "answered")``), computed after summing.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import (
    Aggregate,
    Case,
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    QuerySet,
    Value,
    When,
    signals,
)
from django.db.models.base import ModelState
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from campaign import clock
from campaign.apps import project_modules
from campaign.choices import LookBackStatus, Stage, StageStatus, Verdict
from units.models import Unit

STEP = Unit.steplen
Rows = dict[str, dict[str, int]]


@dataclass(frozen=True)
class Column:
    """One figure: ``higher_is_better`` orders the ranking (None: the column is not ranked)."""

    key: str
    label: Any
    group: Any
    higher_is_better: bool | None = True
    ratio: tuple[str, str] | None = None
    # Shown in the summary cards only, not as a column of the drill-down table.
    summary_only: bool = False
    # A column shown in red when above zero (late, stuck, failed …).
    alert: bool = False


@dataclass
class FigureContext:
    """What a provider needs: the campaign, the root, whether to look below it, and today."""

    campaign: Any
    root: Unit
    subtree: bool
    today: datetime.date = field(default_factory=clock.today)
    # What several providers read once per computation (e.g. the stage states of the subtree).
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def prefix_length(self) -> int:
        return len(self.root.path) + STEP

    def under(self, queryset: QuerySet[Any], path_field: str = "unit_path") -> QuerySet[Any]:
        """The records of the subtree, or only the root's own when the user sees no further."""
        if self.subtree:
            return queryset.filter(**{f"{path_field}__startswith": self.root.path})
        return queryset.filter(**{path_field: self.root.path})

    def child_of(self, path: str) -> str:
        """The row a record at ``path`` counts in: its child's path prefix (or the root's path)."""
        return path[: self.prefix_length]

    def stage_states(self) -> list[Any]:
        """The campaign's stage states of the subtree (or of the root alone), units loaded: one
        query, shared by the providers that need the participating units (gates, talks, sources).

        Every field of both models is read, so that an evaluator touching any of them costs no
        query, but as one ``values_list`` whose rows are put into instances directly: at a
        province's 26,000 states, ``select_related`` spent most of a second in ``Model.__init__``
        for the same values.
        """
        if "stage_states" not in self.memo:
            from campaign.models import UnitStage

            queryset = self.under(UnitStage.objects.filter(campaign=self.campaign)).order_by("unit_path")
            state_fields = [f.attname for f in UnitStage._meta.concrete_fields]
            unit_fields = [f.attname for f in Unit._meta.concrete_fields]
            split = len(state_fields)
            load_state = _loader(UnitStage, state_fields, queryset.db)
            load_unit = _loader(Unit, unit_fields, queryset.db)
            states = []
            for row in queryset.values_list(*state_fields, *(f"unit__{name}" for name in unit_fields)):
                state = load_state(row[:split])
                state._state.fields_cache["unit"] = load_unit(row[split:])
                states.append(state)
            self.memo["stage_states"] = states
        result: list[Any] = self.memo["stage_states"]
        return result


def _loader(model: type[Model], attnames: list[str], db: str) -> Callable[[tuple[Any, ...]], Any]:
    """Makes instances of ``model`` from rows of every concrete field (``attnames``, in order) as
    ``Model.from_db`` does, but without ``__init__`` unless ``pre_init`` / ``post_init`` receivers
    are connected (they must then run)."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return lambda values: model.from_db(db, attnames, values)

    def load(values: tuple[Any, ...]) -> Any:
        instance = model.__new__(model)
        instance.__dict__.update(zip(attnames, values, strict=True))
        instance._state = ModelState()
        instance._state.adding = False
        instance._state.db = db
        return instance

    return load


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector held off for a computation (as it was afterwards).

    A province's figures keep some 50,000 stage states and units alive while they build and
    walk as many result objects; every full collection in between traverses all of them again,
    which took about as long as the work itself. Nothing is lost: the cycles made meanwhile (a
    unit's ``stage_state`` and the state's cached unit, for one) are collected by the first
    collection after the block, as they would have been by one during it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def grouped(
    queryset: QuerySet[Any], ctx: FigureContext, path_field: str = "unit_path", **aggregates: Aggregate
) -> Rows:
    """One GROUP BY over the records under the root: ``{child path (or root path): {key: n}}``."""
    rows = (
        ctx.under(queryset, path_field)
        .annotate(_child=Substr(path_field, 1, ctx.prefix_length))
        .values("_child")
        .annotate(**aggregates)
        .order_by()
    )
    return {row.pop("_child"): {k: int(v or 0) for k, v in row.items()} for row in rows}


class Provider:
    """Figures of one capability. Subclasses set ``name`` and ``columns`` and implement ``rows``."""

    name: str = ""
    columns: list[Column] = []

    def rows(self, ctx: FigureContext) -> Rows:  # pragma: no cover - interface
        raise NotImplementedError

    def breakdowns(self, ctx: FigureContext) -> list[Breakdown]:
        """Optional lists shown under the summary cards (e.g. open review steps by name)."""
        return []

    def charts(self, ctx: FigureContext, rows: Rows, children: list[Unit]) -> list[Chart]:
        """Optional charts, each series one grouped query (or built from ``rows``, no query)."""
        return []


@dataclass
class Breakdown:
    """A small table of the whole subtree, e.g. 对照检查材料 waiting at each review step."""

    title: Any
    headers: list[Any]
    rows: list[list[Any]]


@dataclass
class Chart:
    """A chart for static/js/dashboard.js: ``kind`` line / bar / stacked_bar; ``percent`` for rates."""

    key: str
    title: Any
    kind: str
    categories: list[str]
    series: list[dict[str, Any]]
    percent: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "kind": self.kind,
            "categories": self.categories,
            "series": [{"name": str(s["name"]), "data": s["data"]} for s in self.series],
            "percent": self.percent,
        }


def week_starts(first: datetime.date, last: datetime.date, limit: int = 60) -> list[datetime.date]:
    """The Mondays from the week of ``first`` to the week of ``last`` (at most the last ``limit``)."""
    start = first - datetime.timedelta(days=first.weekday())
    end = last - datetime.timedelta(days=last.weekday())
    weeks = []
    while start <= end:
        weeks.append(start)
        start += datetime.timedelta(days=7)
    return weeks[-limit:]


def week_label(monday: datetime.date) -> str:
    return f"{monday.month}月{monday.day}日"


_providers: list[Provider] | None = None


def all_providers() -> list[Provider]:
    """Every app's providers, in PROJECT_APPS order (collected once)."""
    global _providers
    if _providers is None:
        _providers = [p for module in project_modules("figures") for p in getattr(module, "providers", [])]
    return _providers


def all_columns() -> list[Column]:
    return [c for p in all_providers() for c in p.columns]


def merge(into: Rows, rows: Rows) -> None:
    for path, values in rows.items():
        into.setdefault(path, {}).update(values)


def add_ratios(values: dict[str, Any], columns: Iterable[Column]) -> None:
    """Fill the ratio columns (as a percentage with one decimal, or None without a denominator)."""
    for column in columns:
        if column.ratio is None:
            continue
        numerator, denominator = (values.get(k, 0) or 0 for k in column.ratio)
        values[column.key] = round(float(Fraction(numerator, denominator)) * 100, 1) if denominator else None


def totals(rows: Rows, columns: Iterable[Column]) -> dict[str, Any]:
    columns = list(columns)
    result: dict[str, Any] = {c.key: 0 for c in columns if c.ratio is None}
    for values in rows.values():
        for key, n in values.items():
            if key in result:
                result[key] += n
    add_ratios(result, columns)
    return result


def compute(ctx: FigureContext, only: Callable[[Provider], bool] | None = None) -> Rows:
    """The rows of every provider, merged: ``{child path or root path: {key: number}}``."""
    rows: Rows = {}
    for provider in all_providers():
        if only is None or only(provider):
            merge(rows, provider.rows(ctx))
    return rows


# --- the campaign's own figures: stage states, lateness, open 限期整改 ----------------------


class StageFigures(Provider):
    """Units per stage (未开始 … 已完成), late units and open 限期整改 orders.

    Queries: the calendars that can apply (1), the stage states grouped by child, position,
    level and calendar (1), and — only when the subtree has window overrides — the overrides
    and the states of their units (2). Lateness follows ``campaign.windows.judge``: the
    grouped rows share one window per (calendar, level, stage); units with an override of
    their own are judged one by one (there are few).
    Gates are not evaluated for a whole subtree here (their cost grows with the number of
    units and evaluators); the open 限期整改 orders, which always block, are counted instead,
    and the 环节进度 page filters the units with unmet gates.
    """

    name = "stages"

    def __init__(self) -> None:
        group = _("环节进度")
        self.columns = [
            Column("units", _("参加单位"), group, higher_is_better=None),
            Column("pos0", _("未开始"), group, higher_is_better=False),
            Column("pos1", Stage.STUDY.label, group, higher_is_better=None),
            Column("pos2", Stage.CRITICISM.label, group, higher_is_better=None),
            Column("pos3", Stage.RECTIFICATION.label, group, higher_is_better=None),
            Column("pos4", _("已完成"), group),
            Column("late", _("进度滞后单位"), group, higher_is_better=False, alert=True),
            Column("open_orders", _("回头看限期整改未销号"), group, higher_is_better=False, alert=True),
        ]

    def rows(self, ctx: FigureContext) -> Rows:
        from campaign.models import LookBack, StageCalendar, UnitStage, WindowOverride
        from campaign.selectors import calendars_around
        from campaign.windows import CalendarBook, judge, lateness

        campaign, root = ctx.campaign, ctx.root
        calendars = (
            calendars_around(campaign, root)
            if ctx.subtree
            else list(
                StageCalendar.objects.filter(
                    campaign=campaign, unit_path__in=[*root.ancestor_paths(), root.path]
                )
            )
        )
        book = CalendarBook(calendars, [])
        default = book.calendar_for(root.path)
        inside = [c for c in book.calendars if c.unit_path.startswith(root.path) and c is not default]
        by_pk = {c.pk: c for c in calendars}
        calendar_key: Any = Value(default.pk if default else 0)
        if inside:
            calendar_key = Case(
                *[When(unit_path__startswith=c.unit_path, then=Value(c.pk)) for c in inside],
                default=Value(default.pk if default else 0),
                output_field=IntegerField(),
            )
        has_override = Exists(WindowOverride.objects.filter(campaign=campaign, unit_id=OuterRef("unit_id")))
        states = (
            ctx.under(UnitStage.objects.filter(campaign=campaign))
            .annotate(
                _child=Substr("unit_path", 1, ctx.prefix_length),
                _cal=calendar_key,
                _own=has_override,
            )
            .values_list("_child", "status", "stage", "unit__level", "_cal", "_own")
            .annotate(n=Count("pk"))
            .order_by()
        )
        rows: Rows = {}
        any_override = False
        for child, status, stage, level, cal, own, n in states:
            values = rows.setdefault(
                child, {"units": 0, "pos0": 0, "pos1": 0, "pos2": 0, "pos3": 0, "pos4": 0}
            )
            values.setdefault("late", 0)
            position = (
                0 if status == StageStatus.NOT_STARTED else 4 if status == StageStatus.FINISHED else stage
            )
            values["units"] += n
            values[f"pos{position}"] += n
            if own:
                any_override = True
                continue
            calendar = by_pk.get(cal)
            if calendar is None or position == 4:
                continue
            probe = UnitStage(status=status, stage=stage)
            windows = judge(book_windows(calendar, level), probe, ctx.today)
            if lateness(windows, probe):
                values["late"] += n
        if any_override:
            overrides = list(ctx.under(WindowOverride.objects.filter(campaign=campaign)))
            own_book = CalendarBook(calendars, overrides)
            for state in (
                ctx.under(UnitStage.objects.filter(campaign=campaign))
                .filter(unit_id__in={o.unit_id for o in overrides})
                .select_related("unit")
            ):
                windows = judge(
                    own_book.windows(
                        unit_id=state.unit_id, unit_path=state.unit_path, level=state.unit.level
                    ),
                    state,
                    ctx.today,
                )
                if lateness(windows, state):
                    child = state.unit_path[: ctx.prefix_length]
                    rows[child]["late"] = rows[child].get("late", 0) + 1
        orders = grouped(
            LookBack.objects.filter(campaign=campaign, verdict=Verdict.RECTIFY, status=LookBackStatus.OPEN),
            ctx,
            open_orders=Count("pk"),
        )
        merge(rows, orders)
        return rows

    def charts(self, ctx: FigureContext, rows: Rows, children: list[Unit]) -> list[Chart]:
        """Units per stage at the end of each week, replayed from the stage events (one query)."""
        from campaign.models import StageEvent

        moves = (
            ctx.under(StageEvent.objects.filter(campaign=ctx.campaign, occurred_on__lte=ctx.today))
            .values_list("occurred_on", "from_status", "from_stage", "to_status", "to_stage")
            .annotate(n=Count("pk"))
            .order_by("occurred_on")
        )
        moves = list(moves)
        labels = [str(c.label) for c in self.columns[1:6]]
        if not moves:
            return [Chart("stage_progress", _("各环节单位数（按周）"), "stacked_area", [], [])]
        weeks = week_starts(moves[0][0], ctx.today)
        counts = [0, 0, 0, 0, 0]
        series: list[list[int]] = [[] for _ in range(5)]
        index = 0
        for monday in weeks:
            sunday = monday + datetime.timedelta(days=6)
            while index < len(moves) and moves[index][0] <= sunday:
                _day, from_status, from_stage, to_status, to_stage, n = moves[index]
                if from_status:
                    counts[_position(from_status, from_stage)] -= n
                counts[_position(to_status, to_stage)] += n
                index += 1
            for position in range(5):
                series[position].append(counts[position])
        return [
            Chart(
                "stage_progress",
                _("各环节单位数（按周）"),
                "stacked_area",
                [week_label(m) for m in weeks],
                [{"name": labels[p], "data": series[p]} for p in range(5)],
            )
        ]


def _position(status: str, stage: int | None) -> int:
    if status == StageStatus.NOT_STARTED:
        return 0
    if status == StageStatus.FINISHED:
        return 4
    return int(stage or 0)


def book_windows(calendar: Any, level: int) -> list[Any]:
    """The three windows a calendar gives a unit at ``level`` (no override)."""
    from campaign.windows import Window

    shift = datetime.timedelta(days=calendar.offset_days(level))
    return [
        Window(stage, start + shift, end + shift, "calendar")
        for stage, (start, end) in calendar.top_windows().items()
    ]


class GateFigures(Provider):
    """Units whose every gate of their current stage is met, and units with at least one unmet.

    Units not started or finished have no gates and count in neither. A gate whose condition has
    no evaluator yet (尚未启用) does not block, as in ``unit_stage_advance``. Queries: the stage
    states (shared, see ``FigureContext.stage_states``), the gates (1) and each evaluator's fixed
    cost once per distinct (condition, params) — ``campaign.gates.evaluate``. The Python work
    grows with the number of units, which the cache and ``dashboard_warm_task`` absorb.
    """

    name = "gates"

    def __init__(self) -> None:
        group = _("环节闸门")
        self.columns = [
            Column("gates_met", _("闸门全部满足"), group),
            Column("gates_unmet", _("有闸门未满足"), group, higher_is_better=False, alert=True),
        ]

    def rows(self, ctx: FigureContext) -> Rows:
        from campaign.gates import evaluate

        states = [s for s in ctx.stage_states() if s.status == StageStatus.IN_PROGRESS]
        rows: Rows = {}
        if not states:
            return rows
        checks = evaluate(ctx.campaign, states)
        for state in states:
            values = rows.setdefault(ctx.child_of(state.unit_path), {"gates_met": 0, "gates_unmet": 0})
            blocked = any(c.blocking for c in checks.get(state.unit_id, []))
            values["gates_unmet" if blocked else "gates_met"] += 1
        return rows


providers: list[Provider] = [StageFigures(), GateFigures()]

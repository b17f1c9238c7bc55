"""Reads on the campaign, its calendar, stage states, gates and 回头看, and on background jobs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404

from campaign import clock
from campaign.gates import GateCheck
from campaign.gates import evaluate as evaluate_gates
from campaign.models import (
    Campaign,
    Gate,
    Job,
    LookBack,
    StageCalendar,
    StageEvent,
    UnitStage,
    WindowOverride,
)
from campaign.windows import CalendarBook, Lateness, Window, judge, lateness
from units.access import scope_for
from units.choices import Level
from units.models import Unit

STEP = Unit.steplen


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    """A campaign is visible to anyone whose scope overlaps the tree of its organising unit."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Campaign.objects.select_related("root_unit")
    query = Q(pk__in=[])
    for grant in scope.grants:
        ancestors_or_self = [grant.path[:i] for i in range(STEP, len(grant.path) + 1, STEP)]
        query |= Q(root_unit__path__in=ancestors_or_self) | Q(root_unit__path__startswith=grant.path)
    return Campaign.objects.filter(query).select_related("root_unit")


def job_get_own(user: Any, pk: int) -> Job:
    """A job is shown only to the user who started it."""
    job = Job.objects.filter(pk=pk, user_id=user.pk).first()
    if job is None:
        raise Http404
    return job


def jobs_of(user: Any) -> QuerySet[Job]:
    return Job.objects.filter(user_id=user.pk)


# --- calendar, stage states, gates, 回头看 -------------------------------------


def campaigns_for_unit(user: Any, unit: Unit) -> QuerySet[Campaign]:
    """The visible campaigns whose tree contains ``unit``, newest first."""
    return campaigns_visible_to(user).filter(root_unit__path__in=[*unit.ancestor_paths(), unit.path])


def campaign_for_unit(user: Any, unit: Unit, campaign_id: Any = None) -> Campaign:
    """The campaign a unit's pages are about: the one asked for, else the newest; 404 if none."""
    campaigns = campaigns_for_unit(user, unit).order_by("-start_date", "-pk")
    if campaign_id not in (None, ""):
        try:
            campaigns = campaigns.filter(pk=int(campaign_id))
        except (TypeError, ValueError):
            raise Http404 from None
    campaign = campaigns.first()
    if campaign is None:
        raise Http404
    return campaign


def unit_stages_visible_to(user: Any) -> QuerySet[UnitStage]:
    return UnitStage.objects.filter(scope_for(user).unit_q(path_field="unit_path", unit_field="unit_id"))


def unit_stage_get_visible(user: Any, pk: Any) -> UnitStage:
    state = unit_stages_visible_to(user).filter(pk=pk).select_related("unit", "campaign").first()
    if state is None:
        raise Http404
    return state


def lookbacks_visible_to(user: Any) -> QuerySet[LookBack]:
    """回头看 of units in the scope: the 督导组, the offices and the unit's own leaders read them."""
    return LookBack.objects.filter(scope_for(user).unit_q(path_field="unit_path", unit_field="unit_id"))


def lookback_get_visible(user: Any, pk: Any) -> LookBack:
    lookback = (
        lookbacks_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "campaign", "group", "recorded_by", "closed_by")
        .first()
    )
    if lookback is None:
        raise Http404
    return lookback


def calendars_visible_to(user: Any) -> QuerySet[StageCalendar]:
    """Calendars of offices in the scope, and of the offices above it (their dates apply here)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return StageCalendar.objects.all()
    above: set[str] = set()
    for path in scope.root_paths():
        above.update(path[:i] for i in range(STEP, len(path) + 1, STEP))
    return StageCalendar.objects.filter(
        scope.unit_q(path_field="unit_path", unit_field="unit_id") | Q(unit_path__in=sorted(above))
    )


def overrides_visible_to(user: Any) -> QuerySet[WindowOverride]:
    return WindowOverride.objects.filter(scope_for(user).unit_q(path_field="unit_path", unit_field="unit_id"))


def gates_visible_to(user: Any) -> QuerySet[Gate]:
    return Gate.objects.filter(campaign__in=campaigns_visible_to(user))


def participating_units(campaign: Campaign, root: Unit) -> QuerySet[Unit]:
    """The units of ``root``'s subtree that take part: 市 and below, their 四大班子 and managed units.

    The province and 中央 run the campaign but are not participating units (SPEC §2, [000]).
    """
    return Unit.objects.filter(path__startswith=root.path, level__gte=Level.CITY, is_active=True).filter(
        path__startswith=campaign.root_unit.path
    )


def calendars_around(campaign: Campaign, root: Unit) -> list[StageCalendar]:
    """The calendars that can apply to ``root``'s subtree: on its ancestors-or-self and inside it."""
    return list(
        StageCalendar.objects.filter(campaign=campaign)
        .filter(Q(unit_path__in=[*root.ancestor_paths(), root.path]) | Q(unit_path__startswith=root.path))
        .select_related("unit")
    )


@dataclass
class StageRow:
    """One unit's stage state with its windows, lateness and gates, ready to show."""

    state: UnitStage
    windows: list[Window]
    late: Lateness
    checks: list[GateCheck] = field(default_factory=list)

    @property
    def unit(self) -> Unit:
        return self.state.unit

    @property
    def unmet(self) -> list[GateCheck]:
        return [c for c in self.checks if c.blocking]

    @property
    def pending(self) -> list[GateCheck]:
        return [c for c in self.checks if c.pending]

    @property
    def current_window(self) -> Window | None:
        return next((w for w in self.windows if w.state == "current"), None)


def _row(state: UnitStage, book: CalendarBook, today: Any) -> StageRow:
    windows = judge(
        book.windows(unit_id=state.unit_id, unit_path=state.unit_path, level=state.unit.level), state, today
    )
    return StageRow(state=state, windows=windows, late=lateness(windows, state))


@dataclass
class UnitStageView:
    """What the unit page shows about one campaign: state, windows, gates, 回头看, moves."""

    campaign: Campaign
    row: StageRow
    lookbacks: list[LookBack]
    events: list[StageEvent]


def unit_stage_overview(user: Any, unit: Unit) -> list[UnitStageView]:
    """The unit's stage state in each campaign it takes part in.

    Queries: states (1); then calendars, overrides, 回头看, events (4) and the gates
    (1 + each evaluator's fixed cost) — the same whatever the size of the tree.
    """
    states = list(
        unit_stages_visible_to(user)
        .filter(unit=unit)
        .select_related("campaign", "unit")
        .order_by("-campaign__start_date")
    )
    if not states:
        return []
    campaign_ids = [s.campaign_id for s in states]
    book = CalendarBook(
        StageCalendar.objects.filter(
            campaign_id__in=campaign_ids, unit_path__in=[*unit.ancestor_paths(), unit.path]
        ),
        WindowOverride.objects.filter(campaign_id__in=campaign_ids, unit=unit),
    )
    lookbacks = list(
        LookBack.objects.filter(campaign_id__in=campaign_ids, unit=unit).select_related(
            "group", "recorded_by", "closed_by"
        )
    )
    events = list(
        StageEvent.objects.filter(campaign_id__in=campaign_ids, unit=unit)
        .select_related("actor")
        .order_by("-occurred_on", "-id")
    )
    today = clock.today()
    result = []
    for state in states:
        row = _row(state, book, today)
        row.checks = evaluate_gates(state.campaign, [state])[state.unit_id]
        result.append(
            UnitStageView(
                campaign=state.campaign,
                row=row,
                lookbacks=[lb for lb in lookbacks if lb.campaign_id == state.campaign_id],
                events=[e for e in events if e.campaign_id == state.campaign_id],
            )
        )
    return result


@dataclass
class LevelWindows:
    level: int
    label: str
    windows: list[Window]


@dataclass
class SubtreeOverview:
    """The office page of a subtree: calendar, overrides, counts, and one page of units."""

    campaign: Campaign
    root: Unit
    own_calendar: StageCalendar | None
    calendar: StageCalendar | None
    level_windows: list[LevelWindows]
    overrides: list[WindowOverride]
    participating: int
    opened: int
    by_position: dict[int, int]
    late_count: int
    blocked_count: int | None
    page_obj: Any
    rows: list[StageRow]


POSITION_FILTERS = {
    "not_started": 0,
    "stage1": 1,
    "stage2": 2,
    "stage3": 3,
    "finished": 4,
}


def subtree_overview(
    user: Any,
    campaign: Campaign,
    root: Unit,
    *,
    position: str = "",
    late_only: bool = False,
    blocked_only: bool = False,
    page: Any = 1,
    page_size: int = 50,
) -> SubtreeOverview:
    """Units under ``root`` (as far as the user sees) with their stage, lateness and unmet gates.

    Queries, whatever the size of the subtree: calendars (1), overrides (1), participating
    count (1), the states of the subtree with their units (1), gates (1) and each
    evaluator's fixed cost — for the page shown, or for the whole subtree when filtering
    on unmet gates. Lateness is computed in Python over the states already loaded.
    """
    today = clock.today()
    calendars = calendars_around(campaign, root)
    overrides = list(
        WindowOverride.objects.filter(campaign=campaign, unit_path__startswith=root.path)
        .select_related("unit")
        .order_by("unit_path", "stage")
    )
    book = CalendarBook(calendars, overrides)
    participating = participating_units(campaign, root).count()
    states = list(
        unit_stages_visible_to(user)
        .filter(campaign=campaign, unit_path__startswith=root.path)
        .select_related("unit")
        .order_by("unit_path")
    )
    rows = [_row(state, book, today) for state in states]
    by_position: dict[int, int] = {}
    for row in rows:
        by_position[row.state.position] = by_position.get(row.state.position, 0) + 1
    late_count = sum(1 for row in rows if row.late)

    shown = rows
    if position in POSITION_FILTERS:
        shown = [r for r in shown if r.state.position == POSITION_FILTERS[position]]
    if late_only:
        shown = [r for r in shown if r.late]
    blocked_count = None
    if blocked_only:
        checks = evaluate_gates(campaign, [r.state for r in shown])
        for row in shown:
            row.checks = checks[row.state.unit_id]
        blocked_count = sum(1 for r in rows if r.unmet)
        shown = [r for r in shown if r.unmet]
    page_obj = Paginator(shown, page_size).get_page(page)
    page_rows = list(page_obj.object_list)
    if not blocked_only:
        checks = evaluate_gates(campaign, [r.state for r in page_rows])
        for row in page_rows:
            row.checks = checks[row.state.unit_id]

    own = next((c for c in calendars if c.unit_id == root.pk), None)
    effective = own or book.calendar_for(root.path)
    level_windows = []
    if effective is not None:
        for level in range(effective.top_level, Level.VILLAGE + 1):
            if level < root.level:
                continue
            windows = [
                Window(
                    stage,
                    start + datetime.timedelta(days=effective.offset_days(level)),
                    end + datetime.timedelta(days=effective.offset_days(level)),
                    "calendar",
                )
                for stage, (start, end) in effective.top_windows().items()
            ]
            level_windows.append(LevelWindows(level, str(Level(level).label), windows))
    return SubtreeOverview(
        campaign=campaign,
        root=root,
        own_calendar=own,
        calendar=effective,
        level_windows=level_windows,
        overrides=overrides,
        participating=participating,
        opened=len(states),
        by_position=by_position,
        late_count=late_count,
        blocked_count=blocked_count,
        page_obj=page_obj,
        rows=page_rows,
    )


def gate_checks_for_subtree(campaign: Campaign, root: Unit) -> dict[int, list[GateCheck]]:
    """Every gate of every unit under ``root``: states (1), gates (1), evaluators (fixed)."""
    states = list(
        UnitStage.objects.filter(campaign=campaign, unit_path__startswith=root.path).select_related("unit")
    )
    return evaluate_gates(campaign, states)


def stage_rows(user: Any, states: list[UnitStage], *, with_gates: bool = True) -> list[StageRow]:
    """Windows, lateness and (optionally) gates for any list of stage states, e.g. an API page.

    Queries: the calendars of their campaigns (1), the overrides in the user's scope for
    those campaigns (1), and per campaign the gates (1 + evaluators) — fixed for any length.
    """
    if not states:
        return []
    campaign_ids = sorted({s.campaign_id for s in states})
    calendars = list(StageCalendar.objects.filter(campaign_id__in=campaign_ids))
    overrides = list(overrides_visible_to(user).filter(campaign_id__in=campaign_ids))
    books = {
        cid: CalendarBook(
            [c for c in calendars if c.campaign_id == cid], [o for o in overrides if o.campaign_id == cid]
        )
        for cid in campaign_ids
    }
    today = clock.today()
    rows = [_row(state, books[state.campaign_id], today) for state in states]
    if with_gates:
        attach_gates(rows)
    return rows


def attach_gates(rows: list[StageRow]) -> None:
    """Evaluate the gates of the rows, once per campaign."""
    by_campaign: dict[int, list[StageRow]] = {}
    for row in rows:
        by_campaign.setdefault(row.state.campaign_id, []).append(row)
    for group in by_campaign.values():
        campaign = group[0].state.campaign
        checks = evaluate_gates(campaign, [r.state for r in group])
        for row in group:
            row.checks = checks[row.state.unit_id]

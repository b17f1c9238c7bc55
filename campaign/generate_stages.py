"""``generate_province``: the campaign's calendar, each participating unit's stage state and its
stage events — what the dashboards count (units per stage, lateness, the weekly chart, gates).

On the campaign clock's day (2014-06-20 in the demo) the province's calendar has stage 2 just
ended and stage 3 begun, so the generated units are spread accordingly: some not started, most
in stage 2 or 3, a few still in stage 1 (late). Every move is an event, as the services write
them (纳入活动, 启动第一环节, 进入下一环节), so the week-by-week chart replays to today's counts.
Runs after ``units.generate`` (it needs ``ctx.units`` and ``ctx.campaign_id``).
"""

from __future__ import annotations

import datetime

from campaign.choices import StageAction, StageStatus
from campaign.generate import Context
from campaign.models import StageCalendar, StageEvent, UnitStage
from units.choices import Level

D = datetime.date
STARTS = [D(2014, 3, 1), D(2014, 5, 15), D(2014, 6, 16)]
CALENDAR: dict[str, object] = {
    "interval_days": 15,
    "stage1_start": STARTS[0],
    "stage1_end": D(2014, 5, 14),
    "stage2_start": STARTS[1],
    "stage2_end": D(2014, 6, 15),
    "stage3_start": STARTS[2],
    "stage3_end": D(2014, 8, 15),
}
OPENED_ON = D(2014, 2, 20)
# Position (0 = 未开始, 1–3 = in that stage) and its weight among the participating units.
POSITIONS = [(0, 10), (1, 15), (2, 40), (3, 35)]


def generate(ctx: Context) -> None:
    ctx.step("stage calendar, stage states and events", _stages)


def _stages(ctx: Context) -> None:
    assert ctx.province is not None
    StageCalendar.objects.create(
        campaign_id=ctx.campaign_id,
        unit_id=ctx.province.pk,
        unit_path=ctx.province.path,
        top_level=Level.CITY,
        **CALENDAR,
    )
    participating = [u for u in ctx.units if u.level >= Level.CITY]
    first = ctx.pks(UnitStage, len(participating))
    states: list[UnitStage] = []
    events: list[StageEvent] = []
    for offset, unit in enumerate(participating):
        position = min(ctx.pick(POSITIONS), _reachable(ctx.today))
        moves = _moves(ctx, position)
        state = UnitStage(
            pk=first + offset,
            unit_id=unit.pk,
            unit_path=unit.path,
            campaign_id=ctx.campaign_id,
            status=StageStatus.NOT_STARTED if position == 0 else StageStatus.IN_PROGRESS,
            stage=position or None,
            entered_on=moves[-1][0],
            started_on=moves[1][0] if position else None,
            version=len(moves),
        )
        states.append(state)
        before: tuple[str, int | None] = ("", None)
        for day, action, after in moves:
            events.append(
                StageEvent(
                    unit_id=unit.pk,
                    unit_path=unit.path,
                    campaign_id=ctx.campaign_id,
                    unit_stage_id=state.pk,
                    action=action,
                    from_status=before[0],
                    from_stage=before[1],
                    to_status=after[0],
                    to_stage=after[1],
                    occurred_on=day,
                    created_at=ctx.now,
                )
            )
            before = after
    ctx.write(UnitStage, states)
    first_event = ctx.pks(StageEvent, len(events))
    for offset, event in enumerate(events):
        event.pk = first_event + offset
    ctx.write(StageEvent, events)


def _reachable(today: datetime.date) -> int:
    """The furthest stage a unit can be in on ``today`` (nothing before the campaign opened)."""
    return sum(1 for start in STARTS if today >= start)


def _moves(ctx: Context, position: int) -> list[tuple[datetime.date, str, tuple[str, int | None]]]:
    """The events that brought a unit to ``position``: dates within each stage's window."""
    moves: list[tuple[datetime.date, str, tuple[str, int | None]]] = [
        (OPENED_ON, str(StageAction.OPENED), (str(StageStatus.NOT_STARTED), None))
    ]
    for stage in range(1, position + 1):
        day = min(STARTS[stage - 1] + datetime.timedelta(days=ctx.rng.randint(0, 20)), ctx.today)
        day = max(day, moves[-1][0])
        action = StageAction.STARTED if stage == 1 else StageAction.ADVANCED
        moves.append((day, str(action), (str(StageStatus.IN_PROGRESS), stage)))
    return moves

"""Stage windows: which dates apply to a unit, and what is late.

Pure computation over rows the selectors load in a fixed number of queries:
the calendars of the offices above (and inside) a subtree, and the overrides of
the units shown. A unit takes the calendar of its nearest ancestor-or-self that
has one, shifted by ``interval_days`` per level below the calendar's top level
(the 直属单位 of a level follow their level); a unit's own override of a stage
wins. Dates rule reminders and late flags only: a unit advances when its gates
are met ("时间服从质量").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from campaign.choices import Stage, StageStatus
from campaign.models import StageCalendar, UnitStage, WindowOverride

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """One stage's window for one unit, and how the unit stands against it on ``today``."""

    stage: int
    start: datetime.date
    end: datetime.date
    source: str  # "calendar" or "override"
    reason: str = ""
    state: str = "future"  # done / current / future
    late_days: int = 0
    late_text: str = ""

    @property
    def label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def is_late(self) -> bool:
        return self.late_days > 0

    @property
    def is_override(self) -> bool:
        return self.source == "override"


class CalendarBook:
    """The calendars and overrides loaded for a page, answering windows for any unit in it."""

    def __init__(self, calendars: Iterable[StageCalendar], overrides: Iterable[WindowOverride]) -> None:
        self.calendars = sorted(calendars, key=lambda c: len(c.unit_path), reverse=True)
        self.overrides: dict[int, dict[int, WindowOverride]] = {}
        for override in overrides:
            self.overrides.setdefault(override.unit_id, {})[override.stage] = override

    def calendar_for(self, unit_path: str) -> StageCalendar | None:
        """The nearest calendar on the unit's ancestors-or-self."""
        for calendar in self.calendars:
            if unit_path.startswith(calendar.unit_path):
                return calendar
        return None

    def windows(self, *, unit_id: int, unit_path: str, level: int) -> list[Window]:
        calendar = self.calendar_for(unit_path)
        own = self.overrides.get(unit_id, {})
        result: list[Window] = []
        for stage in Stage:
            override = own.get(stage)
            if override is not None:
                result.append(Window(stage, override.start, override.end, "override", reason=override.reason))
            elif calendar is not None:
                start, end = calendar.top_windows()[stage]
                shift = datetime.timedelta(days=calendar.offset_days(level))
                result.append(Window(stage, start + shift, end + shift, "calendar"))
        return result


def judge(windows: list[Window], state: UnitStage | None, today: datetime.date) -> list[Window]:
    """Mark each window done / current / future and say what is late on ``today``.

    A unit in a stage is late once that stage's window has ended; a unit not started is
    late once the first stage's window has begun. A stage already left is never late,
    and neither is a later stage (windows of a level may overlap: "压茬进行"); a unit
    given more time by an override of its current stage is late only after that.
    """
    position = state.position if state is not None else 0
    judged = []
    for window in windows:
        if window.stage < position:
            judged.append(_replace(window, state="done"))
        elif window.stage == position:
            days = (today - window.end).days
            text = _("已超过结束日期 %(days)s 天") % {"days": days} if days > 0 else ""
            judged.append(_replace(window, state="current", late_days=max(days, 0), late_text=text))
        elif position == 0 and window.stage == Stage.STUDY and today > window.start:
            days = (today - window.start).days
            text = _("应于 %(day)s 启动，尚未启动") % {"day": window.start.isoformat()}
            judged.append(_replace(window, state="future", late_days=days, late_text=text))
        else:
            judged.append(_replace(window, state="future"))
    return judged


def _replace(window: Window, **changes: object) -> Window:
    return replace(window, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Lateness:
    """A unit's lateness summary: how many days, and the first thing that is late."""

    days: int
    text: str

    def __bool__(self) -> bool:
        return self.days > 0


def lateness(windows: list[Window], state: UnitStage | None) -> Lateness:
    if state is not None and state.status == StageStatus.FINISHED:
        return Lateness(0, "")
    late = [w for w in windows if w.is_late]
    if not late:
        return Lateness(0, "")
    worst = max(late, key=lambda w: w.late_days)
    return Lateness(worst.late_days, f"{worst.label}：{worst.late_text}")

"""Reminders of the calendar: a stage window ending, and a 限期整改 of a 回头看 falling due.

Both go to the unit's principal, who must see the unit through its stage; the
office sees lateness on its own pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign.choices import LookBackStatus, StageStatus, Verdict
from campaign.models import LookBack, StageCalendar, UnitStage, WindowOverride
from campaign.windows import CalendarBook
from supervision.sweeps import Due, deadline_threshold, end_of_day
from units.selectors import principal_user_of

SOON = datetime.timedelta(days=3)


class StageWindowsEnding:
    name = "stage_window"
    label = _("环节时间即将结束")

    def due(self, now: datetime.datetime) -> Iterator[Due]:
        states = (
            UnitStage.objects.filter(status=StageStatus.IN_PROGRESS)
            .annotate(principal_user=principal_user_of(OuterRef("unit")))
            .filter(principal_user__isnull=False)
            .select_related("unit")
            .order_by("campaign_id", "pk")
        )
        books: dict[int, CalendarBook] = {}
        for state in states.iterator(chunk_size=2000):
            book = books.get(state.campaign_id)
            if book is None:
                book = books[state.campaign_id] = CalendarBook(
                    StageCalendar.objects.filter(campaign_id=state.campaign_id),
                    WindowOverride.objects.filter(campaign_id=state.campaign_id),
                )
            unit = state.unit
            windows = book.windows(unit_id=unit.pk, unit_path=unit.path, level=unit.level)
            current = next((w for w in windows if w.stage == state.stage), None)
            if current is None:
                continue
            due_at = end_of_day(current.end)
            threshold = deadline_threshold(due_at, now, SOON)
            if threshold is None:
                continue
            yield Due(
                object_key=f"stage_window:{state.pk}:{state.stage}:{current.end.isoformat()}",
                threshold=threshold,
                recipients=(state.principal_user,),
                title=_("%(unit)s“%(stage)s”环节计划于%(end)s结束")
                % {"unit": unit.name, "stage": current.label, "end": f"{current.end:%m-%d}"},
                url=reverse("units:detail", args=[unit.code]) + "#stages",
                due_at=due_at,
            )


class LookBackOrdersDue:
    name = "lookback_order"
    label = _("回头看限期整改到期")

    def due(self, now: datetime.datetime) -> Iterator[Due]:
        orders = (
            LookBack.objects.filter(
                verdict=Verdict.RECTIFY, status=LookBackStatus.OPEN, due_date__lte=(now + SOON).date()
            )
            .annotate(principal_user=principal_user_of(OuterRef("unit")))
            .filter(principal_user__isnull=False)
            .select_related("unit")
            .order_by("pk")
        )
        for order in orders.iterator(chunk_size=2000):
            assert order.due_date is not None
            due_at = end_of_day(order.due_date)
            yield Due(
                object_key=f"lookback:{order.pk}",
                threshold=deadline_threshold(due_at, now, SOON) or "due_soon",
                recipients=(order.principal_user,),
                title=_("%(unit)s回头看限期整改，期限%(d)s")
                % {"unit": order.unit.name, "d": f"{order.due_date:%m-%d}"},
                url=reverse("units:detail", args=[order.unit.code]) + "#stages",
                due_at=due_at,
            )


RULES = [StageWindowsEnding(), LookBackOrdersDue()]

"""Dashboard figures of 整改落实: items by status, handling class, warning; 专项整治 (campaign/figures.py)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from campaign.figures import (
    Chart,
    Column,
    FigureContext,
    Provider,
    Rows,
    grouped,
    merge,
    week_label,
    week_starts,
)
from campaign.models import UnitStage
from rectification.choices import Acceptance, Handling, ItemStatus
from rectification.models import RectificationItem, SpecialProjectPlan
from rectification.selectors import red_q, yellow_q
from rectification.source_registry import unanswered_counts
from units.models import Unit


class RectificationFigures(Provider):
    """整改事项 by status, handling class and deadline warning (临期 / 逾期 on the campaign clock);
    专项整治方案 by 评估验收. Queries: items grouped by child (1), plans grouped by child (1).
    Withdrawn items are left out of the totals."""

    name = "rectification"

    def __init__(self) -> None:
        group = _("整改落实")
        special = _("专项整治")
        self.columns = [
            Column("items", _("整改事项"), group, higher_is_better=None),
            Column("i_open", ItemStatus.OPEN.label, group, higher_is_better=False),
            Column("i_in_progress", ItemStatus.IN_PROGRESS.label, group, higher_is_better=None),
            Column("i_close_requested", ItemStatus.CLOSE_REQUESTED.label, group, higher_is_better=None),
            Column("i_closed", ItemStatus.CLOSED.label, group),
            Column("closed_rate", _("销号率"), group, ratio=("i_closed", "items")),
            Column("h_now", Handling.NOW.label, group, higher_is_better=None, summary_only=True),
            Column("h_deadline", Handling.BY_DEADLINE.label, group, higher_is_better=None, summary_only=True),
            Column("h_not_yet", Handling.NOT_YET.label, group, higher_is_better=None, summary_only=True),
            Column("i_yellow", _("临期"), group, higher_is_better=False, alert=True),
            Column("i_red", _("逾期"), group, higher_is_better=False, alert=True),
            Column("sp_plans", _("专项整治方案"), special, higher_is_better=None),
            Column("sp_passed", Acceptance.PASSED.label, special),
            Column("sp_failed", Acceptance.FAILED.label, special, higher_is_better=False, alert=True),
            Column("sp_pending", Acceptance.PENDING.label, special, higher_is_better=None),
        ]

    def rows(self, ctx: FigureContext) -> Rows:
        today: datetime.date = ctx.today
        rows = grouped(
            RectificationItem.objects.exclude(status=ItemStatus.WITHDRAWN),
            ctx,
            items=Count("pk"),
            i_open=Count("pk", filter=Q(status=ItemStatus.OPEN)),
            i_in_progress=Count("pk", filter=Q(status=ItemStatus.IN_PROGRESS)),
            i_close_requested=Count("pk", filter=Q(status=ItemStatus.CLOSE_REQUESTED)),
            i_closed=Count("pk", filter=Q(status=ItemStatus.CLOSED)),
            h_now=Count("pk", filter=Q(handling=Handling.NOW)),
            h_deadline=Count("pk", filter=Q(handling=Handling.BY_DEADLINE)),
            h_not_yet=Count("pk", filter=Q(handling=Handling.NOT_YET)),
            i_yellow=Count("pk", filter=yellow_q(today)),
            i_red=Count("pk", filter=red_q(today)),
        )
        merge(
            rows,
            grouped(
                SpecialProjectPlan.objects.all(),
                ctx,
                sp_plans=Count("pk"),
                sp_passed=Count("pk", filter=Q(acceptance=Acceptance.PASSED)),
                sp_failed=Count("pk", filter=Q(acceptance=Acceptance.FAILED)),
                sp_pending=Count("pk", filter=Q(acceptance=Acceptance.PENDING)),
            ),
        )
        return rows

    def charts(self, ctx: FigureContext, rows: Rows, children: list[Unit]) -> list[Chart]:
        """Items opened and items signed off per week: two grouped queries (by day, summed by week)."""
        items = ctx.under(RectificationItem.objects.exclude(status=ItemStatus.WITHDRAWN))
        opened = list(
            items.filter(opened_on__lte=ctx.today).values_list("opened_on").annotate(n=Count("pk")).order_by()
        )
        closed = list(
            items.filter(closed_on__isnull=False, closed_on__lte=ctx.today)
            .values_list("closed_on")
            .annotate(n=Count("pk"))
            .order_by()
        )
        days = [d for d, _n in opened + closed]
        if not days:
            return [Chart("items_weekly", _("整改事项每周立项和销号"), "bar", [], [])]
        weeks = week_starts(min(days), ctx.today)
        first = weeks[0]

        def by_week(pairs: list[tuple[datetime.date, int]]) -> list[int]:
            counts = dict.fromkeys(weeks, 0)
            for day, n in pairs:
                monday = max(day - datetime.timedelta(days=day.weekday()), first)
                counts[monday] += n
            return list(counts.values())

        return [
            Chart(
                "items_weekly",
                _("整改事项每周立项和销号"),
                "bar",
                [week_label(m) for m in weeks],
                [
                    {"name": _("立项"), "data": by_week(opened)},
                    {"name": _("销号"), "data": by_week(closed)},
                ],
            )
        ]


class SourceFigures(Provider):
    """ "四个回应": the sources (opinions, opinion groups, problems in 对照检查材料, criticisms
    at the 民主生活会, problems pointed out by superiors) of the participating units that no live
    整改事项 answers yet, per child. Queries: the stage states (shared, see
    ``FigureContext.stage_states``) and one grouped query per registered source provider
    (``source_registry.unanswered_counts``), whatever the size of the subtree."""

    name = "sources"

    def __init__(self) -> None:
        self.columns = [
            Column(
                "sources_unanswered", _("未回应的问题来源"), _("四个回应"), higher_is_better=False, alert=True
            ),
        ]

    def rows(self, ctx: FigureContext) -> Rows:
        states = ctx.stage_states()
        rows: Rows = {}
        if not states:
            return rows
        paths = {s.unit_id: s.unit_path for s in states}
        # The same units as a subquery: as a list, a province's 26,000 ids took Django longer to
        # put into five IN clauses than PostgreSQL took to count.
        units = Unit.objects.filter(
            pk__in=ctx.under(UnitStage.objects.filter(campaign=ctx.campaign)).values("unit_id")
        )
        for unit_id, counts in unanswered_counts(units).items():
            path = paths.get(unit_id)
            if path is None:
                continue
            values = rows.setdefault(ctx.child_of(path), {"sources_unanswered": 0})
            values["sources_unanswered"] += sum(counts.values())
        return rows


providers = [RectificationFigures(), SourceFigures()]

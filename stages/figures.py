"""Dashboard figures of 征求意见, 梳辫子 and 群众满意度 (see campaign/figures.py)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from campaign.figures import Chart, Column, FigureContext, Provider, Rows, grouped, merge
from stages.choices import GroupStatus, SurveyPurpose
from stages.models import Opinion, OpinionGroup, SurveyResult
from units.models import Unit


def latest_results(ctx: FigureContext) -> QuerySet[SurveyResult]:
    """The latest closed result of each target unit in the campaign (no later result of the same
    unit exists), as ``latest_satisfaction`` picks it (latest ``computed_at``, then highest pk),
    over every purpose but an item's public rating. Lazy: one query when grouped."""
    campaign_results = SurveyResult.objects.filter(survey__campaign=ctx.campaign).exclude(
        survey__purpose=SurveyPurpose.ITEM
    )
    later = campaign_results.filter(unit_id=OuterRef("unit_id")).filter(
        Q(computed_at__gt=OuterRef("computed_at"))
        | Q(computed_at=OuterRef("computed_at"), pk__gt=OuterRef("pk"))
    )
    return campaign_results.filter(~Exists(later))


class OpinionFigures(Provider):
    """Opinions received and answered (their group's answer published), groups waiting to be
    claimed, and satisfaction: for each target unit in the child's subtree its LATEST closed
    survey result of the campaign (an earlier survey, since redone, does not count twice),
    (满意+基本满意)/票数 over those, and the targets whose latest result is below its survey's
    threshold. Queries: opinions (1), groups (1), latest survey results (1), grouped by child."""

    name = "opinions"

    def __init__(self) -> None:
        group = _("征求意见和群众评价")
        self.columns = [
            Column("opinions", _("收到意见"), group, higher_is_better=None),
            Column("opinions_answered", _("已反馈意见"), group),
            Column("answered_rate", _("意见反馈率"), group, ratio=("opinions_answered", "opinions")),
            Column("groups_unclaimed", _("待认领意见组"), group, higher_is_better=False, alert=True),
            Column("votes_satisfied", _("满意票数"), group, summary_only=True),
            Column("votes", _("测评票数"), group, higher_is_better=None, summary_only=True),
            Column("satisfaction", _("群众满意率"), group, ratio=("votes_satisfied", "votes")),
            Column("below_threshold", _("满意率未达标"), group, higher_is_better=False, alert=True),
        ]

    def rows(self, ctx: FigureContext) -> Rows:
        rows = grouped(
            Opinion.objects.filter(campaign=ctx.campaign),
            ctx,
            opinions=Count("pk"),
            opinions_answered=Count("pk", filter=Q(group__status=GroupStatus.PUBLISHED)),
        )
        merge(
            rows,
            grouped(
                OpinionGroup.objects.filter(campaign=ctx.campaign, status=GroupStatus.CONFIRMED),
                ctx,
                groups_unclaimed=Count("pk"),
            ),
        )
        merge(
            rows,
            grouped(
                latest_results(ctx),
                ctx,
                votes_satisfied=Sum("satisfied"),
                votes=Sum("answered"),
                below_threshold=Count("pk", filter=Q(below_threshold=True)),
            ),
        )
        return rows

    def charts(self, ctx: FigureContext, rows: Rows, children: list[Unit]) -> list[Chart]:
        """群众满意率 of each child that has votes (from the rows, no query)."""
        names, rates = [], []
        for child in children:
            values = rows.get(child.path, {})
            if values.get("votes"):
                names.append(child.name)
                rates.append(round(values.get("votes_satisfied", 0) * 100 / values["votes"], 1))
        return [
            Chart(
                "satisfaction",
                _("下级单位群众满意率"),
                "bar",
                names,
                [{"name": _("群众满意率"), "data": rates}],
                percent=True,
            )
        ]


providers = [OpinionFigures()]

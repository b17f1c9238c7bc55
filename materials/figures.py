"""Dashboard figures of 对照检查材料, review steps, talks, meetings and 专题报告 (see campaign/figures.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from campaign import clock
from campaign.figures import Breakdown, Column, FigureContext, Provider, Rows, grouped, merge
from campaign.models import UnitStage
from materials.choices import MaterialStatus, StepState, SubjectKind
from materials.meeting_choices import HELD_STATUSES, MeetingStatus, ReportStatus, TalkStatus
from materials.meeting_models import Meeting, MeetingReport, Talk
from materials.meeting_selectors import late_q
from materials.models import Material, ReviewStep
from materials.talk_selectors import requires_talks, talk_counts
from units.models import Unit


def _open_steps(ctx: FigureContext) -> QuerySet[ReviewStep]:
    return ReviewStep.objects.filter(
        state=StepState.OPEN, review__campaign=ctx.campaign, review__subject_kind=SubjectKind.MATERIAL
    )


class MaterialFigures(Provider):
    """对照检查材料 by state; open review steps and stuck ones (past their time limit).

    Queries: materials grouped by child (1), open steps grouped by child (1); the breakdown
    by step name is one more grouped query over the whole subtree.
    """

    name = "materials"

    def __init__(self) -> None:
        group = _("对照检查材料")
        self.columns = [
            Column("materials", _("材料总数"), group, higher_is_better=None),
            Column("m_draft", MaterialStatus.DRAFT.label, group, higher_is_better=False),
            Column("m_in_review", MaterialStatus.IN_REVIEW.label, group, higher_is_better=None),
            Column("m_returned", MaterialStatus.RETURNED.label, group, higher_is_better=False),
            Column("m_approved", MaterialStatus.APPROVED.label, group),
            Column("steps_open", _("待审核环节"), group, higher_is_better=False),
            Column("steps_stuck", _("超时未审环节"), group, higher_is_better=False, alert=True),
        ]

    def rows(self, ctx: FigureContext) -> Rows:
        status: dict[str, Any] = {f"m_{s}": Count("pk", filter=Q(status=s)) for s in MaterialStatus.values}
        status["materials"] = Count("pk")
        rows = grouped(Material.objects.filter(campaign=ctx.campaign), ctx, **status)
        now = clock.now()
        merge(
            rows,
            grouped(
                _open_steps(ctx),
                ctx,
                steps_open=Count("pk"),
                steps_stuck=Count("pk", filter=Q(due_at__lt=now)),
            ),
        )
        return rows

    def breakdowns(self, ctx: FigureContext) -> list[Breakdown]:
        now = clock.now()
        steps = (
            ctx.under(_open_steps(ctx))
            .values("name")
            .annotate(n=Count("pk"), stuck=Count("pk", filter=Q(due_at__lt=now)))
            .order_by("-stuck", "-n", "name")
        )
        return [
            Breakdown(
                _("对照检查材料待审核环节"),
                [_("审核环节"), _("待审核"), _("其中超时")],
                [[s["name"], s["n"], s["stuck"]] for s in steps],
            )
        ]


class MeetingFigures(Provider):
    """谈心谈话 recorded/confirmed, 专题民主生活会 held/in preparation, 专题报告 filed/late.

    Queries: talks (1), meetings (1), reports (1), each grouped by child. The "四必谈"
    coverage (talks owed from today's posts) is shown per 班子 on the unit pages; here the
    talks recorded and confirmed are counted.
    """

    name = "meetings"

    def __init__(self) -> None:
        group = _("谈心谈话和专题民主生活会")
        self.columns = [
            Column("talks_confirmed", _("谈心谈话已确认"), group),
            Column("talks_pending", _("谈心谈话待确认"), group, higher_is_better=False),
            Column("meetings_held", _("民主生活会已召开"), group),
            Column("meetings_preparing", _("民主生活会筹备中"), group, higher_is_better=None),
            Column("meetings_rehold", _("责令重开"), group, higher_is_better=False, alert=True),
            Column("reports_filed", _("专题报告已报送"), group),
            Column("reports_late", _("专题报告逾期"), group, higher_is_better=False, alert=True),
        ]

    def rows(self, ctx: FigureContext) -> Rows:
        rows = grouped(
            Talk.objects.filter(campaign=ctx.campaign),
            ctx,
            talks_confirmed=Count("pk", filter=Q(status=TalkStatus.CONFIRMED)),
            talks_pending=Count("pk", filter=Q(status=TalkStatus.RECORDED)),
        )
        merge(
            rows,
            grouped(
                Meeting.objects.filter(campaign=ctx.campaign),
                ctx,
                meetings_held=Count("pk", filter=Q(status__in=HELD_STATUSES)),
                meetings_preparing=Count(
                    "pk", filter=~Q(status__in=[*HELD_STATUSES, MeetingStatus.REHOLD_ORDERED])
                ),
                meetings_rehold=Count("pk", filter=Q(status=MeetingStatus.REHOLD_ORDERED)),
            ),
        )
        merge(
            rows,
            grouped(
                MeetingReport.objects.filter(campaign=ctx.campaign),
                ctx,
                reports_filed=Count("pk", filter=Q(status=ReportStatus.FILED)),
                reports_late=Count("pk", filter=late_q()),
            ),
        )
        return rows


class TalkCoverageFigures(Provider):
    """The "四必谈" ([002] 三4): talks required and done (confirmed), and the 班子 whose coverage
    is complete vs not, counted as the ``talks_complete`` gate counts them (``talk_counts``: the
    requirements the 班子 pages show, from the posts active today) for the participating units
    that hold a 专题民主生活会 (the others owe no talks and count in neither).

    Queries: the stage states (shared, see ``FigureContext.stage_states``) and the five of
    ``talk_counts`` (posts, 分管 units, their principals, 督导组 assignments, confirmed talks).
    """

    name = "talk_coverage"

    def __init__(self) -> None:
        group = _("四必谈")
        self.columns = [
            Column("talks_required", _("应谈人次"), group, higher_is_better=None),
            Column("talks_done", _("已谈并确认"), group),
            Column("talks_rate", _("四必谈完成率"), group, ratio=("talks_done", "talks_required")),
            Column("talk_units_complete", _("谈话全覆盖班子"), group),
            Column("talk_units_incomplete", _("谈话未全覆盖班子"), group, higher_is_better=False, alert=True),
        ]

    def rows(self, ctx: FigureContext) -> Rows:
        units = [s.unit for s in ctx.stage_states() if requires_talks(s.unit)]
        rows: Rows = {}
        if not units:
            return rows
        among = Unit.objects.filter(
            pk__in=ctx.under(UnitStage.objects.filter(campaign=ctx.campaign)).values("unit_id")
        )
        coverage = talk_counts(units, ctx.today, among=among)
        for unit in units:
            found = coverage[unit.pk]
            values = rows.setdefault(
                ctx.child_of(unit.path),
                {
                    "talks_required": 0,
                    "talks_done": 0,
                    "talk_units_complete": 0,
                    "talk_units_incomplete": 0,
                },
            )
            values["talks_required"] += found.total
            values["talks_done"] += found.done
            values["talk_units_complete" if found.complete else "talk_units_incomplete"] += 1
        return rows


providers = [MaterialFigures(), MeetingFigures(), TalkCoverageFigures()]

"""Spreadsheets offices live on: the opinion register and survey results with rankings.

Both start from the user's scope. A named submitter's name and contact go into
the opinion register only for the office of the opinion's unit; an anonymous
opinion has none to give.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from campaign.tabular import write_xlsx
from stages import selectors
from stages.choices import OpinionStatus
from stages.models import Survey
from units.access import scope_for
from units.models import Unit

__all__ = ["opinion_rows", "survey_rows", "write_xlsx"]


def opinion_rows(
    user: Any, root: Unit, filters: selectors.OpinionFilter | None = None
) -> tuple[list[str], Iterator[list[Any]]]:
    scope = scope_for(user)
    opinions = selectors.opinion_list(user, root, filters)
    header = [
        _("回执码"),
        _("单位编码"),
        _("单位"),
        _("征求渠道"),
        _("意见类别"),
        _("署名方式"),
        _("提出人姓名"),
        _("联系方式"),
        _("涉及领导"),
        _("意见内容"),
        _("收到日期"),
        _("状态"),
        _("意见组"),
        _("答复"),
    ]

    def rows() -> Iterator[list[Any]]:
        for opinion in opinions.iterator(chunk_size=1000):
            office = scope.can_manage(opinion.unit_path)
            group = opinion.group
            status = selectors.opinion_status(opinion)
            yield [
                opinion.receipt_display if office else "",
                opinion.unit.code,
                opinion.unit.name,
                opinion.get_channel_display(),
                opinion.get_category_display(),
                _("匿名（背靠背）") if opinion.is_anonymous else _("实名"),
                opinion.submitter_name if office and not opinion.is_anonymous else "",
                opinion.submitter_contact if office and not opinion.is_anonymous else "",
                opinion.about_person.name if opinion.about_person else "",
                opinion.text,
                opinion.received_on.isoformat(),
                str(OpinionStatus(status).label),
                f"#{group.pk} {group.title}" if group and status != OpinionStatus.UNSORTED else "",
                group.answer if group and status == OpinionStatus.PUBLISHED else "",
            ]

    return [str(h) for h in header], rows()


def _percent(rate: Any) -> str:
    return "" if rate is None else f"{float(rate) * 100:.2f}%"


def survey_rows(user: Any, survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """Per target: rank, counts by option, exact rate, verdict. Rows the user may see only."""
    results = selectors.survey_results(user, survey)
    labels = list(dict.fromkeys(o.label for q in survey.questions.all() if q.counts for o in q.options.all()))
    header = [
        _("排名"),
        _("单位编码"),
        _("测评对象"),
        _("有效答卷"),
        *labels,
        _("满意票数"),
        _("计票总数"),
        _("满意率"),
        _("满意率（分数）"),
        _("满意率标准"),
        _("是否低于标准"),
    ]
    rows = []
    for row in results:
        rate = row.rate
        rows.append(
            [
                row.rank or "",
                row.target.unit.code,
                row.target.unit.name,
                row.responses,
                *[row.option_counts.get(label, 0) for label in labels],
                row.satisfied,
                row.answered,
                _percent(rate),
                f"{rate.numerator}/{rate.denominator}" if rate is not None else "",
                f"{row.threshold.numerator}/{row.threshold.denominator}",
                _("是（返工补课）") if row.below_threshold else _("否"),
            ]
        )
    return [str(h) for h in header], rows

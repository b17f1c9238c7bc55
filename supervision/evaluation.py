"""纪实评价 [003]: the record figures of a 班子 and its leaders, and the group's report (.docx).

"督导组要对所督导单位领导班子和领导干部在教育实践活动中的表现进行纪实评价，作为考核的重要依据"
— the figures come from the record, not from the group's memory: the 对照检查材料 and how often
the review returned them, the group's own rating of the 专题民主生活会, the satisfaction measured
among the people, the share of 整改 items closed, and the 约谈/问责 on record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign import clock
from campaign.documents import DOCX_CONTENT_TYPE, OfficialDocument
from campaign.jobs import JobError, Progress
from materials.choices import ActionKind, MaterialKind
from materials.meeting_models import Briefing, Meeting
from materials.models import Material, ReviewAction
from rectification.choices import ItemStatus
from rectification.models import RectificationItem
from stages.models import SurveyResult
from supervision.choices import EvaluationStatus
from supervision.models import Accountability, RecordEvaluation
from units.choices import LEADERSHIP_ROLES
from units.models import Organization, Post, Unit

RETURNS = [ActionKind.RETURN_REVISE, ActionKind.RETURN_REWRITE]

BODY_LABELS = [
    ("material", gettext_lazy("班子对照检查材料")),
    ("returns", gettext_lazy("材料审核退回次数")),
    ("meeting", gettext_lazy("督导组对专题民主生活会的评价")),
    ("satisfaction", gettext_lazy("群众满意度")),
    ("completion", gettext_lazy("整改事项完成率")),
    ("accountability", gettext_lazy("约谈问责记录")),
]
LEADER_LABELS = [
    ("material", gettext_lazy("个人对照检查材料")),
    ("returns", gettext_lazy("材料审核退回次数")),
    ("completion", gettext_lazy("个人整改事项完成率")),
    ("accountability", gettext_lazy("约谈问责记录")),
]


def figure_rows(figures: dict[str, Any], leader: bool = False) -> list[tuple[str, Any]]:
    labels = LEADER_LABELS if leader else BODY_LABELS
    return [(str(label), figures.get(key, "—")) for key, label in labels]


def _rate(closed: int, total: int) -> str:
    if not total:
        return _("无整改事项")
    return _("%(rate).1f%%（%(closed)d/%(total)d项）") % {
        "rate": closed * 100 / total,
        "closed": closed,
        "total": total,
    }


def leaders_of(unit: Unit) -> list[Post]:
    """The people with a post in the unit's 班子 today, one post each (the first by order)."""
    posts = (
        Post.objects.active(clock.today())
        .filter(unit=unit, role__in=LEADERSHIP_ROLES)
        .select_related("person")
        .order_by("sort_order", "start_date", "pk")
    )
    seen: set[int] = set()
    result = []
    for post in posts:
        if post.person_id not in seen:
            seen.add(post.person_id)
            result.append(post)
    return result


def evaluation_figures(unit: Unit, person_ids: list[int]) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """The 班子's figures and each leader's, counted from the record. Seven queries."""
    materials: list[dict[str, Any]] = list(
        Material.objects.filter(unit=unit, kind__in=[MaterialKind.BODY, MaterialKind.PERSONAL]).values(
            "pk", "kind", "subject_person_id", "status"
        )  # type: ignore[arg-type]
    )
    returns = dict(
        ReviewAction.objects.filter(review__material__unit=unit, kind__in=RETURNS)
        .values_list("review__material__pk")
        .annotate(n=Count("pk"))
        .order_by()
    )
    status_labels = dict(Material._meta.get_field("status").choices or [])

    def material_figures(rows: list[dict[str, Any]]) -> tuple[str, int]:
        if not rows:
            return _("未撰写"), 0
        return (
            "、".join(str(status_labels.get(r["status"], r["status"])) for r in rows),
            sum(returns.get(r["pk"], 0) for r in rows),
        )

    meeting = Meeting.objects.filter(unit=unit).exclude(rating="").order_by("-number", "-pk").first()
    result = SurveyResult.objects.filter(unit=unit).select_related("survey").order_by("-computed_at").first()
    briefing = Briefing.objects.filter(unit=unit, respondents__gt=0).order_by("-held_on", "-pk").first()
    satisfaction = []
    if result is not None and result.answered:
        satisfaction.append(
            _("%(title)s %(rate).1f%%（%(n)d份有效答卷）")
            % {
                "title": result.survey.title,
                "rate": result.satisfied * 100 / result.answered,
                "n": result.responses,
            }
        )
    if briefing is not None and briefing.respondents and briefing.satisfied is not None:
        satisfaction.append(
            _("情况通报会群众评议 %(rate).1f%%（%(n)d人参评）")
            % {"rate": briefing.satisfied * 100 / briefing.respondents, "n": briefing.respondents}
        )
    items = RectificationItem.objects.filter(unit=unit).exclude(status=ItemStatus.WITHDRAWN)
    body_items = items.aggregate(total=Count("pk"), closed=Count("pk", filter=Q(status=ItemStatus.CLOSED)))
    per_person_items: dict[int, tuple[int, int]] = {
        row["person"]: (row["total"], row["closed"])
        for row in items.filter(person_id__in=person_ids)
        .values("person")
        .annotate(total=Count("pk"), closed=Count("pk", filter=Q(status=ItemStatus.CLOSED)))
        .order_by()
    }
    accountability: dict[int, list[str]] = defaultdict(list)
    for record in Accountability.objects.filter(unit=unit).order_by("date", "pk"):
        accountability[record.person_id].append(
            f"{record.date:%Y-%m-%d} {record.get_kind_display()}：{record.reason[:60]}"
        )
    all_accountability = [text for texts in accountability.values() for text in texts]

    body_material, body_returns = material_figures([m for m in materials if m["kind"] == MaterialKind.BODY])
    body = {
        "material": body_material,
        "returns": body_returns,
        "meeting": (
            f"{meeting.get_rating_display()}（{meeting.get_kind_display()}）" if meeting else _("尚未评价")
        ),
        "satisfaction": "；".join(satisfaction) or _("尚无测评结果"),
        "completion": _rate(body_items["closed"], body_items["total"]),
        "items_total": body_items["total"],
        "items_closed": body_items["closed"],
        "accountability": "；".join(all_accountability) or _("无"),
    }
    leaders: dict[int, dict[str, Any]] = {}
    for person_id in person_ids:
        material, returned = material_figures(
            [
                m
                for m in materials
                if m["kind"] == MaterialKind.PERSONAL and m["subject_person_id"] == person_id
            ]
        )
        total, closed = per_person_items.get(person_id, (0, 0))
        leaders[person_id] = {
            "material": material,
            "returns": returned,
            "completion": _rate(closed, total),
            "items_total": total,
            "items_closed": closed,
            "accountability": "；".join(accountability.get(person_id, [])) or _("无"),
        }
    return body, leaders


# --- the report -----------------------------------------------------------------


@dataclass
class UnitEvaluationView:
    unit: Unit
    evaluation: RecordEvaluation | None


def report_units(group: Organization) -> list[UnitEvaluationView]:
    from supervision.selectors import assigned_units

    units = assigned_units(group)
    evaluations = {
        e.unit_id: e
        for e in RecordEvaluation.objects.filter(group=group, unit__in=units).prefetch_related(
            "leaders__person"
        )
    }
    return [
        UnitEvaluationView(unit, evaluations.get(unit.pk)) for unit in sorted(units, key=lambda u: u.path)
    ]


def addressee_of(group: Organization) -> str:
    """The 组织部 of the party committee that sent the group."""
    return _("中共%(unit)s委组织部") % {"unit": group.unit.name}


def evaluation_report_docx(
    group: Organization, rows: list[UnitEvaluationView], progress: Progress | None
) -> bytes:
    doc = OfficialDocument()
    doc.title(_("关于%(group)s对所督导单位领导班子和领导干部纪实评价情况的报告") % {"group": group.name})
    doc.addressee(addressee_of(group))
    submitted = [
        r for r in rows if r.evaluation is not None and r.evaluation.status == EvaluationStatus.SUBMITTED
    ]
    doc.paragraph(
        _(
            "根据党的群众路线教育实践活动有关要求，%(group)s对所督导的%(n)d个单位的领导班子和领导干部"
            "在教育实践活动中的表现进行了纪实评价。评价依据督导组掌握的情况和工作平台记录的材料审核、"
            "专题民主生活会评价、群众满意度测评、整改落实和约谈问责等情况作出，已提交评价%(s)d个单位。现报告如下。"
        )
        % {"group": group.name, "n": len(rows), "s": len(submitted)}
    )
    numbers = "一二三四五六七八九十"
    for index, row in enumerate(rows):
        prefix = numbers[index] if index < len(numbers) else str(index + 1)
        doc.heading(f"{prefix}、{row.unit.name}")
        evaluation = row.evaluation
        if evaluation is None or evaluation.status != EvaluationStatus.SUBMITTED:
            doc.paragraph(_("督导组尚未提交对该单位的纪实评价。"))
        else:
            doc.heading(_("（一）领导班子：%(grade)s") % {"grade": evaluation.get_grade_display()}, level=2)
            doc.lines(evaluation.text)
            doc.table([_("纪实事项"), _("情况")], figure_rows(evaluation.figures))
            doc.heading(_("（二）领导干部"), level=2)
            doc.table(
                [
                    _("姓名"),
                    _("职务"),
                    _("评价等次"),
                    _("评价意见"),
                    _("对照检查材料"),
                    _("整改完成率"),
                    _("约谈问责"),
                ],
                [
                    [
                        leader.person.name,
                        leader.post_title,
                        leader.get_grade_display(),
                        leader.text,
                        f"{leader.figures.get('material', '')}（退回{leader.figures.get('returns', 0)}次）",
                        leader.figures.get("completion", ""),
                        leader.figures.get("accountability", ""),
                    ]
                    for leader in evaluation.leaders.all()
                ],
            )
        if progress:
            progress(index + 1, len(rows) + 1)
    doc.signature(group.name, clock.today())
    return doc.save()


def build_evaluation_report(job: Any, progress: Progress) -> tuple[bytes, str, str, str]:
    """The Job builder: params {"group": pk}."""
    from supervision.selectors import may_report_evaluations

    group = Organization.objects.select_related("unit").filter(pk=job.params.get("group")).first()
    if group is None or not may_report_evaluations(job.user, group):
        raise JobError(_("该督导组不存在或您无权生成其报告。"))
    rows = report_units(group)
    if not rows:
        raise JobError(_("该督导组目前没有督导的单位，无法生成报告。"))
    progress(0, len(rows) + 1)
    content = evaluation_report_docx(group, rows, progress)
    name = f"{group.name}纪实评价情况报告.docx"
    summary = _("已生成%(group)s纪实评价情况报告，共%(n)d个单位。") % {"group": group.name, "n": len(rows)}
    return content, name, DOCX_CONTENT_TYPE, summary

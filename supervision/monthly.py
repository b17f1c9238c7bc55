"""月度工作进展报告: a unit's month of the campaign, drawn from the record, for its secretary.

[002] 四(一) asks the secretary to hear a report on the campaign every month; this is the
paper the office puts on his desk. Every figure is counted from the record of the unit
itself (its own 班子's materials, meetings, opinions, 整改 items, rules), for the month and
in total, so the report can be generated again at any time and say the same thing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign import clock
from campaign.documents import DOCX_CONTENT_TYPE, OfficialDocument
from campaign.jobs import JobError, Progress
from campaign.selectors import unit_stage_overview
from materials.choices import MaterialStatus
from materials.meeting_choices import ReportStatus, TalkStatus
from materials.meeting_models import Meeting, MeetingReport, Talk
from materials.models import Material
from rectification.choices import ItemStatus, RuleStatus
from rectification.models import RectificationItem, Rule, SpecialProjectPlan
from stages.choices import GroupStatus
from stages.models import Opinion, OpinionGroup, StudySession
from supervision.models import ReportHearing
from units.access import scope_for
from units.choices import Role
from units.models import Unit

# Who may ask for a unit's monthly report: the offices above it, its 督导组, its leaders and
# the 领导小组/联络组 — the people who may see the unit's record.
REPORT_ROLES = [Role.OFFICE, Role.SUPERVISOR, Role.PRINCIPAL, Role.OVERSIGHT]


def may_request_monthly_report(user: Any, unit: Unit) -> bool:
    return scope_for(user).reaches(unit.path, roles=REPORT_ROLES)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First day of the month and first day of the next."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, following


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class MonthlyFacts:
    """The figures of one unit's month; every one is a count over the record."""

    unit: Unit
    year: int
    month: int
    stages: list[dict[str, str]] = field(default_factory=list)
    study_sessions: list[StudySession] = field(default_factory=list)
    study_hours: float = 0
    opinions_month: int = 0
    opinions_total: int = 0
    groups_total: int = 0
    groups_answered_month: int = 0
    groups_answered_total: int = 0
    materials: dict[str, int] = field(default_factory=dict)
    talks_month: int = 0
    talks_confirmed_total: int = 0
    meetings: list[Meeting] = field(default_factory=list)
    reports: list[MeetingReport] = field(default_factory=list)
    items_opened: int = 0
    items_closed: int = 0
    items_overdue: int = 0
    items_total: int = 0
    items_closed_total: int = 0
    projects: list[SpecialProjectPlan] = field(default_factory=list)
    rules_planned: int = 0
    rules_done_month: int = 0
    rules_done_total: int = 0
    hearings: list[ReportHearing] = field(default_factory=list)


def monthly_facts(user: Any, unit: Unit, year: int, month: int) -> MonthlyFacts:
    """Count the unit's month. About twenty queries, whatever the size of the record."""
    first, following = month_bounds(year, month)
    last = following - datetime.timedelta(days=1)
    today = min(clock.today(), last)
    facts = MonthlyFacts(unit=unit, year=year, month=month)
    for view in unit_stage_overview(user, unit):
        state = view.row.state
        stage_text = state.get_stage_display() if state.stage else ""
        facts.stages.append(
            {
                "campaign": view.campaign.name,
                "status": f"{state.get_status_display()}{('（' + stage_text + '）') if stage_text else ''}",
                "windows": "；".join(
                    f"{w.label} {w.start:%m月%d日}—{w.end:%m月%d日}" for w in view.row.windows
                ),
                "late": view.row.late.text if view.row.late else "",
            }
        )
    in_month = {"held_on__gte": first, "held_on__lt": following}
    facts.study_sessions = list(
        StudySession.objects.filter(unit=unit, **in_month)
        .annotate(people=Count("participants"))
        .order_by("held_on", "pk")
    )
    facts.study_hours = float(sum(s.hours for s in facts.study_sessions))
    opinions = Opinion.objects.filter(unit=unit).aggregate(
        total=Count("pk", filter=Q(received_on__lt=following)),
        month=Count("pk", filter=Q(received_on__gte=first, received_on__lt=following)),
    )
    facts.opinions_total, facts.opinions_month = opinions["total"], opinions["month"]
    start, end = _aware(first), _aware(following)
    groups = OpinionGroup.objects.filter(unit=unit).exclude(status=GroupStatus.DISSOLVED)
    counted = groups.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(published_at__lt=end)),
        answered_month=Count("pk", filter=Q(published_at__gte=start, published_at__lt=end)),
    )
    facts.groups_total = counted["total"]
    facts.groups_answered_total = counted["answered"]
    facts.groups_answered_month = counted["answered_month"]
    facts.materials = {
        row["status"]: row["n"]
        for row in Material.objects.filter(unit=unit).values("status").annotate(n=Count("pk")).order_by()
    }
    talks = Talk.objects.filter(unit=unit).aggregate(
        month=Count("pk", filter=Q(held_on__gte=first, held_on__lt=following)),
        confirmed=Count("pk", filter=Q(status=TalkStatus.CONFIRMED, held_on__lt=following)),
    )
    facts.talks_month, facts.talks_confirmed_total = talks["month"], talks["confirmed"]
    facts.meetings = list(Meeting.objects.filter(unit=unit).order_by("number", "pk"))
    facts.reports = list(
        MeetingReport.objects.filter(unit=unit).exclude(status=ReportStatus.SUPERSEDED).order_by("due_date")
    )
    live = RectificationItem.objects.filter(unit=unit).exclude(status=ItemStatus.WITHDRAWN)
    items = live.aggregate(
        opened=Count("pk", filter=Q(opened_on__gte=first, opened_on__lt=following)),
        closed=Count("pk", filter=Q(closed_on__gte=first, closed_on__lt=following)),
        total=Count("pk", filter=Q(opened_on__lt=following)),
        closed_total=Count("pk", filter=Q(closed_on__lt=following)),
        overdue=Count(
            "pk",
            filter=Q(deadline__lt=today, opened_on__lt=following)
            & (Q(closed_on__isnull=True) | Q(closed_on__gt=today)),
        ),
    )
    facts.items_opened, facts.items_closed = items["opened"], items["closed"]
    facts.items_total, facts.items_closed_total = items["total"], items["closed_total"]
    facts.items_overdue = items["overdue"]
    facts.projects = list(
        SpecialProjectPlan.objects.filter(unit=unit).select_related("project").order_by("project__number")
    )
    rules = Rule.objects.filter(unit=unit).aggregate(
        planned=Count("pk", filter=Q(status=RuleStatus.PLANNED)),
        done_month=Count("pk", filter=Q(finished_on__gte=first, finished_on__lt=following)),
        done_total=Count("pk", filter=Q(status=RuleStatus.DONE, finished_on__lt=following)),
    )
    facts.rules_planned, facts.rules_done_month = rules["planned"], rules["done_month"]
    facts.rules_done_total = rules["done_total"]
    facts.hearings = list(ReportHearing.objects.filter(unit=unit, date__gte=first, date__lt=following))
    return facts


def _pct(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def monthly_report_docx(facts: MonthlyFacts, progress: Progress | None = None) -> bytes:
    unit, year, month = facts.unit, facts.year, facts.month
    doc = OfficialDocument()
    doc.title(
        _("%(unit)s党的群众路线教育实践活动月度工作进展报告") % {"unit": unit.name},
        _("（%(y)d年%(m)d月）") % {"y": year, "m": month},
    )
    doc.addressee(_("%(unit)s主要负责同志") % {"unit": unit.name})
    doc.paragraph(
        _("现将本单位%(y)d年%(m)d月教育实践活动进展情况报告如下。以下数字均由工作平台的记录统计生成。")
        % {"y": year, "m": month}
    )

    doc.heading(_("一、环节进度"))
    if facts.stages:
        for row in facts.stages:
            doc.paragraph(
                _("“%(c)s”：%(s)s。环节时间：%(w)s。")
                % {"c": row["campaign"], "s": row["status"], "w": row["windows"]}
                + (_("进度滞后：%(late)s。") % {"late": row["late"]} if row["late"] else "")
            )
    else:
        doc.paragraph(_("本单位尚未纳入教育实践活动的环节管理。"))
    if progress:
        progress(1, 6)

    doc.heading(_("二、学习教育、听取意见"))
    doc.paragraph(
        _("本月组织学习%(n)d次，共%(h)s学时。")
        % {"n": len(facts.study_sessions), "h": f"{facts.study_hours:g}"}
    )
    if facts.study_sessions:
        doc.table(
            [_("日期"), _("形式"), _("主题"), _("学时"), _("参学人数")],
            [
                [
                    f"{s.held_on:%m月%d日}",
                    s.get_kind_display(),
                    s.topic,
                    f"{s.hours:g}",
                    getattr(s, "people", 0),
                ]
                for s in facts.study_sessions
            ],
        )
    doc.paragraph(
        _(
            "本月收到群众意见建议%(m)d条，累计%(t)d条；归纳为%(g)d组，累计已反馈%(a)d组（本月%(am)d组），"
            "反馈率%(r)s。"
        )
        % {
            "m": facts.opinions_month,
            "t": facts.opinions_total,
            "g": facts.groups_total,
            "a": facts.groups_answered_total,
            "am": facts.groups_answered_month,
            "r": _pct(facts.groups_answered_total, facts.groups_total),
        }
    )
    if progress:
        progress(2, 6)

    doc.heading(_("三、查摆问题、开展批评"))
    labels = dict(MaterialStatus.choices)
    materials = "，".join(f"{labels[s]}{n}份" for s, n in sorted(facts.materials.items()) if s in labels)
    doc.paragraph(
        _("对照检查材料共%(n)d份：%(detail)s。")
        % {"n": sum(facts.materials.values()), "detail": materials or _("尚未撰写")}
    )
    doc.paragraph(
        _("本月开展谈心谈话%(m)d次，累计已确认%(c)d次。")
        % {"m": facts.talks_month, "c": facts.talks_confirmed_total}
    )
    if facts.meetings:
        for meeting in facts.meetings:
            held = (
                _("于%(day)s召开") % {"day": f"{meeting.held_start:%Y年%m月%d日}"}
                if meeting.held_start
                else _("尚未召开")
            )
            rating = meeting.get_rating_display() if meeting.rating else _("尚未评价")
            doc.paragraph(
                _("%(kind)s（第%(n)d次）：%(status)s，%(held)s，督导组评价：%(rating)s。")
                % {
                    "kind": meeting.get_kind_display(),
                    "n": meeting.number,
                    "status": meeting.get_status_display(),
                    "held": held,
                    "rating": rating,
                }
            )
    else:
        doc.paragraph(_("专题民主生活会尚未安排。"))
    for report in facts.reports:
        doc.paragraph(
            _("专题报告：%(status)s，报送期限%(due)s%(late)s。")
            % {
                "status": report.get_status_display(),
                "due": f"{report.due_date:%m月%d日}",
                "late": _("，已逾期") if report.is_late else "",
            }
        )
    if progress:
        progress(3, 6)

    doc.heading(_("四、整改落实、建章立制"))
    doc.paragraph(
        _(
            "整改事项：本月新立%(o)d项、销号%(c)d项；累计%(t)d项，已销号%(ct)d项，完成率%(r)s；"
            "超过完成时限未销号%(od)d项。"
        )
        % {
            "o": facts.items_opened,
            "c": facts.items_closed,
            "t": facts.items_total,
            "ct": facts.items_closed_total,
            "r": _pct(facts.items_closed_total, facts.items_total),
            "od": facts.items_overdue,
        }
    )
    if facts.projects:
        doc.table(
            [_("专项整治"), _("牵头单位"), _("进度时限"), _("状态"), _("评估验收")],
            [
                [
                    p.project.title,
                    p.lead_unit,
                    f"{p.deadline:%Y-%m-%d}",
                    p.get_status_display(),
                    p.get_acceptance_display(),
                ]
                for p in facts.projects
            ],
        )
    else:
        doc.paragraph(_("本单位没有承担专项整治任务。"))
    doc.paragraph(
        _("制度建设：本月完成%(m)d项，累计完成%(t)d项，尚在计划中%(p)d项。")
        % {"m": facts.rules_done_month, "t": facts.rules_done_total, "p": facts.rules_planned}
    )
    if progress:
        progress(4, 6)

    doc.heading(_("五、专题听取汇报"))
    if facts.hearings:
        for hearing in facts.hearings:
            doc.paragraph(_("%(d)s听取了下级党组织负责人的汇报。") % {"d": f"{hearing.date:%m月%d日}"})
    else:
        doc.paragraph(_("本月尚无专题听取下级党组织负责人汇报的记录。"))
    doc.signature(unit.name, clock.today())
    if progress:
        progress(5, 6)
    return doc.save()


def build_monthly_report(job: Any, progress: Progress) -> tuple[bytes, str, str, str]:
    """The Job builder: params {"unit": code, "year": y, "month": m}."""
    unit = Unit.objects.filter(code=job.params.get("unit")).first()
    if unit is None or not may_request_monthly_report(job.user, unit):
        raise JobError(_("该单位不存在或不在您的范围内。"))
    year, month = int(job.params["year"]), int(job.params["month"])
    progress(0, 6)
    facts = monthly_facts(job.user, unit, year, month)
    content = monthly_report_docx(facts, progress)
    name = f"{unit.name}{year}年{month}月工作进展报告.docx"
    summary = _("已生成%(unit)s%(y)d年%(m)d月工作进展报告。") % {"unit": unit.name, "y": year, "m": month}
    return content, name, DOCX_CONTENT_TYPE, summary

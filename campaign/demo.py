"""The demo's calendar, gates, stage states and 回头看 for the 河南省 campaign, as of 2014-06-20.

- The 河南省委活动办 sets the province's calendar (市 level from 2014-03-01, each level
  below 15 days later, [002]); 许昌市委活动办 keeps its own, ten days later.
- Gates from the seeds: leaving stage 1 needs study and claimed opinions; leaving stage 2
  needs approved materials, complete talks, the meeting held, its 通报 and 专题报告 [002];
  leaving stage 3 needs rectification closed, 专项整治 accepted, satisfaction and 3 months.
- Every participating unit is opened; ``seed_late`` then moves each unit through the stages
  on the days its windows began (through the services, "as of" those days), leaves a few
  behind (late), and records one 回头看 of each verdict in 清丰县, where the ``supervisor``
  account's 督导组 works.

Everything looks before it writes: running the demo again changes nothing. The moves run
in ``seed_late``, after every app's ``seed``, so that records other apps' gates check
exist by then; ``PLAN_EXCEPTIONS`` and ``target_position`` say where each unit should be.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test.utils import override_settings

from campaign import services
from campaign.choices import LookBackStatus, Stage, StageAction, Verdict
from campaign.models import Gate, LookBack, StageCalendar, StageEvent, UnitStage, WindowOverride
from campaign.windows import CalendarBook
from units.choices import GRASSROOTS_KINDS, UnitKind

DEMO_DAY = datetime.date(2014, 6, 20)
OPEN_DAY = datetime.date(2014, 2, 20)
D = datetime.date

PROVINCE_CALENDAR = {
    "interval_days": 15,
    "stage1_start": D(2014, 3, 1),
    "stage1_end": D(2014, 5, 14),
    "stage2_start": D(2014, 5, 15),
    "stage2_end": D(2014, 6, 15),
    "stage3_start": D(2014, 6, 16),
    "stage3_end": D(2014, 8, 15),
    "note": "市级层面5月15日开始查摆问题、开展批评环节，县（区）、乡（镇）、村（社区）逐级间隔半个月左右。",
}
XUCHANG_CALENDAR = {
    "interval_days": 15,
    "stage1_start": D(2014, 3, 10),
    "stage1_end": D(2014, 5, 20),
    "stage2_start": D(2014, 5, 21),
    "stage2_end": D(2014, 6, 20),
    "stage3_start": D(2014, 6, 21),
    "stage3_end": D(2014, 8, 20),
    "note": "许昌市结合实际，整体推迟十天开展。",
}

NOT_GRASSROOTS = sorted(
    k for k in UnitKind.values if k not in GRASSROOTS_KINDS and k not in (UnitKind.CENTRAL, UnitKind.PROVINCE)
)
GRASSROOTS = sorted(GRASSROOTS_KINDS)
# (stage, condition, unit kinds (empty: all), params, note)
GATES: list[tuple[int, str, list[str], dict[str, Any], str]] = [
    (Stage.STUDY, "study_sessions_min", [], {"min": 3}, "集中学习、专题讨论 [001]"),
    (Stage.STUDY, "opinion_groups_claimed", [], {}, "梳辫子、主动认领 [001]"),
    (Stage.CRITICISM, "materials_approved", [], {}, "审核没有通过的，不能开会 [002]"),
    (Stage.CRITICISM, "talks_complete", NOT_GRASSROOTS, {}, "“四必谈” [002]"),
    (Stage.CRITICISM, "democratic_meeting_held", [], {}, "基层组织为组织生活会 [000]"),
    (Stage.CRITICISM, "meeting_briefing_held", NOT_GRASSROOTS, {}, "情况通报暨群众评议会 [002]"),
    (Stage.CRITICISM, "meeting_report_filed", NOT_GRASSROOTS, {}, "会后15天内报送 [002]"),
    (
        Stage.CRITICISM,
        "satisfaction_min",
        NOT_GRASSROOTS,
        {"threshold": "2/3", "survey": "meeting"},
        "低于2/3的返工补课 [002]",
    ),
    (Stage.RECTIFICATION, "rectification_items_closed", [], {}, "销号管理 [003]"),
    (Stage.RECTIFICATION, "special_rectification_passed", [], {}, "验收不合格的不能结束 [003]"),
    (
        Stage.RECTIFICATION,
        "satisfaction_min",
        [],
        {"threshold": "2/3", "survey": "final"},
        "群众认可度不高的返工补课 [000]",
    ),
    (Stage.RECTIFICATION, "min_duration", [], {}, "集中教育一般不少于3个月 [000]"),
]

# Units left behind the generic rule ("a unit is in the last stage whose window has begun").
PLAN_EXCEPTIONS = {
    "410900-RMYY": 2,  # 濮阳市人民医院: still in stage 2 after its window ended on 06-15
    "410900-SHZZ": 2,  # 濮阳市慈善总会: likewise
    "410923-GAJ": 1,  # 南乐县公安局: still in stage 1 (window ended 05-29)
    "410923002": 1,  # 南乐县元村镇: still in stage 1 (window ended 06-13)
    "410923002002": 0,  # 南乐县元村镇王庄村: not started (window began 04-15)
}

# 回头看 in 清丰县 by the supervisor account's 督导组: (unit code, day, stage, verdict, due, findings, points)
LOOKBACKS: list[tuple[str, datetime.date, int, str, datetime.date | None, str, str]] = [
    (
        "410922",
        D(2014, 6, 5),
        Stage.STUDY,
        Verdict.PASSED,
        None,
        "学习教育扎实，县委常委班子集中学习研讨6次；征求意见覆盖乡镇、部门和服务对象，意见梳理认领到人。",
        "",
    ),
    (
        "410922-JYJ",
        D(2014, 6, 10),
        Stage.STUDY,
        Verdict.RECTIFY,
        D(2014, 6, 30),
        "征求意见不深入：只在机关内部召开座谈会，没有到学校、家长中听取意见；意见没有梳理认领。",
        "1. 到城乡学校和家长中补充征求意见；2. 对征求到的意见梳理归类、逐条认领；3. 形成补充情况报告。",
    ),
    (
        "410922-ZWZX",
        D(2014, 6, 3),
        Stage.STUDY,
        Verdict.RECTIFY,
        D(2014, 6, 15),
        "窗口服务对象意见没有原汁原味反馈。",
        "对收集到的27条意见逐条向提出人反馈，并在服务大厅公示。",
    ),
    (
        "410922-GAJ",
        D(2014, 6, 8),
        Stage.STUDY,
        Verdict.EXTEND,
        D(2014, 6, 25),
        "学习教育重形式、轻效果：学习记录雷同，专题讨论没有联系执法实际。",
        "补开两次专题讨论，围绕“门难进、脸难看、事难办”联系执法实际查摆问题。",
    ),
    (
        "410922001",
        D(2014, 6, 18),
        Stage.STUDY,
        Verdict.REDO,
        D(2014, 7, 10),
        "表面上热热闹闹，实际上走形变味：意见征求以下发表格代替入户走访，所列问题与群众反映脱节。",
        "重新入户走访听取意见，重新梳理问题清单，重新组织学习讨论。",
    ),
]
# 限期整改 closed in the demo: (unit code, day, note)
CLOSED_ORDERS = [("410922-ZWZX", D(2014, 6, 14), "27条意见已逐条反馈提出人，并在服务大厅公示栏公示。")]


def seed(ctx: Any) -> None:
    """The calendar, the gates, and every participating unit opened (未开始)."""
    campaign = ctx.campaign
    province = ctx.units["410000"]
    _calendar(ctx, province, PROVINCE_CALENDAR)
    _calendar(ctx, ctx.units["411000"], XUCHANG_CALENDAR)
    for stage, condition, kinds, params, note in GATES:
        exists = Gate.objects.filter(campaign=campaign, stage=stage, condition=condition, is_active=True)
        if not any(sorted(g.unit_kinds) == sorted(kinds) for g in exists):
            services.gate_create(
                actor=ctx.admin,
                campaign=campaign,
                stage=stage,
                condition=condition,
                unit_kinds=kinds,
                params=params,
                note=note,
            )
    with override_settings(CAMPAIGN_CLOCK_DATE=OPEN_DAY):
        services.campaign_open(actor=_user("province_office", ctx.admin), campaign=campaign, root=province)


def seed_late(ctx: Any) -> None:
    """Move the units to where they stood on 2014-06-20, then the 回头看 (after every app's seed)."""
    campaign = ctx.campaign
    states = list(
        UnitStage.objects.filter(campaign=campaign).select_related("unit", "campaign").order_by("unit_path")
    )
    touched = set(
        StageEvent.objects.filter(campaign=campaign)
        .exclude(action=StageAction.OPENED)
        .values_list("unit_stage_id", flat=True)
    )
    book = CalendarBook(
        StageCalendar.objects.filter(campaign=campaign), WindowOverride.objects.filter(campaign=campaign)
    )
    city_office, county_office = _user("office", ctx.admin), _user("county_office", ctx.admin)
    for state in states:
        if state.pk in touched:
            continue
        unit = state.unit
        windows = book.windows(unit_id=unit.pk, unit_path=unit.path, level=unit.level)
        target = target_position(unit.code, windows)
        actor = ctx.admin
        if unit.code.startswith("410922"):
            actor = county_office
        elif unit.code.startswith("4109"):
            actor = city_office
        for window in windows[:target]:
            with override_settings(CAMPAIGN_CLOCK_DATE=window.start):
                try:
                    state = services.unit_stage_advance(
                        actor=actor, unit_stage=state, from_position=state.position
                    )
                except ValidationError:
                    # 时间服从质量: a unit whose records do not meet the gates yet stays where
                    # it is (and shows as late), as it would in the office's own hands.
                    break

    supervisor = _user("supervisor", ctx.admin)
    for code, day, stage, verdict, due, findings, points in LOOKBACKS:
        state = next(s for s in states if s.unit.code == code)
        if LookBack.objects.filter(campaign=campaign, unit=state.unit, stage=stage, verdict=verdict).exists():
            continue
        with override_settings(CAMPAIGN_CLOCK_DATE=day):
            services.lookback_record(
                actor=supervisor,
                unit_stage=state,
                stage=stage,
                verdict=verdict,
                findings=findings,
                points=points,
                due_date=due,
            )
    for code, day, note in CLOSED_ORDERS:
        for order in LookBack.objects.filter(
            campaign=campaign, unit__code=code, verdict=Verdict.RECTIFY, status=LookBackStatus.OPEN
        ):
            with override_settings(CAMPAIGN_CLOCK_DATE=day):
                services.lookback_close(actor=supervisor, lookback=order, note=note)


def target_position(code: str, windows: list[Any]) -> int:
    """Where a unit stood on DEMO_DAY: the last stage whose window had begun, unless planned otherwise."""
    if code in PLAN_EXCEPTIONS:
        return PLAN_EXCEPTIONS[code]
    return sum(1 for w in windows if w.start <= DEMO_DAY)


def _calendar(ctx: Any, unit: Any, values: dict[str, Any]) -> None:
    if not StageCalendar.objects.filter(campaign=ctx.campaign, unit=unit).exists():
        services.calendar_set(actor=ctx.admin, campaign=ctx.campaign, unit=unit, **values)


def _user(username: str, fallback: Any) -> Any:
    return get_user_model().objects.filter(username=username).first() or fallback

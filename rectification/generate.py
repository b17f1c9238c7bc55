"""Synthetic 整改方案 and 整改清单 for ``generate_province``: a plan per unit and about
1,000,000 items at scale 1.0, at every status, with deadlines before and after today
(so the reminder sweep finds due and overdue ones), and a third linked to an opinion."""

from __future__ import annotations

import datetime

from campaign.generate import Context, UnitInfo
from rectification.choices import Handling, ItemStatus, ListKind, PlanStatus, Priority, SourceKind
from rectification.models import ItemSource, RectificationItem, RectificationPlan
from rectification.tallies import tally_rebuild
from units.choices import UnitCategory, UnitKind

STATUSES = [
    (ItemStatus.OPEN, 25),
    (ItemStatus.IN_PROGRESS, 40),
    (ItemStatus.CLOSE_REQUESTED, 8),
    (ItemStatus.CLOSED, 24),
    (ItemStatus.WITHDRAWN, 3),
]
HANDLING = [(Handling.NOW, 30), (Handling.BY_DEADLINE, 60), (Handling.NOT_YET, 10)]
PROBLEMS = [
    ("文山会海问题突出", "精简会议文件，合并同类会议", "会议文件数量比上年减少三分之一"),
    ("服务窗口办事效率低", "推行一次性告知和限时办结", "群众办事一次办结"),
    ("公务接待不规范", "严格执行接待标准，实行公函制度", "接待费用明显下降"),
    ("村级道路年久失修", "争取项目资金，硬化村内道路", "年底前完成道路硬化"),
    ("惠民资金发放不及时", "建立台账，按月公示发放情况", "资金按时足额发放"),
    ("深入基层调研不够", "班子成员每月到联系点调研不少于两次", "形成调研报告，解决实际问题"),
]


def _per_unit(unit: UnitInfo) -> int:
    if unit.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY):
        return 35
    if unit.category == UnitCategory.TERRITORIAL:
        return {1: 300, 2: 200, 3: 150, 4: 60}.get(unit.level, 0)
    if unit.category == UnitCategory.DIRECT:
        return 40
    if unit.category == UnitCategory.FOUR_BODIES:
        return 20
    return 15


def _rows(ctx: Context) -> None:
    rng = ctx.rng
    plans: list[RectificationPlan] = []
    items: list[RectificationItem] = []
    sources: list[ItemSource] = []
    start = datetime.date(2014, 5, 1)
    for unit in ctx.units:
        base = _per_unit(unit)
        if not base:
            continue
        area = unit.area or unit
        grassroots = unit.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)
        plan_pk = ctx.pks(RectificationPlan, 1)
        plan_status = ctx.pick([(PlanStatus.DRAFT, 30), (PlanStatus.APPROVED, 70)])
        plans.append(
            RectificationPlan(
                pk=plan_pk,
                unit_id=unit.pk,
                unit_path=unit.path,
                area_path=area.path,
                kind=ListKind.GRASSROOTS if grassroots else ListKind.TEAM,
                title=f"{unit.name}{'问题清单' if grassroots else '领导班子整改方案'}",
                status=plan_status,
                approved_on=ctx.today - datetime.timedelta(days=rng.randint(1, 30))
                if plan_status == PlanStatus.APPROVED
                else None,
            )
        )
        opinions = ctx.opinions_by_unit.get(unit.pk)
        members = unit.members
        for _i in range(rng.randint(base * 2 // 3, base * 4 // 3)):
            item_pk = ctx.pks(RectificationItem, 1)
            personal = bool(members) and not grassroots and rng.random() < 0.2
            handling = ctx.pick(HANDLING)
            status = ctx.pick(STATUSES)
            if handling == Handling.NOW:
                deadline: datetime.date | None = ctx.today + datetime.timedelta(days=rng.randint(-20, 15))
            elif handling == Handling.BY_DEADLINE:
                deadline = start + datetime.timedelta(days=rng.randint(0, 240))
            else:
                deadline = None
            problem, measure, target = rng.choice(PROBLEMS)
            opened = start - datetime.timedelta(days=rng.randint(0, 20))
            items.append(
                RectificationItem(
                    pk=item_pk,
                    unit_id=unit.pk,
                    unit_path=unit.path,
                    area_path=area.path,
                    plan_id=None if personal else plan_pk,
                    kind=ListKind.PERSONAL
                    if personal
                    else (ListKind.GRASSROOTS if grassroots else ListKind.TEAM),
                    person_id=rng.choice(members) if personal else None,
                    problem=problem,
                    measure=measure,
                    target=target,
                    responsible_leader_id=unit.principal,
                    responsible_unit=unit.name,
                    handling=handling,
                    deadline=deadline,
                    explanation="受资金和政策条件限制，已向群众说明，条件具备时解决。"
                    if handling == Handling.NOT_YET
                    else "",
                    priority=Priority.HIGH if rng.random() < 0.2 else Priority.NORMAL,
                    status=status,
                    is_public=not personal and rng.random() < 0.5,
                    needs_upper_help=rng.random() < 0.05,
                    source_count=0,
                    last_progress="已制定方案，正在推进。" if status == ItemStatus.IN_PROGRESS else "",
                    last_progress_on=ctx.today - datetime.timedelta(days=rng.randint(0, 30))
                    if status == ItemStatus.IN_PROGRESS
                    else None,
                    opened_on=opened,
                    closed_on=ctx.today - datetime.timedelta(days=rng.randint(0, 20))
                    if status == ItemStatus.CLOSED
                    else None,
                )
            )
            if opinions and rng.random() < 0.3:
                items[-1].source_count = 1
                sources.append(
                    ItemSource(
                        pk=ctx.pks(ItemSource, 1),
                        item_id=item_pk,
                        source_kind=SourceKind.OPINION,
                        source_id=opinions[0] + rng.randrange(opinions[1]),
                    )
                )
        if len(items) >= 10000:
            ctx.write(RectificationPlan, plans)
            ctx.write(RectificationItem, items)
            ctx.write(ItemSource, sources)
            plans, items, sources = [], [], []
    ctx.write(RectificationPlan, plans)
    ctx.write(RectificationItem, items)
    ctx.write(ItemSource, sources)


def generate(ctx: Context) -> None:
    ctx.step("rectification plans and items", _rows)
    # Written without signals, so the per-unit tallies are recounted whole.
    ctx.step("rectification item tallies", _tallies)


def _tallies(ctx: Context) -> None:
    tally_rebuild()

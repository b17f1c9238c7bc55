"""Synthetic 意见建议 for ``generate_province``: opinions in every unit, most sorted into groups
(辫子) at every status of 梳辫子 → 认领 → 答复 → 反馈. About 500,000 opinions at scale 1.0."""

from __future__ import annotations

import datetime

from campaign.generate import Context, UnitInfo
from stages.choices import ClaimKind, GroupStatus, OpinionCategory, OpinionChannel, OpinionSource
from stages.models import Opinion, OpinionGroup
from stages.services import RECEIPT_ALPHABET, RECEIPT_LENGTH
from units.choices import UnitCategory, UnitKind

TEXTS = {
    OpinionCategory.FORMALISM: "会议文件太多，检查评比过多，基层干部疲于应付。",
    OpinionCategory.BUREAUCRATISM: "办事窗口门难进、脸难看、事难办，一件事要跑好几趟。",
    OpinionCategory.HEDONISM: "个别干部上班时间不在岗，工作日午间饮酒。",
    OpinionCategory.EXTRAVAGANCE: "公务接待超标准，公车私用现象仍然存在。",
    OpinionCategory.LAND: "征地补偿款发放不及时，标准不公开。",
    OpinionCategory.SOCIAL_SECURITY: "新农合报销手续繁琐，报销比例偏低。",
    OpinionCategory.EDUCATION: "村小学校舍年久失修，孩子上学路远。",
    OpinionCategory.HEALTH: "乡镇卫生院缺医少药，看病难。",
    OpinionCategory.HOUSING: "危房改造名额分配不透明。",
    OpinionCategory.EMPLOYMENT: "返乡农民工就业培训少，信息不畅。",
}
GROUP_STATUSES = [
    (GroupStatus.PROPOSED, 10),
    (GroupStatus.CONFIRMED, 25),
    (GroupStatus.CLAIMED, 30),
    (GroupStatus.ANSWERED, 15),
    (GroupStatus.PUBLISHED, 20),
]


def _per_unit(unit: UnitInfo) -> int:
    if unit.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY):
        return 15
    if unit.category == UnitCategory.TERRITORIAL:
        return {1: 500, 2: 300, 3: 200, 4: 60}.get(unit.level, 0)
    if unit.category == UnitCategory.DIRECT:
        return 20
    if unit.category == UnitCategory.FOUR_BODIES:
        return 10
    return 5


def _rows(ctx: Context) -> None:
    rng = ctx.rng
    channels = list(OpinionChannel.values)
    categories = list(TEXTS)
    groups: list[OpinionGroup] = []
    opinions: list[Opinion] = []
    start = datetime.date(2014, 3, 1)
    span = max(1, (ctx.today - start).days)
    for unit in ctx.units:
        count = rng.randint(_per_unit(unit) * 2 // 3, _per_unit(unit) * 4 // 3) if _per_unit(unit) else 0
        if not count:
            continue
        first = ctx.pks(Opinion, count)
        ctx.opinions_by_unit[unit.pk] = (first, count)
        leaders = [p for p in [unit.principal, *unit.members[:3]] if p]
        i = 0
        while i < count:
            size = rng.randint(1, 6)
            group_pk = None
            if size >= 3 and rng.random() < 0.75:
                group_pk = ctx.pks(OpinionGroup, 1)
                status = ctx.pick(GROUP_STATUSES)
                claimed = status in (GroupStatus.CLAIMED, GroupStatus.ANSWERED, GroupStatus.PUBLISHED)
                by_leader = claimed and leaders and rng.random() < 0.4
                when = ctx.now - datetime.timedelta(days=rng.randint(1, 60))
                category = rng.choice(categories)
                groups.append(
                    OpinionGroup(
                        pk=group_pk,
                        campaign_id=ctx.campaign_id,
                        unit_id=unit.pk,
                        unit_path=unit.path,
                        title=TEXTS[category][:30],
                        status=status,
                        claim_kind=(ClaimKind.LEADER if by_leader else ClaimKind.BODY) if claimed else "",
                        claimed_person_id=rng.choice(leaders) if by_leader else None,
                        claimed_at=when if claimed else None,
                        answer="已研究整改，限期解决。"
                        if status in (GroupStatus.ANSWERED, GroupStatus.PUBLISHED)
                        else "",
                        answered_at=when if status in (GroupStatus.ANSWERED, GroupStatus.PUBLISHED) else None,
                        published_at=when if status == GroupStatus.PUBLISHED else None,
                    )
                )
            else:
                category = rng.choice(categories)
            for _j in range(min(size, count - i)):
                anonymous = rng.random() < 0.3
                opinions.append(
                    Opinion(
                        pk=first + i,
                        campaign_id=ctx.campaign_id,
                        unit_id=unit.pk,
                        unit_path=unit.path,
                        receipt_code="".join(rng.choices(RECEIPT_ALPHABET, k=RECEIPT_LENGTH)),
                        group_id=group_pk,
                        channel=rng.choice(channels),
                        category=category,
                        is_anonymous=anonymous,
                        submitter_name="" if anonymous else "群众",
                        text=TEXTS[category],
                        received_on=start + datetime.timedelta(days=rng.randrange(span)),
                        source=OpinionSource.OFFICE,
                    )
                )
                i += 1
        if len(opinions) >= 5000:
            ctx.write(OpinionGroup, groups)
            ctx.write(Opinion, opinions)
            groups, opinions = [], []
    ctx.write(OpinionGroup, groups)
    ctx.write(Opinion, opinions)


def generate(ctx: Context) -> None:
    ctx.step("opinions", _rows)

"""Demo 对照检查材料 in 清丰县, played through the real services on dated days of June 2014.

Each scenario is skipped when its material already exists, so re-running the
demo changes nothing. Reviewers who act get demo accounts (password demo2014).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test.utils import override_settings

from materials import review as engine
from materials import sections, services
from materials.choices import ActionKind, MaterialKind, SixNo
from materials.models import Material, ReviewStep
from units import services as unit_services
from units.demo import DemoContext, demo_user
from units.models import Person, Unit


@contextmanager
def on(day: str) -> Iterator[None]:
    with override_settings(CAMPAIGN_CLOCK_DATE=datetime.date.fromisoformat(day)):
        yield


def _user(ctx: DemoContext, username: str, person: Person, label: str) -> Any:
    user = demo_user(username, person.name)
    if person.user_id != user.pk:
        unit_services.person_link_user(actor=ctx.admin, person=person, user=user)
        person.refresh_from_db()
    if not any(a[0] == username for a in ctx.accounts):
        ctx.accounts.append((username, label, person.name))
    return person.user


EXAMPLES = {
    "formalism": [
        "到基层调研多是“走马观花”，去年全年下乡调研21次，真正蹲点解剖问题的只有3次",
        "以会议落实会议、以文件落实文件，分管领域上半年印发文件47件，不少是上级文件的简单转发",
    ],
    "bureaucratism": [
        "对群众反映的城区供暖问题，批转有关部门后没有跟踪督办，群众三次来信才解决",
        "听取基层汇报多，到信访接待室面对面接待群众少，全年只接访2次",
    ],
    "hedonism": [
        "工作中满足于按部就班，对征地拆迁中的难点问题有畏难情绪，存在“差不多”思想",
    ],
    "extravagance": [
        "2012年参加外地考察学习时，接待规格超出规定，对陪同人员数量没有严格把关",
    ],
    "interests": ["城关镇老旧小区供水管网改造拖延一年多，群众意见较大"],
    "last_mile": ["部分村便民服务室无人值守，群众办事“两头跑”"],
}


def demo_content(with_body_parts: bool, variant: int = 0) -> dict[str, Any]:
    if variant >= 2:
        # Each demo author writes his own material: 雷同检测 would rightly flag the same text twice.
        from materials.copycheck.corpus import Writer

        return sections.normalise(Writer(variant).material(with_body_parts), with_body_parts)
    content = sections.empty_content(with_body_parts)
    content["discipline"] = (
        "能够在思想上政治上行动上同党中央保持高度一致，严格执行中央八项规定和省委省政府20条意见。"
        "但在落实中也存在学习不深入、要求不严格的问题。"
    )
    for key, _label in sections.PROBLEM_PARTS:
        if key in dict(sections.BODY_PARTS) and not with_body_parts:
            continue
        part = content["winds"][key] if key in dict(sections.WINDS) else content[key]
        part["examples"] = [
            {"key": f"d{variant}{key[:3]}{i}", "text": text} for i, text in enumerate(EXAMPLES[key])
        ]
    content["causes"] = {
        "ideals": "理想信念有所松动，对学习马克思主义理论满足于一知半解。",
        "purpose": "宗旨意识有所淡化，对群众的操心事、烦心事感同身受不够。",
        "party_spirit": "党性修养有所放松，自我要求有所降低。",
        "political_discipline": "对政治纪律的严肃性认识不足，执行制度规定有时打折扣。",
    }
    answers = [p.key for p in sections.problems(content)]
    content["measures"] = {
        "text": "以整风精神抓好整改，做到整改有目标、推进有措施、落实有责任、完成有时限。",
        "items": [
            {
                "key": f"m{variant}0",
                "text": "建立基层联系点制度，每月至少蹲点调研2天，形成调研报告。",
                "answers": answers[:2],
            },
            {
                "key": f"m{variant}1",
                "text": "建立群众来信来访限时办结和回访制度，每月到信访接待室接访1次。",
                "answers": answers[2:4],
            },
            {
                "key": f"m{variant}2",
                "text": "严格执行公务接待和考察学习规定，接待清单每季度公开。",
                "answers": answers[4:],
            },
        ],
    }
    content["statements"] = {
        "three_public": "本人分管范围内“三公”经费2013年比上年下降18%。",
        "duty_consumption": "无超标准职务消费。",
        "favor_consumption": "没有借婚丧嫁娶等收受礼金。",
        "official_cars": "按规定使用公务用车，没有公车私用。",
        "office_housing": "办公用房面积符合标准；本人只有一套住房。",
        "family_business": "配偶在县第一中学任教，子女在外地就读，均不经商办企业。",
    }
    return content


def _write(ctx: DemoContext, unit: Unit, kind: str, person: Person | None, actor: Any) -> Material:
    assert ctx.campaign is not None
    material = services.material_start(
        actor=actor, campaign=ctx.campaign, unit=unit, kind=kind, subject_person=person
    )
    return services.material_save_draft(
        actor=actor,
        material=material,
        # Each demo author writes his own text (2 + pk): the same text in two materials would be
        # flagged by 雷同检测, rightly.
        content=demo_content(material.has_body_parts, 2 + material.pk),
        version=material.version,
    )


def _act(user: Any, material: Material, action: str, opinion: str, checklist: tuple[str, ...] = ()) -> None:
    material.refresh_from_db()
    review = material.review
    assert review is not None
    step = ReviewStep.objects.get(review=review, round=review.round, state="open", reviewers__user=user)
    engine.review_step_act(
        actor=user,
        step=step,
        decision=engine.Decision(action, opinion, checklist),
        review_version=review.version,
    )


ALL_SIX = tuple(SixNo.values)


def seed(ctx: DemoContext) -> None:
    assert ctx.campaign is not None
    units = ctx.units
    people = {p.code: p for p in Person.objects.filter(code__startswith="P410922").select_related("user")}
    county, town, village = units["410922"], units["410922001"], units["410922001001"]
    principal = people["P410922-SJ"].user  # 清丰县委书记 (account "principal")
    supervisor = Person.objects.get(user__username="supervisor").user
    town_secretary = _user(ctx, "township_secretary", people["P410922001-SJ"], "清丰县城关镇党委书记")
    propaganda = _user(ctx, "propaganda", people["P410922-XCB"], "清丰县委常委、宣传部部长")

    # 1. The 组织部长's personal material, passed by the 县委书记, waits at the 市委督导组.
    member = people["P410922-ZZB"]
    if not Material.objects.filter(subject_person=member).exists():
        with on("2014-06-05"):
            material = _write(ctx, county, MaterialKind.PERSONAL, member, member.user)
            services.material_submit(actor=member.user, material=material, version=material.version)
        with on("2014-06-08"):
            _act(
                principal,
                material,
                ActionKind.PASS,
                "问题查摆具体，原因剖析到位，同意报市委督导组。",
                ALL_SIX,
            )

    # 2. The 宣传部长's material: returned once by the 县委书记, revised, back with him.
    if not Material.objects.filter(subject_person=people["P410922-XCB"]).exists():
        with on("2014-06-04"):
            material = _write(ctx, county, MaterialKind.PERSONAL, people["P410922-XCB"], propaganda)
            draft = material.draft
            draft["winds"]["extravagance"]["examples"] = []
            material = services.material_save_draft(
                actor=propaganda, material=material, content=draft, version=material.version
            )
            services.material_submit(actor=propaganda, material=material, version=material.version)
        with on("2014-06-07"):
            _act(
                principal,
                material,
                ActionKind.RETURN_REVISE,
                "“奢靡之风”方面没有列出具体事例，整改措施与问题对应不够，请对照“六不”要求修改。",
                (SixNo.NOT_EVASIVE, SixNo.NOT_BOASTFUL),
            )
        with on("2014-06-12"):
            material.refresh_from_db()
            material = services.material_save_draft(
                actor=propaganda, material=material, content=demo_content(False, 2), version=material.version
            )
            services.material_submit(actor=propaganda, material=material, version=material.version)

    # 3. 东街村's brief material, reviewed by the 城关镇 secretary and published to the villagers.
    if not Material.objects.filter(unit=village, subject_person__isnull=True).exists():
        village_secretary = people["P410922001001-SJ"].user
        with on("2014-06-02"):
            material = _write(ctx, village, MaterialKind.BRIEF, None, village_secretary)
            services.material_submit(actor=village_secretary, material=material, version=material.version)
        with on("2014-06-06"):
            _act(town_secretary, material, ActionKind.PASS, "同意，请按要求向群众公示。", ALL_SIX)
            material.refresh_from_db()
            services.material_publish(
                actor=Person.objects.get(user__username="county_office").user, material=material
            )

    # 4. 城关镇's 班子 material at the 县委督导组, whose members have no accounts yet: flagged to the office.
    if not Material.objects.filter(unit=town, subject_person__isnull=True).exists():
        with on("2014-06-10"):
            material = _write(ctx, town, MaterialKind.BODY, None, town_secretary)
            services.material_submit(actor=town_secretary, material=material, version=material.version)

    # 5. The 县委书记's own material: passed by the 市委督导组, now with the 市委活动办 (overdue).
    if not Material.objects.filter(subject_person=people["P410922-SJ"]).exists():
        with on("2014-06-03"):
            material = _write(ctx, county, MaterialKind.PERSONAL, people["P410922-SJ"], principal)
            services.material_submit(actor=principal, material=material, version=material.version)
        with on("2014-06-09"):
            _act(supervisor, material, ActionKind.PASS, "查摆问题聚焦“四风”，同意。", ALL_SIX)

    # 7. 濮阳市政务服务中心 (a 窗口单位): every material approved through the 市直 chain, and the
    #    班子 material published to its service users; the unit can leave stage 2 on materials.
    window = units["410900-ZWZX"]
    if not Material.objects.filter(unit=window).exists():
        _approve_all(ctx, window, day="2014-05-26")
        body = Material.objects.get(unit=window, subject_person__isnull=True)
        with on("2014-06-02"):
            services.material_publish(actor=Person.objects.get(user__username="office").user, material=body)

    # 6. A draft in progress: the 纪委书记 is still writing.
    discipline = people["P410922-JW"]
    if not Material.objects.filter(subject_person=discipline).exists():
        discipline_user = _user(ctx, "discipline", discipline, "清丰县委常委、纪委书记")
        with on("2014-06-15"):
            material = services.material_start(
                actor=discipline_user,
                campaign=ctx.campaign,
                unit=county,
                kind=MaterialKind.PERSONAL,
                subject_person=discipline,
            )
            content = sections.empty_content(False)
            content["discipline"] = "（草稿）能够严格遵守党的政治纪律。"
            services.material_save_draft(
                actor=discipline_user, material=material, content=content, version=material.version
            )


def _approve_all(ctx: DemoContext, unit: Unit, day: str) -> None:
    """Write every material ``unit`` owes and pass it through its chain, each reviewer acting."""
    from materials.selectors import required_materials
    from units.models import Post

    start = datetime.date.fromisoformat(day)
    principal = Post.objects.get(unit=unit, role="principal").person
    for entry in required_materials(unit):
        author = entry.person or principal
        writer = _user(
            ctx,
            f"demo-{author.code.lower()}",
            author,
            f"{unit.name}{'班子成员' if entry.person else '主要负责同志'}",
        )
        with on(start.isoformat()):
            material = _write(ctx, unit, entry.kind, entry.person, writer)
            services.material_submit(actor=writer, material=material, version=material.version)
        for offset in range(1, 8):
            material.refresh_from_db()
            review = material.review
            assert review is not None
            step = ReviewStep.objects.filter(
                review=review, round=review.round, state="open", kind__in=["review", "sign"]
            ).first()
            if step is None:
                break
            if step.unresolved:
                person = _first_resolvable(step)
                _user(ctx, f"demo-{person.code.lower()}", person, step.name)
                with on((start + datetime.timedelta(days=offset)).isoformat()):
                    office = Person.objects.get(user__username="office").user
                    engine.review_step_reassign(
                        actor=office, step=step, people=[person], reason="审核人开通账号"
                    )
            reviewer = step.reviewers.filter(is_open=True).first()
            assert reviewer is not None
            with on((start + datetime.timedelta(days=offset)).isoformat()):
                _act(reviewer.user, material, ActionKind.PASS, "同意。", ALL_SIX)


def _first_resolvable(step: ReviewStep) -> Person:
    """The person the step's rule names (an unresolved step only lacks an account)."""
    subject = engine.subject_of(step.review)
    people = engine.resolve(step.template_step, subject).people
    assert people, step
    return people[0]


# --- stage two around the meeting (materials/meeting_demo.py) ---------------------------------

_seed_materials = seed


def seed(ctx: DemoContext) -> None:  # type: ignore[no-redef]
    from materials import meeting_demo

    _seed_materials(ctx)
    meeting_demo.seed(ctx)
    from materials.copycheck import demo as copycheck_demo

    copycheck_demo.seed(ctx)  # 雷同检测: reference texts, a material with copied passages

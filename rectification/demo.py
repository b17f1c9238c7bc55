"""Demo rectification records for 清丰县 as they stood on 2014-06-20.

Every write goes through the services as the demo user who would make it, on the
campaign day it would have happened (the campaign clock is set for each step), so
the events, warnings and histories read like a real 台账. Each section looks before
it writes: running the command again changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from materials import review as engine
from materials.choices import ActionKind
from materials.selectors import open_step_for
from rectification import rating_services, services
from rectification.choices import (
    Handling,
    ItemStatus,
    ListKind,
    ParticipantRole,
    PointedBy,
    Priority,
    RuleJudgement,
)
from rectification.models import (
    ItemRating,
    PointedProblem,
    RectificationItem,
    RectificationPlan,
    Rule,
    SpecialProject,
)
from units import services as unit_services
from units.access import forget_scope
from units.choices import OrgKind, OrgRole, UnitKind
from units.models import Organization, OrgMembership

D = datetime.date

# The 11 突出问题 of the second batch's 专项整治 [003], deployed by the provincial office.
ELEVEN = [
    "群众办事难",
    "乱收费、乱罚款、乱摊派",
    "惠民政策不落实和缩水走样",
    "拖欠群众钱款和侵占群众财物",
    "“会所中的歪风”",
    "执法执纪部门办关系案、人情案、金钱案",
    "信访积案久拖不决、久诉不息",
    "利用婚丧喜庆等事宜借机敛财",
    "党员干部参赌涉赌",
    "干部“走读”",
    "村级财务和“三资”管理不规范",
]


@contextmanager
def on(day: datetime.date) -> Iterator[None]:
    """Run the block as if the campaign clock read ``day``."""
    with override_settings(CAMPAIGN_CLOCK_DATE=day):
        yield


def _user(username: str) -> Any:
    user = get_user_model().objects.get(username=username)
    forget_scope(user)
    return user


def _pdf(name: str, text: str) -> SimpleUploadedFile:
    body = f"%PDF-1.4\n% {text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="application/pdf")


def seed(ctx: Any) -> None:
    if ctx.campaign is None or "410922" not in ctx.units:
        return
    _liaison_group(ctx)
    county = ctx.units["410922"]
    if not RectificationPlan.objects.filter(unit=county, kind=ListKind.TEAM).exists():
        _county_plan(ctx)
        _member_plan(ctx)
        _department(ctx)
        _villages(ctx)
    if not PointedProblem.objects.filter(unit=county).exists():
        _pointed(ctx)
    if not SpecialProject.objects.filter(unit=ctx.units["410000"]).exists():
        _special_projects(ctx)
    if not Rule.objects.filter(unit=county).exists():
        _rules(ctx)
    if not ItemRating.objects.filter(item__unit=county).exists():
        _ratings(ctx)


# 开门整改: how the public rated the 文山会海 item on the county's public page (满意, 基本满意, 不满意).
RATINGS = ["满意"] * 9 + ["基本满意"] * 3 + ["不满意"] * 2


def _ratings(ctx: Any) -> None:
    """The public rated the county's finished 文山会海 item: 12 of 14 satisfied, so it stays closed."""
    item = RectificationItem.objects.filter(
        unit=ctx.units["410922"], problem__startswith="文山会海问题反弹", status=ItemStatus.CLOSED
    ).first()
    if item is None:
        return
    for index, choice in enumerate(RATINGS):
        with on(D(2014, 6, 10 + index // 2)):
            rating_services.item_rate(item=item, choice=choice, browser_id=f"demo-browser-{index:04d}-0000")


def _liaison_group(ctx: Any) -> None:
    """濮阳市委活动办联络组: the second step of the review of 副处级+ plans [003]."""
    city = ctx.units["410900"]
    group = Organization.objects.filter(campaign=ctx.campaign, unit=city, name="濮阳市委活动办联络组").first()
    if group is None:
        group = unit_services.organization_create(
            actor=ctx.admin,
            campaign=ctx.campaign,
            unit=city,
            kind=OrgKind.LIAISON_GROUP,
            name="濮阳市委活动办联络组",
        )
    staff = get_user_model().objects.get(username="office").person
    if not OrgMembership.objects.filter(organization=group, person=staff).exists():
        unit_services.membership_add(
            actor=ctx.admin, organization=group, person=staff, role=OrgRole.LEADER, start_date=D(2014, 1, 20)
        )


def _item(actor: Any, day: datetime.date, **fields: Any) -> RectificationItem:
    with on(day):
        return services.item_create(actor=actor, **fields)


def _report(actor: Any, item: RectificationItem, day: datetime.date, text: str, files: int = 1) -> None:
    with on(day):
        services.item_report_progress(
            actor=actor,
            item=item,
            text=text,
            files=[_pdf(f"佐证材料{i + 1}.pdf", text) for i in range(files)],
        )


def _close(
    owner: Any, signer: Any, item: RectificationItem, asked: datetime.date, signed: datetime.date
) -> None:
    with on(asked):
        item.refresh_from_db()
        services.item_request_close(actor=owner, item=item, version=item.version, note="已按整改措施完成。")
    with on(signed):
        item.refresh_from_db()
        services.item_sign_off(
            actor=signer, item=item, version=item.version, opinion="经核查，整改到位，同意销号。"
        )


def _pass(actor: Any, plan: RectificationPlan, day: datetime.date, opinion: str) -> None:
    """The reviewer passes the plan's step open for him, through the review engine."""
    with on(day):
        plan.refresh_from_db()
        step = open_step_for(actor, plan.review)
        if step is None or plan.review is None:
            raise RuntimeError(f"{actor} has no open review step on {plan}")
        engine.review_step_act(
            actor=actor,
            step=step,
            decision=engine.Decision(ActionKind.PASS, opinion),
            review_version=plan.review.version,
        )


def _county_plan(ctx: Any) -> None:
    county = ctx.units["410922"]
    principal, supervisor, office = _user("principal"), _user("supervisor"), _user("office")
    county_office = _user("county_office")
    people = ctx.people
    secretary, head, deputy = people["P410922-SJ"], people["P410922-ZZ"], people["P410922-CW"]
    discipline = people["P410922-JW"]
    with on(D(2014, 5, 20)):
        plan = services.plan_create(
            actor=principal,
            unit=county,
            kind=ListKind.TEAM,
            title="中共清丰县委常委领导班子整改方案",
            summary="针对征求到的意见、对照检查材料查摆的“四风”问题和专题民主生活会上的批评意见，"
            "逐项明确整改措施、责任领导、责任单位和完成时限，实行销号管理，整改情况向社会公开。",
        )
    common = {"actor": principal, "plan": plan}
    meetings = _item(
        day=D(2014, 5, 20),
        problem="文山会海问题反弹，县直部门召开的全县性会议偏多，部分会议内容重复。",
        measure="全县性会议一律报县委办公室审核，能合并的合并，能套开的套开；建立会议计划报备制度。",
        target="全县性会议比上年减少三分之一以上。",
        responsible_leader=head,
        responsible_unit="县委办公室、县政府办公室",
        handling=Handling.NOW,
        deadline=D(2014, 6, 10),
        priority=Priority.HIGH,
        **common,
    )
    service_hall = _item(
        day=D(2014, 5, 20),
        problem="县政务服务中心部分窗口“门好进、脸好看，事难办”，群众反映办证来回跑。",
        measure="梳理窗口办理事项，推行一次性告知和限时办结，建立首问负责和群众评议窗口制度。",
        target="窗口事项一次性告知率100%，群众满意率达到90%以上。",
        responsible_leader=deputy,
        responsible_unit="县政务服务中心",
        handling=Handling.BY_DEADLINE,
        deadline=D(2014, 6, 18),
        priority=Priority.HIGH,
        **common,
    )
    cars = _item(
        day=D(2014, 5, 20),
        problem="部分单位超标配备公务用车、公车私用现象仍有发生。",
        measure="开展公务用车专项清理，超标车辆一律收回封存，建立公车使用登记和定点停放制度。",
        target="超标配备车辆全部清理到位。",
        responsible_leader=discipline,
        responsible_unit="县纪委、县财政局",
        handling=Handling.BY_DEADLINE,
        deadline=D(2014, 6, 22),
        **common,
    )
    water = _item(
        day=D(2014, 5, 20),
        problem="西部乡镇部分村群众饮水不安全，反映强烈。",
        measure="实施农村饮水安全工程，争取市级配套资金，分批解决。",
        target="年底前解决5个村1.2万人的饮水安全问题。",
        responsible_leader=head,
        responsible_unit="县水利局",
        handling=Handling.BY_DEADLINE,
        deadline=D(2014, 9, 30),
        priority=Priority.HIGH,
        **common,
    )
    landfill = _item(
        day=D(2014, 5, 20),
        problem="县城生活垃圾处理能力不足，群众要求新建垃圾处理场。",
        measure="列入县城总体规划，开展选址论证，争取项目立项。",
        target="完成选址论证和项目前期工作。",
        responsible_leader=deputy,
        responsible_unit="县住建局",
        handling=Handling.NOT_YET,
        explanation="新建垃圾处理场投资大、选址须经省级审批，目前暂不具备条件；已向群众说明，"
        "近期先增加垃圾清运车辆和频次。",
        **common,
    )
    petitions = _item(
        day=D(2014, 5, 20),
        problem="信访积案化解不力，个别积案久拖不决。",
        measure="县级领导包案，逐案制定化解方案，实行“一案一策”。",
        target="列入台账的信访积案全部化解。",
        responsible_leader=secretary,
        responsible_unit="县信访局",
        handling=Handling.BY_DEADLINE,
        deadline=D(2014, 6, 15),
        **common,
    )
    documents = _item(
        day=D(2014, 5, 20),
        problem="文件多、简报多，以文件落实文件。",
        measure="严格控制发文数量和篇幅，简报一律精简合并。",
        target="县委、县政府发文比上年减少30%。",
        responsible_leader=head,
        responsible_unit="县委办公室",
        handling=Handling.BY_DEADLINE,
        deadline=D(2014, 7, 15),
        **common,
    )
    stations = _item(
        day=D(2014, 5, 20),
        problem="基层站所个别工作人员吃拿卡要、态度生硬。",
        measure="开展基层站所作风专项整治，公开办事流程和监督电话，实行明察暗访。",
        target="群众反映的问题件件有回音。",
        responsible_leader=discipline,
        responsible_unit="县纪委",
        handling=Handling.BY_DEADLINE,
        deadline=D(2014, 6, 21),
        **common,
    )
    with on(D(2014, 5, 28)):
        plan.refresh_from_db()
        services.plan_submit(actor=principal, plan=plan, version=plan.version)
    # 副处级以上: the 市委第二督导组 sent to 清丰县, then the 市委活动办联络组 [003].
    _pass(supervisor, plan, D(2014, 6, 3), "方案聚焦“四风”，措施具体，同意报联络组。")
    _pass(office, plan, D(2014, 6, 6), "审核通过。")
    with on(D(2014, 6, 8)):
        plan.refresh_from_db()
        services.plan_publish(actor=county_office, plan=plan, version=plan.version)

    _report(
        principal, meetings, D(2014, 6, 5), "已出台会议计划报备制度，6月以来全县性会议同比减少40%。", files=2
    )
    _close(principal, supervisor, meetings, D(2014, 6, 6), D(2014, 6, 9))
    _report(
        principal,
        service_hall,
        D(2014, 6, 12),
        "已完成窗口事项梳理，一次性告知单印制完毕，限时办结制度正在试行。",
    )
    _report(principal, cars, D(2014, 6, 14), "已清理出超标车辆7辆，其中5辆已封存。")
    with on(D(2014, 6, 10)):
        water.refresh_from_db()
        services.item_request_help(
            actor=principal,
            item=water,
            version=water.version,
            note="工程需市级配套资金约800万元，请市委、市政府协调市水利局、市财政局支持。",
        )
    _report(principal, petitions, D(2014, 6, 2), "12件信访积案已全部明确包案领导，化解10件。")
    _close(principal, supervisor, petitions, D(2014, 6, 3), D(2014, 6, 5))
    with on(D(2014, 6, 16)):
        petitions.refresh_from_db()
        services.item_reopen(
            actor=supervisor,
            item=petitions,
            version=petitions.version,
            reason="回访发现已化解的两件积案当事人再次到市上访，问题反弹，予以复号。",
        )
    _report(principal, documents, D(2014, 6, 16), "1至6月县委、县政府发文同比减少35%，简报由14种精简为5种。")
    with on(D(2014, 6, 17)):
        documents.refresh_from_db()
        services.item_request_close(
            actor=principal, item=documents, version=documents.version, note="提前完成。"
        )
    del stations, landfill  # open as listed: due soon (待整改) and 暂不具备条件


def _member_plan(ctx: Any) -> None:
    """The 组织部部长's personal measures: internal to the unit, at the 督导组 step."""
    county = ctx.units["410922"]
    member = _user("member")
    person = ctx.people["P410922-ZZB"]
    with on(D(2014, 5, 22)):
        plan = services.plan_create(
            actor=member,
            unit=county,
            kind=ListKind.PERSONAL,
            person=person,
            title="个人整改措施（组织部部长）",
        )
    _item(
        member,
        D(2014, 5, 22),
        plan=plan,
        problem="深入基层调研不够，对软弱涣散村党组织底数掌握不准。",
        measure="每月到联系乡镇调研不少于4天，逐村排查软弱涣散党组织。",
        target="完成全县软弱涣散村党组织排查和整顿。",
        responsible_leader=person,
        responsible_unit="县委组织部",
        handling=Handling.BY_DEADLINE,
        deadline=D(2014, 8, 31),
    )
    _item(
        member,
        D(2014, 5, 22),
        plan=plan,
        problem="干部选拔任用中听取群众意见不充分。",
        measure="推行干部任前公示和民主推荐结果公开。",
        target="干部任前公示率100%。",
        responsible_leader=person,
        responsible_unit="县委组织部",
        handling=Handling.NOW,
        deadline=D(2014, 6, 30),
    )
    with on(D(2014, 6, 12)):
        plan.refresh_from_db()
        services.plan_submit(actor=member, plan=plan, version=plan.version)


def _department(ctx: Any) -> None:
    """县政务服务中心: an item with the 公安局 as 配合单位."""
    hall, police = ctx.units["410922-ZWZX"], ctx.units["410922-GAJ"]
    county_office = _user("county_office")
    with on(D(2014, 5, 25)):
        plan = services.plan_create(
            actor=county_office, unit=hall, kind=ListKind.TEAM, title="县政务服务中心领导班子整改方案"
        )
    item = _item(
        county_office,
        D(2014, 5, 25),
        plan=plan,
        problem="户籍、出入境业务未进驻中心，群众办证多头跑。",
        measure="协调县公安局将户籍、出入境窗口整体进驻中心，实行一站式办理。",
        target="8月底前公安窗口进驻到位。",
        responsible_unit="县政务服务中心",
        handling=Handling.BY_DEADLINE,
        deadline=D(2014, 8, 31),
    )
    with on(D(2014, 5, 26)):
        services.item_add_participant(
            actor=county_office, item=item, unit=police, role=ParticipantRole.COOPERATE
        )


def _villages(ctx: Any) -> None:
    east, west = ctx.units["410922001001"], ctx.units["410922001002"]
    town = ctx.units["410922001"]
    village, county_office = _user("village"), _user("county_office")
    with on(D(2014, 5, 18)):
        plan = services.plan_create(
            actor=village, unit=east, kind=ListKind.GRASSROOTS, title="城关镇东街村问题清单和整改措施"
        )
    road = _item(
        village,
        D(2014, 5, 18),
        plan=plan,
        problem="村东小街道路泥泞，雨天群众出行难。",
        measure="硬化村东小街道路400米。",
        target="6月上旬完工。",
        responsible_unit="东街村“两委”",
        handling=Handling.NOW,
        deadline=D(2014, 6, 10),
    )
    _item(
        village,
        D(2014, 5, 18),
        plan=plan,
        problem="村务公开不及时，群众对集体收支有疑问。",
        measure="每月5日前在公开栏公布上月收支，设立村务监督委员会。",
        target="村务按月公开，群众满意。",
        responsible_unit="东街村“两委”",
        handling=Handling.BY_DEADLINE,
        deadline=D(2014, 7, 5),
    )
    _item(
        village,
        D(2014, 5, 18),
        plan=plan,
        problem="村集体经济薄弱，无力兴办公益事业。",
        measure="结合县城规划研究发展集体经济的路子。",
        target="形成发展集体经济的方案。",
        responsible_unit="东街村“两委”",
        handling=Handling.NOT_YET,
        explanation="受县城规划调整影响，集体建设用地暂不能使用；已在村民大会上向群众说明，待规划批复后再议。",
    )
    with on(D(2014, 5, 21)):
        plan.refresh_from_db()
        services.plan_submit(actor=village, plan=plan, version=plan.version)
    _pass(county_office, plan, D(2014, 5, 24), "问题找得准，措施可行，同意公布。")
    _report(village, road, D(2014, 6, 8), "村东小街400米道路已硬化完工。", files=1)
    _close(village, county_office, road, D(2014, 6, 9), D(2014, 6, 12))

    with on(D(2014, 5, 30)):
        draft = services.plan_create(
            actor=county_office, unit=west, kind=ListKind.GRASSROOTS, title="城关镇西街村问题清单"
        )
    _item(
        county_office,
        D(2014, 5, 30),
        plan=draft,
        problem="村里路灯损坏多，夜间出行不便。",
        measure="更换损坏路灯30盏。",
        target="主要街道夜间照明恢复。",
        responsible_unit="西街村“两委”",
        handling=Handling.NOW,
        deadline=D(2014, 6, 15),
    )
    # 立行立改 in the township, outside any plan: overdue.
    _item(
        county_office,
        D(2014, 4, 25),
        unit=town,
        problem="镇便民服务中心午间无人值班，群众办事扑空。",
        measure="实行午间轮流值班和错时上班，公开值班电话。",
        target="工作日午间有人值班。",
        responsible_unit="城关镇党政办",
        handling=Handling.NOW,
        deadline=D(2014, 5, 5),
    )


def _pointed(ctx: Any) -> None:
    county, east = ctx.units["410922"], ctx.units["410922001001"]
    supervisor, county_office = _user("supervisor"), _user("county_office")
    group = Organization.objects.get(campaign=ctx.campaign, name="濮阳市委第二督导组")
    with on(D(2014, 5, 15)):
        answered = services.pointed_problem_create(
            actor=supervisor,
            unit=county,
            text="县政务服务中心窗口服务效率不高，群众反映多。",
            pointed_by=PointedBy.SUPERVISION_GROUP,
            pointed_by_org=group,
        )
        services.pointed_problem_create(
            actor=supervisor,
            unit=county,
            text="班子对照检查材料对“奢靡之风”方面的问题查摆不深，缺少具体事例。",
            pointed_by=PointedBy.SUPERVISION_GROUP,
            pointed_by_org=group,
        )
    with on(D(2014, 5, 20)):
        services.pointed_problem_create(
            actor=county_office,
            unit=east,
            text="村“两委”班子议事不规范，“四议两公开”落实不到位。",
            pointed_by=PointedBy.UPPER_COMMITTEE,
            pointed_by_name="城关镇党委",
        )
    hall_item = RectificationItem.objects.filter(unit=county, problem__startswith="县政务服务中心").first()
    if hall_item is not None:
        with on(D(2014, 6, 1)):
            services.item_link_source(
                actor=_user("principal"), item=hall_item, kind="pointed_problem", source_id=answered.pk
            )


def _special_projects(ctx: Any) -> None:
    province = ctx.units["410000"]
    province_office, office, county_office = _user("province_office"), _user("office"), _user("county_office")
    with on(D(2014, 4, 1)):
        projects = [
            services.special_project_create(
                actor=province_office,
                unit=province,
                number=number,
                title=title,
                origin="省委确定的第二批教育实践活动专项整治",
                description="对照省委部署逐项自查自纠，明确牵头单位、责任主体、进度时限和推进措施，"
                "实行项目化推进、销号式管理，活动基本结束时评估验收。",
                scope_kinds=[UnitKind.COUNTY],
                deadline=D(2014, 9, 15),
            )
            for number, title in enumerate(ELEVEN, start=1)
        ]
    qingfeng, nanle, hualong = ctx.units["410922"], ctx.units["410923"], ctx.units["410902"]
    leads = ["县政务服务中心", "县物价局", "县民政局", "县人社局", "县纪委", "县政法委"]
    with on(D(2014, 4, 20)):
        for project, lead in zip(projects[:6], leads, strict=True):
            services.special_project_plan_file(
                actor=county_office,
                project=project,
                unit=qingfeng,
                lead_unit=lead,
                responsible="清丰县委、县政府",
                deadline=D(2014, 8, 31),
                measures="制定专项整治实施方案，开展自查自纠，公开举报电话，对发现的问题建立台账、逐项销号。",
            )
    first = projects[0].plans.get(unit=qingfeng)
    with on(D(2014, 6, 10)):
        services.special_project_plan_report(
            actor=county_office,
            plan=first,
            version=first.version,
            status="in_progress",
            progress="已清理群众办事事项186项，取消无依据证明材料23项。",
        )
    with on(D(2014, 4, 22)):
        nanle_plan = services.special_project_plan_file(
            actor=office,
            project=projects[6],
            unit=nanle,
            lead_unit="县信访局",
            responsible="南乐县委、县政府",
            deadline=D(2014, 6, 15),
            measures="县级领导包案化解信访积案。",
        )
        hualong_plan = services.special_project_plan_file(
            actor=office,
            project=projects[1],
            unit=hualong,
            lead_unit="区物价局",
            responsible="华龙区委、区政府",
            deadline=D(2014, 6, 10),
            measures="清理涉企收费项目，公开收费目录。",
        )
    with on(D(2014, 6, 12)):
        hualong_plan.refresh_from_db()
        services.special_project_plan_report(
            actor=office,
            plan=hualong_plan,
            version=hualong_plan.version,
            status="done",
            progress="取消涉企收费项目12项，收费目录已向社会公开。",
        )
    with on(D(2014, 6, 18)):
        nanle_plan.refresh_from_db()
        services.special_project_accept(
            actor=office,
            plan=nanle_plan,
            version=nanle_plan.version,
            passed=False,
            reason="抽查发现3件信访积案未化解，包案领导未按要求接访，整治不到位，须继续整改。",
        )
        hualong_plan.refresh_from_db()
        services.special_project_accept(
            actor=office, plan=hualong_plan, version=hualong_plan.version, passed=True, reason="整治到位。"
        )


def _rules(ctx: Any) -> None:
    county = ctx.units["410922"]
    county_office = _user("county_office")
    rows = [
        (
            "中共清丰县委常委会议事规则",
            RuleJudgement.KEEP,
            "县委办公室",
            None,
            "实践证明行之有效，予以重申。",
        ),
        (
            "全县性检查评比考核办法",
            RuleJudgement.ABOLISH,
            "县委督查室",
            D(2014, 6, 15),
            "检查评比过多过滥，予以废止。",
        ),
        (
            "公务接待管理办法",
            RuleJudgement.REVISE,
            "县委办公室、县政府办公室",
            D(2014, 7, 31),
            "与中央八项规定不相适应。",
        ),
        (
            "领导干部直接联系群众制度",
            RuleJudgement.NEW,
            "县委组织部",
            D(2014, 6, 15),
            "建立县级领导干部联系乡镇、村的制度。",
        ),
        ("会议费管理办法", RuleJudgement.NEW, "县财政局", D(2014, 6, 18), "规范会议费开支。"),
        (
            "公务用车使用管理规定",
            RuleJudgement.REVISE,
            "县机关事务管理局",
            D(2014, 8, 31),
            "配合公车专项清理修订。",
        ),
    ]
    made = {}
    with on(D(2014, 5, 25)):
        for title, judgement, owner, deadline, reason in rows:
            made[title] = services.rule_create(
                actor=county_office,
                unit=county,
                title=title,
                judgement=judgement,
                owner=owner,
                deadline=deadline,
                reason=reason,
            )
    with on(D(2014, 6, 10)):
        rule = made["全县性检查评比考核办法"]
        services.rule_finish(actor=county_office, rule=rule, version=rule.version, issued_on=D(2014, 6, 10))
        rule = made["领导干部直接联系群众制度"]
        services.rule_finish(
            actor=county_office,
            rule=rule,
            version=rule.version,
            issued_on=D(2014, 6, 9),
            doc_number="清发〔2014〕12号",
        )

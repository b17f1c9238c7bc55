"""Demo of stage two around the meeting, played through the real services on dated days of June 2014.

- 清丰县委常委班子: talks partly done (coverage incomplete, the missing pairs visible), two members'
  拟批评意见 (one sent back for being "老好人"), and the meeting plan waiting at the 市委督导组.
- 华龙区委常委班子: talks complete, every material approved, plan approved, the meeting held on
  6-10/11 with criticisms, evaluated by the 市委第一督导组, 通报会 passed; 专题报告 due 6-26.
- 南乐县委常委班子: the same path a week earlier; 群众评议 below 2/3 (返工补课), 专题报告 due 6-19
  and not sent: late on the demo day.
- 清丰县城关镇东街村: a 组织生活会 with 民主评议党员, a township leader attending as an ordinary member.

Each scenario is skipped when its meeting (or its talks) already exist, so re-running changes nothing.
People who must act get logins (password demo2014); the few worth trying are listed.
"""

from __future__ import annotations

import datetime
from typing import Any

from campaign import clock
from materials import review as engine
from materials import talk_selectors as ts
from materials.choices import ActionKind, MaterialStatus, ReviewStatus, StepState
from materials.demo import ALL_SIX, _user, _write, on
from materials.meeting_choices import AttendeeCapacity, HalfDay
from materials.meeting_models import CriticismList, Meeting, Talk
from materials.meeting_services import (
    briefing_record,
    briefing_record_result,
    briefing_survey_link,
    meeting_appraisals_save,
    meeting_attendee_set,
    meeting_criticism_add,
    meeting_evaluate,
    meeting_hold,
    meeting_plan_save,
    meeting_plan_submit,
    meeting_record_save,
    meeting_start,
    meeting_statement_save,
    report_file,
    report_read,
    report_save,
    report_submit,
)
from materials.models import Material, Review, ReviewStep
from materials.selectors import required_materials
from materials.services import material_submit
from materials.talk_services import (
    ItemInput,
    TalkPoints,
    WeakItem,
    criticism_list_decide,
    criticism_list_save,
    criticism_list_start,
    criticism_list_submit,
    talk_confirm,
    talk_record,
)
from stages.demo import meeting_evaluation
from units import services as unit_services
from units.demo import DemoContext, demo_user
from units.models import OrgMembership, Person, Unit

PROCEDURE = (
    "一、书记就开好专题民主生活会提出要求；\n"
    "二、书记代表常委班子作对照检查发言；\n"
    "三、书记和班子其他成员逐一作对照检查发言，每人发言结束后，其他同志对其开展批评；\n"
    "四、市委督导组组长对民主生活会情况作简要评价；\n"
    "五、书记作总结讲话。"
)
CRITICISMS = [
    "对分管领域“庸懒散拖”问题抓得不紧，有的问题群众反映多次仍未解决。",
    "下基层调研多是“走马观花”，听汇报多、蹲点少，对基层的困难了解不深。",
    "开会讲话偏长，文件转发多，以会议落实会议的现象在分管部门依然存在。",
    "对干部失之于宽、失之于软，批评人少、表扬人多，存在“老好人”思想。",
    "接访群众次数偏少，对信访积案缺少跟踪督办，群众意见较大。",
    "公务接待有时把关不严，陪同人员偏多，厉行节约的要求落得不实。",
    "抓落实的韧劲不足，部署的工作多，一抓到底、跟踪问效的少。",
]


def _login(person: Person, admin: Any) -> Any:
    """A quiet demo login for someone who must act in the demo (not listed)."""
    if person.user_id:
        return person.user
    user = demo_user(f"demo-{person.code.lower()}", person.name)
    unit_services.person_link_user(actor=admin, person=person, user=user)
    person.refresh_from_db()
    return person.user


def _logins(org_name: str, admin: Any) -> None:
    for seat in OrgMembership.objects.filter(organization__name=org_name).select_related("person"):
        _login(seat.person, admin)


def _pass_review(review: Review, opinion: str = "同意。", checklist: tuple[str, ...] = ()) -> None:
    """Every reviewer along the chain passes (or acknowledges) at his step."""
    for _round in range(12):
        review.refresh_from_db()
        if review.status != ReviewStatus.IN_REVIEW:
            return
        step = (
            ReviewStep.objects.filter(review=review, round=review.round, state=StepState.OPEN)
            .order_by("order")
            .first()
        )
        if step is None:
            return
        reviewer = step.reviewers.filter(is_open=True).select_related("user").first()
        assert reviewer is not None, f"no reviewer for {step}"
        action = (
            ActionKind.ACKNOWLEDGE
            if step.kind == "acknowledge"
            else (ActionKind.SIGN if step.kind == "sign" else ActionKind.PASS)
        )
        engine.review_step_act(
            actor=reviewer.user,
            step=step,
            decision=engine.Decision(action, opinion, checklist if action != ActionKind.ACKNOWLEDGE else ()),
            review_version=review.version,
        )


def _points(a: Person, b: Person | None) -> TalkPoints:
    other = b.name if b else "督导组"
    return TalkPoints(
        own_problems=f"{a.name}同志主动谈了自己下基层少、抓落实不够的问题。",
        other_problems=f"指出{other}在分管工作中存在听汇报多、深入一线少的问题。",
        body_problems="班子在落实中央八项规定上还有差距，会议和文件偏多，联系服务群众“最后一公里”问题解决不够。",
        meeting_points="会上准备就分管领域“庸懒散拖”问题开展批评，并对班子整改提出建议。",
    )


def _complete_talks(ctx: DemoContext, unit: Unit, admin: Any) -> None:
    assert ctx.campaign is not None
    coverage = ts.talk_coverage([unit])[unit.pk]
    for requirement in coverage.required:
        if requirement.other is None:
            seat = coverage.group_seats[0]
            recorder, counterpart, group = seat.person, requirement.member, seat.organization
        else:
            recorder, counterpart, group = requirement.member, requirement.other, None
        talk = talk_record(
            actor=_login(recorder, admin),
            campaign=ctx.campaign,
            unit=unit,
            counterpart=counterpart,
            group=group,
            held_on=clock.today() - datetime.timedelta(days=1),
            points=_points(requirement.member, requirement.other),
        )
        talk_confirm(actor=_login(counterpart, admin), talk=talk, version=talk.version)


def _approve_materials(ctx: DemoContext, unit: Unit, admin: Any) -> None:
    for entry in required_materials(unit):
        material = entry.material
        if material is None:
            author = entry.person or Person.objects.get(code=f"P{unit.code}-SJ")
            user = _login(author, admin)
            material = _write(ctx, unit, entry.kind, entry.person, user)
            material = material_submit(actor=user, material=material, version=material.version)
        material = Material.objects.get(pk=material.pk)
        if material.status == MaterialStatus.IN_REVIEW and material.review is not None:
            _pass_review(material.review, "问题查摆具体，原因剖析到位，同意。", ALL_SIX)


def _plan(unit: Unit, secretary: Any, start: str, end: str, ctx: DemoContext) -> Meeting:
    assert ctx.campaign is not None
    meeting = meeting_start(actor=secretary, campaign=ctx.campaign, unit=unit)
    meeting = meeting_plan_save(
        actor=secretary,
        meeting=meeting,
        version=meeting.version,
        planned_start=datetime.date.fromisoformat(start),
        planned_start_half=HalfDay.AM,
        planned_end=datetime.date.fromisoformat(end),
        planned_end_half=HalfDay.AM,
        location=f"{unit.name}委常委会议室",
        procedure=PROCEDURE,
    )
    return meeting_plan_submit(actor=secretary, meeting=meeting, version=meeting.version)


def _held_county(
    ctx: DemoContext,
    code: str,
    days: dict[str, str],
    admin: Any,
    *,
    satisfied: int,
    report: bool,
    principal: str = "SJ",
    group: str = "濮阳市委第一督导组",
    file_report: bool = False,
    survey: Any = None,
) -> None:
    """A 班子 that went all the way: talks, materials, plan, meeting, evaluation, 通报会 (and the
    专题报告 written, or filed with the office when ``file_report``)."""
    unit = ctx.units[code]
    if Meeting.objects.filter(unit=unit).exists():
        return
    secretary = _login(Person.objects.get(code=f"P{code}-{principal}"), admin)
    with on(days["talks"]):
        _complete_talks(ctx, unit, admin)
    with on(days["materials"]):
        _approve_materials(ctx, unit, admin)
    with on(days["plan"]):
        meeting = _plan(unit, secretary, days["start"], days["end"], ctx)
        assert meeting.review is not None
        _pass_review(meeting.review, "会议方案时间安排和程序符合要求，同意。")
    with on(days["end"]):
        meeting.refresh_from_db()
        meeting = meeting_hold(
            actor=secretary,
            meeting=meeting,
            version=meeting.version,
            held_start=datetime.date.fromisoformat(days["start"]),
            held_start_half=HalfDay.AM,
            held_end=datetime.date.fromisoformat(days["end"]),
            held_end_half=HalfDay.AM,
        )
        meeting_record_save(
            actor=secretary,
            meeting=meeting,
            version=meeting.version,
            agenda={
                "agenda_requirements": "书记提出要求：聚焦“四风”、直面问题、动真碰硬。",
                "agenda_body_inspection": "书记代表常委班子作对照检查，查摆“四风”方面突出问题12条。",
                "agenda_member_inspection": "班子成员逐一发言，相互批评共提出意见30余条。",
                "agenda_supervisor_comment": "市委督导组组长作简要评价。",
                "agenda_summary": "书记作总结，部署整改落实工作。",
            },
        )
        statements = list(meeting.statements.select_related("person").order_by("pk"))
        for i, statement in enumerate(statements):
            meeting_statement_save(
                actor=secretary,
                meeting=meeting,
                person=statement.person,
                self_criticism=f"{statement.person.name}同志对照“四风”查摆了自身问题，剖析了思想根源，提出了整改措施。",
            )
            critic = statements[(i + 1) % len(statements)].person
            meeting_criticism_add(
                actor=secretary,
                meeting=meeting,
                target=statement.person,
                critic=critic,
                content=CRITICISMS[i % len(CRITICISMS)],
            )
    supervisor_seat = OrgMembership.objects.filter(organization__name=group).order_by("role", "pk").first()
    assert supervisor_seat is not None
    with on(days["evaluate"]):
        meeting.refresh_from_db()
        meeting_evaluate(
            actor=_login(supervisor_seat.person, admin),
            meeting=meeting,
            version=meeting.version,
            rating="fair",
            evaluation="会前准备比较充分，谈心谈话做到了全覆盖；批评和自我批评总体上开门见山，"
            "但个别同志相互批评辣味不足。请抓紧制定整改方案，逐条回应会上提出的批评意见。",
        )
    with on(days["briefing"]):
        briefing = briefing_record(
            actor=secretary,
            meeting=meeting,
            held_on=datetime.date.fromisoformat(days["briefing"]),
            content="通报了会前征求意见、谈心谈话、撰写对照检查材料等准备情况，批评和自我批评情况，以及下一步整改措施。",
        )
        if survey is None:
            briefing_record_result(
                actor=secretary,
                briefing=briefing,
                version=briefing.version,
                respondents=120,
                satisfied=satisfied,
            )
    if survey is not None:
        # The 群众评议 ran on the survey engine; its result comes over when the survey is linked.
        with on(max(days["briefing"], f"{survey.closed_at:%Y-%m-%d}")):
            briefing_survey_link(actor=admin, briefing=briefing, version=briefing.version, survey=survey)
    if report:
        with on(days["briefing"]):
            meeting.refresh_from_db()
            report_row = meeting.report
            report_row = report_save(
                actor=secretary,
                report=report_row,
                version=report_row.version,
                content="（草稿）一、会前准备情况；二、会议召开情况；三、批评和自我批评情况；四、整改措施。",
            )
        if file_report:
            with on(days["report"]):
                report_row = report_submit(actor=secretary, report=report_row, version=report_row.version)
                report_row = report_read(
                    actor=_login(supervisor_seat.person, admin),
                    report=report_row,
                    version=report_row.version,
                    opinion="报告内容完整，同意报送。",
                )
                office = Person.objects.get(user__username="office").user
                report_file(actor=office, report=report_row, version=report_row.version)


def _qingfeng(ctx: DemoContext, admin: Any) -> None:
    """清丰县委: talks partly done, two 拟批评意见, the plan at the 市委督导组."""
    assert ctx.campaign is not None
    county = ctx.units["410922"]
    if Talk.objects.filter(unit=county).exists():
        return
    people = {p.code: p for p in Person.objects.filter(code__startswith="P410922-")}
    secretary, organisation, propaganda, discipline = (
        people["P410922-SJ"],
        people["P410922-ZZB"],
        people["P410922-XCB"],
        people["P410922-JW"],
    )
    supervisor = Person.objects.get(user__username="supervisor")
    group = OrgMembership.objects.get(person=supervisor, organization__name="濮阳市委第二督导组").organization
    done = [
        (secretary, organisation, None, True),
        (secretary, propaganda, None, True),
        (secretary, discipline, None, True),
        (organisation, propaganda, None, True),
        (organisation, discipline, None, False),  # waits for the 纪委书记's confirmation
        (supervisor, organisation, group, True),
        (supervisor, secretary, group, True),
        (discipline, people["P410922-GAJ-ZY"], None, False),  # the 公安局长 has not confirmed yet
    ]
    with on("2014-06-12"):
        for recorder, counterpart, org, confirm in done:
            talk = talk_record(
                actor=_login(recorder, admin),
                campaign=ctx.campaign,
                unit=county,
                counterpart=counterpart,
                group=org,
                held_on=datetime.date(2014, 6, 11),
                points=_points(recorder, counterpart),
            )
            if confirm:
                talk_confirm(actor=_login(counterpart, admin), talk=talk, version=talk.version)
    # 拟批评意见: the 组织部长's in review at the 督导组; the 宣传部长's sent back as "老好人".
    with on("2014-06-16"):
        for person, items in (
            (
                organisation,
                [
                    (secretary, "批评县委书记：抓大事多、抓细节少，对部分乡镇软弱涣散问题督促整改不够有力。"),
                    (propaganda, "批评宣传部长：宣传工作“报喜多、报忧少”，对群众关心的热点回应不及时。"),
                    (None, "对班子：执行民主集中制有时不够严格，个别议题会前酝酿不充分。"),
                ],
            ),
            (
                propaganda,
                [
                    (secretary, "县委书记工作很辛苦，希望多注意身体。"),
                    (organisation, "组织部长工作认真负责，建议今后继续保持。"),
                ],
            ),
        ):
            user = _login(person, admin)
            found = criticism_list_start(actor=user, campaign=ctx.campaign, unit=county)
            found = criticism_list_save(
                actor=user,
                criticism_list=found,
                items=[ItemInput(None, target, text) for target, text in items],
                version=found.version,
            )
            criticism_list_submit(actor=user, criticism_list=found, version=found.version)
    with on("2014-06-17"):
        found = CriticismList.objects.get(unit=county, person=propaganda)
        assert found.review is not None
        step = ReviewStep.objects.get(review=found.review, state=StepState.OPEN)
        criticism_list_decide(
            actor=supervisor.user,
            criticism_list=found,
            step=step,
            action=ActionKind.RETURN_REVISE,
            opinion="拟批评意见没有辣味，是在相互表扬，请重新谈心谈话后修改。",
            weak=[WeakItem(i.pk, "nice_guy") for i in found.items.all()],
            review_version=found.review.version,
        )
    # The meeting plan: submitted on 6-18, waiting for the 市委督导组.
    with on("2014-06-18"):
        _plan(county, _login(secretary, admin), "2014-06-24", "2014-06-25", ctx)


def _village(ctx: DemoContext, admin: Any) -> None:
    """东街村's 组织生活会 with 民主评议党员; a township leader attends as an ordinary party member."""
    assert ctx.campaign is not None
    village = ctx.units["410922001001"]
    if Meeting.objects.filter(unit=village).exists():
        return
    secretary_person = Person.objects.get(code="P410922001001-SJ")
    secretary = _login(secretary_person, admin)
    _login(Person.objects.get(code="P410922001-SJ"), admin)
    with on("2014-06-13"):
        _approve_materials(ctx, village, admin)
    members = []
    for i, name in enumerate(["王秀英", "李保国", "赵长青"], start=1):
        code = f"P410922001001-DY{i}"
        person = Person.objects.filter(code=code).first() or unit_services.person_create(
            actor=admin, name=name, code=code
        )
        members.append(person)
    leader = Person.objects.get(code="P410922001-FSJ")
    with on("2014-06-15"):
        meeting = meeting_start(actor=secretary, campaign=ctx.campaign, unit=village)
        meeting = meeting_hold(
            actor=secretary,
            meeting=meeting,
            version=meeting.version,
            held_start=datetime.date(2014, 6, 15),
            held_start_half=HalfDay.AM,
            held_end=datetime.date(2014, 6, 15),
            held_end_half=HalfDay.AM,
        )
        for person in members:
            meeting_attendee_set(
                actor=secretary, meeting=meeting, person=person, capacity=AttendeeCapacity.PARTY_MEMBER
            )
        meeting_attendee_set(
            actor=secretary,
            meeting=meeting,
            person=leader,
            capacity=AttendeeCapacity.PARTY_MEMBER,
            as_ordinary_member=True,
            note="镇党委副书记，组织关系在本支部",
        )
        meeting_criticism_add(
            actor=secretary,
            meeting=meeting,
            target=secretary_person,
            critic=members[0],
            content="村务公开不及时，低保评定过程群众不清楚，有优亲厚友的议论。",
        )
        meeting_criticism_add(
            actor=secretary,
            meeting=meeting,
            target=members[1],
            critic=secretary_person,
            content="参加组织生活不经常，党员先锋模范作用发挥不够。",
        )
        for statement in meeting.statements.select_related("person"):
            meeting_statement_save(
                actor=secretary,
                meeting=meeting,
                person=statement.person,
                self_criticism=f"{statement.person.name}同志对照党员标准，查摆了服务群众意识不强、为民办事不够主动的问题。",
            )
        attendees = {a.person_id: a for a in meeting.attendees.all()}
        ratings = {"P410922001001-SJ": "excellent", "P410922001001-DY2": "basically"}
        meeting_appraisals_save(
            actor=secretary,
            meeting=meeting,
            appraisals={pid: ratings.get(Person.objects.get(pk=pid).code, "qualified") for pid in attendees},
        )


def seed(ctx: DemoContext) -> None:
    admin = ctx.admin
    # Logins worth trying, listed with the demo accounts; everyone else who acts gets a quiet one.
    _user(ctx, "hualong", Person.objects.get(code="P410902-SJ"), "濮阳市华龙区委书记（民主生活会已召开）")
    _user(
        ctx,
        "supervisor1",
        Person.objects.get(code="S410900-DD11"),
        "濮阳市委第一督导组组长（督导华龙区、南乐县）",
    )
    for org in (
        "濮阳市委第一督导组",
        "濮阳市委教育实践活动领导小组办公室",
        "省委第一督导组",
        "河南省委教育实践活动领导小组办公室",
    ):
        _logins(org, admin)
    _login(Person.objects.get(code="P410900-SJ"), admin)
    _login(Person.objects.get(code="P410000-FSJ"), admin)
    _qingfeng(ctx, admin)
    # 濮阳市政务服务中心 (a 窗口单位, every material approved by materials.demo) finished stage two.
    _logins("濮阳市委第三督导组", admin)
    _held_county(
        ctx,
        "410900-ZWZX",
        {
            "talks": "2014-05-28",
            "materials": "2014-06-02",
            "plan": "2014-06-03",
            "start": "2014-06-05",
            "end": "2014-06-06",
            "evaluate": "2014-06-07",
            "briefing": "2014-06-09",
            "report": "2014-06-12",
        },
        admin,
        satisfied=92,
        report=True,
        principal="ZY",
        survey=meeting_evaluation(ctx),
        group="濮阳市委第三督导组",
        file_report=True,
    )
    _held_county(
        ctx,
        "410902",
        {
            "talks": "2014-06-03",
            "materials": "2014-06-06",
            "plan": "2014-06-07",
            "start": "2014-06-10",
            "end": "2014-06-11",
            "evaluate": "2014-06-12",
            "briefing": "2014-06-16",
        },
        admin,
        satisfied=103,
        report=True,
    )
    _held_county(
        ctx,
        "410923",
        {
            "talks": "2014-05-27",
            "materials": "2014-05-30",
            "plan": "2014-05-31",
            "start": "2014-06-03",
            "end": "2014-06-04",
            "evaluate": "2014-06-05",
            "briefing": "2014-06-09",
        },
        admin,
        satisfied=72,
        report=False,
    )
    _village(ctx, admin)

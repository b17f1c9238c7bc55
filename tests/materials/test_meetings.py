"""专题民主生活会 / 组织生活会: plan review, the preconditions of holding it, its length, the record and
its criticisms, the 督导组's evaluation and an order to re-hold, 通报会, 专题报告, gates."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from materials import meeting_selectors as ms
from materials import meeting_services as svc
from materials.choices import MaterialStatus
from materials.demo import demo_content
from materials.meeting_choices import (
    AttendeeCapacity,
    BriefingStatus,
    HalfDay,
    MeetingKind,
    MeetingStatus,
    ReportStatus,
)
from materials.meeting_models import Meeting, MeetingAttendee, MeetingReport
from materials.models import Material
from materials.services import material_save_draft, material_start, material_submit
from tests.factories import PersonFactory, make_post
from tests.materials.stage2 import (
    DAY,
    approve_materials,
    city_office,
    complete_talks,
    hold,
    pass_review,
    planned,
    ready_meeting,
    user_of,
)

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def today(settings):
    settings.CAMPAIGN_CLOCK_DATE = DAY


def refusal(exc):
    return "\n".join(exc.value.messages)


# --- the plan ---------------------------------------------------------------------------


def test_plan_goes_to_the_group_then_the_office_and_may_come_back(world):
    office = city_office(world)
    principal = world.user("principal")
    meeting = planned(world, world.county_a, principal)
    meeting = svc.meeting_plan_submit(actor=principal, meeting=meeting, version=meeting.version)
    assert meeting.status == MeetingStatus.PLAN_IN_REVIEW
    assert meeting.review.template.code == "meeting_plan_l2"
    step = meeting.review.steps.get(state="open")
    assert step.name == "市委督导组审核方案" and step.reviewers.get().user == world.user("supervisor")
    svc.meeting_plan_decide(
        actor=world.user("supervisor"),
        meeting=meeting,
        step=step,
        action="return_revise",
        opinion="程序中缺少督导组评价环节。",
        review_version=meeting.review.version,
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLAN_RETURNED and meeting.plan_editable
    meeting = svc.meeting_plan_save(
        actor=principal,
        meeting=meeting,
        version=meeting.version,
        planned_start=datetime.date(2014, 6, 24),
        planned_start_half=HalfDay.AM,
        planned_end=datetime.date(2014, 6, 25),
        planned_end_half=HalfDay.AM,
        location="常委会议室",
        procedure="五项议程，含督导组长简要评价。",
    )
    meeting = svc.meeting_plan_submit(actor=principal, meeting=meeting, version=meeting.version)
    pass_review(meeting.review)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLAN_APPROVED
    assert [s.reviewers.get().user for s in meeting.review.steps.filter(round=2).order_by("order")] == [
        world.user("supervisor"),
        office,
    ]
    with pytest.raises(ValidationError, match="不能修改"):
        svc.meeting_plan_save(
            actor=principal,
            meeting=meeting,
            version=meeting.version,
            planned_start=None,
            planned_start_half="am",
            planned_end=None,
            planned_end_half="pm",
            location="",
            procedure="",
        )


def test_plan_chains_by_level(world):
    """县委 → 市委督导组/活动办; 乡镇 → 县委督导组/活动办 ("参照执行")."""
    from materials import review as engine
    from materials.chains import build_subject

    def template(unit):
        principal = (
            make_post(unit, role="principal", title="书记").person if unit.kind == "township" else None
        )
        author = principal or world.user("principal").person
        subject = build_subject(
            campaign_id=world.campaign.pk, unit=unit, author=author, is_body=True, material_kind=""
        )
        return engine.select_template("meeting_plan", subject).code

    assert template(world.county_a) == "meeting_plan_l2"
    assert template(world.county_a_gov) == "meeting_plan_l2"
    assert template(world.town_a) == "meeting_plan_l3"
    assert template(world.county_a_dept) == "meeting_plan_l3"
    assert template(world.city) == "meeting_plan_l1"


def test_only_the_bodys_members_write_the_plan(world):
    meeting = svc.meeting_start(actor=world.user("principal"), campaign=world.campaign, unit=world.county_a)
    for role in ("office", "supervisor", "village"):
        with pytest.raises(PermissionDenied):
            svc.meeting_plan_save(
                actor=world.user(role),
                meeting=meeting,
                version=meeting.version,
                planned_start=None,
                planned_start_half="am",
                planned_end=None,
                planned_end_half="pm",
                location="",
                procedure="",
            )
    with pytest.raises(ValidationError, match="起止日期"):
        svc.meeting_plan_submit(actor=world.user("member"), meeting=meeting, version=meeting.version)


# --- may it be held? ----------------------------------------------------------------------


def test_holding_is_refused_naming_each_missing_piece_then_allowed(world):
    city_office(world)
    principal, member = world.user("principal"), world.user("member")
    unit = world.county_a
    meeting = planned(world, unit, principal)
    with pytest.raises(ValidationError) as refused:
        hold(meeting, principal)
    text = refusal(refused)
    p, m = principal.person.name, member.person.name
    assert "会议方案尚未提交审核" in text
    assert f"{p} — {m}（主要负责同志与班子成员）：未谈" in text
    assert f"{p} — 督导组（督导组与班子成员）：未谈" in text
    assert f"{m} — 督导组（督导组与班子成员）：未谈" in text
    assert "班子对照检查材料（班子）：尚未开始撰写" in text
    assert f"个人对照检查材料（{p}）：尚未开始撰写" in text
    assert f"个人对照检查材料（{m}）：尚未开始撰写" in text
    assert len(refused.value.messages) == 1 + 3 + 3

    # A material in review is named with its step; a recorded talk waits for confirmation.
    material = material_start(
        actor=member, campaign=world.campaign, unit=unit, kind="personal", subject_person=member.person
    )
    material = material_save_draft(
        actor=member, material=material, content=demo_content(False), version=material.version
    )
    material_submit(actor=member, material=material, version=material.version)
    complete_talks(world, unit)
    meeting = svc.meeting_plan_submit(actor=principal, meeting=meeting, version=meeting.version)
    with pytest.raises(ValidationError) as refused:
        hold(meeting, principal)
    text = refusal(refused)
    assert "谈心谈话" not in text
    assert "会议方案正在审核：市委督导组审核方案" in text
    assert f"{m}同志个人对照检查材料（审核中：县（区）委书记审核）" in text
    assert len(refused.value.messages) == 1 + 3

    pass_review(meeting.review)
    with pytest.raises(ValidationError) as refused:
        hold(meeting, principal)
    assert len(refused.value.messages) == 3 and "会议方案" not in refusal(refused)
    approve_materials(world, unit)
    meeting = hold(meeting, principal)
    assert meeting.status == MeetingStatus.HELD
    assert meeting.report.due_date == datetime.date(2014, 7, 2)
    # The record starts with the members and the 督导组; the members' statements are open.
    capacities = dict(MeetingAttendee.objects.filter(meeting=meeting).values_list("person", "capacity"))
    assert capacities == {
        principal.person.pk: AttendeeCapacity.MEMBER,
        member.person.pk: AttendeeCapacity.MEMBER,
        world.user("supervisor").person.pk: AttendeeCapacity.SUPERVISOR,
    }
    assert meeting.statements.count() == 2
    with pytest.raises(ValidationError, match="已经登记召开"):
        hold(meeting, principal)


def test_a_new_member_reopens_the_preconditions(world):
    meeting = ready_meeting(world)
    make_post(world.county_a, title="新任县委常委", start=DAY)
    with pytest.raises(ValidationError) as refused:
        hold(meeting, world.user("principal"))
    text = refusal(refused)
    assert "谈心谈话" in text and "个人对照检查材料（" in text


def test_only_a_member_registers_the_meeting(world):
    meeting = ready_meeting(world)
    for user in (world.user("office"), world.user("supervisor"), _city_office_user()):
        with pytest.raises(PermissionDenied):
            hold(meeting, user)


# --- length --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "start_half", "end", "end_half", "halves"),
    [
        ("am", "am", "06-16", "am", 1),
        ("am", "am", "06-16", "pm", 2),
        ("am", "am", "06-17", "am", 3),
        ("pm", "pm", "06-17", "am", 2),
        ("pm", "pm", "06-17", "pm", 3),
        ("am", "am", "06-18", "pm", 6),
    ],
)
def test_half_days(kind, start_half, end, end_half, halves):
    start = datetime.date(2014, 6, 16)
    assert ms.half_days(start, start_half, datetime.date.fromisoformat(f"2014-{end}"), end_half) == halves


def test_minimum_length_by_kind_of_body(world):
    assert ms.minimum_half_days(world.county_a, MeetingKind.DEMOCRATIC_LIFE) == 3  # 县委: 一天半
    assert ms.minimum_half_days(world.city, MeetingKind.DEMOCRATIC_LIFE) == 3  # 市委: 一天半
    assert ms.minimum_half_days(world.county_a_gov, MeetingKind.DEMOCRATIC_LIFE) == 2  # 其他: 一天
    assert ms.minimum_half_days(world.county_a_dept, MeetingKind.DEMOCRATIC_LIFE) == 2
    assert ms.minimum_half_days(world.town_a, MeetingKind.DEMOCRATIC_LIFE) == 2
    assert ms.minimum_half_days(world.village_a, MeetingKind.ORGANIZATIONAL_LIFE) == 1


def test_a_county_meeting_of_one_day_is_refused_a_day_and_a_half_is_held(world):
    meeting = ready_meeting(world)
    principal = world.user("principal")
    with pytest.raises(
        ValidationError, match=r"会议只安排了1天，市、县（区）党委领导班子专题民主生活会的时间不少于1\.5天"
    ):
        hold(meeting, principal, "2014-06-16", "2014-06-16", end_half="pm")
    with pytest.raises(ValidationError, match="结束日期不能晚于今天"):
        hold(meeting, principal, "2014-06-20", "2014-06-21")
    meeting = hold(meeting, principal, "2014-06-16", "2014-06-17", end_half="am")
    assert meeting.status == MeetingStatus.HELD


def test_the_plan_of_a_county_is_checked_for_length_too(world):
    meeting = svc.meeting_start(actor=world.user("principal"), campaign=world.campaign, unit=world.county_a)
    with pytest.raises(ValidationError, match="方案只安排了1天"):
        svc.meeting_plan_save(
            actor=world.user("principal"),
            meeting=meeting,
            version=meeting.version,
            planned_start=datetime.date(2014, 6, 24),
            planned_start_half=HalfDay.AM,
            planned_end=datetime.date(2014, 6, 24),
            planned_end_half=HalfDay.PM,
            location="",
            procedure="",
        )


def test_other_bodies_need_one_day(world):
    span = svc.Span(datetime.date(2014, 6, 16), "am", datetime.date(2014, 6, 16), "am")
    assert "不少于1天" in span.problems(world.county_a_dept, MeetingKind.DEMOCRATIC_LIFE, "会议")[0]
    whole_day = svc.Span(datetime.date(2014, 6, 16), "am", datetime.date(2014, 6, 16), "pm")
    assert whole_day.problems(world.county_a_dept, MeetingKind.DEMOCRATIC_LIFE, "会议") == []


# --- the record and its criticisms ------------------------------------------------------------


@pytest.fixture
def held(world):
    meeting = ready_meeting(world)
    return hold(meeting, world.user("principal"))


def test_criticisms_become_answerable_sources(world, held, django_assert_num_queries):
    principal, member, supervisor = (world.user(r).person for r in ("principal", "member", "supervisor"))
    actor = world.user("principal")
    first = svc.meeting_criticism_add(
        actor=actor, meeting=held, target=principal, critic=member, content="下基层少。"
    )
    second = svc.meeting_criticism_add(
        actor=actor, meeting=held, target=member, critic=supervisor, content="抓落实不力。"
    )
    mistake = svc.meeting_criticism_add(
        actor=actor, meeting=held, target=member, critic=principal, content="记错了"
    )
    svc.meeting_criticism_withdraw(actor=actor, criticism=mistake, reason="录入错误")
    with pytest.raises(ValidationError, match="不在参会名单中"):
        svc.meeting_criticism_add(
            actor=actor, meeting=held, target=PersonFactory(), critic=member, content="x"
        )
    with pytest.raises(ValidationError, match="自我批评"):
        svc.meeting_criticism_add(actor=actor, meeting=held, target=member, critic=member, content="x")
    with django_assert_num_queries(1):
        sources = list(ms.meeting_criticisms([world.county_a.pk, world.county_b.pk]))
        labels = [(c.pk, c.target.name, c.critic.name, c.meeting.number, c.unit.code) for c in sources]
    assert [c.pk for c in sources] == [first.pk, second.pk] or {c.pk for c in sources} == {
        first.pk,
        second.pk,
    }
    assert len(labels) == 2 and mistake.pk not in [c.pk for c in sources]
    # Ids are stable: editing the record never renumbers them.
    svc.meeting_statement_save(actor=actor, meeting=held, person=member, self_criticism="查摆了自身问题。")
    assert {c.pk for c in ms.meeting_criticisms([world.county_a.pk])} == {first.pk, second.pk}


def test_record_is_written_by_members_until_the_evaluation(world, held):
    actor = world.user("principal")
    svc.meeting_record_save(
        actor=actor,
        meeting=held,
        version=held.version,
        agenda={"agenda_requirements": "提出要求", "agenda_summary": "总结"},
    )
    upper = PersonFactory(name="市委常委")
    svc.meeting_attendee_set(actor=actor, meeting=held, person=upper, capacity=AttendeeCapacity.UPPER_LEADER)
    with pytest.raises(ValidationError, match="普通党员身份"):
        svc.meeting_attendee_set(
            actor=actor,
            meeting=held,
            person=upper,
            capacity=AttendeeCapacity.PARTY_MEMBER,
            as_ordinary_member=True,
        )
    with pytest.raises(PermissionDenied):
        svc.meeting_record_save(actor=world.user("supervisor"), meeting=held, version=None, agenda={})
    held.refresh_from_db()
    svc.meeting_evaluate(
        actor=world.user("supervisor"), meeting=held, version=held.version, rating="good", evaluation="好。"
    )
    with pytest.raises(ValidationError, match="督导组评价前"):
        svc.meeting_record_save(actor=actor, meeting=held, version=None, agenda={})


# --- evaluation and re-holding ----------------------------------------------------------------


def test_evaluation_goes_to_the_secretary_and_only_the_group_evaluates(world, held):
    for role in ("office", "principal", "member"):
        with pytest.raises(PermissionDenied):
            svc.meeting_evaluate(
                actor=world.user(role), meeting=held, version=held.version, rating="good", evaluation="好"
            )
    with pytest.raises(ValidationError, match="评价等次"):
        svc.meeting_evaluate(
            actor=world.user("supervisor"),
            meeting=held,
            version=held.version,
            rating="great",
            evaluation="好",
        )
    meeting = svc.meeting_evaluate(
        actor=world.user("supervisor"),
        meeting=held,
        version=held.version,
        rating="fair",
        evaluation="相互批评辣味不足。",
    )
    assert meeting.status == MeetingStatus.EVALUATED
    assert meeting.evaluation_sent_to == world.user("principal").person
    assert ms.meeting_events(meeting).last().note.endswith(f"已反馈{world.user('principal').person.name}")


def test_an_order_to_rehold_keeps_the_first_meeting(world, held):
    member = world.user("member").person
    first_criticism = svc.meeting_criticism_add(
        actor=world.user("principal"),
        meeting=held,
        target=member,
        critic=world.user("principal").person,
        content="互相吹捧",
    )
    assert ms.meeting_held([world.county_a]) == {world.county_a.pk: True}
    again = svc.meeting_order_rehold(
        actor=world.user("supervisor"), meeting=held, version=held.version, reason="相互评功摆好，走过场。"
    )
    held.refresh_from_db()
    assert held.status == MeetingStatus.REHOLD_ORDERED and held.rehold_reason == "相互评功摆好，走过场。"
    assert again.number == 2 and again.previous == held and again.status == MeetingStatus.PLANNING
    assert again.procedure == held.procedure
    assert held.report.status == ReportStatus.SUPERSEDED
    assert ms.current_meetings([world.county_a])[world.county_a.pk] == again
    assert ms.meeting_held([world.county_a]) == {world.county_a.pk: False}
    assert list(ms.meeting_criticisms([world.county_a.pk])) == []
    assert [c.pk for c in ms.meeting_criticisms([world.county_a.pk], include_superseded=True)] == [
        first_criticism.pk
    ]
    # The re-held meeting needs its plan approved again.
    with pytest.raises(ValidationError, match="会议方案尚未提交审核"):
        hold(again, world.user("principal"))
    with pytest.raises(ValidationError, match="起止日期"):
        svc.meeting_plan_submit(actor=world.user("principal"), meeting=again, version=again.version)
    again = svc.meeting_plan_save(
        actor=world.user("principal"),
        meeting=again,
        version=again.version,
        planned_start=datetime.date(2014, 6, 19),
        planned_start_half="am",
        planned_end=datetime.date(2014, 6, 20),
        planned_end_half="am",
        location=again.location,
        procedure=again.procedure,
    )
    again = svc.meeting_plan_submit(actor=world.user("principal"), meeting=again, version=again.version)
    pass_review(again.review)
    again = hold(again, world.user("principal"), "2014-06-19", "2014-06-20")
    assert again.report.due_date == datetime.date(2014, 7, 5)
    assert ms.meeting_held([world.county_a]) == {world.county_a.pk: True}
    assert Meeting.objects.filter(unit=world.county_a).count() == 2


# --- 通报会 and 群众评议 --------------------------------------------------------------------------


def test_briefing_below_two_thirds_means_rework(world, held):
    actor = world.user("principal")
    with pytest.raises(ValidationError, match="之后召开"):
        svc.briefing_record(actor=actor, meeting=held, held_on=datetime.date(2014, 6, 10), content="通报")
    briefing = svc.briefing_record(
        actor=actor, meeting=held, held_on=datetime.date(2014, 6, 18), content="通报情况"
    )
    assert ms.briefing_done([world.county_a]) == {world.county_a.pk: False}
    with pytest.raises(ValidationError, match="满意和基本满意人数"):
        svc.briefing_record_result(
            actor=actor, briefing=briefing, version=briefing.version, respondents=90, satisfied=91
        )
    briefing = svc.briefing_record_result(
        actor=actor, briefing=briefing, version=briefing.version, respondents=90, satisfied=59
    )
    assert briefing.status == BriefingStatus.REWORK  # 59/90 < 2/3
    assert ms.briefing_done([world.county_a]) == {world.county_a.pk: False}
    again = svc.briefing_record(
        actor=actor, meeting=held, held_on=datetime.date(2014, 6, 20), content="返工补课后再次通报"
    )
    with pytest.raises(ValidationError, match="已登记通报会"):
        svc.briefing_record(actor=actor, meeting=held, held_on=datetime.date(2014, 6, 20), content="又一次")
    with pytest.raises(PermissionDenied):
        svc.briefing_record_result(
            actor=world.user("village"), briefing=again, version=again.version, respondents=90, satisfied=60
        )
    again = svc.briefing_record_result(
        actor=_city_office_user(), briefing=again, version=again.version, respondents=90, satisfied=60
    )
    assert again.status == BriefingStatus.PASSED  # exactly 2/3
    assert ms.briefing_done([world.county_a]) == {world.county_a.pk: True}


def _city_office_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="city_office")


# --- 专题报告 ---------------------------------------------------------------------------------------


def test_report_due_fifteen_days_after_the_meeting():
    assert ms.report_due(datetime.date(2014, 6, 20)) == datetime.date(2014, 7, 5)
    assert ms.report_due(datetime.date(2014, 6, 30)) == datetime.date(2014, 7, 15)


def test_report_written_read_and_filed_with_recipients(world, held):
    report = held.report
    principal, supervisor, office = world.user("principal"), world.user("supervisor"), _city_office_user()
    with pytest.raises(ValidationError, match="先撰写"):
        svc.report_submit(actor=principal, report=report, version=report.version)
    report = svc.report_save(
        actor=world.user("member"), report=report, version=report.version, content="会议情况……"
    )
    with pytest.raises(PermissionDenied):
        svc.report_save(actor=supervisor, report=report, version=report.version, content="x")
    report = svc.report_submit(actor=principal, report=report, version=report.version)
    assert report.status == ReportStatus.SUBMITTED and not report.is_late
    with pytest.raises(PermissionDenied):
        svc.report_read(actor=office, report=report, version=report.version, opinion="")
    with pytest.raises(ValidationError, match="督导组审阅后"):
        svc.report_file(actor=office, report=report, version=report.version)
    report = svc.report_read(actor=supervisor, report=report, version=report.version, opinion="同意报送。")
    with pytest.raises(PermissionDenied):
        svc.report_file(
            actor=world.user("office"), report=report, version=report.version
        )  # 县委活动办 is not the filing office
    assert ms.report_filed([world.county_a]) == {world.county_a.pk: False}
    report = svc.report_file(actor=office, report=report, version=report.version)
    assert report.status == ReportStatus.FILED and report.recipients == ["测试市纪委", "测试市委组织部"]
    assert ms.report_filed([world.county_a]) == {world.county_a.pk: True}


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("sent", "late"),
    [
        ("2014-07-05 08:00", False),
        ("2014-07-05 23:30", False),  # 15:30 UTC on 7-05
        ("2014-07-06 00:30", True),  # 16:30 UTC on 7-05: already the 6th in Shanghai
    ],
)
def test_fifteen_day_deadline_is_counted_in_shanghai(world, settings, monkeypatch, sent, late):
    meeting = ready_meeting(world)
    meeting = hold(meeting, world.user("principal"), "2014-06-19", "2014-06-20")
    report = meeting.report
    assert report.due_date == datetime.date(2014, 7, 5)
    report = svc.report_save(
        actor=world.user("principal"), report=report, version=report.version, content="报告"
    )
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 7, 6)
    assert report.is_late  # unsent after the due day
    assert list(ms.reports_under(world.user("office"), world.county_a, late_only=True)) == [report]
    from campaign import clock

    monkeypatch.setattr(clock, "now", lambda: at(sent))
    report = svc.report_submit(actor=world.user("principal"), report=report, version=report.version)
    assert report.is_late is late
    late_list = list(ms.reports_under(world.user("office"), world.county_a, late_only=True))
    assert late_list == ([report] if late else [])
    event = ms.stage_events("report", report.pk).last()
    assert ("逾期报送" in event.note) is late


# --- grassroots 组织生活会 ----------------------------------------------------------------------------


def test_village_holds_an_organizational_life_meeting_with_appraisals(world):
    village = world.user("village")
    unit = world.village_a
    meeting = svc.meeting_start(actor=village, campaign=world.campaign, unit=unit)
    assert meeting.kind == MeetingKind.ORGANIZATIONAL_LIFE
    with pytest.raises(ValidationError, match="无需报督导组和活动办审核"):
        svc.meeting_plan_submit(actor=village, meeting=meeting, version=meeting.version)
    with pytest.raises(ValidationError) as refused:
        hold(meeting, village, "2014-06-18", "2014-06-18")
    text = refusal(refused)
    assert "简要对照检查材料" in text and "谈心谈话" not in text and "方案" not in text
    approve_materials(world, unit)
    assert all(m.status == MaterialStatus.APPROVED for m in Material.objects.filter(unit=unit))
    meeting = hold(meeting, village, "2014-06-18", "2014-06-18")  # half a day is enough
    assert meeting.status == MeetingStatus.HELD and not MeetingReport.objects.filter(meeting=meeting).exists()
    party_member = PersonFactory(name="普通党员")
    leader = world.user("member").person  # a 县委常委 whose party branch is this village's
    svc.meeting_attendee_set(
        actor=village, meeting=meeting, person=party_member, capacity=AttendeeCapacity.PARTY_MEMBER
    )
    svc.meeting_attendee_set(
        actor=village,
        meeting=meeting,
        person=leader,
        capacity=AttendeeCapacity.PARTY_MEMBER,
        as_ordinary_member=True,
    )
    assert MeetingAttendee.objects.get(meeting=meeting, person=leader).as_ordinary_member
    svc.meeting_appraisals_save(
        actor=village,
        meeting=meeting,
        appraisals={village.person.pk: "excellent", party_member.pk: "basically", leader.pk: "qualified"},
    )
    assert dict(meeting.appraisals.values_list("person", "appraisal")) == {
        village.person.pk: "excellent",
        party_member.pk: "basically",
        leader.pk: "qualified",
    }
    with pytest.raises(ValidationError, match="只能评议参会的党员"):
        svc.meeting_appraisals_save(
            actor=village, meeting=meeting, appraisals={PersonFactory().pk: "qualified"}
        )
    with pytest.raises(ValidationError, match="优秀、合格、基本合格或不合格"):
        svc.meeting_appraisals_save(actor=village, meeting=meeting, appraisals={party_member.pk: "good"})
    svc.meeting_criticism_add(
        actor=village, meeting=meeting, target=party_member, critic=leader, content="参加组织生活不经常。"
    )
    with pytest.raises(PermissionDenied):
        svc.meeting_evaluate(
            actor=world.user("supervisor"),
            meeting=meeting,
            version=meeting.version,
            rating="good",
            evaluation="好",
        )
    with pytest.raises(ValidationError, match="基层党组织"):
        svc.meeting_appraisals_save(
            actor=world.user("principal"), meeting=_county_meeting(world), appraisals={}
        )


def _county_meeting(world):
    return hold(ready_meeting(world), world.user("principal"))


# --- gates ---------------------------------------------------------------------------------------


def test_gates_answer_for_many_units_in_a_fixed_number_of_queries(world, held, django_assert_num_queries):
    units = [world.county_a, world.county_b, world.town_a, world.village_a, world.county_a_gov]
    with django_assert_num_queries(1):
        assert ms.meeting_held(units) == {
            world.county_a.pk: True,
            world.county_b.pk: False,
            world.town_a.pk: False,
            world.village_a.pk: False,
            world.county_a_gov.pk: False,
        }
    with django_assert_num_queries(2):
        assert not any(ms.briefing_done(units).values())
    with django_assert_num_queries(1):
        assert not any(ms.report_filed(units).values())


def test_the_first_batch_holds_no_meeting_here(world):
    user = user_of(make_post(world.province, role="principal", title="省委书记").person)
    with pytest.raises(ValidationError, match="第一批"):
        svc.meeting_start(actor=user, campaign=world.campaign, unit=world.province)


def test_meeting_chains_are_installed_once_and_not_overwritten():
    from django.apps import apps

    from materials.meeting_chains import install
    from materials.models import ChainRule, ChainStep, ChainTemplate

    plan = ChainTemplate.objects.get(code="meeting_plan_l2")
    assert list(plan.steps.order_by("order").values_list("name", "reviewer_rule", "rule_level")) == [
        ("市委督导组审核方案", "supervision_group", 2),
        ("市委活动办审核方案", "office", 2),
    ]
    step = ChainStep.objects.get(template=plan, order=1)
    step.time_limit_days = 9  # an office's edit
    step.save()
    counts = (ChainTemplate.objects.count(), ChainStep.objects.count(), ChainRule.objects.count())
    assert install(apps) == 0
    assert (ChainTemplate.objects.count(), ChainStep.objects.count(), ChainRule.objects.count()) == counts
    step.refresh_from_db()
    assert step.time_limit_days == 9
    assert set(
        ChainTemplate.objects.filter(subject_kind__in=["meeting_plan", "criticism_list"]).values_list(
            "code", flat=True
        )
    ) == {f"{kind}_l{level}" for kind in ("meeting_plan", "criticism") for level in (1, 2, 3)}

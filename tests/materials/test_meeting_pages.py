"""Meeting pages and API per role; the preconditions checklist; the record, evaluation, 通报会 and
专题报告 forms; overviews and the unit panel with pinned query counts."""

import datetime

import pytest

from materials.meeting_choices import BriefingStatus, MeetingStatus, ReportStatus
from materials.meeting_models import Meeting, MeetingCriticism, MeetingEvent
from materials.models import ReviewStep
from tests.factories import PersonFactory, make_post, make_unit
from tests.materials.stage2 import DAY, complete_talks, hold, planned, ready_meeting, user_of
from units.choices import PostRole, UnitKind

pytestmark = pytest.mark.django_db

ROLES = [
    "office",
    "office_b",
    "supervisor",
    "principal",
    "member",
    "village",
    "outsider",
    "superuser",
    "anonymous",
]
SEE = {"office", "supervisor", "principal", "member", "superuser"}


@pytest.fixture(autouse=True)
def today(settings):
    settings.CAMPAIGN_CLOCK_DATE = DAY


@pytest.fixture
def held(world):
    return hold(ready_meeting(world), world.user("principal"))


def expected(role, allowed=SEE, visible=SEE):
    if role == "anonymous":
        return 302
    if role in allowed:
        return 200
    return 403 if role in visible else 404


@pytest.mark.parametrize("role", ROLES)
def test_meeting_pages_per_role(world, held, as_user, role):
    client = as_user(role)
    for url in (
        f"/meetings/{held.pk}/",
        f"/meetings/{held.pk}/record/",
        f"/meetings/{held.pk}/report/",
        f"/meetings/{held.pk}/history/",
        f"/meetings/{held.pk}/report/history/",
    ):
        assert client.get(url).status_code == expected(role), (url, role)
    unit_url = client.get(f"/meetings/unit/{world.county_a.code}/")
    assert unit_url.status_code == (302 if role in SEE | {"anonymous"} else 404)
    writers = {"principal", "member"}
    assert client.get(f"/meetings/{held.pk}/plan/").status_code == expected(role, writers)
    # Write actions: members write the record; others get 403 (or 404 outside the scope).
    response = client.post(
        f"/meetings/{held.pk}/record/", {"form": "agenda", "version": held.version, "agenda_summary": "总结"}
    )
    assert response.status_code == {"anonymous": 302, "principal": 302, "member": 302}.get(
        role, expected(role, set())
    )
    held.refresh_from_db()
    assert (held.agenda_summary == "总结") == (role in writers)


@pytest.mark.parametrize("role", ["office", "principal", "member", "supervisor", "office_b"])
def test_only_the_group_evaluates_from_the_page(world, held, as_user, role):
    client = as_user(role)
    response = client.post(
        f"/meetings/{held.pk}/evaluate/",
        {"version": held.version, "rating": "good", "evaluation": "会议开得好。"},
    )
    assert response.status_code == {"supervisor": 302, "office_b": 404}.get(role, 403)
    held.refresh_from_db()
    assert (held.status == MeetingStatus.EVALUATED) == (role == "supervisor")


def test_meeting_page_shows_the_checklist_and_refuses_to_hold_naming_what_is_missing(world, as_user):
    meeting = planned(world, world.county_a, world.user("principal"))
    client = as_user("principal")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "召开前的条件" in page and "会议方案尚未提交审核" in page and "尚未开始撰写" in page
    assert "以上条件尚未全部具备" in page
    response = client.post(
        f"/meetings/{meeting.pk}/hold/",
        {
            "version": meeting.version,
            "held_start": "2014-06-16",
            "held_start_half": "am",
            "held_end": "2014-06-17",
            "held_end_half": "am",
        },
        follow=True,
    )
    page = response.content.decode()
    assert (
        "不能登记召开" in page
        and "会议方案尚未提交审核" in page
        and "督导组（督导组与班子成员）：未谈" in page
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNING


def test_hold_record_evaluate_and_rehold_through_the_pages(world, client):
    meeting = ready_meeting(world)
    client.force_login(world.user("member"))
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "✓ 谈心谈话全覆盖" in page and "以上条件尚未全部具备" not in page
    response = client.post(
        f"/meetings/{meeting.pk}/hold/",
        {
            "version": meeting.version,
            "held_start": "2014-06-16",
            "held_start_half": "am",
            "held_end": "2014-06-17",
            "held_end_half": "am",
        },
    )
    assert response["Location"] == f"/meetings/{meeting.pk}/record/"
    principal, member = world.user("principal").person, world.user("member").person
    upper = PersonFactory(name="市委常委甲", code="UPPER1")
    client.post(
        f"/meetings/{meeting.pk}/record/",
        {"form": "attendee", "person_code": "UPPER1", "capacity": "upper_leader", "present": "on"},
    )
    client.post(
        f"/meetings/{meeting.pk}/record/",
        {"form": "statement", "person": member.pk, "self_criticism": "查摆了下基层少的问题。"},
    )
    client.post(
        f"/meetings/{meeting.pk}/record/",
        {
            "form": "criticism",
            "target": principal.pk,
            "critic": upper.pk,
            "content": "对乡镇软弱涣散问题督促不力。",
        },
    )
    criticism = MeetingCriticism.objects.get()
    assert criticism.critic == upper and criticism.target == principal
    page = client.get(f"/meetings/{meeting.pk}/record/").content.decode()
    assert f"MC-{criticism.pk}" in page and "查摆了下基层少的问题。" in page and "市委常委甲" in page
    refused = client.post(
        f"/meetings/{meeting.pk}/record/",
        {"form": "criticism", "target": principal.pk, "critic": principal.pk, "content": "自己批评自己"},
        follow=True,
    ).content.decode()
    assert "自我批评请登记在本人的对照检查发言中" in refused and MeetingCriticism.objects.count() == 1

    client.force_login(world.user("supervisor"))
    meeting.refresh_from_db()
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "提交评价并反馈书记" in page and "责令重开" in page
    client.post(
        f"/meetings/{meeting.pk}/evaluate/",
        {"version": meeting.version, "rating": "poor", "evaluation": "走过场。"},
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.EVALUATED and meeting.rating == "poor"
    response = client.post(
        f"/meetings/{meeting.pk}/rehold/", {"version": meeting.version, "reason": "相互评功摆好。"}
    )
    again = Meeting.objects.get(previous=meeting)
    assert response["Location"] == f"/meetings/{again.pk}/"
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "督导组责令重开" in page and "重新召开的会议" in page
    client.force_login(world.user("principal"))
    assert client.get(f"/meetings/unit/{world.county_a.code}/")["Location"] == f"/meetings/{again.pk}/"


def test_briefing_and_report_through_the_pages(world, held, client):
    from tests.materials.test_meetings import _city_office_user

    client.force_login(world.user("principal"))
    client.post(
        f"/meetings/{held.pk}/briefings/", {"held_on": "2014-06-19", "content": "通报了民主生活会情况。"}
    )
    briefing = held.briefings.get()
    client.post(
        f"/meetings/briefings/{briefing.pk}/result/",
        {"version": briefing.version, "respondents": 30, "satisfied": 19},
    )
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.REWORK
    page = client.get(f"/meetings/{held.pk}/").content.decode()
    assert "返工补课" in page and "19 / 30 人满意" in page

    url = f"/meetings/{held.pk}/report/"
    report = held.report
    client.post(url, {"action": "submit", "version": report.version, "content": "一、会前准备情况……"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert (
        client.post(url, {"action": "read", "version": report.version, "opinion": "同意"}).status_code == 403
    )
    client.force_login(world.user("supervisor"))
    client.post(url, {"action": "read", "version": report.version, "opinion": "同意报活动办。"})
    report.refresh_from_db()
    assert report.status == ReportStatus.READ
    client.force_login(_city_office_user())
    assert "备案后按程序同时报送纪委、组织部" in client.get(url).content.decode()
    client.post(url, {"action": "file", "version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.FILED
    assert "测试市纪委、测试市委组织部" in client.get(url).content.decode()
    assert list(MeetingEvent.objects.filter(subject="report").values_list("action", flat=True)) == [
        "send",
        "read",
        "file",
    ]


def test_office_reassigns_an_unresolved_plan_step(world, client):
    """县A's plan reaches the 市委活动办 step; the world has no 市委活动办, so the step is flagged."""
    principal = world.user("principal")
    meeting = planned(world, world.county_a, principal)
    from materials import meeting_services as svc
    from tests.materials.stage2 import pass_review

    meeting = svc.meeting_plan_submit(actor=principal, meeting=meeting, version=meeting.version)
    step = ReviewStep.objects.get(review=meeting.review, state="open")
    from materials import review as engine

    engine.review_step_act(
        actor=world.user("supervisor"),
        step=step,
        decision=engine.Decision("pass", "同意"),
        review_version=meeting.review.version,
    )
    stuck = ReviewStep.objects.get(review=meeting.review, state="open")
    assert stuck.name == "市委活动办审核方案" and stuck.unresolved
    client.force_login(world.user("office"))
    assert "调整审核人" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert (
        f"/meetings/{meeting.pk}/" in client.get(f"/materials/under/{world.county_a.code}/").content.decode()
    )
    helper = PersonFactory(name="临时审核人", code="HELPER")
    user_of(helper)
    client.post(
        f"/meetings/steps/{stuck.pk}/reassign/", {"person_codes": "HELPER", "reason": "市委活动办尚未建立。"}
    )
    stuck.refresh_from_db()
    assert not stuck.unresolved and stuck.reviewers.get().person == helper
    client.force_login(helper.user)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 200  # reviewers read what they review
    pass_review(meeting.review)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLAN_APPROVED
    client.force_login(world.user("office_b"))
    assert client.get(f"/meetings/steps/{stuck.pk}/reassign/").status_code == 404


def test_village_record_page_rates_party_members(world, client):
    from materials import meeting_services as svc
    from tests.materials.stage2 import approve_materials

    village = world.user("village")
    approve_materials(world, world.village_a)
    meeting = svc.meeting_start(actor=village, campaign=world.campaign, unit=world.village_a)
    meeting = hold(meeting, village, "2014-06-18", "2014-06-18")
    client.force_login(village)
    page = client.get(f"/meetings/{meeting.pk}/record/").content.decode()
    assert "民主评议党员" in page and "一、书记就开好专题民主生活会提出要求" not in page
    PersonFactory(name="党员乙", code="DY2")
    client.post(
        f"/meetings/{meeting.pk}/record/",
        {
            "form": "attendee",
            "person_code": "DY2",
            "capacity": "party_member",
            "present": "on",
            "as_ordinary_member": "on",
        },
    )
    attendee = meeting.attendees.get(person__code="DY2")
    assert attendee.as_ordinary_member
    client.post(
        f"/meetings/{meeting.pk}/record/",
        {
            "form": "appraisals",
            f"appraisal_{village.person.pk}": "excellent",
            f"appraisal_{attendee.person_id}": "unqualified",
        },
    )
    assert dict(meeting.appraisals.values_list("person__code", "appraisal")) == {
        village.person.code: "excellent",
        "DY2": "unqualified",
    }
    page = client.get(f"/meetings/{meeting.pk}/record/").content.decode()
    assert "以普通党员身份" in page and "不合格" in page


def test_meeting_page_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    meeting = planned(world, world.county_a, world.user("principal"))
    client.force_login(world.user("office"))
    url = f"/meetings/{meeting.pk}/"
    # session, user, scope, meeting; is_supervising (2), filing office (1), open step, coverage (6),
    # required materials (3), briefings, history, events, campaign-free: about 20
    with django_assert_max_num_queries(22) as small:
        client.get(url)
    for i in range(8):
        make_post(world.county_a, title=f"县委常委{i}", oversees=[world.county_a_dept])
    make_post(world.county_a_dept, role=PostRole.PRINCIPAL, title="局长")
    complete_talks(world, world.county_a)
    with django_assert_max_num_queries(22) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_overview_and_reports_list_query_counts(world, held, client, django_assert_max_num_queries):
    client.force_login(world.user("office"))
    overview = f"/meetings/under/{world.county_a.code}/"
    reports = f"/meetings/reports/under/{world.county_a.code}/"
    # session, user, scope, root, count, page of units, coverage (6), current meetings, briefings,
    # status counts, late count = 16
    with django_assert_max_num_queries(16):
        page = client.get(overview).content.decode()
    assert "甲县" in page and "已召开" in page
    # session, user, scope, root, count, page = 6
    with django_assert_max_num_queries(6):
        client.get(reports)
    for i in range(12):
        town = make_unit(world.county_a, UnitKind.TOWNSHIP, f"新镇{i}", f"NT{i}")
        make_post(town, role=PostRole.PRINCIPAL, title="党委书记")
        make_post(town, title="党委委员")
    with django_assert_max_num_queries(16):
        page = client.get(overview).content.decode()
    assert "新镇11" in page
    with django_assert_max_num_queries(6):
        client.get(reports)


def test_late_reports_are_flagged_in_the_list(world, held, client, settings):
    settings.CAMPAIGN_CLOCK_DATE = held.report.due_date + datetime.timedelta(days=1)
    client.force_login(world.user("office"))
    page = client.get(f"/meetings/reports/under/{world.county_a.code}/?late=1").content.decode()
    assert "逾期" in page and "甲县" in page
    assert "1 份逾期" in client.get(f"/meetings/under/{world.county_a.code}/").content.decode()
    late = client.get("/api/meeting-reports/?late=1").json()
    assert late["count"] == 1 and late["results"][0]["is_late"] is True


def test_unit_panel(world, held, client, django_assert_max_num_queries):
    client.force_login(world.user("supervisor"))
    # The unit page (tests/units/test_views.py pins its growth): 27 queries for a 督导组 member,
    # one more (content types) when this process has not read them yet; the meeting panel is 5
    # (its 班子 come with the page's posts).
    with django_assert_max_num_queries(28):
        page = client.get(f"/units/{world.county_a.code}/").content.decode()
    assert "谈心谈话和民主生活会" in page and "3 / 3 已谈" in page and "已召开" in page and "专题报告" in page
    for i in range(6):
        make_post(world.county_a, title=f"县委常委{i}", oversees=[world.county_a_dept])
    with django_assert_max_num_queries(28):
        page = client.get(f"/units/{world.county_a.code}/").content.decode()
    assert "3 / 36 已谈" in page and "尚缺 33 次" in page  # 8 members: 28 pairs + 8 with the 督导组
    village = client.get(f"/units/{world.village_a.code}/").content.decode()
    assert "<h2>组织生活会</h2>" in village and "<h2>谈心谈话和民主生活会</h2>" not in village


def test_api_meeting_round_trip(world, client):
    from tests.materials.stage2 import approve_materials, city_office

    city_office(world)
    complete_talks(world, world.county_a)
    approve_materials(world, world.county_a)
    client.force_login(world.user("principal"))
    created = client.post(
        "/api/meetings/", {"unit": world.county_a.code}, content_type="application/json"
    ).json()
    pk = created["id"]
    plan = client.put(
        f"/api/meetings/{pk}/plan/",
        {
            "version": created["version"],
            "planned_start": "2014-06-16",
            "planned_start_half": "am",
            "planned_end": "2014-06-17",
            "planned_end_half": "am",
            "location": "会议室",
            "procedure": "五项议程",
        },
        content_type="application/json",
    ).json()
    pre = client.get(f"/api/meetings/{pk}/preconditions/").json()
    assert pre["ready"] is False and pre["checks"][0]["missing"] == ["会议方案尚未提交审核"]
    refused = client.post(
        f"/api/meetings/{pk}/hold/",
        {
            "version": plan["version"],
            "held_start": "2014-06-16",
            "held_end": "2014-06-17",
            "held_end_half": "am",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and "会议方案尚未提交审核" in refused.json()["detail"][0]
    submitted = client.post(
        f"/api/meetings/{pk}/submit-plan/", {"version": plan["version"]}, content_type="application/json"
    ).json()
    for role in ("supervisor", "city_office"):
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=role))
        row = next(
            r
            for r in client.get("/api/review-steps/").json()["results"]
            if r["subject_kind"] == "meeting_plan"
        )
        assert row["subject_url"] == f"/meetings/{pk}/"
        decision = {"action": "pass", "opinion": "同意", "review_version": row["review_version"]}
        if role == "supervisor":  # the meeting's own endpoint, or the engine's for any subject
            acted = client.post(
                f"/api/meetings/{pk}/plan-act/",
                {"step": row["step_id"], **decision},
                content_type="application/json",
            )
        else:
            acted = client.post(
                f"/api/review-steps/{row['step_id']}/act/", decision, content_type="application/json"
            )
        assert acted.status_code == 200, acted.content
    approved = client.get(f"/api/meetings/{pk}/").json()
    assert approved["status"] == "plan_approved" and submitted["status"] == "plan_in_review"
    client.force_login(world.user("principal"))
    held = client.post(
        f"/api/meetings/{pk}/hold/",
        {
            "version": approved["version"],
            "held_start": "2014-06-16",
            "held_end": "2014-06-17",
            "held_end_half": "am",
        },
        content_type="application/json",
    )
    assert held.status_code == 200 and held.json()["status"] == "held"
    member = world.user("member").person
    criticism = client.post(
        f"/api/meetings/{pk}/criticisms/",
        {"target": member.pk, "critic": world.user("principal").person.pk, "content": "调研少。"},
        content_type="application/json",
    )
    assert criticism.status_code == 201
    sources = client.get(f"/api/meeting-criticisms/?unit={world.county_a.code}").json()
    assert sources["count"] == 1 and sources["results"][0]["id"] == criticism.json()["id"]
    assert (
        client.post(
            f"/api/meetings/{pk}/evaluate/",
            {"version": 1, "rating": "good", "evaluation": "好"},
            content_type="application/json",
        ).status_code
        == 403
    )
    report = client.get("/api/meeting-reports/").json()["results"][0]
    assert report["due_date"] == "2014-07-02" and report["is_late"] is False
    client.force_login(world.user("office_b"))
    assert client.get(f"/api/meetings/{pk}/").status_code == 404
    assert client.get("/api/meeting-criticisms/").json()["count"] == 0

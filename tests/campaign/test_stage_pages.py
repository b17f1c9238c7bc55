"""Pages of the calendar, stage states and 回头看: every role, refusals in Chinese, fixed query counts."""

import pytest

from campaign import gates, services
from campaign.choices import Stage, StageStatus, Verdict
from campaign.models import LookBack, StageCalendar, UnitStage
from tests.campaign.conftest import PROVINCE_CALENDAR, D, add_villages
from tests.factories import make_post, root_admin

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
SEE_COUNTY = {"office", "supervisor", "principal", "member", "superuser"}
MANAGE_COUNTY = {"office", "superuser"}


def expected(role, allowed, visible=None):
    if role == "anonymous":
        return 302
    if role in allowed:
        return 200
    if visible is not None and role in visible:
        return 403
    return 404


@pytest.fixture
def scene(staged):
    """County A in stage 2 with an open 限期整改 on stage 1; county A has its own calendar."""
    w = staged.world
    staged.advance(w.county_a, times=2)
    order = services.lookback_record(
        actor=w.user("supervisor"),
        unit_stage=staged.state(w.county_a),
        stage=Stage.STUDY,
        verdict=Verdict.RECTIFY,
        findings="征求意见不充分",
        points="补充征求意见",
        due_date=D(2014, 6, 30),
    )
    services.calendar_set(
        actor=w.user("office"), campaign=staged.campaign, unit=w.county_a, **PROVINCE_CALENDAR
    )
    return order


def pages(w, order):
    c = w.campaign.pk
    return [
        ("stages", f"/campaign/{w.county_a.code}/stages/?campaign={c}", SEE_COUNTY, None),
        ("stage history", f"/campaign/{w.county_a.code}/stages/history/", SEE_COUNTY, None),
        ("calendar", f"/campaign/{w.county_a.code}/calendar/", MANAGE_COUNTY, SEE_COUNTY),
        ("calendar history", f"/campaign/{w.county_a.code}/calendar/history/", SEE_COUNTY, None),
        ("override", f"/campaign/{w.county_a.code}/windows/?stage=2", MANAGE_COUNTY, SEE_COUNTY),
        ("lookback add", f"/campaign/{w.county_a.code}/lookbacks/add/", {"supervisor"}, SEE_COUNTY),
        (
            "lookback close",
            f"/campaign/lookbacks/{order.pk}/close/",
            {"office", "supervisor", "superuser"},
            SEE_COUNTY,
        ),
        ("lookback history", f"/campaign/lookbacks/{order.pk}/history/", SEE_COUNTY, None),
        (
            "gates",
            f"/campaigns/{c}/gates/",
            {"office", "office_b", "supervisor", "principal", "member", "village", "superuser"},
            None,
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role(staged, scene, as_user, role):
    client = as_user(role)
    for name, url, allowed, visible in pages(staged.world, scene):
        response = client.get(url)
        assert response.status_code == expected(role, allowed, visible), (name, role)
        if response.status_code == 404:
            assert "甲县" not in response.content.decode(), name


@pytest.mark.parametrize("role", ROLES)
def test_posting_a_move_answers_each_role(staged, as_user, role):
    w = staged.world
    client = as_user(role)
    response = client.post(
        f"/campaign/{w.county_a_dept.code}/stages/advance/", {"campaign": w.campaign.pk, "from_position": 0}
    )
    moved = staged.state(w.county_a_dept).status == StageStatus.IN_PROGRESS
    if role in MANAGE_COUNTY:
        assert response.status_code == 302 and moved
    else:
        # the member sees only his own unit (county A), not its 教育局
        assert response.status_code == expected(role, set(), SEE_COUNTY - {"member"}) and not moved
    response = client.post(f"/campaign/{w.county_a.code}/stages/open/", {"campaign": w.campaign.pk})
    assert response.status_code == (302 if role in MANAGE_COUNTY else expected(role, set(), SEE_COUNTY))


def test_unit_page_shows_state_windows_gates_lookbacks_and_the_right_buttons(staged, scene, as_user):
    w = staged.world
    page = as_user("office").get(f"/units/{w.county_a.code}/").content.decode()
    assert "教育实践活动环节" in page and "进行中（查摆问题、开展批评）" in page
    assert "2014-05-30 — 2014-06-30" not in page  # county A's own calendar runs the province's dates
    assert "2014-05-15 — 2014-06-15" in page
    assert "回头看提出的限期整改均已销号" in page and "未满足" in page
    advance, lookback = "/stages/advance/", "/lookbacks/add/"  # the move button, the 回头看 link
    assert advance in page and lookback not in page and "/close/" in page
    page = as_user("supervisor").get(f"/units/{w.county_a.code}/").content.decode()
    assert lookback in page and advance not in page and "/close/" in page
    page = as_user("principal").get(f"/units/{w.county_a.code}/").content.decode()
    assert "征求意见不充分" in page and advance not in page and lookback not in page and "/close/" not in page


def test_advancing_from_the_page_reports_the_unmet_gate(staged, scene, as_user):
    w = staged.world
    client = as_user("office")
    response = client.post(
        f"/campaign/{w.county_a.code}/stages/advance/",
        {"campaign": w.campaign.pk, "from_position": 2, "next": f"/units/{w.county_a.code}/"},
        follow=True,
    )
    page = response.content.decode()
    assert "尚未满足离开“查摆问题、开展批评”的关卡" in page and "回头看提出的限期整改均已销号" in page
    assert staged.state(w.county_a).stage == Stage.CRITICISM
    # a second office that loaded the page before the move gets a clear message
    staged.advance(w.town_a)
    response = as_user("superuser").post(
        f"/campaign/{w.town_a.code}/stages/advance/",
        {"campaign": w.campaign.pk, "from_position": 0},
        follow=True,
    )
    assert "已由他人推进" in response.content.decode()


def test_lookback_form_records_and_refuses_in_chinese(staged, as_user):
    w = staged.world
    staged.advance(w.town_a, times=2)
    client = as_user("supervisor")
    url = f"/campaign/{w.town_a.code}/lookbacks/add/"
    response = client.post(url, {"stage": 1, "verdict": "rectify", "findings": "不深入", "points": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "须写明期限" in page
    assert not LookBack.objects.exists()
    response = client.post(
        url,
        {"stage": 1, "verdict": "extend", "findings": "学习不深", "points": "补课", "due_date": "2014-07-20"},
    )
    assert response.status_code == 302
    assert LookBack.objects.get().verdict == Verdict.EXTEND


def test_close_form_closes_the_order(staged, scene, as_user):
    response = as_user("supervisor").post(
        f"/campaign/lookbacks/{scene.pk}/close/", {"note": "已补充征求意见", "version": scene.version}
    )
    assert response.status_code == 302
    scene.refresh_from_db()
    assert scene.status == "closed" and scene.close_note == "已补充征求意见"


def test_calendar_and_override_forms(staged, as_user):
    w = staged.world
    client = as_user("office")
    data = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in PROVINCE_CALENDAR.items()}
    response = client.post(f"/campaign/{w.county_a.code}/calendar/", {**data, "stage3_end": "2014-05-01"})
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not StageCalendar.objects.filter(unit=w.county_a).exists()
    response = client.post(f"/campaign/{w.county_a.code}/calendar/", {**data, "interval_days": 10})
    assert response.status_code == 302 and StageCalendar.objects.get(unit=w.county_a).interval_days == 10
    page = client.get(response.url).content.decode()
    assert "本级活动办设置的日程" in page
    response = client.post(
        f"/campaign/{w.village_a.code}/windows/",
        {"stage": 1, "start": "2014-05-01", "end": "2014-07-31", "reason": "村两委换届"},
    )
    assert response.status_code == 302
    page = client.get(f"/units/{w.village_a.code}/").content.decode()
    assert "2014-05-01 — 2014-07-31" in page and "村两委换届" in page


def test_stages_page_filters(staged, as_user):
    w = staged.world
    staged.advance(w.village_a)
    client = as_user("office")
    page = client.get(f"/campaign/{w.county_a.code}/stages/?late=1").content.decode()
    # on 2014-06-20 everything not started is late (stage 1 windows began in March/April)
    assert "甲村" not in page and "甲镇" in page
    page = client.get(f"/campaign/{w.county_a.code}/stages/?position=stage1").content.decode()
    assert "甲村" in page and "甲镇</a>" not in page


def test_unit_page_query_count_is_fixed(staged, scene, as_user, django_assert_max_num_queries):
    w = staged.world
    client = as_user("office")
    url = f"/units/{w.county_a.code}/"
    # the 27 of tests/units/test_views.py (the unit page's own 12 and the other apps' panels,
    # the stage panel's states among them), then the stage panel's calendars, overrides, 回头看,
    # events, gates, open 限期整改 (the built-in gate): 33
    client.get(url)  # per-process caches (content types) filled, as on a running server
    with django_assert_max_num_queries(33) as small:
        client.get(url)
    for i in range(6):
        services.lookback_record(
            actor=w.user("supervisor"),
            unit_stage=staged.state(w.county_a),
            stage=Stage.STUDY,
            verdict=Verdict.PASSED,
            findings=f"第{i}次回头看",
        )
        make_post(w.county_a, title=f"县委常委{i}")
    with django_assert_max_num_queries(33) as large:
        page = client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert page.count("次回头看") == 6


def test_stages_page_query_count_is_fixed(staged, as_user, django_assert_max_num_queries):
    w = staged.world
    client = as_user("office")
    url = f"/campaign/{w.county_a.code}/stages/"
    # session, user, scope, unit, campaign, calendars, overrides, participating count,
    # states with units, gates, open 限期整改
    with django_assert_max_num_queries(11):
        client.get(url)
    add_villages(w.user("office"), w.town_a.code, "V", 120)
    services.campaign_open(actor=w.user("office"), campaign=w.campaign, root=w.county_a)
    with django_assert_max_num_queries(11):
        page = client.get(url).content.decode()
    assert "第 1 / 3 页" in page
    with django_assert_max_num_queries(11):
        client.get(url + "?blocked=1")
    assert UnitStage.objects.filter(unit__code__startswith="V").count() == 120


def test_history_pages_show_moves_and_lookbacks(staged, scene, as_user):
    w = staged.world
    client = as_user("office")
    page = client.get(f"/campaign/{w.county_a.code}/stages/history/").content.decode()
    assert "所处环节" in page and "查摆问题、开展批评" in page
    page = client.get(f"/campaign/lookbacks/{scene.pk}/history/").content.decode()
    assert "限期整改" in page and "supervisor" in page  # who recorded it


def test_gates_page_says_which_conditions_are_not_evaluated_yet(staged, as_user):
    services.gate_create(
        actor=root_admin(), campaign=staged.campaign, stage=1, condition="study_sessions_min"
    )
    with gates.registered("study_sessions_min", None):  # as before its app is installed
        page = as_user("office").get(f"/campaigns/{staged.campaign.pk}/gates/").content.decode()
    assert "集中学习、专题讨论不少于 3 次" in page and "尚未启用（相关功能上线后自动评估）" in page
    assert "回头看提出的限期整改均已销号" in page and "始终适用" in page

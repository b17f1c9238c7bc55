"""The API of calendars, stage states, gates and 回头看: same scope as the pages, writes through services."""

import pytest

from campaign import gates, services
from campaign.choices import Stage
from campaign.models import LookBack, StageCalendar, WindowOverride
from tests.campaign.conftest import D, add_villages
from tests.campaign.test_stage_advance import posts_at_least
from tests.factories import root_admin

pytestmark = pytest.mark.django_db


def test_unit_stages_are_scoped_and_filtered(staged, as_user):
    w = staged.world
    under = f"/api/unit-stages/?under={w.county_a.code}"
    counts = {
        role: as_user(role).get(under).json()["count"] for role in ("office", "member", "office_b", "village")
    }
    assert counts == {"office": 5, "member": 1, "office_b": 0, "village": 1}  # his own village
    assert as_user("anonymous").get(under).status_code == 401
    staged.advance(w.town_a)
    client = as_user("office")
    rows = client.get(f"/api/unit-stages/?under={w.county_a.code}&stage=1").json()["results"]
    assert [r["unit"] for r in rows] == [w.town_a.code]
    row = rows[0]
    assert row["position"] == 1 and row["stage_display"] == "学习教育、听取意见"
    assert [x["start"] for x in row["windows"]] == ["2014-03-31", "2014-06-14", "2014-07-16"]
    assert row["late_days"] == 7 and row["late_text"].startswith("学习教育、听取意见")
    assert {g["key"] for g in row["gates"]} == {"no_open_lookback_order"}
    late = client.get(f"/api/unit-stages/?under={w.county_a.code}&late=true").json()
    assert late["count"] == 5  # four not started since March/April, the township past 06-13


def test_advance_through_the_api(staged, as_user):
    w = staged.world
    state = staged.state(w.town_a)
    url = f"/api/unit-stages/{state.pk}/advance/"
    assert as_user("principal").post(url, {"from_position": 0}).status_code == 403
    assert as_user("office_b").post(url, {"from_position": 0}).status_code == 404
    client = as_user("office")
    body = client.post(url, {"from_position": 0}).json()
    assert body["status"] == "in_progress" and body["stage"] == 1
    stale = client.post(url, {"from_position": 0})
    assert stale.status_code == 400 and "已由他人推进" in str(stale.json())
    services.gate_create(
        actor=root_admin(), campaign=staged.campaign, stage=1, condition="study_sessions_min"
    )
    with gates.registered("study_sessions_min", posts_at_least):
        refused = client.post(url, {"from_position": 1})
    assert refused.status_code == 400 and "集中学习、专题讨论不少于 3 次" in str(refused.json())


def test_unit_stage_list_query_count_is_fixed(staged, as_user, django_assert_max_num_queries):
    client = as_user("office")
    # session, user, scope, count, page, calendars, overrides, gates, open 限期整改
    with django_assert_max_num_queries(9):
        small = client.get("/api/unit-stages/").json()
    add_villages(staged.world.user("office"), staged.world.town_a.code, "V", 80)
    services.campaign_open(actor=root_admin(), campaign=staged.campaign, root=staged.world.county_a)
    with django_assert_max_num_queries(9):
        large = client.get("/api/unit-stages/").json()
    assert large["count"] == small["count"] + 80


def test_lookbacks_through_the_api(staged, as_user):
    w = staged.world
    staged.advance(w.county_a, times=2)
    data = {
        "campaign": w.campaign.pk,
        "unit": w.county_a.code,
        "stage": 1,
        "verdict": "rectify",
        "findings": "听取意见不深入",
        "points": "补充征求意见",
        "due_date": "2014-07-01",
    }
    assert as_user("office").post("/api/lookbacks/", data).status_code == 403
    assert as_user("office_b").post("/api/lookbacks/", data).status_code == 400  # unit not visible
    response = as_user("supervisor").post("/api/lookbacks/", data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open" and body["group_name"] == "测试市委第一督导组"
    assert as_user("member").get("/api/lookbacks/").json()["count"] == 1
    assert as_user("office_b").get("/api/lookbacks/").json()["count"] == 0
    bad = as_user("supervisor").post("/api/lookbacks/", {**data, "due_date": ""})
    assert bad.status_code == 400 and "须写明期限" in str(bad.json())
    close = f"/api/lookbacks/{body['id']}/close/"
    assert as_user("principal").post(close, {"note": "已整改"}).status_code == 403
    closed = as_user("office").post(close, {"note": "已整改"}).json()
    assert closed["status"] == "closed" and LookBack.objects.get().close_note == "已整改"


def test_calendars_overrides_and_gates_through_the_api(staged, as_user):
    w = staged.world
    client = as_user("office")
    data = {
        "campaign": w.campaign.pk,
        "unit": w.county_a.code,
        "interval_days": 10,
        "stage1_start": "2014-03-20",
        "stage1_end": "2014-05-31",
        "stage2_start": "2014-06-01",
        "stage2_end": "2014-06-30",
        "stage3_start": "2014-07-01",
        "stage3_end": "2014-08-31",
    }
    created = client.post("/api/calendars/", data)
    assert created.status_code == 201, created.json()
    assert created.json()["top_level"] == 3
    listing = client.get("/api/calendars/").json()
    assert {row["unit"] for row in listing["results"]} == {w.province.code, w.county_a.code}
    stale = client.put(
        f"/api/calendars/{created.json()['id']}/", {**data, "version": 99}, content_type="application/json"
    )
    assert stale.status_code == 400 and "已被他人修改" in str(stale.json())
    assert StageCalendar.objects.get(unit=w.county_a).interval_days == 10
    assert as_user("office_b").post("/api/calendars/", data).status_code == 400  # county A not visible
    client = as_user("office")

    override = client.post(
        "/api/window-overrides/",
        {
            "campaign": w.campaign.pk,
            "unit": w.village_a.code,
            "stage": 2,
            "start": "2014-07-01",
            "end": "2014-07-31",
            "reason": "农忙推迟",
        },
    )
    assert override.status_code == 201 and WindowOverride.objects.get().reason == "农忙推迟"
    assert (
        as_user("principal")
        .post(
            "/api/window-overrides/",
            {
                "campaign": w.campaign.pk,
                "unit": w.village_a.code,
                "stage": 1,
                "start": "2014-07-01",
                "end": "2014-07-31",
                "reason": "x",
            },
        )
        .status_code
        == 403
    )

    services.gate_create(
        actor=root_admin(), campaign=staged.campaign, stage=Stage.CRITICISM, condition="talks_complete"
    )
    gates_list = as_user("member").get("/api/gates/").json()
    assert gates_list["results"][0]["label"] == "“四必谈”谈心谈话全覆盖"
    assert gates_list["results"][0]["enabled"] is True
    with gates.registered("talks_complete", None):
        assert as_user("member").get("/api/gates/").json()["results"][0]["enabled"] is False
    assert as_user("member").post("/api/gates/", {}).status_code == 405
    keys = {c["key"] for c in as_user("member").get("/api/gates/conditions/").json()}
    assert {"materials_approved", "no_open_lookback_order", "min_duration"} <= keys
    assert as_user("outsider").get("/api/gates/").json()["count"] == 0
    assert D(2014, 6, 20)  # the clock of the staged world

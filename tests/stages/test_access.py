"""Every role against every stage-1 page and endpoint of county A's records, and fixed query counts."""

import pytest

from stages import selectors, services
from stages.choices import ClaimKind, GroupStatus
from tests.factories import make_unit, root_admin
from tests.stages.conftest import make_group, make_opinion, make_survey, votes
from units.choices import UnitKind

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
OFFICE = {"office", "superuser"}
LEADERS = {"office", "superuser", "principal", "member"}  # 班子 of county A, or its office


@pytest.fixture
def records(world):
    opinion = make_opinion(world.county_a, "县委有的领导调研走马观花。")
    group = make_group(world.county_a, ["会多文件多。"], "文山会海")
    services.group_claim(actor=root_admin(), group=group, kind=ClaimKind.BODY)
    survey = services.survey_open(actor=root_admin(), survey=make_survey(world.county_a, [world.county_a]))
    votes(survey, survey.targets.get(), {"不满意": 2})
    survey = services.survey_close(actor=root_admin(), survey=survey)
    from stages.models import Remediation

    session = services.study_session_create(
        actor=root_admin(),
        unit=world.county_a,
        kind="central_group",
        held_on=world.campaign.start_date,
        hours=2,
        topic="中心组学习",
    )
    return {
        "opinion": opinion,
        "group": group,
        "survey": survey,
        "remediation": Remediation.objects.get(),
        "session": session,
    }


def expected(role, allowed, visible=None, page=True):
    if role == "anonymous":
        return 302 if page else 401
    if role in allowed:
        return 200
    if visible is not None and role in visible:
        return 403
    return 404


LOGGED_IN = {"office", "office_b", "supervisor", "principal", "member", "village", "outsider", "superuser"}
PAGES = [
    ("stage-1 home", lambda w, r: "/stage1/", LOGGED_IN, None),
    ("study list", lambda w, r: f"/study/units/{w.county_a.code}/", SEE, None),
    ("study add", lambda w, r: f"/study/units/{w.county_a.code}/add/", LEADERS, SEE),
    ("study detail", lambda w, r: f"/study/{r['session'].pk}/", SEE, None),
    ("study edit", lambda w, r: f"/study/{r['session'].pk}/edit/", LEADERS, SEE),
    ("study history", lambda w, r: f"/study/{r['session'].pk}/history/", SEE, None),
    ("opinion list", lambda w, r: f"/opinions/units/{w.county_a.code}/", SEE, None),
    ("opinion export", lambda w, r: f"/opinions/units/{w.county_a.code}/export/", SEE, None),
    ("opinion add", lambda w, r: f"/opinions/units/{w.county_a.code}/add/", OFFICE, SEE),
    ("opinion import", lambda w, r: f"/opinions/units/{w.county_a.code}/import/", OFFICE, SEE),
    ("opinion detail", lambda w, r: f"/opinions/{r['opinion'].pk}/", SEE, None),
    ("opinion edit", lambda w, r: f"/opinions/{r['opinion'].pk}/edit/", OFFICE, SEE),
    ("opinion history", lambda w, r: f"/opinions/{r['opinion'].pk}/history/", SEE, None),
    ("sorting board", lambda w, r: f"/opinions/units/{w.county_a.code}/sorting/", SEE, None),
    ("group list", lambda w, r: f"/opinions/units/{w.county_a.code}/groups/", SEE, None),
    ("group detail", lambda w, r: f"/opinions/groups/{r['group'].pk}/", SEE, None),
    ("group claim", lambda w, r: f"/opinions/groups/{r['group'].pk}/claim/", LEADERS, SEE),
    (
        "group answer",
        lambda w, r: f"/opinions/groups/{r['group'].pk}/answer/",
        {"office", "superuser", "principal"},
        SEE,
    ),
    ("group history", lambda w, r: f"/opinions/groups/{r['group'].pk}/history/", SEE, None),
    ("survey list", lambda w, r: f"/surveys/units/{w.county_a.code}/", SEE, None),
    ("survey add", lambda w, r: f"/surveys/units/{w.county_a.code}/add/", OFFICE, SEE),
    ("survey detail", lambda w, r: f"/surveys/{r['survey'].pk}/", SEE, None),
    ("survey edit", lambda w, r: f"/surveys/{r['survey'].pk}/edit/", OFFICE, SEE),
    ("survey tokens", lambda w, r: f"/surveys/{r['survey'].pk}/tokens/", OFFICE, SEE),
    ("survey results", lambda w, r: f"/surveys/{r['survey'].pk}/results/", SEE, None),
    ("survey export", lambda w, r: f"/surveys/{r['survey'].pk}/export/", SEE, None),
    ("survey history", lambda w, r: f"/surveys/{r['survey'].pk}/history/", SEE, None),
    ("remediation", lambda w, r: f"/remediations/{r['remediation'].pk}/", SEE, None),
    ("remediation history", lambda w, r: f"/remediations/{r['remediation'].pk}/history/", SEE, None),
]


@pytest.mark.parametrize("role", ROLES)
def test_pages(world, records, as_user, role):
    """One test per role walking every page (the records are costly to build once per page)."""
    client = as_user(role)
    wrong = []
    for name, url, allowed, visible in PAGES:
        response = client.get(url(world, records))
        if response.status_code != expected(role, allowed, visible):
            wrong.append((name, response.status_code, expected(role, allowed, visible)))
        elif response.status_code == 404 and "甲县" in response.content.decode():
            wrong.append((name, "404 page names the county", None))
    assert wrong == [], role


WRITES = [
    ("opinion add", lambda w, r: f"/opinions/units/{w.county_a.code}/add/", OFFICE),
    ("sorting run", lambda w, r: f"/opinions/units/{w.county_a.code}/sorting/run/", OFFICE),
    ("group publish", lambda w, r: f"/opinions/groups/{r['group'].pk}/publish/", OFFICE),
    ("survey close", lambda w, r: f"/surveys/{r['survey'].pk}/close/", OFFICE),
    ("remediation", lambda w, r: f"/remediations/{r['remediation'].pk}/", OFFICE),
]


@pytest.mark.parametrize("role", ["office_b", "supervisor", "principal", "member", "village"])
def test_writes_are_refused_to_readers_and_hidden_from_others(world, records, as_user, role):
    client = as_user(role)
    for name, url, _allowed in WRITES:
        response = client.post(url(world, records), {"work_done": "x", "title": "x"})
        assert response.status_code == (403 if role in SEE else 404), (name, role)


API = [
    ("study session", lambda w, r: f"/api/study-sessions/{r['session'].pk}/"),
    ("opinion", lambda w, r: f"/api/opinions/{r['opinion'].pk}/"),
    ("group", lambda w, r: f"/api/opinion-groups/{r['group'].pk}/"),
    ("survey", lambda w, r: f"/api/surveys/{r['survey'].pk}/"),
    ("survey results", lambda w, r: f"/api/surveys/{r['survey'].pk}/results/"),
    ("remediation", lambda w, r: f"/api/remediations/{r['remediation'].pk}/"),
]


@pytest.mark.parametrize("role", ROLES)
def test_api_detail(world, records, as_user, role):
    client = as_user(role)
    for name, url in API:
        response = client.get(url(world, records))
        assert response.status_code == expected(role, SEE, page=False), (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_hold_only_the_scope(world, records, as_user, role):
    make_opinion(world.county_b, "乙县的意见")
    client = as_user(role)
    response = client.get("/api/opinions/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    units = {row["unit"] for row in response.json()["results"]}
    expect = set()
    if role in SEE:
        expect.add("A00")
    if role in ("office_b", "superuser"):
        expect.add("B00")
    assert units == expect


def test_api_writes_go_through_the_services(world, records, as_user):
    body = {
        "unit": "A00",
        "channel": "symposium",
        "category": "formalism",
        "text": "接口录入的意见",
        "received_on": "2014-04-01",
        "is_anonymous": True,
    }
    assert as_user("member").post("/api/opinions/", body, content_type="application/json").status_code == 403
    assert (
        as_user("office_b").post("/api/opinions/", body, content_type="application/json").status_code == 400
    )
    created = as_user("office").post("/api/opinions/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "unsorted"
    group = records["group"]
    answer = as_user("member").post(
        f"/api/opinion-groups/{group.pk}/answer/", {"answer": "答复"}, content_type="application/json"
    )
    assert answer.status_code == 403
    answer = as_user("principal").post(
        f"/api/opinion-groups/{group.pk}/answer/", {"answer": "答复"}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == GroupStatus.ANSWERED
    published = as_user("office").post(
        f"/api/opinion-groups/{group.pk}/publish/", {}, content_type="application/json"
    )
    assert published.status_code == 200 and published.json()["status"] == GroupStatus.PUBLISHED
    fresh = make_group(world.county_a, ["新意见"], "新组")
    member = records["session"].unit.posts.get(title="县委常委").person
    claim = {"claim_kind": "leader", "person": member.pk}
    assert (
        as_user("principal")
        .post(f"/api/opinion-groups/{fresh.pk}/claim/", claim, content_type="application/json")
        .status_code
        == 403
    )
    claimed = as_user("member").post(
        f"/api/opinion-groups/{fresh.pk}/claim/", claim, content_type="application/json"
    )
    assert claimed.status_code == 200 and claimed.json()["claimed_person"] == member.pk
    results = as_user("supervisor").get(f"/api/surveys/{records['survey'].pk}/results/").json()
    assert results[0]["rate"] == "0/1" and results[0]["below_threshold"] is True
    refused = as_user("office").post(
        f"/api/remediations/{records['remediation'].pk}/close/", {}, content_type="application/json"
    )
    assert refused.status_code == 400 and "请先记录" in refused.content.decode()


def test_api_schema_lists_the_endpoints(world, as_user):
    text = as_user("office").get("/api/schema/").content.decode()
    for path in (
        "/api/opinions/",
        "/api/opinion-groups/",
        "/api/study-sessions/",
        "/api/surveys/",
        "/api/remediations/",
    ):
        assert path in text
    assert "/public/" not in text  # the public submission is not an API endpoint


# --- fixed query counts --------------------------------------------------------------------------


def grow(world, n):
    town = make_unit(world.county_a, UnitKind.TOWNSHIP)
    for i in range(n):
        make_opinion(town if i % 2 else world.county_a, f"第{i}条意见：村里的路灯坏了没人修。")
    group = make_group(town, [f"组内意见{i}" for i in range(3)], "一组")
    services.group_claim(actor=root_admin(), group=group, kind=ClaimKind.BODY)
    for i in range(n // 4):
        services.study_session_create(
            actor=root_admin(),
            unit=world.county_a,
            kind="concentrated",
            held_on=world.campaign.start_date,
            hours=1,
            topic=f"学习{i}",
        )
    survey = make_survey(world.county_a, [world.county_a, town], title=f"测评{n}")
    services.survey_open(actor=root_admin(), survey=survey)


LISTS = [
    # session, user, scope, unit, count, page rows (with unit, group, leader joined)
    ("opinion list", lambda w: f"/opinions/units/{w.county_a.code}/?status=unsorted", 6),
    # session, user, scope, unit, count, page rows (annotated with opinion counts)
    ("group list", lambda w: f"/opinions/units/{w.county_a.code}/groups/?status=all", 6),
    # session, user, scope, unit, count, page rows (annotated with participant counts)
    ("study list", lambda w: f"/study/units/{w.county_a.code}/", 6),
    # session, user, scope, unit, count, page rows (annotated with target counts)
    ("survey list", lambda w: f"/surveys/units/{w.county_a.code}/", 6),
    # session, user, scope, unit, campaign, groups, their opinions, loose opinions
    ("sorting board", lambda w: f"/opinions/units/{w.county_a.code}/sorting/", 8),
    # session, user, scope, count, page rows
    ("api opinions", lambda w: "/api/opinions/", 5),
    # session, user, scope, count, page rows, opinions prefetch
    ("api groups", lambda w: "/api/opinion-groups/", 6),
    # session, user, scope, count, page rows, participants prefetch
    ("api study", lambda w: "/api/study-sessions/", 6),
]


@pytest.mark.parametrize(("name", "url", "queries"), LISTS, ids=[x[0] for x in LISTS])
def test_lists_have_a_fixed_query_count(world, as_user, django_assert_max_num_queries, name, url, queries):
    client = as_user("office")
    grow(world, 4)
    with django_assert_max_num_queries(queries):
        small = client.get(url(world))
    grow(world, 40)
    with django_assert_max_num_queries(queries):
        large = client.get(url(world))
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)


def test_export_has_a_fixed_query_count(world, as_user, django_assert_max_num_queries):
    client = as_user("office")
    grow(world, 4)
    # session, user, scope, unit, rows (one chunked query)
    with django_assert_max_num_queries(5):
        client.get(f"/opinions/units/{world.county_a.code}/export/")
    grow(world, 60)
    with django_assert_max_num_queries(5):
        client.get(f"/opinions/units/{world.county_a.code}/export/")


def test_unit_panel_has_a_fixed_query_count(world, as_user, django_assert_max_num_queries):
    from django.test import RequestFactory

    from stages.panels import unit_panels

    request = RequestFactory().get("/")
    request.user = world.user("office")
    grow(world, 4)
    # scope, study/opinion/group counts (one UNION ALL), latest results (with open 返工补课)
    with django_assert_max_num_queries(3):
        unit_panels(request, world.county_a)
    grow(world, 40)
    survey = services.survey_open(
        actor=root_admin(), survey=make_survey(world.county_a, [world.county_a], title="再测")
    )
    votes(survey, survey.targets.get(), {"满意": 1})
    services.survey_close(actor=root_admin(), survey=survey)
    request.user = type(request.user).objects.get(pk=request.user.pk)
    with django_assert_max_num_queries(3):
        (panel,) = unit_panels(request, world.county_a)
    summary = panel.context["summary"]
    assert summary["sessions"] == 11  # grow() recorded 1, then 10, at county A
    # half of each grow()'s opinions went to county A, none sorted; the group is the town's
    assert summary["progress"] == selectors.OpinionProgress(opinions=22, unsorted=22)

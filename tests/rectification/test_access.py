"""Every role against the rectification pages and endpoints of county A.

Visible roles get the page; users of another county, a village secretary and
outsiders get 404; roles that see but may not change get 403; anonymous users
are sent to log in (pages) or get 401 (API). Cooperating units and single-object
grants see items that lie outside their own tree.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rectification import services
from rectification.choices import ParticipantRole
from rectification.models import Evidence, RectificationPlan, Rule

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
    "city_office",
    "liaison",
    "anonymous",
]
SEE = {"office", "supervisor", "principal", "member", "superuser", "city_office", "liaison"}
KEEP = {"office", "principal", "member", "superuser", "city_office"}


def expected(role, allowed, visible=None, page=True):
    if role == "anonymous":
        return 302 if page else 401
    if role in allowed:
        return 200
    if visible is not None and role in visible:
        return 403
    return 404


@pytest.fixture
def records(rect, world):
    plan = rect.plan(actor="principal", title="甲县整改方案")
    item = rect.item(plan=plan, actor="principal")
    services.item_report_progress(
        actor=rect.user("principal"),
        item=item,
        text="进展",
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
    )
    rule = services.rule_create(
        actor=rect.user("office"),
        unit=world.county_a,
        title="会议制度",
        judgement="new",
        owner="县委办",
        deadline=item.deadline,
    )
    return {"plan": plan, "item": item, "rule": rule, "evidence": Evidence.objects.get(item=item)}


PAGES = [
    ("ledger", lambda w, r: f"/rectification/units/{w.county_a.code}/", SEE, None),
    ("export", lambda w, r: f"/rectification/units/{w.county_a.code}/export/", SEE, None),
    ("import", lambda w, r: f"/rectification/units/{w.county_a.code}/import/", KEEP, SEE),
    ("item add", lambda w, r: f"/rectification/units/{w.county_a.code}/items/add/", KEEP, SEE),
    ("plan add", lambda w, r: f"/rectification/units/{w.county_a.code}/plans/add/", KEEP, SEE),
    ("sources", lambda w, r: f"/rectification/units/{w.county_a.code}/sources/", SEE, None),
    ("upper help", lambda w, r: f"/rectification/units/{w.county_a.code}/upper-help/", SEE, None),
    ("projects", lambda w, r: f"/rectification/units/{w.county_a.code}/projects/", SEE, None),
    ("rules", lambda w, r: f"/rectification/units/{w.county_a.code}/rules/", SEE, None),
    ("rule add", lambda w, r: f"/rectification/units/{w.county_a.code}/rules/add/", KEEP, SEE),
    ("rule edit", lambda w, r: f"/rectification/rules/{r['rule'].pk}/edit/", KEEP, SEE),
    ("rule history", lambda w, r: f"/rectification/rules/{r['rule'].pk}/history/", SEE, None),
    ("item", lambda w, r: f"/rectification/items/{r['item'].pk}/", SEE, None),
    ("item history", lambda w, r: f"/rectification/items/{r['item'].pk}/history/", SEE, None),
    ("item edit", lambda w, r: f"/rectification/items/{r['item'].pk}/edit/", KEEP, SEE),
    ("item progress", lambda w, r: f"/rectification/items/{r['item'].pk}/progress/", KEEP, SEE),
    ("request close", lambda w, r: f"/rectification/items/{r['item'].pk}/request-close/", KEEP, SEE),
    (
        "withdraw",
        lambda w, r: f"/rectification/items/{r['item'].pk}/withdraw/",
        {"office", "superuser", "city_office"},
        SEE,
    ),
    ("evidence", lambda w, r: f"/rectification/evidence/{r['evidence'].pk}/", SEE, None),
    ("plan", lambda w, r: f"/rectification/plans/{r['plan'].pk}/", SEE, None),
    ("plan edit", lambda w, r: f"/rectification/plans/{r['plan'].pk}/edit/", KEEP, SEE),
    ("plan history", lambda w, r: f"/rectification/plans/{r['plan'].pk}/history/", SEE, None),
]


@pytest.mark.parametrize(("name", "url", "allowed", "visible"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(records, world, as_user, name, url, allowed, visible):
    for role in ROLES:
        response = as_user(role).get(url(world, records))
        assert response.status_code == expected(role, allowed, visible), (name, role)
        if response.status_code == 404:
            assert "甲县整改方案" not in response.content.decode()


def test_village_records_follow_the_village_scope(rect, world, as_user):
    item = rect.item(unit=world.village_a, actor="village", responsible_unit="村两委")
    url = f"/rectification/items/{item.pk}/"
    allowed = {"office", "supervisor", "principal", "village", "superuser", "city_office", "liaison"}
    for role in ROLES:
        assert as_user(role).get(url).status_code == expected(role, allowed), role
    # The village secretary edits his own list; the county secretary only reads it.
    assert as_user("village").get(f"/rectification/items/{item.pk}/edit/").status_code == 200
    assert as_user("principal").get(f"/rectification/items/{item.pk}/edit/").status_code == 403


def test_cooperating_unit_sees_an_item_of_another_tree(rect, world, as_user):
    item = rect.item(actor="principal")
    url = f"/rectification/items/{item.pk}/"
    assert as_user("office_b").get(url).status_code == 404
    # The city office names county B's town as cooperating unit (it reaches both counties).
    services.item_add_participant(
        actor=rect.user("city_office"), item=item, unit=world.town_b, role=ParticipantRole.COOPERATE
    )
    client = as_user("office_b")
    assert client.get(url).status_code == 200
    page = client.get(f"/rectification/units/{world.town_b.code}/?where=participating").content.decode()
    assert item.number in page
    # It may report progress on its part, not edit the item nor ask for its sign-off.
    assert client.get(f"/rectification/items/{item.pk}/progress/").status_code == 200
    assert client.get(f"/rectification/items/{item.pk}/edit/").status_code == 403
    assert client.get(f"/rectification/items/{item.pk}/request-close/").status_code == 403
    response = client.post(f"/rectification/items/{item.pk}/progress/", {"text": "乙镇已配合完成摸底"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.last_progress == "乙镇已配合完成摸底"
    # County B's own ledger does not count it (it is not theirs).
    page = client.get(f"/rectification/units/{world.county_b.code}/").content.decode()
    assert item.number not in page


def test_a_lead_unit_may_ask_for_sign_off(rect, world, as_user):
    item = rect.item(actor="principal")
    services.item_add_participant(
        actor=rect.user("principal"), item=item, unit=world.county_a_dept, role=ParticipantRole.LEAD
    )
    dept_head = world.county_a_dept
    from tests.factories import PersonFactory, login_as, make_post

    person = PersonFactory(name="教育局长")
    make_post(dept_head, person=person, role="principal", title="局长")
    login_as(person, "dept_head")
    from django.contrib.auth import get_user_model

    head = get_user_model().objects.get(username="dept_head")
    services.item_report_progress(actor=head, item=item, text="牵头单位已完成")
    item.refresh_from_db()
    services.item_request_close(actor=head, item=item, version=item.version)
    item.refresh_from_db()
    assert item.status == "close_requested"


def test_a_single_object_grant_shows_one_item(rect, world, as_user):
    item, other = rect.item(), rect.item()
    services.item_grant(
        actor=rect.user("office"), item=item, user=rect.user("outsider"), codename="view_rectificationitem"
    )
    client = as_user("outsider")
    assert client.get(f"/rectification/items/{item.pk}/").status_code == 200
    assert client.get(f"/rectification/items/{other.pk}/").status_code == 404
    assert client.get(f"/rectification/items/{item.pk}/edit/").status_code == 403
    assert client.get(f"/rectification/items/{item.pk}/progress/").status_code == 403
    services.item_grant(
        actor=rect.user("office"), item=item, user=rect.user("outsider"), codename="change_rectificationitem"
    )
    assert client.get(f"/rectification/items/{item.pk}/progress/").status_code == 200


def test_api_lists_and_details_follow_the_scope(records, world, as_user):
    item = records["item"]
    for role in ROLES:
        client = as_user(role)
        detail = client.get(f"/api/rectification-items/{item.pk}/")
        assert detail.status_code == expected(role, SEE, page=False), role
        listing = client.get("/api/rectification-items/")
        if role == "anonymous":
            assert listing.status_code == 401
            continue
        ids = {row["id"] for row in listing.json()["results"]}
        assert (item.pk in ids) == (role in SEE), role
        plans = {row["id"] for row in client.get("/api/rectification-plans/").json()["results"]}
        assert (records["plan"].pk in plans) == (role in SEE), role
        rules = {row["id"] for row in client.get("/api/rules/").json()["results"]}
        assert (records["rule"].pk in rules) == (role in SEE), role


def test_api_sign_off_follows_the_same_rules(records, world, as_user):
    item = records["item"]
    item.refresh_from_db()
    services.item_request_close(actor=world.user("principal"), item=item, version=item.version)
    item.refresh_from_db()
    url = f"/api/rectification-items/{item.pk}/sign-off/"
    for role, status in [("office_b", 404), ("office", 403), ("principal", 403), ("member", 403)]:
        response = as_user(role).post(url, {"version": item.version}, content_type="application/json")
        assert response.status_code == status, role
    response = as_user("supervisor").post(url, {"version": item.version - 1}, content_type="application/json")
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()
    response = as_user("supervisor").post(
        url, {"version": item.version, "opinion": "同意"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert not RectificationPlan.objects.filter(published=True).exists() and Rule.objects.count() == 1


def test_api_create_and_report_go_through_the_services(rect, world, as_user):
    payload = {
        "unit": world.county_a.code,
        "problem": "接访制度不落实",
        "measure": "县级领导每周接访",
        "target": "接访常态化",
        "responsible_unit": "县信访局",
        "handling": "deadline",
        "deadline": "2014-07-31",
    }
    response = as_user("supervisor").post(
        "/api/rectification-items/", payload, content_type="application/json"
    )
    assert response.status_code == 403
    response = as_user("principal").post(
        "/api/rectification-items/", {**payload, "deadline": "2014-01-01"}, content_type="application/json"
    )
    assert response.status_code == 400 and "不能早于今天" in response.content.decode()
    response = as_user("office_b").post("/api/rectification-items/", payload, content_type="application/json")
    assert response.status_code == 400  # county A is not a unit he can name
    response = as_user("principal").post(
        "/api/rectification-items/", payload, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["list_kind"] == "team" and body["status"] == "open" and body["warning"] == "none"
    report = as_user("member").post(
        f"/api/rectification-items/{body['id']}/report/",
        {"text": "已建立接访台账"},
        content_type="application/json",
    )
    assert report.status_code == 200 and report.json()["status"] == "in_progress"
    listing = as_user("office").get(
        f"/api/rectification-items/?under={world.county_a.code}&status=in_progress"
    )
    assert [row["id"] for row in listing.json()["results"]] == [body["id"]]
    unanswered = as_user("office").get(f"/api/unanswered-sources/{world.county_a.code}/")
    assert unanswered.status_code == 200
    assert "pointed_problem" in {group["kind"] for group in unanswered.json()["kinds"]}
    assert as_user("office_b").get(f"/api/unanswered-sources/{world.county_a.code}/").status_code == 404


def test_admin_lists_are_scoped_and_read_only(rect, world, client):
    item = rect.item()
    admin = world.user("superuser")
    client.force_login(admin)
    assert client.get("/admin/rectification/rectificationitem/").status_code == 200
    assert client.get(f"/admin/rectification/rectificationitem/{item.pk}/change/").status_code == 200
    assert client.get("/admin/rectification/rectificationitem/add/").status_code == 403

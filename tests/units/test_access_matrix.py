"""Every role against every page and endpoint of county A's records.

Visible roles get the record; a user of another county, a village secretary
and an outsider get 404 (the record's existence is not revealed); roles that
see but may not change get 403 on write pages; anonymous users are sent to log
in (pages) or get 401 (API).
"""

import pytest

from units.models import Organization, Person, Post

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


def expected(role, allowed, visible=None, page=True):
    if role == "anonymous":
        return 302 if page else 401
    if role in allowed:
        return 200
    if visible is not None and role in visible:
        return 403
    return 404


def county_secretary_post(world):
    return Post.objects.get(unit=world.county_a, role="principal")


PAGES = [
    # (name, url(world), allowed, visible-but-forbidden)
    ("unit", lambda w: f"/units/{w.county_a.code}/", SEE_COUNTY, None),
    ("unit history", lambda w: f"/units/{w.county_a.code}/history/", SEE_COUNTY, None),
    ("unit children", lambda w: f"/units/{w.county_a.code}/children/", SEE_COUNTY, None),
    ("unit export", lambda w: f"/units/{w.county_a.code}/export/?what=posts", SEE_COUNTY, None),
    ("unit edit", lambda w: f"/units/{w.county_a.code}/edit/", MANAGE_COUNTY, SEE_COUNTY),
    ("add child", lambda w: f"/units/{w.county_a.code}/add-child/", MANAGE_COUNTY, SEE_COUNTY),
    ("post add", lambda w: f"/units/{w.county_a.code}/posts/add/", MANAGE_COUNTY, SEE_COUNTY),
    ("post edit", lambda w: f"/posts/{county_secretary_post(w).pk}/edit/", MANAGE_COUNTY, SEE_COUNTY),
    ("post end", lambda w: f"/posts/{county_secretary_post(w).pk}/end/", MANAGE_COUNTY, SEE_COUNTY),
    ("post history", lambda w: f"/posts/{county_secretary_post(w).pk}/history/", SEE_COUNTY, None),
    ("person", lambda w: f"/people/{county_secretary_post(w).person_id}/", SEE_COUNTY, None),
    ("person history", lambda w: f"/people/{county_secretary_post(w).person_id}/history/", SEE_COUNTY, None),
    (
        "organization",
        lambda w: f"/organizations/{Organization.objects.get(unit=w.county_a, kind='office').pk}/",
        SEE_COUNTY,
        None,
    ),
    (
        "village",
        lambda w: f"/units/{w.village_a.code}/",
        {"office", "supervisor", "principal", "village", "superuser"},
        None,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "allowed", "visible"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(world, as_user, role, name, url, allowed, visible):
    response = as_user(role).get(url(world))
    assert response.status_code == expected(role, allowed, visible), (name, role)
    if response.status_code == 404:
        assert "甲县" not in response.content.decode()


API = [
    ("unit", lambda w: f"/api/units/{w.county_a.code}/", SEE_COUNTY),
    ("person", lambda w: f"/api/people/{county_secretary_post(w).person_id}/", SEE_COUNTY),
    ("post", lambda w: f"/api/posts/{county_secretary_post(w).pk}/", SEE_COUNTY),
    (
        "organization",
        lambda w: f"/api/organizations/{Organization.objects.get(unit=w.county_a, kind='office').pk}/",
        SEE_COUNTY,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "allowed"), API, ids=[a[0] for a in API])
def test_api_detail(world, as_user, role, name, url, allowed):
    response = as_user(role).get(url(world))
    assert response.status_code == expected(role, allowed, page=False), (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_hold_only_the_scope(world, as_user, role):
    client = as_user(role)
    response = client.get("/api/units/?page_size=500")
    if role == "anonymous":
        assert response.status_code == 401
        return
    codes = {row["code"] for row in response.json()["results"]}
    from units.selectors import units_visible_to

    assert codes == set(units_visible_to(world.user(role)).values_list("code", flat=True))
    if role not in ("superuser",):
        assert "B00" not in codes or role == "office_b"
    people = {row["name"] for row in client.get("/api/people/").json()["results"]}
    assert ("乙县干事" in people) == (role in ("office_b", "superuser"))


@pytest.mark.parametrize(
    ("role", "status"), [("supervisor", 403), ("member", 403), ("office_b", 404), ("office", 200)]
)
def test_api_write_follows_the_same_rules(world, as_user, role, status):
    unit = world.county_a
    response = as_user(role).put(
        f"/api/units/{unit.code}/",
        {"code": unit.code, "name": "甲县（改）", "is_active": True, "version": unit.version},
        content_type="application/json",
    )
    assert response.status_code == status
    unit.refresh_from_db()
    assert (unit.name == "甲县（改）") == (status == 200)


def test_api_create_in_another_county_gives_no_hint(world, as_user):
    response = as_user("office").post(
        "/api/units/",
        {"parent": world.town_b.code, "code": "X9", "name": "越权村", "kind": "village"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "乙镇" not in response.content.decode()
    assert not Person.objects.filter(name="越权村").exists()


@pytest.mark.parametrize("role", ROLES)
def test_public_page_is_open_to_all_and_shows_nothing_internal(world, as_user, role):
    response = as_user(role).get(f"/public/units/{world.county_a.code}/")
    page = response.content.decode().split("<main", 1)[1]  # the content, not the signed-in user's menu
    assert response.status_code == 200 and "甲县" in page
    # No 班子 names, no codes of people, no organisations on the public page.
    for private in ("县委书记", "县委常委", "甲县干事", "活动办", "督导"):
        assert private not in page

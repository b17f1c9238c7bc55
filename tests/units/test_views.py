"""Office pages: forms, Chinese messages, stale pages, fixed query counts."""

import datetime

import pytest

from tests.factories import make_post, make_unit
from units.choices import PostRole, UnitKind
from units.models import Post, Unit

pytestmark = pytest.mark.django_db


def test_add_child_unit_with_bad_input_keeps_the_form_and_says_why(world, as_user):
    client = as_user("office")
    response = client.post(
        f"/units/{world.town_a.code}/add-child/", {"name": "", "code": "A01002", "kind": "county"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "这个字段是必填项" in page or "必填" in page
    response = client.post(
        f"/units/{world.town_a.code}/add-child/", {"name": "新村", "code": "A01002", "kind": "county"}
    )
    assert "的上级必须是" in response.content.decode()
    assert not Unit.objects.filter(code="A01002").exists()
    response = client.post(
        f"/units/{world.town_a.code}/add-child/", {"name": "新村", "code": "A01002", "kind": "village"}
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="A01002").path.startswith(world.town_a.path)


def test_html_in_names_is_escaped(world, as_user):
    client = as_user("office")
    client.post(
        f"/units/{world.town_a.code}/add-child/",
        {"name": "<script>alert(1)</script>", "code": "XSS1", "kind": "village"},
    )
    page = client.get(f"/units/{world.town_a.code}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_stale_edit_page_is_refused(world, as_user):
    client = as_user("office")
    unit = world.town_a
    first = {"name": "甲镇一", "code": unit.code, "is_active": "on", "version": unit.version}
    second = {"name": "甲镇二", "code": unit.code, "is_active": "on", "version": unit.version}
    assert client.post(f"/units/{unit.code}/edit/", first).status_code == 302
    response = client.post(f"/units/{unit.code}/edit/", second)
    assert "已被他人修改" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "甲镇一"


def test_register_post_and_end_it(world, as_user):
    client = as_user("office")
    client.post("/people/add/", {"name": "新镇长", "code": "PNEW", "rank": "section"})
    response = client.post(
        f"/units/{world.town_a.code}/posts/add/",
        {
            "person_code": "PNEW",
            "title": "镇长",
            "role": PostRole.GOVERNMENT_HEAD,
            "sort_order": 2,
            "start_date": "2014-03-01",
            "oversees": "",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(person__code="PNEW")
    response = client.post(f"/posts/{post.pk}/end/", {"end_date": "2014-02-01", "version": post.version})
    assert "免职日期不能早于任职日期" in response.content.decode()
    response = client.post(f"/posts/{post.pk}/end/", {"end_date": "2014-08-01", "version": post.version})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.end_date == datetime.date(2014, 8, 1)


def test_unknown_person_code_is_a_field_error(world, as_user):
    response = as_user("office").post(
        f"/units/{world.town_a.code}/posts/add/",
        {
            "person_code": "NOBODY",
            "title": "镇长",
            "role": "member",
            "sort_order": 1,
            "start_date": "2014-03-01",
        },
    )
    assert "没有编码为“NOBODY”的人员" in response.content.decode()


def test_history_page_shows_who_changed_what_in_chinese(world, as_user):
    client = as_user("office")
    unit = world.town_a
    client.post(
        f"/units/{unit.code}/edit/",
        {"name": "甲镇（更名）", "code": unit.code, "is_active": "on", "version": unit.version},
    )
    page = client.get(f"/units/{unit.code}/history/").content.decode()
    assert "修改" in page and "名称" in page and "甲镇（更名）" in page and "甲镇</td>" in page
    assert "甲县干事" in page or "office" in page


def test_search_by_name_and_code(world, as_user):
    client = as_user("principal")
    page = client.get("/units/?q=甲村").content.decode()
    assert "甲村" in page
    page = client.get("/units/?q=B01").content.decode()
    assert "乙镇" not in page  # outside his county


def test_unit_page_query_count_does_not_grow(world, as_user, django_assert_max_num_queries):
    client = as_user("office")
    url = f"/units/{world.county_a.code}/"
    # The page's own: session, user, scope, unit, ancestors, the posts of everyone seated here
    # and their 分管 (read once for the page and its materials and 四必谈 panels), organisations
    # (own and sent here), their members, contact points, children, child sizes (12); then the
    # panels (each app pins its own in its tests): stage states (1, no campaign here); stage one:
    # sessions, opinions and groups in one UNION ALL, satisfaction (2); materials (1; open
    # review steps when there are reviews); 谈心谈话 and the meeting: 分管 departments' heads,
    # 督导组 assignments, their seats, talks, meeting (5); 整改落实: counts in one UNION ALL,
    # plans (2); 督导: documents, 约谈/问责, 听取汇报, notes (4). 27 in all; what matters as
    # much: it does not change as the 班子 and the children grow.
    client.get(url)  # per-process caches (content types) filled, as on a running server
    with django_assert_max_num_queries(27) as small:
        client.get(url)
    for i in range(15):
        make_post(world.county_a, title=f"县委常委{i}", oversees=[world.county_a_dept])
        make_unit(world.county_a, UnitKind.TOWNSHIP)
    with django_assert_max_num_queries(27) as large:
        response = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.content.decode().count("县委常委") >= 16


def test_api_unit_list_query_count_is_fixed(world, as_user, django_assert_max_num_queries):
    client = as_user("office")
    # session, user, scope, count, page (parent codes come from a subquery)
    with django_assert_max_num_queries(5):
        small = client.get("/api/units/").json()
    for _ in range(30):
        make_unit(world.town_a, UnitKind.VILLAGE)
    with django_assert_max_num_queries(5):
        large = client.get("/api/units/").json()
    assert large["count"] == small["count"] + 30
    assert {row["parent_code"] for row in large["results"] if row["code"].startswith("U")} == {"A01"}

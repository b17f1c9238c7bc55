"""Lists and pages keep a fixed number of queries as the data grows; forms speak Chinese."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rectification import services
from rectification.choices import ListKind, PointedBy, SourceKind
from tests.factories import PersonFactory, make_post, make_unit
from tests.rectification.conftest import TODAY
from units.choices import Rank, UnitKind

pytestmark = pytest.mark.django_db


def grow(rect, world, n):
    """n more items of several units, with progress, evidence, sources and close requests."""
    for i in range(n):
        unit = make_unit(world.town_a, UnitKind.VILLAGE) if i % 3 == 0 else world.county_a
        problem = services.pointed_problem_create(
            actor=rect.user("office"),
            unit=unit,
            text=f"点明的问题{i}",
            pointed_by=PointedBy.UPPER_OFFICE,
            pointed_by_name="市委",
        )
        item = rect.item(
            unit=unit,
            problem=f"问题{i}",
            responsible_leader=world.user("principal").person,
            deadline=TODAY + datetime.timedelta(days=i % 5),
            sources=[(SourceKind.POINTED_PROBLEM, problem.pk)],
        )
        services.item_report_progress(
            actor=rect.user("office"),
            item=item,
            text=f"进展{i}",
            files=[SimpleUploadedFile("a.pdf", b"%PDF-1 x")],
        )
        if i % 2:
            item.refresh_from_db()
            services.item_request_close(actor=rect.user("office"), item=item, version=item.version)


def pinned(client, url, n, django_assert_max_num_queries):
    with django_assert_max_num_queries(n):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "role", "url", "queries"),
    [
        # session, user, scope, unit, ancestors, children, the tallies by child (the count and the
        # children's counts), page, plans, and the live count of units whose tally is stale (all
        # of them here: just written; 9 once refreshed, test_tallies.py)
        ("ledger", "office", "/rectification/units/A00/", 10),
        ("ledger filtered", "office", "/rectification/units/A00/?warning=yellow&status=in_progress", 11),
        # session, user, scope, count, page, plans waiting (one query on the engine's reviewer rows)
        ("worklist", "supervisor", "/rectification/", 6),
        # session, user, scope, unit, ancestors, count, page
        ("upper help", "city_office", "/rectification/units/C01/upper-help/", 7),
        # session, user, scope, unit, ancestors, pointed problems, per provider (pointed, material
        # problems, opinion groups, loose opinions): count + first rows when there are any
        ("sources", "office", "/rectification/units/A00/sources/", 14),
        # session, user, scope, unit, ancestors, rules
        ("rules", "office", "/rectification/units/A00/rules/", 6),
        # session, user, scope, count, page
        ("api items", "office", "/api/rectification-items/", 5),
    ],
)
def test_lists_keep_their_query_count(
    rect, world, as_user, django_assert_max_num_queries, name, role, url, queries
):
    grow(rect, world, 3)
    services.item_request_help(actor=rect.user("office"), item=rect.item(), version=1, note="需要市里帮助")
    client = as_user(role)
    small = pinned(client, url, queries, django_assert_max_num_queries)
    grow(rect, world, 24)
    large = pinned(client, url, queries, django_assert_max_num_queries)
    assert len(large) >= len(small), name


def test_ledger_counts_per_child(rect, world, as_user):
    rect.item(unit=world.village_a, actor="village", responsible_unit="村两委", deadline=TODAY)
    rect.item(unit=world.county_a_dept)
    rect.item()  # the county's own: not a child's
    from rectification import selectors

    rows = {r.unit.code: r for r in selectors.child_counts(rect.user("office"), world.county_a)}
    assert (rows["A01"].total, rows["A01"].yellow, rows["A01"].red) == (1, 1, 0)
    assert rows["A00-JYJ"].total == 1 and rows["A00-ZF"].total == 0
    page = as_user("office").get("/rectification/units/A00/").content.decode()
    assert "下级单位整改情况" in page and "甲镇" in page
    # The member sees his own unit only: no children.
    assert selectors.child_counts(rect.user("member"), world.county_a) == []


def test_item_page_keeps_its_query_count(rect, world, as_user, django_assert_max_num_queries):
    item = rect.item()
    client = as_user("office")
    # session, user, scope, item, ancestors, participants (rights), unanswered (count + rows),
    # links, described sources (one per source kind), reports, their evidence, events, participants list,
    # guardian grant checks (change, sign-off), rating rounds with their surveys
    pinned(client, f"/rectification/items/{item.pk}/", 18, django_assert_max_num_queries)
    for i in range(8):
        problem = services.pointed_problem_create(
            actor=rect.user("office"),
            unit=world.county_a,
            text=f"问题{i}",
            pointed_by=PointedBy.UPPER_OFFICE,
            pointed_by_name="市委",
        )
        services.item_link_source(
            actor=rect.user("office"), item=item, kind=SourceKind.POINTED_PROBLEM, source_id=problem.pk
        )
        services.item_report_progress(
            actor=rect.user("office"),
            item=item,
            text=f"进展{i}",
            files=[SimpleUploadedFile("a.pdf", b"%PDF-1 x")] * 2,
        )
        services.item_add_participant(
            actor=rect.user("office"),
            item=item,
            unit=make_unit(world.county_a, UnitKind.DEPARTMENT),
            role="cooperate",
        )
    page = pinned(client, f"/rectification/items/{item.pk}/", 18, django_assert_max_num_queries)
    assert page.count("/rectification/evidence/") == 16 and "问题7" in page


def waiting_plans(rect, world, n):
    """n personal measures of 正处级 members of 甲县, submitted: each waits for the 督导组."""
    plans = []
    for i in range(n):
        person = PersonFactory(name=f"常委{i}", rank=Rank.DIVISION)
        make_post(world.county_a, person=person, title="县委常委")
        plan = services.plan_create(
            actor=rect.user("office"),
            unit=world.county_a,
            kind=ListKind.PERSONAL,
            person=person,
            title=f"措施{i}",
        )
        rect.item(plan=plan)
        plans.append(rect.submit(plan, "office"))
    return plans


def test_worklist_keeps_its_query_count(rect, world, as_user, django_assert_max_num_queries):
    client = as_user("supervisor")
    waiting_plans(rect, world, 2)
    # session, user, scope, items waiting (count), plans waiting with their step (one query)
    assert (
        pinned(client, "/rectification/", 5, django_assert_max_num_queries).count("市委督导组审阅把关") == 2
    )
    waiting_plans(rect, world, 12)
    assert (
        pinned(client, "/rectification/", 5, django_assert_max_num_queries).count("市委督导组审阅把关") == 14
    )
    page = pinned(as_user("liaison"), "/rectification/", 5, django_assert_max_num_queries)
    assert "市委督导组审阅把关" not in page  # not his step yet


def test_plan_page_keeps_its_query_count(rect, world, as_user, django_assert_max_num_queries):
    (small,) = waiting_plans(rect, world, 1)
    client = as_user("supervisor")
    # session, user, scope, plan (+unit, person, review, template), the step open for me, steps,
    # their reviewers, ancestors, review trail, items, events
    page = pinned(client, small.get_absolute_url(), 11, django_assert_max_num_queries)
    assert "请您办理" in page
    large = rect.plan(actor="principal", title="大方案")
    for i in range(25):
        rect.item(plan=large, actor="principal", problem=f"问题{i}")
    rect.submit(large)
    for _round in range(3):
        rect.act(rect.act(large, "supervisor"), "liaison", "return_revise", "再改")
        rect.submit(large)
    page = pinned(client, large.get_absolute_url(), 11, django_assert_max_num_queries)
    # Each return is in the review trail and in the plan's own record.
    assert "请您办理" in page and page.count("再改") == 6 and "问题24" in page


def test_project_listing_keeps_its_query_count(rect, world, as_user, django_assert_max_num_queries):
    project = services.special_project_create(
        actor=rect.user("city_office"), unit=world.city, title="群众办事难", scope_kinds=[UnitKind.TOWNSHIP]
    )
    client = as_user("city_office")
    # session, user, scope, project, unit (breadcrumb), ancestors, scope units, count, page
    pinned(client, f"/rectification/projects/{project.pk}/", 9, django_assert_max_num_queries)
    for _ in range(20):
        make_unit(world.county_b, UnitKind.TOWNSHIP)
    page = pinned(client, f"/rectification/projects/{project.pk}/", 9, django_assert_max_num_queries)
    assert page.count("未报方案") >= 20


def test_item_form_errors_are_chinese_and_nothing_is_saved(rect, world, as_user):
    client = as_user("office")
    url = f"/rectification/units/{world.county_a.code}/items/add/"
    base = {
        "kind": "team",
        "problem": "问题",
        "measure": "措施",
        "target": "目标",
        "responsible_unit": "县委办",
        "priority": "normal",
    }
    response = client.post(url, {**base, "handling": "deadline", "deadline": "2014-06-01"})
    assert "不能早于今天" in response.content.decode()
    response = client.post(url, {**base, "handling": "deadline"})
    assert "必须填写完成时限" in response.content.decode()
    response = client.post(url, {**base, "kind": "personal", "handling": "now", "deadline": "2014-06-30"})
    assert "必须注明班子成员" in response.content.decode()
    from rectification.models import RectificationItem

    assert not RectificationItem.objects.exists()
    response = client.post(url, {**base, "handling": "now", "deadline": "2014-06-30"})
    assert response.status_code == 302
    item = RectificationItem.objects.get()
    # A stale edit page is refused with a clear message.
    edit = f"/rectification/items/{item.pk}/edit/"
    form = {**base, "handling": "now", "deadline": "2014-06-30", "version": item.version}
    assert client.post(edit, {**form, "measure": "第一次修改"}).status_code == 302
    response = client.post(edit, {**form, "measure": "第二次修改"})
    assert "已被他人修改" in response.content.decode()
    item.refresh_from_db()
    assert item.measure == "第一次修改"


def test_html_is_escaped(rect, world, as_user):
    item = rect.item(problem="<script>alert(1)</script>")
    page = as_user("office").get(f"/rectification/items/{item.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page

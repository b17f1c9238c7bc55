"""开门整改: the public page shows only the unit's published items, never personal measures."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rectification import services
from rectification.choices import ListKind
from tests.rectification.conftest import TODAY

pytestmark = pytest.mark.django_db


def approve(rect, plan, reviewers):
    rect.submit(plan, "principal" if plan.unit.code == "A00" else "village")
    for role in reviewers:
        rect.act(plan, role)
    return plan


@pytest.fixture
def published(rect, world):
    """甲县: a published 班子 plan, members' measures, a draft plan's twin, a town item, a village list."""
    team = rect.plan(actor="principal", title="甲县县委班子整改方案")
    shown = rect.item(
        plan=team, actor="principal", problem="公开问题一", measure="公开措施一", responsible_unit="县委办"
    )
    withdrawn = rect.item(plan=team, actor="principal", problem="撤销的问题", measure="撤销的措施")
    approve(rect, team, ["supervisor", "liaison"])
    services.plan_publish(actor=rect.user("office"), plan=team, version=team.version)
    withdrawn.refresh_from_db()
    services.item_withdraw(
        actor=rect.user("office"), item=withdrawn, version=withdrawn.version, reason="重复"
    )

    member = rect.user("member")
    personal = services.plan_create(
        actor=member, unit=world.county_a, kind=ListKind.PERSONAL, person=member.person, title="个人整改措施"
    )
    rect.item(plan=personal, actor="member", problem="个人问题", measure="个人内部措施")
    rect.act(rect.submit(personal, "member"), "city_office")

    rect.item(problem="立行立改未入方案", measure="未公开措施")
    rect.item(unit=world.town_a, problem="镇里的问题", measure="镇里的措施")
    village_plan = rect.plan(
        unit=world.village_a, actor="village", kind=ListKind.GRASSROOTS, title="甲村问题清单"
    )
    rect.item(plan=village_plan, actor="village", problem="村道泥泞", measure="硬化村道")
    approve(rect, village_plan, ["office"])
    return shown


def test_public_page_shows_only_published_items_of_the_unit(published, world, as_user):
    services.item_report_progress(
        actor=world.user("principal"),
        item=published,
        text="内部进展说明",
        files=[SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")],
    )
    for role in ("anonymous", "outsider", "office"):
        page = as_user(role).get(f"/public/units/{world.county_a.code}/").content.decode()
        assert "甲县县委班子整改方案" in page and "公开措施一" in page and "县委办" in page
        for hidden in (
            "个人内部措施",
            "个人问题",
            "撤销的措施",
            "未公开措施",
            "镇里的措施",
            "村道泥泞",
            "个人整改措施",
        ):
            assert hidden not in page, (role, hidden)
        # An evidence summary, never the file.
        assert "1 份" in page and "PDF" in page
        assert "/rectification/evidence/" not in page and "会议记录.pdf" not in page
        assert "内部进展说明" not in page
    village = as_user("anonymous").get(f"/public/units/{world.village_a.code}/").content.decode()
    assert "硬化村道" in village and "公开措施一" not in village
    # The town has nothing published: no section at all.
    town = as_user("anonymous").get(f"/public/units/{world.town_a.code}/").content.decode()
    assert "镇里的措施" not in town and "整改方案和整改清单" not in town


def bulk_public_items(plan, n):
    from rectification.models import RectificationItem

    RectificationItem.objects.bulk_create(
        RectificationItem(
            unit=plan.unit,
            unit_path=plan.unit_path,
            area_path=plan.area_path,
            plan=plan,
            kind=ListKind.TEAM,
            problem=f"问题{i}",
            measure=f"措施{i}",
            target="目标",
            responsible_unit="县委办",
            handling="now",
            deadline=TODAY,
            is_public=True,
        )
        for i in range(n)
    )


def test_full_public_list_is_paginated_and_as_strict(published, world, client, django_assert_max_num_queries):
    url = f"/public/units/{world.county_a.code}/rectification/"
    # unit, published plans, count, page, evidence kinds, rating rounds
    with django_assert_max_num_queries(6):
        page = client.get(url).content.decode()
    assert "公开措施一" in page and "个人内部措施" not in page and "未公开措施" not in page
    bulk_public_items(published.plan, 120)
    with django_assert_max_num_queries(6):
        page = client.get(url + "?page=2").content.decode()
    assert "第 2 / 3 页" in page and "个人内部措施" not in page


def test_public_page_query_count_is_fixed(published, world, client, django_assert_max_num_queries):
    url = f"/public/units/{world.county_a.code}/"
    # unit, published plans, items (first 21), evidence kinds, rating rounds — plus other apps' sections
    # (published materials, stage 1's published answers and open surveys): the same at both sizes
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    bulk_public_items(published.plan, 40)
    with django_assert_max_num_queries(15) as large:
        page = client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "查看全部整改事项" in page and page.count("<tr>") <= 22

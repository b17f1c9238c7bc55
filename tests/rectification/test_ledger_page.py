"""The 整改台账 page's item rows: links, deadlines and warnings, in Chinese and in English."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation

from rectification import selectors, services
from rectification.choices import Handling, ItemStatus
from tests.rectification.conftest import TODAY

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr>\s*<td class="mono"><a href="([^"]*)">(ZG\d{6})</a></td>(.*?)</tr>', re.S)


def item_rows(page: str) -> dict[str, tuple[str, str]]:
    """Number → (link, the rest of the row) for each row of the items table."""
    return {number: (link, rest) for link, number, rest in ROW.findall(page)}


def cells(rest: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S)


@pytest.fixture
def states(rect, world, settings):
    """Items in each state the rows show, seen five days after they were opened."""
    day = datetime.timedelta(days=1)
    items = {
        "overdue": rect.item(problem="逾期的事项", deadline=TODAY + day),
        "due_soon": rect.item(problem="临期的事项", deadline=TODAY + 7 * day),
        "later": rect.item(problem="尚早的事项", deadline=TODAY + 30 * day),
        "closed": rect.closed(rect.item(problem="已销号的事项", deadline=TODAY + 2 * day)),
        "no_deadline": rect.item(
            problem="暂不具备条件的事项", handling=Handling.NOT_YET, deadline=None, explanation="条件不具备"
        ),
    }
    items["help"] = services.item_request_help(
        actor=rect.user("office"),
        item=rect.item(problem="需要帮助的事项", deadline=TODAY + 6 * day),
        version=1,
        note="需要市里帮助",
    )
    settings.CAMPAIGN_CLOCK_DATE = TODAY + 5 * day
    return items


def test_rows_in_chinese(states, as_user):
    page = as_user("office").get("/rectification/units/A00/").content.decode()
    rows = item_rows(page)
    assert len(rows) == len(states)
    for item in states.values():
        link, _rest = rows[item.number]
        assert link == f"/rectification/items/{item.pk}/"
    # Soonest deadline first, items without one last.
    numbers = list(rows)
    assert numbers[0] == states["overdue"].number and numbers[-1] == states["no_deadline"].number

    overdue = cells(rows[states["overdue"].number][1])
    assert overdue[4] == "2014-06-21" and overdue[5] == "限期办"
    assert overdue[6] == (
        '<span class="badge status-open">待整改</span>'
        '<span class="badge red" title="已超过完成时限">逾期</span>'
    )
    due_soon = cells(rows[states["due_soon"].number][1])
    assert due_soon[4] == "2014-06-27"
    assert due_soon[6] == (
        '<span class="badge status-open">待整改</span>'
        '<span class="badge yellow" title="3天内到期">临期</span>'
    )
    assert cells(rows[states["later"].number][1])[6] == '<span class="badge status-open">待整改</span>'
    # Past its deadline but closed: no warning.
    closed = cells(rows[states["closed"].number][1])
    assert closed[4] == "2014-06-22" and closed[6] == '<span class="badge status-closed">已销号</span>'
    no_deadline = cells(rows[states["no_deadline"].number][1])
    assert no_deadline[4] == "—" and no_deadline[5] == "暂不具备条件"
    assert cells(rows[states["help"].number][1])[6] == (
        '<span class="badge status-open">待整改</span>'
        '<span class="badge yellow" title="3天内到期">临期</span>'
        '<span class="badge">需上级帮助</span>'
    )
    assert "预警按 2014-06-25 计算" in page


def test_rows_in_english(states, client, world):
    client.force_login(world.user("office"))
    # The language middleware leaves English active on the thread; later tests expect the one before.
    with translation.override(translation.get_language()):
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        page = client.get("/rectification/units/A00/").content.decode()
    assert 'lang="en"' in page
    rows = item_rows(page)
    for item in states.values():
        assert rows[item.number][0] == f"/rectification/items/{item.pk}/"
    overdue = cells(rows[states["overdue"].number][1])
    assert overdue[4] == "2014-06-21" and overdue[5] == "Do by deadline"
    assert overdue[6] == (
        '<span class="badge status-open">To be rectified</span>'
        '<span class="badge red" title="Completion deadline passed">Overdue</span>'
    )
    assert cells(rows[states["due_soon"].number][1])[6] == (
        '<span class="badge status-open">To be rectified</span>'
        '<span class="badge yellow" title="Due within 3 days">Due soon</span>'
    )
    closed = cells(rows[states["closed"].number][1])
    assert closed[4] == "2014-06-22" and closed[6] == '<span class="badge status-closed">Signed off</span>'
    no_deadline = cells(rows[states["no_deadline"].number][1])
    assert no_deadline[4] == "—" and no_deadline[5] == "Not yet feasible"
    assert "Needs higher-level help" in rows[states["help"].number][1]


def test_the_list_is_what_each_user_may_see_under_the_unit(rect, world):
    """Users with a subtree role over the unit skip the visibility filter; everyone gets the items
    of the subtree that ``items_visible_to`` lets him see, and no other."""
    for unit in (world.county_a, world.town_a, world.village_a, world.county_b):
        rect.item(unit=unit, actor="superuser", problem=f"{unit.name}的问题")
    withdrawn = rect.item(actor="superuser", problem="撤销的事项")
    services.item_withdraw(
        actor=rect.user("office"), item=withdrawn, version=withdrawn.version, reason="重复"
    )
    for role in (
        "office",
        "supervisor",
        "principal",
        "member",
        "village",
        "office_b",
        "outsider",
        "superuser",
    ):
        user = rect.user(role)
        for unit in (world.city, world.county_a, world.town_a, world.village_a):
            listed = set(selectors.ledger(user, unit).values_list("pk", flat=True))
            visible = set(
                selectors.items_visible_to(user)
                .filter(unit_path__startswith=unit.path)
                .exclude(status=ItemStatus.WITHDRAWN)
                .values_list("pk", flat=True)
            )
            assert listed == visible, (role, unit.code)
    assert len(selectors.ledger(rect.user("office"), world.county_a)) == 3
    assert not selectors.ledger(rect.user("outsider"), world.county_a)

"""Per-unit item tallies: the 整改台账 drill-down sums them, and must say what a live count says
whether the rows are fresh, stale after an edit, or of another day."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings as django_settings
from django.db.models import Count, Q

from rectification import selectors, services
from rectification.choices import LIVE_STATUSES, ItemStatus
from rectification.models import RectificationItem, UnitItemTally
from rectification.tallies import tally_rebuild, tally_refresh
from rectification.tasks import tally_refresh_task
from tests.factories import make_unit
from tests.rectification.conftest import TODAY
from units.choices import UnitKind
from units.models import Unit


def _live(user: Any, unit: Any) -> dict[str, tuple[int, int, int, int]]:
    """The drill-down's answer counted straight from the items."""
    today = django_settings.CAMPAIGN_CLOCK_DATE
    out = {}
    for child in Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1):
        items = RectificationItem.objects.filter(unit_path__startswith=child.path, status__in=LIVE_STATUSES)
        found = items.aggregate(
            n=Count("pk"),
            closed=Count("pk", filter=Q(status=ItemStatus.CLOSED)),
            red=Count("pk", filter=selectors.red_q(today)),
            yellow=Count("pk", filter=selectors.yellow_q(today)),
        )
        out[child.code] = (found["n"], found["closed"], found["red"], found["yellow"])
    return out


def _drill(user: Any, unit: Any) -> dict[str, tuple[int, int, int, int]]:
    return {r.unit.code: (r.total, r.closed, r.red, r.yellow) for r in selectors.child_counts(user, unit)}


def _a_county_with_items(rect: Any, world: Any) -> list[RectificationItem]:
    township = make_unit(world.county_a, UnitKind.TOWNSHIP)
    return [
        rect.item(unit=world.village_a, actor="village", responsible_unit="村两委", deadline=TODAY),
        rect.item(
            unit=world.village_a,
            actor="village",
            responsible_unit="村两委",
            deadline=TODAY + datetime.timedelta(days=2),
        ),
        rect.item(unit=world.county_a_dept),
        rect.item(unit=township, deadline=TODAY + datetime.timedelta(days=3)),
        rect.item(unit=township, deadline=TODAY + datetime.timedelta(days=10)),
        rect.item(),  # the county's own: in no child's row
    ]


def test_drill_down_agrees_with_a_live_count_through_edits_refreshes_and_days(rect, world, settings):
    items = _a_county_with_items(rect, world)
    office, county = rect.user("office"), world.county_a
    # Every row is stale (the items were just written): all counted live.
    assert UnitItemTally.objects.filter(stale=True).count() == 4
    assert _drill(office, county) == _live(office, county)
    assert tally_refresh() == {"rebuilt": 0, "refreshed": 4}
    assert not UnitItemTally.objects.filter(stale=True).exists()
    assert _drill(office, county) == _live(office, county)

    # Edits flag their unit: closing one, withdrawing another, a new item in a new unit.
    rect.closed(items[2])
    item = RectificationItem.objects.get(pk=items[4].pk)
    services.item_withdraw(actor=rect.user("office"), item=item, version=item.version, reason="重复立项")
    rect.item(unit=world.county_a_gov)
    assert set(UnitItemTally.objects.filter(stale=True).values_list("unit__code", flat=True)) == {
        world.county_a_dept.code,
        items[4].unit.code,
        world.county_a_gov.code,
    }
    assert _drill(office, county) == _live(office, county)
    assert tally_refresh()["refreshed"] == 3
    assert _drill(office, county) == _live(office, county)

    # A new day moves red and yellow: yesterday's rows are counted live until the rebuild.
    earlier = _live(office, county)
    settings.CAMPAIGN_CLOCK_DATE = TODAY + datetime.timedelta(days=8)
    before = _live(office, county)
    assert before != earlier
    assert _drill(office, county) == before
    assert tally_refresh()["rebuilt"] == 5
    assert _drill(office, county) == before
    # The rebuild and the incremental refresh agree.
    assert tally_rebuild() == 5
    assert _drill(office, county) == before


def test_the_drill_down_reads_only_the_tallies_when_they_are_fresh(rect, world, django_assert_num_queries):
    _a_county_with_items(rect, world)
    tally_refresh()
    office = rect.user("office")
    office.refresh_from_db()
    selectors.child_counts(office, world.county_a)  # the scope, cached on the user
    with django_assert_num_queries(2):  # the children, the summed tallies
        selectors.child_counts(office, world.county_a)


def test_the_beat_refreshes_the_tallies(rect, world):
    assert (
        django_settings.CELERY_BEAT_SCHEDULE["item-tallies"]["task"]
        == "rectification.tasks.tally_refresh_task"
    )
    rect.item(unit=world.village_a, actor="village", responsible_unit="村两委")
    assert tally_refresh_task.apply().get() == {"rebuilt": 0, "refreshed": 1}


def test_the_unfiltered_ledger_is_as_long_as_its_items(rect, world, as_user):
    _a_county_with_items(rect, world)
    rect.item(unit=world.county_b, actor="office_b")  # outside county A
    office, county = rect.user("office"), world.county_a
    live = selectors.ledger(office, county, {}).count()
    assert selectors.ledger_total(office, county, {}) == live == 6  # stale tallies, counted live
    assert _page_counts(office, county) == (live, _drill(office, county))
    tally_refresh()
    assert selectors.ledger_total(office, county, {"where": "subtree"}) == live
    assert _page_counts(office, county) == (live, _drill(office, county))
    assert _page_counts(office, county, {"status": "closed"}) == (None, _drill(office, county))
    member = rect.user("member")
    assert _page_counts(member, county) == (None, _drill(member, county))
    # Narrowed lists, and readers who do not see the whole subtree, count the list itself.
    assert selectors.ledger_total(office, county, {"status": "closed"}) is None
    assert selectors.ledger_total(office, county, {"where": "own"}) is None
    assert selectors.ledger_total(rect.user("member"), county, {}) is None
    page = as_user("office").get("/rectification/units/A00/")
    assert page.context["page_obj"].paginator.count == 6


def _page_counts(user: Any, unit: Any, filters: dict[str, str] | None = None) -> tuple[int | None, dict]:
    """What the 台账 page shows of the tallies: the total (if known) and each child's counts."""
    total, children = selectors.ledger_counts(user, unit, filters or {})
    return total, {r.unit.code: (r.total, r.closed, r.red, r.yellow) for r in children}


def test_the_ledger_of_fresh_tallies_keeps_its_query_count(rect, world, as_user, django_assert_num_queries):
    _a_county_with_items(rect, world)
    tally_refresh()
    client = as_user("office")
    client.get("/rectification/units/A00/")
    # session, user, scope, unit, ancestors, children, the tallies by child (the count and the
    # children's counts), page, plans
    with django_assert_num_queries(9):
        assert client.get("/rectification/units/A00/").status_code == 200

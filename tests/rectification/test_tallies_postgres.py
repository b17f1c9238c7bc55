"""The tallies under concurrent writes (PostgreSQL): a recount and an item save racing must
never leave a row that is neither stale nor true."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import transaction

from rectification import services
from rectification.models import RectificationItem, UnitItemTally
from rectification.tallies import tally_rebuild, tally_refresh
from tests.rectification.test_postgres import run_together
from tests.rectification.test_tallies import _drill, _live

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _withdraw(rect, item):
    # Withdrawn items leave the 台账's total: a lost stale mark would show as a wrong count.
    services.item_withdraw(actor=rect.user("office"), item=item, version=item.version, reason="重复立项")


def _report_holding(rect, item_pk, saved, go_on):
    """An item save whose transaction stays open until ``go_on``."""
    with transaction.atomic():
        item = RectificationItem.objects.get(pk=item_pk)
        _withdraw(rect, item)
        saved.set()
        go_on.wait(timeout=10)
        time.sleep(0.3)  # the other side is now waiting on this transaction's locks


def _rebuild_holding(rebuilt, go_on):
    with transaction.atomic():
        tally_rebuild()
        rebuilt.set()
        go_on.wait(timeout=10)
        time.sleep(0.3)


@pytest.mark.parametrize("save_first", [True, False])
def test_a_rebuild_racing_an_item_save_leaves_true_or_stale_rows(rect, world, save_first):
    item = rect.item(unit=world.county_a_dept)
    tally_refresh()
    first, second = threading.Event(), threading.Event()
    if save_first:
        calls = (
            lambda: _report_holding(rect, item.pk, first, second),
            lambda: (first.wait(timeout=10), second.set(), tally_rebuild()),
        )
    else:
        calls = (
            lambda: _rebuild_holding(first, second),
            lambda: (
                first.wait(timeout=10),
                second.set(),
                _withdraw(rect, RectificationItem.objects.get(pk=item.pk)),
            ),
        )
    outcomes = run_together(*calls)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert RectificationItem.objects.get(pk=item.pk).status == "withdrawn"
    # Whatever the order, a refresh now makes every row true.
    tally_refresh()
    # No row at all is a true zero too: a rebuild writes only units with live items.
    row = UnitItemTally.objects.filter(pk=world.county_a_dept.pk).first()
    assert row is None or (not row.stale and row.total == 0)
    office = rect.user("office")
    assert _drill(office, world.county_a) == _live(office, world.county_a)

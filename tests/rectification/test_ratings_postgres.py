"""What only PostgreSQL shows for the public rating: ratings arriving together reopen an item once."""

from __future__ import annotations

import pytest

from rectification import rating_services
from rectification.choices import ItemAction, ItemStatus, RatingStatus
from rectification.models import ItemRating
from tests.rectification.test_postgres import run_together
from tests.rectification.test_ratings import item  # noqa: F401  (fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_low_ratings_arriving_together_reopen_once(item):  # noqa: F811
    rating_services.item_rate(item=item, choice="不满意", browser_id="first-browser-000000")
    outcomes = run_together(
        *[
            (
                lambda n=n: rating_services.item_rate(
                    item=item, choice="不满意", browser_id=f"together-{n}-0000000000"
                )
            )
            for n in range(4)
        ]
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS and item.reopen_count == 1
    assert item.events.filter(action=ItemAction.REOPEN).count() == 1
    # Those after the 复号 were told the item takes no more ratings; nothing else failed.
    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert all("不接受评价" in str(f) for f in failures) and len(failures) == 2
    rating = ItemRating.objects.get()
    assert rating.status == RatingStatus.REOPENED and rating.responses == 3


def test_the_same_browser_twice_at_once_counts_once(item):  # noqa: F811
    outcomes = run_together(
        *[
            (lambda: rating_services.item_rate(item=item, choice="满意", browser_id="same-browser-00000000"))
            for _ in range(3)
        ]
    )
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert ItemRating.objects.get().responses == 1

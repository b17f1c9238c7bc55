"""The reviewer's inbox: oldest first, one indexed query whatever its length."""

import datetime

import pytest
from django.utils import timezone

from materials.models import ChainStep, Review, ReviewStep, ReviewStepReviewer
from tests.factories import PersonFactory, UserFactory, login_as, make_campaign, make_unit
from units.choices import UnitKind

pytestmark = pytest.mark.django_db


def fill_inbox(user, person, n, unit, campaign, offset=0):
    template_step = ChainStep.objects.select_related("template").first()
    start = timezone.now() - datetime.timedelta(days=30)
    reviews = Review.objects.bulk_create(
        Review(
            campaign=campaign,
            unit=unit,
            unit_path=unit.path,
            subject_kind="material",
            subject_id=offset + i + 1,
            title=f"材料{offset + i}",
            author=person,
            template=template_step.template,
            submitted_at=start,
        )
        for i in range(n)
    )
    steps = ReviewStep.objects.bulk_create(
        ReviewStep(
            review=review,
            round=1,
            order=1,
            template_step=template_step,
            name="县（区）委书记审核",
            kind="review",
            state="open",
            unit_path=unit.path,
            opened_at=start + datetime.timedelta(minutes=offset + i),
        )
        for i, review in enumerate(reviews)
    )
    ReviewStepReviewer.objects.bulk_create(
        ReviewStepReviewer(step=step, user=user, person=person, is_open=True, opened_at=step.opened_at)
        for step in steps
    )


def test_inbox_query_count_is_the_same_for_10_and_10000_open_steps(client, django_assert_max_num_queries):
    province = make_unit(None, UnitKind.PROVINCE, "测试省", "P99")
    campaign = make_campaign(province)
    county = make_unit(make_unit(province, UnitKind.CITY), UnitKind.COUNTY)
    reviewer = login_as(PersonFactory(name="审核人"), "inbox-reviewer")
    author = PersonFactory(name="撰写人")
    client.force_login(reviewer)
    fill_inbox(reviewer, author, 10, county, campaign)
    # session, user, count, the page (steps with their review, unit and author in one join)
    with django_assert_max_num_queries(4) as small:
        first = client.get("/reviews/inbox/")
    fill_inbox(reviewer, author, 9990, county, campaign, offset=10)
    with django_assert_max_num_queries(4) as large:
        second = client.get("/reviews/inbox/")
    assert len(small.captured_queries) == len(large.captured_queries)
    assert "10000" in second.content.decode() and "10" in first.content.decode()
    # Oldest first.
    page = second.content.decode()
    assert page.index("材料0<") < page.index("材料1<")
    # The API inbox pins the same count.
    with django_assert_max_num_queries(4):
        body = client.get("/api/review-steps/").json()
    assert body["count"] == 10000 and body["results"][0]["title"] == "材料0"


def test_inbox_sql_uses_the_inbox_index_on_postgres(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("index use is checked on PostgreSQL (second CI pass)")
    from materials.selectors import inbox

    user = UserFactory(username="x")
    sql, params = inbox(user)[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "materials_inbox" in plan, plan

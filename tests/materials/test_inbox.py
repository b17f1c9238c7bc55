"""The reviewer's inbox: oldest first, one indexed query whatever its length."""

import datetime
import re

import pytest
from django.utils import timezone, translation

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


def test_inbox_rows_link_each_subject_and_show_due_dates(client, settings):
    """Each kind of subject links to its own page; due dates are local (Asia/Shanghai) days."""
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)
    province = make_unit(None, UnitKind.PROVINCE, "测试省", "P99")
    campaign = make_campaign(province)
    county = make_unit(make_unit(province, UnitKind.CITY), UnitKind.COUNTY)
    reviewer = login_as(PersonFactory(name="审核人"), "inbox-reviewer")
    fill_inbox(reviewer, PersonFactory(name="撰写人"), 5, county, campaign)
    utc = datetime.UTC
    rows = [
        # kind, id, due (UTC), its text, overdue on 2014-06-20
        ("material", 41, datetime.datetime(2014, 6, 18, 2, 0, tzinfo=utc), "06-18", True),
        ("meeting_plan", 42, datetime.datetime(2014, 6, 22, 17, 30, tzinfo=utc), "06-23", False),
        ("rectification_plan", 43, datetime.datetime(2014, 6, 30, 1, 0, tzinfo=utc), "06-30", False),
        ("criticism_list", 44, datetime.datetime(2014, 5, 31, 16, 0, tzinfo=utc), "06-01", True),
        ("material", 45, None, "", False),
    ]
    steps = ReviewStep.objects.select_related("review").order_by("opened_at", "pk")
    for step, (kind, subject_id, due, _text, _overdue) in zip(steps, rows, strict=True):
        Review.objects.filter(pk=step.review_id).update(subject_kind=kind, subject_id=subject_id)
        ReviewStep.objects.filter(pk=step.pk).update(due_at=due)
    links = {
        41: "/materials/41/",
        42: "/meetings/42/",
        43: "/rectification/plans/43/",
        44: "/criticisms/44/",
        45: "/materials/45/",
    }
    client.force_login(reviewer)
    # The language middleware leaves the page's language active on the thread; later tests expect
    # the one before.
    with translation.override(translation.get_language()):
        for language, overdue_badge in (("zh-hans", "已超时"), ("en", "Overdue")):
            client.post("/i18n/setlang/", {"language": language, "next": "/"})
            page = client.get("/reviews/inbox/").content.decode()
            found = []
            for alert, row in re.findall(r'<tr( class="alert")?>\s*(<td><a href=.*?)</tr>', page, re.S):
                cells = re.findall(r"<td>(.*?)</td>", row, re.S)
                found.append((alert, re.match(r'<a href="([^"]*)">', cells[0]).group(1), cells[5]))
            badge = f' <span class="badge warn">{overdue_badge}</span>'
            assert found == [
                (
                    ' class="alert"' if overdue else "",
                    f"{links[subject_id]}#decision",
                    text + (badge if overdue else ""),
                )
                for _kind, subject_id, _due, text, overdue in rows
            ]

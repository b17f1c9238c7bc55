"""What only PostgreSQL shows: concurrent sign-offs, plan decisions and reports, and the path
indexes in use."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from materials import review as engine
from materials.models import ReviewAction
from rectification import selectors, services
from rectification.choices import ItemAction, ItemStatus, PlanStatus
from rectification.models import RectificationItem
from tests.factories import PersonFactory, login_as, seat

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_signers_at_once_sign_off_once(rect, world):
    item = rect.item()
    rect.report(item)
    item.refresh_from_db()
    services.item_request_close(actor=rect.user("office"), item=item, version=item.version)
    item.refresh_from_db()
    version = item.version
    outcomes = run_together(
        lambda: services.item_sign_off(actor=rect.user("supervisor"), item=item, version=version),
        lambda: services.item_sign_off(actor=rect.user("city_office"), item=item, version=version),
    )
    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], ValidationError)
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED
    assert item.events.filter(action=ItemAction.SIGN_OFF).count() == 1


def test_two_reviewers_at_once_pass_a_plan_step_once(rect, world):
    """Two members of the 督导组 pass the same step together: one wins, the plan moves on once."""
    second = PersonFactory(name="第二督导员")
    seat(world.user("supervisor").person.memberships.get().organization, second)
    second_user = login_as(second, "supervisor2")
    plan = rect.plan(actor="principal")
    rect.item(plan=plan, actor="principal")
    plan = rect.submit(plan)
    step = plan.review.steps.get(state="open")
    version = plan.review.version

    def decide(user):
        return lambda: engine.review_step_act(
            actor=user, step=step, decision=engine.Decision("pass", "同意"), review_version=version
        )

    outcomes = run_together(decide(rect.user("supervisor")), decide(second_user))
    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], ValidationError), outcomes
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_REVIEW
    assert ReviewAction.objects.filter(review=plan.review, kind="pass").count() == 1
    assert plan.review.steps.get(state="open").name == "市委活动办联络组审核"


def test_concurrent_reports_lose_nothing(rect, world):
    item = rect.item()
    version = item.version
    outcomes = run_together(
        *[
            (lambda i=i: services.item_report_progress(actor=rect.user("office"), item=item, text=f"进展{i}"))
            for i in range(6)
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)]
    item.refresh_from_db()
    assert item.reports.count() == 6 and item.events.filter(action=ItemAction.REPORT).count() == 6
    assert item.version == version + 6


def test_ledger_can_use_the_path_indexes(rect, world):
    rect.item()
    queryset = selectors.ledger(rect.user("city_office"), world.county_a, {"status": "in_progress"})
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # With one row, any index led by status serves the filter as well and wins; hide every
        # index but the path ones (the DDL rolls back with the test) to ask whether a path index
        # is usable at all, which is what a county's ledger in a province needs.
        cursor.execute(
            "SELECT string_agg(quote_ident(indexname), ', ') FROM pg_indexes WHERE tablename = %s"
            " AND indexname NOT LIKE '%%path%%'"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)",  # keys and unique ones stay
            [RectificationItem._meta.db_table],
        )
        cursor.execute("DROP INDEX " + cursor.fetchone()[0])
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "rect_item_path_status" in plan or "unit_path_" in plan, plan

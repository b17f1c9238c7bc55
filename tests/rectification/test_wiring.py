"""Rectification plugged into the rest: gates, reminders, workload, material problems as sources."""

import datetime

import pytest

from rectification.gates import items_closed, sources_answered, special_passed
from rectification.reminders import ItemsDue
from rectification.workload import items_for
from supervision.sweeps import sweep

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_items_closed_gate(rect):
    county = rect.world.county_a
    assert not items_closed(None, [county], {})[county.pk].met  # no list yet
    item = rect.item()
    result = items_closed(None, [county], {})[county.pk]
    assert not result.met and "1项" in result.detail
    rect.closed(item)
    assert items_closed(None, [county], {})[county.pk].met
    rect.item(handling="not_yet", deadline=None, explanation="资金需列入明年预算，已向群众说明")
    assert items_closed(None, [county], {})[county.pk].met  # 暂不具备条件 with its explanation counts


def test_special_and_sources_gates_in_fixed_queries(rect, django_assert_max_num_queries):
    units = [rect.world.county_a, rect.world.county_b, rect.world.town_a]
    with django_assert_max_num_queries(2):
        passed = special_passed(None, units, {})
    assert all(r.met for r in passed.values())
    with django_assert_max_num_queries(8):
        answered = sources_answered(None, units, {})
    assert set(answered) == {u.pk for u in units}


def test_deadline_reminders_reach_the_responsible_leader_once(rect):
    leader = rect.world.county_a.posts.get(role="principal").person
    item = rect.item(deadline=datetime.date(2014, 6, 22), responsible_leader=leader)
    due = list(ItemsDue().due(datetime.datetime(2014, 6, 20, 9, tzinfo=SHANGHAI)))
    assert [(d.object_key, d.threshold, d.recipients) for d in due] == [
        (f"rectification_item:{item.pk}", "due_soon", (leader.user_id,))
    ]
    now = datetime.datetime(2014, 6, 23, 9, tzinfo=SHANGHAI)
    from supervision.models import ReminderLedger

    sweep(now=now)
    sweep(now=now)
    sent = ReminderLedger.objects.filter(rule="rectification_item", sent_at__isnull=False)
    assert [(r.recipient_id, r.threshold) for r in sent] == [
        (leader.user_id, "due")
    ]  # deadline day just ended
    rect.closed(item)
    assert not list(ItemsDue().due(now + datetime.timedelta(days=3)))


def test_items_awaiting_sign_off_are_in_the_groups_workload(rect):
    item = rect.item()
    rect.report(item)
    from rectification import services

    item.refresh_from_db()
    services.item_request_close(actor=rect.user("office"), item=item, version=item.version)
    rows = items_for(group=None, user_ids=[], units=[rect.world.county_a])
    assert [r.title for r in rows] == [item.problem[:60]] and rows[0].kind == "待销号"
    assert items_for(group=None, user_ids=[], units=[rect.world.county_b]) == []


def test_plans_waiting_are_in_the_groups_workload_and_reminders(rect):
    """The engine's own wiring (督导组 workspace, 催办 sweeps) links to the plan page."""
    from materials import reminders
    from materials import workload as review_workload

    plan = rect.plan(actor="principal")
    rect.item(plan=plan, actor="principal")
    plan = rect.submit(plan)
    supervisor = rect.user("supervisor")
    (row,) = review_workload.items_for(group=None, user_ids=[supervisor.pk], units=[])
    assert row.url == plan.get_absolute_url() and row.detail == "市委督导组审阅把关"
    (step,) = plan.review.steps.filter(state="open")
    assert reminders.URGE_TARGETS["review_step"](step.pk).url == plan.get_absolute_url()

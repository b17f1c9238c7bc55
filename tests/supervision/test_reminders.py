"""Reminder sweeps: once per object per threshold, digests per person, catch-up, 催办 by hand."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from campaign import clock
from materials.choices import ActionKind
from supervision import services
from supervision.models import Notification, ReminderLedger
from supervision.sweeps import deadline_threshold, sweep
from tests.materials.conftest import account, members_of
from tests.materials.helpers import act, open_step, write_and_submit

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=SHANGHAI)


@pytest.fixture
def waiting(province, monkeypatch):
    """Two materials waiting on the 清丰县委书记 since 2014-06-10 08:00 (time limit 5 days → 06-15).
    The hour is fixed: the clock keeps the real time of day, and a submission after 09:00 would
    move the thresholds past the sweeps' times below."""
    secretary = account("P410922-SJ")
    secretary.email = "shuji@example.org"
    secretary.save()
    with monkeypatch.context() as patched:
        patched.setattr(clock, "now", lambda: at("2014-06-10", 8))
        first = write_and_submit(province.campaign, "P410922-ZZB", "410922")
        second = write_and_submit(province.campaign, "P410922-XCB", "410922")
    return secretary, first, second


def test_thresholds_follow_the_deadline():
    due = at("2014-06-15")
    soon = datetime.timedelta(days=1)
    assert deadline_threshold(due, at("2014-06-13"), soon) is None
    assert deadline_threshold(due, at("2014-06-14", 10), soon) == "due_soon"
    assert deadline_threshold(due, at("2014-06-15", 10), soon) == "due"
    assert deadline_threshold(due, at("2014-06-16", 10), soon) == "overdue"
    assert deadline_threshold(due, at("2014-06-23", 10), soon) == "long_overdue"


def test_one_digest_per_person_and_no_second_send(waiting):
    secretary, first, second = waiting
    result = sweep(now=at("2014-06-16"))
    assert (result.sent, result.digests) == (2, 1)
    notice = Notification.objects.get(user=secretary)
    assert "2 项" in notice.title and first.title in notice.body and second.title in notice.body
    assert len(mail.outbox) == 0  # e-mail goes after commit
    again = sweep(now=at("2014-06-16", 15))
    assert again.sent == 0 and Notification.objects.filter(user=secretary).count() == 1


def test_email_goes_with_the_digest(waiting, django_capture_on_commit_callbacks):
    secretary, *_ = waiting
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=at("2014-06-16"))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["shuji@example.org"]
    assert "催办提醒" in mail.outbox[0].subject
    assert Notification.objects.get(user=secretary).emailed


def test_a_new_threshold_sends_again_once(waiting):
    secretary, *_ = waiting
    sweep(now=at("2014-06-14", 12))  # due soon
    sweep(now=at("2014-06-16"))  # overdue
    sweep(now=at("2014-06-17"))  # still overdue: nothing new
    assert list(
        ReminderLedger.objects.filter(recipient=secretary)
        .order_by("threshold")
        .values_list("threshold", flat=True)
        .distinct()
    ) == ["due_soon", "overdue"]
    assert Notification.objects.filter(user=secretary).count() == 2


def test_catch_up_after_a_missed_week_sends_the_current_state_only(waiting):
    secretary, *_ = waiting
    sweep(now=at("2014-06-24"))  # nothing ran from 06-10 to 06-24
    rows = ReminderLedger.objects.filter(recipient=secretary)
    assert set(rows.filter(rule="review_step").values_list("threshold", flat=True)) == {"long_overdue"}
    # with the monthly 听取汇报 reminder (06-24 is past the 20th) in the same digest
    assert set(rows.values_list("rule", flat=True)) == {"review_step", "monthly_hearing"}
    assert Notification.objects.filter(user=secretary).count() == 1


def test_nothing_for_work_already_done(waiting):
    secretary, first, second = waiting
    act(first, ActionKind.PASS)
    act(second, ActionKind.PASS)
    sweep(now=at("2014-06-16"))
    assert not Notification.objects.filter(user=secretary).exists()


def test_a_sweep_that_died_after_claiming_is_finished_by_the_next(waiting):
    from supervision.sweeps import all_rules, claim, record_due

    secretary, *_ = waiting
    now = at("2014-06-16")
    record_due(all_rules(), now)
    claim(now)  # ... and the worker died here
    assert sweep(now=now + datetime.timedelta(minutes=2)).sent == 0  # another sweep respects a fresh claim
    assert sweep(now=now + datetime.timedelta(minutes=15)).sent == 2  # a stale claim is taken over
    assert Notification.objects.filter(user=secretary).count() == 1


def test_urge_by_hand_is_rate_limited_per_object(waiting, settings):
    secretary, first, _second = waiting
    step = open_step(first)
    office = account(members_of("清丰县委教育实践活动领导小组办公室")[0].code)
    kwargs = {
        "object_key": f"review_step:{step.pk}",
        "unit_path": first.unit_path,
        "recipients": [secretary],
        "title": first.title,
        "url": "",
    }
    services.urge(actor=office, **kwargs)
    assert Notification.objects.filter(user=secretary, kind="urge").count() == 1
    with pytest.raises(ValidationError) as exc:
        services.urge(actor=office, **kwargs)
    assert "不再重复催办" in str(exc.value)
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 12)
    services.urge(actor=office, **kwargs)  # a day later, again allowed
    with pytest.raises(PermissionDenied):
        services.urge(actor=account("P410922-XCB"), **{**kwargs, "object_key": "review_step:0"})


def test_urge_from_the_material_page(client, waiting):
    secretary, first, _second = waiting
    step = open_step(first)
    client.force_login(account(members_of("濮阳市委第二督导组")[0].code))
    response = client.post(
        "/supervision/urge/", {"kind": "review_step", "id": step.pk, "next": f"/materials/{first.pk}/"}
    )
    assert response.status_code == 302
    assert Notification.objects.filter(user=secretary, kind="urge").exists()
    client.force_login(account(members_of("许昌市委教育实践活动领导小组办公室")[0].code))
    assert client.post("/supervision/urge/", {"kind": "review_step", "id": step.pk}).status_code == 404


def test_monthly_briefing_reminder_from_the_20th(province, settings):
    from supervision.reminders import MonthlyHearingDue

    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)
    account("P410922-SJ")
    rule = MonthlyHearingDue()
    assert not list(rule.due(at("2014-06-19")))
    due = [d for d in rule.due(at("2014-06-20")) if "清丰县" in d.title]
    assert len(due) == 1 and due[0].object_key.endswith("2014-06")
    services.hearing_record(
        actor=account("P410922-SJ"),
        unit=province.units["410922"],
        date=datetime.date(2014, 6, 20),
        reporters="城关镇党委书记",
        notes="听取汇报",
    )
    assert not [d for d in rule.due(at("2014-06-21")) if "清丰县" in d.title]


class _ManyDue:
    """A rule with ``rows``: three items for each of ``people``, one of them already in the ledger."""

    name = "test_many"
    label = "test"

    def __init__(self, people):
        self.people = people

    def due(self, now):  # pragma: no cover - the sweep reads rows
        raise AssertionError("rows() is preferred")

    def rows(self, now):
        for user_id in self.people:
            for n in range(3):
                yield (f"item:{user_id}:{n}", "due", user_id, f"事项 {user_id}-{n}", "", now)


def test_digests_go_in_batches_of_people_with_a_fixed_number_of_queries(
    settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.bulk_create(User(username=f"many-{n}", email=f"m{n}@example.org") for n in range(60))
    people = list(User.objects.filter(username__startswith="many-").values_list("pk", flat=True))
    settings.REMINDER_DIGEST_BATCH = 25
    now = at("2014-06-16")
    ReminderLedger.objects.create(
        rule="test_many",
        object_key=f"item:{people[0]}:0",
        threshold="due",
        recipient_id=people[0],
        title="done",
        sent_at=now,
    )
    # record (1 chunk) + claim + people + 3 batches × (savepoint, read, users, insert, update, release)
    with django_assert_max_num_queries(30), django_capture_on_commit_callbacks(execute=True):
        result = sweep(rules=[_ManyDue(people)], now=now)
    assert (result.found, result.sent, result.digests) == (180, 179, 60)
    assert Notification.objects.filter(user_id__in=people).count() == 60
    assert not ReminderLedger.objects.filter(sent_at__isnull=True).exists()
    for notice in Notification.objects.filter(user_id__in=people[:3]):
        items = list(
            ReminderLedger.objects.filter(notification=notice).values_list("recipient_id", flat=True)
        )
        assert set(items) == {notice.user_id} and len(items) == (2 if notice.user_id == people[0] else 3)
        assert notice.body.count("·") == len(items)
    assert (
        len(mail.outbox) == 60 and Notification.objects.filter(user_id__in=people, emailed=True).count() == 60
    )
    assert sweep(rules=[_ManyDue(people)], now=now).sent == 0  # nothing twice

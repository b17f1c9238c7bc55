"""Meetings plugged into the rest: criticisms as "四个回应" sources, the 专题报告 reminder, the
督导组's workload (meetings to attend, reports to read)."""

import datetime

import pytest

from materials import meeting_services as svc
from materials.reminders import MeetingReportsDue
from materials.workload import items_for
from rectification import source_registry
from supervision.models import ReminderLedger
from supervision.sweeps import sweep
from tests.materials.stage2 import DAY, hold, ready_meeting

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture(autouse=True)
def today(settings):
    settings.CAMPAIGN_CLOCK_DATE = DAY


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_criticisms_are_a_source_kind_rectification_sees(world):
    held = hold(ready_meeting(world), world.user("principal"))
    principal, member = world.user("principal").person, world.user("member").person
    criticism = svc.meeting_criticism_add(
        actor=world.user("principal"), meeting=held, target=principal, critic=member, content="下基层少。"
    )
    provider = source_registry.provider_for("meeting_criticism")
    assert provider is not None
    assert [row.pk for row in provider.sources_for_units([world.county_a])] == [criticism.pk]
    assert not provider.sources_for_units([world.county_b]).exists()
    info = provider.describe([criticism.pk])[criticism.pk]
    assert info.unit_id == world.county_a.pk and "下基层少" in info.label
    assert info.url == f"/meetings/{held.pk}/" and info.kind_label == "民主生活会批评意见"


def test_report_reminder_goes_to_the_principal_until_it_is_sent(world):
    held = hold(ready_meeting(world), world.user("principal"))  # ends 06-17: due 07-02
    report = held.report
    principal = world.user("principal")
    assert not list(MeetingReportsDue().due(at("2014-06-28 09:00")))
    due = list(MeetingReportsDue().due(at("2014-06-30 09:00")))
    assert [(d.object_key, d.threshold, d.recipients) for d in due] == [
        (f"meeting_report:{report.pk}", "due_soon", (principal.pk,))
    ]
    assert due[0].url == f"/meetings/{held.pk}/report/"
    sweep(now=at("2014-07-04 09:00"))
    sweep(now=at("2014-07-04 10:00"))
    sent = ReminderLedger.objects.filter(rule="meeting_report", sent_at__isnull=False)
    assert [(r.recipient_id, r.threshold) for r in sent] == [(principal.pk, "overdue")]
    report = svc.report_save(actor=principal, report=report, version=report.version, content="会议情况……")
    svc.report_submit(actor=principal, report=report, version=report.version)
    assert not list(MeetingReportsDue().due(at("2014-07-10 09:00")))


def test_the_groups_workload_lists_meetings_to_attend_and_reports_to_read(world):
    meeting = ready_meeting(world)
    rows = items_for(group=None, user_ids=[], units=[world.county_a])
    assert [(r.kind, r.url) for r in rows] == [("列席会议", f"/meetings/{meeting.pk}/")]
    assert rows[0].due_at is not None and rows[0].detail.startswith("计划")
    assert items_for(group=None, user_ids=[], units=[world.county_b]) == []

    held = hold(meeting, world.user("principal"))
    principal = world.user("principal")
    report = svc.report_save(actor=principal, report=held.report, version=held.report.version, content="……")
    svc.report_submit(actor=principal, report=report, version=report.version)
    rows = items_for(group=None, user_ids=[], units=[world.county_a])
    assert [(r.kind, r.detail, r.url) for r in rows] == [
        ("待审阅", "专题报告", f"/meetings/{held.pk}/report/")
    ]

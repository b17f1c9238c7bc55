"""Holding a meeting and confirming a talk at once, on PostgreSQL with real connections in threads."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections

from materials import talk_services
from materials.meeting_choices import MeetingStatus, TalkStatus
from materials.meeting_models import MeetingEvent, MeetingReport
from tests.factories import PersonFactory, seat
from tests.materials.stage2 import DAY, POINTS, hold, ready_meeting, user_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(attempts, act):
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(arg):
        try:
            barrier.wait(timeout=20)
            act(arg)
            result = "ok"
        except (ValidationError, PermissionDenied) as exc:
            result = " ".join(getattr(exc, "messages", [str(exc)]))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_members_registering_the_meeting_at_once_make_one(world, settings):
    settings.CAMPAIGN_CLOCK_DATE = DAY
    meeting = ready_meeting(world)
    users = [world.user("principal"), world.user("member")] * 4
    outcomes = race(users, lambda user: hold(meeting, user))
    assert outcomes.count("ok") == 1, outcomes
    assert all("已经登记召开" in o or "已被他人修改" in o for o in outcomes if o != "ok"), outcomes
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert MeetingReport.objects.filter(meeting=meeting).count() == 1
    assert MeetingEvent.objects.filter(subject="meeting", subject_id=meeting.pk, action="hold").count() == 1


def test_group_members_confirming_one_talk_at_once(world, settings):
    settings.CAMPAIGN_CLOCK_DATE = DAY
    supervisor = world.user("supervisor")
    group = supervisor.person.memberships.get().organization
    others = [PersonFactory(name=f"督导员{i}") for i in range(5)]
    for person in others:
        seat(group, person)
    talk = talk_services.talk_record(
        actor=world.user("member"),
        campaign=world.campaign,
        unit=world.county_a,
        counterpart=supervisor.person,
        group=group,
        held_on=DAY,
        points=POINTS,
    )
    users = [user_of(p) for p in others] + [supervisor]
    outcomes = race(
        users, lambda user: talk_services.talk_confirm(actor=user, talk=talk, version=talk.version)
    )
    assert outcomes.count("ok") == 1, outcomes
    talk.refresh_from_db()
    assert talk.status == TalkStatus.CONFIRMED
    assert MeetingEvent.objects.filter(subject="talk", subject_id=talk.pk, action="confirm").count() == 1

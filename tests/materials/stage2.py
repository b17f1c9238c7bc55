"""Helpers for the tests of talks, 拟批评意见 and meetings, on the shared ``world`` (tests/conftest.py).

In the world, 县A's 班子 is its secretary ("principal") and one member ("member", who oversees
县A教育局); the 测试市委第一督导组 ("supervisor") is sent to 县A. ``city_office`` adds the
测试市委活动办 that audits 县A's plans and files its reports.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from materials import meeting_services, talk_services
from materials import review as engine
from materials import talk_selectors as ts
from materials.choices import MaterialStatus, StepState
from materials.meeting_choices import HalfDay
from materials.meeting_models import Meeting
from materials.models import Material, Review, ReviewStep
from materials.selectors import required_materials
from tests.factories import PersonFactory, login_as, make_org, seat
from units.choices import OrgKind
from units.models import Person, Unit

DAY = datetime.date(2014, 6, 20)
_names = itertools.count(1)


def user_of(person: Person) -> Any:
    """The login of ``person`` (created on first use)."""
    if person.user_id is None:
        login_as(person, f"p{person.pk}-{next(_names)}")
        person.refresh_from_db()
    return person.user


def city_office(world: Any) -> Any:
    office = make_org(world.campaign, world.city, OrgKind.OFFICE, "测试市委活动办")
    staff = PersonFactory(name="市委活动办干事")
    seat(office, staff)
    return login_as(staff, "city_office")


POINTS = talk_services.TalkPoints(
    "亮明了自身问题", "指出了对方问题", "交换了对班子问题的看法", "会上准备提出的意见"
)


def complete_talks(world: Any, unit: Unit) -> None:
    """Record and confirm every required talk of the unit's 班子."""
    coverage = ts.talk_coverage([unit])[unit.pk]
    for requirement in coverage.missing:
        if requirement.other is None:
            seat_ = coverage.group_seats[0]
            recorder, counterpart, group = seat_.person, requirement.member, seat_.organization
        else:
            recorder, counterpart, group = requirement.member, requirement.other, None
        talk = talk_services.talk_record(
            actor=user_of(recorder),
            campaign=world.campaign,
            unit=unit,
            counterpart=counterpart,
            group=group,
            held_on=DAY - datetime.timedelta(days=3),
            points=POINTS,
        )
        talk_services.talk_confirm(actor=user_of(counterpart), talk=talk, version=talk.version)


def approve_materials(world: Any, unit: Unit) -> None:
    """Every required material, approved. (How materials get approved is tested in test_review_flow;
    here only their state matters, so they are written straight into that state.)"""
    for entry in required_materials(unit):
        if entry.material is not None:
            material = entry.material
            material.status = MaterialStatus.APPROVED
            material.save(update_fields=["status"])
            continue
        author = entry.person or Person.objects.filter(posts__unit=unit, posts__role="principal").first()
        Material.objects.create(
            campaign=world.campaign,
            unit=unit,
            unit_path=unit.path,
            kind=entry.kind,
            subject_person=entry.person,
            author=author,
            title=f"{entry.label}{entry.person or ''}",
            status=MaterialStatus.APPROVED,
        )


def pass_review(review: Review | None) -> None:
    """Each reviewer along the chain passes at his step."""
    assert review is not None
    for _ in range(10):
        review.refresh_from_db()
        step = ReviewStep.objects.filter(review=review, round=review.round, state=StepState.OPEN).first()
        if step is None:
            return
        reviewer = step.reviewers.filter(is_open=True).first()
        assert reviewer is not None, f"nobody can act on {step.name}"
        engine.review_step_act(
            actor=reviewer.user,
            step=step,
            decision=engine.Decision("pass", "同意。"),
            review_version=review.version,
        )


def planned(
    world: Any, unit: Unit, principal: Any, start: str = "2014-06-16", end: str = "2014-06-17"
) -> Meeting:
    """A meeting with a plan (not yet submitted)."""
    meeting = meeting_services.meeting_start(actor=principal, campaign=world.campaign, unit=unit)
    return meeting_services.meeting_plan_save(
        actor=principal,
        meeting=meeting,
        version=meeting.version,
        planned_start=datetime.date.fromisoformat(start),
        planned_start_half=HalfDay.AM,
        planned_end=datetime.date.fromisoformat(end),
        planned_end_half=HalfDay.AM,
        location="常委会议室",
        procedure="按[002]五项议程进行。",
    )


def approved_plan(world: Any, unit: Unit, principal: Any) -> Meeting:
    meeting = planned(world, unit, principal)
    meeting = meeting_services.meeting_plan_submit(actor=principal, meeting=meeting, version=meeting.version)
    pass_review(meeting.review)
    meeting.refresh_from_db()
    return meeting


def ready_meeting(world: Any) -> Meeting:
    """县A with talks complete, materials approved and the plan approved: ready to be held."""
    city_office(world)
    unit = world.county_a
    complete_talks(world, unit)
    approve_materials(world, unit)
    return approved_plan(world, unit, world.user("principal"))


def hold(
    meeting: Meeting, actor: Any, start: str = "2014-06-16", end: str = "2014-06-17", end_half: str = "am"
) -> Meeting:
    meeting.refresh_from_db()
    return meeting_services.meeting_hold(
        actor=actor,
        meeting=meeting,
        version=meeting.version,
        held_start=datetime.date.fromisoformat(start),
        held_start_half=HalfDay.AM,
        held_end=datetime.date.fromisoformat(end),
        held_end_half=end_half,
    )

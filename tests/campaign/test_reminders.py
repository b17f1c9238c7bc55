"""Calendar reminders: a stage window ending, a 回头看 限期整改 falling due; to the unit's principal."""

import datetime

import pytest

from campaign import services
from campaign.choices import Stage, Verdict
from campaign.reminders import LookBackOrdersDue, StageWindowsEnding

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T09:00:00").replace(tzinfo=SHANGHAI)


def test_a_unit_in_stage_1_is_reminded_as_its_window_ends(staged):
    county = staged.world.county_a  # 县 level: stage 1 from 03-16 to 05-29 (15 days after 市)
    staged.advance(county)
    principal = staged.world.user("principal")
    due = {d.threshold for d in StageWindowsEnding().due(at("2014-05-27")) if principal.pk in d.recipients}
    assert due == {"due_soon"}
    late = [d for d in StageWindowsEnding().due(at("2014-06-20")) if principal.pk in d.recipients]
    assert [d.threshold for d in late] == ["long_overdue"] and "学习教育" in late[0].title
    assert not [d for d in StageWindowsEnding().due(at("2014-05-01")) if principal.pk in d.recipients]


def test_an_open_rectify_order_is_reminded_and_a_closed_one_is_not(staged):
    county = staged.world.county_a
    state = staged.advance(county)
    order = services.lookback_record(
        actor=staged.world.user("supervisor"),
        unit_stage=state,
        stage=Stage.STUDY,
        verdict=Verdict.RECTIFY,
        findings="征求意见不深入",
        points="补充征求意见",
        due_date=datetime.date(2014, 6, 25),
    )
    due = list(LookBackOrdersDue().due(at("2014-06-23")))
    assert [(d.object_key, d.threshold) for d in due] == [(f"lookback:{order.pk}", "due_soon")]
    services.lookback_close(actor=staged.world.user("supervisor"), lookback=order, note="已补充征求意见")
    assert not list(LookBackOrdersDue().due(at("2014-06-26")))

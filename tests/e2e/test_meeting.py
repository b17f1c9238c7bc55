"""专题民主生活会: the 县委书记 plans the meeting and sends the plan up; registering it as held is
refused while talks, materials and the plan are missing (the message names them), and accepted
once they are done."""

from __future__ import annotations

import pytest

from materials.meeting_choices import MeetingStatus
from materials.meeting_models import Meeting
from tests.e2e.conftest import flash
from tests.materials.stage2 import approve_materials, city_office, complete_talks

pytestmark = pytest.mark.e2e


def fill_hold_form(page) -> None:
    form = page.locator("form[action$='/hold/']")
    form.locator("input[name=held_start]").fill("2014-06-18")
    form.locator("select[name=held_start_half]").select_option("am")
    form.locator("input[name=held_end]").fill("2014-06-19")
    form.locator("select[name=held_end_half]").select_option("am")


def test_meeting_is_refused_then_held(journey, e2e_world):
    world = e2e_world
    city_office(world)
    page = journey.login("principal")
    page.get_by_role("link", name="谈心谈话和生活会").first.click()
    page.wait_for_load_state()
    journey.shot(page, "talks-and-meetings")
    page.get_by_role("link", name="民主生活会").first.click()
    page.wait_for_load_state()
    journey.shot(page, "meeting-start")
    page.get_by_role("button", name="制定会议方案").click()
    page.wait_for_load_state()
    journey.shot(page, "meeting-new")
    page.get_by_role("link", name="编写、报审方案").click()
    page.wait_for_url("**/plan/")
    page.locator("input[name=planned_start]").fill("2014-06-18")
    page.locator("select[name=planned_start_half]").select_option("am")
    page.locator("input[name=planned_end]").fill("2014-06-19")
    page.locator("select[name=planned_end_half]").select_option("am")
    page.locator("input[name=location]").fill("县委常委会议室")
    page.locator("textarea[name=procedure]").fill(
        "按五项议程进行：书记提出要求；书记代表班子对照检查；逐一发言、开展批评；督导组长评价；书记总结。"
    )
    journey.shot(page, "plan-form")
    page.get_by_role("button", name="保存并报督导组审核").click()
    page.wait_for_load_state()
    journey.shot(page, "plan-submitted")
    meeting = Meeting.objects.get(unit=world.county_a)
    assert meeting.review is not None

    # Nothing is ready: the refusal names the talks, the materials and the plan.
    fill_hold_form(page)
    page.get_by_role("button", name="登记召开").click()
    page.wait_for_load_state()
    refusal = flash(page)
    assert "不能登记召开" in refusal, refusal
    for missing in ("谈心谈话", "对照检查材料", "方案"):
        assert missing in refusal, (missing, refusal)
    journey.shot(page, "hold-refused")
    meeting.refresh_from_db()
    assert meeting.held_start is None

    # The plan goes to the 督导组, then the 市委活动办, from their inboxes.
    journey.decide("supervisor", "通过", "方案可行，同意。", "plan-supervisor")
    journey.decide("city_office", "通过", "同意按方案召开。", "plan-city-office")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLAN_APPROVED, meeting.status

    # Still refused: talks and materials are missing; the plan no longer is.
    page.reload()
    fill_hold_form(page)
    page.get_by_role("button", name="登记召开").click()
    page.wait_for_load_state()
    refusal = flash(page)
    assert "谈心谈话" in refusal and "对照检查材料" in refusal and "会议方案" not in refusal, refusal
    journey.shot(page, "hold-refused-again")

    # Talks and materials have journeys and tests of their own: done here through the services.
    complete_talks(world, world.county_a)
    approve_materials(world, world.county_a)

    page.reload()
    journey.shot(page, "meeting-ready")
    fill_hold_form(page)
    page.get_by_role("button", name="登记召开").click()
    page.wait_for_url("**/record/")
    assert "已登记召开" in flash(page)
    journey.shot(page, "meeting-record")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and str(meeting.held_start) == "2014-06-18"

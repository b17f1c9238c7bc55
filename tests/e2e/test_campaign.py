"""An office opens the campaign for its county and moves a unit into the first stage."""

from __future__ import annotations

import pytest

from campaign.models import UnitStage
from tests.e2e.conftest import flash

pytestmark = pytest.mark.e2e


def test_office_opens_the_campaign_and_advances_a_unit(journey, e2e_world):
    world = e2e_world
    page = journey.login("office")
    journey.shot(page, "home")
    page.get_by_role("link", name="环节进度").first.click()
    page.wait_for_url("**/campaign/A00/stages/**")
    journey.shot(page, "stages-before-opening")

    page.get_by_role("button", name="为本单位及下级开启活动").click()
    page.wait_for_load_state()
    assert "均为“未开始”" in flash(page)
    journey.shot(page, "stages-opened")
    opened = UnitStage.objects.filter(unit__path__startswith=world.county_a.path).count()
    assert opened >= 4 and not UnitStage.objects.filter(unit=world.county_b).exists()

    row = page.locator("tr", has=page.get_by_role("link", name="甲镇", exact=True))
    row.get_by_role("button").click()
    page.wait_for_load_state()
    assert "“甲镇”现在是" in flash(page)
    journey.shot(page, "town-advanced")
    state = UnitStage.objects.get(unit=world.town_a)
    assert state.position == 1

    # The move is an event in the unit's history, on the unit page.
    page.get_by_role("link", name="甲镇", exact=True).first.click()
    page.wait_for_load_state()
    assert "甲镇" in page.inner_text("h1")
    journey.shot(page, "town-page")

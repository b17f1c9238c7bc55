"""Fixtures for the calendar, stage states, gates and 回头看.

``staged`` sets the province's calendar on the world (市 from 2014-03-01, 15 days per
level) and opens every participating unit; the clock reads 2014-06-20. A city office
(``office_city``, 测试市委活动办) is added so that two offices reach county A's units.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

import pytest

from campaign import services
from campaign.models import Campaign, UnitStage
from campaign.tabular import read_table
from tests.factories import PersonFactory, login_as, make_org, root_admin, seat
from units.choices import OrgKind
from units.imports import UNIT_COLUMNS, import_units

TODAY = datetime.date(2014, 6, 20)
D = datetime.date

PROVINCE_CALENDAR = {
    "interval_days": 15,
    "stage1_start": D(2014, 3, 1),
    "stage1_end": D(2014, 5, 14),
    "stage2_start": D(2014, 5, 15),
    "stage2_end": D(2014, 6, 15),
    "stage3_start": D(2014, 6, 16),
    "stage3_end": D(2014, 8, 15),
}


@dataclass
class Staged:
    world: Any
    campaign: Campaign
    office_city: Any

    def state(self, unit: Any) -> UnitStage:
        return UnitStage.objects.select_related("unit", "campaign").get(campaign=self.campaign, unit=unit)

    def advance(self, unit: Any, actor: Any = None, times: int = 1) -> UnitStage:
        state = self.state(unit)
        for _ in range(times):
            state = services.unit_stage_advance(
                actor=actor or root_admin(), unit_stage=state, from_position=state.position
            )
        return state


def add_city_office(world: Any) -> Any:
    office = make_org(world.campaign, world.city, OrgKind.OFFICE, "测试市委活动办")
    person = PersonFactory(name="市委干事")
    seat(office, person)
    return login_as(person, "office_city")


@pytest.fixture
def staged(world: Any, settings: Any) -> Staged:
    settings.CAMPAIGN_CLOCK_DATE = TODAY
    admin = root_admin()
    services.calendar_set(actor=admin, campaign=world.campaign, unit=world.province, **PROVINCE_CALENDAR)
    services.campaign_open(actor=admin, campaign=world.campaign, root=world.province)
    return Staged(world=world, campaign=world.campaign, office_city=add_city_office(world))


def add_villages(actor: Any, town_code: str, prefix: str, n: int) -> None:
    """``n`` villages under a township, through the bulk import (a few queries)."""
    lines = ["单位编码,单位名称,单位类型,上级单位编码"]
    lines += [f"{prefix}{i:04d},{prefix}村{i},村,{town_code}" for i in range(n)]
    rows = read_table(io.BytesIO("\n".join(lines).encode()), "村.csv", UNIT_COLUMNS)
    report = import_units(actor=actor, rows=rows, skip_errors=False)
    assert report.created == n, report.rejected[:3]

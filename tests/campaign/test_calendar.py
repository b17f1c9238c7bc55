"""The calendar: a level's windows, the stagger to the levels below, overrides, lateness."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaign import services
from campaign.choices import Stage
from campaign.models import StageCalendar, UnitStage, WindowOverride
from campaign.selectors import unit_stage_overview
from tests.campaign.conftest import PROVINCE_CALENDAR, D
from tests.factories import make_unit, root_admin
from units.choices import UnitKind

pytestmark = pytest.mark.django_db


def windows_of(staged, unit):
    [view] = unit_stage_overview(root_admin(), unit)
    return {w.stage: (w.start, w.end, w.source) for w in view.row.windows}


def shifted(days):
    delta = datetime.timedelta(days=days)
    return {
        Stage.STUDY: (D(2014, 3, 1) + delta, D(2014, 5, 14) + delta, "calendar"),
        Stage.CRITICISM: (D(2014, 5, 15) + delta, D(2014, 6, 15) + delta, "calendar"),
        Stage.RECTIFICATION: (D(2014, 6, 16) + delta, D(2014, 8, 15) + delta, "calendar"),
    }


def test_staggered_windows_across_five_levels(staged):
    w = staged.world
    # 省 sets the calendar; 市 runs it as set, then 15 days per level down to 村.
    assert not UnitStage.objects.filter(unit=w.province).exists()  # the province is not a participant
    assert windows_of(staged, w.city) == shifted(0)
    assert windows_of(staged, w.county_a) == shifted(15)
    assert windows_of(staged, w.town_a) == shifted(30)
    assert windows_of(staged, w.village_a) == shifted(45)
    assert windows_of(staged, w.village_b) == shifted(45)
    # The 四大班子 and 直属单位 of a level follow their level.
    assert windows_of(staged, w.county_a_gov) == shifted(15)
    assert windows_of(staged, w.county_a_dept) == shifted(15)


def test_a_lower_office_calendar_wins_in_its_area_and_a_unit_override_wins_over_both(staged):
    w = staged.world
    services.calendar_set(
        actor=w.user("office"),
        campaign=staged.campaign,
        unit=w.county_a,
        interval_days=10,
        stage1_start=D(2014, 4, 1),
        stage1_end=D(2014, 5, 31),
        stage2_start=D(2014, 6, 1),
        stage2_end=D(2014, 6, 30),
        stage3_start=D(2014, 7, 1),
        stage3_end=D(2014, 8, 31),
    )
    assert windows_of(staged, w.county_a)[Stage.STUDY] == (D(2014, 4, 1), D(2014, 5, 31), "calendar")
    assert windows_of(staged, w.town_a)[Stage.STUDY] == (D(2014, 4, 11), D(2014, 6, 10), "calendar")
    assert windows_of(staged, w.village_a)[Stage.STUDY] == (D(2014, 4, 21), D(2014, 6, 20), "calendar")
    # county B keeps the province's stagger
    assert windows_of(staged, w.town_b) == shifted(30)

    services.window_override_set(
        actor=w.user("office"),
        campaign=staged.campaign,
        unit=w.village_a,
        stage=Stage.CRITICISM,
        start=D(2014, 7, 1),
        end=D(2014, 7, 31),
        reason="村里农忙，推迟半月",
    )
    windows = windows_of(staged, w.village_a)
    assert windows[Stage.CRITICISM] == (D(2014, 7, 1), D(2014, 7, 31), "override")
    assert windows[Stage.STUDY][2] == "calendar"  # only the overridden stage changes
    override = WindowOverride.objects.get(unit=w.village_a)
    assert override.history.first().history_user == w.user("office")


def test_calendar_rules_are_checked_in_chinese(staged):
    w = staged.world
    office = w.user("office")
    base = {**PROVINCE_CALENDAR}
    with pytest.raises(ValidationError, match="活动期间"):
        services.calendar_set(
            actor=office,
            campaign=staged.campaign,
            unit=w.county_a,
            **{**base, "stage1_start": D(2013, 12, 1)},
        )
    with pytest.raises(ValidationError, match="不少于3个月"):
        services.calendar_set(
            actor=office,
            campaign=staged.campaign,
            unit=w.county_a,
            **{**base, "stage3_start": D(2014, 5, 20), "stage3_end": D(2014, 5, 25)},
        )
    with pytest.raises(ValidationError, match="依次开始"):
        services.calendar_set(
            actor=office, campaign=staged.campaign, unit=w.county_a, **{**base, "stage2_start": D(2014, 2, 1)}
        )
    with pytest.raises(PermissionDenied):
        services.calendar_set(actor=w.user("office_b"), campaign=staged.campaign, unit=w.county_a, **base)
    with pytest.raises(PermissionDenied):
        services.calendar_set(actor=w.user("principal"), campaign=staged.campaign, unit=w.county_a, **base)
    assert not StageCalendar.objects.filter(unit=w.county_a).exists()


def test_a_stale_calendar_page_is_refused(staged):
    calendar = StageCalendar.objects.get(unit=staged.world.province)
    services.calendar_set(
        actor=root_admin(),
        campaign=staged.campaign,
        unit=staged.world.province,
        version=calendar.version,
        **{**PROVINCE_CALENDAR, "interval_days": 14},
    )
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.calendar_set(
            actor=root_admin(),
            campaign=staged.campaign,
            unit=staged.world.province,
            version=calendar.version,
            **{**PROVINCE_CALENDAR, "interval_days": 16},
        )
    assert StageCalendar.objects.get(unit=staged.world.province).interval_days == 14


def test_lateness_follows_the_clock_and_the_position(staged, settings):
    w = staged.world
    # On 2014-06-20 the village (stage 1 from 04-15 to 06-28) has not started: late since 04-15.
    [view] = unit_stage_overview(root_admin(), w.village_a)
    assert view.row.late.days == 66 and "应于 2014-04-15 启动" in view.row.late.text
    staged.advance(w.village_a)
    [view] = unit_stage_overview(root_admin(), w.village_a)
    assert not view.row.late
    settings.CAMPAIGN_CLOCK_DATE = D(2014, 7, 1)
    [view] = unit_stage_overview(root_admin(), w.village_a)
    assert view.row.late.days == 3 and "已超过结束日期 3 天" in view.row.late.text
    # The city in stage 2 (ended 06-15) is late; once in stage 3 (to 08-15) it is not.
    staged.advance(w.city, times=2)
    [view] = unit_stage_overview(root_admin(), w.city)
    assert view.row.late.days == 16 and view.row.late.text.startswith("查摆问题、开展批评")
    staged.advance(w.city)
    [view] = unit_stage_overview(root_admin(), w.city)
    assert not view.row.late
    assert [w.state for w in view.row.windows] == ["done", "done", "current"]


def test_new_units_are_opened_by_running_open_again(staged):
    w = staged.world
    new_village = make_unit(w.town_a, UnitKind.VILLAGE, "新村", "A01009")
    assert services.campaign_open(actor=w.user("office"), campaign=staged.campaign, root=w.county_a) == 1
    assert services.campaign_open(actor=w.user("office"), campaign=staged.campaign, root=w.county_a) == 0
    state = UnitStage.objects.get(unit=new_village)
    assert state.events.get().get_action_display() == "纳入活动"
    with pytest.raises(PermissionDenied):
        services.campaign_open(actor=w.user("office_b"), campaign=staged.campaign, root=w.county_a)

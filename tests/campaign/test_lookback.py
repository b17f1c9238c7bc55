"""回头看: who records it, and what each verdict does to the unit's state and calendar."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaign import services
from campaign.choices import LookBackStatus, Stage, StageAction, StageStatus, Verdict
from campaign.models import LookBack, StageEvent, WindowOverride
from campaign.selectors import unit_stage_overview
from tests.campaign.conftest import D
from tests.factories import root_admin

pytestmark = pytest.mark.django_db


def record(staged, unit, verdict, *, stage=Stage.STUDY, due=None, actor=None, points="补课要点"):
    return services.lookback_record(
        actor=actor or staged.world.user("supervisor"),
        unit_stage=staged.state(unit),
        stage=stage,
        verdict=verdict,
        findings="学习教育不深，征求意见不充分。",
        points=points if verdict != Verdict.PASSED else "",
        due_date=due,
    )


def test_passed_changes_nothing_but_is_recorded(staged):
    w = staged.world
    staged.advance(w.county_a, times=2)
    lookback = record(staged, w.county_a, Verdict.PASSED)
    assert lookback.status == LookBackStatus.RECORDED and lookback.group.name == "测试市委第一督导组"
    assert lookback.recorded_by.name == "督导员"
    state = staged.state(w.county_a)
    assert (state.status, state.stage) == (StageStatus.IN_PROGRESS, Stage.CRITICISM)
    event = StageEvent.objects.get(unit=w.county_a, action=StageAction.LOOKBACK)
    assert event.lookback == lookback and "通过" in event.note


def test_rectify_blocks_leaving_the_stage_until_closed(staged):
    w = staged.world
    staged.advance(w.town_a, times=2)  # in stage 2, stage 1 looked back on
    order = record(staged, w.town_a, Verdict.RECTIFY, due=D(2014, 6, 30))
    assert order.status == LookBackStatus.OPEN
    with pytest.raises(ValidationError) as refused:
        staged.advance(w.town_a)
    text = "\n".join(refused.value.messages)
    assert "回头看提出的限期整改均已销号" in text and "有 1 项限期整改未销号（最早期限 2014-06-30）" in text
    assert "回头看" in text and "销号" in text
    assert staged.state(w.town_a).stage == Stage.CRITICISM

    with pytest.raises(ValidationError, match="整改落实情况"):
        services.lookback_close(actor=w.user("supervisor"), lookback=order, note="  ")
    with pytest.raises(PermissionDenied):
        services.lookback_close(actor=w.user("principal"), lookback=order, note="已整改")
    closed = services.lookback_close(actor=w.user("office"), lookback=order, note="已补充征求意见并逐条认领")
    assert closed.status == LookBackStatus.CLOSED and closed.closed_by == w.user("office")
    assert StageEvent.objects.filter(unit=w.town_a, action=StageAction.ORDER_CLOSED).exists()
    assert staged.advance(w.town_a).stage == Stage.RECTIFICATION
    with pytest.raises(ValidationError, match="已于"):
        services.lookback_close(actor=w.user("supervisor"), lookback=order, note="再次")


def test_extend_extends_the_window_and_the_unit_stays(staged):
    w = staged.world
    staged.advance(w.town_a)  # in stage 1 (window 03-31 → 06-13): already late on 06-20
    [before] = unit_stage_overview(root_admin(), w.town_a)
    assert before.row.late.days == 7
    staged.advance(w.village_a)  # stage 1 to 06-28: "extending" it to 06-25 would shorten it
    with pytest.raises(ValidationError, match="现有结束日期 2014-06-28 之后"):
        record(staged, w.village_a, Verdict.EXTEND, due=D(2014, 6, 25))
    record(staged, w.town_a, Verdict.EXTEND, due=D(2014, 7, 10))
    state = staged.state(w.town_a)
    assert (state.status, state.stage) == (StageStatus.IN_PROGRESS, Stage.STUDY)
    override = WindowOverride.objects.get(unit=w.town_a, stage=Stage.STUDY)
    assert (override.start, override.end) == (
        D(2014, 3, 31),
        D(2014, 7, 10),
    ) and "延时补课" in override.reason
    [after] = unit_stage_overview(root_admin(), w.town_a)
    assert not after.row.late
    assert StageEvent.objects.filter(unit=w.town_a, action=StageAction.EXTENDED).count() == 1


def test_redo_restarts_the_stage_and_keeps_what_was_done(staged):
    w = staged.world
    staged.advance(w.county_a, times=2)  # stage 2
    started_on = staged.state(w.county_a).started_on
    record(staged, w.county_a, Verdict.REDO, due=D(2014, 7, 20))
    state = staged.state(w.county_a)
    assert (state.status, state.stage, state.restarts) == (StageStatus.IN_PROGRESS, Stage.STUDY, 1)
    assert state.entered_on == D(2014, 6, 20) and state.started_on == started_on
    override = WindowOverride.objects.get(unit=w.county_a, stage=Stage.STUDY)
    assert (override.start, override.end) == (D(2014, 6, 20), D(2014, 7, 20))
    events = list(StageEvent.objects.filter(unit=w.county_a).values_list("action", "from_stage", "to_stage"))
    assert events[-1] == (StageAction.RESTARTED, 2, 1)
    assert (StageAction.ADVANCED, 1, 2) in events  # the first pass stays in the history
    # It may move on again, from stage 1, by the normal route.
    assert staged.advance(w.county_a).stage == Stage.CRITICISM


def test_redo_of_the_current_stage_restarts_it(staged):
    w = staged.world
    staged.advance(w.county_a)
    record(staged, w.county_a, Verdict.REDO, due=D(2014, 7, 20))
    state = staged.state(w.county_a)
    assert state.stage == Stage.STUDY and state.restarts == 1


def test_only_the_supervision_group_covering_the_unit_records(staged):
    w = staged.world
    staged.advance(w.village_a)
    staged.advance(w.village_b)
    # The group is assigned to county A: its subtree is covered (the village two levels down).
    record(staged, w.village_a, Verdict.PASSED)
    for role in ("office", "principal", "member", "village", "office_b", "outsider", "superuser"):
        with pytest.raises(PermissionDenied, match="督导组成员"):
            record(staged, w.village_a, Verdict.PASSED, actor=w.user(role))
    with pytest.raises(PermissionDenied):
        record(staged, w.village_b, Verdict.PASSED)
    assert LookBack.objects.count() == 1


def test_bad_lookbacks_say_why_and_save_nothing(staged):
    w = staged.world
    with pytest.raises(ValidationError, match="尚未启动"):
        record(staged, w.county_a, Verdict.PASSED)
    staged.advance(w.county_a)
    with pytest.raises(ValidationError, match="还没有进入"):
        record(staged, w.county_a, Verdict.PASSED, stage=Stage.CRITICISM)
    with pytest.raises(ValidationError, match="须写明期限"):
        record(staged, w.county_a, Verdict.RECTIFY)
    with pytest.raises(ValidationError, match="期限应晚于今天"):
        record(staged, w.county_a, Verdict.RECTIFY, due=D(2014, 6, 20))
    with pytest.raises(ValidationError, match="逐条写明"):
        record(staged, w.county_a, Verdict.REDO, due=D(2014, 7, 1), points="")
    assert not LookBack.objects.exists()
    assert not StageEvent.objects.filter(action=StageAction.LOOKBACK).exists()

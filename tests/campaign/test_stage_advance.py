"""Moving a unit through the stages: gates first, office only, every move recorded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count

from campaign import gates, services
from campaign.choices import Stage, StageAction, StageStatus
from campaign.models import StageEvent
from tests.factories import make_post, root_admin
from units.choices import UnitKind
from units.models import Post

pytestmark = pytest.mark.django_db


def posts_at_least(campaign, units, params):
    """A stand-in evaluator with one query: "班子 posts ≥ min" plays "study sessions ≥ N"."""
    counts = dict(
        Post.objects.filter(unit__in=units)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    return {
        u.pk: gates.GateResult(
            counts.get(u.pk, 0) >= params.get("min", 1), f"已记录 {counts.get(u.pk, 0)} 次"
        )
        for u in units
    }


@pytest.fixture
def study_gate(staged):
    services.gate_create(
        actor=root_admin(),
        campaign=staged.campaign,
        stage=Stage.STUDY,
        condition="study_sessions_min",
        params={"min": 2},
    )
    with gates.registered("study_sessions_min", posts_at_least):
        yield


def test_start_then_advance_through_every_stage_with_history(staged):
    w = staged.world
    office = w.user("office")
    state = staged.state(w.town_a)
    assert (state.status, state.stage, state.position) == (StageStatus.NOT_STARTED, None, 0)
    state = services.unit_stage_advance(actor=office, unit_stage=state, from_position=0)
    assert (state.status, state.stage, state.started_on) == (
        StageStatus.IN_PROGRESS,
        Stage.STUDY,
        state.entered_on,
    )
    state = services.unit_stage_advance(actor=office, unit_stage=state, from_position=1, note="学习扎实")
    state = services.unit_stage_advance(actor=office, unit_stage=state, from_position=2)
    assert state.stage == Stage.RECTIFICATION
    state = services.unit_stage_advance(actor=office, unit_stage=state, from_position=3)
    assert state.status == StageStatus.FINISHED and state.stage is None and state.finished_on
    actions = list(
        StageEvent.objects.filter(unit_stage=state).values_list("action", "from_stage", "to_stage")
    )
    assert actions == [
        (StageAction.OPENED, None, None),
        (StageAction.STARTED, None, 1),
        (StageAction.ADVANCED, 1, 2),
        (StageAction.ADVANCED, 2, 3),
        (StageAction.FINISHED, 3, None),
    ]
    assert StageEvent.objects.get(unit_stage=state, from_stage=1).note == "学习扎实"
    assert state.history.count() == 5 and state.history.first().history_user == office
    with pytest.raises(ValidationError, match="已完成全部环节"):
        services.unit_stage_advance(actor=office, unit_stage=state, from_position=4)


def test_unmet_gate_is_refused_naming_the_gate_and_where_to_fix(staged, study_gate):
    w = staged.world
    staged.advance(w.town_a)
    make_post(w.town_a)  # one "session", two needed
    with pytest.raises(ValidationError) as refused:
        services.unit_stage_advance(
            actor=w.user("office"), unit_stage=staged.state(w.town_a), from_position=1
        )
    text = "\n".join(refused.value.messages)
    assert "集中学习、专题讨论不少于 2 次" in text and "已记录 1 次" in text
    assert "“学习教育”的学习记录" in text and "甲镇" in text
    assert staged.state(w.town_a).stage == Stage.STUDY
    assert not StageEvent.objects.filter(unit=w.town_a, action=StageAction.ADVANCED).exists()

    make_post(w.town_a)
    state = services.unit_stage_advance(
        actor=w.user("office"), unit_stage=staged.state(w.town_a), from_position=1
    )
    assert state.stage == Stage.CRITICISM


def test_gate_applies_only_to_its_unit_kinds(staged):
    services.gate_create(
        actor=root_admin(),
        campaign=staged.campaign,
        stage=Stage.STUDY,
        condition="study_sessions_min",
        unit_kinds=[UnitKind.TOWNSHIP],
        params={"min": 5},
    )
    with gates.registered("study_sessions_min", posts_at_least):
        staged.advance(staged.world.village_a, times=2)  # a village: the gate is not for it
        staged.advance(staged.world.town_a)
        with pytest.raises(ValidationError, match="不少于 5 次"):
            staged.advance(staged.world.town_a)


def test_a_condition_without_evaluator_does_not_block_and_says_so(staged):
    services.gate_create(
        actor=root_admin(), campaign=staged.campaign, stage=Stage.STUDY, condition="opinion_groups_claimed"
    )
    with gates.registered("opinion_groups_claimed", None):  # as before stage 1's app registers it
        state = staged.advance(staged.world.town_a)
        checks = gates.evaluate(staged.campaign, [state])[state.unit_id]
        pending = [c for c in checks if c.key == "opinion_groups_claimed"]
        assert pending[0].state == gates.PENDING and "尚未启用" in pending[0].detail
        assert staged.advance(staged.world.town_a).stage == Stage.CRITICISM


def test_only_an_office_over_the_unit_may_advance(staged):
    w = staged.world
    for role in ("office_b", "principal", "member", "supervisor", "village", "outsider"):
        with pytest.raises(PermissionDenied):
            services.unit_stage_advance(
                actor=w.user(role), unit_stage=staged.state(w.village_a), from_position=0
            )
    services.unit_stage_advance(
        actor=staged.office_city, unit_stage=staged.state(w.village_a), from_position=0
    )


def test_a_stale_position_is_refused_and_nothing_moves(staged):
    w = staged.world
    state = staged.state(w.county_a)
    services.unit_stage_advance(actor=w.user("office"), unit_stage=state, from_position=0)
    with pytest.raises(ValidationError, match="已由他人推进") as refused:
        services.unit_stage_advance(actor=staged.office_city, unit_stage=state, from_position=0)
    assert refused.value.code == "stale"
    assert staged.state(w.county_a).stage == Stage.STUDY
    assert StageEvent.objects.filter(unit=w.county_a, action=StageAction.STARTED).count() == 1


def test_leaving_stage_three_needs_the_minimum_duration(staged, settings):
    import datetime

    services.gate_create(
        actor=root_admin(), campaign=staged.campaign, stage=Stage.RECTIFICATION, condition="min_duration"
    )
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 4, 1)
    staged.advance(staged.world.city, times=3)
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 30)
    with pytest.raises(ValidationError, match="须到 2014-07-01 才满 3 个月"):
        staged.advance(staged.world.city)
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 7, 1)
    assert staged.advance(staged.world.city).status == StageStatus.FINISHED

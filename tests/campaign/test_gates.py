"""The gate registry and gates as data: declaring, registering, params, evaluation cost."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.utils import bulk_update_with_history

from campaign import gates, services
from campaign.choices import Stage, StageStatus
from campaign.models import Gate, StageCalendar, UnitStage
from campaign.selectors import gate_checks_for_subtree
from tests.campaign.conftest import TODAY, add_villages
from tests.campaign.test_stage_advance import posts_at_least
from tests.factories import root_admin
from units.choices import UnitKind

pytestmark = pytest.mark.django_db

DECLARED = {
    "study_sessions_min",
    "opinion_groups_claimed",
    "satisfaction_min",
    "materials_approved",
    "talks_complete",
    "democratic_meeting_held",
    "meeting_briefing_held",
    "meeting_report_filed",
    "rectification_items_closed",
    "special_rectification_passed",
    "min_duration",
    "no_open_lookback_order",
}


def test_the_issue_keys_are_declared_and_ours_are_evaluated():
    keys = {c.key: c for c in gates.conditions()}
    assert set(keys) >= DECLARED
    assert keys["no_open_lookback_order"].builtin and keys["no_open_lookback_order"].enabled
    assert keys["min_duration"].enabled
    for key in DECLARED - {"no_open_lookback_order", "min_duration"}:
        assert str(keys[key].label) and str(keys[key].fix_label), key


def test_registering_is_one_call_and_mistakes_are_loud():
    with pytest.raises(ValueError, match="declared twice"):
        gates.declare("talks_complete", label="x", fix_label="y")
    with pytest.raises(KeyError):
        gates.register("no_such_condition", posts_at_least)
    original = gates.get_condition("talks_complete").evaluate
    with gates.registered("talks_complete", None):
        assert not gates.get_condition("talks_complete").enabled
        gates.register("talks_complete", posts_at_least, fix_url_name="units:detail")
        assert gates.get_condition("talks_complete").enabled
        with pytest.raises(ValueError, match="already has an evaluator"):
            gates.register("talks_complete", lambda c, u, p: {})
    assert gates.get_condition("talks_complete").evaluate is original


def test_params_are_checked_with_chinese_messages():
    assert gates.clean_params("study_sessions_min", {}) == {"min": 3}
    assert gates.clean_params("satisfaction_min", {"threshold": "0.8"}) == {
        "threshold": "4/5",
        "survey": "meeting",
    }
    with pytest.raises(ValidationError, match="没有参数：max"):
        gates.clean_params("study_sessions_min", {"max": 3})
    with pytest.raises(ValidationError, match="应为正整数"):
        gates.clean_params("study_sessions_min", {"min": "三"})
    with pytest.raises(ValidationError, match="0 到 1 之间的分数"):
        gates.clean_params("satisfaction_min", {"threshold": "3/2"})
    with pytest.raises(ValidationError, match="JSON 对象"):
        gates.clean_params("study_sessions_min", [3])
    assert gates.condition_label("satisfaction_min", {"threshold": "2/3", "survey": "final"}) == (
        "活动结束时的群众评议满意率不低于 2/3"
    )


def test_gates_are_set_by_the_campaign_office_without_overlaps(staged):
    campaign = staged.campaign
    with pytest.raises(PermissionDenied, match="活动发起单位"):
        services.gate_create(
            actor=staged.world.user("office"), campaign=campaign, stage=1, condition="study_sessions_min"
        )
    gate = services.gate_create(
        actor=root_admin(),
        campaign=campaign,
        stage=Stage.STUDY,
        condition="study_sessions_min",
        unit_kinds=[UnitKind.TOWNSHIP],
        params={"min": 4},
    )
    assert gate.params == {"min": 4} and gate.history.count() == 1
    # another kind, other params: fine; the same kind again: refused
    services.gate_create(
        actor=root_admin(),
        campaign=campaign,
        stage=Stage.STUDY,
        condition="study_sessions_min",
        unit_kinds=[UnitKind.VILLAGE],
        params={"min": 2},
    )
    with pytest.raises(ValidationError, match="已有关卡"):
        services.gate_create(
            actor=root_admin(), campaign=campaign, stage=Stage.STUDY, condition="study_sessions_min"
        )
    with pytest.raises(ValidationError, match="始终适用"):
        services.gate_create(
            actor=root_admin(), campaign=campaign, stage=Stage.STUDY, condition="no_open_lookback_order"
        )
    with pytest.raises(ValidationError, match="没有这些单位类型"):
        services.gate_create(
            actor=root_admin(), campaign=campaign, stage=2, condition="talks_complete", unit_kinds=["planet"]
        )
    retired = services.gate_update(
        actor=root_admin(),
        gate=gate,
        version=gate.version,
        stage=gate.stage,
        condition=gate.condition,
        unit_kinds=gate.unit_kinds,
        params=gate.params,
        is_active=False,
    )
    assert not retired.is_active and Gate.objects.count() == 2


def test_an_evaluator_that_forgets_a_unit_counts_as_unmet_and_fix_links_resolve(staged):
    services.gate_create(actor=root_admin(), campaign=staged.campaign, stage=1, condition="talks_complete")
    state = staged.advance(staged.world.town_a)
    with gates.registered("talks_complete", lambda campaign, units, params: {}):
        [check] = [
            c for c in gates.evaluate(staged.campaign, [state])[state.unit_id] if c.key == "talks_complete"
        ]
    assert check.blocking and check.detail == "没有评估结果"
    assert check.fix_url == f"/talks/unit/{staged.world.town_a.code}/"


def _start_all(campaign, units_under, stage_of):
    """Put every opened unit under a path in progress (test setup, with history)."""
    states = list(UnitStage.objects.filter(campaign=campaign, unit_path__startswith=units_under.path))
    for state in states:
        state.status, state.stage = StageStatus.IN_PROGRESS, stage_of(state)
        state.started_on = state.entered_on = TODAY
    bulk_update_with_history(
        states, UnitStage, ["status", "stage", "started_on", "entered_on"], default_user=root_admin()
    )
    return states


@pytest.mark.parametrize("villages", [10, 1000])
def test_gate_evaluation_for_a_whole_subtree_costs_a_fixed_number_of_queries(
    staged, villages, django_assert_max_num_queries
):
    w = staged.world
    add_villages(w.user("office"), w.town_a.code, "V", villages)
    services.campaign_open(actor=w.user("office"), campaign=staged.campaign, root=w.county_a)
    states = _start_all(staged.campaign, w.county_a, lambda s: Stage.STUDY if s.pk % 2 else Stage.CRITICISM)
    assert len(states) >= villages
    for stage, key in ((Stage.STUDY, "study_sessions_min"), (Stage.CRITICISM, "talks_complete")):
        services.gate_create(actor=root_admin(), campaign=staged.campaign, stage=stage, condition=key)
    services.gate_create(
        actor=root_admin(), campaign=staged.campaign, stage=Stage.STUDY, condition="opinion_groups_claimed"
    )
    # states + their units (1), gates (1), study evaluator (1), talks evaluator (1),
    # open 限期整改 (1); the unregistered condition costs nothing.
    with (
        gates.registered("study_sessions_min", posts_at_least),
        gates.registered("talks_complete", posts_at_least),
        gates.registered("opinion_groups_claimed", None),
        django_assert_max_num_queries(5),
    ):
        checks = gate_checks_for_subtree(staged.campaign, w.county_a)
    assert len(checks) == len(states)
    village = next(s for s in states if s.unit.code == "V0001")
    assert {c.key for c in checks[village.unit_id]} >= {"no_open_lookback_order"}
    assert all(len(c) >= 2 for c in checks.values())


def test_gates_are_edited_in_the_admin_through_the_service(staged, client):
    client.force_login(root_admin())
    url = "/admin/campaign/gate/add/"
    assert client.get(url).status_code == 200
    form = {
        "campaign": staged.campaign.pk,
        "stage": 2,
        "condition": "satisfaction_min",
        "unit_kinds": [UnitKind.COUNTY, UnitKind.CITY],
        "params": '{"threshold": "5/3"}',
        "is_active": "on",
        "note": "",
    }
    page = client.post(url, form).content.decode()
    assert "0 到 1 之间的分数" in page and not Gate.objects.exists()
    response = client.post(url, {**form, "params": '{"threshold": "0.75"}'})
    assert response.status_code == 302
    gate = Gate.objects.get()
    assert gate.params == {"threshold": "3/4", "survey": "meeting"} and gate.unit_kinds == ["city", "county"]
    assert gate.history.get().history_user == root_admin()
    listing = client.get("/admin/campaign/gate/").content.decode()
    assert "满意率不低于 3/4" in listing
    assert (
        client.get(f"/admin/campaign/unitstage/{staged.state(staged.world.town_a).pk}/change/").status_code
        == 200
    )
    assert client.get("/admin/campaign/lookback/add/").status_code == 403


def test_calendars_are_set_in_the_admin_through_the_service(staged, client):
    client.force_login(root_admin())
    response = client.post(
        "/admin/campaign/stagecalendar/add/",
        {
            "unit_code": staged.world.county_b.code,
            "campaign": staged.campaign.pk,
            "interval_days": 12,
            "stage1_start": "2014-03-20",
            "stage1_end": "2014-05-31",
            "stage2_start": "2014-06-01",
            "stage2_end": "2014-06-30",
            "stage3_start": "2014-07-01",
            "stage3_end": "2014-08-31",
            "note": "乙县",
        },
    )
    assert response.status_code == 302
    calendar = StageCalendar.objects.get(unit=staged.world.county_b)
    assert calendar.top_level == 3 and calendar.interval_days == 12

"""Stage 1 plugged into the rest: its gates, and opinions as "四个回应" sources of rectification."""

from fractions import Fraction

import pytest

from rectification import source_registry
from stages import services
from stages.gates import groups_claimed, satisfaction, study_sessions
from tests.factories import root_admin
from tests.stages.conftest import make_group, make_opinion, make_survey, votes

pytestmark = pytest.mark.django_db


def test_opinion_gate_needs_everything_sorted_and_claimed(world):
    town = world.town_a
    assert not groups_claimed(None, [town], {})[town.pk].met  # nothing collected yet
    loose = make_opinion(town, "镇便民服务中心午间没人")
    group = make_group(town, ("路灯不亮", "路灯坏了没人修"))
    result = groups_claimed(None, [town], {})[town.pk]
    assert not result.met and "1条意见尚未归类" in result.detail and "1类意见尚未认领" in result.detail
    services.group_claim(actor=root_admin(), group=group, kind="body")
    single = services.group_create(actor=root_admin(), unit=town, opinions=[loose], title="午间无人值班")
    services.group_claim(actor=root_admin(), group=single, kind="body")
    assert groups_claimed(None, [town], {})[town.pk].met


def test_satisfaction_gate_reads_the_latest_closed_survey(world):
    town = world.town_a
    params = {"survey": "stage1", "threshold": Fraction(2, 3)}
    assert not satisfaction(None, [town], params)[town.pk].met
    survey = make_survey(town)
    services.survey_open(actor=root_admin(), survey=survey)
    votes(survey, survey.targets.get(unit=town), {"满意": 5, "不满意": 4})
    services.survey_close(actor=root_admin(), survey=survey)
    result = satisfaction(None, [town], params)[town.pk]
    assert not result.met and "返工补课" in result.detail  # 5/9 < 2/3


def test_study_gate_counts_sessions(world):
    from tests.stages.test_study import record

    county = world.county_a
    assert not study_sessions(None, [county], {"min": 2})[county.pk].met
    record(world.user("member"), county)
    record(world.user("member"), county)
    result = study_sessions(None, [county], {"min": 2})[county.pk]
    assert result.met and "2 次" in result.detail


def test_opinions_and_groups_are_unanswered_sources_until_linked(world):
    town = world.town_a
    make_opinion(town, "镇便民服务中心午间没人")
    make_group(town, ("路灯不亮", "路灯坏了没人修"))
    counts = source_registry.unanswered_counts([town])[town.pk]
    # the proposal-free group stands (created by the office), its two opinions are not counted again
    assert counts.get("opinion_group") == 1 and counts.get("opinion") == 1

"""Selectors for the gates registry and for rectification's "四个回应": right numbers, fixed queries."""

import datetime
from fractions import Fraction

import pytest

from stages import selectors, services
from stages.choices import ClaimKind, StudyKind, SurveyPurpose
from tests.factories import make_unit, root_admin
from tests.stages.conftest import make_group, make_opinion, make_survey, votes
from units.choices import UnitKind

pytestmark = pytest.mark.django_db


def session(unit, day):
    return services.study_session_create(
        actor=root_admin(), unit=unit, kind=StudyKind.CONCENTRATED, held_on=day, hours=2, topic="学习"
    )


def test_study_session_counts_in_a_window(world, django_assert_num_queries):
    session(world.county_a, datetime.date(2014, 3, 1))
    session(world.county_a, datetime.date(2014, 4, 1))
    session(world.town_a, datetime.date(2014, 4, 2))
    units = [world.county_a, world.town_a, world.village_a]
    with django_assert_num_queries(1):
        counts = selectors.study_session_counts(units)
    assert counts == {world.county_a.pk: 2, world.town_a.pk: 1, world.village_a.pk: 0}
    window = selectors.study_session_counts(
        units, start=datetime.date(2014, 3, 15), end=datetime.date(2014, 4, 1), campaign=world.campaign
    )
    assert window == {world.county_a.pk: 1, world.town_a.pk: 0, world.village_a.pk: 0}


def test_opinion_progress_and_unclaimed_groups(world, django_assert_num_queries):
    make_opinion(world.county_a, "待梳理的意见")
    make_group(world.county_a, ["一"], "待认领")
    claimed = make_group(world.county_a, ["二", "三"], "已认领")
    services.group_claim(actor=root_admin(), group=claimed, kind=ClaimKind.BODY)
    make_group(world.town_a, ["四"], "镇里待认领")
    units = [world.county_a, world.town_a, world.village_a]
    with django_assert_num_queries(1):
        unclaimed = selectors.unclaimed_group_counts(units)
    assert unclaimed == {world.county_a.pk: 1, world.town_a.pk: 1, world.village_a.pk: 0}
    with django_assert_num_queries(1):
        progress = selectors.opinion_progress(units)
    county = progress[world.county_a.pk]
    assert (county.opinions, county.unsorted, county.unclaimed_groups, county.unanswered_groups) == (
        4,
        1,
        1,
        1,
    )
    assert progress[world.village_a.pk] == selectors.OpinionProgress()


def test_latest_satisfaction_per_unit_and_purpose(world, django_assert_num_queries):
    first = services.survey_open(
        actor=root_admin(), survey=make_survey(world.county_a, [world.town_a, world.county_a_dept])
    )
    targets = {t.unit_id: t for t in first.targets.all()}
    votes(first, targets[world.town_a.pk], {"满意": 1, "不满意": 2})
    votes(first, targets[world.county_a_dept.pk], {"满意": 2, "不满意": 1})
    services.survey_close(actor=root_admin(), survey=first)
    # A later survey of the same purpose: the township now passes, but its 返工补课 is still open.
    second = services.survey_open(
        actor=root_admin(), survey=make_survey(world.county_a, [world.town_a], title="补课后")
    )
    votes(second, second.targets.get(), {"满意": 3})
    services.survey_close(actor=root_admin(), survey=second)
    meeting = services.survey_open(
        actor=root_admin(),
        survey=make_survey(world.county_a, [world.town_a], purpose=SurveyPurpose.MEETING, title="评议"),
    )
    votes(meeting, meeting.targets.get(), {"满意": 1})
    services.survey_close(actor=root_admin(), survey=meeting)

    units = [world.town_a, world.county_a_dept, world.village_a]
    with django_assert_num_queries(1):
        latest = selectors.latest_satisfaction(units)
    town = latest[world.town_a.pk]
    assert set(town) == {SurveyPurpose.STAGE_ONE, SurveyPurpose.MEETING}
    stage = town[SurveyPurpose.STAGE_ONE]
    assert stage.survey_id == second.pk and stage.rate == Fraction(1) and not stage.below_threshold
    assert stage.open_remediation and stage.remediation_id is None
    dept = latest[world.county_a_dept.pk][SurveyPurpose.STAGE_ONE]
    assert dept.rate == Fraction(2, 3) and not dept.below_threshold and not dept.open_remediation
    assert world.village_a.pk not in latest
    only_meeting = selectors.latest_satisfaction(units, purposes=[SurveyPurpose.MEETING])
    assert set(only_meeting[world.town_a.pk]) == {SurveyPurpose.MEETING}


def test_gate_selectors_cost_the_same_for_many_units(world, django_assert_num_queries):
    units = [make_unit(world.county_a, UnitKind.TOWNSHIP) for _ in range(30)]
    for unit in units[:10]:
        make_opinion(unit, "意见")
        session(unit, datetime.date(2014, 4, 1))
    with django_assert_num_queries(1):
        selectors.study_session_counts(units)
    with django_assert_num_queries(1):
        selectors.opinion_progress(units)
    with django_assert_num_queries(1):
        selectors.latest_satisfaction(units)


def test_what_still_needs_an_answer(world):
    loose = make_opinion(world.county_a, "待梳理")
    open_group = make_group(world.county_a, ["一", "二"], "待认领")
    done = make_group(world.county_a, ["三"], "已反馈")
    services.group_claim(actor=root_admin(), group=done, kind=ClaimKind.BODY)
    services.group_answer(actor=root_admin(), group=done, answer="答复")
    services.group_publish(actor=root_admin(), group=done)
    make_group(world.town_a, ["别的单位"])
    groups = list(selectors.groups_needing_answer(world.county_a))
    assert groups == [open_group] and groups[0].opinion_count == 2
    opinions = set(selectors.opinions_needing_answer(world.county_a, campaign=world.campaign))
    assert opinions == {loose, *open_group.opinions.all()}
    # The stable link target: a merged group points to its successor.
    other = make_group(world.county_a, ["四"])
    services.group_merge(actor=root_admin(), target=open_group, groups=[other])
    other.refresh_from_db()
    assert other.merged_into_id == open_group.pk
    assert other.get_absolute_url() == f"/opinions/groups/{other.pk}/"

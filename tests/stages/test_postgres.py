"""Races only a real PostgreSQL shows: one-time codes used twice at once, two sorting runs at once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from stages import services
from stages.choices import SurveyMode
from stages.models import Opinion, OpinionGroup, SurveyResponse, SurveyToken
from tests.conftest import build_world
from tests.factories import root_admin
from tests.stages.conftest import make_opinion, make_survey
from tests.stages.grouping_corpus import CORPUS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(count, work):
    barrier = threading.Barrier(count)
    outcomes = []

    def run(i):
        try:
            barrier.wait(timeout=10)
            outcomes.append(("ok", work(i)))
        except ValidationError as exc:
            outcomes.append(("refused", exc.messages[0]))
        except Exception as exc:  # pragma: no cover - reported by the assertion
            outcomes.append(("error", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def answers(survey):
    target = survey.targets.get()
    return {target.pk: {q.pk: q.options.first().pk for q in survey.questions.prefetch_related("options")}}


def test_a_one_time_code_submitted_twice_at_once_counts_once():
    world = build_world()
    survey = services.survey_open(actor=root_admin(), survey=make_survey(world.county_a, [world.town_a]))
    (token,) = services.survey_tokens_issue(actor=root_admin(), survey=survey, respondents=["甲"])
    given = answers(survey)
    outcomes = race(6, lambda i: services.survey_respond(survey=survey, answers=given, token=token.token))
    assert sorted(kind for kind, _ in outcomes) == ["ok"] + ["refused"] * 5, outcomes
    assert SurveyResponse.objects.count() == 1


def test_one_browser_submitting_twice_at_once_counts_once():
    world = build_world()
    survey = services.survey_open(
        actor=root_admin(), survey=make_survey(world.county_a, [world.town_a], mode=SurveyMode.PUBLIC)
    )
    given = answers(survey)
    outcomes = race(6, lambda i: services.survey_respond(survey=survey, answers=given, browser_id="b" * 32))
    assert [kind for kind, _ in outcomes].count("ok") == 1, outcomes
    assert {kind for kind, _ in outcomes} == {"ok", "refused"}
    assert SurveyToken.objects.count() == 1 and SurveyResponse.objects.count() == 1


def test_two_sorting_runs_at_once_never_put_an_opinion_in_two_groups():
    world = build_world()
    for label, text in CORPUS:
        if label in ("gongche", "dibao", "huiyi", "chihe"):
            make_opinion(world.county_a, text)
    outcomes = race(3, lambda i: len(services.opinion_grouping_run(actor=root_admin(), unit=world.county_a)))
    made = sorted(n for kind, n in outcomes if kind == "ok")
    assert len(made) == 3 and made[0] == made[1] == 0 and made[2] > 0, outcomes
    grouped = Opinion.objects.filter(group__isnull=False)
    assert grouped.count() == sum(g.opinions.count() for g in OpinionGroup.objects.all())

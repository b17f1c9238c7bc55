"""情况通报会 ↔ 满意度测评: the 群众评议 of a 通报会 runs on the survey engine (purpose MEETING)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaign import clock
from materials import meeting_selectors as ms
from materials import meeting_services as svc
from materials.meeting_choices import BriefingStatus
from stages import services as engine
from stages.choices import RemediationStatus, SurveyMode, SurveyPurpose, SurveyStatus
from stages.gates import satisfaction
from stages.models import Remediation
from tests.factories import root_admin
from tests.materials.stage2 import DAY, hold, ready_meeting
from tests.stages.conftest import make_survey, votes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(settings):
    settings.CAMPAIGN_CLOCK_DATE = DAY


@pytest.fixture
def briefing(world):
    held = hold(ready_meeting(world), world.user("principal"))
    return svc.briefing_record(
        actor=world.user("principal"), meeting=held, held_on=datetime.date(2014, 6, 18), content="通报情况"
    )


def open_survey(world, briefing):
    survey = svc.briefing_survey_create(
        actor=world.user("office"),
        briefing=briefing,
        version=briefing.version,
        mode=SurveyMode.RESPONDENTS,
        opens_at=clock.now() - datetime.timedelta(hours=1),
        closes_at=clock.now() + datetime.timedelta(days=2),
    )
    return engine.survey_open(actor=world.user("office"), survey=survey)


def test_office_creates_the_meeting_survey_of_the_body(world, briefing):
    survey = open_survey(world, briefing)
    briefing.refresh_from_db()
    assert briefing.survey == survey and briefing.status == BriefingStatus.HELD
    assert survey.purpose == SurveyPurpose.MEETING and survey.unit == world.county_a
    assert [t.unit for t in survey.targets.all()] == [world.county_a]
    # Hand entry is refused while the survey decides.
    with pytest.raises(ValidationError, match="自动汇总"):
        svc.briefing_record_result(
            actor=world.user("principal"),
            briefing=briefing,
            version=briefing.version,
            respondents=9,
            satisfied=9,
        )
    # One survey per briefing.
    with pytest.raises(ValidationError, match="已关联"):
        open_survey(world, briefing)


@pytest.mark.parametrize("role", ["principal", "member", "supervisor", "village", "outsider"])
def test_only_the_office_of_the_unit_runs_it(world, briefing, role):
    with pytest.raises(PermissionDenied):
        svc.briefing_survey_create(
            actor=world.user(role),
            briefing=briefing,
            version=briefing.version,
            mode=SurveyMode.RESPONDENTS,
            opens_at=clock.now(),
            closes_at=clock.now() + datetime.timedelta(days=2),
        )


def test_below_two_thirds_the_engine_sends_it_back(world, briefing):
    survey = open_survey(world, briefing)
    votes(survey, survey.targets.get(), {"满意": 1, "基本满意": 1, "不满意": 2})
    engine.survey_close(actor=world.user("office"), survey=survey)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.REWORK and (briefing.satisfied, briefing.respondents) == (2, 4)
    remediation = Remediation.objects.get(survey=survey)
    assert remediation.unit == world.county_a and remediation.status == RemediationStatus.OPEN
    assert ms.briefing_done([world.county_a]) == {world.county_a.pk: False}
    gate = satisfaction(
        world.campaign, [world.county_a], {"survey": "meeting", "threshold": engine.Fraction(2, 3)}
    )
    assert not gate[world.county_a.pk].met


def test_at_two_thirds_the_briefing_passes_and_the_gates_read_it(world, briefing):
    survey = open_survey(world, briefing)
    votes(survey, survey.targets.get(), {"满意": 1, "基本满意": 1, "不满意": 1})
    engine.survey_close(actor=world.user("office"), survey=survey)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.PASSED and (briefing.satisfied, briefing.respondents) == (2, 3)
    assert not Remediation.objects.exists()
    assert ms.briefing_done([world.county_a]) == {world.county_a.pk: True}
    gate = satisfaction(
        world.campaign, [world.county_a], {"survey": "meeting", "threshold": engine.Fraction(2, 3)}
    )
    assert gate[world.county_a.pk].met


def test_linking_an_existing_survey(world, briefing):
    WINDOW = {
        "opens_at": clock.now() - datetime.timedelta(hours=1),
        "closes_at": clock.now() + datetime.timedelta(days=1),
    }
    poll = make_survey(world.county_a, purpose=SurveyPurpose.POLL, title="民意调查", **WINDOW)
    actor = world.user("office")
    with pytest.raises(ValidationError, match="群众评议"):
        svc.briefing_survey_link(actor=actor, briefing=briefing, version=briefing.version, survey=poll)
    other = make_survey(world.county_b, purpose=SurveyPurpose.MEETING, title="乙县群众评议", **WINDOW)
    with pytest.raises((ValidationError, PermissionDenied)):
        svc.briefing_survey_link(actor=actor, briefing=briefing, version=briefing.version, survey=other)
    done = make_survey(world.county_a, purpose=SurveyPurpose.MEETING, title="甲县群众评议", **WINDOW)
    done = engine.survey_open(actor=root_admin(), survey=done)
    votes(done, done.targets.get(), {"满意": 3})
    engine.survey_close(actor=root_admin(), survey=done)
    assert ms.briefing_survey_candidates(actor, world.county_a) == [done]
    svc.briefing_survey_link(actor=actor, briefing=briefing, version=briefing.version, survey=done)
    briefing.refresh_from_db()
    assert briefing.survey == done and briefing.status == BriefingStatus.PASSED and briefing.respondents == 3
    assert ms.briefing_survey_candidates(actor, world.county_a) == []


def test_briefing_page_creates_and_shows_the_survey(world, briefing, as_user):
    page = as_user("office").get(f"/meetings/{briefing.meeting_id}/").content.decode()
    assert "建立群众评议测评" in page
    assert (
        "建立群众评议测评" not in as_user("member").get(f"/meetings/{briefing.meeting_id}/").content.decode()
    )
    client = as_user("office")
    response = client.post(
        f"/meetings/briefings/{briefing.pk}/survey/",
        {
            "version": briefing.version,
            "mode": "respondents",
            "opens_at": "2014-06-20T08:00",
            "closes_at": "2014-06-22T18:00",
        },
    )
    briefing.refresh_from_db()
    assert briefing.survey is not None and response.status_code == 302
    assert response["Location"] == briefing.survey.get_absolute_url()
    page = client.get(f"/meetings/{briefing.meeting_id}/").content.decode()
    assert briefing.survey.title in page and "测评结束时结果自动汇总" in page
    assert (
        as_user("member")
        .post(
            f"/meetings/briefings/{briefing.pk}/survey/",
            {
                "version": briefing.version,
                "mode": "respondents",
                "opens_at": "2014-06-20T08:00",
                "closes_at": "2014-06-22T18:00",
            },
        )
        .status_code
        == 403
    )
    assert as_user("village").post(f"/meetings/briefings/{briefing.pk}/survey/", {}).status_code == 404


def test_briefing_api_links_and_reports_the_survey(world, briefing, as_user):
    client = as_user("office")
    bad = client.post(
        f"/api/briefings/{briefing.pk}/survey/",
        {"version": briefing.version},
        content_type="application/json",
    )
    assert bad.status_code == 400
    response = client.post(
        f"/api/briefings/{briefing.pk}/survey/",
        {
            "version": briefing.version,
            "opens_at": "2014-06-20T08:00:00+08:00",
            "closes_at": "2014-06-22T18:00:00+08:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["survey"] and body["survey_status"] == SurveyStatus.DRAFT

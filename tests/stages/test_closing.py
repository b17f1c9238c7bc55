"""Closing evaluations end to end through the pages: the 民主评议 of the 班子 at the end of the
campaign and the cross-unit 民意调查 with its ranking; under 2/3 → 返工补课 [002][003]."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from stages import services
from stages.choices import RemediationStatus, SurveyPurpose, SurveyStatus
from stages.gates import satisfaction
from stages.models import Remediation, Survey, SurveyResult
from tests.stages.conftest import vote

pytestmark = pytest.mark.django_db


def add(client, code, **fields):
    data = {
        "title": "测评",
        "mode": "respondents",
        "opens_at": "2014-04-14T09:00",
        "closes_at": "2014-04-20T18:00",
        "threshold": "2/3",
        "questions": "",
        "options": "满意、基本满意、不满意",
        "satisfied": "满意、基本满意",
    }
    data.update(fields)
    return client.post(f"/surveys/units/{code}/add/", data)


def cast(client, survey, target_unit, labels):
    """Slips handed out on the survey's tokens page, then each filled in on its one-time link."""
    before = set(survey.tokens.values_list("pk", flat=True))
    client.post(f"/surveys/{survey.pk}/tokens/", {"count": len(labels), "category": "群众代表"})
    tokens = survey.tokens.exclude(pk__in=before).order_by("pk")
    target = survey.targets.get(unit=target_unit)
    for token, label in zip(tokens, labels, strict=True):
        vote(survey, {target.pk: label}, token=token.token)


def test_poll_across_the_units_of_the_subtree_is_ranked(world, as_user):
    office = as_user("office")
    response = add(
        office,
        world.county_a.code,
        title="民意调查",
        purpose=SurveyPurpose.POLL,
        targets="A01",
        with_children="on",
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    survey = Survey.objects.get(title="民意调查")
    # The typed unit first, then every unit one level down (its 班子), in tree order.
    assert [t.unit.code for t in survey.targets.order_by("sort_order")] == ["A01", "A00-ZF", "A00-JYJ"]
    office.post(f"/surveys/{survey.pk}/open/", {"version": survey.version})
    survey.refresh_from_db()
    cast(office, survey, world.town_a, ["满意", "满意", "不满意"])  # 2/3
    cast(office, survey, world.county_a_gov, ["满意", "基本满意", "满意", "满意"])  # 4/4
    cast(office, survey, world.county_a_dept, ["满意", "不满意", "不满意"])  # 1/3
    office.post(f"/surveys/{survey.pk}/close/", {"version": survey.version})
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    ranks = dict(SurveyResult.objects.filter(survey=survey).values_list("unit__code", "rank"))
    assert ranks == {"A00-ZF": 1, "A01": 2, "A00-JYJ": 3}
    # Exactly 2/3 is not below; 1/3 is, and only that 班子 goes back to 返工补课.
    remediation = Remediation.objects.get(survey=survey)
    assert remediation.unit == world.county_a_dept and remediation.status == RemediationStatus.OPEN
    page = office.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert page.index("甲县人民政府") < page.index("甲镇") < page.index("甲县教育局")
    rows = list(
        load_workbook(io.BytesIO(office.get(f"/surveys/{survey.pk}/export/").content)).active.iter_rows(
            values_only=True
        )
    )
    assert [row[:2] for row in rows[1:4]] == [(1, "A00-ZF"), (2, "A01"), (3, "A00-JYJ")]
    # Outside the subtree: not even visible.
    assert as_user("outsider").get(f"/surveys/{survey.pk}/results/").status_code == 404


def test_final_evaluation_under_two_thirds_means_rework_until_a_new_one_passes(world, as_user, settings):
    office = as_user("office")
    add(office, world.county_a.code, title="民主评议", purpose=SurveyPurpose.FINAL, targets="A00")
    survey = Survey.objects.get(title="民主评议")
    assert survey.purpose == SurveyPurpose.FINAL and [t.unit for t in survey.targets.all()] == [
        world.county_a
    ]
    office.post(f"/surveys/{survey.pk}/open/", {"version": survey.version})
    cast(office, survey, world.county_a, ["满意", "不满意", "不满意"])
    office.post(f"/surveys/{survey.pk}/close/", {"version": 2})
    remediation = Remediation.objects.get(survey=survey)
    params = {"survey": "final", "threshold": Fraction(2, 3)}
    gate = satisfaction(world.campaign, [world.county_a], params)[world.county_a.pk]
    assert not gate.met and "返工补课" in gate.detail
    # The office records what was redone and closes the 返工补课 through its page.
    url = f"/remediations/{remediation.pk}/"
    assert as_user("principal").post(url, {"version": 1, "work_done": "x"}).status_code == 403
    office = as_user("office")  # one test client: log the office back in
    office.post(
        url, {"version": remediation.version, "work_done": "重新召开专题会议，逐条整改。", "close": "1"}
    )
    remediation.refresh_from_db()
    assert remediation.status == RemediationStatus.CLOSED
    # Still the latest 民主评议 is under 2/3: the gate waits for a new one that passes.
    assert not satisfaction(world.campaign, [world.county_a], params)[world.county_a.pk].met
    add(
        office,
        world.county_a.code,
        title="再次民主评议",
        purpose=SurveyPurpose.FINAL,
        targets="A00",
    )
    again = Survey.objects.get(title="再次民主评议")
    services.survey_open(actor=world.user("office"), survey=again)
    cast(office, again, world.county_a, ["满意", "基本满意", "不满意"])
    office.post(f"/surveys/{again.pk}/close/", {"version": 2})
    assert satisfaction(world.campaign, [world.county_a], params)[world.county_a.pk].met


def test_only_an_office_over_the_targets_sets_them_up(world, as_user):
    bad = add(as_user("office"), world.county_a.code, title="越权", purpose=SurveyPurpose.POLL, targets="B00")
    assert bad.status_code == 200 and "测评对象必须是" in bad.content.decode()
    assert (
        add(as_user("principal"), world.county_a.code, purpose=SurveyPurpose.FINAL, targets="A00").status_code
        == 403
    )
    assert (
        add(as_user("outsider"), world.county_a.code, purpose=SurveyPurpose.FINAL, targets="A00").status_code
        == 404
    )
    assert not Survey.objects.exists()
    # The item rating purpose is not one an office chooses by hand.
    assert (
        add(as_user("office"), world.county_a.code, purpose=SurveyPurpose.ITEM, targets="A00").status_code
        == 200
    )
    assert not Survey.objects.exists()

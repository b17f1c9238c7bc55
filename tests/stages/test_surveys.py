"""The satisfaction survey engine: exact rates, the 2/3 threshold, 返工补课, tokens, windows, rankings."""

import datetime
import io
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from stages import selectors, services
from stages.choices import RemediationStatus, SurveyMode, SurveyPurpose, SurveyStatus
from stages.models import Remediation, SurveyResult, SurveyToken
from tests.factories import root_admin
from tests.stages.conftest import DAY, at, make_survey, vote, votes

pytestmark = pytest.mark.django_db


def opened(survey):
    return services.survey_open(actor=root_admin(), survey=survey)


def closed(survey):
    return services.survey_close(actor=root_admin(), survey=survey)


def result_of(survey, unit):
    return SurveyResult.objects.get(survey=survey, unit=unit)


def test_rate_is_satisfied_plus_basic_over_responses_exactly(world):
    unit = world.town_a
    survey = opened(make_survey(world.county_a, [unit]))
    target = survey.targets.get()
    votes(survey, target, {"满意": 4, "基本满意": 3, "不满意": 2})
    survey = closed(survey)
    result = result_of(survey, unit)
    assert result.rate == Fraction(7, 9)
    assert (result.responses, result.satisfied, result.answered) == (9, 7, 9)
    assert result.option_counts == {"满意": 4, "基本满意": 3, "不满意": 2}
    assert not result.below_threshold
    assert not Remediation.objects.exists()


def test_exactly_two_thirds_is_not_below_and_one_vote_less_is(world):
    """6/9 = 2/3 exactly passes (a float 0.666… compared to 2/3 could go either way); 5/8 fails."""
    at_threshold = opened(make_survey(world.county_a, [world.town_a], title="恰好三分之二"))
    votes(at_threshold, at_threshold.targets.get(), {"满意": 2, "基本满意": 4, "不满意": 3})
    below = opened(make_survey(world.county_a, [world.county_a_dept], title="差一点"))
    votes(below, below.targets.get(), {"满意": 5, "不满意": 3})
    closed(at_threshold)
    closed(below)
    exact = result_of(at_threshold, world.town_a)
    assert exact.rate == Fraction(2, 3) and exact.below_threshold is False
    failed = result_of(below, world.county_a_dept)
    assert failed.rate == Fraction(5, 8) and failed.below_threshold is True
    remediation = Remediation.objects.get()
    assert remediation.unit == world.county_a_dept and remediation.status == RemediationStatus.OPEN
    assert "62.5%" in remediation.reason and "5/8" in remediation.reason and "2/3" in remediation.reason


def test_rates_that_floats_get_wrong(world):
    # 200/300 is 2/3 exactly; 0.1 + 0.2-style float error must not flip it.
    survey = opened(make_survey(world.county_a, [world.town_a]))
    target = survey.targets.get()
    votes(survey, target, {"满意": 100, "基本满意": 100, "不满意": 100})
    result = result_of(closed(survey), world.town_a)
    assert result.rate == Fraction(2, 3) and not result.below_threshold


def test_threshold_is_configurable_per_survey(world):
    survey = opened(make_survey(world.county_a, [world.town_a], threshold=Fraction(4, 5)))
    votes(survey, survey.targets.get(), {"满意": 3, "不满意": 1})
    result = result_of(closed(survey), world.town_a)
    assert result.rate == Fraction(3, 4) and result.below_threshold
    with pytest.raises(ValidationError):
        make_survey(world.county_a, [world.town_a], threshold=Fraction(3, 2))


def test_only_counted_questions_and_satisfied_options_make_the_rate(world):
    questions = [
        services.QuestionSpec("学习教育情况", services.DEFAULT_OPTIONS, counts=False),
        services.QuestionSpec("总体评价", (("好", True), ("较好", True), ("一般", False), ("差", False))),
    ]
    survey = opened(make_survey(world.county_a, [world.town_a], questions=questions))
    target = survey.targets.get()
    q_info, q_overall = survey.questions.order_by("sort_order")
    options = {o.label: o.pk for q in (q_info, q_overall) for o in q.options.all() if True}
    tokens = services.survey_tokens_issue(actor=root_admin(), survey=survey, respondents=["甲", "乙", "丙"])
    picks = [("满意", "好"), ("满意", "一般"), ("不满意", "较好")]
    for token, (info, overall) in zip(tokens, picks, strict=True):
        answers = {target.pk: {q_info.pk: options[info], q_overall.pk: options[overall]}}
        services.survey_respond(survey=survey, answers=answers, token=token.token)
    result = result_of(closed(survey), world.town_a)
    assert result.rate == Fraction(2, 3) and result.option_counts == {"好": 1, "一般": 1, "较好": 1}


def test_ranking_across_units_with_ties(world):
    units = [world.town_a, world.county_a_dept, world.county_a_gov, world.village_a]
    survey = opened(
        make_survey(
            world.county_a, units, purpose=SurveyPurpose.POLL, title="民意调查", mode=SurveyMode.RESPONDENTS
        )
    )
    targets = {t.unit_id: t for t in survey.targets.all()}
    votes(survey, targets[world.town_a.pk], {"满意": 3, "不满意": 1})  # 3/4
    votes(survey, targets[world.county_a_dept.pk], {"满意": 9, "不满意": 1})  # 9/10
    votes(survey, targets[world.county_a_gov.pk], {"基本满意": 6, "不满意": 2})  # 3/4, tie
    survey = closed(survey)  # village: no answers, not ranked
    ranks = {r.unit_id: r.rank for r in SurveyResult.objects.filter(survey=survey)}
    assert ranks == {
        world.county_a_dept.pk: 1,
        world.town_a.pk: 2,
        world.county_a_gov.pk: 2,
        world.village_a.pk: None,
    }
    assert not Remediation.objects.exists()


def test_export_results_and_ranking(world, as_user):
    survey = opened(make_survey(world.county_a, [world.town_a, world.county_a_dept]))
    targets = {t.unit_id: t for t in survey.targets.all()}
    votes(survey, targets[world.town_a.pk], {"满意": 1, "不满意": 2})
    votes(survey, targets[world.county_a_dept.pk], {"满意": 2})
    closed(survey)
    response = as_user("office").get(f"/surveys/{survey.pk}/export/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("排名", "单位编码", "测评对象", "有效答卷")
    assert rows[1][1:3] == ("A00-JYJ", "甲县教育局") and rows[1][0] == 1
    assert rows[2][2] == "甲镇" and "1/3" in rows[2] and "是（返工补课）" in rows[2]
    # The village secretary reaches neither target: the survey is not even visible to him.
    assert as_user("village").get(f"/surveys/{survey.pk}/export/").status_code == 404


def test_results_show_only_the_targets_in_the_users_scope(world, as_user):
    survey = opened(make_survey(world.county_a, [world.town_a, world.village_a]))
    village_user = world.user("village")
    rows = selectors.survey_results(village_user, selectors.survey_get_visible(village_user, survey.pk))
    assert [r.target.unit_id for r in rows] == [world.village_a.pk]
    page = as_user("village").get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "甲村" in page and "甲镇" not in page


def test_tokens_are_one_time(world):
    survey = opened(make_survey(world.county_a, [world.town_a]))
    (token,) = services.survey_tokens_issue(actor=root_admin(), survey=survey, respondents=["服务对象"])
    target = survey.targets.get()
    vote(survey, {target.pk: "满意"}, token=token.token)
    with pytest.raises(ValidationError, match="只能使用一次"):
        vote(survey, {target.pk: "不满意"}, token=token.token)
    with pytest.raises(ValidationError, match="评议码无效"):
        vote(survey, {target.pk: "满意"}, token="no-such-token")
    assert survey.responses.count() == 1


def test_every_question_must_be_answered_and_at_least_one_target(world):
    survey = opened(make_survey(world.county_a, [world.town_a]))
    (token,) = services.survey_tokens_issue(actor=root_admin(), survey=survey, respondents=["甲"])
    target = survey.targets.get()
    first = survey.questions.order_by("sort_order").first()
    option = first.options.first()
    with pytest.raises(ValidationError, match="每一个测评项目"):
        services.survey_respond(survey=survey, answers={target.pk: {first.pk: option.pk}}, token=token.token)
    with pytest.raises(ValidationError, match="至少对一个测评对象"):
        services.survey_respond(survey=survey, answers={target.pk: {}}, token=token.token)
    token.refresh_from_db()
    assert token.used_at is None  # a refused submission uses nothing up


def test_answers_only_inside_the_window(world, settings):
    survey = make_survey(world.county_a, [world.town_a])
    (token,) = services.survey_tokens_issue(actor=root_admin(), survey=survey, respondents=["甲"])
    target = survey.targets.get()
    with pytest.raises(ValidationError, match="开放时间"):
        vote(survey, {target.pk: "满意"}, token=token.token)  # still a draft
    survey = opened(survey)
    settings.CAMPAIGN_CLOCK_DATE = DAY + datetime.timedelta(days=10)
    with pytest.raises(ValidationError, match="开放时间"):
        vote(survey, {target.pk: "满意"}, token=token.token)
    settings.CAMPAIGN_CLOCK_DATE = DAY
    vote(survey, {target.pk: "满意"}, token=token.token)
    closed(survey)
    with pytest.raises(ValidationError, match="开放时间"):
        vote(survey, {target.pk: "满意"}, token="anything")


def test_public_link_one_response_per_browser(world, client, settings):
    survey = opened(make_survey(world.county_a, [world.town_a], mode=SurveyMode.PUBLIC))
    url = f"/public/surveys/{survey.public_key}/"
    page = client.get(url)
    assert page.status_code == 200 and "stages_bid" in page.cookies
    target = survey.targets.get()
    answers = {f"a-{target.pk}-{q.pk}": q.options.first().pk for q in survey.questions.all()}
    assert client.post(url, answers).status_code == 200
    again = client.post(url, answers)
    assert again.status_code == 400 and "每人只能提交一次" in again.content.decode()
    assert SurveyToken.objects.filter(survey=survey, is_public=True).count() == 1
    # Another browser answers once too; a browser refusing cookies gets a clear message.
    other = type(client)()
    other.get(url)
    assert other.post(url, answers).status_code == 200
    cookieless = type(client)()
    refused = cookieless.post(url, answers)
    assert refused.status_code == 400 and "Cookie" in refused.content.decode()
    assert survey.responses.count() == 2


def test_public_survey_pages_never_break_on_garbage(world, client, settings):
    survey = opened(make_survey(world.county_a, [world.town_a], mode=SurveyMode.PUBLIC))
    url = f"/public/surveys/{survey.public_key}/"
    client.get(url)
    for data in ({}, {"a-x-y": "z"}, {"a-1-2-3": "4"}, {"a-999999-1": "1"}, {"a-1-1": "9" * 40}):
        assert client.post(url, data).status_code == 400
    assert client.get("/public/surveys/not-a-key/").status_code == 404
    assert client.get("/public/surveys/r/not-a-token/").status_code == 404
    settings.STAGES_RATE_LIMITS = {"survey_ip": (1, 600)}
    client.post(url, {})
    assert client.post(url, {}).status_code == 429


def test_respondent_link_page_round_trip(world, client):
    survey = opened(make_survey(world.county_a, [world.town_a, world.county_a_dept]))
    (token,) = services.survey_tokens_issue(actor=root_admin(), survey=survey, respondents=["群众代表"])
    url = f"/public/surveys/r/{token.token}/"
    page = client.get(url).content.decode()
    assert "甲镇" in page and "甲县教育局" in page and "对不了解的单位可以不评价" in page
    town = survey.targets.get(unit=world.town_a)
    answers = {f"a-{town.pk}-{q.pk}": q.options.first().pk for q in survey.questions.all()}
    assert client.post(url, answers).status_code == 200
    assert "只能使用一次" in client.get(url).content.decode()
    assert survey.responses.get().target == town  # the 教育局 was left unrated


def test_remediation_must_record_what_is_redone_before_closing(world, as_user):
    survey = opened(make_survey(world.county_a, [world.town_a]))
    votes(survey, survey.targets.get(), {"不满意": 2, "满意": 1})
    closed(survey)
    remediation = Remediation.objects.get()
    with pytest.raises(ValidationError, match="请先记录返工补课的情况"):
        services.remediation_close(actor=world.user("office"), remediation=remediation)
    with pytest.raises(PermissionDenied):
        services.remediation_record(actor=world.user("principal"), remediation=remediation, work_done="x")
    office = as_user("office")
    response = office.post(
        f"/remediations/{remediation.pk}/",
        {"work_done": "重新入户征求意见，补课学习两次。", "version": 1, "close": "1"},
    )
    assert response.status_code == 302
    remediation.refresh_from_db()
    assert remediation.status == RemediationStatus.CLOSED and remediation.closed_at is not None
    assert list(remediation.events.values_list("action", flat=True)) == ["open", "record", "close"]
    status = selectors.latest_satisfaction([world.town_a])[world.town_a.pk][SurveyPurpose.STAGE_ONE]
    assert status.below_threshold and not status.open_remediation


def test_survey_rules(world):
    with pytest.raises(ValidationError) as refused:
        make_survey(world.county_a, [world.town_b])
    assert "测评对象必须是“甲县”或其下级单位" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.survey_create(
            actor=world.user("principal"),
            unit=world.county_a,
            title="t",
            purpose=SurveyPurpose.STAGE_ONE,
            mode=SurveyMode.PUBLIC,
            opens_at=at(DAY),
            closes_at=at(DAY, 18),
            targets=[world.county_a],
        )
    with pytest.raises(ValidationError, match="截止时间必须晚于开始时间"):
        make_survey(world.county_a, [world.town_a], opens_at=at(DAY, 18), closes_at=at(DAY, 9))
    survey = opened(make_survey(world.county_a, [world.town_a]))
    with pytest.raises(ValidationError, match="不能再修改"):
        services.survey_update(
            actor=root_admin(),
            survey=survey,
            version=None,
            title="改",
            mode=survey.mode,
            opens_at=survey.opens_at,
            closes_at=survey.closes_at,
            targets=[world.town_a],
            questions=services.default_questions(survey.purpose),
        )
    with pytest.raises(ValidationError, match="只有起草中的测评可以发布"):
        opened(survey)
    assert closed(survey).status == SurveyStatus.CLOSED
    with pytest.raises(ValidationError, match="只有已发布的测评可以结束"):
        closed(survey)


def test_draft_can_be_rewritten(world):
    survey = make_survey(world.county_a, [world.town_a, world.village_a])
    questions = [services.QuestionSpec("总体评价", (("认可", True), ("不认可", False)))]
    survey = services.survey_update(
        actor=root_admin(),
        survey=survey,
        version=survey.version,
        title="改过的标题",
        mode=SurveyMode.PUBLIC,
        opens_at=survey.opens_at,
        closes_at=survey.closes_at,
        targets=[world.village_a, world.county_a_dept],
        questions=questions,
        threshold=Fraction(3, 4),
    )
    assert [t.unit for t in survey.targets.order_by("sort_order")] == [world.village_a, world.county_a_dept]
    assert [o.label for o in survey.questions.get().options.order_by("sort_order")] == ["认可", "不认可"]
    assert survey.threshold == Fraction(3, 4)


def test_survey_pages(world, as_user):
    office = as_user("office")
    code = world.county_a.code
    response = office.post(
        f"/surveys/units/{code}/add/",
        {
            "title": "群众评价",
            "purpose": SurveyPurpose.STAGE_ONE,
            "mode": SurveyMode.RESPONDENTS,
            "opens_at": "2014-04-14T09:00",
            "closes_at": "2014-04-20T18:00",
            "targets": "A01、A00-JYJ",
            "threshold": "2/3",
            "questions": "学习教育情况\n* 总体评价",
            "options": "满意、基本满意、不满意",
            "satisfied": "满意、基本满意",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    survey = selectors.surveys_visible_to(world.user("office")).get()
    assert [q.counts for q in survey.questions.order_by("sort_order")] == [False, True]
    office.post(f"/surveys/{survey.pk}/tokens/", {"count": 5, "category": "服务对象"})
    assert survey.tokens.count() == 5
    tokens_page = office.get(f"/surveys/{survey.pk}/tokens/").content.decode()
    assert "/public/surveys/r/" in tokens_page
    office.post(f"/surveys/{survey.pk}/open/", {"version": survey.version})
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    # A 班子 member sees the survey but cannot see the one-time codes.
    assert as_user("principal").get(f"/surveys/{survey.pk}/").status_code == 200
    assert as_user("principal").get(f"/surveys/{survey.pk}/tokens/").status_code == 403
    office = as_user("office")
    office.post(f"/surveys/{survey.pk}/close/", {"version": survey.version})
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    page = office.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "测评结果" in page and "无答卷" in page
    bad = office.post(f"/surveys/units/{code}/add/", {"title": "x", "threshold": "abc", "targets": "NOPE"})
    assert bad.status_code == 200 and "请写成分数或百分数" in bad.content.decode()
    assert "没有这些编码的单位：NOPE" in bad.content.decode()

"""开门整改: the public rates a finished item through the survey engine; low ratings reopen it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rectification import rating_services, services
from rectification.choices import ItemAction, ItemStatus, RatingStatus
from rectification.models import ItemRating
from stages.choices import SurveyMode, SurveyPurpose, SurveyStatus
from stages.models import Remediation
from tests.rectification.test_public import approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(rect, world):
    """A finished item of 甲县's published 班子 plan; the campaign asks for 3 ratings at 2/3."""
    world.campaign.rating_min_responses = 3
    world.campaign.save()
    team = rect.plan(actor="principal", title="甲县县委班子整改方案")
    item = rect.item(plan=team, actor="principal", problem="公开问题一", measure="公开措施一")
    approve(rect, team, ["supervisor", "liaison"])
    services.plan_publish(actor=rect.user("office"), plan=team, version=team.version)
    item.refresh_from_db()
    return rect.closed(item)


def rate(item, choice, n=0):
    return rating_services.item_rate(item=item, choice=choice, browser_id=f"browser-{n:04d}-xxxxxxxxxxxx")


def test_first_rating_starts_a_round_on_the_survey_engine(item):
    rating = rate(item, "满意")
    survey = rating.survey
    assert survey.purpose == SurveyPurpose.ITEM and survey.mode == SurveyMode.PUBLIC
    assert survey.status == SurveyStatus.OPEN and survey.threshold_numerator == 2
    assert [t.unit_id for t in survey.targets.all()] == [item.unit_id]
    assert rating.round == 1 and rating.min_responses == 3
    assert (rating.responses, rating.satisfied) == (1, 1)
    assert survey.responses.count() == 1


def test_one_rating_per_browser(item):
    rate(item, "满意", 1)
    with pytest.raises(ValidationError, match="只能提交一次"):
        rate(item, "不满意", 1)
    assert ItemRating.objects.get().responses == 1


def test_bad_choice_and_unrated_items_are_refused(item, rect):
    with pytest.raises(ValidationError, match="请选择"):
        rate(item, "很好")
    open_item = rect.item()
    with pytest.raises(ValidationError, match="不接受评价"):
        rate(open_item, "满意")


def test_ratings_below_the_threshold_reopen_the_item_once(item):
    rate(item, "不满意", 1)
    rate(item, "满意", 2)
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED  # 2 ratings: fewer than the minimum of 3
    rating = rate(item, "不满意", 3)  # 1/3 < 2/3 with 3 ratings
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS and item.reopen_count == 1
    rating.refresh_from_db()
    assert rating.status == RatingStatus.REOPENED and rating.ended_at is not None
    assert rating.survey.status == SurveyStatus.CLOSED
    assert rating.survey.results.get().below_threshold
    event = item.events.get(action=ItemAction.REOPEN)
    assert event.actor is None and "1/3" in event.reason
    # The engine's 返工补课 is for a unit's evaluations, not for an item: 复号 is the consequence.
    assert not Remediation.objects.exists()
    # Not twice: the item is no longer open to rating until it is closed again.
    with pytest.raises(ValidationError, match="不接受评价"):
        rate(item, "不满意", 4)
    assert item.events.filter(action=ItemAction.REOPEN).count() == 1
    assert rating.history.count() >= 3


def test_ratings_at_or_above_the_threshold_keep_it_closed(item):
    for n, choice in enumerate(["满意", "基本满意", "不满意", "满意"]):
        rate(item, choice, n)
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.reopen_count == 0
    rating = ItemRating.objects.get()
    assert rating.status == RatingStatus.OPEN and (rating.responses, rating.satisfied) == (4, 3)


def test_a_new_closing_starts_a_new_round(item, rect):
    for n in range(3):
        rate(item, "不满意", n)
    item.refresh_from_db()
    item = rect.closed(item)
    rating = rate(item, "满意", 0)  # the same browser may rate the new round
    assert rating.round == 2 and rating.reopen_count == 1 and rating.responses == 1
    assert ItemRating.objects.filter(status=RatingStatus.OPEN).count() == 1


def test_threshold_and_minimum_are_campaign_data(item, world):
    world.campaign.rating_min_responses = 1
    world.campaign.rating_threshold_numerator, world.campaign.rating_threshold_denominator = 1, 2
    world.campaign.save()
    rating = rate(item, "不满意")
    assert rating.min_responses == 1 and rating.survey.threshold_denominator == 2
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS


def test_public_page_rates_once_per_browser(item, client, world, django_assert_max_num_queries):
    page = client.get(f"/public/units/{world.county_a.code}/")
    assert "评价整改效果" in page.content.decode()
    url = f"/public/rectification/items/{item.pk}/rate/"
    form = client.get(url)
    body = form.content.decode()
    assert form.status_code == 200 and "公开措施一" in body and "基本满意" in body
    done = client.post(url, {"choice": "基本满意"})
    assert done.status_code == 200 and "感谢您的评价" in done.content.decode()
    again = client.post(url, {"choice": "满意"})
    assert again.status_code == 400 and "只能提交一次" in again.content.decode()
    bad = client.post(url, {"choice": "x"})
    assert bad.status_code == 400
    # unit, published plans, count, page, evidence kinds, rating rounds
    with django_assert_max_num_queries(6):
        listed = client.get(f"/public/units/{world.county_a.code}/rectification/")
    assert "满意率 100.0%（1 人评价）" in listed.content.decode()


def test_public_rating_page_hides_unpublished_items(rect, client):
    hidden = rect.closed(rect.item())
    assert client.get(f"/public/rectification/items/{hidden.pk}/rate/").status_code == 404
    assert client.get("/public/rectification/items/999999/rate/").status_code == 404


def test_item_page_shows_rating_rounds(item, as_user):
    rate(item, "满意")
    for role, status in [("office", 200), ("supervisor", 200), ("village", 404)]:
        response = as_user(role).get(f"/rectification/items/{item.pk}/")
        assert response.status_code == status, role
        if status == 200:
            assert "群众评价整改效果" in response.content.decode()


def test_rating_rounds_through_the_api(item, as_user, django_assert_max_num_queries):
    for n, choice in enumerate(["满意", "满意", "不满意"]):
        rate(item, choice, n)
    client = as_user("office")
    # session, user, scope (roles), count, page of rounds with their surveys
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/item-ratings/?item={item.pk}")
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert response.status_code == 200 and len(rows) == 1
    assert rows[0]["rate"] == "2/3" and rows[0]["threshold"] == "2/3" and rows[0]["status"] == "open"
    assert rows[0]["responses"] == 3 and rows[0]["min_responses"] == 3
    outsider = as_user("outsider").get("/api/item-ratings/").json()
    assert (outsider["results"] if isinstance(outsider, dict) else outsider) == []
    assert as_user("outsider").get(f"/api/item-ratings/{rows[0]['id']}/").status_code == 404


def test_the_office_cannot_end_a_rating_round_by_hand(item, world, as_user):
    from stages import services as engine

    rating = rate(item, "满意")
    with pytest.raises(ValidationError, match="不能手工结束"):
        engine.survey_close(actor=world.user("office"), survey=rating.survey)
    # The office finds the round's survey from the item page, not in the unit's survey list.
    page = as_user("office").get(f"/surveys/units/{world.county_a.code}/").content.decode()
    assert rating.survey.title not in page
    assert as_user("office").get(f"/surveys/{rating.survey_id}/").status_code == 200


def test_the_engines_public_link_of_a_round_leads_to_the_item_page(item, client):
    rating = rate(item, "满意")
    response = client.get(f"/public/surveys/{rating.survey.public_key}/")
    assert (
        response.status_code == 302 and response["Location"] == f"/public/rectification/items/{item.pk}/rate/"
    )


def test_the_office_sets_the_rating_rule_of_its_campaign(world):
    from campaign import services as campaign_services

    with pytest.raises(PermissionDenied):
        campaign_services.campaign_set_rating_rule(
            actor=world.user("office"),
            campaign=world.campaign,
            min_responses=5,
            threshold_numerator=3,
            threshold_denominator=4,
        )
    with pytest.raises(ValidationError):
        campaign_services.campaign_set_rating_rule(
            actor=world.user("superuser"),
            campaign=world.campaign,
            min_responses=5,
            threshold_numerator=5,
            threshold_denominator=4,
        )
    campaign = campaign_services.campaign_set_rating_rule(
        actor=world.user("superuser"),
        campaign=world.campaign,
        min_responses=5,
        threshold_numerator=3,
        threshold_denominator=4,
    )
    assert campaign.rating_min_responses == 5 and str(campaign.rating_threshold) == "3/4"
    assert campaign.history.count() >= 2

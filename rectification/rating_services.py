"""开门整改: the public rates a finished item through the survey engine; low ratings reopen it.

One stages.Survey (purpose ITEM, public link, target the item's unit) per item and rating
round, held by an ``ItemRating`` row; see that model for why. The minimum number of ratings
and the threshold are data on the campaign (copied onto the round and its survey when the
round starts), never constants here. No user acts in any of this: the public is anonymous,
one answer per browser (the engine's rule), and the history rows carry no user.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaign import clock
from campaign.services import save_validated
from rectification.choices import RatingStatus
from rectification.models import ItemRating, RectificationItem
from rectification.rating_selectors import is_publicly_ratable
from rectification.services import item_reopen_on_rating
from stages import services as survey_engine
from stages.choices import SurveyPurpose
from stages.models import SurveyQuestion
from stages.selectors import campaign_for_unit, survey_tally

# How long a round's public link stays open; a round normally ends earlier (复号 or a new closing).
ROUND_DAYS = 365


def _lock_item(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update(of=("self",)).select_related("unit").get(pk=item.pk)


def _end(rating: ItemRating, status: str, note: str) -> None:
    survey_engine.survey_settle(survey=rating.survey, note=note)
    rating.status = status
    rating.ended_at = clock.now()
    save_validated(rating, actor=None, update_fields=["status", "ended_at"])


def _current_round(item: RectificationItem) -> ItemRating:
    """The open round of this closing of the item, started now if there is none (item locked)."""
    rating = (
        ItemRating.objects.select_for_update()
        .select_related("survey")
        .filter(item=item, status=RatingStatus.OPEN)
        .first()
    )
    now = clock.now()
    if rating is not None and rating.reopen_count == item.reopen_count and rating.survey.closes_at > now:
        return rating
    if rating is not None:  # reopened and closed again since, or its link expired: that round is over
        _end(rating, RatingStatus.ENDED, _("事项已复号后重新销号，或评价期已满，开始新一轮评价"))
    campaign = campaign_for_unit(item.unit)
    if campaign is None:
        raise ValidationError(_("该事项不在任何教育实践活动的范围内，不能评价。"))
    last = ItemRating.objects.filter(item=item).order_by("-round").values_list("round", flat=True).first()
    survey = survey_engine.survey_create_for_rule(
        unit=item.unit,
        title=_("整改效果评价：%(problem)s") % {"problem": survey_engine.one_line(item.problem, 60)},
        purpose=SurveyPurpose.ITEM,
        subject=survey_engine.one_line(item.measure, 200),
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=ROUND_DAYS),
        threshold=campaign.rating_threshold,
    )
    rating = ItemRating(
        item=item,
        survey=survey,
        round=(last or 0) + 1,
        reopen_count=item.reopen_count,
        min_responses=campaign.rating_min_responses,
    )
    save_validated(rating, actor=None)
    return rating


@transaction.atomic
def item_rate(*, item: RectificationItem, choice: str, browser_id: str | None) -> ItemRating:
    """One browser rates a finished item (满意 / 基本满意 / 不满意, by the option's label).

    Refused unless the item is closed and shown publicly. When the round has its minimum
    of ratings and the satisfied share is under the threshold, the round's survey is
    settled and the item reopened (复号) by ``item_reopen_on_rating`` — once per round.
    """
    item = _lock_item(item)
    if not is_publicly_ratable(item):
        raise ValidationError(_("这项整改事项现在不接受评价。"))
    rating = _current_round(item)
    question = (
        SurveyQuestion.objects.filter(survey=rating.survey, counts=True)
        .prefetch_related("options")
        .order_by("sort_order")
        .first()
    )
    assert question is not None
    option = next((o for o in question.options.all() if o.label == choice), None)
    if option is None:
        raise ValidationError({"choice": _("请选择满意、基本满意或不满意。")})
    target = rating.survey.targets.get()
    survey_engine.survey_respond(
        survey=rating.survey, answers={target.pk: {question.pk: option.pk}}, browser_id=browser_id
    )
    tally = survey_tally(rating.survey)[0]
    rating.responses, rating.satisfied = tally.answered, tally.satisfied
    save_validated(rating, actor=None, update_fields=["responses", "satisfied"])
    rate = tally.rate
    threshold = rating.survey.threshold
    if rate is not None and rating.responses >= rating.min_responses and rate < threshold:
        reason = _("群众评价整改效果满意率 %(rate)s（%(s)d/%(n)d），低于 %(t)s 的标准，复号重新整改。") % {
            "rate": f"{float(rate) * 100:.1f}%",
            "s": rating.satisfied,
            "n": rating.responses,
            "t": f"{threshold.numerator}/{threshold.denominator}",
        }
        _end(rating, RatingStatus.REOPENED, reason)
        item_reopen_on_rating(item=item, reason=reason)
    return rating


def choices() -> list[str]:
    """The labels a rating offers (those of the engine's default questionnaire)."""
    return [label for label, _sat in survey_engine.DEFAULT_OPTIONS]

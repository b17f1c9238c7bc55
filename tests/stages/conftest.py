"""Fixtures for stage 1: a fixed campaign day, opinions, groups and surveys made through the services."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from stages import services
from stages.choices import ClaimKind, OpinionCategory, OpinionChannel, SurveyMode, SurveyPurpose
from tests.factories import root_admin
from units.models import Unit

DAY = datetime.date(2014, 4, 15)


@pytest.fixture(autouse=True)
def _campaign_day(settings: Any) -> None:
    """Stage-1 tests run on a fixed day of the 2014 campaign, with an empty rate-limit cache."""
    settings.CAMPAIGN_CLOCK_DATE = DAY
    cache.clear()


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_opinion(unit: Unit, text: str = "政务服务中心办事难，跑了好几趟。", **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "channel": OpinionChannel.SYMPOSIUM,
        "category": OpinionCategory.BUREAUCRATISM,
        "received_on": DAY - datetime.timedelta(days=3),
        "is_anonymous": True,
    }
    values.update(kwargs)
    return services.opinion_create(actor=root_admin(), unit=unit, text=text, **values)


def make_group(unit: Unit, texts: Sequence[str] = ("甲意见", "乙意见"), title: str = "一组意见") -> Any:
    opinions = [make_opinion(unit, text) for text in texts]
    return services.group_create(actor=root_admin(), unit=unit, opinions=opinions, title=title)


def published_group(
    unit: Unit, texts: Sequence[str] = ("甲意见", "乙意见"), answer: str = "已经整改。"
) -> Any:
    group = make_group(unit, texts)
    group = services.group_claim(actor=root_admin(), group=group, kind=ClaimKind.BODY)
    group = services.group_answer(actor=root_admin(), group=group, answer=answer)
    return services.group_publish(actor=root_admin(), group=group)


def make_survey(unit: Unit, targets: Sequence[Unit] | None = None, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "title": "第一环节群众评价",
        "purpose": SurveyPurpose.STAGE_ONE,
        "mode": SurveyMode.RESPONDENTS,
        "opens_at": at(DAY - datetime.timedelta(days=1)),
        "closes_at": at(DAY + datetime.timedelta(days=5), 18),
        "targets": list(targets or [unit]),
    }
    values.update(kwargs)
    return services.survey_create(actor=root_admin(), unit=unit, **values)


def vote(survey: Any, choices: dict[int, str], token: str | None = None, browser: str | None = None) -> Any:
    """One respondent: {target id: option label on every question}."""
    answers = {}
    questions = list(survey.questions.prefetch_related("options").order_by("sort_order"))
    for target_id, label in choices.items():
        answers[target_id] = {
            q.pk: next(o.pk for o in q.options.all() if o.label == label) for q in questions
        }
    return services.survey_respond(survey=survey, answers=answers, token=token, browser_id=browser)


def votes(survey: Any, target: Any, counts: dict[str, int]) -> None:
    """Issue tokens and cast ``counts`` {option label: n} for one target."""
    labels = [label for label, n in counts.items() for _ in range(n)]
    tokens = services.survey_tokens_issue(
        actor=root_admin(), survey=survey, respondents=["群众"] * len(labels)
    )
    for token, label in zip(tokens, labels, strict=True):
        vote(survey, {target.pk: label}, token=token.token)

"""generate_province at small scales: consistent data, and pages whose query count does not grow."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from campaign.bench import Setting
from campaign.management.commands.generate_province import generate_province
from materials import bench as materials_bench
from materials.choices import BLOCKING_STEP_KINDS, StepState
from materials.models import Material, Review, ReviewStep, ReviewStepReviewer
from materials.review import select_template, subject_of, template_plan
from rectification import bench as rectification_bench
from rectification.models import RectificationItem, RectificationPlan
from stages.models import Opinion, OpinionGroup
from units import bench as units_bench
from units.choices import PostRole
from units.models import Post, Unit

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2014, 6, 20)


@pytest.fixture(autouse=True)
def _campaign_day(settings: Any) -> None:
    settings.CAMPAIGN_CLOCK_DATE = TODAY


def _quiet(_line: str) -> None:
    pass


def test_generated_province_is_consistent():
    ctx = generate_province(scale=0.01, seed=7, log=_quiet)

    units = Unit.objects.filter(path__startswith=ctx.units[0].path)
    assert 150 <= units.count() <= 400
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    # Every row that copies its unit's path copies it right.
    for model in (Material, Review, Opinion, OpinionGroup, RectificationItem, RectificationPlan):
        assert model.objects.count() > 0, model
        assert not model.objects.exclude(unit_path=F("unit__path")).exists(), model
    assert not ReviewStep.objects.exclude(unit_path=F("review__unit_path")).exists()
    assert not RectificationItem.objects.exclude(unit__path__startswith=F("area_path")).exists()
    # One principal per unit that has posts.
    principals = Post.objects.filter(role=PostRole.PRINCIPAL).values("unit").distinct().count()
    assert principals == Post.objects.filter(role=PostRole.PRINCIPAL).count()

    # Every step belongs to its review's template, and that template and step are the ones the
    # engine chooses for the subject (checked on a spread of reviews).
    assert not ReviewStep.objects.exclude(template_step__template=F("review__template")).exists()
    reviews = list(Review.objects.select_related("unit", "author", "template").order_by("pk"))
    assert len(reviews) > 100
    for review in reviews[:: max(1, len(reviews) // 30)]:
        subject = subject_of(review)
        assert select_template(review.subject_kind, subject) == review.template
        applicable = {p.step.pk for p in template_plan(review.template, subject) if p.applies}
        steps = list(review.steps.all())
        assert {s.template_step_id for s in steps} == applicable, review
        assert any(s.kind in BLOCKING_STEP_KINDS for s in steps)
    # Open steps are either waiting for someone or flagged for the office.
    waiting = ReviewStepReviewer.objects.filter(is_open=True).values("step_id")
    assert (
        not ReviewStep.objects.filter(state=StepState.OPEN, unresolved=False).exclude(pk__in=waiting).exists()
    )
    # Reviews stand at every state, items at every status.
    assert Review.objects.values("status").distinct().count() == 3
    assert RectificationItem.objects.values("status").distinct().count() == 5
    # Every participating unit has its stage state; replaying its events gives the state.
    from campaign.choices import StageStatus
    from campaign.models import StageCalendar, StageEvent, UnitStage

    states = UnitStage.objects.filter(campaign_id=ctx.campaign_id)
    assert states.count() == units.filter(level__gte=2).count()
    assert StageCalendar.objects.filter(campaign_id=ctx.campaign_id).count() == 1
    assert {s.position for s in states} == {0, 1, 2, 3}
    assert not states.exclude(unit_path=F("unit__path")).exists()
    last: dict[int, tuple[str, int | None]] = {}
    for event in StageEvent.objects.filter(campaign_id=ctx.campaign_id).order_by("occurred_on", "pk"):
        assert last.get(event.unit_stage_id, ("", None)) == (event.from_status, event.from_stage)
        last[event.unit_stage_id] = (event.to_status, event.to_stage)
        assert event.occurred_on <= TODAY
    for state in states:
        assert last[state.pk] == (state.status, state.stage)
    assert states.filter(status=StageStatus.IN_PROGRESS, started_on__isnull=True).count() == 0


def _query_counts() -> dict[str, int]:
    setting = Setting()
    counts = {}
    for case in [*materials_bench.CASES, *units_bench.CASES, *rectification_bench.CASES]:
        case.run(setting)  # warm: session, content types
        with CaptureQueriesContext(connection) as captured:
            case.run(setting)
        counts[case.name] = len(captured.captured_queries)
    return counts


def test_pages_keep_their_query_count_as_the_province_grows():
    generate_province(scale=0.002, seed=1, prefix="S", log=_quiet)
    small = _query_counts()
    generate_province(scale=0.006, seed=2, prefix="L", log=_quiet)  # the bench reads the latest
    large = _query_counts()
    assert (
        Unit.objects.filter(code__startswith="L").count()
        > 2 * Unit.objects.filter(code__startswith="S").count()
    )
    assert small == large

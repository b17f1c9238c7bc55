"""The demo's rectification records: believable as of 2014-06-20, and seeding twice changes nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from materials.models import Review, ReviewAction, ReviewStep
from rectification import selectors
from rectification.choices import Handling, ItemStatus, PlanStatus
from rectification.models import (
    Evidence,
    ItemEvent,
    PlanEvent,
    PlanUserObjectPermission,
    PointedProblem,
    RectificationItem,
    RectificationPlan,
    Rule,
    SpecialProject,
    SpecialProjectPlan,
)
from units.models import Unit

pytestmark = pytest.mark.django_db
MODELS = [
    RectificationPlan,
    PlanEvent,
    RectificationItem,
    ItemEvent,
    Evidence,
    PointedProblem,
    SpecialProject,
    SpecialProjectPlan,
    Rule,
]


def counts():
    engine_rows = [
        Review.objects.filter(subject_kind="rectification_plan").count(),
        ReviewStep.objects.filter(review__subject_kind="rectification_plan").count(),
        ReviewAction.objects.filter(review__subject_kind="rectification_plan").count(),
        PlanUserObjectPermission.objects.count(),
    ]
    return [m.objects.count() for m in MODELS] + [m.history.count() for m in MODELS] + engine_rows


@pytest.mark.once
def test_demo_records(client, settings):
    call_command("seed_demo", stdout=io.StringIO())
    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before

    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)
    county = Unit.objects.get(code="410922")
    items = selectors.with_warning(RectificationItem.objects.all())
    assert {i.handling for i in items} == set(Handling.values)
    assert {i.status for i in items} >= {
        ItemStatus.OPEN,
        ItemStatus.IN_PROGRESS,
        ItemStatus.CLOSE_REQUESTED,
        ItemStatus.CLOSED,
    }
    assert {i.warning for i in items} == {"none", "yellow", "red"}
    assert items.filter(reopen_count__gt=0).exists()
    assert RectificationPlan.objects.get(unit=county, kind="team").published

    page = client.get("/public/units/410922/").content.decode()
    assert "中共清丰县委常委领导班子整改方案" in page and "个人整改措施" not in page
    assert "深入基层调研不够" not in page  # the member's personal measure stays inside the unit
    assert "村东小街" in client.get("/public/units/410922001001/").content.decode()

    assert client.login(username="office", password="demo2014")
    help_page = client.get("/rectification/units/410900/upper-help/").content.decode()
    assert "饮水" in help_page
    assert SpecialProject.objects.count() == 11
    assert selectors.failed_acceptance_unit_ids(Unit.objects.all()) == {Unit.objects.get(code="410923").pk}
    assert Rule.objects.filter(unit=county).count() >= 5
    assert RectificationPlan.objects.filter(status=PlanStatus.IN_REVIEW).exists()

    # Plans in review or approved went through the review engine [003]: 督导组, then 联络组.
    team = RectificationPlan.objects.get(unit=county, kind="team")
    assert team.review.template.code == "rect_senior" and team.review.status == "approved"
    assert list(team.review.actions.values_list("kind", "actor__username")) == [
        ("submit", "principal"),
        ("pass", "supervisor"),
        ("pass", "office"),
    ]
    member = RectificationPlan.objects.get(unit=county, kind="personal")
    (step,) = member.review.steps.filter(state="open")
    assert step.name == "市委督导组审阅把关"
    assert step.reviewers.filter(user__username="supervisor", is_open=True).exists()
    village = RectificationPlan.objects.get(unit__code="410922001001")
    assert village.review.template.code == "rect_county_office" and village.published
    assert not RectificationPlan.objects.filter(status__in=["in_review", "approved"], review=None).exists()

    assert client.login(username="supervisor", password="demo2014")
    worklist = client.get("/rectification/").content.decode()
    assert "文件多、简报多" in worklist and "个人整改措施（组织部部长）" in worklist
    assert f"/rectification/plans/{member.pk}/#decision" in client.get("/reviews/inbox/").content.decode()
    assert client.get("/units/410922/").status_code == 200

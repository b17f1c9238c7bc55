"""The demo (`seed_demo`), loaded once for the module: what each scenario shows on the demo
day, and seeding again changes nothing. Loading it takes ~35 s on PostgreSQL, so the checks
share one load (each test's changes roll back to it) and run once in CI (marker `once`)."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from campaign.choices import StageStatus, Verdict
from campaign.models import Gate, LookBack, StageCalendar, StageEvent, UnitStage, WindowOverride
from materials import meeting_selectors as ms
from materials.choices import MaterialKind
from materials.meeting_choices import BriefingStatus, MeetingStatus
from materials.meeting_models import CriticismList, Meeting, MeetingCriticism, MeetingEvent, Talk
from materials.models import (
    CopyDocument,
    CopyReport,
    Material,
    ReferenceText,
    Review,
    ReviewAction,
    ReviewStep,
)
from materials.selectors import primary_post
from materials.talk_selectors import talk_coverage
from rectification import selectors, source_registry
from rectification.choices import (
    WORKING_STATUSES,
    Acceptance,
    Handling,
    ItemStatus,
    PlanStatus,
    RuleJudgement,
    RuleStatus,
)
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
from rectification.selectors import projects_covering, red_q, yellow_q
from stages.choices import GroupStatus, OpinionStatus
from stages.models import Opinion, OpinionGroup, Remediation, StudySession, Survey, SurveyResponse
from stages.selectors import STATUS_FILTERS, OpinionProgress
from tests.factories import rolled_back_after
from units.choices import LEADERSHIP_ROLES
from units.models import Organization, Person, Post, Unit
from units.selectors import posts_of_unit

pytestmark = [pytest.mark.django_db, pytest.mark.once]

RECTIFICATION_MODELS = [
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
STAGE_MODELS = [StageCalendar, WindowOverride, UnitStage, StageEvent, Gate, LookBack]
STAGE_ONE_MODELS = [StudySession, Opinion, OpinionGroup, Survey, SurveyResponse, Remediation]
# What seeding again must leave as it is: the rows of COUNTED, the history rows of WITH_HISTORY.
COUNTED = [
    *[Unit, Person, Post, Organization],
    *[Talk, Meeting, MeetingCriticism, MeetingEvent],
    *STAGE_MODELS,
    *STAGE_ONE_MODELS,
    *[ReferenceText, CopyReport, CopyDocument],
    *RECTIFICATION_MODELS,
    PlanUserObjectPermission,
]
WITH_HISTORY = [Unit, Person, Post, Talk, *STAGE_MODELS, *STAGE_ONE_MODELS, *RECTIFICATION_MODELS]


@pytest.fixture(scope="module")
def _demo_once(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo, seeded once for the module; yields what seed_demo printed."""
    with rolled_back_after(django_db_blocker):
        output = io.StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()


@pytest.fixture
def demo_output(_demo_once: Any, db: Any) -> str:
    """What seed_demo printed; the test's own transaction nests inside the demo's."""
    return _demo_once


def _counts() -> dict[str, int]:
    plan_reviews = {"subject_kind": "rectification_plan"}
    plan_review_parts = {"review__subject_kind": "rectification_plan"}
    return {
        **{model.__name__: model.objects.count() for model in COUNTED},
        **{f"{model.__name__} history": model.history.count() for model in WITH_HISTORY},
        "plan reviews": Review.objects.filter(**plan_reviews).count(),
        "plan review steps": ReviewStep.objects.filter(**plan_review_parts).count(),
        "plan review actions": ReviewAction.objects.filter(**plan_review_parts).count(),
    }


def test_seeding_again_changes_nothing(demo_output):
    assert CopyReport.objects.exclude(passages=[]).exists()  # the demo's material with copied passages
    before = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before


def test_demo_is_believable(client, demo_output):
    assert {"濮阳市", "许昌市", "清丰县", "魏都区"} <= set(Unit.objects.values_list("name", flat=True))
    assert Unit.objects.filter(kind="village").count() + Unit.objects.filter(kind="community").count() >= 20
    for username in ("office", "supervisor", "principal", "member", "village", "province_office"):
        assert client.login(username=username, password="demo2014"), username
        assert client.get("/").status_code == 200
    client.login(username="province_office", password="demo2014")
    tree = client.get("/units/").content.decode()
    assert "河南省" in tree
    province = client.get("/units/410000/").content.decode()
    assert "濮阳市" in province and "许昌市" in province and "省委第一督导组" in province
    # Stage 1: the printed receipt code shows a published answer; one township is below 2/3.
    assert Opinion.objects.count() >= 40 and Remediation.objects.filter(status="open").count() == 1
    receipt = next(line for line in demo_output.splitlines() if "意见回执码" in line).split()[-1]
    client.logout()
    assert "一次性告知单" in client.get(receipt).content.decode()
    _demo_stages_are_believable(client)


def _demo_stages_are_believable(client):
    """Units in all three stages on 2014-06-20, a few late, one 回头看 of each verdict in 清丰县."""
    assert UnitStage.objects.count() == Unit.objects.filter(level__gte=2).count()
    in_stage = set(UnitStage.objects.filter(status=StageStatus.IN_PROGRESS).values_list("stage", flat=True))
    assert in_stage == {1, 2, 3}
    assert UnitStage.objects.filter(status=StageStatus.NOT_STARTED).exists()
    qingfeng = LookBack.objects.filter(unit_path__startswith=Unit.objects.get(code="410922").path)
    assert set(qingfeng.values_list("verdict", flat=True)) == set(Verdict.values)
    assert qingfeng.filter(status="open").exists() and qingfeng.filter(status="closed").exists()
    assert Gate.objects.filter(stage=2, condition="materials_approved").exists()
    assert StageCalendar.objects.filter(unit__code__in=["410000", "411000"]).count() == 2
    with override_settings(CAMPAIGN_CLOCK_DATE=datetime.date(2014, 6, 20)):
        client.login(username="province_office", password="demo2014")
        page = client.get("/campaign/410000/stages/?late=1").content.decode()
        assert "濮阳市人民医院" in page and "元村镇王庄村" in page and "已超过结束日期" in page
        client.login(username="supervisor", password="demo2014")
        page = client.get("/units/410922-JYJ/").content.decode()
        assert "限期整改" in page and "/lookbacks/add/" in page
        client.login(username="county_office", password="demo2014")
        page = client.get("/units/410922001/").content.decode()
        assert "推倒重来" in page and "/stages/advance/" in page


def test_rectification_records(client, settings, demo_output):
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


def test_stage_two_scenarios(settings, demo_output):
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)
    units = {u.code: u for u in Unit.objects.filter(code__in=["410922", "410902", "410923", "410922001001"])}
    qingfeng = talk_coverage([units["410922"]])[units["410922"].pk]
    assert qingfeng.total == 31 and 0 < qingfeng.done < 31
    assert any(r.state == "recorded" for r in qingfeng.required)
    assert Meeting.objects.get(unit=units["410922"]).status == MeetingStatus.PLAN_IN_REVIEW
    assert set(CriticismList.objects.values_list("status", flat=True)) == {"in_review", "returned"}
    held = {code: Meeting.objects.get(unit=units[code]) for code in ("410902", "410923")}
    assert all(m.status == MeetingStatus.EVALUATED and m.criticisms.count() == 7 for m in held.values())
    assert talk_coverage([units["410902"]])[units["410902"].pk].complete
    assert not held["410902"].report.is_late and held["410923"].report.is_late
    assert held["410923"].briefings.get().status == BriefingStatus.REWORK
    assert held["410902"].briefings.get().status == BriefingStatus.PASSED
    village = Meeting.objects.get(unit=units["410922001001"])
    assert village.kind == "organizational_life" and village.appraisals.count() == 7
    assert village.attendees.filter(as_ordinary_member=True).count() == 1
    assert ms.meeting_held(units.values()) == {
        units["410922"].pk: False,
        units["410902"].pk: True,
        units["410923"].pk: True,
        units["410922001001"].pk: True,
    }


def test_unit_page_panels_show_the_county_figures_of_the_demo(client, settings, demo_output):
    """The panels' figures on the demo's 清丰县 (items of every status and warning, plans,
    rules, 专项整治, sources, opinions, study, materials, talks), each counted here the plain way."""
    settings.CAMPAIGN_CLOCK_DATE = today = datetime.date(2014, 6, 20)
    county = Unit.objects.get(code="410922")
    assert client.login(username="county_office", password="demo2014")
    response = client.get(f"/units/{county.code}/")
    panels = {panel.anchor: panel.context for panel in response.context["panels"]}

    stage_one = panels["stage-one"]["summary"]
    opinions = Opinion.objects.filter(unit=county)
    groups = Counter(OpinionGroup.objects.filter(unit=county).values_list("status", flat=True))
    assert stage_one["sessions"] == StudySession.objects.filter(unit=county).count() > 0
    assert stage_one["progress"] == OpinionProgress(
        opinions=opinions.count(),
        unsorted=opinions.filter(STATUS_FILTERS[OpinionStatus.UNSORTED]).count(),
        unclaimed_groups=groups[GroupStatus.CONFIRMED],
        unanswered_groups=groups[GroupStatus.CLAIMED],
        unpublished_groups=groups[GroupStatus.ANSWERED],
        published_groups=groups[GroupStatus.PUBLISHED],
    )
    assert stage_one["progress"].opinions > 0

    summary = panels["rectification"]["summary"]
    items = RectificationItem.objects.filter(unit_path__startswith=county.path)
    assert summary.by_status == dict(Counter(items.values_list("status", flat=True)))
    assert summary.total == items.exclude(status=ItemStatus.WITHDRAWN).count()
    assert summary.red == items.filter(red_q(today)).count() > 0
    assert summary.yellow == items.filter(yellow_q(today)).count() > 0
    assert summary.upper_help == (
        items.filter(needs_upper_help=True, status__in=WORKING_STATUSES).exclude(unit=county).count()
    )
    assert [p.pk for p in summary.plans] == list(
        RectificationPlan.objects.filter(unit=county).order_by("kind", "pk").values_list("pk", flat=True)
    )
    unanswered = {
        kind: source_registry.unanswered(provider, [county]).count()
        for kind, provider in source_registry.providers().items()
    }
    assert summary.unanswered == {kind: n for kind, n in unanswered.items() if n}
    assert summary.unanswered
    covering = projects_covering(county)
    own = Counter(
        SpecialProjectPlan.objects.filter(unit=county, project__in=covering).values_list(
            "acceptance", flat=True
        )
    )
    assert (summary.projects_total, summary.projects_filed) == (covering.count(), own.total()) != (0, 0)
    assert (summary.projects_passed, summary.projects_failed) == (
        own[Acceptance.PASSED],
        own[Acceptance.FAILED],
    )
    rules = Rule.objects.filter(unit=county)
    assert summary.rules["total"] == rules.count() >= 5
    assert summary.rules["done"] == rules.filter(status=RuleStatus.DONE).count()
    for judgement in RuleJudgement.values:
        assert summary.rules.get(judgement, 0) == rules.filter(judgement=judgement).count()
    assert summary.rules["keep"] == rules.filter(judgement=RuleJudgement.KEEP).count()

    # The 班子 list and the 四必谈 share the page's one read of the posts; each as read alone.
    assert list(response.context["posts"]) == list(posts_of_unit(county))
    coverage = panels["meetings"]["coverage"]
    assert coverage == talk_coverage([county])[county.pk]
    assert coverage.total > coverage.done > 0

    # A 班子 member owes a personal material where his leading post is, whichever unit reads it.
    rows = panels["materials"]["rows"]
    owed = {(r["entry"].kind, r["entry"].person.pk if r["entry"].person else None) for r in rows}
    seats = Post.objects.active(today).filter(unit=county, role__in=LEADERSHIP_ROLES)
    members = {
        post.person_id
        for post in seats
        if primary_post(list(Post.objects.active(today).filter(person=post.person_id))).unit_id == county.pk
    }
    assert owed == {(MaterialKind.BODY, None)} | {(MaterialKind.PERSONAL, pk) for pk in members}
    assert len(members) > 3
    for row in rows:
        entry = row["entry"]
        expected = Material.objects.filter(
            kind=entry.kind, **({"subject_person": entry.person} if entry.person else {"unit": county})
        ).first()
        assert entry.material == expected

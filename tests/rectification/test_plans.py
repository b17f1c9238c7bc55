"""Plans: review (督导组 → 联络组 for 副处级+, else the office above), return, publication."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rectification import review, selectors, services
from rectification.choices import ListKind, PlanAction, PlanStatus
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def fresh(plan):
    plan.refresh_from_db()
    return plan


def test_senior_plan_goes_to_the_supervisors_then_the_liaison_group(rect, world):
    plan = rect.plan(actor="principal", title="县委常委班子整改方案")
    with pytest.raises(ValidationError, match="还没有事项"):
        services.plan_submit(actor=rect.user("principal"), plan=plan, version=plan.version)
    rect.item(plan=plan, actor="principal")
    services.plan_submit(actor=rect.user("principal"), plan=fresh(plan), version=plan.version)
    plan = fresh(plan)
    assert plan.status == PlanStatus.IN_REVIEW and plan.review_chain == review.SENIOR
    # Step 1: the 督导组; the liaison group and the offices cannot act yet.
    for role in ("liaison", "city_office", "office", "principal", "member"):
        assert not review.may_review(rect.user(role), plan), role
    assert plan in selectors.plans_awaiting_review(rect.user("supervisor"))
    assert plan not in selectors.plans_awaiting_review(rect.user("liaison"))
    services.plan_review(actor=rect.user("supervisor"), plan=plan, version=plan.version, approve=True)
    plan = fresh(plan)
    assert plan.status == PlanStatus.IN_REVIEW and plan.review_step == 1
    # Step 2: the city's 联络组.
    assert not review.may_review(rect.user("supervisor"), plan)
    assert plan in selectors.plans_awaiting_review(rect.user("liaison"))
    with pytest.raises(PermissionDenied):
        services.plan_review(actor=rect.user("city_office"), plan=plan, version=plan.version, approve=True)
    services.plan_review(
        actor=rect.user("liaison"), plan=plan, version=plan.version, approve=True, opinion="同意"
    )
    plan = fresh(plan)
    assert plan.status == PlanStatus.APPROVED and not plan.published
    steps = list(plan.events.filter(action=PlanAction.PASS).values_list("step", flat=True))
    assert steps == ["督导组审阅把关", "活动办联络组审核"]


def test_return_needs_an_opinion_and_sends_the_plan_back(rect, world):
    plan = rect.plan(actor="principal")
    rect.item(plan=plan, actor="principal")
    services.plan_submit(actor=rect.user("principal"), plan=fresh(plan), version=plan.version)
    plan = fresh(plan)
    with pytest.raises(ValidationError, match="退回意见"):
        services.plan_review(actor=rect.user("supervisor"), plan=plan, version=plan.version, approve=False)
    services.plan_review(
        actor=rect.user("supervisor"), plan=plan, version=plan.version, approve=False, opinion="措施不具体"
    )
    plan = fresh(plan)
    assert plan.status == PlanStatus.RETURNED
    assert plan.events.get(action=PlanAction.RETURN).opinion == "措施不具体"
    # Returned: editable again, items may be added, then resubmitted from step one.
    services.plan_update(
        actor=rect.user("principal"), plan=plan, version=plan.version, title="修改后的方案", summary=""
    )
    rect.item(plan=fresh(plan), actor="principal")
    services.plan_submit(actor=rect.user("principal"), plan=fresh(plan), version=fresh(plan).version)
    assert fresh(plan).review_step == 0 and fresh(plan).status == PlanStatus.IN_REVIEW


def test_junior_plan_is_checked_by_the_office_above(rect, world):
    make_post(world.county_a_dept, role="principal", title="局长")  # rank 其他: not 副处级以上
    plan = rect.plan(unit=world.county_a_dept, actor="office")
    rect.item(plan=plan, actor="office")
    services.plan_submit(actor=rect.user("office"), plan=fresh(plan), version=plan.version)
    plan = fresh(plan)
    assert plan.review_chain == review.UPPER
    # The county office keeps the department's records but is not above it; the city office and
    # the 督导组 sent to the county are.
    assert not review.may_review(rect.user("office"), plan)
    assert review.may_review(rect.user("city_office"), plan)
    assert review.may_review(rect.user("supervisor"), plan)
    assert plan in selectors.plans_awaiting_review(rect.user("city_office"))
    assert plan not in selectors.plans_awaiting_review(rect.user("office"))
    services.plan_review(actor=rect.user("city_office"), plan=plan, version=plan.version, approve=True)
    assert fresh(plan).status == PlanStatus.APPROVED


def test_publication(rect, world):
    plan = rect.plan(actor="principal")
    item = rect.item(plan=plan, actor="principal")
    services.plan_submit(actor=rect.user("principal"), plan=fresh(plan), version=plan.version)
    with pytest.raises(ValidationError, match="审核通过后才能公开"):
        services.plan_publish(actor=rect.user("office"), plan=fresh(plan), version=fresh(plan).version)
    for role in ("supervisor", "liaison"):
        services.plan_review(
            actor=rect.user(role), plan=fresh(plan), version=fresh(plan).version, approve=True
        )
    with pytest.raises(PermissionDenied):
        services.plan_publish(actor=rect.user("principal"), plan=fresh(plan), version=fresh(plan).version)
    services.plan_publish(actor=rect.user("office"), plan=fresh(plan), version=fresh(plan).version)
    item.refresh_from_db()
    assert fresh(plan).published and item.is_public
    with pytest.raises(ValidationError, match="不能再增加事项"):
        rect.item(plan=fresh(plan), actor="principal")


def test_personal_measures_are_never_published(rect, world):
    member = rect.user("member")
    plan = services.plan_create(
        actor=member, unit=world.county_a, kind=ListKind.PERSONAL, person=member.person, title="个人整改措施"
    )
    rect.item(plan=plan, actor="member")
    services.plan_submit(actor=member, plan=fresh(plan), version=plan.version)
    plan = fresh(plan)
    assert plan.review_chain == review.UPPER  # a member of rank 其他
    services.plan_review(actor=rect.user("city_office"), plan=plan, version=plan.version, approve=True)
    with pytest.raises(ValidationError, match="内部公开"):
        services.plan_publish(actor=rect.user("office"), plan=fresh(plan), version=fresh(plan).version)
    # Personal measures need a member of the 班子; the member may file his own, not someone else's.
    with pytest.raises(ValidationError, match="现任班子成员"):
        services.plan_create(
            actor=rect.user("office"),
            unit=world.county_a,
            kind=ListKind.PERSONAL,
            person=rect.user("village").person,
            title="x",
        )
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=rect.user("village"),
            unit=world.county_a,
            kind=ListKind.PERSONAL,
            person=rect.user("principal").person,
            title="x",
        )


def test_grassroots_lists_are_published_when_approved(rect, world):
    with pytest.raises(ValidationError, match="基层组织"):
        rect.plan(unit=world.village_a, actor="village", kind=ListKind.TEAM)
    plan = rect.plan(unit=world.village_a, actor="village", kind=ListKind.GRASSROOTS, title="甲村问题清单")
    item = rect.item(plan=plan, actor="village")
    assert item.kind == ListKind.GRASSROOTS
    services.plan_submit(actor=rect.user("village"), plan=fresh(plan), version=plan.version)
    assert not review.may_review(rect.user("village"), fresh(plan))
    services.plan_review(
        actor=rect.user("office"), plan=fresh(plan), version=fresh(plan).version, approve=True
    )
    item.refresh_from_db()
    assert fresh(plan).published and item.is_public


def test_plan_pages(rect, world, as_user):
    client = as_user("principal")
    response = client.post(
        f"/rectification/units/{world.county_a.code}/plans/add/",
        {"kind": "team", "title": "甲县县委班子整改方案", "summary": "四风问题逐项整改"},
    )
    assert response.status_code == 302
    plan = world.county_a and selectors.plans_visible_to(rect.user("principal")).get(
        title="甲县县委班子整改方案"
    )
    response = client.post(
        f"/rectification/plans/{plan.pk}/items/add/",
        {
            "problem": "会多",
            "measure": "减会",
            "target": "少开会",
            "responsible_unit": "县委办",
            "handling": "not_yet",
            "priority": "normal",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "解释说明" in page
    response = client.post(
        f"/rectification/plans/{plan.pk}/items/add/",
        {
            "problem": "会多",
            "measure": "减会",
            "target": "少开会",
            "responsible_unit": "县委办",
            "handling": "deadline",
            "deadline": "2014-07-31",
            "priority": "high",
        },
    )
    assert response.status_code == 302
    assert (
        client.post(f"/rectification/plans/{plan.pk}/submit/", {"version": fresh(plan).version}).status_code
        == 302
    )
    page = client.get(f"/rectification/plans/{plan.pk}/").content.decode()
    assert "督导组审阅把关" in page and "审核中" in page
    assert as_user("principal").get(f"/rectification/plans/{plan.pk}/review/").status_code == 403
    assert as_user("office_b").get(f"/rectification/plans/{plan.pk}/").status_code == 404
    client = as_user("supervisor")
    response = client.post(
        f"/rectification/plans/{plan.pk}/review/",
        {"version": fresh(plan).version, "decision": "return", "opinion": ""},
    )
    assert "退回意见" in response.content.decode() and fresh(plan).status == PlanStatus.IN_REVIEW
    response = client.post(
        f"/rectification/plans/{plan.pk}/review/",
        {"version": fresh(plan).version, "decision": "return", "opinion": "目标不明确"},
    )
    assert response.status_code == 302 and fresh(plan).status == PlanStatus.RETURNED

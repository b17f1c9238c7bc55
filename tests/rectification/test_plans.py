"""Plans go through the review-chain engine: which chain applies to which plan, a full run with a
return and a resubmission, nobody reviews his own plan, who may act, and publication."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from materials import review as engine
from materials.choices import ActionKind, ReviewStatus, StepState
from materials.models import ChainRule, ReviewStep
from materials.selectors import open_step_for
from rectification import selectors, services
from rectification.choices import ListKind, PlanAction, PlanStatus
from tests.factories import PersonFactory, login_as, make_post, seat
from units.choices import PostRole, Rank

pytestmark = pytest.mark.django_db


def fresh(plan):
    plan.refresh_from_db()
    return plan


def open_steps(plan):
    plan = fresh(plan)
    return list(ReviewStep.objects.filter(review=plan.review, round=plan.review.round, state=StepState.OPEN))


def reviewers(plan):
    """Names of the people the open step waits for."""
    (step,) = open_steps(plan)
    return step.name, {r.person.name for r in step.reviewers.filter(is_open=True).select_related("person")}


def events(plan):
    return list(fresh(plan).events.order_by("at", "pk").values_list("action", "step"))


def team_plan(rect, world, **fields):
    plan = rect.plan(actor="principal", title=fields.pop("title", "县委常委班子整改方案"), **fields)
    rect.item(plan=plan, actor="principal")
    return plan


# --- which chain applies -------------------------------------------------------------


def test_a_senior_team_plan_goes_to_the_supervision_group_then_the_liaison_group(rect, world):
    plan = rect.plan(actor="principal", title="县委常委班子整改方案")
    with pytest.raises(ValidationError, match="还没有事项"):
        services.plan_submit(actor=rect.user("principal"), plan=plan, version=plan.version)
    rect.item(plan=plan, actor="principal")
    plan = rect.submit(plan)
    # The county secretary is 正处级 (副处级以上): [003]'s chain, as data.
    assert plan.status == PlanStatus.IN_REVIEW and plan.review.template.code == "rect_senior"
    assert plan.review.author == world.user("principal").person and plan.review.is_body
    assert reviewers(plan) == ("市委督导组审阅把关", {"督导员"})
    for role in ("liaison", "city_office", "office", "principal", "member"):
        assert open_step_for(rect.user(role), plan.review) is None, role
    assert plan in selectors.plans_awaiting_review(rect.user("supervisor"))
    assert plan not in selectors.plans_awaiting_review(rect.user("liaison"))
    assert events(plan)[-1] == (PlanAction.SUBMIT, "市委督导组审阅把关")

    plan = rect.act(plan, "supervisor", opinion="方案聚焦，同意报联络组。")
    assert plan.status == PlanStatus.IN_REVIEW
    assert reviewers(plan) == ("市委活动办联络组审核", {"联络组成员"})
    assert plan not in selectors.plans_awaiting_review(rect.user("supervisor"))
    (waiting,) = selectors.plans_awaiting_review(rect.user("liaison"))
    assert waiting == plan and waiting.step_name == "市委活动办联络组审核"

    plan = rect.act(plan, "liaison", opinion="审核通过。")
    assert plan.status == PlanStatus.APPROVED and plan.approved_on and not plan.published
    assert plan.review.status == ReviewStatus.APPROVED
    assert events(plan)[-1] == (PlanAction.PASS, "市委活动办联络组审核")
    assert fresh(plan).events.get(action=PlanAction.PASS).opinion == "审核通过。"
    assert [a.kind for a in plan.review.actions.order_by("pk")] == ["submit", "pass", "pass"]


def test_personal_measures_of_a_senior_member_take_the_same_chain(rect, world):
    member = rect.user("member")
    member.person.rank = Rank.DEPUTY_DIVISION
    member.person.save()
    plan = services.plan_create(
        actor=member, unit=world.county_a, kind=ListKind.PERSONAL, person=member.person, title="个人整改措施"
    )
    rect.item(plan=plan, actor="member")
    plan = rect.submit(plan, "member")
    assert plan.review.template.code == "rect_senior" and not plan.review.is_body
    assert plan.review.author == member.person and plan.review.variant == ListKind.PERSONAL
    assert reviewers(plan)[0] == "市委督导组审阅把关"
    assert rect.act(rect.act(plan, "supervisor"), "liaison").status == PlanStatus.APPROVED


def test_a_junior_members_measures_go_to_the_office_above(rect, world):
    member = rect.user("member")  # rank 其他
    plan = services.plan_create(
        actor=member, unit=world.county_a, kind=ListKind.PERSONAL, person=member.person, title="个人整改措施"
    )
    rect.item(plan=plan, actor="member")
    plan = rect.submit(plan, "member")
    assert plan.review.template.code == "rect_city_office"
    assert reviewers(plan) == ("市委活动办审核", {"市委活动办干事"})


def test_the_government_head_leads_the_team_too(rect, world):
    """Like the former rule: a 班子 is led at 副处级+ when its principal or its government head is."""
    head = make_post(world.county_b, role=PostRole.GOVERNMENT_HEAD, title="县委副书记、县长").person
    head.rank = Rank.DIVISION
    head.save()
    plan = rect.plan(unit=world.county_b, actor="office_b", title="乙县县委班子整改方案")
    rect.item(plan=plan, actor="office_b")
    plan = rect.submit(plan, "office_b")
    # The 县委书记 (the plan's author) is 其他; the 县长 is 正处级.
    assert plan.review.author.rank == Rank.OTHER
    assert plan.review.template.code == "rect_senior"


def test_a_junior_department_plan_goes_to_the_office_above(rect, world):
    make_post(world.county_a_dept, role=PostRole.PRINCIPAL, title="局长")  # rank 其他: 科级以下
    plan = rect.plan(unit=world.county_a_dept, actor="office")
    rect.item(plan=plan, actor="office")
    plan = rect.submit(plan, "office")
    assert plan.review.template.code == "rect_city_office"
    # The county office keeps the department's records but is not above it; the city office is.
    assert reviewers(plan) == ("市委活动办审核", {"市委活动办干事"})
    for role in ("office", "supervisor", "liaison", "principal"):
        assert open_step_for(rect.user(role), plan.review) is None, role
    assert plan in selectors.plans_awaiting_review(rect.user("city_office"))
    assert plan not in selectors.plans_awaiting_review(rect.user("office"))
    assert rect.act(plan, "city_office").status == PlanStatus.APPROVED
    assert not fresh(plan).published


def test_a_village_list_is_checked_by_the_county_office_and_published(rect, world):
    with pytest.raises(ValidationError, match="基层组织"):
        rect.plan(unit=world.village_a, actor="village", kind=ListKind.TEAM)
    plan = rect.plan(unit=world.village_a, actor="village", kind=ListKind.GRASSROOTS, title="甲村问题清单")
    item = rect.item(plan=plan, actor="village")
    assert item.kind == ListKind.GRASSROOTS
    plan = rect.submit(plan, "village")
    assert plan.review.template.code == "rect_county_office"
    assert reviewers(plan) == ("县（市、区）委活动办审核", {"甲县干事"})
    assert open_step_for(rect.user("village"), plan.review) is None
    plan = rect.act(plan, "office")
    item.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.published and item.is_public
    assert [a for a, _step in events(plan)] == ["create", "submit", "pass", "publish"]


def test_which_chain_applies_is_data(rect, world):
    """An office may send every 县-level plan to the city office in the admin."""
    ChainRule.objects.filter(template__code="rect_city_office").update(priority=5)
    plan = rect.submit(team_plan(rect, world))
    assert plan.review.template.code == "rect_city_office"


def test_a_unit_outside_every_chain_is_refused_clearly(rect, world):
    ChainRule.objects.filter(subject_kind="rectification_plan").update(is_active=False)
    plan = team_plan(rect, world)
    with pytest.raises(ValidationError, match="没有适用于"):
        services.plan_submit(actor=rect.user("principal"), plan=plan, version=fresh(plan).version)
    assert fresh(plan).status == PlanStatus.DRAFT and fresh(plan).review is None  # nothing half-saved


# --- a full run ------------------------------------------------------------------------


def test_return_and_resubmission_run_the_whole_chain_again(rect, world):
    plan = rect.submit(team_plan(rect, world))
    with pytest.raises(ValidationError, match="审核意见"):
        rect.act(plan, "supervisor", ActionKind.RETURN_REVISE, opinion=" ")
    plan = rect.act(plan, "supervisor")
    plan = rect.act(plan, "liaison", ActionKind.RETURN_REVISE, opinion="整改时限不明确")
    assert plan.status == PlanStatus.RETURNED and plan.review.status == ReviewStatus.RETURNED
    assert fresh(plan).events.get(action=PlanAction.RETURN).opinion == "整改时限不明确"
    assert events(plan)[-1] == (PlanAction.RETURN, "市委活动办联络组审核")
    assert not open_steps(plan)
    assert plan not in selectors.plans_awaiting_review(rect.user("liaison"))

    # Returned: editable again, items may be added, then resubmitted — the 督导组 sees it first again.
    services.plan_update(
        actor=rect.user("principal"), plan=plan, version=plan.version, title="修改后的方案", summary=""
    )
    rect.item(plan=fresh(plan), actor="principal")
    plan = rect.submit(plan)
    assert plan.status == PlanStatus.IN_REVIEW and plan.review.round == 2
    assert plan.review.title == "修改后的方案"
    assert reviewers(plan)[0] == "市委督导组审阅把关"
    plan = rect.act(rect.act(plan, "supervisor"), "liaison")
    assert plan.status == PlanStatus.APPROVED
    assert [a for a, _step in events(plan)] == ["create", "submit", "return", "submit", "pass"]
    assert [(a.round, a.kind) for a in plan.review.actions.order_by("pk")] == [
        (1, "submit"),
        (1, "pass"),
        (1, "return_revise"),
        (2, "submit"),
        (2, "pass"),
        (2, "pass"),
    ]
    with pytest.raises(ValidationError, match="不能重复报送"):
        services.plan_submit(actor=rect.user("principal"), plan=plan, version=plan.version)


def test_a_stale_page_or_a_second_reviewer_is_refused(rect, world):
    second = PersonFactory(name="第二督导员")
    seat(world.user("supervisor").person.memberships.get().organization, second)
    second_user = login_as(second, "supervisor2")
    plan = rect.submit(team_plan(rect, world))
    (step,) = open_steps(plan)
    assert step.reviewers.count() == 2
    version = plan.review.version
    rect.act(plan, "supervisor")
    with pytest.raises(ValidationError, match="已由"):
        engine.review_step_act(
            actor=second_user, step=step, decision=engine.Decision("pass", "同意"), review_version=version
        )


# --- nobody reviews his own plan; only the step's reviewers act ------------------------------


def test_nobody_reviews_his_own_plan(rect, world):
    principal = world.user("principal").person
    group = world.user("supervisor").person.memberships.get().organization
    seat(group, principal)  # the secretary also sits in the 督导组 sent to his county
    plan = rect.submit(team_plan(rect, world))
    _name, people = reviewers(plan)
    assert principal.name not in people and people == {"督导员"}
    (step,) = open_steps(plan)
    with pytest.raises(PermissionDenied):
        engine.review_step_act(
            actor=principal.user, step=step, decision=engine.Decision("pass", "同意"), review_version=None
        )
    with pytest.raises(ValidationError, match="撰写人本人"):
        engine.review_step_reassign(actor=rect.user("city_office"), step=step, people=[principal], reason="x")


def test_only_the_steps_reviewers_act(rect, world):
    plan = rect.submit(team_plan(rect, world))
    (step,) = open_steps(plan)
    for role in ("liaison", "city_office", "office", "member", "outsider"):
        with pytest.raises(PermissionDenied):
            engine.review_step_act(
                actor=rect.user(role),
                step=step,
                decision=engine.Decision("pass", "同意"),
                review_version=None,
            )
    assert fresh(plan).status == PlanStatus.IN_REVIEW


def test_reviewers_can_open_the_plan_and_its_list(rect, world, as_user):
    """A step with nobody to resolve is flagged; the office names a reviewer from anywhere, who
    is granted the plan (and its 整改清单) when his step opens."""
    plan = rect.plan(unit=world.county_b, actor="office_b", kind=ListKind.TEAM, title="乙县县委班子整改方案")
    item = rect.item(plan=plan, actor="office_b", responsible_unit="乙县县委办")
    county_b_secretary = plan.unit.posts.get(role=PostRole.PRINCIPAL).person
    county_b_secretary.rank = Rank.DIVISION
    county_b_secretary.save()
    plan = rect.submit(plan, "office_b")
    (step,) = open_steps(plan)
    assert step.unresolved and not step.reviewers.exists()  # no 督导组 was sent to 乙县
    # The 甲县 office is no reviewer of 乙县 and cannot see it.
    assert as_user("office").get(plan.get_absolute_url()).status_code == 404
    response = as_user("city_office").post(
        f"/rectification/plans/{plan.pk}/steps/{step.pk}/reassign/",
        {"person_codes": world.user("office").person.code, "reason": "乙县的督导组尚未派出"},
    )
    assert response.status_code == 302
    client = as_user("office")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "请您办理：市委督导组审阅把关" in page and "乙县县委办" in page
    assert client.get(item.get_absolute_url()).status_code == 200
    inbox = client.get("/reviews/inbox/").content.decode()
    assert f'href="/rectification/plans/{plan.pk}/#decision"' in inbox
    assert client.get("/rectification/").content.decode().count("乙县县委班子整改方案") == 1
    rows = client.get("/api/review-steps/").json()["results"]
    assert [(r["subject_kind"], r["subject_url"]) for r in rows] == [
        ("rectification_plan", f"/rectification/plans/{plan.pk}/")
    ]
    # After his decision he still reads it.
    rect.act(plan, "office")
    assert client.get(plan.get_absolute_url()).status_code == 200


# --- publication ------------------------------------------------------------------------


def test_publication(rect, world):
    plan = team_plan(rect, world)
    item = plan.items.get()
    plan = rect.submit(plan)
    with pytest.raises(ValidationError, match="审核通过后才能公开"):
        services.plan_publish(actor=rect.user("office"), plan=plan, version=plan.version)
    plan = rect.act(rect.act(plan, "supervisor"), "liaison")
    with pytest.raises(PermissionDenied):
        services.plan_publish(actor=rect.user("principal"), plan=plan, version=plan.version)
    services.plan_publish(actor=rect.user("office"), plan=plan, version=plan.version)
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
    plan = rect.act(rect.submit(plan, "member"), "city_office")
    assert plan.status == PlanStatus.APPROVED and not plan.published
    with pytest.raises(ValidationError, match="内部公开"):
        services.plan_publish(actor=rect.user("office"), plan=plan, version=plan.version)
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


# --- pages and API ------------------------------------------------------------------------


def test_plan_pages(rect, world, as_user):
    client = as_user("principal")
    response = client.post(
        f"/rectification/units/{world.county_a.code}/plans/add/",
        {"kind": "team", "title": "甲县县委班子整改方案", "summary": "四风问题逐项整改"},
    )
    assert response.status_code == 302
    plan = selectors.plans_visible_to(rect.user("principal")).get(title="甲县县委班子整改方案")
    item = {"problem": "会多", "measure": "减会", "target": "少开会", "responsible_unit": "县委办"}
    response = client.post(
        f"/rectification/plans/{plan.pk}/items/add/", {**item, "handling": "not_yet", "priority": "normal"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "解释说明" in page
    response = client.post(
        f"/rectification/plans/{plan.pk}/items/add/",
        {**item, "handling": "deadline", "deadline": "2014-07-31", "priority": "high"},
    )
    assert response.status_code == 302
    response = client.post(f"/rectification/plans/{plan.pk}/submit/", {"version": fresh(plan).version})
    assert response.status_code == 302
    page = client.get(f"/rectification/plans/{plan.pk}/").content.decode()
    assert "市委督导组审阅把关" in page and "审核中" in page and "审核进度" in page
    assert "请您办理" not in page  # the author has nothing to decide
    (step,) = open_steps(plan)
    act_url = f"/rectification/plans/{plan.pk}/steps/{step.pk}/act/"
    decision = {"review_version": fresh(plan).review.version, "action": "return_revise"}
    assert as_user("principal").post(act_url, {**decision, "opinion": "x"}).status_code == 403
    assert as_user("city_office").post(act_url, {**decision, "opinion": "x"}).status_code == 403
    assert as_user("office_b").post(act_url, {**decision, "opinion": "x"}).status_code == 404
    assert as_user("office_b").get(f"/rectification/plans/{plan.pk}/").status_code == 404
    assert as_user("anonymous").post(act_url, {**decision, "opinion": "x"}).status_code == 302  # to login
    client = as_user("supervisor")
    page = client.get(f"/rectification/plans/{plan.pk}/").content.decode()
    assert "请您办理：市委督导组审阅把关" in page and "“六不”" not in page
    response = client.post(act_url, {**decision, "opinion": ""}, follow=True)
    assert "请填写审核意见" in response.content.decode() and fresh(plan).status == PlanStatus.IN_REVIEW
    response = client.post(act_url, {**decision, "opinion": "目标不明确"})
    assert response.status_code == 302 and fresh(plan).status == PlanStatus.RETURNED
    page = client.get(f"/rectification/plans/{plan.pk}/").content.decode()
    assert "目标不明确" in page and "退回修改" in page
    # A second post of the same (now closed) step says who did it.
    response = client.post(act_url, {**decision, "opinion": "again"}, follow=True)
    assert "已由" in response.content.decode()


def test_api_submit_and_act(rect, world, as_user):
    plan = team_plan(rect, world)
    url = f"/api/rectification-plans/{plan.pk}/submit/"
    assert as_user("office_b").post(url, {"version": fresh(plan).version}).status_code == 404
    assert as_user("supervisor").post(url, {"version": fresh(plan).version}).status_code == 403
    response = as_user("principal").post(
        url, {"version": fresh(plan).version}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    assert response.json()["review"] == fresh(plan).review_id
    (step,) = open_steps(plan)
    act = f"/api/review-steps/{step.pk}/act/"
    body = {"action": "pass", "opinion": "同意", "review_version": fresh(plan).review.version}
    assert as_user("office_b").post(act, body, content_type="application/json").status_code == 404
    for role in ("principal", "liaison", "city_office"):
        assert as_user(role).post(act, body, content_type="application/json").status_code == 403, role
    response = as_user("supervisor").post(act, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "passed"
    (step,) = open_steps(plan)
    response = as_user("liaison").post(
        f"/api/review-steps/{step.pk}/act/",
        {**body, "review_version": fresh(plan).review.version},
        content_type="application/json",
    )
    assert response.status_code == 200
    detail = as_user("principal").get(f"/api/rectification-plans/{plan.pk}/").json()
    assert detail["status"] == "approved"

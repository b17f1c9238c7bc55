"""The review flow: rounds, returns, re-entry, self-review, stale pages, 审阅, unresolved steps."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from materials import review as engine
from materials.choices import ActionKind, MaterialStatus, StepState
from materials.models import ChainTemplate, ReviewAction, ReviewStep
from tests.materials.conftest import account, members_of
from tests.materials.helpers import act, open_step, resubmit, reviewer_of, write_and_submit
from units.models import Person

pytestmark = pytest.mark.django_db


def give_accounts(*org_names):
    for name in org_names:
        for person in members_of(name):
            account(person.code)


@pytest.fixture
def reviewers(province):
    for code in ("P410922-SJ", "P410900-SJ", "P410000-FSJ", "P410922-ZZ"):
        account(code)
    give_accounts(
        "濮阳市委第二督导组",
        "濮阳市委教育实践活动领导小组办公室",
        "省委第一督导组",
        "河南省委教育实践活动领导小组办公室",
    )
    return province


def step_names(material, round_):
    return [
        (s.name, s.state)
        for s in ReviewStep.objects.filter(review=material.review, round=round_).order_by("order")
    ]


def test_seven_steps_with_two_returns_and_resubmissions(reviewers):
    """The 县长 of 清丰县 goes through all seven steps of the 县（区） chain of [002]."""
    material = write_and_submit(reviewers.campaign, "P410922-ZZ", "410922-ZF")
    assert material.status == MaterialStatus.IN_REVIEW
    assert open_step(material).name == "县（区）委书记审核"
    act(material, ActionKind.PASS)
    act(material, ActionKind.PASS)  # 市委督导组
    act(material, ActionKind.RETURN_REVISE, "“奢靡之风”事例不够具体，请修改。")  # 市委活动办
    material.refresh_from_db()
    assert material.status == MaterialStatus.RETURNED
    assert step_names(material, 1)[-4:] == [
        ("市委书记审核", StepState.CANCELLED),
        ("省委督导组审核", StepState.CANCELLED),
        ("省委活动办审核", StepState.CANCELLED),
        ("省委负责同志审核", StepState.CANCELLED),
    ]

    material = resubmit(material)
    assert open_step(material).name == "市委活动办审核"  # re-enters at the step that returned it
    act(material, ActionKind.PASS)
    act(material, ActionKind.PASS)  # 市委书记
    act(material, ActionKind.RETURN_REWRITE, "剖析不深刻，请退回重写。")  # 省委督导组
    material = resubmit(material)
    assert open_step(material).name == "省委督导组审核"
    act(material, ActionKind.PASS)
    act(material, ActionKind.PASS)  # 省委活动办
    act(material, ActionKind.PASS)  # 省委负责同志
    material.refresh_from_db()
    assert material.status == MaterialStatus.APPROVED
    assert material.review.round == 3 and material.versions.count() == 3
    kinds = list(ReviewAction.objects.filter(review=material.review).values_list("kind", flat=True))
    assert kinds.count(ActionKind.SUBMIT) == 3
    assert kinds.count(ActionKind.PASS) == 7
    assert ActionKind.RETURN_REVISE in kinds and ActionKind.RETURN_REWRITE in kinds
    # Every step of every round is kept; nothing was rewound.
    # round 1: 7 steps; round 2 from 市委活动办: 5; round 3 from 省委督导组: 3
    assert ReviewStep.objects.filter(review=material.review).count() == 7 + 5 + 3


def test_the_return_restarts_from_the_first_step_when_the_template_says_so(reviewers):
    ChainTemplate.objects.filter(code="county").update(reentry="start")
    material = write_and_submit(reviewers.campaign, "P410922-ZZ", "410922-ZF")
    act(material, ActionKind.PASS)
    act(material, ActionKind.RETURN_REVISE, "请修改。")
    material = resubmit(material)
    assert open_step(material).name == "县（区）委书记审核"


def test_pre_step_signature_by_the_party_group_principal(reviewers):
    material = write_and_submit(reviewers.campaign, "P410922-ZF-FZ1", "410922-ZF")
    step = open_step(material)
    assert step.name == "所在党组主要负责同志审核把关并签字" and step.kind == "sign"
    assert reviewer_of(step) == Person.objects.get(code="P410922-ZZ").user
    with pytest.raises(ValidationError):
        act(material, ActionKind.PASS)  # a signature step is signed, not passed
    act(material, ActionKind.SIGN, "已审核把关，签字。")
    assert open_step(material).name == "县（区）委书记审核"


def test_nobody_reviews_his_own_material(reviewers):
    material = write_and_submit(reviewers.campaign, "P410922-SJ", "410922")
    step = open_step(material)
    assert step.name == "市委督导组审核"  # his own step 1 did not apply
    author = material.author.user
    with pytest.raises(PermissionDenied):
        act(material, ActionKind.PASS, user=author)
    office = account("S410900-BGS1")
    with pytest.raises(ValidationError) as exc:
        engine.review_step_reassign(actor=office, step=step, people=[material.author], reason="测试")
    assert "不能指定撰写人本人" in str(exc.value)


def test_only_the_reviewer_of_the_open_step_can_act(reviewers):
    material = write_and_submit(reviewers.campaign, "P410922-ZZB", "410922")
    someone_else = account("P410900-SJ")  # a reviewer later in the chain, not now
    with pytest.raises(PermissionDenied):
        act(material, ActionKind.PASS, user=someone_else)


def test_a_stale_page_cannot_act(reviewers):
    material = write_and_submit(reviewers.campaign, "P410922-ZZB", "410922")
    step = open_step(material)
    stale = material.review.version
    act(material, ActionKind.PASS)
    next_step = open_step(material)
    with pytest.raises(ValidationError) as exc:
        engine.review_step_act(
            actor=reviewer_of(next_step),
            step=next_step,
            decision=engine.Decision(ActionKind.PASS, "同意"),
            review_version=stale,
        )
    assert "页面内容已过期" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        engine.review_step_act(
            actor=account("P410922-SJ"),  # the 县委书记 who already passed it
            step=step,
            decision=engine.Decision(ActionKind.PASS, "同意"),
            review_version=None,
        )
    assert "已由" in str(exc.value) and "办理" in str(exc.value)


def test_an_opinion_is_required_and_the_checklist_is_kept(reviewers):
    material = write_and_submit(reviewers.campaign, "P410922-ZZB", "410922")
    step = open_step(material)
    with pytest.raises(ValidationError) as exc:
        engine.review_step_act(
            actor=reviewer_of(step),
            step=step,
            decision=engine.Decision(ActionKind.PASS, "  "),
            review_version=None,
        )
    assert "请填写审核意见" in str(exc.value)
    engine.review_step_act(
        actor=reviewer_of(step),
        step=step,
        decision=engine.Decision(ActionKind.PASS, "同意", ("bu_rao", "bu_jia")),
        review_version=None,
    )
    assert ReviewAction.objects.get(step=step).checklist == ["bu_jia", "bu_rao"]


def test_acknowledge_does_not_block_approval(reviewers):
    give_accounts("中央第三巡回督导组", "中央教育实践活动领导小组办公室")
    account("P410000-SJ")
    material = write_and_submit(reviewers.campaign, "P410900-SJ", "410900")
    for _ in range(4):  # 省委督导组, 省委活动办, 省委主要负责同志, 中央巡回督导组
        act(material, ActionKind.PASS)
    material.refresh_from_db()
    assert material.status == MaterialStatus.APPROVED
    ack = ReviewStep.objects.get(review=material.review, kind="acknowledge")
    assert ack.state == StepState.OPEN and ack.name == "中央活动办审阅"
    engine.review_step_act(
        actor=reviewer_of(ack),
        step=ack,
        decision=engine.Decision(ActionKind.ACKNOWLEDGE, "已阅。"),
        review_version=None,
    )
    ack.refresh_from_db()
    assert ack.state == StepState.ACKNOWLEDGED


def test_a_step_without_a_reviewer_is_flagged_and_the_office_assigns_one(reviewers):
    # Nobody in 清丰县委第一督导组 has an account: the step opens flagged, never skipped.
    township_secretary = account("P410922001-SJ")
    material = write_and_submit(reviewers.campaign, "P410922001-ZZW", "410922001")
    act(material, ActionKind.PASS, user=township_secretary)
    step = open_step(material)
    assert step.name == "县委督导组审核" and step.unresolved
    assert ReviewAction.objects.filter(step=step, kind=ActionKind.UNRESOLVED).exists()
    county_office = account("S410922-BGS1")
    leader = members_of("清丰县委第一督导组")[0]
    with pytest.raises(ValidationError):
        engine.review_step_reassign(
            actor=county_office, step=step, people=[leader], reason="组长尚未开通账号"
        )
    account(leader.code)
    leader.refresh_from_db()
    with pytest.raises(PermissionDenied):
        engine.review_step_reassign(actor=account("P410922-ZZB"), step=step, people=[leader], reason="越权")
    engine.review_step_reassign(actor=county_office, step=step, people=[leader], reason="组长已开通账号")
    step.refresh_from_db()
    assert not step.unresolved and reviewer_of(step) == leader.user
    act(material, ActionKind.PASS)
    assert open_step(material).name == "县委活动办审核"


def test_reviewers_get_read_access_to_the_material(reviewers):
    from materials.selectors import materials_visible_to

    material = write_and_submit(reviewers.campaign, "P410922-ZZB", "410922")
    reviewer = account("P410922-SJ")
    assert materials_visible_to(reviewer).filter(pk=material.pk).exists()
    act(material, ActionKind.PASS)
    # The 省委第一督导组 reaches 清丰县 by its assignment; 许昌市's office does not.
    provincial = account(members_of("省委第一督导组")[0].code)
    assert materials_visible_to(provincial).filter(pk=material.pk).exists()
    other_city = account(members_of("许昌市委教育实践活动领导小组办公室")[0].code)
    assert not materials_visible_to(other_city).filter(pk=material.pk).exists()


def test_one_pass_opening_a_step_for_three_reviewers_has_a_pinned_query_count(
    reviewers, django_assert_max_num_queries
):
    from materials.models import MaterialUserObjectPermission

    material = write_and_submit(reviewers.campaign, "P410922-ZZB", "410922")
    step = open_step(material)  # 县（区）委书记审核; next: 市委督导组审核, three members
    actor = reviewer_of(step)
    step_history = ReviewStep.history.filter(review=material.review).count()
    review_history = material.review.history.count()
    # 47 before the grants were batched. Now: savepoint; the review and the step locked; the
    # actor's seat with his person; the step saved (acted_by's row, UPDATE, history); the seats
    # closed; the action; the review's version (UPDATE, history); the subject (lineage, the
    # author's posts); the round's steps with their template steps; the 督导组 (assignments,
    # seats with people and accounts); the next step saved (UPDATE, history); its three seats
    # in one INSERT; the grants (the permission, one INSERT); release. None is per reviewer.
    with django_assert_max_num_queries(22):
        engine.review_step_act(
            actor=actor,
            step=step,
            decision=engine.Decision(ActionKind.PASS, "同意。"),
            review_version=None,
        )
    following = open_step(material)
    seats = list(following.reviewers.filter(is_open=True).values_list("user_id", flat=True))
    assert following.name == "市委督导组审核" and len(seats) == 3
    granted = MaterialUserObjectPermission.objects.filter(
        content_object=material, permission__codename="view_material", user_id__in=seats
    )
    assert granted.count() == 3
    # The audit trail is unchanged: one history row per step written, one for the review.
    assert ReviewStep.history.filter(review=material.review).count() == step_history + 2
    assert material.review.history.count() == review_history + 1
    assert ReviewAction.objects.filter(step=step, kind=ActionKind.PASS, actor=actor).count() == 1

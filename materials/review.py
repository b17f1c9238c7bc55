"""The review-chain engine: rounds, steps and the actions reviewers take on them.

Generic over what is reviewed. A subject kind registers a ``SubjectHandler``
(materials do so below; meeting plans and rectification plans will); the
engine calls it when reviewers must be able to read the subject, and when the
review is returned or approved.

Every transition locks the review row then the step row, re-checks state and
permission under the lock, writes, and appends a ReviewAction. Steps are never
rewound: a return closes the round and a resubmission opens a new one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign import clock, links
from campaign.services import save_validated
from materials.chains import PlannedStep, Subject, build_subject, matches, plan, resolve
from materials.choices import (
    BLOCKING_STEP_KINDS,
    RETURN_ACTIONS,
    ActionKind,
    Reentry,
    ReviewStatus,
    SixNo,
    StepKind,
    StepState,
)
from materials.models import ChainRule, ChainTemplate, Review, ReviewAction, ReviewStep, ReviewStepReviewer
from units.access import require, scope_for
from units.models import Person, Unit

MAX_OPINION = 5000
_ACTION_FOR_KIND = {
    StepKind.REVIEW: {ActionKind.PASS, ActionKind.RETURN_REVISE, ActionKind.RETURN_REWRITE},
    StepKind.SIGN: {ActionKind.SIGN, ActionKind.RETURN_REVISE, ActionKind.RETURN_REWRITE},
    StepKind.ACKNOWLEDGE: {ActionKind.ACKNOWLEDGE},
}
_STATE_AFTER = {
    ActionKind.PASS: StepState.PASSED,
    ActionKind.SIGN: StepState.SIGNED,
    ActionKind.ACKNOWLEDGE: StepState.ACKNOWLEDGED,
    ActionKind.RETURN_REVISE: StepState.RETURNED,
    ActionKind.RETURN_REWRITE: StepState.RETURNED,
}


class SubjectHandler(Protocol):
    """What a subject kind does when its review moves (called inside the engine's transaction)."""

    def grant_read(self, review: Review, users: list[Any]) -> None: ...

    def after_returned(self, review: Review, action: str, actor: Any) -> None: ...

    def after_approved(self, review: Review, actor: Any) -> None: ...


HANDLERS: dict[str, SubjectHandler] = {}


def register_subject(kind: str, handler: SubjectHandler) -> None:
    HANDLERS[kind] = handler


def subject_url(subject_kind: str, subject_id: int) -> str:
    """Where a subject is read and decided: its handler's ``url(subject_id)``, else a material. No query."""
    handler = HANDLERS.get(subject_kind)
    if handler is not None and hasattr(handler, "url"):
        return handler.url(subject_id)
    return reverse("materials:detail", args=[subject_id])


def subject_url_maker() -> Callable[[str, int], str]:
    """``subject_url`` for the rows of a list: each kind's URL is reversed once and the ids are
    filled in (a reverse() per row, some 25 µs each, was over a millisecond of a 50-row inbox)."""
    patterns: dict[str, tuple[str, str] | None] = {}

    def url(subject_kind: str, subject_id: int) -> str:
        if subject_kind not in patterns:
            patterns[subject_kind] = links.split_at_sentinel(subject_url(subject_kind, links.SENTINEL))
        pattern = patterns[subject_kind]
        if pattern is None:  # a handler whose URL does not show the id as it is
            return subject_url(subject_kind, subject_id)
        return f"{pattern[0]}{subject_id}{pattern[1]}"

    return url


def subject_visible(user: Any, subject_kind: str, subject_id: int) -> bool:
    """Whether ``user`` may read a subject; each handler says through an optional ``visible``."""
    handler = HANDLERS.get(subject_kind)
    return handler is not None and hasattr(handler, "visible") and bool(handler.visible(user, subject_id))


def _person_name(user: Any, person: Person | None = None) -> str:
    person = person or getattr(user, "person", None)
    return person.name if person else (user.get_full_name() or user.username)


def subject_of(review: Review) -> Subject:
    return build_subject(
        campaign_id=review.campaign_id,
        unit=review.unit,
        author=review.author,
        is_body=review.is_body,
        material_kind=review.variant,
    )


# --- choosing the chain -----------------------------------------------------------


def select_template(subject_kind: str, subject: Subject) -> ChainTemplate:
    """The template of the first active rule (by priority) whose condition matches."""
    rules = ChainRule.objects.filter(subject_kind=subject_kind, is_active=True, template__is_active=True)
    for rule in rules.select_related("template").order_by("priority", "pk"):
        if matches(rule.condition, subject):
            return rule.template
    raise ValidationError(
        _("没有适用于“%(unit)s”这类材料的审核流程，请联系活动办在管理后台设置流程适用规则。")
        % {"unit": subject.unit.name}
    )


def template_plan(template: ChainTemplate, subject: Subject, from_order: int = 1) -> list[PlannedStep]:
    steps = list(template.steps.filter(order__gte=from_order).select_related("rule_person").order_by("order"))
    return plan(steps, subject)


# --- rounds ---------------------------------------------------------------------------


@transaction.atomic
def review_submit(
    *,
    actor: Any,
    review: Review | None,
    subject_kind: str,
    subject_id: int,
    campaign_id: int,
    unit: Unit,
    author: Person,
    is_body: bool,
    variant: str,
    title: str,
    subject_version: int | None,
) -> Review:
    """Start the first round, or a new round after a return. Callers check the author's right."""
    now = clock.now()
    subject = build_subject(
        campaign_id=campaign_id, unit=unit, author=author, is_body=is_body, material_kind=variant
    )
    if review is None:
        template = select_template(subject_kind, subject)
        review = Review(
            campaign_id=campaign_id,
            unit=unit,
            unit_path=unit.path,
            subject_kind=subject_kind,
            subject_id=subject_id,
            title=title,
            author=author,
            template=template,
            is_body=is_body,
            variant=variant,
            submitted_at=now,
        )
        save_validated(review, actor=actor)
        entry = 1
    else:
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.status != ReviewStatus.RETURNED:
            raise ValidationError(_("该材料正在审核或已审核通过，不能重复提交。"))
        entry = 1 if review.template.reentry == Reentry.START else (review.returned_at_order or 1)
        review.round += 1
        review.status = ReviewStatus.IN_REVIEW
        review.title = title
        review.submitted_at = now
        save_validated(review, actor=actor, update_fields=["round", "status", "title", "submitted_at"])
    planned = [p for p in template_plan(review.template, subject, entry) if p.applies]
    if not any(p.step.kind in BLOCKING_STEP_KINDS for p in planned):
        raise ValidationError(
            _("按照审核流程“%(t)s”，该材料没有需要审核的环节，请联系活动办检查流程设置。")
            % {"t": review.template}
        )
    ReviewStep.objects.bulk_create(
        ReviewStep(
            review=review,
            round=review.round,
            order=p.step.order,
            template_step=p.step,
            name=p.step.name,
            kind=p.step.kind,
            unit_path=review.unit_path,
        )
        for p in planned
    )
    ReviewAction.objects.create(
        review=review,
        round=review.round,
        kind=ActionKind.SUBMIT,
        actor=actor,
        actor_name=_person_name(actor),
        subject_version=subject_version,
    )
    _advance(review, subject, actor, now)
    return review


def _advance(review: Review, subject: Subject, actor: Any, now: datetime.datetime) -> None:
    """Open the next waiting step (and past it, while it is a non-blocking 审阅), or finish."""
    # _open reads each step's template step and the accounts of a named reviewer.
    steps = list(
        review.steps.filter(round=review.round)
        .select_related("template_step__rule_person__user")
        .order_by("order")
    )
    for step in steps:
        if step.state == StepState.OPEN and step.kind in BLOCKING_STEP_KINDS:
            return
        if step.state != StepState.WAITING:
            continue
        _open(step, review, subject, actor, now)
        if step.kind in BLOCKING_STEP_KINDS:
            return
    _approve(review, actor, now)


def _open(step: ReviewStep, review: Review, subject: Subject, actor: Any, now: datetime.datetime) -> None:
    resolution = resolve(step.template_step, subject)
    with_accounts = [p for p in resolution.people if p.user_id]
    step.state = StepState.OPEN
    step.opened_at = now
    step.due_at = now + datetime.timedelta(days=step.template_step.time_limit_days)
    names = "、".join(p.name for p in resolution.people)
    step.reviewer_label = f"{resolution.label}（{names}）" if names else resolution.label
    step.unresolved = not with_accounts
    save_validated(
        step, actor=actor, update_fields=["state", "opened_at", "due_at", "reviewer_label", "unresolved"]
    )
    if step.unresolved:
        ReviewAction.objects.create(
            review=review,
            step=step,
            round=review.round,
            kind=ActionKind.UNRESOLVED,
            actor=None,
            actor_name=_("系统"),
            opinion=_("无法确定“%(step)s”的审核人（%(who)s），已提请活动办指定。")
            % {"step": step.name, "who": resolution.label if not names else names + _("，均无登录账号")},
        )
        return
    _assign(step, review, with_accounts, now)


def _assign(step: ReviewStep, review: Review, people: Iterable[Person], now: datetime.datetime) -> None:
    people = list(people)
    ReviewStepReviewer.objects.bulk_create(
        ReviewStepReviewer(step=step, user=p.user, person=p, is_open=True, opened_at=now) for p in people
    )
    HANDLERS[review.subject_kind].grant_read(review, [p.user for p in people])


def _approve(review: Review, actor: Any, now: datetime.datetime) -> None:
    blocking_left = review.steps.filter(
        round=review.round, kind__in=BLOCKING_STEP_KINDS, state__in=[StepState.WAITING, StepState.OPEN]
    ).exists()
    if blocking_left or review.status == ReviewStatus.APPROVED:
        return
    review.status = ReviewStatus.APPROVED
    review.finished_at = now
    save_validated(review, actor=actor, update_fields=["status", "finished_at"])
    HANDLERS[review.subject_kind].after_approved(review, actor)


# --- reviewers' actions -----------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    action: str
    opinion: str
    checklist: tuple[str, ...] = ()


@transaction.atomic
def review_step_act(
    *, actor: Any, step: ReviewStep, decision: Decision, review_version: int | None
) -> ReviewStep:
    """通过 / 签字 / 退回修改 / 退回重写 / 审阅 on an open step, by one of its reviewers."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("unit", "author", "template")
        .get(pk=step.review_id)
    )
    step = (
        ReviewStep.objects.select_for_update(of=("self",))
        .select_related("acted_by__person", "template_step")
        .get(pk=step.pk)
    )
    if step.state != StepState.OPEN:
        if step.acted_by_id:
            raise ValidationError(
                _("“%(step)s”已由%(who)s于%(when)s办理（%(state)s），无需重复操作。")
                % {
                    "step": step.name,
                    "who": _person_name(step.acted_by),
                    "when": step.acted_at.astimezone(clock.now().tzinfo).strftime("%Y-%m-%d %H:%M")
                    if step.acted_at
                    else "",
                    "state": step.get_state_display(),
                }
            )
        raise ValidationError(
            _("“%(step)s”当前不在办理中（%(state)s）。")
            % {"step": step.name, "state": step.get_state_display()}
        )
    if review_version is not None and review_version != review.version:
        raise ValidationError(
            _("页面内容已过期：材料在您打开页面后已有新的处理，请刷新页面后再操作。"), code="stale"
        )
    seat = (
        ReviewStepReviewer.objects.filter(step=step, user=actor, is_open=True)
        .select_related("person")
        .first()
    )
    if seat is None:
        raise PermissionDenied(_("您不是“%(step)s”的审核人，不能办理。") % {"step": step.name})
    # The seat's person is the actor's own (no second read) unless the account was relinked since.
    person = seat.person if seat.person.user_id == actor.pk else getattr(actor, "person", None)
    require(person is None or person.pk != review.author_id, _("不能审核本人的材料。"))
    action = decision.action
    if action not in _ACTION_FOR_KIND[StepKind(step.kind)]:
        raise ValidationError(
            _("“%(step)s”是%(kind)s环节，不能“%(action)s”。")
            % {"step": step.name, "kind": step.get_kind_display(), "action": ActionKind(action).label}
        )
    opinion = (decision.opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": _("请填写审核意见。")})
    if len(opinion) > MAX_OPINION:
        raise ValidationError({"opinion": _("审核意见不能超过%(n)d字。") % {"n": MAX_OPINION}})
    unknown = set(decision.checklist) - set(SixNo.values)
    if unknown:
        raise ValidationError({"checklist": _("“六不”核对项不正确。")})

    now = clock.now()
    step.state = _STATE_AFTER[ActionKind(action)]
    step.acted_at, step.acted_by = now, actor
    save_validated(step, actor=actor, update_fields=["state", "acted_at", "acted_by"])
    ReviewStepReviewer.objects.filter(step=step).update(is_open=False)
    ReviewAction.objects.create(
        review=review,
        step=step,
        round=review.round,
        kind=action,
        actor=actor,
        actor_name=_person_name(actor, person),
        opinion=opinion,
        checklist=sorted(decision.checklist),
    )
    if action in RETURN_ACTIONS:
        _close_round(review, actor, returning=step)
        HANDLERS[review.subject_kind].after_returned(review, action, actor)
    else:
        save_validated(
            review, actor=actor, update_fields=[]
        )  # bump the version: pages opened before are stale
        _advance(review, subject_of(review), actor, now)
    return step


def _close_round(review: Review, actor: Any, returning: ReviewStep) -> None:
    open_or_waiting = review.steps.filter(round=review.round, state__in=[StepState.WAITING, StepState.OPEN])
    for other in open_or_waiting.select_for_update():
        other.state = StepState.CANCELLED
        save_validated(other, actor=actor, update_fields=["state"])
    ReviewStepReviewer.objects.filter(step__review=review, step__round=review.round).update(is_open=False)
    review.status = ReviewStatus.RETURNED
    review.returned_at_order = returning.order
    save_validated(review, actor=actor, update_fields=["status", "returned_at_order"])


@transaction.atomic
def review_step_reassign(*, actor: Any, step: ReviewStep, people: list[Person], reason: str) -> ReviewStep:
    """The office names the reviewer(s) of an open step: after a post changed, or none could be resolved."""
    review = Review.objects.select_for_update().get(pk=step.review_id)
    step = ReviewStep.objects.select_for_update().get(pk=step.pk)
    require(scope_for(actor).can_manage(review.unit_path), _("只有该单位或其上级的活动办可以调整审核人。"))
    if step.state != StepState.OPEN:
        raise ValidationError(_("只能调整待处理环节的审核人。"))
    if not people:
        raise ValidationError({"people": _("请至少指定一名审核人。")})
    if any(p.pk == review.author_id for p in people):
        raise ValidationError({"people": _("不能指定撰写人本人审核自己的材料。")})
    without = [p.name for p in people if not p.user_id]
    if without:
        raise ValidationError(
            {"people": _("这些人员没有登录账号，无法办理：%(names)s") % {"names": "、".join(without)}}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("请说明调整原因。")})
    now = clock.now()
    previous = step.reviewer_label
    ReviewStepReviewer.objects.filter(step=step).delete()
    _assign(step, review, people, now)
    step.unresolved = False
    step.reviewer_label = _("活动办指定（%(names)s）") % {"names": "、".join(p.name for p in people)}
    save_validated(step, actor=actor, update_fields=["unresolved", "reviewer_label"])
    save_validated(review, actor=actor, update_fields=[])
    ReviewAction.objects.create(
        review=review,
        step=step,
        round=review.round,
        kind=ActionKind.REASSIGN,
        actor=actor,
        actor_name=_person_name(actor),
        opinion=_("审核人由“%(old)s”调整为“%(new)s”。原因：%(reason)s")
        % {"old": previous, "new": step.reviewer_label, "reason": reason.strip()},
    )
    return step


def require_reviewer(user: Any, step: ReviewStep) -> None:
    if not ReviewStepReviewer.objects.filter(step=step, user=user, is_open=True).exists():
        raise PermissionDenied(_("您不是“%(step)s”的审核人。") % {"step": step.name})

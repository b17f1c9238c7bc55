"""Synthetic 对照检查材料 for ``generate_province``, reviewed along the chain rules.

Every 班子 (a brief one for villages and communities) and every member of a 班子 above the
village has a material. Which template applies and which of its steps apply is asked of
the review engine itself (``materials.review.select_template`` and ``template_plan``) once
per kind of subject (unit kind, level, category, author's role and rank), so every review
step belongs to an applicable chain. Reviews stand at every step and state: drafts, in
review at each step (the open step has its reviewers, so inboxes fill), returned, approved.
Reviewers of an open step are worked out from the generated people, as the engine would.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from campaign.generate import Context, UnitInfo
from materials import sections
from materials.chains import build_subject
from materials.choices import (
    BLOCKING_STEP_KINDS,
    ActionKind,
    MaterialKind,
    MaterialStatus,
    ReviewerRule,
    ReviewStatus,
    StepKind,
    StepState,
    SubjectKind,
)
from materials.models import (
    ChainStep,
    Material,
    MaterialVersion,
    Review,
    ReviewAction,
    ReviewStep,
    ReviewStepReviewer,
)
from materials.review import select_template, template_plan
from units.choices import PARTY_GROUP_ORGAN_KINDS, OrgKind, OrgRole, PostRole, UnitCategory, UnitKind
from units.models import Person, Unit

TEXT = (
    "对照党章和“三严三实”要求，查摆“四风”方面的突出问题：一是学习不够深入，"
    "调查研究不够，有时用会议贯彻会议；二是深入基层少，群众反映的问题解决不及时；"
    "三是艰苦奋斗精神有所淡化；四是公务接待把关不严。下一步将逐项整改，建立长效机制。"
)
PASSED_STATE = {
    StepKind.REVIEW: StepState.PASSED,
    StepKind.SIGN: StepState.SIGNED,
    StepKind.ACKNOWLEDGE: StepState.ACKNOWLEDGED,
}
PASSED_ACTION = {
    StepKind.REVIEW: ActionKind.PASS,
    StepKind.SIGN: ActionKind.SIGN,
    StepKind.ACKNOWLEDGE: ActionKind.ACKNOWLEDGE,
}


@dataclass
class _Author:
    unit: UnitInfo
    person: int
    role: str  # "" for a 班子 material
    kind: str


def _authors(ctx: Context) -> list[_Author]:
    found = []
    for unit in ctx.units:
        if unit.level < 2 or unit.principal is None:
            continue  # the province's own materials go to the centre: not modelled here
        if unit.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY):
            found.append(_Author(unit, unit.principal, "", MaterialKind.BRIEF))
            continue
        found.append(_Author(unit, unit.principal, "", MaterialKind.BODY))
        found.append(_Author(unit, unit.principal, PostRole.PRINCIPAL, MaterialKind.PERSONAL))
        if unit.government_head:
            found.append(_Author(unit, unit.government_head, PostRole.GOVERNMENT_HEAD, MaterialKind.PERSONAL))
        found.extend(_Author(unit, p, PostRole.MEMBER, MaterialKind.PERSONAL) for p in unit.members)
        found.extend(
            _Author(unit, p, PostRole.SECTION_HEAD, MaterialKind.PERSONAL) for p in unit.section_heads
        )
    return found


def _signature(ctx: Context, a: _Author) -> tuple[Any, ...]:
    u = a.unit
    return (
        u.kind,
        u.level,
        u.category,
        u.area is u,
        a.kind,
        a.role,
        ctx.person_rank.get(a.person),
        u.parent.kind if u.parent else "",
    )


class _Plans:
    """The applicable steps for each kind of subject, asked of the engine once per kind."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.cache: dict[tuple[Any, ...], tuple[int, list[ChainStep]] | None] = {}
        self.units: dict[int, Unit] = {}
        self.people: dict[int, Person] = {}

    def get(self, a: _Author) -> tuple[int, list[ChainStep]] | None:
        key = _signature(self.ctx, a)
        if key not in self.cache:
            unit = self.units.get(a.unit.pk) or Unit.objects.get(pk=a.unit.pk)
            author = Person.objects.get(pk=a.person)
            subject = build_subject(
                campaign_id=self.ctx.campaign_id,
                unit=unit,
                author=author,
                is_body=not a.role,
                material_kind=a.kind,
            )
            try:
                template = select_template(SubjectKind.MATERIAL, subject)
            except ValidationError:
                self.cache[key] = None
            else:
                steps = [p.step for p in template_plan(template, subject) if p.applies]
                ok = any(s.kind in BLOCKING_STEP_KINDS for s in steps)
                self.cache[key] = (template.pk, steps) if ok else None
        return self.cache[key]


def _reviewers(ctx: Context, step: ChainStep, a: _Author) -> tuple[list[int], str]:
    """Person pks who review ``step`` for this author (as ``materials.chains.resolve`` would)."""
    rule, level, unit = step.reviewer_rule, step.rule_level, a.unit
    people: list[int] = []
    area = unit.area_at(level) if level is not None else None
    if rule == ReviewerRule.UNIT_PRINCIPAL:
        people = [unit.principal] if unit.principal else []
    elif rule == ReviewerRule.DEPARTMENT_PRINCIPAL:
        dept = unit.parent if unit.category == UnitCategory.SUBORDINATE and unit.parent else unit
        people = [dept.principal] if dept.principal else []
    elif rule == ReviewerRule.PARTY_GROUP_PRINCIPAL:
        people = [unit.principal] if unit.kind in PARTY_GROUP_ORGAN_KINDS and unit.principal else []
    elif rule == ReviewerRule.SECRETARY:
        people = [area.principal] if area and area.principal else []
    elif rule == ReviewerRule.SUPERVISION_GROUP:
        for u in unit.ancestors_or_self():
            found = ctx.supervision.get((u.pk, level or 0))
            if found:
                people = list(found)
                break
    elif (
        rule in (ReviewerRule.OFFICE, ReviewerRule.LIAISON_GROUP, ReviewerRule.LEADING_GROUP_LEADER) and area
    ):
        kind = {
            ReviewerRule.OFFICE: OrgKind.OFFICE,
            ReviewerRule.LIAISON_GROUP: OrgKind.LIAISON_GROUP,
            ReviewerRule.LEADING_GROUP_LEADER: OrgKind.LEADING_GROUP,
        }[ReviewerRule(rule)]
        seats = ctx.org_seats.get((area.pk, kind), [])
        people = [
            p for p, role in seats if rule != ReviewerRule.LEADING_GROUP_LEADER or role == OrgRole.LEADER
        ]
    label = f"{area.name if area else unit.name}·{step.name}"
    return [p for p in people if p != a.person], label


def _rows(ctx: Context) -> None:
    plans = _Plans(ctx)
    rng = ctx.rng
    materials: list[Material] = []
    versions: list[MaterialVersion] = []
    reviews: list[Review] = []
    steps: list[ReviewStep] = []
    reviewers: list[ReviewStepReviewer] = []
    actions: list[ReviewAction] = []
    content = sections.empty_content(True)
    personal_content = sections.empty_content(False)

    def flush() -> None:
        ctx.write(Review, reviews)  # before the materials that point at them
        ctx.write(Material, materials)
        ctx.write(MaterialVersion, versions)
        ctx.write(ReviewStep, steps)
        ctx.write(ReviewStepReviewer, reviewers)
        ctx.write(ReviewAction, actions)
        for rows in (materials, versions, reviews, steps, reviewers, actions):
            rows.clear()

    for a in _authors(ctx):
        plan = plans.get(a)
        unit = a.unit
        material_pk = ctx.pks(Material, 1)
        is_body = not a.role
        title = f"{unit.name}{'领导班子' if is_body else ''}对照检查材料"
        roll = rng.random()
        status = (
            MaterialStatus.DRAFT
            if plan is None or roll < 0.10
            else MaterialStatus.RETURNED
            if roll < 0.20
            else MaterialStatus.APPROVED
            if roll < 0.45
            else MaterialStatus.IN_REVIEW
        )
        submitted = ctx.now - datetime.timedelta(days=rng.randint(3, 40), minutes=rng.randint(0, 600))
        review_pk = ctx.pks(Review, 1) if status != MaterialStatus.DRAFT else None
        materials.append(
            Material(
                pk=material_pk,
                campaign_id=ctx.campaign_id,
                unit_id=unit.pk,
                unit_path=unit.path,
                kind=a.kind,
                subject_person_id=None if is_body else a.person,
                author_id=a.person,
                title=title,
                status=status,
                draft=content if is_body else personal_content,
                review_id=review_pk,
                version=2 if review_pk else 1,
            )
        )
        if review_pk is None or plan is None:
            if len(materials) >= 2000:
                flush()
            continue
        versions.append(
            MaterialVersion(
                pk=ctx.pks(MaterialVersion, 1),
                material_id=material_pk,
                number=1,
                content=content if is_body else personal_content,
                text=title + "\n" + TEXT,
                submitted_at=submitted,
                submitted_by_id=ctx.person_user.get(a.person, ctx.admin_id or 0),
            )
        )
        template_pk, chain = plan
        blocking = [i for i, s in enumerate(chain) if s.kind in BLOCKING_STEP_KINDS]
        at = rng.choice(blocking)  # the open (or returning) step
        review_status = {
            MaterialStatus.RETURNED: ReviewStatus.RETURNED,
            MaterialStatus.APPROVED: ReviewStatus.APPROVED,
        }.get(status, ReviewStatus.IN_REVIEW)
        reviews.append(
            Review(
                pk=review_pk,
                campaign_id=ctx.campaign_id,
                unit_id=unit.pk,
                unit_path=unit.path,
                subject_kind=SubjectKind.MATERIAL,
                subject_id=material_pk,
                title=title,
                author_id=a.person,
                template_id=template_pk,
                is_body=is_body,
                variant=a.kind,
                status=review_status,
                returned_at_order=chain[at].order if review_status == ReviewStatus.RETURNED else None,
                submitted_at=submitted,
                finished_at=submitted + datetime.timedelta(days=len(chain))
                if review_status == ReviewStatus.APPROVED
                else None,
            )
        )
        actions.append(
            ReviewAction(
                pk=ctx.pks(ReviewAction, 1),
                review_id=review_pk,
                round=1,
                kind=ActionKind.SUBMIT,
                actor_id=ctx.person_user.get(a.person),
                subject_version=1,
                created_at=submitted,
            )
        )
        when = submitted
        for i, s in enumerate(chain):
            step_pk = ctx.pks(ReviewStep, 1)
            opened = when
            if review_status == ReviewStatus.APPROVED or i < at:
                state = PASSED_STATE[StepKind(s.kind)]
            elif i == at:
                state = StepState.RETURNED if review_status == ReviewStatus.RETURNED else StepState.OPEN
            else:
                state = StepState.CANCELLED if review_status == ReviewStatus.RETURNED else StepState.WAITING
            entered = state != StepState.WAITING and state != StepState.CANCELLED
            people, label = _reviewers(ctx, s, a) if entered else ([], "")
            with_users = [p for p in people if p in ctx.person_user]
            acted = state not in (StepState.OPEN, StepState.WAITING, StepState.CANCELLED)
            actor = ctx.person_user.get(with_users[0]) if acted and with_users else None
            acted_at = opened + datetime.timedelta(hours=rng.randint(2, 90)) if acted else None
            steps.append(
                ReviewStep(
                    pk=step_pk,
                    review_id=review_pk,
                    round=1,
                    order=s.order,
                    template_step_id=s.pk,
                    name=s.name,
                    kind=s.kind,
                    state=state,
                    reviewer_label=label,
                    unresolved=entered and not with_users,
                    unit_path=unit.path,
                    opened_at=opened if entered else None,
                    due_at=opened + datetime.timedelta(days=s.time_limit_days) if entered else None,
                    acted_at=acted_at,
                    acted_by_id=actor,
                )
            )
            if entered:
                reviewers.extend(
                    ReviewStepReviewer(
                        pk=ctx.pks(ReviewStepReviewer, 1),
                        step_id=step_pk,
                        user_id=ctx.person_user[p],
                        person_id=p,
                        is_open=state == StepState.OPEN,
                        opened_at=opened,
                    )
                    for p in dict.fromkeys(with_users)
                )
            if acted:
                kind = (
                    ActionKind.RETURN_REVISE
                    if state == StepState.RETURNED
                    else PASSED_ACTION[StepKind(s.kind)]
                )
                actions.append(
                    ReviewAction(
                        pk=ctx.pks(ReviewAction, 1),
                        review_id=review_pk,
                        step_id=step_pk,
                        round=1,
                        kind=kind,
                        actor_id=actor,
                        actor_name="",
                        opinion="同意。"
                        if kind != ActionKind.RETURN_REVISE
                        else "查摆问题不够具体，请修改。",
                        created_at=acted_at or when,
                    )
                )
                when = acted_at or when
        if len(materials) >= 2000:
            flush()
    flush()
    ctx.counts["chain classes"] = len(plans.cache)


def generate(ctx: Context) -> None:
    ctx.step("materials and reviews", _rows)

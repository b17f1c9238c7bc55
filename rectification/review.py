"""Review of 整改方案: the minimal chain of [003], kept behind a small interface.

"全市副处级以上党员干部的整改措施和副处级以上领导班子整改方案先报市委各督导组审阅把关，
再由市委各督导组统一报市委活动办联络组审核" [003]: plans of 副处级 and above go to the
督导组, then to the 联络组 of the office that sent it. Other plans are checked by the
office above the unit ("上级党组织…严格审核把关").

The review-chain engine being built in ``materials/`` will replace this module.
What ``rectification.services`` needs from it — and all it needs — is:

    chain_for(plan) -> str                       # the chain key stored on the plan at submit
    steps(chain_key) -> list[ReviewStep]         # ordered steps of that chain
    may_review(user, plan) -> bool               # may act on the plan's current step
    awaiting_q(user) -> Q                        # filter on RectificationPlan: waiting for user

The services own the plan's status and events (submit, pass, return, approved);
this module only says which steps there are and who acts at each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign import clock
from rectification.choices import ListKind, PlanStatus
from rectification.models import RectificationPlan
from rectification.rights import in_team, office_above
from units.access import scope_for
from units.choices import OrgKind, PostRole, Rank, Role
from units.models import OrgMembership, Post, Unit

# 副处级以上 [003].
SENIOR_RANKS = frozenset(
    {Rank.MINISTER, Rank.BUREAU, Rank.DEPUTY_BUREAU, Rank.DIVISION, Rank.DEPUTY_DIVISION}
)

SENIOR = "senior"  # 督导组审阅 → 活动办联络组审核
UPPER = "upper"  # 上级活动办审核


@dataclass(frozen=True)
class ReviewStep:
    key: str
    label: Any


SUPERVISION_STEP = ReviewStep("supervision_group", _("督导组审阅把关"))
LIAISON_STEP = ReviewStep("liaison_group", _("活动办联络组审核"))
UPPER_OFFICE_STEP = ReviewStep("upper_office", _("上级活动办审核"))

CHAINS = {SENIOR: [SUPERVISION_STEP, LIAISON_STEP], UPPER: [UPPER_OFFICE_STEP]}


def steps(chain_key: str) -> list[ReviewStep]:
    return CHAINS.get(chain_key, [])


def current_step(plan: RectificationPlan) -> ReviewStep | None:
    chain = steps(plan.review_chain)
    if plan.status != PlanStatus.IN_REVIEW or plan.review_step >= len(chain):
        return None
    return chain[plan.review_step]


def is_senior(plan: RectificationPlan) -> bool:
    """A personal plan of a 副处级+ cadre, or the plan of a 班子 led at 副处级+."""
    if plan.kind == ListKind.PERSONAL:
        return plan.person is not None and plan.person.rank in SENIOR_RANKS
    if plan.kind == ListKind.GRASSROOTS:
        return False
    ranks = (
        Post.objects.active(clock.today())
        .filter(unit_id=plan.unit_id, role__in=[PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD])
        .values_list("person__rank", flat=True)
    )
    return any(rank in SENIOR_RANKS for rank in ranks)


def chain_for(plan: RectificationPlan) -> str:
    return SENIOR if is_senior(plan) else UPPER


def _liaison_above(user: Any, area_path: str) -> bool:
    ancestors = [area_path[:i] for i in range(Unit.steplen, len(area_path), Unit.steplen)]
    return (
        OrgMembership.objects.active(clock.today())
        .filter(
            person__user_id=user.pk,
            organization__kind=OrgKind.LIAISON_GROUP,
            organization__unit__path__in=ancestors,
        )
        .exists()
    )


def may_review(user: Any, plan: RectificationPlan) -> bool:
    """May act on the plan's current step; nobody reviews his own unit's or his own plan."""
    step = current_step(plan)
    scope = scope_for(user)
    if step is None or scope.is_anonymous:
        return False
    if in_team(scope, plan.unit_path) or (scope.person_id is not None and scope.person_id == plan.person_id):
        return False
    if scope.is_superuser:
        return True
    area = plan.area_path
    if step is SUPERVISION_STEP:
        return scope.reaches(plan.unit_path, roles=[Role.SUPERVISOR])
    if step is LIAISON_STEP:
        return _liaison_above(user, area)
    return office_above(scope, area) or scope.reaches(plan.unit_path, roles=[Role.SUPERVISOR])


def awaiting_q(user: Any) -> Q:
    """Plans waiting at a step where ``user`` reviews (a worklist filter; SQL only)."""
    scope = scope_for(user)
    waiting = Q(status=PlanStatus.IN_REVIEW)
    if scope.is_superuser:
        return waiting
    if scope.is_anonymous:
        return Q(pk__in=[])
    supervised = scope.unit_q(path_field="unit_path", unit_field="unit_id", roles=[Role.SUPERVISOR])
    offices = Q(pk__in=[])
    for grant in scope.grants:
        if grant.role == Role.OFFICE:
            # An office reviews units whose 党委 sits below its own.
            offices |= Q(area_path__startswith=grant.path) & ~Q(area_path=grant.path)
    liaison_paths = list(
        OrgMembership.objects.active(clock.today())
        .filter(person__user_id=user.pk, organization__kind=OrgKind.LIAISON_GROUP)
        .values_list("organization__unit__path", flat=True)
    )
    liaison = Q(pk__in=[])
    for path in liaison_paths:
        liaison |= Q(area_path__startswith=path) & ~Q(area_path=path)
    return waiting & (
        (Q(review_chain=SENIOR, review_step=0) & supervised)
        | (Q(review_chain=SENIOR, review_step=1) & liaison)
        | (Q(review_chain=UPPER, review_step=0) & (offices | supervised))
    )

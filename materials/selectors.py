"""Reads on materials and reviews, starting from the user's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from campaign import clock
from materials.choices import MaterialKind, SixNo, StepState
from materials.models import (
    Material,
    MaterialUserObjectPermission,
    MaterialVersion,
    Review,
    ReviewAction,
    ReviewStep,
    ReviewStepReviewer,
)
from units.access import granted_ids, scope_for
from units.choices import GRASSROOTS_KINDS, LEADERSHIP_ROLES, PostRole, Role, UnitCategory, UnitKind
from units.models import Person, Post, Unit

READ_ROLES = [Role.OFFICE, Role.OVERSIGHT, Role.SUPERVISOR, Role.PRINCIPAL]


def materials_visible_to(user: Any) -> QuerySet[Material]:
    """Offices, 督导组, oversight and principals see the materials of their subtree; a 班子 member
    sees his own unit's 班子 material and his own; reviewers see what reached their step."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Material.objects.all()
    if scope.is_anonymous:
        return Material.objects.none()
    query = scope.unit_q(path_field="unit_path", unit_field="unit_id", roles=READ_ROLES)
    member_units = [g.unit_id for g in scope.grants if g.role == Role.MEMBER]
    if member_units:
        query |= Q(unit_id__in=member_units, subject_person__isnull=True)
    if scope.person_id:
        query |= Q(author_id=scope.person_id) | Q(subject_person_id=scope.person_id)
    query |= Q(pk__in=granted_ids(user, MaterialUserObjectPermission, "view_material"))
    return Material.objects.filter(query)


def material_get_visible(user: Any, pk: int) -> Material:
    material = (
        materials_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "author", "subject_person", "review__template", "campaign")
        .first()
    )
    if material is None:
        raise Http404
    return material


def can_edit(user: Any, material: Material) -> bool:
    scope = scope_for(user)
    if scope.person_id is not None and scope.person_id == material.author_id:
        return True
    return bool(user.is_authenticated and user.has_perm("materials.change_material", material))


def latest_version(material: Material) -> MaterialVersion | None:
    return material.versions.order_by("-number").first()


def review_steps(review: Review | None) -> list[ReviewStep]:
    if review is None:
        return []
    reviewers = Prefetch("reviewers", queryset=ReviewStepReviewer.objects.select_related("person"))
    return list(
        review.steps.select_related("acted_by__person").prefetch_related(reviewers).order_by("round", "order")
    )


def review_trail(review: Review | None) -> list[ReviewAction]:
    if review is None:
        return []
    actions = list(review.actions.select_related("step").order_by("created_at", "pk"))
    labels = dict(SixNo.choices)
    for action in actions:
        action.checklist_labels = [str(labels[c]).split("：")[0] for c in action.checklist if c in labels]  # type: ignore[attr-defined]
    return actions


def open_step_for(user: Any, review: Review | None) -> ReviewStep | None:
    """The open step of ``review`` that ``user`` may act on, if any."""
    if review is None or not user.is_authenticated:
        return None
    return (
        ReviewStep.objects.filter(
            review=review,
            round=review.round,
            state=StepState.OPEN,
            reviewers__user=user,
            reviewers__is_open=True,
        )
        .order_by("order")
        .first()
    )


def inbox(user: Any) -> QuerySet[ReviewStepReviewer]:
    """Open steps waiting for ``user``, oldest first: one range scan of the inbox index."""
    return (
        ReviewStepReviewer.objects.filter(user=user, is_open=True)
        .select_related("step__review__unit", "step__review__author")
        .order_by("opened_at", "pk")
    )


def inbox_rows(user: Any) -> QuerySet:
    """The inbox as its page shows it: one plain row per open step with the columns it prints,
    not the reviewer row, step, review, unit and author as models (250 of them for 50 rows)."""
    return inbox(user).values(
        "opened_at",
        step_name=F("step__name"),
        due_at=F("step__due_at"),
        subject_kind=F("step__review__subject_kind"),
        subject_id=F("step__review__subject_id"),
        title=F("step__review__title"),
        unit_name=F("step__review__unit__name"),
        author_name=F("step__review__author__name"),
    )


def steps_under(user: Any, root: Unit) -> QuerySet[ReviewStep]:
    """Open steps in ``root``'s subtree that the user's scope reaches, stuck ones first."""
    scope = scope_for(user)
    return (
        ReviewStep.objects.filter(state=StepState.OPEN, unit_path__startswith=root.path)
        .filter(scope.unit_q(path_field="unit_path", unit_field="review__unit_id", roles=READ_ROLES))
        .select_related("review__unit", "review__author")
        .order_by("-unresolved", "due_at", "pk")
    )


def material_counts(user: Any, root: Unit) -> dict[str, int]:
    rows = (
        materials_visible_to(user)
        .filter(unit_path__startswith=root.path)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def materials_under(user: Any, root: Unit, status: str = "", kind: str = "") -> QuerySet[Material]:
    materials = materials_visible_to(user).filter(unit_path__startswith=root.path)
    if status:
        materials = materials.filter(status=status)
    if kind:
        materials = materials.filter(kind=kind)
    return materials.select_related("unit", "author", "review").order_by("unit_path", "kind", "pk")


def open_steps_by_review(reviews: list[int]) -> dict[int, list[ReviewStep]]:
    found: dict[int, list[ReviewStep]] = defaultdict(list)
    for step in ReviewStep.objects.filter(review_id__in=reviews, state=StepState.OPEN).order_by("order"):
        found[step.review_id].append(step)
    return found


def published_materials(unit: Unit) -> QuerySet[Material]:
    return Material.objects.filter(unit=unit, published_at__isnull=False).order_by("-published_at")


# --- who must write what ----------------------------------------------------------


@dataclass
class Required:
    kind: str
    person: Person | None
    material: Material | None

    @property
    def label(self) -> str:
        return str(MaterialKind(self.kind).label)


_ROLE_RANK = {
    PostRole.PRINCIPAL: 0,
    PostRole.GOVERNMENT_HEAD: 1,
    PostRole.MEMBER: 2,
    PostRole.SECTION_HEAD: 3,
}
NO_MATERIAL_KINDS = GRASSROOTS_KINDS - {UnitKind.VILLAGE, UnitKind.COMMUNITY} | {
    UnitKind.CENTRAL,
    UnitKind.PROVINCE,
}


def primary_post(posts: list[Post]) -> Post:
    """A person writes one personal material, attached to his leading post: principal posts
    first, then the government head, then other 班子 seats; the higher level, the 党委 itself first."""
    return min(
        posts,
        key=lambda p: (
            _ROLE_RANK[PostRole(p.role)],
            p.unit.level,
            p.unit.category != UnitCategory.TERRITORIAL,
            p.start_date,
        ),
    )


def required_materials(unit: Unit, *, posts: list[Post] | None = None) -> list[Required]:
    """The materials ``unit`` owes [000][002]: its 班子 material and a personal one per member
    whose leading post is here (村/社区: the organisation's and the secretary's brief ones;
    市/县直单位 also their section heads). Two queries; one when given ``posts`` (see
    ``required_materials_for``)."""
    return required_materials_for([unit], posts=posts).get(unit.pk, [])


def required_materials_for(
    units: list[Unit], *, posts: list[Post] | None = None
) -> dict[int, list[Required]]:
    """``required_materials`` for many units at once: two queries whatever their number.
    ``posts``, when given, are today's posts of everyone seated in the units (theirs in other
    units too, with unit and person), as the unit page has read them already; then one query."""
    today = clock.today()
    units = [u for u in units if u.kind not in NO_MATERIAL_KINDS]
    if not units:
        return {}
    by_id = {u.pk: u for u in units}
    owing_roles = {*LEADERSHIP_ROLES, PostRole.SECTION_HEAD}
    if posts is None:
        # Whether a member's material is owed here depends on all his posts (the leading one
        # decides), so the posts of everyone holding a seat here are read at once, in one query.
        seated = Post.objects.active(today).filter(unit__in=units, role__in=owing_roles).values("person_id")
        posts = list(Post.objects.active(today).filter(person__in=seated).select_related("unit", "person"))
    all_posts: dict[int, list[Post]] = defaultdict(list)
    here: list[Post] = []
    # Post's own order, whoever read them: ties in primary_post go to the first.
    for post in sorted(posts, key=lambda p: (p.unit.path, p.sort_order, p.start_date)):
        all_posts[post.person_id].append(post)
        if post.unit_id in by_id and post.role in owing_roles:
            here.append(post)
    here.sort(key=lambda p: (p.unit_id, p.sort_order))
    materials = Material.objects.filter(Q(unit__in=units) | Q(subject_person__in={p.person_id for p in here}))
    by_key = {
        (m.kind, m.unit_id if m.subject_person_id is None else None, m.subject_person_id): m
        for m in materials
    }
    result: dict[int, list[Required]] = {}
    for unit in units:
        village = unit.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)
        kind = MaterialKind.BRIEF if village else MaterialKind.BODY
        result[unit.pk] = [Required(kind, None, by_key.get((kind, unit.pk, None)))]
    seen: set[int] = set()
    for post in here:
        unit = by_id[post.unit_id]
        village = unit.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)
        roles = {PostRole.PRINCIPAL} if village else set(LEADERSHIP_ROLES)
        if unit.category == UnitCategory.DIRECT:
            roles.add(PostRole.SECTION_HEAD)
        if post.role not in roles or post.person_id in seen:
            continue
        if primary_post(all_posts[post.person_id]).unit_id != unit.pk:
            continue
        seen.add(post.person_id)
        personal_kind = MaterialKind.BRIEF if village else MaterialKind.PERSONAL
        result[unit.pk].append(
            Required(personal_kind, post.person, by_key.get((personal_kind, None, post.person_id)))
        )
    return result

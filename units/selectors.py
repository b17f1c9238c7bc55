"""Reads on units, people and organisations, always starting from the user's scope."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpRequest
from django.utils.encoding import force_str

from campaign import clock
from campaign.links import url_maker
from units.access import granted_ids, scope_for
from units.choices import OrgKind, OrgRole, PostRole, UnitCategory
from units.models import (
    ContactPoint,
    Organization,
    OrgMembership,
    Person,
    PersonUserObjectPermission,
    Post,
    SupervisionAssignment,
    Unit,
)

STEP = Unit.steplen


def units_visible_to(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_for(user).unit_q())


def unit_get_visible(user: Any, code: str) -> Unit:
    """A unit by code, or 404 when it does not exist or lies outside the user's scope."""
    unit = units_visible_to(user).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def with_parent_code(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """Annotate each unit with its parent's code (derived from the path, one query)."""
    parent = Unit.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP))
    return queryset.annotate(parent_code=Subquery(parent.values("code")[:1]))


def unit_ancestors(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__in=unit.ancestor_paths()).order_by("depth")


def _children(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")


def _subtree_sizes(unit: Unit) -> dict[str, int]:
    """Units below each child (the child itself not counted), by the child's path: one GROUP BY."""
    return dict(
        Unit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth + 1)
        .annotate(branch=Substr("path", 1, (unit.depth + 1) * STEP))
        .order_by()
        .values_list("branch")
        .annotate(n=Count("pk"))
        .values_list("branch", "n")
    )


def unit_children(unit: Unit) -> list[Unit]:
    """Children with the size of their subtree: two queries, the sizes by a GROUP BY on the path prefix."""
    sizes = _subtree_sizes(unit)
    result = list(_children(unit))
    for child in result:
        child.subtree_size = sizes.get(child.path, 0)
    return result


def unit_children_rows(unit: Unit) -> list[dict[str, Any]]:
    """The unit page's 下级单位 table: per child its link, name, code, kind label and subtree size,
    as plain rows — the same two queries as ``unit_children``, but the link is reversed once with
    a placeholder and each kind's label looked up once, instead of a model, ``reverse()`` and
    ``get_kind_display()`` per child (a county has dozens)."""
    sizes = _subtree_sizes(unit)
    link = url_maker("units:detail")
    kinds = dict(Unit._meta.get_field("kind").flatchoices)
    labels: dict[str, str] = {}
    rows = []
    for path, code, name, kind in _children(unit).values_list("path", "code", "name", "kind"):
        label = labels.get(kind)
        if label is None:
            label = labels[kind] = force_str(kinds.get(kind, kind))
        rows.append(
            {
                "url": link(code),
                "name": name,
                "code": code,
                "kind": label,
                "subtree_size": sizes.get(path, 0),
            }
        )
    return rows


def unit_search(user: Any, query: str) -> QuerySet[Unit]:
    query = query.strip()
    found = units_visible_to(user)
    if query:
        found = found.filter(Q(name__icontains=query) | Q(code__istartswith=query))
    return found.order_by("path")


def unit_roots_for(user: Any) -> QuerySet[Unit]:
    """The top units of the user's scope: where his tree browser starts."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Unit.objects.filter(depth=1)
    return Unit.objects.filter(path__in=scope.root_paths())


def territorial_ancestor(unit: Unit, level: int) -> Unit | None:
    """The 党委 at ``level`` whose area contains ``unit`` (the unit itself when it is one)."""
    if unit.level < level:
        return None
    candidates = [unit.path[: i * STEP] for i in range(1, unit.depth + 1)]
    return (
        Unit.objects.filter(path__in=candidates, level=level, category=UnitCategory.TERRITORIAL)
        .order_by("-depth")
        .first()
    )


def area_of(unit: Unit) -> Unit:
    """The 党委 that manages ``unit``: itself when territorial, else its nearest territorial ancestor."""
    if unit.is_territorial:
        return unit
    return territorial_ancestor(unit, unit.level) or unit


# Open-ended posts first on every database (PostgreSQL sorts NULL last, SQLite first).
POST_ORDER = (F("end_date").asc(nulls_first=True), "sort_order", "start_date")


def posts_of_unit(unit: Unit, *, include_past: bool = False) -> QuerySet[Post]:
    posts = Post.objects.filter(unit=unit).select_related("person").prefetch_related("oversees")
    if not include_past:
        posts = posts.active()
    return posts.order_by(*POST_ORDER)


def post_rows(posts: Iterable[Post]) -> list[dict[str, Any]]:
    """The unit page's 班子 table: per post what it prints — the person's link, the role's label
    (looked up once), the 分管 units' names, the dates as ``|date:"Y-m-d"`` prints them and the
    edit/end/history links — each link reversed once for all rows with a placeholder id, instead
    of ``reverse()`` up to four times, ``get_role_display``, ``oversees.all`` and ``|date`` per post."""
    person, edit, end, history = (
        url_maker(name)
        for name in ("units:person", "units:post_edit", "units:post_end", "units:post_history")
    )
    roles = {value: str(label) for value, label in PostRole.choices}
    rows = []
    for post in posts:
        rows.append(
            {
                "past": bool(post.end_date),
                "person_url": person(post.person_id),
                "person_name": post.person.name,
                "title": post.title,
                "role": post.role,
                "role_label": roles.get(post.role, post.role),
                "oversees": [u.name for u in post.oversees.all()],
                "start": _day(post.start_date),
                "end": _day(post.end_date),
                "edit_url": edit(post.pk),
                "end_url": end(post.pk),
                "history_url": history(post.pk),
            }
        )
    return rows


def _day(day: datetime.date | None) -> str:
    """What ``|date:"Y-m-d"`` prints for a date (and "" for none)."""
    return day.isoformat() if day else ""


def seated_posts(request: HttpRequest, unit: Unit) -> list[Post]:
    """Today's posts of everyone who holds one in ``unit``, theirs elsewhere too, with unit,
    person and 分管 units, in the order of ``posts_of_unit``. Two queries, once per request:
    the unit page's 班子 list, its materials panel (a member's leading post may be elsewhere)
    and its 四必谈 each need them."""
    memo: dict[int, list[Post]] = request.__dict__.setdefault("_seated_posts", {})
    if unit.pk not in memo:
        today = clock.today()
        here = Post.objects.active(today).filter(unit=unit).values("person_id")
        memo[unit.pk] = list(
            Post.objects.active(today)
            .filter(person__in=here)
            .select_related("unit", "person")
            .prefetch_related("oversees")
            .order_by(*POST_ORDER)
        )
    return memo[unit.pk]


def people_visible_to(user: Any) -> QuerySet[Person]:
    """People who hold or held a post, or sit in an organisation, inside the scope; and oneself."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Person.objects.all()
    if scope.is_anonymous:
        return Person.objects.none()
    in_scope_posts = Post.objects.filter(person=OuterRef("pk")).filter(
        scope.unit_q(path_field="unit__path", unit_field="unit_id")
    )
    in_scope_orgs = OrgMembership.objects.filter(person=OuterRef("pk")).filter(
        scope.unit_q(path_field="organization__unit__path", unit_field="organization__unit_id")
    )
    return Person.objects.filter(
        Exists(in_scope_posts)
        | Exists(in_scope_orgs)
        | Q(pk__in=granted_ids(user, PersonUserObjectPermission, "view_person"))
    )


def person_get_visible(user: Any, pk: int) -> Person:
    person = people_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def posts_visible_to(user: Any) -> QuerySet[Post]:
    scope = scope_for(user)
    return Post.objects.filter(scope.unit_q(path_field="unit__path", unit_field="unit_id"))


def organizations_visible_to(user: Any) -> QuerySet[Organization]:
    """Organisations set up inside the scope, or sent to a unit inside it, or that the user sits in."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Organization.objects.all()
    sent_here = SupervisionAssignment.objects.filter(group=OuterRef("pk")).filter(
        scope.unit_q(path_field="unit__path", unit_field="unit_id")
    )
    own = OrgMembership.objects.filter(organization=OuterRef("pk"), person_id=scope.person_id or 0)
    return Organization.objects.filter(
        scope.unit_q(path_field="unit__path", unit_field="unit_id") | Exists(sent_here) | Exists(own)
    )


def organization_get_visible(user: Any, pk: int) -> Organization:
    org = organizations_visible_to(user).filter(pk=pk).select_related("unit", "campaign").first()
    if org is None:
        raise Http404
    return org


def active_memberships() -> Prefetch:
    today = clock.today()
    return Prefetch(
        "memberships",
        queryset=OrgMembership.objects.active(today)
        .select_related("person")
        .order_by("role", "person__name"),
        to_attr="active_memberships",
    )


def organizations_of_unit(unit: Unit) -> list[Organization]:
    """Organisations set up by this unit's 党委, then the 督导组 sent to it: two queries (the
    organisations, their active members)."""
    today = clock.today()
    sent_here = SupervisionAssignment.objects.active(today).filter(unit=unit, group_id=OuterRef("pk"))
    # Two index lookups (own, sent) as one UNION: an OR of the two would scan the table.
    wanted = (
        Organization.objects.filter(unit=unit)
        .order_by()
        .values("pk")
        .union(SupervisionAssignment.objects.active(today).filter(unit=unit).order_by().values("group_id"))
    )
    organizations = list(
        Organization.objects.annotate(sent_here=Exists(sent_here))
        .filter(pk__in=wanted)
        .select_related("unit")
        .prefetch_related(active_memberships())
        .order_by("kind", "name", "pk")
    )
    own: list[Organization] = [o for o in organizations if o.unit_id == unit.pk]
    sent: list[Organization] = [o for o in organizations if o.sent_here]
    return own + sent


def organization_rows(organizations: Iterable[Organization], unit: Unit) -> list[dict[str, Any]]:
    """The unit page's 活动组织 table from ``organizations_of_unit``: per organisation its link
    (reversed once for all), kind label, whether it is the unit's own, and its members' names
    with their role's label where the role is not 成员 — labels looked up once, instead of
    ``reverse()`` and ``get_*_display`` per organisation and member."""
    link = url_maker("units:organization")
    kinds = {value: str(label) for value, label in OrgKind.choices}
    roles = {value: str(label) for value, label in OrgRole.choices}
    return [
        {
            "url": link(org.pk),
            "name": org.name,
            "kind": kinds.get(org.kind, org.kind),
            "own": org.unit_id == unit.pk,
            "unit_name": org.unit.name,
            "members": [
                (m.person.name, "" if m.role == OrgRole.MEMBER else roles.get(m.role, m.role))
                for m in org.active_memberships  # type: ignore[attr-defined]
            ],
        }
        for org in organizations
    ]


def contact_points_of_unit(unit: Unit) -> QuerySet[ContactPoint]:
    return ContactPoint.objects.filter(unit=unit).select_related("person", "campaign")


def post_get_visible(user: Any, pk: int) -> Post:
    post = posts_visible_to(user).filter(pk=pk).select_related("person", "unit").first()
    if post is None:
        raise Http404
    return post


def person_posts(user: Any, person: Person) -> QuerySet[Post]:
    """The person's posts that lie inside the viewer's scope (his own are always shown)."""
    posts = Post.objects.filter(person=person)
    if scope_for(user).person_id != person.pk:
        posts = posts.filter(scope_for(user).unit_q(path_field="unit__path", unit_field="unit_id"))
    return posts.select_related("unit").prefetch_related("oversees").order_by("end_date", "-start_date")


def person_memberships(user: Any, person: Person) -> QuerySet[OrgMembership]:
    memberships = OrgMembership.objects.filter(person=person)
    if scope_for(user).person_id != person.pk:
        memberships = memberships.filter(organization__in=organizations_visible_to(user))
    return memberships.select_related("organization__unit").order_by("end_date", "-start_date")


def principal_user_of(unit_ref: Any) -> Subquery:
    """The user id of the current 主要负责同志 of the unit ``unit_ref`` points at (an ``OuterRef``):
    who a unit's reminders go to when no one else is named."""
    principal = Post.objects.active(clock.today()).filter(unit=unit_ref, role=PostRole.PRINCIPAL)
    return Subquery(principal.values("person__user_id")[:1])

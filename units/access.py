"""Who may see and change what: the one place that decides.

A user's reach is derived from the campaign's own records, never kept twice:
- 活动办 membership            → office over the subtree of the office's unit;
- 领导小组 / 联络组 membership  → oversight (read) over that subtree;
- 督导组 membership             → supervisor over the subtree of each assigned unit;
- a principal's post           → read over the subtree of his unit;
- any other 班子 post           → read of his own unit only.
Single objects are granted through django-guardian (a reviewer on a material,
a person on his own record). Every selector starts from ``scope_for(user)``
and filters in SQL with a handful of literal path prefixes, so the check costs
one query per request whatever the size of the list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q, Subquery, Value
from django.utils.translation import gettext as _

from campaign import clock
from units.choices import OrgKind, PostRole, Role
from units.models import OrgMembership, Person, Post, SupervisionAssignment

SUBTREE_ROLES = frozenset({Role.OFFICE, Role.OVERSIGHT, Role.SUPERVISOR, Role.PRINCIPAL})
_ORG_ROLE = {
    OrgKind.OFFICE: Role.OFFICE,
    OrgKind.LEADING_GROUP: Role.OVERSIGHT,
    OrgKind.LIAISON_GROUP: Role.OVERSIGHT,
}


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    path: str


@dataclass
class AccessScope:
    """What one user reaches, loaded once per request."""

    user_id: int | None
    person_id: int | None
    is_superuser: bool
    grants: list[Grant] = field(default_factory=list)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def _prefixes(self, roles: Iterable[str]) -> list[str]:
        paths = sorted({g.path for g in self.grants if g.role in roles and g.role in SUBTREE_ROLES})
        # Drop prefixes already covered by a shorter one: fewer ORs in SQL.
        minimal: list[str] = []
        for path in paths:
            if not any(path.startswith(kept) for kept in minimal):
                minimal.append(path)
        return minimal

    def unit_q(
        self, path_field: str = "path", unit_field: str = "pk", roles: Iterable[str] = Role.values
    ) -> Q:
        """A filter on any model that knows its unit's path (and id)."""
        roles = set(roles)
        if self.is_superuser:
            return Q()
        query = Q(pk__in=[])
        for prefix in self._prefixes(roles):
            query |= Q(**{f"{path_field}__startswith": prefix})
        exact = {g.unit_id for g in self.grants if g.role in roles and g.role not in SUBTREE_ROLES}
        if exact:
            query |= Q(**{f"{unit_field}__in": sorted(exact)})
        return query

    def reaches(self, path: str, roles: Iterable[str] = Role.values) -> bool:
        """Whether a unit with this path is inside the scope for any of ``roles``."""
        if self.is_superuser:
            return True
        roles = set(roles)
        for grant in self.grants:
            if grant.role not in roles:
                continue
            if grant.role in SUBTREE_ROLES and path.startswith(grant.path):
                return True
            if grant.role not in SUBTREE_ROLES and path == grant.path:
                return True
        return False

    @property
    def is_office_staff(self) -> bool:
        """Works in some 活动办 (or is a superuser): may register people and import files."""
        return self.is_superuser or any(g.role == Role.OFFICE for g in self.grants)

    def can_manage(self, path: str) -> bool:
        """Office work (edit units, people, posts, organisations) on a unit at ``path``."""
        return self.reaches(path, roles=[Role.OFFICE])

    def roles_on(self, path: str) -> set[str]:
        if self.is_superuser:
            return set(Role.values)
        return {
            g.role
            for g in self.grants
            if (path.startswith(g.path) if g.role in SUBTREE_ROLES else path == g.path)
        }

    def root_paths(self) -> list[str]:
        """The top units of the scope, for "my units" lists."""
        prefixes = self._prefixes(Role.values)
        exact = {
            g.path
            for g in self.grants
            if g.role not in SUBTREE_ROLES and not any(g.path.startswith(p) for p in prefixes)
        }
        return prefixes + sorted(exact)


_SELF = "self"


def _load_grants(user: Any) -> tuple[int | None, list[Grant]]:
    """The user's person id and grants, in one UNION query."""
    today = clock.today()

    def tag(role: str) -> Value:
        return Value(role, output_field=CharField(max_length=16))

    posts = Post.objects.active(today).filter(person__user_id=user.pk)
    memberships = OrgMembership.objects.active(today).filter(person__user_id=user.pk)
    queries = [
        Person.objects.filter(user_id=user.pk)
        .annotate(grant_role=tag(_SELF), unit_path=tag(""))
        .values_list("grant_role", "pk", "unit_path"),
        # A principal (or the government head of a territorial unit) leads the whole subtree.
        posts.filter(role__in=[PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD])
        .annotate(grant_role=tag(Role.PRINCIPAL))
        .values_list("grant_role", "unit_id", "unit__path"),
        posts.filter(role=PostRole.MEMBER)
        .annotate(grant_role=tag(Role.MEMBER))
        .values_list("grant_role", "unit_id", "unit__path"),
    ]
    for org_kind, role in _ORG_ROLE.items():
        queries.append(
            memberships.filter(organization__kind=org_kind)
            .annotate(grant_role=tag(role))
            .values_list("grant_role", "organization__unit_id", "organization__unit__path")
        )
    # From the assignment side: each active assignment of a group the user is an active member
    # of grants its unit. (Filtering memberships through ``organization__assignments`` in two
    # filter() calls would join the assignments twice and let one assignment's start date pair
    # with another's end date.)
    queries.append(
        SupervisionAssignment.objects.active(today)
        .filter(
            group__kind=OrgKind.SUPERVISION_GROUP,
            group__in=memberships.values("organization_id"),
        )
        .annotate(grant_role=tag(Role.SUPERVISOR))
        .values_list("grant_role", "unit_id", "unit__path")
    )
    first, *rest = [q.order_by() for q in queries]
    person_id = None
    grants = set()
    for role, ident, path in first.union(*rest, all=True):
        if role == _SELF:
            person_id = ident
        else:
            grants.add(Grant(role=role, unit_id=ident, path=path))
    return person_id, sorted(grants, key=lambda g: (g.path, g.role))


def scope_for(user: Any) -> AccessScope:
    """The user's scope, computed with one query and memoised on the user object."""
    cached = getattr(user, "_campaign_scope", None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated:
        scope = AccessScope(user_id=None, person_id=None, is_superuser=False)
    else:
        person_id, grants = _load_grants(user)
        scope = AccessScope(
            user_id=user.pk, person_id=person_id, is_superuser=user.is_superuser, grants=grants
        )
    if user is not None:
        user._campaign_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Drop the memoised scope after the user's posts or memberships change."""
    if hasattr(user, "_campaign_scope"):
        del user._campaign_scope


def granted_ids(user: Any, permission_model: Any, codename: str) -> Subquery:
    """Ids of objects granted to ``user`` through a guardian direct-FK model, as SQL."""
    return Subquery(
        permission_model.objects.filter(user_id=user.pk, permission__codename=codename).values(
            "content_object_id"
        )
    )


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied with a Chinese message when ``allowed`` is false."""
    if not allowed:
        raise PermissionDenied(message or _("您没有执行此操作的权限。"))

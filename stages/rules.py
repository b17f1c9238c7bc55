"""Who may do what with stage-1 records, derived from ``units.access`` scopes and posts.

- Opinions, groups, surveys: the office (活动办) of the unit or above does the office work
  (enter, import, sort, publish, run surveys); everyone whose scope reaches the
  unit reads.
- Named submitters' contact details: only the office of the unit (or above), never
  the unit's own leaders (so that nobody can press a complainant).
- Study sessions: the office, or a 班子 member of that very unit, records them.
- Claiming and drafting answers: the office, or the claimer — for a 班子 claim the
  unit's principal, for a leader's claim that leader.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from campaign import clock
from units.access import AccessScope, scope_for
from units.choices import LEADERSHIP_ROLES, PostRole
from units.models import Post, Unit


def sees_identity(scope: AccessScope, unit_path: str) -> bool:
    """Whether the named submitter's name and contact may be shown: office of the unit only."""
    return scope.can_manage(unit_path)


def leadership_posts(person_id: int | None, unit_id: int) -> QuerySet[Post]:
    return Post.objects.active(clock.today()).filter(
        person_id=person_id or 0, unit_id=unit_id, role__in=LEADERSHIP_ROLES
    )


def in_leadership_of(user: Any, unit: Unit) -> bool:
    """Holds a 班子 post in this very unit today."""
    scope = scope_for(user)
    return scope.person_id is not None and leadership_posts(scope.person_id, unit.pk).exists()


def is_principal_of(user: Any, unit: Unit) -> bool:
    scope = scope_for(user)
    return (
        scope.person_id is not None
        and leadership_posts(scope.person_id, unit.pk)
        .filter(role__in=[PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD])
        .exists()
    )


def can_record_study(user: Any, unit: Unit) -> bool:
    return scope_for(user).can_manage(unit.path) or in_leadership_of(user, unit)

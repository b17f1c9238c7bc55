"""Who may edit, report on and sign off rectification records.

Built on ``units.access`` (the scope decides reach); this module only adds the
rules of [003] that are particular to rectification:

- editing an item or a plan belongs to its owner — the unit's 班子 (its principal
  and members), the responsible leader — and to the offices over the unit;
- a cooperating, leading or claiming unit (``ItemParticipant``) and a user granted
  ``change_rectificationitem`` on the item may report progress, not edit;
- signing off (销号) is a separate right: the 督导组 sent to the unit, an office above
  the 党委 that manages the unit (not the unit's own office at the same level), or a
  user granted ``sign_off_rectificationitem`` on the item — and never the owner or
  the person who asked for the sign-off.
"""

from __future__ import annotations

from typing import Any

from rectification.models import ItemParticipant, ItemUserObjectPermission, RectificationItem
from units.access import AccessScope, scope_for
from units.choices import Role
from units.models import Unit
from units.selectors import area_of

TEAM_ROLES = (Role.PRINCIPAL, Role.MEMBER)


def area_path_for(unit: Unit) -> str:
    """The path of the 党委 that manages ``unit`` (itself when territorial)."""
    return area_of(unit).path


def in_team(scope: AccessScope, unit_path: str) -> bool:
    """The user sits in the 班子 of the unit at ``unit_path`` (principal or member)."""
    return any(g.path == unit_path and g.role in TEAM_ROLES for g in scope.grants)


def office_above(scope: AccessScope, area_path: str) -> bool:
    """The user works in an office of a level above the 党委 at ``area_path``."""
    return any(
        g.role == Role.OFFICE and area_path.startswith(g.path) and len(g.path) < len(area_path)
        for g in scope.grants
    )


def may_keep_records(scope: AccessScope, unit_path: str) -> bool:
    """May create and edit the unit's rectification records: its 班子 or an office over it."""
    return scope.is_superuser or scope.can_manage(unit_path) or in_team(scope, unit_path)


def _granted(user: Any, item: RectificationItem, codename: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ItemUserObjectPermission.objects.filter(
        user_id=user.pk, content_object_id=item.pk, permission__codename=codename
    ).exists()


def is_owner(scope: AccessScope, item: RectificationItem) -> bool:
    """The item is the user's own work: his unit's 班子, his personal measure, or he is responsible."""
    if scope.person_id is not None and scope.person_id in (item.person_id, item.responsible_leader_id):
        return True
    return in_team(scope, item.unit_path)


def can_edit_item(user: Any, item: RectificationItem) -> bool:
    scope = scope_for(user)
    if scope.is_anonymous:
        return False
    return (
        may_keep_records(scope, item.unit_path)
        or (scope.person_id is not None and scope.person_id == item.responsible_leader_id)
        or (scope.person_id is not None and scope.person_id == item.person_id)
    )


def participating_units(scope: AccessScope, item: RectificationItem) -> list[ItemParticipant]:
    """The item's participants the user works for (their 班子, or an office over them)."""
    return [
        p
        for p in ItemParticipant.objects.filter(item=item).only("unit_path", "role")
        if scope.can_manage(p.unit_path) or in_team(scope, p.unit_path)
    ]


def can_report_item(user: Any, item: RectificationItem) -> bool:
    """May report progress and upload evidence: the editors, the participating units, grantees."""
    if can_edit_item(user, item):
        return True
    scope = scope_for(user)
    if scope.is_anonymous:
        return False
    return bool(participating_units(scope, item)) or _granted(user, item, "change_rectificationitem")


def can_sign_off_item(user: Any, item: RectificationItem) -> bool:
    """销号 right, separate from editing; never the owner, never whoever asked for it."""
    scope = scope_for(user)
    if scope.is_anonymous or is_owner(scope, item):
        return False
    if item.close_requested_by_id is not None and item.close_requested_by_id == user.pk:
        return False
    if scope.is_superuser:
        return True
    return (
        scope.reaches(item.unit_path, roles=[Role.SUPERVISOR])
        or office_above(scope, item.area_path)
        or _granted(user, item, "sign_off_rectificationitem")
    )


def can_manage_item(user: Any, item: RectificationItem) -> bool:
    """Office work on an item: withdraw it, publish it, add participants, grant rights."""
    scope = scope_for(user)
    return scope.is_superuser or scope.can_manage(item.unit_path)


def can_judge_unit(scope: AccessScope, unit: Any) -> bool:
    """Record problems pointed out to a unit, or accept its 专项整治: the 督导组 sent to it,
    or an office above the 党委 that manages it.
    """
    if scope.is_superuser:
        return True
    return scope.reaches(unit.path, roles=[Role.SUPERVISOR]) or office_above(scope, area_path_for(unit))

"""Reads of 督导: a group's workload, notifications, notes, checklists, 约谈/问责."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.http import Http404

from campaign import clock
from campaign.apps import project_modules
from supervision.models import Accountability, Notification, ReportHearing, SupervisionNote, UnitCheck
from units.access import scope_for
from units.choices import OrgKind, Role
from units.models import Organization, OrgMembership, SupervisionAssignment, Unit


@dataclass
class WorkItem:
    """One thing a 督导组 must act on, as every app's ``workload`` module reports it."""

    kind: str
    title: str
    unit_name: str
    since: datetime.datetime | None
    url: str
    detail: str = ""
    due_at: datetime.datetime | None = None

    @property
    def days_waiting(self) -> int | None:
        return (clock.now() - self.since).days if self.since else None

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at < clock.now()


def groups_of(user: Any) -> QuerySet[Organization]:
    """The 督导组 the user sits in now."""
    person_id = scope_for(user).person_id
    seats = OrgMembership.objects.active(clock.today()).filter(person_id=person_id).values("organization_id")
    return (
        Organization.objects.filter(kind=OrgKind.SUPERVISION_GROUP, pk__in=seats)
        .select_related("unit")
        .order_by("name")
    )


def group_get_visible(user: Any, pk: int) -> Organization:
    """A group's workspace: its members and the offices above it."""
    group = Organization.objects.filter(pk=pk, kind=OrgKind.SUPERVISION_GROUP).select_related("unit").first()
    scope = scope_for(user)
    if group is None:
        raise Http404
    is_member = (
        OrgMembership.objects.active(clock.today())
        .filter(organization=group, person_id=scope.person_id)
        .exists()
    )
    if not (is_member or scope.can_manage(group.unit.path)):
        raise Http404
    return group


def assigned_units(group: Organization) -> list[Unit]:
    today = clock.today()
    return [
        a.unit for a in SupervisionAssignment.objects.active(today).filter(group=group).select_related("unit")
    ]


def member_user_ids(group: Organization) -> list[int]:
    seats = OrgMembership.objects.active(clock.today()).filter(organization=group, person__user__isnull=False)
    return list(seats.values_list("person__user_id", flat=True))


def workload(group: Organization, only_user: Any = None) -> list[WorkItem]:
    """Everything waiting on the group (or on one member), oldest first, from every app."""
    users = [only_user.pk] if only_user is not None else member_user_ids(group)
    units = assigned_units(group)
    items: list[WorkItem] = []
    for module in project_modules("workload"):
        items.extend(module.items_for(group=group, user_ids=users, units=units))
    far_future = clock.now() + datetime.timedelta(days=36500)
    return sorted(items, key=lambda item: item.since or far_future)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def notes_on(user: Any, record: Model) -> QuerySet[SupervisionNote]:
    """Notes are internal to supervisors and offices reaching the record's unit."""
    scope = scope_for(user)
    notes = SupervisionNote.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("author")
    return notes.filter(
        scope.unit_q(path_field="unit_path", unit_field="unit_id", roles=[Role.OFFICE, Role.SUPERVISOR])
    )


def may_read_notes(user: Any, unit: Unit) -> bool:
    return scope_for(user).reaches(unit.path, roles=[Role.OFFICE, Role.SUPERVISOR])


def checks_for(group: Organization, unit: Unit) -> dict[str, UnitCheck]:
    return {c.item: c for c in UnitCheck.objects.filter(group=group, unit=unit).select_related("checked_by")}


def accountability_under(user: Any, unit: Unit) -> QuerySet[Accountability]:
    scope = scope_for(user)
    return (
        Accountability.objects.filter(unit_path__startswith=unit.path)
        .filter(
            scope.unit_q(
                path_field="unit_path",
                unit_field="unit_id",
                roles=[Role.OFFICE, Role.SUPERVISOR, Role.OVERSIGHT],
            )
        )
        .select_related("person", "unit")
    )


def hearings_of(unit: Unit) -> QuerySet[ReportHearing]:
    return ReportHearing.objects.filter(unit=unit).select_related("chaired_by")


# --- 纪实评价 ---------------------------------------------------------------------

EVALUATION_READERS = [Role.OFFICE, Role.SUPERVISOR, Role.OVERSIGHT]


def _is_member(user: Any, group: Organization) -> bool:
    person_id = scope_for(user).person_id
    return (
        person_id is not None
        and OrgMembership.objects.active(clock.today())
        .filter(organization=group, person_id=person_id)
        .exists()
    )


def may_report_evaluations(user: Any, group: Organization) -> bool:
    """The group's members and the offices above the group write its 纪实评价 report."""
    return _is_member(user, group) or scope_for(user).can_manage(group.unit.path)


def assigned_to(group: Organization, unit: Unit) -> bool:
    return SupervisionAssignment.objects.active(clock.today()).filter(group=group, unit=unit).exists()


def may_write_evaluation(user: Any, group: Organization, unit: Unit) -> bool:
    """Only the group assigned to the unit (its members) and the offices above the unit."""
    if not assigned_to(group, unit):
        return False
    return _is_member(user, group) or scope_for(user).can_manage(unit.path)


def may_read_evaluation(user: Any, group: Organization, unit: Unit) -> bool:
    """Writers, the offices above the group, and whoever reaches the unit as office, 督导组 or
    领导小组/联络组 (the same readers as the API list)."""
    # The scope check first: it is answered without a query.
    return (
        scope_for(user).reaches(unit.path, roles=EVALUATION_READERS)
        or may_write_evaluation(user, group, unit)
        or may_report_evaluations(user, group)
    )


def evaluations_visible_to(user: Any) -> QuerySet[Any]:
    from supervision.models import RecordEvaluation

    scope = scope_for(user)
    return (
        RecordEvaluation.objects.filter(
            scope.unit_q(path_field="unit_path", unit_field="unit_id", roles=EVALUATION_READERS)
        )
        .select_related("unit", "group", "campaign")
        .prefetch_related("leaders__person")
    )


def evaluation_groups_for(user: Any, unit: Unit) -> list[Organization]:
    """The 督导组 assigned to the unit whose 纪实评价 of it the user may open, each with
    ``evaluation_status`` (None before the group writes one): one query, two for a reader who
    reaches neither the unit nor the group's unit (then membership decides)."""
    from supervision.models import RecordEvaluation

    today = clock.today()
    assignments = (
        SupervisionAssignment.objects.active(today)
        .filter(unit=unit)
        .select_related("group__unit")
        .annotate(
            evaluation_status=Subquery(
                RecordEvaluation.objects.filter(unit=unit, group_id=OuterRef("group_id")).values("status")[:1]
            )
        )
        .order_by("group__name")
    )
    groups = []
    for assignment in assignments:
        assignment.group.evaluation_status = assignment.evaluation_status
        groups.append(assignment.group)
    scope = scope_for(user)
    # Every group here is assigned to the unit, so may_read_evaluation reduces to: the scope
    # reaches the unit (office, 督导组, 领导小组), an office above the group, or membership.
    if scope.reaches(unit.path, roles=EVALUATION_READERS):
        return groups
    undecided = [g for g in groups if not scope.can_manage(g.unit.path)]
    member_of: set[int] = set()
    if undecided and scope.person_id is not None:
        member_of = set(
            OrgMembership.objects.active(today)
            .filter(organization__in=undecided, person_id=scope.person_id)
            .values_list("organization_id", flat=True)
        )
    return [g for g in groups if g.pk in member_of or scope.can_manage(g.unit.path)]


def record_evaluation_links(user: Any, unit: Unit) -> list[dict[str, str]]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    groups = evaluation_groups_for(user, unit)
    if not groups:
        return []
    from supervision.choices import EvaluationStatus

    labels = dict(EvaluationStatus.choices)
    return [
        {
            "url": reverse("supervision:evaluation", args=[g.pk, unit.code]),
            "label": _("%(group)s纪实评价") % {"group": g.name},
            "status": str(labels[g.evaluation_status]) if g.evaluation_status else str(_("未填写")),  # type: ignore[attr-defined]
        }
        for g in groups
    ]

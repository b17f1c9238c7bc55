"""Writes on units, people, posts and the campaign's organisations.

Every function checks the actor's right first (units.access), then the rule,
then saves with history attributed to the actor.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from campaign.audit import acting_as
from campaign.models import Campaign, Job
from campaign.services import check_version, job_create, save_validated
from units.access import forget_scope, require, scope_for
from units.choices import (
    PARTY_GROUP_ORGAN_KINDS,
    TERRITORIAL_KINDS,
    TERRITORIAL_LEVEL,
    TERRITORIAL_PARENT,
    OrgKind,
    OrgRole,
    PostRole,
    Rank,
    UnitCategory,
    UnitKind,
)
from units.models import (
    ContactPoint,
    Organization,
    OrgMembership,
    Person,
    Post,
    SupervisionAssignment,
    Unit,
)
from units.selectors import area_of

_NO_RIGHT = _("您不是该单位或其上级的活动办工作人员，不能修改该单位的信息。")


def placement(*, kind: str, parent: Unit | None) -> tuple[int, str]:
    """The level and category a unit of ``kind`` takes under ``parent``, or a ValidationError.

    The territorial line must follow 省 → 市 → 县 → 乡镇 → 村/社区; 人大/政府/政协 sit
    beside the 党委 of a 省/市/县; other units hang under the 党委 that manages them
    (直属单位) or under such a unit (下属机构).
    """
    kind_label = UnitKind(kind).label
    if kind in TERRITORIAL_KINDS:
        expected = TERRITORIAL_PARENT[UnitKind(kind)]
        if parent is None:
            if kind not in (UnitKind.CENTRAL, UnitKind.PROVINCE):
                raise ValidationError(_("“%(kind)s”必须有上级单位。") % {"kind": kind_label})
        elif parent.kind != expected:
            raise ValidationError(
                _("“%(kind)s”的上级必须是“%(parent)s”，不能是“%(actual)s”。")
                % {
                    "kind": kind_label,
                    "parent": UnitKind(expected).label if expected else _("无"),
                    "actual": parent.get_kind_display(),
                }
            )
        return TERRITORIAL_LEVEL[UnitKind(kind)], UnitCategory.TERRITORIAL
    if parent is None:
        raise ValidationError(_("“%(kind)s”必须有上级单位。") % {"kind": kind_label})
    if kind in PARTY_GROUP_ORGAN_KINDS:
        if parent.kind not in (UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY):
            raise ValidationError(_("“%(kind)s”只能设在省、市、县(市、区)之下。") % {"kind": kind_label})
        return parent.level, UnitCategory.FOUR_BODIES
    if parent.category == UnitCategory.TERRITORIAL:
        if parent.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY, UnitKind.CENTRAL):
            raise ValidationError(
                _("“%(parent)s”之下不能设“%(kind)s”。")
                % {"parent": parent.get_kind_display(), "kind": kind_label}
            )
        return parent.level, UnitCategory.DIRECT
    if parent.category in (UnitCategory.DIRECT, UnitCategory.SUBORDINATE):
        return parent.level, UnitCategory.SUBORDINATE
    raise ValidationError(_("“%(parent)s”之下不能再设下级单位。") % {"parent": parent.get_kind_display()})


@transaction.atomic
def unit_create(*, actor: Any, parent: Unit | None, name: str, code: str, kind: str) -> Unit:
    scope = scope_for(actor)
    if parent is None:
        require(scope.is_superuser, _("只有系统管理员可以建立顶级单位。"))
    else:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        require(scope.can_manage(parent.path), _NO_RIGHT)
    level, category = placement(kind=kind, parent=parent)
    unit = Unit(name=name.strip(), code=code.strip(), kind=kind, level=level, category=category)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    with acting_as(actor):
        if parent is None:
            Unit.objects.add_root(instance=unit)
        else:
            Unit.objects.add_child(parent, instance=unit)
    return unit


@transaction.atomic
def unit_update(
    *, actor: Any, unit: Unit, version: int | None, name: str, code: str, is_active: bool = True
) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require(scope_for(actor).can_manage(unit.path), _NO_RIGHT)
    check_version(unit, version)
    unit.name, unit.code, unit.is_active = name.strip(), code.strip(), is_active
    save_validated(unit, actor=actor, update_fields=["name", "code", "is_active"])
    return unit


def require_person_editor(actor: Any, person: Person | None) -> None:
    """Office staff anywhere may register people; changing one needs reach over his units."""
    scope = scope_for(actor)
    if scope.is_superuser:
        return
    require(scope.is_office_staff, _("只有活动办工作人员可以登记和修改人员信息。"))
    if person is None:
        return
    paths = Post.objects.filter(person=person).values_list("unit__path", flat=True)
    unit_paths = list(paths)
    require(
        not unit_paths or any(scope.can_manage(path) for path in unit_paths),
        _("该人员的任职单位不在您的管理范围内。"),
    )


@transaction.atomic
def person_create(*, actor: Any, name: str, code: str, rank: str = Rank.OTHER, phone: str = "") -> Person:
    require_person_editor(actor, None)
    person = Person(name=name.strip(), code=code.strip(), rank=rank, phone=phone.strip())
    save_validated(person, actor=actor)
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, version: int | None, name: str, code: str, rank: str, phone: str
) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_person_editor(actor, person)
    check_version(person, version)
    person.name, person.code, person.rank, person.phone = name.strip(), code.strip(), rank, phone.strip()
    save_validated(person, actor=actor, update_fields=["name", "code", "rank", "phone"])
    return person


@transaction.atomic
def person_link_user(*, actor: Any, person: Person, user: Any) -> Person:
    """Give a person a login; he may then read and update his own record (guardian grant)."""
    require(scope_for(actor).is_superuser, _("只有系统管理员可以分配登录账号。"))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError(_("该账号已关联其他人员。"))
    person.user = user
    save_validated(person, actor=actor, update_fields=["user"])
    assign_perm("units.view_person", user, person)
    assign_perm("units.change_person", user, person)
    forget_scope(user)
    return person


def _check_oversees(unit: Unit, oversees: Iterable[Unit]) -> list[Unit]:
    """分管 units must be managed by the same 党委 as the post's unit."""
    area = area_of(unit)
    result = list(oversees)
    for target in result:
        if target.pk == unit.pk or not target.path.startswith(area.path):
            raise ValidationError(
                _("分管单位“%(target)s”不在“%(area)s”的范围内。") % {"target": target, "area": area}
            )
    return result


def _check_single_principal(post: Post) -> None:
    if post.role not in (PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD):
        return
    overlapping = Post.objects.filter(unit=post.unit, role=post.role).exclude(pk=post.pk)
    overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=post.start_date))
    if post.end_date is not None:
        overlapping = overlapping.filter(start_date__lte=post.end_date)
    holder = overlapping.select_related("person").first()
    if holder is not None:
        raise ValidationError(
            _("“%(unit)s”在该期间已有%(role)s“%(person)s”，请先为其办理免职。")
            % {"unit": post.unit, "role": post.get_role_display(), "person": holder.person}
        )


@transaction.atomic
def post_create(
    *,
    actor: Any,
    person: Person,
    unit: Unit,
    title: str,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    sort_order: int = 100,
    oversees: Iterable[Unit] = (),
) -> Post:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require(scope_for(actor).can_manage(unit.path), _NO_RIGHT)
    if role == PostRole.GOVERNMENT_HEAD and not unit.is_territorial:
        raise ValidationError(_("“政府主要负责同志”只用于市、县、乡镇的党政班子。"))
    post = Post(
        person=person,
        unit=unit,
        title=title.strip(),
        role=role,
        start_date=start_date,
        end_date=end_date,
        sort_order=sort_order,
    )
    post.full_clean()
    _check_single_principal(post)
    overseen = _check_oversees(unit, oversees)
    with acting_as(actor):
        post.save()
        post.oversees.set(overseen)
    return post


@transaction.atomic
def post_update(
    *,
    actor: Any,
    post: Post,
    version: int | None,
    title: str,
    role: str,
    sort_order: int,
    end_date: datetime.date | None,
    oversees: Iterable[Unit],
) -> Post:
    post = Post.objects.select_for_update(of=("self",)).select_related("unit", "person").get(pk=post.pk)
    require(scope_for(actor).can_manage(post.unit.path), _NO_RIGHT)
    check_version(post, version)
    if role == PostRole.GOVERNMENT_HEAD and not post.unit.is_territorial:
        raise ValidationError(_("“政府主要负责同志”只用于市、县、乡镇的党政班子。"))
    post.title, post.role, post.sort_order, post.end_date = title.strip(), role, sort_order, end_date
    _check_single_principal(post)
    overseen = _check_oversees(post.unit, oversees)
    save_validated(post, actor=actor, update_fields=["title", "role", "sort_order", "end_date"])
    with acting_as(actor):
        post.oversees.set(overseen)
    return post


@transaction.atomic
def post_end(*, actor: Any, post: Post, end_date: datetime.date, version: int | None = None) -> Post:
    """免职: the post stays on record with its last day."""
    post = Post.objects.select_for_update(of=("self",)).select_related("unit").get(pk=post.pk)
    require(scope_for(actor).can_manage(post.unit.path), _NO_RIGHT)
    check_version(post, version)
    if post.end_date is not None and post.end_date <= end_date:
        raise ValidationError(_("该职务已于%(day)s免职。") % {"day": post.end_date})
    post.end_date = end_date
    save_validated(post, actor=actor, update_fields=["end_date"])
    return post


@transaction.atomic
def organization_create(*, actor: Any, campaign: Campaign, unit: Unit, kind: str, name: str) -> Organization:
    require(scope_for(actor).can_manage(unit.path), _NO_RIGHT)
    if not unit.is_territorial:
        raise ValidationError(_("领导小组、活动办和督导组由地方党委设立。"))
    organization = Organization(campaign=campaign, unit=unit, kind=kind, name=name.strip())
    save_validated(organization, actor=actor)
    return organization


@transaction.atomic
def membership_add(
    *,
    actor: Any,
    organization: Organization,
    person: Person,
    role: str = OrgRole.MEMBER,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> OrgMembership:
    require(scope_for(actor).can_manage(organization.unit.path), _NO_RIGHT)
    active = OrgMembership.objects.active(start_date).filter(organization=organization, person=person)
    if active.exists():
        raise ValidationError(
            _("“%(person)s”已是“%(org)s”的成员。") % {"person": person, "org": organization}
        )
    membership = OrgMembership(
        organization=organization, person=person, role=role, start_date=start_date, end_date=end_date
    )
    save_validated(membership, actor=actor)
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership: OrgMembership, end_date: datetime.date) -> OrgMembership:
    membership = (
        OrgMembership.objects.select_for_update(of=("self",))
        .select_related("organization__unit")
        .get(pk=membership.pk)
    )
    require(scope_for(actor).can_manage(membership.organization.unit.path), _NO_RIGHT)
    if end_date < membership.start_date:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    membership.end_date = end_date
    save_validated(membership, actor=actor, update_fields=["end_date"])
    return membership


@transaction.atomic
def supervision_assign(
    *, actor: Any, group: Organization, unit: Unit, start_date: datetime.date
) -> SupervisionAssignment:
    """Send a 督导组 to a unit below the 党委 that set it up ("下沉一级" [000]).

    The group then supervises the unit's 班子 and cadres and, one level further
    down, the principals of the units under it.
    """
    require(scope_for(actor).can_manage(group.unit.path), _NO_RIGHT)
    if group.kind != OrgKind.SUPERVISION_GROUP:
        raise ValidationError(_("只有督导组可以分工督导单位。"))
    if not unit.path.startswith(group.unit.path) or unit.pk == group.unit_id:
        raise ValidationError(_("督导组只能督导“%(unit)s”的下级单位。") % {"unit": group.unit})
    assignment = SupervisionAssignment(group=group, unit=unit, start_date=start_date)
    save_validated(assignment, actor=actor)
    return assignment


@transaction.atomic
def supervision_end(
    *, actor: Any, assignment: SupervisionAssignment, end_date: datetime.date
) -> SupervisionAssignment:
    assignment = (
        SupervisionAssignment.objects.select_for_update(of=("self",))
        .select_related("group__unit")
        .get(pk=assignment.pk)
    )
    require(scope_for(actor).can_manage(assignment.group.unit.path), _NO_RIGHT)
    assignment.end_date = end_date
    save_validated(assignment, actor=actor, update_fields=["end_date"])
    return assignment


@transaction.atomic
def contact_point_add(*, actor: Any, campaign: Campaign, person: Person, unit: Unit) -> ContactPoint:
    """A leader takes a unit of his area as 联系点; the office of his level records it."""
    scope = scope_for(actor)
    leader_units = [post.unit for post in Post.objects.active().filter(person=person).select_related("unit")]
    require(
        scope.is_superuser or any(scope.can_manage(u.path) for u in leader_units),
        _("只有该领导所在单位的活动办可以登记其联系点。"),
    )
    areas = [area_of(u) for u in leader_units]
    if not any(unit.path.startswith(area.path) and unit.pk != area.pk for area in areas):
        raise ValidationError(_("联系点必须是该领导所在地区的下级单位。"))
    point = ContactPoint(campaign=campaign, person=person, unit=unit)
    save_validated(point, actor=actor)
    return point


@transaction.atomic
def import_start(*, actor: Any, kind: str, upload: Any, skip_errors: bool) -> Job:
    """Queue an import of units, people or posts; it runs in a Celery worker."""
    from units.tasks import import_table_task

    require(scope_for(actor).is_office_staff, _("只有活动办工作人员可以导入数据。"))
    job = job_create(actor=actor, kind=kind, upload=upload, params={"skip_errors": skip_errors})
    transaction.on_commit(lambda: import_table_task.delay(job.pk))
    return job

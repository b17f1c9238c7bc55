"""Units, people and the organisations of the campaign."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from treebeard.mp_tree import MP_Node

from campaign import clock
from campaign.audit import audit_history
from units.choices import (
    LEADERSHIP_ROLES,
    Level,
    OrgKind,
    OrgRole,
    PostRole,
    Rank,
    UnitCategory,
    UnitKind,
)


class Unit(MP_Node):
    """A unit taking part in the campaign: a 党委 of the territorial line or a unit it manages.

    Stored as a materialized path (treebeard): ``path`` is the concatenation of
    4-character steps from the root, so "everything under X" is one indexed
    ``path LIKE 'X%'`` and "per child of X" is a GROUP BY on a prefix.
    """

    steplen = 4

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    kind = models.CharField(_("单位类型"), max_length=16, choices=UnitKind.choices)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    category = models.CharField(_("类别"), max_length=16, choices=UnitCategory.choices)
    is_active = models.BooleanField(_("在册"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history(excluded_fields=["numchild"])

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "level"], name="units_unit_kind_level")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:detail", args=[self.code])

    @property
    def parent_path(self) -> str:
        return self.path[: -self.steplen]

    def ancestor_paths(self) -> list[str]:
        """Paths of every ancestor, root first (derived from the path alone)."""
        return [self.path[: i * self.steplen] for i in range(1, self.depth)]

    @property
    def is_territorial(self) -> bool:
        return self.category == UnitCategory.TERRITORIAL


class UnitRecord(models.Model):
    """Base for records that belong to a unit.

    ``unit_path`` copies the unit's path so that "under X" filters and per-child
    rollups run on the record's own table with one indexed prefix scan.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(_("单位路径"), max_length=255, db_index=True, editable=False)

    class Meta:
        abstract = True


class Person(models.Model):
    """A person who holds posts in units or sits in the campaign's organisations."""

    name = models.CharField(_("姓名"), max_length=50)
    code = models.CharField(_("人员编码"), max_length=32, unique=True)
    rank = models.CharField(_("职级"), max_length=16, choices=Rank.choices, default=Rank.OTHER)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:person", args=[self.pk])


class PersonUserObjectPermission(UserObjectPermissionBase):
    """Object grants on one person record (a user on his own record)."""

    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("人员对象权限")


class PersonGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("人员组对象权限")


class ActiveQuerySet(models.QuerySet):
    """Rows with a start and an optional end date; "active" means on that day."""

    def active(self, on: datetime.date | None = None) -> ActiveQuerySet:
        day = on or clock.today()
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


class Post(models.Model):
    """A person's post in a unit's 领导班子 (or as head of a section) over a period."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="posts")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("职务"), max_length=100)
    role = models.CharField(_("班子角色"), max_length=16, choices=PostRole.choices, default=PostRole.MEMBER)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("免职日期"), null=True, blank=True)
    oversees = models.ManyToManyField(
        Unit, verbose_name=_("分管单位"), blank=True, related_name="overseen_by_posts"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ActiveQuerySet.as_manager()
    history = audit_history(m2m_fields=[oversees])

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        ordering = ["unit", "sort_order", "start_date"]
        indexes = [models.Index(fields=["unit", "end_date"], name="units_post_unit_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("免职日期不能早于任职日期。"),
            ),
            # One 主要负责同志 at a time is enforced by the service (it needs dates).
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.title} {self.person}"

    @property
    def is_principal(self) -> bool:
        return self.role == PostRole.PRINCIPAL

    @property
    def in_leadership(self) -> bool:
        return self.role in LEADERSHIP_ROLES

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Organization(models.Model):
    """A 领导小组, 活动办, 督导组 or 联络组 set up by the 党委 of a unit."""

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="organizations"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("设立单位"), on_delete=models.PROTECT, related_name="organizations"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=OrgKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("活动组织")
        verbose_name_plural = _("活动组织")
        ordering = ["unit__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("同一单位下已有同名的活动组织。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:organization", args=[self.pk])


class OrgMembership(models.Model):
    """A person's seat in an organisation (组长, 副组长, 成员) over a period."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("职责"), max_length=16, choices=OrgRole.choices, default=OrgRole.MEMBER)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("组织成员")
        verbose_name_plural = _("组织成员")
        ordering = ["organization", "role", "person__name"]
        indexes = [models.Index(fields=["person", "end_date"], name="units_membership_person_end")]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_role_display()} {self.person}"


class SupervisionAssignment(models.Model):
    """A 督导组 sent to a unit ("下沉一级": it also covers the principals below it)."""

    group = models.ForeignKey(
        Organization,
        verbose_name=_("督导组"),
        on_delete=models.PROTECT,
        related_name="assignments",
        limit_choices_to={"kind": OrgKind.SUPERVISION_GROUP},
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("督导单位"), on_delete=models.PROTECT, related_name="supervision_assignments"
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name = _("督导分工")
        verbose_name_plural = _("督导分工")
        ordering = ["group", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "unit"],
                name="%(app_label)s_%(class)s_unique_unit",
                violation_error_message=_("该督导组已分工督导此单位。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.unit}"


class ContactPoint(models.Model):
    """A leader's 联系点: he follows the unit and attends its meeting [000][004]."""

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="contact_points"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("领导"), on_delete=models.PROTECT, related_name="contact_points"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("联系点"), on_delete=models.PROTECT, related_name="contact_points"
    )

    history = audit_history()

    class Meta:
        verbose_name = _("联系点")
        verbose_name_plural = _("联系点")
        ordering = ["campaign", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person", "unit"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("该领导已将此单位作为联系点。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.unit}"

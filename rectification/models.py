"""整改落实、建章立制: plans, items, 销号, 专项整治 and the rules inventory [003].

Plans, items, pointed problems, special projects, their per-unit plans and
rules are unit records (``unit`` + indexed ``unit_path``), so "everything under
X" and per-child counts run on their own tables. Status fields are assigned only
by the services in ``rectification/services.py``; each transition writes an
append-only event row.
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from campaign import clock
from campaign.audit import audit_history
from rectification.choices import (
    Acceptance,
    EvidenceKind,
    Handling,
    ItemAction,
    ItemStatus,
    ListKind,
    ParticipantRole,
    PlanAction,
    PlanStatus,
    PointedBy,
    Priority,
    ProjectPlanAction,
    ProjectPlanStatus,
    RatingStatus,
    RuleJudgement,
    RuleStatus,
    SourceKind,
)
from units.models import Organization, Person, Unit, UnitRecord

# --- plans -------------------------------------------------------------------


class RectificationPlan(UnitRecord):
    """整改方案 of a 班子, 个人整改措施 of a member, or a grassroots organisation's 问题清单.

    Its items are the 整改清单. Plans of 副处级 and above are reviewed by the 督导组, then
    the 活动办 联络组 [003]; others by the office above the unit — chains of the review engine
    (``materials.review``), installed by ``rectification.review_chains``.
    """

    # The 党委 that manages the unit (units.selectors.area_of): offices above it sign off and review.
    area_path = models.CharField(_("所属党委路径"), max_length=255, editable=False)
    kind = models.CharField(_("类别"), max_length=16, choices=ListKind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("班子成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectification_plans",
    )
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("方案要点"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # Its passage through the review-chain engine (materials.review): rounds, steps, opinions.
    review = models.OneToOneField(
        "materials.Review",
        verbose_name=_("审核"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_plan",
    )
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    approved_on = models.DateField(_("审核通过日期"), null=True, blank=True)
    published = models.BooleanField(_("已公开"), default=False)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("整改方案")
        verbose_name_plural = _("整改方案")
        ordering = ["unit_path", "kind", "pk"]
        indexes = [
            models.Index(
                fields=["status", "unit_path"],
                name="rect_plan_status_path",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ListKind.PERSONAL) | Q(person__isnull=False),
                name="%(app_label)s_%(class)s_personal_has_person",
                violation_error_message=_("个人整改措施必须注明班子成员。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind=ListKind.PERSONAL) | Q(published=False),
                name="%(app_label)s_%(class)s_personal_not_public",
                violation_error_message=_("班子成员个人整改措施只在单位内部公开，不能向社会公开。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rectification:plan", args=[self.pk])


class PlanEvent(models.Model):
    """One step in a plan's life (submitted, passed, returned, published); append-only."""

    plan = models.ForeignKey(
        RectificationPlan, verbose_name=_("整改方案"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=16, choices=PlanAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=PlanStatus.choices, blank=True)
    step = models.CharField(_("审核环节"), max_length=50, blank=True)
    opinion = models.TextField(_("意见"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_date = models.DateField(_("日期"), default=clock.today)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("整改方案办理记录")
        verbose_name_plural = _("整改方案办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_action_display()}"


class PlanUserObjectPermission(UserObjectPermissionBase):
    """Grants on one plan: a reviewer reads it from the moment his step opens."""

    content_object = models.ForeignKey(RectificationPlan, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("整改方案对象权限")


class PlanGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(RectificationPlan, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("整改方案组对象权限")


# --- items -------------------------------------------------------------------


class RectificationItem(UnitRecord):
    """One line of a 整改清单: a problem with the "四有" — 目标, 措施, 责任, 时限 [000][003].

    ``unit`` is the unit whose list holds the item (its owner). Counters and the
    last progress are copied onto the row so that the 台账 and the dashboards read
    one table; the deadline warning is computed in SQL from the campaign clock.
    """

    # The 党委 that manages the unit (units.selectors.area_of): offices above it sign off and review.
    area_path = models.CharField(_("所属党委路径"), max_length=255, editable=False)
    plan = models.ForeignKey(
        RectificationPlan,
        verbose_name=_("整改方案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    kind = models.CharField(_("清单类别"), max_length=16, choices=ListKind.choices, default=ListKind.TEAM)
    person = models.ForeignKey(
        Person,
        verbose_name=_("班子成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="personal_rectification_items",
    )
    problem = models.TextField(_("问题"))
    measure = models.TextField(_("整改措施"))
    target = models.TextField(_("整改目标"))
    responsible_leader = models.ForeignKey(
        Person,
        verbose_name=_("责任领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_rectification_items",
    )
    responsible_unit = models.CharField(_("责任单位"), max_length=200)
    handling = models.CharField(_("办理类别"), max_length=16, choices=Handling.choices)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    explanation = models.TextField(_("向群众解释说明"), blank=True)
    priority = models.CharField(
        _("轻重缓急"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(_("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    is_public = models.BooleanField(_("向社会公开"), default=False)
    needs_upper_help = models.BooleanField(_("需要上级帮助解决"), default=False)
    help_note = models.TextField(_("需要上级帮助解决的事项"), blank=True)
    claimed_by = models.ForeignKey(
        Unit,
        verbose_name=_("认领的上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_count = models.PositiveIntegerField(_("问题来源数"), default=0)
    evidence_count = models.PositiveIntegerField(_("佐证材料数"), default=0)
    last_progress = models.TextField(_("最近进展"), blank=True)
    last_progress_on = models.DateField(_("最近进展日期"), null=True, blank=True)
    opened_on = models.DateField(_("立项日期"), default=clock.today)
    close_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请销号人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("复号次数"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["unit_path", "deadline", "pk"]
        permissions = [("sign_off_rectificationitem", _("对整改事项销号"))]
        indexes = [
            models.Index(fields=["status", "deadline"], name="rect_item_status_deadline"),
            models.Index(
                fields=["status", "area_path"],
                name="rect_item_status_area",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["deadline"], name="rect_item_deadline"),
            # Prefix scans on unit_path use varchar_pattern_ops on PostgreSQL (ignored elsewhere).
            models.Index(
                fields=["unit_path", "status"],
                name="rect_item_path_status",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["needs_upper_help", "unit_path"],
                name="rect_item_help_path",
                opclasses=["bool_ops", "varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handling=Handling.NOT_YET) | Q(deadline__isnull=False),
                name="%(app_label)s_%(class)s_deadline_required",
                violation_error_message=_("马上办和限期办的事项必须填写完成时限。"),
            ),
            models.CheckConstraint(
                condition=~Q(handling=Handling.NOT_YET) | ~Q(explanation=""),
                name="%(app_label)s_%(class)s_explanation_required",
                violation_error_message=_("暂不具备条件解决的事项，必须写明向群众的解释说明。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind=ListKind.PERSONAL) | Q(person__isnull=False),
                name="%(app_label)s_%(class)s_personal_has_person",
                violation_error_message=_("个人整改事项必须注明班子成员。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind=ListKind.PERSONAL) | Q(is_public=False),
                name="%(app_label)s_%(class)s_personal_not_public",
                violation_error_message=_("班子成员个人整改措施只在单位内部公开，不能向社会公开。"),
            ),
        ]

    def __str__(self) -> str:
        text = self.problem.strip().splitlines()[0] if self.problem.strip() else ""
        return text[:40] + ("…" if len(text) > 40 else "")

    def get_absolute_url(self) -> str:
        return reverse("rectification:item", args=[self.pk])

    @property
    def number(self) -> str:
        return item_number(self.pk)


def item_number(pk: int) -> str:
    """An item's 编号 as offices write it: ZG and six digits."""
    return f"ZG{pk:06d}"


class ItemUserObjectPermission(UserObjectPermissionBase):
    """Grants on one item: a cooperating unit's user, or a sign-off delegated to a person."""

    content_object = models.ForeignKey(RectificationItem, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("整改事项对象权限")


class ItemGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(RectificationItem, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("整改事项组对象权限")


class ItemEvent(models.Model):
    """Who did what to an item, from which status to which, why, when; append-only."""

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("整改事项"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=24, choices=ItemAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=ItemStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ItemStatus.choices, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作方"), max_length=50, blank=True)
    on_date = models.DateField(_("日期"), default=clock.today)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("整改事项办理记录")
        verbose_name_plural = _("整改事项办理记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["item", "at"], name="rect_event_item_at")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.get_action_display()}"


class ItemRating(models.Model):
    """One round of the public's rating of a finished (销号), published item: 开门整改 [003].

    The ratings themselves are answers to ``survey`` (stages' engine, purpose ITEM, public
    link, one answer per browser, target the item's unit): one survey per item and round,
    because the engine's targets are units and each item needs its own count. A round
    belongs to one closing of the item (``reopen_count`` at its start). When at least
    ``min_responses`` ratings are in and the satisfied share is under the survey's
    threshold, the survey is settled and the item reopened (复号) — once per round; the
    next closing starts a new round. ``responses``/``satisfied`` mirror the survey's tally
    after each rating, for the public page.
    """

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("整改事项"), on_delete=models.PROTECT, related_name="ratings"
    )
    survey = models.OneToOneField(
        "stages.Survey", verbose_name=_("测评"), on_delete=models.PROTECT, related_name="item_rating"
    )
    round = models.PositiveSmallIntegerField(_("评价轮次"), default=1)
    reopen_count = models.PositiveSmallIntegerField(_("开始时的复号次数"), default=0)
    min_responses = models.PositiveSmallIntegerField(_("最少评价人数"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RatingStatus.choices, default=RatingStatus.OPEN
    )
    responses = models.PositiveIntegerField(_("评价人数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意和基本满意人数"), default=0)
    created_at = models.DateTimeField(_("开始时间"), default=clock.now, editable=False)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("整改效果评价")
        verbose_name_plural = _("整改效果评价")
        ordering = ["item", "-round"]
        constraints = [
            models.UniqueConstraint(fields=["item", "round"], name="%(app_label)s_%(class)s_unique_round"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status="open"),
                name="%(app_label)s_%(class)s_one_open_round",
                violation_error_message=_("同一事项同时只能有一轮整改效果评价。"),
            ),
            models.CheckConstraint(
                condition=Q(satisfied__lte=F("responses")),
                name="%(app_label)s_%(class)s_satisfied_within_responses",
                violation_error_message=_("满意人数不能多于评价人数。"),
            ),
        ]

    def __str__(self) -> str:
        return _("%(item)s 第%(n)d轮整改效果评价") % {"item": self.item, "n": self.round}

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.satisfied, self.responses) if self.responses else None


class ItemSource(models.Model):
    """An item answers a source (the "四个回应"): an opinion, a material's problem, a criticism…

    Sources live in other apps; ``source_kind`` names the provider registered for
    them (``rectification.source_registry``) and ``source_id`` the row there.
    """

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("整改事项"), on_delete=models.CASCADE, related_name="sources"
    )
    source_kind = models.CharField(_("来源类型"), max_length=24, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("整改事项问题来源")
        verbose_name_plural = _("整改事项问题来源")
        ordering = ["item", "source_kind", "source_id"]
        indexes = [models.Index(fields=["source_kind", "source_id"], name="rect_source_kind_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "source_kind", "source_id"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("该事项已关联这个问题来源。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_kind_display()} #{self.source_id}"


class ItemParticipant(models.Model):
    """A unit that works on another unit's item: 牵头单位, 配合单位, or an upper department
    that claimed it (上下联动 [003]). Its users see the item although it lies outside their tree.
    """

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("整改事项"), on_delete=models.CASCADE, related_name="participants"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(_("单位路径"), max_length=255, db_index=True, editable=False)
    role = models.CharField(_("角色"), max_length=16, choices=ParticipantRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = audit_history()

    class Meta:
        verbose_name = _("整改事项参与单位")
        verbose_name_plural = _("整改事项参与单位")
        ordering = ["item", "role", "unit_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "unit"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("该单位已参与此事项。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_role_display()}"


class ProgressReport(models.Model):
    """整改进展: what was done, reported by the owner or a participating unit; append-only."""

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("整改事项"), on_delete=models.CASCADE, related_name="reports"
    )
    text = models.TextField(_("进展情况"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_date = models.DateField(_("报告日期"), default=clock.today)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.on_date}"


class Evidence(models.Model):
    """A 佐证材料 file, kept under PRIVATE_MEDIA_ROOT and handed out only after an access check."""

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("整改事项"), on_delete=models.CASCADE, related_name="evidence"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("整改进展"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    kind = models.CharField(_("文件类型"), max_length=8, choices=EvidenceKind.choices)
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_as = models.CharField(_("存储位置"), max_length=300, editable=False)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("rectification:evidence", args=[self.pk])


class PointedProblem(UnitRecord):
    """A problem the 督导组 or an upper 党组织/活动办 pointed out to a unit (上级点明的问题 [003]).

    One of the four kinds of source an item must answer; recorded here with who pointed it out.
    """

    text = models.TextField(_("问题"))
    pointed_by = models.CharField(_("提出方"), max_length=24, choices=PointedBy.choices)
    pointed_by_org = models.ForeignKey(
        Organization,
        verbose_name=_("提出的组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pointed_by_name = models.CharField(_("提出方名称"), max_length=100)
    pointed_on = models.DateField(_("提出日期"), default=clock.today)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("上级和督导组点明的问题")
        verbose_name_plural = _("上级和督导组点明的问题")
        ordering = ["unit_path", "pointed_on", "pk"]

    def __str__(self) -> str:
        text = self.text.strip()
        return text[:40] + ("…" if len(text) > 40 else "")


# --- 专项整治 ----------------------------------------------------------------


class SpecialProject(UnitRecord):
    """A 专项整治 defined top-down by the office of ``unit`` (e.g. the 11 problems of [003]).

    Scope: units under ``unit`` whose kind is in ``scope_kinds`` (any kind when empty)
    and, if scope units are listed, that lie under one of them.
    """

    number = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("整治内容"), blank=True)
    origin = models.CharField(_("部署来源"), max_length=100, blank=True)
    # ",county,township," — a comma-wrapped list so that "kind in scope" is one LIKE in SQL.
    scope_kinds = models.CharField(_("适用单位类型"), max_length=300, blank=True)
    deadline = models.DateField(_("整治完成时限"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        ordering = ["unit_path", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title"],
                name="%(app_label)s_%(class)s_unique_title",
                violation_error_message=_("本单位已部署同名的专项整治。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rectification:project", args=[self.pk])

    @property
    def kinds(self) -> list[str]:
        return [k for k in self.scope_kinds.split(",") if k]


class SpecialProjectScopeUnit(models.Model):
    """A subtree a special project is limited to."""

    project = models.ForeignKey(
        SpecialProject, verbose_name=_("专项整治"), on_delete=models.CASCADE, related_name="scope_units"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(_("单位路径"), max_length=255, db_index=True, editable=False)

    history = audit_history()

    class Meta:
        verbose_name = _("专项整治范围")
        verbose_name_plural = _("专项整治范围")
        ordering = ["project", "unit_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "unit"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("该单位已在专项整治范围内。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.unit}"


class SpecialProjectPlan(UnitRecord):
    """A unit's 整治方案 for one special project: 牵头单位, 责任主体, 进度时限, 推进措施 [003],
    tracked 项目化推进、销号式管理, with the office's final 评估验收.
    """

    # The 党委 that manages the unit (units.selectors.area_of): offices above it sign off and review.
    area_path = models.CharField(_("所属党委路径"), max_length=255, editable=False)
    project = models.ForeignKey(
        SpecialProject, verbose_name=_("专项整治"), on_delete=models.PROTECT, related_name="plans"
    )
    lead_unit = models.CharField(_("牵头单位"), max_length=200)
    responsible = models.CharField(_("责任主体"), max_length=200)
    deadline = models.DateField(_("进度时限"))
    target = models.TextField(_("目标要求"), blank=True)
    measures = models.TextField(_("推进措施"))
    progress = models.TextField(_("整治进展"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectPlanStatus.choices, default=ProjectPlanStatus.FILED
    )
    acceptance = models.CharField(
        _("评估验收"), max_length=16, choices=Acceptance.choices, default=Acceptance.PENDING
    )
    acceptance_reason = models.TextField(_("验收意见"), blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("专项整治方案")
        verbose_name_plural = _("专项整治方案")
        ordering = ["project", "unit_path"]
        indexes = [
            models.Index(
                fields=["acceptance", "unit_path"],
                name="rect_pplan_accept_path",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "unit"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("本单位已报送该专项整治的方案。"),
            ),
            models.CheckConstraint(
                condition=~Q(acceptance=Acceptance.FAILED) | ~Q(acceptance_reason=""),
                name="%(app_label)s_%(class)s_failed_has_reason",
                violation_error_message=_("验收不合格的，必须写明原因。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.unit}"


class ProjectPlanEvent(models.Model):
    """A step of a unit's special-project plan: filed, progress reported, 评估验收; append-only."""

    plan = models.ForeignKey(
        SpecialProjectPlan, verbose_name=_("专项整治方案"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=16, choices=ProjectPlanAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=ProjectPlanStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ProjectPlanStatus.choices, blank=True)
    result = models.CharField(_("验收结果"), max_length=16, choices=Acceptance.choices, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_date = models.DateField(_("日期"), default=clock.today)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("专项整治办理记录")
        verbose_name_plural = _("专项整治办理记录")
        ordering = ["plan", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_action_display()}"


# --- 建章立制 ----------------------------------------------------------------


class Rule(UnitRecord):
    """A line of a unit's rules inventory and 制度建设计划: 废、改、立 [003]."""

    title = models.CharField(_("制度名称"), max_length=200)
    judgement = models.CharField(_("梳理意见"), max_length=16, choices=RuleJudgement.choices)
    reason = models.TextField(_("理由和主要内容"), blank=True)
    owner = models.CharField(_("责任主体"), max_length=200)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=RuleStatus.choices, default=RuleStatus.PLANNED
    )
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("制度")
        verbose_name_plural = _("制度")
        ordering = ["unit_path", "judgement", "pk"]
        indexes = [
            models.Index(
                fields=["unit_path", "status"],
                name="rect_rule_path_status",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(judgement=RuleJudgement.KEEP) | Q(deadline__isnull=False),
                name="%(app_label)s_%(class)s_deadline_required",
                violation_error_message=_("废止、修订和新立的制度必须写明完成时限。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=RuleStatus.DONE)
                | ~Q(judgement__in=[RuleJudgement.NEW, RuleJudgement.REVISE])
                | (Q(issued_on__isnull=False) & ~Q(doc_number="")),
                name="%(app_label)s_%(class)s_issued_needs_number",
                violation_error_message=_("新立或修订完成的制度，必须登记印发日期和文号。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RuleEvent(models.Model):
    """A rule's status change (planned → done); append-only."""

    rule = models.ForeignKey(Rule, verbose_name=_("制度"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=16, choices=RuleStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=RuleStatus.choices)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_date = models.DateField(_("日期"), default=clock.today)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("制度办理记录")
        verbose_name_plural = _("制度办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.rule} {self.get_to_status_display()}"


class UnitItemTally(models.Model):
    """Counts of one unit's own items as of a day: what the 整改台账 drill-down sums instead of
    counting a province's million items live. Derived data, so no history: every row can be
    recomputed from the items (``rectification.tallies``). A row is *stale* from the moment
    one of its unit's items is saved until the next refresh recounts that unit; readers count
    stale units and rows of another day live."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, primary_key=True, related_name="item_tally")
    unit_path = models.CharField(max_length=255)
    counted_on = models.DateField()  # red and yellow depend on the day
    stale = models.BooleanField(default=False)
    total = models.PositiveIntegerField(default=0)  # live statuses, as the 台账 counts them
    closed = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("整改事项计数")
        verbose_name_plural = _("整改事项计数")
        indexes = [
            models.Index(fields=["unit_path"], name="rect_tally_path", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit_path} {self.counted_on}"

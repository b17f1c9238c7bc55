"""督导: notifications and the reminder ledger, supervision notes, 约谈/问责, the "六个不放过" checklist."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaign import clock
from campaign.audit import audit_history
from supervision.choices import (
    AccountabilityKind,
    CheckStatus,
    EvaluationGrade,
    EvaluationStatus,
    NotificationKind,
    SixNotLetGo,
    Threshold,
)
from units.models import Organization, Person, UnitRecord


class Notification(models.Model):
    """A message in a user's in-app inbox (a reminder digest, an urge, a notice)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=clock.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed = models.BooleanField(_("已发邮件"), default=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="supervision_notice_inbox")]

    def __str__(self) -> str:
        return self.title


class ReminderLedger(models.Model):
    """One row per reminder that is owed: written before sending, unique per object, threshold and person.

    A sweep inserts the rows it finds due (duplicates are ignored), then claims
    unsent rows with a compare-and-set on ``claimed_by``; only the claimer sends
    them. So a restarted beat, a retried task or two workers never send twice,
    and rows left by a sweep that died are picked up by the next one.
    """

    rule = models.CharField(_("提醒规则"), max_length=40)
    object_key = models.CharField(_("对象"), max_length=80)
    threshold = models.CharField(_("节点"), max_length=40, choices=Threshold.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("事项"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("时限"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=clock.now)
    claimed_by = models.CharField(_("处理批次"), max_length=40, null=True, blank=True)
    claimed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("汇总通知"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
    )

    class Meta:
        verbose_name = _("提醒台账")
        verbose_name_plural = _("提醒台账")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_key", "threshold", "recipient"], name="%(app_label)s_%(class)s_once"
            )
        ]
        # Only unsent rows: a sweep finds the unclaimed and stale ones, and reads its own by person.
        indexes = [
            models.Index(
                fields=["claimed_by", "recipient"],
                name="supervision_ledger_held",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.get_threshold_display()}"


class Urge(models.Model):
    """催办 by hand: who urged what, when (rate-limited per object)."""

    object_key = models.CharField(_("对象"), max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("催办人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("附言"), max_length=300, blank=True)
    recipients = models.PositiveSmallIntegerField(_("通知人数"), default=0)
    created_at = models.DateTimeField(_("时间"), default=clock.now)

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.object_key


class SupervisionNote(UnitRecord):
    """A 督导组 member's note on any record of an assigned unit; internal to supervisors and offices."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    record = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(Person, verbose_name=_("督导人员"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("督导意见"))
    created_at = models.DateTimeField(_("时间"), default=clock.now)

    history = audit_history()

    class Meta:
        verbose_name = _("督导记录")
        verbose_name_plural = _("督导记录")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="supervision_note_record")]

    def __str__(self) -> str:
        return self.text[:40]


class Accountability(UnitRecord):
    """约谈 or 问责 of a principal [000] 四(1): "实行“一把手”约谈和问责制"."""

    person = models.ForeignKey(
        Person, verbose_name=_("被约谈（问责）人"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=AccountabilityKind.choices)
    date = models.DateField(_("日期"))
    reason = models.TextField(_("事由"))
    outcome = models.TextField(_("结果"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("约谈问责")
        verbose_name_plural = _("约谈问责")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person}"


class UnitCheck(UnitRecord):
    """One item of the "六个不放过" checklist of a 督导组 on one of its units."""

    group = models.ForeignKey(
        Organization, verbose_name=_("督导组"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.CharField(_("核查事项"), max_length=16, choices=SixNotLetGo.choices)
    status = models.CharField(
        _("核查结果"), max_length=16, choices=CheckStatus.choices, default=CheckStatus.UNCHECKED
    )
    note = models.TextField(_("说明"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("“六个不放过”核查")
        verbose_name_plural = _("“六个不放过”核查")
        ordering = ["unit_path", "item"]
        constraints = [
            models.UniqueConstraint(fields=["group", "unit", "item"], name="%(app_label)s_%(class)s_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_item_display()}"


class ReportHearing(UnitRecord):
    """A secretary hearing the lower organisations' report on the campaign [002] 四(一):
    "每月至少专题听取一次下级党组织负责人开展教育实践活动的汇报"."""

    date = models.DateField(_("听取汇报日期"))
    chaired_by = models.ForeignKey(
        Person, verbose_name=_("主持人"), on_delete=models.PROTECT, related_name="+"
    )
    reporters = models.TextField(_("汇报人"), help_text=_("下级党组织负责人，一行一人"))
    notes = models.TextField(_("主要内容和要求"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )

    history = audit_history()

    class Meta:
        verbose_name = _("专题听取汇报")
        verbose_name_plural = _("专题听取汇报")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["unit", "date"], name="supervision_hearing_month")]

    def __str__(self) -> str:
        return f"{self.unit} {self.date}"


class RecordEvaluation(UnitRecord):
    """纪实评价 [003] of one assigned unit by its 督导组: the 班子's grade and written evaluation.

    The record figures (materials and review returns, the 督导组's meeting rating, satisfaction,
    rectification completion, 约谈/问责) are counted from the record on every save and frozen in
    ``figures`` when the group submits; submitting locks the evaluation.
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        Organization, verbose_name=_("督导组"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    grade = models.CharField(_("班子评价等次"), max_length=16, choices=EvaluationGrade.choices, blank=True)
    text = models.TextField(_("班子评价意见"), blank=True)
    figures = models.JSONField(_("纪实数据"), default=dict, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("纪实评价")
        verbose_name_plural = _("纪实评价")
        ordering = ["group", "unit_path"]
        constraints = [
            models.UniqueConstraint(fields=["group", "unit"], name="%(app_label)s_%(class)s_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.group}"

    @property
    def locked(self) -> bool:
        return self.status == EvaluationStatus.SUBMITTED


class LeaderEvaluation(models.Model):
    """纪实评价 of one leader (a person with a post in the unit's 班子) inside a RecordEvaluation."""

    evaluation = models.ForeignKey(
        RecordEvaluation, verbose_name=_("纪实评价"), on_delete=models.CASCADE, related_name="leaders"
    )
    person = models.ForeignKey(Person, verbose_name=_("领导干部"), on_delete=models.PROTECT, related_name="+")
    post_title = models.CharField(_("职务"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    grade = models.CharField(_("评价等次"), max_length=16, choices=EvaluationGrade.choices, blank=True)
    text = models.TextField(_("评价意见"), blank=True)
    figures = models.JSONField(_("纪实数据"), default=dict, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("领导干部纪实评价")
        verbose_name_plural = _("领导干部纪实评价")
        ordering = ["evaluation", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "person"], name="%(app_label)s_%(class)s_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.post_title}"

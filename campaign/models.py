"""The campaign itself and the background jobs it runs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from campaign.audit import audit_history
from campaign.choices import JobKind, JobStatus


class Campaign(models.Model):
    """One 教育实践活动 batch as an organising 党委 runs it (e.g. the second batch of 2014)."""

    name = models.CharField(_("名称"), max_length=100)
    batch = models.PositiveSmallIntegerField(_("批次"), default=2)
    root_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="campaigns"
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    # "具体到每个单位，集中教育时间一般不少于3个月" [000].
    min_unit_months = models.PositiveSmallIntegerField(_("单位集中教育最少月数"), default=3)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("教育实践活动")
        verbose_name_plural = _("教育实践活动")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("结束日期必须晚于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Job(models.Model):
    """A long import or export running in a Celery worker, with visible progress.

    Operational state, not a campaign record: no history, and the file it
    reads or writes lives under PRIVATE_MEDIA_ROOT, handed out only to its owner.
    """

    kind = models.CharField(_("类型"), max_length=32, choices=JobKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.CASCADE, related_name="jobs"
    )
    input_name = models.CharField(_("文件名"), max_length=200, blank=True)
    input_file = models.CharField(_("文件位置"), max_length=300, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="campaign_job_user_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

"""The campaign, its calendar, each unit's stage state, gates, 回头看, and background jobs."""

from __future__ import annotations

import datetime
from fractions import Fraction

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from campaign import clock
from campaign.audit import audit_history
from campaign.choices import (
    JobKind,
    JobStatus,
    LookBackStatus,
    Stage,
    StageAction,
    StageStatus,
    Verdict,
)
from units.choices import Level
from units.models import UnitRecord


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
    # 开门整改: the public rates each finished item; with at least ``rating_min_responses``
    # ratings below the threshold the item is reopened (复号).
    rating_min_responses = models.PositiveSmallIntegerField(
        _("整改效果评价最少评价人数"), default=10, validators=[MinValueValidator(1)]
    )
    rating_threshold_numerator = models.PositiveSmallIntegerField(_("整改效果满意率标准（分子）"), default=2)
    rating_threshold_denominator = models.PositiveSmallIntegerField(
        _("整改效果满意率标准（分母）"), default=3, validators=[MinValueValidator(1)]
    )
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
            models.CheckConstraint(
                condition=Q(rating_threshold_denominator__gt=0)
                & Q(rating_threshold_numerator__lte=F("rating_threshold_denominator")),
                name="%(app_label)s_%(class)s_rating_threshold_is_a_rate",
                violation_error_message=_("整改效果满意率标准必须是0到1之间的分数。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rating_threshold(self) -> Fraction:
        return Fraction(self.rating_threshold_numerator, self.rating_threshold_denominator)


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
        return self.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.EXPIRED)

    @property
    def has_file(self) -> bool:
        """A finished export whose file is still kept."""
        return self.status == JobStatus.DONE and bool(self.result.get("file"))


# --- calendar ----------------------------------------------------------------


class StageCalendar(UnitRecord):
    """An office's calendar for its area: the three stage windows of its top level and the stagger.

    "统一部署、梯次展开、压茬进行" [000][004]: the top level of the area (市 for a province's
    calendar, otherwise the level of the office's own unit) runs the windows as set here;
    each level below starts ``interval_days`` later than the one above it ("间隔一般半个月
    左右" [002]). A unit takes the calendar of its nearest ancestor-or-self that has one;
    a WindowOverride of the unit wins over it.
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="calendars"
    )
    top_level = models.PositiveSmallIntegerField(_("起始层级"), choices=Level.choices, editable=False)
    interval_days = models.PositiveSmallIntegerField(
        _("逐级间隔（天）"), default=15, validators=[MaxValueValidator(90)]
    )
    stage1_start = models.DateField(_("第一环节开始"))
    stage1_end = models.DateField(_("第一环节结束"))
    stage2_start = models.DateField(_("第二环节开始"))
    stage2_end = models.DateField(_("第二环节结束"))
    stage3_start = models.DateField(_("第三环节开始"))
    stage3_end = models.DateField(_("第三环节结束"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("环节日程")
        verbose_name_plural = _("环节日程")
        ordering = ["campaign", "unit_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                name="%(app_label)s_%(class)s_unique_unit",
                violation_error_message=_("该单位已设有本活动的环节日程，请修改原日程。"),
            ),
            models.CheckConstraint(
                condition=Q(stage1_end__gte=F("stage1_start"))
                & Q(stage2_end__gte=F("stage2_start"))
                & Q(stage3_end__gte=F("stage3_start")),
                name="%(app_label)s_%(class)s_ends_after_starts",
                violation_error_message=_("每个环节的结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(stage2_start__gte=F("stage1_start")) & Q(stage3_start__gte=F("stage2_start")),
                name="%(app_label)s_%(class)s_stages_in_order",
                violation_error_message=_(
                    "三个环节须依次开始：第二环节不能早于第一环节，第三环节不能早于第二环节。"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}·{self.campaign}"

    def top_windows(self) -> dict[int, tuple[datetime.date, datetime.date]]:
        return {
            Stage.STUDY: (self.stage1_start, self.stage1_end),
            Stage.CRITICISM: (self.stage2_start, self.stage2_end),
            Stage.RECTIFICATION: (self.stage3_start, self.stage3_end),
        }

    def offset_days(self, level: int) -> int:
        """How many days a unit at ``level`` starts after the top level (直属单位 follow their level)."""
        return max(level - self.top_level, 0) * self.interval_days


class WindowOverride(UnitRecord):
    """One unit's own window for one stage; wins over the level's calendar.

    Set by an office, or by a 回头看 (延时补课 extends the window, 推倒重来 gives a new one).
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="window_overrides"
    )
    stage = models.PositiveSmallIntegerField(_("环节"), choices=Stage.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    reason = models.CharField(_("原因"), max_length=200)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("单位环节日程调整")
        verbose_name_plural = _("单位环节日程调整")
        ordering = ["campaign", "unit_path", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "stage"],
                name="%(app_label)s_%(class)s_unique_stage",
                violation_error_message=_("该单位的这个环节已有单独日程，请修改原日程。"),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_stage_display()} {self.start}—{self.end}"


# --- each unit's stage state -------------------------------------------------


class UnitStage(UnitRecord):
    """Where a participating unit stands in a campaign: 未开始, 进行中 (stage N) or 已完成.

    Created when an office opens the campaign for its subtree; moved only by the
    stage services, each move recorded as a StageEvent.
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="unit_stages"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=StageStatus.choices, default=StageStatus.NOT_STARTED
    )
    stage = models.PositiveSmallIntegerField(_("所处环节"), choices=Stage.choices, null=True, blank=True)
    entered_on = models.DateField(_("进入当前状态日期"))
    started_on = models.DateField(_("启动日期"), null=True, blank=True)
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)
    restarts = models.PositiveSmallIntegerField(_("推倒重来次数"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("单位环节进度")
        verbose_name_plural = _("单位环节进度")
        ordering = ["campaign", "unit_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                name="%(app_label)s_%(class)s_unique_unit",
                violation_error_message=_("该单位已纳入本活动。"),
            ),
            models.CheckConstraint(
                condition=(Q(status=StageStatus.IN_PROGRESS) & Q(stage__isnull=False))
                | (~Q(status=StageStatus.IN_PROGRESS) & Q(stage__isnull=True)),
                name="%(app_label)s_%(class)s_stage_iff_in_progress",
                violation_error_message=_("只有进行中的单位才有所处环节。"),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status", "stage"], name="campaign_unitstage_position")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.position_label}"

    @property
    def position(self) -> int:
        """0 = 未开始, 1–3 = in that stage, 4 = 已完成: the order of the moves."""
        if self.status == StageStatus.NOT_STARTED:
            return 0
        if self.status == StageStatus.FINISHED:
            return 4
        return int(self.stage or 0)

    @property
    def position_label(self) -> str:
        if self.status == StageStatus.IN_PROGRESS and self.stage:
            return f"{self.get_status_display()}（{self.get_stage_display()}）"
        return str(self.get_status_display())

    @property
    def next_label(self) -> str:
        """What the next move is called on buttons."""
        if self.status == StageStatus.NOT_STARTED:
            return str(_("启动第一环节"))
        if self.stage == Stage.RECTIFICATION:
            return str(_("完成全部环节"))
        return str(_("进入下一环节"))


class StageEvent(UnitRecord):
    """One move of a unit's stage state, or a 回头看 on it: append-only, never changed."""

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    unit_stage = models.ForeignKey(
        UnitStage, verbose_name=_("单位环节进度"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("事项"), max_length=16, choices=StageAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=StageStatus.choices, blank=True)
    from_stage = models.PositiveSmallIntegerField(_("原环节"), choices=Stage.choices, null=True, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=StageStatus.choices)
    to_stage = models.PositiveSmallIntegerField(_("新环节"), choices=Stage.choices, null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    lookback = models.ForeignKey(
        "campaign.LookBack",
        verbose_name=_("回头看"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_on = models.DateField(_("日期"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("环节进度记录")
        verbose_name_plural = _("环节进度记录")
        ordering = ["unit_stage", "occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_action_display()}"


# --- gates -------------------------------------------------------------------


class Gate(models.Model):
    """What must be true before a unit of some kinds may leave a stage: a condition key and its params.

    The condition is a key of the gate registry (campaign/gates.py); the code of the
    app that owns the data evaluates it. ``unit_kinds`` empty means every kind.
    Gates are retired (is_active off), never deleted.
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="gates"
    )
    stage = models.PositiveSmallIntegerField(_("离开环节"), choices=Stage.choices)
    condition = models.CharField(_("条件"), max_length=64)
    unit_kinds = models.JSONField(_("适用单位类型"), default=list, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("环节关卡")
        verbose_name_plural = _("环节关卡")
        ordering = ["campaign", "stage", "id"]

    def __str__(self) -> str:
        from campaign.gates import condition_label

        return f"{self.get_stage_display()}：{condition_label(self.condition, self.params)}"

    def applies_to(self, kind: str) -> bool:
        return not self.unit_kinds or kind in self.unit_kinds


# --- 回头看 -------------------------------------------------------------------


class LookBack(UnitRecord):
    """A 督导组's 回头看 of one stage of a unit, with its verdict [002].

    通过 changes nothing; 限期整改 stays open (and keeps the unit in its stage) until
    the 督导组 or the office closes it; 延时补课 extends the stage's window; 推倒重来
    puts the unit back at the start of the stage with a new window.
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="lookbacks"
    )
    unit_stage = models.ForeignKey(
        UnitStage, verbose_name=_("单位环节进度"), on_delete=models.PROTECT, related_name="lookbacks"
    )
    stage = models.PositiveSmallIntegerField(_("回头看环节"), choices=Stage.choices)
    verdict = models.CharField(_("结论"), max_length=16, choices=Verdict.choices)
    findings = models.TextField(_("回头看意见"))
    points = models.TextField(_("整改或补课要点"), blank=True)
    due_date = models.DateField(_("期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=LookBackStatus.choices)
    group = models.ForeignKey(
        "units.Organization", verbose_name=_("督导组"), on_delete=models.PROTECT, related_name="lookbacks"
    )
    recorded_by = models.ForeignKey(
        "units.Person", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="lookbacks"
    )
    recorded_on = models.DateField(_("回头看日期"))
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_note = models.TextField(_("销号说明"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict=Verdict.PASSED) | Q(due_date__isnull=False),
                name="%(app_label)s_%(class)s_due_date_unless_passed",
                violation_error_message=_("限期整改、延时补课和推倒重来须写明期限。"),
            ),
            models.CheckConstraint(
                condition=Q(verdict=Verdict.RECTIFY) | ~Q(status=LookBackStatus.OPEN),
                name="%(app_label)s_%(class)s_only_orders_open",
                violation_error_message=_("只有限期整改需要销号。"),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "verdict", "status"], name="campaign_lookback_open")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_stage_display()} {self.get_verdict_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == LookBackStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < clock.today()

"""Stage 1 — 学习教育、听取意见: study records, opinions and their sorting, claiming and answers,
and the satisfaction survey engine used wherever the seeds ask the public to evaluate.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaign.audit import audit_history
from stages.choices import (
    ClaimKind,
    GroupAction,
    GroupStatus,
    OpinionCategory,
    OpinionChannel,
    OpinionSource,
    RemediationAction,
    RemediationStatus,
    StudyKind,
    SurveyAction,
    SurveyMode,
    SurveyPurpose,
    SurveyStatus,
)
from units.models import Person, UnitRecord

OPINION_MAX_CHARS = 2000
ANSWER_MAX_CHARS = 5000


# --- study ------------------------------------------------------------------


class StudySession(UnitRecord):
    """A study session of a unit (集中学习, 中心组学习, 专题培训 …) with who took part [000][001]."""

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("学习形式"), max_length=24, choices=StudyKind.choices)
    held_on = models.DateField(_("学习日期"))
    hours = models.DecimalField(
        _("学时（小时）"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("72"))],
    )
    topic = models.CharField(_("学习主题"), max_length=200)
    material = models.TextField(
        _("学习内容和材料"), blank=True, validators=[MaxLengthValidator(OPINION_MAX_CHARS)]
    )
    participants = models.ManyToManyField(
        Person, verbose_name=_("参学人员"), blank=True, related_name="study_sessions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history(m2m_fields=[participants])

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "held_on"], name="stages_study_unit_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="%(app_label)s_%(class)s_hours_positive",
                violation_error_message=_("学时必须大于0。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("stages:study_detail", args=[self.pk])


# --- opinions -----------------------------------------------------------------


class OpinionGroup(UnitRecord):
    """A 辫子: opinions that say the same thing, claimed and answered as one.

    The stable link target for "四个回应": rectification items point at a group
    (or at a single opinion) by primary key.
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("意见概括"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=GroupStatus.choices, default=GroupStatus.PROPOSED
    )
    similarity = models.FloatField(_("相似度"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    claim_kind = models.CharField(_("认领方式"), max_length=16, choices=ClaimKind.choices, blank=True)
    claimed_person = models.ForeignKey(
        Person,
        verbose_name=_("认领领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_opinion_groups",
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True, validators=[MaxLengthValidator(ANSWER_MAX_CHARS)])
    answered_at = models.DateTimeField(_("答复拟写时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("答复发布时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("意见组")
        verbose_name_plural = _("意见组")
        ordering = ["unit_path", "-pk"]
        indexes = [models.Index(fields=["unit", "status"], name="stages_group_unit_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim_kind="") | Q(claimed_at__isnull=False),
                name="%(app_label)s_%(class)s_claim_has_time",
                violation_error_message=_("认领记录缺少认领时间。"),
            ),
            models.CheckConstraint(
                condition=~Q(claim_kind=ClaimKind.LEADER) | Q(claimed_person__isnull=False),
                name="%(app_label)s_%(class)s_leader_claim_names_leader",
                violation_error_message=_("由领导个人认领时必须指明领导。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stages:group_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == GroupStatus.PUBLISHED

    @property
    def claimer_label(self) -> str:
        if self.claim_kind == ClaimKind.BODY:
            return str(_("领导班子"))
        if self.claim_kind == ClaimKind.LEADER and self.claimed_person_id:
            return str(self.claimed_person)
        return ""


class Opinion(UnitRecord):
    """One opinion from the public or from an upper body, as it was received (原汁原味).

    An anonymous (背靠背) opinion stores no name and no contact — a database
    constraint holds it — and the person who keyed it in is an office worker,
    never the submitter: public submissions record no user and no address.
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    receipt_code = models.CharField(_("回执码"), max_length=16, unique=True, editable=False)
    group = models.ForeignKey(
        OpinionGroup,
        verbose_name=_("意见组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    channel = models.CharField(_("征求渠道"), max_length=24, choices=OpinionChannel.choices)
    category = models.CharField(_("意见类别"), max_length=24, choices=OpinionCategory.choices)
    is_anonymous = models.BooleanField(_("背靠背（匿名）"), default=False)
    submitter_name = models.CharField(_("提出人姓名"), max_length=50, blank=True)
    submitter_contact = models.CharField(_("提出人联系方式"), max_length=100, blank=True)
    about_person = models.ForeignKey(
        Person,
        verbose_name=_("所提意见涉及的领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions_about",
    )
    text = models.TextField(_("意见内容"), validators=[MaxLengthValidator(OPINION_MAX_CHARS)])
    received_on = models.DateField(_("收到日期"))
    source = models.CharField(_("录入方式"), max_length=16, choices=OpinionSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "group"], name="stages_opinion_unit_group"),
            models.Index(fields=["campaign", "unit_path"], name="stages_opinion_campaign_path"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | (Q(submitter_name="") & Q(submitter_contact="")),
                name="%(app_label)s_%(class)s_anonymous_has_no_identity",
                violation_error_message=_("背靠背（匿名）意见不能登记提出人的姓名或联系方式。"),
            ),
        ]

    def __str__(self) -> str:
        return _("意见 %(code)s") % {"code": self.receipt_display}

    def get_absolute_url(self) -> str:
        return reverse("stages:opinion_detail", args=[self.pk])

    @property
    def receipt_display(self) -> str:
        code = self.receipt_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class OpinionGroupEvent(models.Model):
    """Append-only log of what happened to an opinion group: who, what, from, to, when."""

    group = models.ForeignKey(
        OpinionGroup, verbose_name=_("意见组"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=16, choices=GroupAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=GroupStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=GroupStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("意见组办理记录")
        verbose_name_plural = _("意见组办理记录")
        ordering = ["group", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.group} {self.get_action_display()}"


# --- surveys --------------------------------------------------------------------


class Survey(UnitRecord):
    """A satisfaction survey (群众评价, 群众评议, 民主评议, 民意调查) run by the office of ``unit``.

    One engine for every evaluation the seeds ask for. Its targets are units
    (several for a cross-unit 民意调查, ranked); a later meeting model points at
    its survey with a foreign key from its own side. The satisfaction rate of a
    target is (answers counted as satisfied) / (answers) on the questions that
    count, as an exact fraction; under ``threshold`` the target is sent back
    to 返工补课 [002][003].
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    purpose = models.CharField(_("用途"), max_length=16, choices=SurveyPurpose.choices)
    subject = models.CharField(_("评议事项"), max_length=200, blank=True)
    mode = models.CharField(_("参评方式"), max_length=16, choices=SurveyMode.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    threshold_numerator = models.PositiveSmallIntegerField(_("满意率标准（分子）"), default=2)
    threshold_denominator = models.PositiveSmallIntegerField(_("满意率标准（分母）"), default=3)
    public_key = models.CharField(_("公开链接码"), max_length=32, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建立人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="%(app_label)s_%(class)s_closes_after_opens",
                violation_error_message=_("截止时间必须晚于开始时间。"),
            ),
            models.CheckConstraint(
                condition=Q(threshold_denominator__gt=0)
                & Q(threshold_numerator__lte=F("threshold_denominator")),
                name="%(app_label)s_%(class)s_threshold_is_a_rate",
                violation_error_message=_("满意率标准必须是0到1之间的分数。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stages:survey_detail", args=[self.pk])

    @property
    def threshold(self) -> Fraction:
        return Fraction(self.threshold_numerator, self.threshold_denominator)


class SurveyTarget(UnitRecord):
    """A unit (its 班子) evaluated in a survey."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("测评"), on_delete=models.PROTECT, related_name="targets"
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    history = audit_history()

    class Meta:
        verbose_name = _("测评对象")
        verbose_name_plural = _("测评对象")
        ordering = ["survey", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "unit"],
                name="%(app_label)s_%(class)s_unique_unit",
                violation_error_message=_("同一测评中不能重复列入同一单位。"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)


class SurveyQuestion(models.Model):
    """A question of a survey; those that count make up the satisfaction rate."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("测评"), on_delete=models.PROTECT, related_name="questions"
    )
    text = models.CharField(_("测评项目"), max_length=200)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    counts = models.BooleanField(_("计入满意率"), default=True)

    history = audit_history()

    class Meta:
        verbose_name = _("测评项目")
        verbose_name_plural = _("测评项目")
        ordering = ["survey", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyOption(models.Model):
    """An answer to a question (满意, 基本满意, 不满意 …), counted as satisfied or not."""

    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("测评项目"), on_delete=models.PROTECT, related_name="options"
    )
    label = models.CharField(_("选项"), max_length=50)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_satisfied = models.BooleanField(_("计为满意"), default=False)

    history = audit_history()

    class Meta:
        verbose_name = _("测评选项")
        verbose_name_plural = _("测评选项")
        ordering = ["question", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.label


class SurveyToken(models.Model):
    """One respondent's right to answer once: handed out on a slip (名单) or held by a browser (公开链接).

    ``respondent`` says to whom a slip was handed (a category such as 服务对象,
    or a name); answers are only ever shown in aggregate.
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("测评"), on_delete=models.PROTECT, related_name="tokens"
    )
    token = models.CharField(_("评议码"), max_length=64, unique=True)
    respondent = models.CharField(_("参评人员"), max_length=100, blank=True)
    is_public = models.BooleanField(_("公开链接"), default=False)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    used_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    history = audit_history(excluded_fields=["token"])

    class Meta:
        verbose_name = _("评议码")
        verbose_name_plural = _("评议码")
        ordering = ["survey", "pk"]

    def __str__(self) -> str:
        return self.respondent or str(_("参评人员"))


class SurveyResponse(models.Model):
    """One respondent's evaluation of one target."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("测评"), on_delete=models.PROTECT, related_name="responses"
    )
    token = models.ForeignKey(
        SurveyToken, verbose_name=_("评议码"), on_delete=models.PROTECT, related_name="responses"
    )
    target = models.ForeignKey(
        SurveyTarget, verbose_name=_("测评对象"), on_delete=models.PROTECT, related_name="responses"
    )
    submitted_at = models.DateTimeField(_("提交时间"))

    history = audit_history()

    class Meta:
        verbose_name = _("测评答卷")
        verbose_name_plural = _("测评答卷")
        ordering = ["survey", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["token", "target"],
                name="%(app_label)s_%(class)s_once_per_token",
                violation_error_message=_("每个评议码对每个测评对象只能提交一次。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.target}"


class SurveyAnswer(models.Model):
    """The option a response chose for one question."""

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("答卷"), on_delete=models.PROTECT, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("测评项目"), on_delete=models.PROTECT, related_name="answers"
    )
    option = models.ForeignKey(
        SurveyOption, verbose_name=_("选项"), on_delete=models.PROTECT, related_name="answers"
    )

    history = audit_history()

    class Meta:
        verbose_name = _("测评答案")
        verbose_name_plural = _("测评答案")
        ordering = ["response", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                name="%(app_label)s_%(class)s_one_per_question",
                violation_error_message=_("每个测评项目只能选一项。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}：{self.option}"


class SurveyResult(UnitRecord):
    """The result of one target when its survey closed: counts, exact rate, rank, verdict."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("测评"), on_delete=models.PROTECT, related_name="results"
    )
    target = models.OneToOneField(
        SurveyTarget, verbose_name=_("测评对象"), on_delete=models.PROTECT, related_name="result"
    )
    responses = models.PositiveIntegerField(_("有效答卷"), default=0)
    satisfied = models.PositiveIntegerField(_("满意票数"), default=0)
    answered = models.PositiveIntegerField(_("计票总数"), default=0)
    option_counts = models.JSONField(_("各选项票数"), default=dict, blank=True)
    threshold_numerator = models.PositiveSmallIntegerField(_("满意率标准（分子）"))
    threshold_denominator = models.PositiveSmallIntegerField(_("满意率标准（分母）"))
    below_threshold = models.BooleanField(_("低于标准"), default=False)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    history = audit_history()

    class Meta:
        verbose_name = _("测评结果")
        verbose_name_plural = _("测评结果")
        ordering = ["survey", "rank", "pk"]
        indexes = [models.Index(fields=["unit", "computed_at"], name="stages_result_unit_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfied__lte=F("answered")),
                name="%(app_label)s_%(class)s_satisfied_within_answered",
                violation_error_message=_("满意票数不能多于计票总数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.unit}"

    @property
    def rate(self) -> Fraction | None:
        """(满意 + 基本满意) / answers, exact; None when nobody answered."""
        return Fraction(self.satisfied, self.answered) if self.answered else None

    @property
    def threshold(self) -> Fraction:
        return Fraction(self.threshold_numerator, self.threshold_denominator)


class SurveyEvent(models.Model):
    """Append-only log of a survey's transitions."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("测评"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=16, choices=SurveyAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=SurveyStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=SurveyStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("测评办理记录")
        verbose_name_plural = _("测评办理记录")
        ordering = ["survey", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.survey} {self.get_action_display()}"


class Remediation(UnitRecord):
    """返工补课 of a target whose satisfaction fell under the threshold [002][003].

    The office records what is redone and closes it; gates read whether one is open.
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("测评"), on_delete=models.PROTECT, related_name="remediations"
    )
    result = models.OneToOneField(
        SurveyResult, verbose_name=_("测评结果"), on_delete=models.PROTECT, related_name="remediation"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=RemediationStatus.choices, default=RemediationStatus.OPEN
    )
    reason = models.TextField(_("原因"))
    work_done = models.TextField(
        _("返工补课情况"), blank=True, validators=[MaxLengthValidator(ANSWER_MAX_CHARS)]
    )
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("返工补课")
        verbose_name_plural = _("返工补课")
        ordering = ["unit_path", "-pk"]
        indexes = [models.Index(fields=["unit", "status"], name="stages_remedy_unit_status")]

    def __str__(self) -> str:
        return _("%(unit)s 返工补课") % {"unit": self.unit}

    def get_absolute_url(self) -> str:
        return reverse("stages:remediation_detail", args=[self.pk])


class RemediationEvent(models.Model):
    """Append-only log of a 返工补课 record."""

    remediation = models.ForeignKey(
        Remediation, verbose_name=_("返工补课"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=16, choices=RemediationAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=RemediationStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=RemediationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("返工补课记录")
        verbose_name_plural = _("返工补课记录")
        ordering = ["remediation", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.remediation} {self.get_action_display()}"

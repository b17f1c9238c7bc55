"""对照检查材料 and the review-chain engine that reviews them.

The engine (templates, rules, reviews, steps, actions) is generic over what it
reviews (``SubjectKind``): materials now, meeting plans and rectification plans
later. A ``Review`` carries everything the inbox shows, so that listing a
reviewer's open steps never joins the subject's own table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from campaign import clock
from campaign.audit import audit_history
from materials.choices import (
    ActionKind,
    MaterialKind,
    MaterialStatus,
    Reentry,
    ReviewerRule,
    ReviewStatus,
    StepKind,
    StepState,
    SubjectKind,
)
from units.choices import Level
from units.models import Person, UnitRecord

# --- chain templates (data an office can change in the admin) ---------------


class ChainTemplate(models.Model):
    """A review chain: the ordered steps a subject passes, e.g. [002]'s 县(区) chain of 7 steps."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    subject_kind = models.CharField(
        _("审核对象"), max_length=24, choices=SubjectKind.choices, default=SubjectKind.MATERIAL
    )
    reentry = models.CharField(
        _("退回后重新提交"), max_length=16, choices=Reentry.choices, default=Reentry.RETURNING_STEP
    )
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("审核流程")
        verbose_name_plural = _("审核流程")
        ordering = ["subject_kind", "code"]

    def __str__(self) -> str:
        return self.name


class ChainStep(models.Model):
    """One step of a template: who reviews (a rule resolved from the subject), for whom, how."""

    template = models.ForeignKey(
        ChainTemplate, verbose_name=_("审核流程"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("环节名称"), max_length=100)
    kind = models.CharField(_("环节类型"), max_length=16, choices=StepKind.choices, default=StepKind.REVIEW)
    reviewer_rule = models.CharField(_("审核人规则"), max_length=32, choices=ReviewerRule.choices)
    rule_level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, null=True, blank=True)
    rule_person = models.ForeignKey(
        Person, verbose_name=_("指定人员"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A list of clauses (OR) of predicates (AND) on the subject; empty = every subject.
    condition = models.JSONField(_("适用条件"), default=list, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("办理时限（天）"), default=5)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("审核环节")
        verbose_name_plural = _("审核环节")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "order"],
                name="%(app_label)s_%(class)s_unique_order",
                violation_error_message=_("同一流程中环节顺序不能重复。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} · {self.order}. {self.name}"

    def clean(self) -> None:
        from materials.chains import validate_step

        validate_step(self)


class ChainRule(models.Model):
    """Which template applies to a subject: the first active rule (by priority) that matches."""

    priority = models.PositiveSmallIntegerField(_("优先级"), default=100, help_text=_("数字小的先匹配"))
    subject_kind = models.CharField(
        _("审核对象"), max_length=24, choices=SubjectKind.choices, default=SubjectKind.MATERIAL
    )
    template = models.ForeignKey(
        ChainTemplate, verbose_name=_("审核流程"), on_delete=models.PROTECT, related_name="rules"
    )
    condition = models.JSONField(_("适用条件"), default=list, blank=True)
    description = models.CharField(_("说明"), max_length=200)
    is_active = models.BooleanField(_("启用"), default=True)

    history = audit_history()

    class Meta:
        verbose_name = _("流程适用规则")
        verbose_name_plural = _("流程适用规则")
        ordering = ["subject_kind", "priority", "pk"]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        from materials.chains import validate_condition

        validate_condition(self.condition, field="condition")


# --- runtime ----------------------------------------------------------------


class Review(UnitRecord):
    """One subject's passage through a chain, over as many rounds as returns need."""

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    subject_kind = models.CharField(_("审核对象"), max_length=24, choices=SubjectKind.choices)
    subject_id = models.PositiveBigIntegerField(_("审核对象编号"))
    title = models.CharField(_("标题"), max_length=200)
    author = models.ForeignKey(
        Person, verbose_name=_("撰写人"), on_delete=models.PROTECT, related_name="reviews"
    )
    template = models.ForeignKey(
        ChainTemplate, verbose_name=_("审核流程"), on_delete=models.PROTECT, related_name="+"
    )
    # What the chain conditions read about the subject besides its unit and author.
    is_body = models.BooleanField(_("班子材料"), default=False)
    variant = models.CharField(_("材料类型"), max_length=24, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.IN_REVIEW
    )
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    returned_at_order = models.PositiveSmallIntegerField(_("退回环节"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    finished_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("审核")
        verbose_name_plural = _("审核")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "unit_path"], name="materials_review_status_path")]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id"], name="%(app_label)s_%(class)s_one_per_subject"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_subject_url(self) -> str:
        """The page where a reviewer reads the subject (each subject kind names its own)."""
        from materials.review import subject_url

        return subject_url(self.subject_kind, self.subject_id)


class ReviewStep(models.Model):
    """A step of one round of a review.

    Never rewound: a return closes it and a resubmission opens new ones.
    """

    review = models.ForeignKey(Review, verbose_name=_("审核"), on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(_("轮次"))
    order = models.PositiveSmallIntegerField(_("顺序"))
    template_step = models.ForeignKey(
        ChainStep, verbose_name=_("流程环节"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("环节名称"), max_length=100)
    kind = models.CharField(_("环节类型"), max_length=16, choices=StepKind.choices)
    state = models.CharField(_("状态"), max_length=16, choices=StepState.choices, default=StepState.WAITING)
    reviewer_label = models.CharField(_("审核人"), max_length=200, blank=True)
    # No reviewer could be resolved: the office must assign one; the step is never skipped.
    unresolved = models.BooleanField(_("待指定审核人"), default=False)
    unit_path = models.CharField(_("单位路径"), max_length=255, db_index=True)
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    acted_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = audit_history()

    class Meta:
        verbose_name = _("审核环节记录")
        verbose_name_plural = _("审核环节记录")
        ordering = ["review", "round", "order"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="materials_step_state_due"),
            models.Index(fields=["state", "unit_path"], name="materials_step_state_path"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "round", "order"], name="%(app_label)s_%(class)s_unique_round_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.name}"

    @property
    def is_open(self) -> bool:
        return self.state == StepState.OPEN


class ReviewStepReviewer(models.Model):
    """Who may act on a step. ``is_open``/``opened_at`` are copied here so the inbox is one index range."""

    step = models.ForeignKey(
        ReviewStep, verbose_name=_("环节"), on_delete=models.CASCADE, related_name="reviewers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(Person, verbose_name=_("审核人员"), on_delete=models.PROTECT, related_name="+")
    is_open = models.BooleanField(_("待处理"), default=True)
    opened_at = models.DateTimeField(_("开始时间"))

    # Assignment bookkeeping; who was assigned and who acted is in ReviewAction.

    class Meta:
        verbose_name = _("环节审核人")
        verbose_name_plural = _("环节审核人")
        ordering = ["step", "person__name"]
        indexes = [models.Index(fields=["user", "is_open", "opened_at"], name="materials_inbox")]
        constraints = [
            models.UniqueConstraint(fields=["step", "user"], name="%(app_label)s_%(class)s_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.step} · {self.person}"


class ReviewAction(models.Model):
    """Append-only trail: every submission, decision, opinion and reassignment."""

    review = models.ForeignKey(
        Review, verbose_name=_("审核"), on_delete=models.CASCADE, related_name="actions"
    )
    step = models.ForeignKey(
        ReviewStep,
        verbose_name=_("环节"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
    )
    round = models.PositiveSmallIntegerField(_("轮次"))
    kind = models.CharField(_("操作"), max_length=16, choices=ActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=50, blank=True)
    opinion = models.TextField(_("意见"), blank=True)
    checklist = models.JSONField(_("“六不”核对"), default=list, blank=True)
    subject_version = models.PositiveSmallIntegerField(_("材料版本"), null=True, blank=True)
    # Campaign time (campaign.clock), like every deadline it is compared with.
    created_at = models.DateTimeField(_("时间"), default=clock.now)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.actor_name}"


# --- materials ----------------------------------------------------------------


class Material(UnitRecord):
    """A 对照检查材料 of a 班子 (body), of one person (personal), or a village's brief one."""

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("材料类型"), max_length=16, choices=MaterialKind.choices)
    subject_person = models.ForeignKey(
        Person,
        verbose_name=_("本人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
    )
    author = models.ForeignKey(
        Person, verbose_name=_("撰写人"), on_delete=models.PROTECT, related_name="authored_materials"
    )
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=MaterialStatus.choices, default=MaterialStatus.DRAFT
    )
    draft = models.JSONField(_("草稿内容"), default=dict)
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    review = models.OneToOneField(
        Review,
        verbose_name=_("审核"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="material",
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history(excluded_fields=["draft"])

    class Meta:
        verbose_name = _("对照检查材料")
        verbose_name_plural = _("对照检查材料")
        ordering = ["unit_path", "kind", "pk"]
        indexes = [models.Index(fields=["status", "unit_path"], name="materials_material_status_path")]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "kind"],
                condition=Q(subject_person__isnull=True),
                name="%(app_label)s_%(class)s_one_body_material",
                violation_error_message=_("该单位的班子对照检查材料已经建立。"),
            ),
            models.UniqueConstraint(
                fields=["campaign", "subject_person"],
                condition=Q(subject_person__isnull=False),
                name="%(app_label)s_%(class)s_one_personal_material",
                violation_error_message=_("此人的个人对照检查材料已经建立。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("materials:detail", args=[self.pk])

    @property
    def is_body(self) -> bool:
        return self.subject_person_id is None

    @property
    def has_body_parts(self) -> bool:
        """班子 materials also cover 切身利益 and 最后一公里 problems [002]."""
        return self.kind == MaterialKind.BODY

    @property
    def editable(self) -> bool:
        return self.status in (MaterialStatus.DRAFT, MaterialStatus.RETURNED)


class MaterialVersion(models.Model):
    """A submitted version, kept forever; reviewers read and compare these."""

    material = models.ForeignKey(
        Material, verbose_name=_("材料"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    content = models.JSONField(_("内容"))
    text = models.TextField(_("全文"))
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("材料版本")
        verbose_name_plural = _("材料版本")
        ordering = ["material", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "number"], name="%(app_label)s_%(class)s_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} 第{self.number}稿"


class MaterialProblem(UnitRecord):
    """A problem (具体事例) listed in a material: a source that rectification must answer ("四个回应")."""

    material = models.ForeignKey(
        Material, verbose_name=_("材料"), on_delete=models.CASCADE, related_name="problems"
    )
    key = models.CharField(_("标识"), max_length=20)
    part = models.CharField(_("所属部分"), max_length=20)
    text = models.TextField(_("问题"))
    is_active = models.BooleanField(_("现行"), default=True, help_text=_("在最新提交的版本中仍然列出"))

    history = audit_history()

    class Meta:
        verbose_name = _("查摆问题")
        verbose_name_plural = _("查摆问题")
        ordering = ["material", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["material", "key"], name="%(app_label)s_%(class)s_unique_key"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class MaterialUserObjectPermission(UserObjectPermissionBase):
    """Grants on one material: a reviewer reads it, a drafter writes the 班子 material."""

    content_object = models.ForeignKey(Material, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("材料对象权限")


class MaterialGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Material, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("材料组对象权限")


# --- stage two around the meeting: 谈心谈话, 拟批评意见, 民主生活会, 通报会, 专题报告 ---------------
# The models live in materials/meeting_models.py; importing them here registers them with the app.
# --- 雷同检测 (copy detection) -------------------------------------------------------
# Reference texts are records offices upload and withdraw: they keep history. Documents,
# fingerprints, common hashes and reports are derived data, rebuilt from the versions and
# reference texts by ``manage.py copycheck_reindex``: like campaign.Job they keep none.
# The logic is in materials/copycheck/.
from materials.copycheck.choices import CopyStatus, ReferenceStatus  # noqa: E402
from materials.meeting_models import (  # noqa: E402, F401
    Briefing,
    CriticismList,
    Meeting,
    MeetingAttendee,
    MeetingCriticism,
    MeetingEvent,
    MeetingReport,
    MeetingStatement,
    PartyMemberAppraisal,
    PlannedCriticism,
    Talk,
)


class ReferenceText(models.Model):
    """A public text to compare materials with: a model text circulating online, a first-batch
    unit's material ("防止从网上拼拼凑凑、从第一批活动单位照抄照搬" [002])."""

    title = models.CharField(_("标题"), max_length=200)
    source_note = models.CharField(
        _("来源说明"), max_length=300, help_text=_("如：网络范文、第一批活动单位材料")
    )
    text = models.TextField(_("全文"))
    file_name = models.CharField(_("上传文件"), max_length=200, blank=True)
    owner_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("上传单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("上传的活动办所在单位；系统管理员上传的为空"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ReferenceStatus.choices, default=ReferenceStatus.ACTIVE
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdraw_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history(excluded_fields=["text"])

    class Meta:
        verbose_name = _("比对文本")
        verbose_name_plural = _("比对文本库")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("materials:reference", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == ReferenceStatus.ACTIVE


class CopyDocument(models.Model):
    """One text in the fingerprint index: a submitted material version or a reference text."""

    material_version = models.OneToOneField(
        MaterialVersion,
        verbose_name=_("材料版本"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="copy_document",
    )
    reference = models.OneToOneField(
        ReferenceText,
        verbose_name=_("比对文本"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="copy_document",
    )
    # Copied from the version's material, so a check never joins to find whose text it is.
    material = models.ForeignKey(
        Material, verbose_name=_("材料"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        Person, verbose_name=_("撰写人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("参与比对"), default=True)
    length = models.PositiveIntegerField(_("字数（规范化后）"), default=0)
    fingerprint_count = models.PositiveIntegerField(_("指纹数"), default=0)
    algorithm = models.CharField(_("算法参数"), max_length=20)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("雷同检测索引文档")
        verbose_name_plural = _("雷同检测索引文档")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(material_version__isnull=False, reference__isnull=True)
                | Q(material_version__isnull=True, reference__isnull=False),
                name="%(app_label)s_%(class)s_one_source",
                violation_error_message=_("索引文档必须对应一个材料版本或一份比对文本。"),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class CopyFingerprint(models.Model):
    """hash → (document, position): the index a check looks its fingerprints up in.

    The primary key (hash, document, position) is the only index: a lookup by hash is an
    index-only scan. No foreign-key constraint and no index on ``document``: rows are only
    ever bulk-inserted and looked up by hash; ``copycheck_reindex`` rebuilds the table.
    """

    pk = models.CompositePrimaryKey("hash", "document_id", "position")
    hash = models.BigIntegerField(_("指纹"))
    document = models.ForeignKey(
        CopyDocument,
        verbose_name=_("索引文档"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    position = models.IntegerField(_("位置"))

    class Meta:
        verbose_name = _("雷同检测指纹")
        verbose_name_plural = _("雷同检测指纹")

    def __str__(self) -> str:
        return f"{self.hash}@{self.document_id}:{self.position}"


class CopyCommonHash(models.Model):
    """A fingerprint found in so many documents that it is common ground, never evidence."""

    hash = models.BigIntegerField(_("指纹"), primary_key=True)
    documents = models.PositiveIntegerField(_("文档数"))

    class Meta:
        verbose_name = _("常用表述指纹")
        verbose_name_plural = _("常用表述指纹")
        ordering = ["-documents"]

    def __str__(self) -> str:
        return str(self.hash)


class CopyReport(models.Model):
    """The copy check of one submitted version: the share it covers and each shared passage.

    ``passages`` is a list of {"ranges": [[section, start, end], ...], "chars": n, "source":
    {"kind", "material", "version", "reference"}, "also": [source, ...]}: ranges in the
    section texts of ``sections.sections_text``; the source's own text is never stored here.
    """

    material_version = models.OneToOneField(
        MaterialVersion, verbose_name=_("材料版本"), on_delete=models.CASCADE, related_name="copy_report"
    )
    material = models.ForeignKey(
        Material, verbose_name=_("材料"), on_delete=models.CASCADE, related_name="copy_reports"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=16, choices=CopyStatus.choices, default=CopyStatus.PENDING
    )
    share = models.FloatField(_("雷同比例"), null=True, blank=True)
    passages = models.JSONField(_("雷同片段"), default=list, blank=True)
    source_count = models.PositiveIntegerField(_("来源数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    requested_at = models.DateTimeField(_("提交检测时间"), auto_now_add=True)
    checked_at = models.DateTimeField(_("检测完成时间"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("检测耗时（毫秒）"), null=True, blank=True)
    runs = models.PositiveSmallIntegerField(_("检测次数"), default=0)

    class Meta:
        verbose_name = _("雷同检测报告")
        verbose_name_plural = _("雷同检测报告")
        ordering = ["material", "-number"]
        indexes = [models.Index(fields=["material", "-number"], name="materials_copyreport_latest")]

    def __str__(self) -> str:
        return f"{self.material_version} · {self.get_status_display()}"

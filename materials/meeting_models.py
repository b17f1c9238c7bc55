"""Stage two around the meeting: 谈心谈话, 拟批评意见, 专题民主生活会 / 组织生活会, 通报会, 专题报告.

Imported at the end of ``materials/models.py`` so that Django registers them
with the materials app. The rules live in ``talk_services`` / ``meeting_services``;
required talks are never stored: they are derived from the posts on the day
coverage is asked for (``talk_selectors.talk_coverage``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaign import clock
from campaign.audit import audit_history
from materials.meeting_choices import (
    AttendeeCapacity,
    BriefingStatus,
    CriticismListStatus,
    EventAction,
    EventSubject,
    HalfDay,
    MeetingKind,
    MeetingRating,
    MeetingStatus,
    MemberAppraisal,
    ReportStatus,
    TalkStatus,
    WeakReason,
)
from materials.models import Review
from units.models import Organization, Person, UnitRecord

# --- 谈心谈话 -------------------------------------------------------------------


class Talk(UnitRecord):
    """A 谈心谈话 of the unit's "四必谈": recorded by one party, confirmed by the other.

    For a talk of the 督导组 with a member, ``group`` is the 督导组 and ``party_a``
    the group member who talked; either side records it and the other side confirms.
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("谈话日期"))
    party_a = models.ForeignKey(
        Person, verbose_name=_("谈话一方"), on_delete=models.PROTECT, related_name="+"
    )
    party_b = models.ForeignKey(
        Person, verbose_name=_("谈话另一方"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        Organization,
        verbose_name=_("督导组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        Person, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=TalkStatus.choices, default=TalkStatus.RECORDED
    )
    # The four points of [002] 三4 "至少谈透4个方面的问题".
    own_problems = models.TextField(_("主动亮明自身存在的突出问题"))
    other_problems = models.TextField(_("诚恳指出对方存在的问题"))
    body_problems = models.TextField(_("交换对班子存在问题的看法"))
    meeting_points = models.TextField(_("准备在会上提出的问题和意见"))
    confirmed_by = models.ForeignKey(
        Person, verbose_name=_("确认人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["unit_path", "-held_on", "pk"]
        indexes = [models.Index(fields=["unit", "status"], name="materials_talk_unit_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(party_a=F("party_b")),
                name="%(app_label)s_%(class)s_two_parties",
                violation_error_message=_("谈心谈话须在两人之间进行。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_a} — {self.party_b}（{self.held_on}）"

    def get_absolute_url(self) -> str:
        return reverse("materials:talk", args=[self.pk])

    @property
    def confirmed(self) -> bool:
        return self.status == TalkStatus.CONFIRMED


# --- 拟批评意见 -------------------------------------------------------------------


class CriticismList(UnitRecord):
    """A member's 拟批评意见, item by item; checked by the 督导组, audited by the 活动办 [002] 三4."""

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, verbose_name=_("班子成员"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=16, choices=CriticismListStatus.choices, default=CriticismListStatus.DRAFT
    )
    review = models.OneToOneField(
        Review,
        verbose_name=_("审核"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criticism_list",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("拟批评意见")
        verbose_name_plural = _("拟批评意见")
        ordering = ["unit_path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "person"],
                name="%(app_label)s_%(class)s_one_per_member",
                violation_error_message=_("该成员的拟批评意见已经建立。"),
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s同志拟批评意见") % {"name": self.person}

    def get_absolute_url(self) -> str:
        return reverse("materials:criticism_list", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (CriticismListStatus.DRAFT, CriticismListStatus.RETURNED)


class PlannedCriticism(models.Model):
    """One 拟批评意见: to whom (a member, or the 班子 as a whole), and what."""

    criticism_list = models.ForeignKey(
        CriticismList, verbose_name=_("拟批评意见"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    target = models.ForeignKey(
        Person,
        verbose_name=_("批评对象"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("不选表示对班子整体"),
    )
    content = models.TextField(_("批评意见"))
    weak_reason = models.CharField(_("退回原因"), max_length=16, choices=WeakReason.choices, blank=True)
    weak_note = models.CharField(_("退回说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("现行"), default=True)

    history = audit_history()

    class Meta:
        verbose_name = _("拟批评意见条目")
        verbose_name_plural = _("拟批评意见条目")
        ordering = ["criticism_list", "order", "pk"]

    def __str__(self) -> str:
        return self.content[:40]


# --- 专题民主生活会 / 组织生活会 -------------------------------------------------------


class Meeting(UnitRecord):
    """A 专题民主生活会 of a 班子 (or the 组织生活会 of a grassroots organisation): plan, record,
    evaluation. A meeting ordered re-held keeps its row; the re-held one is a new row (``previous``)."""

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("会议类型"), max_length=24, choices=MeetingKind.choices)
    number = models.PositiveSmallIntegerField(_("第几次召开"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("被责令重开的会议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reheld_as",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNING
    )
    # 方案 [002] 六: 时间安排、程序要求.
    planned_start = models.DateField(_("计划开始日期"), null=True, blank=True)
    planned_start_half = models.CharField(
        _("开始于"), max_length=2, choices=HalfDay.choices, default=HalfDay.AM
    )
    planned_end = models.DateField(_("计划结束日期"), null=True, blank=True)
    planned_end_half = models.CharField(
        _("结束于"), max_length=2, choices=HalfDay.choices, default=HalfDay.PM
    )
    location = models.CharField(_("地点"), max_length=100, blank=True)
    procedure = models.TextField(_("程序要求"), blank=True)
    review = models.OneToOneField(
        Review,
        verbose_name=_("方案审核"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting",
    )
    # 召开.
    held_start = models.DateField(_("召开日期"), null=True, blank=True)
    held_start_half = models.CharField(_("开始于"), max_length=2, choices=HalfDay.choices, default=HalfDay.AM)
    held_end = models.DateField(_("结束日期"), null=True, blank=True)
    held_end_half = models.CharField(_("结束于"), max_length=2, choices=HalfDay.choices, default=HalfDay.PM)
    # The five agenda items of [002] 六 (item 3, the members' statements, is in MeetingStatement).
    agenda_requirements = models.TextField(_("一、书记就开好专题民主生活会提出要求"), blank=True)
    agenda_body_inspection = models.TextField(_("二、书记代表领导班子作对照检查发言"), blank=True)
    agenda_member_inspection = models.TextField(_("三、班子成员对照检查发言和相互批评（概况）"), blank=True)
    agenda_supervisor_comment = models.TextField(_("四、督导组长简要评价"), blank=True)
    agenda_summary = models.TextField(_("五、书记总结"), blank=True)
    # 督导组 evaluation [002] 七, sent to the secretary.
    rating = models.CharField(_("督导组评价等次"), max_length=16, choices=MeetingRating.choices, blank=True)
    evaluation = models.TextField(_("督导组评价意见"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    evaluation_sent_to = models.ForeignKey(
        Person, verbose_name=_("反馈给"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rehold_reason = models.TextField(_("责令重开的理由"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("民主生活会")
        verbose_name_plural = _("民主生活会")
        ordering = ["unit_path", "number"]
        indexes = [models.Index(fields=["status", "unit_path"], name="materials_meeting_status_path")]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("该单位的这次会议已经建立。"),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gte=F("planned_start")),
                name="%(app_label)s_%(class)s_plan_end_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(held_end__isnull=True) | Q(held_end__gte=F("held_start")),
                name="%(app_label)s_%(class)s_held_end_after_start",
                violation_error_message=_("结束日期不能早于召开日期。"),
            ),
        ]

    def __str__(self) -> str:
        title = _("%(unit)s%(kind)s") % {"unit": self.unit, "kind": self.get_kind_display()}
        if self.number > 1:
            title += _("（第%(n)d次召开）") % {"n": self.number}
        return title

    def get_absolute_url(self) -> str:
        return reverse("materials:meeting", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.status in (MeetingStatus.HELD, MeetingStatus.EVALUATED)

    @property
    def plan_editable(self) -> bool:
        return self.status in (MeetingStatus.PLANNING, MeetingStatus.PLAN_RETURNED)


class MeetingAttendee(models.Model):
    """Who attended: members, upper-level leaders, the 联系点 leader, the 督导组 (and, at a
    组织生活会, the branch's party members — a leader among them "以普通党员身份")."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendees"
    )
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(_("参会身份"), max_length=16, choices=AttendeeCapacity.choices)
    as_ordinary_member = models.BooleanField(_("以普通党员身份参加"), default=False)
    present = models.BooleanField(_("出席"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "capacity", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="%(app_label)s_%(class)s_unique_person",
                violation_error_message=_("此人已在参会名单中。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.person}"


class MeetingStatement(models.Model):
    """A member's 对照检查发言 at the meeting (agenda item 3): the self-criticism in summary."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="statements"
    )
    person = models.ForeignKey(Person, verbose_name=_("发言人"), on_delete=models.PROTECT, related_name="+")
    self_criticism = models.TextField(_("自我批评（摘要）"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("对照检查发言")
        verbose_name_plural = _("对照检查发言")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="%(app_label)s_%(class)s_unique_person",
                violation_error_message=_("此人的发言已经登记。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.person}"


class MeetingCriticism(UnitRecord):
    """A criticism one attendee made of a member at the meeting.

    A source stage three must answer ("四个回应"): its id is stable, and a
    mistaken entry is withdrawn (``is_active``), never deleted.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="criticisms"
    )
    target = models.ForeignKey(Person, verbose_name=_("被批评人"), on_delete=models.PROTECT, related_name="+")
    critic = models.ForeignKey(Person, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("批评意见"))
    is_active = models.BooleanField(_("有效"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("会上批评意见")
        verbose_name_plural = _("会上批评意见")
        ordering = ["meeting", "target", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target=F("critic")),
                name="%(app_label)s_%(class)s_not_self",
                violation_error_message=_("自我批评请登记在本人的对照检查发言中。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.critic} → {self.target}：{self.content[:30]}"


class PartyMemberAppraisal(models.Model):
    """民主评议党员 at a 组织生活会 [000]: each party member rated 优秀/合格/基本合格/不合格."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="appraisals"
    )
    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    appraisal = models.CharField(_("评议等次"), max_length=16, choices=MemberAppraisal.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("民主评议党员")
        verbose_name_plural = _("民主评议党员")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="%(app_label)s_%(class)s_unique_person",
                violation_error_message=_("此党员已评议。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}：{self.get_appraisal_display()}"


# --- after the meeting -------------------------------------------------------------------


class Briefing(UnitRecord):
    """情况通报暨群众评议会 [002] 八: what was reported, and the 群众评议 result.

    ``survey`` is the 群众评议 on the survey engine (``stages``, purpose MEETING, target the
    班子): when it closes, its result is copied here and below its threshold the engine's
    返工补课 applies. Without a survey the tallies of the paper 评议表 are entered by hand;
    below 2/3 satisfied → 返工补课.
    """

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("民主生活会"), on_delete=models.PROTECT, related_name="briefings"
    )
    held_on = models.DateField(_("通报会日期"))
    content = models.TextField(
        _("通报内容"), help_text=_("会前准备情况、开展批评和自我批评情况、制定整改措施等")
    )
    survey = models.ForeignKey(
        "stages.Survey",
        verbose_name=_("群众评议测评"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="briefings",
    )
    respondents = models.PositiveIntegerField(_("参评人数"), null=True, blank=True)
    satisfied = models.PositiveIntegerField(_("满意和基本满意人数"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=BriefingStatus.choices, default=BriefingStatus.HELD
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("情况通报会")
        verbose_name_plural = _("情况通报会")
        ordering = ["unit_path", "held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfied__isnull=True) | Q(satisfied__lte=F("respondents")),
                name="%(app_label)s_%(class)s_satisfied_le_respondents",
                violation_error_message=_("满意人数不能多于参评人数。"),
            ),
        ]

    def __str__(self) -> str:
        return _("%(unit)s情况通报会（%(day)s）") % {"unit": self.unit, "day": self.held_on}

    @property
    def satisfaction(self) -> float | None:
        if not self.respondents or self.satisfied is None:
            return None
        return self.satisfied / self.respondents


class MeetingReport(UnitRecord):
    """民主生活会情况专题报告 [002] 九: due 15 days after the meeting, read by the 督导组, filed with
    the 活动办 and sent to the 纪委 and 组织部. Reminders sweep ``due_date``."""

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.OneToOneField(
        Meeting, verbose_name=_("民主生活会"), on_delete=models.PROTECT, related_name="report"
    )
    due_date = models.DateField(_("报送期限"), db_index=True)
    content = models.TextField(_("报告内容"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审阅人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    read_opinion = models.TextField(_("审阅意见"), blank=True)
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("备案人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recipients = models.JSONField(_("同时报送"), default=list, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    history = audit_history()

    class Meta:
        verbose_name = _("民主生活会专题报告")
        verbose_name_plural = _("民主生活会专题报告")
        ordering = ["due_date", "unit_path"]
        indexes = [models.Index(fields=["status", "due_date"], name="materials_report_status_due")]

    def __str__(self) -> str:
        return _("%(meeting)s情况专题报告") % {"meeting": self.meeting}

    def get_absolute_url(self) -> str:
        return reverse("materials:report", args=[self.meeting_id])

    @property
    def is_late(self) -> bool:
        """Submitted after the due day, or still unsent after it (days in Asia/Shanghai)."""
        from django.utils import timezone

        if self.status == ReportStatus.SUPERSEDED:
            return False
        if self.submitted_at is not None:
            return timezone.localtime(self.submitted_at).date() > self.due_date
        return clock.today() > self.due_date


# --- the trail ------------------------------------------------------------------------------


class MeetingEvent(UnitRecord):
    """Append-only trail of every transition of a talk, list, meeting, 通报会 or report."""

    subject = models.CharField(_("对象"), max_length=16, choices=EventSubject.choices)
    subject_id = models.PositiveBigIntegerField(_("对象编号"))
    action = models.CharField(_("操作"), max_length=16, choices=EventAction.choices)
    from_state = models.CharField(_("原状态"), max_length=24, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=50, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=clock.now)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["subject", "subject_id"], name="materials_meetingevent_subject")]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} #{self.subject_id} {self.action}"

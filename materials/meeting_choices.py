"""Choices of stage two's talks, meetings and what follows them (see meeting_models.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TalkKind(models.TextChoices):
    """The "四必谈" of [002] 三4."""

    PRINCIPAL = "principal", _("主要负责同志与班子成员")
    MEMBERS = "members", _("班子成员之间")
    DEPARTMENT = "department", _("班子成员与分管部门主要负责同志")
    SUPERVISION = "supervision", _("督导组与班子成员")


class TalkStatus(models.TextChoices):
    RECORDED = "recorded", _("待对方确认")
    CONFIRMED = "confirmed", _("已确认")


class CriticismListStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过")


class WeakReason(models.TextChoices):
    """Why a planned criticism is sent back [002] 三4."""

    NO_EDGE = "no_edge", _("不动真格")
    NO_BITE = "no_bite", _("没有辣味")
    NICE_GUY = "nice_guy", _("当“老好人”")


class MeetingKind(models.TextChoices):
    DEMOCRATIC_LIFE = "democratic_life", _("专题民主生活会")
    ORGANIZATIONAL_LIFE = "organizational_life", _("专题组织生活会")


class MeetingStatus(models.TextChoices):
    PLANNING = "planning", _("方案起草")
    PLAN_IN_REVIEW = "plan_in_review", _("方案审核中")
    PLAN_RETURNED = "plan_returned", _("方案已退回")
    PLAN_APPROVED = "plan_approved", _("方案已审核通过")
    HELD = "held", _("已召开")
    EVALUATED = "evaluated", _("督导组已评价")
    REHOLD_ORDERED = "rehold_ordered", _("责令重开")


HELD_STATUSES = frozenset({MeetingStatus.HELD, MeetingStatus.EVALUATED})


class HalfDay(models.TextChoices):
    AM = "am", _("上午")
    PM = "pm", _("下午")


class AttendeeCapacity(models.TextChoices):
    MEMBER = "member", _("班子成员")
    UPPER_LEADER = "upper_leader", _("上级领导")
    CONTACT_LEADER = "contact_leader", _("联系点领导")
    SUPERVISOR = "supervisor", _("督导组")
    PARTY_MEMBER = "party_member", _("党员")
    OTHER = "other", _("列席人员")


class MeetingRating(models.TextChoices):
    """The 督导组's rating of a meeting."""

    GOOD = "good", _("好")
    FAIR = "fair", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


class MemberAppraisal(models.TextChoices):
    """民主评议党员 [000]: each party member of the branch is rated."""

    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASICALLY = "basically", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class BriefingStatus(models.TextChoices):
    HELD = "held", _("待录入评议结果")
    PASSED = "passed", _("群众满意")
    REWORK = "rework", _("返工补课")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("撰写中")
    SUBMITTED = "submitted", _("待督导组审阅")
    READ = "read", _("督导组已审阅")
    FILED = "filed", _("已报活动办")
    SUPERSEDED = "superseded", _("会议重开，不再报送")


class EventSubject(models.TextChoices):
    TALK = "talk", _("谈心谈话")
    CRITICISM_LIST = "criticism_list", _("拟批评意见")
    MEETING = "meeting", _("民主生活会")
    BRIEFING = "briefing", _("情况通报会")
    REPORT = "report", _("专题报告")


class EventAction(models.TextChoices):
    START = "start", _("建立")
    RECORD = "record", _("登记")
    UPDATE = "update", _("修改")
    CONFIRM = "confirm", _("确认")
    SUBMIT = "submit", _("提交审核")
    RETURNED = "returned", _("退回")
    APPROVED = "approved", _("审核通过")
    HOLD = "hold", _("登记召开")
    EVALUATE = "evaluate", _("督导组评价")
    REHOLD = "rehold", _("责令重开")
    WITHDRAW = "withdraw", _("撤回")
    RESULT = "result", _("录入群众评议结果")
    SEND = "send", _("报送")
    READ = "read", _("督导组审阅")
    FILE = "file", _("活动办备案")
    SUPERSEDE = "supersede", _("不再报送")


class StageDecision(models.TextChoices):
    """What a 督导组 or 活动办 reviewer decides on a meeting plan or a 拟批评意见."""

    PASS = "pass", _("通过")
    RETURN_REVISE = "return_revise", _("退回修改")
    RETURN_REWRITE = "return_rewrite", _("退回重写")

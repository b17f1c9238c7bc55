from django.db import models
from django.utils.translation import gettext_lazy as _


class ListKind(models.TextChoices):
    """Whose list a plan or an item belongs to [000][003][004]."""

    TEAM = "team", _("领导班子整改方案")
    PERSONAL = "personal", _("班子成员个人整改措施")
    GRASSROOTS = "grassroots", _("基层组织问题清单")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草拟中")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过")


class PlanAction(models.TextChoices):
    CREATE = "create", _("制定")
    SUBMIT = "submit", _("报送审核")
    PASS = "pass", _("审核通过")
    RETURN = "return", _("退回修改")
    PUBLISH = "publish", _("公开")


class Handling(models.TextChoices):
    """区分轻重缓急和难易程度 [003]."""

    NOW = "now", _("马上办")
    BY_DEADLINE = "deadline", _("限期办")
    NOT_YET = "not_yet", _("暂不具备条件")


class Priority(models.TextChoices):
    HIGH = "high", _("重点")
    NORMAL = "normal", _("一般")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    CLOSE_REQUESTED = "close_requested", _("申请销号")
    CLOSED = "closed", _("已销号")
    WITHDRAWN = "withdrawn", _("已撤销")


# Items that still count: a withdrawn item answers nothing and is not in the 台账 totals.
LIVE_STATUSES = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS, ItemStatus.CLOSE_REQUESTED, ItemStatus.CLOSED)
# Items whose deadline still matters (the owner has not reported them done).
WORKING_STATUSES = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)


class RatingStatus(models.TextChoices):
    """A round of the public rating of a finished item (开门整改)."""

    OPEN = "open", _("评价中")
    REOPENED = "reopened", _("满意率低于标准，已复号")
    ENDED = "ended", _("已结束")


class ItemAction(models.TextChoices):
    CREATE = "create", _("立项")
    UPDATE = "update", _("修改")
    REPORT = "report", _("报告进展")
    REQUEST_CLOSE = "request_close", _("申请销号")
    SIGN_OFF = "sign_off", _("销号")
    SEND_BACK = "send_back", _("退回")
    REOPEN = "reopen", _("复号")
    WITHDRAW = "withdraw", _("撤销")
    LINK_SOURCE = "link_source", _("关联问题来源")
    UNLINK_SOURCE = "unlink_source", _("取消关联问题来源")
    REQUEST_HELP = "request_help", _("提请上级帮助解决")
    CLAIM = "claim", _("上级部门认领")
    ADD_PARTICIPANT = "add_participant", _("增加牵头或配合单位")
    GRANT = "grant", _("授权")
    PUBLISH = "publish", _("公开")


class WarningLevel(models.TextChoices):
    """Deadline warning, computed from the deadline and the campaign clock."""

    NONE = "none", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("逾期")


class SourceKind(models.TextChoices):
    """The "四个回应" [003]: what an item answers."""

    OPINION = "opinion", _("群众意见")
    OPINION_GROUP = "opinion_group", _("归类意见")
    MATERIAL_PROBLEM = "material_problem", _("对照检查材料查摆的问题")
    MEETING_CRITICISM = "meeting_criticism", _("民主生活会批评意见")
    POINTED_PROBLEM = "pointed_problem", _("上级和督导组点明的问题")


class PointedBy(models.TextChoices):
    SUPERVISION_GROUP = "supervision_group", _("督导组")
    UPPER_COMMITTEE = "upper_committee", _("上级党组织")
    UPPER_OFFICE = "upper_office", _("上级活动办")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    COOPERATE = "cooperate", _("配合单位")
    CLAIMED = "claimed", _("认领的上级部门")


class EvidenceKind(models.TextChoices):
    PDF = "pdf", _("PDF 文档")
    JPEG = "jpeg", _("JPEG 图片")
    PNG = "png", _("PNG 图片")
    DOCX = "docx", _("Word 文档")
    XLSX = "xlsx", _("Excel 表格")
    TEXT = "text", _("文本")


class ProjectPlanStatus(models.TextChoices):
    FILED = "filed", _("已制定方案")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成整治")


class ProjectPlanAction(models.TextChoices):
    FILE = "file", _("报送方案")
    UPDATE = "update", _("修改方案")
    REPORT = "report", _("报告进展")
    ACCEPT = "accept", _("评估验收")


class Acceptance(models.TextChoices):
    PENDING = "pending", _("待验收")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")


class RuleJudgement(models.TextChoices):
    """废、改、立 [003]: existing rules are kept, abolished or revised; new ones are made."""

    KEEP = "keep", _("保留")
    ABOLISH = "abolish", _("废止")
    REVISE = "revise", _("修订")
    NEW = "new", _("新立")


class RuleStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    DONE = "done", _("已完成")

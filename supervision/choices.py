from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    DIGEST = "digest", _("催办提醒汇总")
    URGE = "urge", _("催办")
    INFO = "info", _("通知")


class Threshold(models.TextChoices):
    """When, relative to a deadline, a reminder goes: once each."""

    DUE_SOON = "due_soon", _("即将到期")
    DUE = "due", _("已到期")
    OVERDUE = "overdue", _("已超期")
    LONG_OVERDUE = "long_overdue", _("超期一周以上")
    PERIODIC = "periodic", _("定期提醒")


class AccountabilityKind(models.TextChoices):
    TALK = "talk", _("约谈")
    ACCOUNTABILITY = "accountability", _("问责")


class SixNotLetGo(models.TextChoices):
    """The 督导组's checklist on a unit, "六个不放过" [002] 四(三)."""

    AWARENESS = "awareness", _("思想认识上不去、不真正把自己摆进去的不放过")
    FOCUS = "focus", _("查找问题不聚焦、走神散光的不放过")
    DEPTH = "depth", _("自我剖析不深刻、没有触及思想灵魂的不放过")
    MEASURES = "measures", _("整改措施不到位、大而化之的不放过")
    RESULTS = "results", _("成效不明显、群众不满意的不放过")
    LEADERSHIP = "leadership", _("领导责任不落实、组织推动不力、搞形式走过场的不放过")


class CheckStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("未核查")
    PASSED = "passed", _("已做到")
    CONCERN = "concern", _("存在问题")


class EvaluationGrade(models.TextChoices):
    """纪实评价 grades of a 班子 or a leader [003]."""

    GOOD = "good", _("好")
    FAIR = "fair", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已提交")

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    UNITS_IMPORT = "units_import", _("导入单位")
    PEOPLE_IMPORT = "people_import", _("导入人员")
    POSTS_IMPORT = "posts_import", _("导入职务")
    LEDGER_IMPORT = "rectification_ledger_import", _("导入整改台账进展")
    LEDGER_EXPORT = "rectification_ledger_export", _("导出整改台账")
    OPINIONS_IMPORT = "opinions_import", _("导入群众意见")
    OPINIONS_GROUPING = "opinions_grouping", _("意见归类（梳辫子）")
    MONTHLY_REPORT = "monthly_report", _("月度工作进展报告")
    RECORD_EVALUATION_REPORT = "record_evaluation_report", _("纪实评价情况报告")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    EXPIRED = "expired", _("文件已过期")


class Stage(models.IntegerChoices):
    """The three 环节 of the campaign, in order [000][004]."""

    STUDY = 1, _("学习教育、听取意见")
    CRITICISM = 2, _("查摆问题、开展批评")
    RECTIFICATION = 3, _("整改落实、建章立制")


class StageStatus(models.TextChoices):
    """Where a participating unit stands; only the stage services assign it."""

    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    FINISHED = "finished", _("已完成")


class StageAction(models.TextChoices):
    """What happened to a unit's stage state (the append-only event log)."""

    OPENED = "opened", _("纳入活动")
    STARTED = "started", _("启动第一环节")
    ADVANCED = "advanced", _("进入下一环节")
    FINISHED = "finished", _("完成全部环节")
    LOOKBACK = "lookback", _("回头看")
    EXTENDED = "extended", _("延时补课")
    RESTARTED = "restarted", _("推倒重来")
    ORDER_CLOSED = "order_closed", _("限期整改销号")


class Verdict(models.TextChoices):
    """The 督导组's judgement of a stage in a 回头看 [002]."""

    PASSED = "passed", _("通过")
    RECTIFY = "rectify", _("限期整改")
    EXTEND = "extend", _("延时补课")
    REDO = "redo", _("推倒重来")


class LookBackStatus(models.TextChoices):
    """Only a 限期整改 stays open until the 督导组 (or the office) closes it."""

    RECORDED = "recorded", _("已记录")
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已销号")

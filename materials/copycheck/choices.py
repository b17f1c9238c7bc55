from django.db import models
from django.utils.translation import gettext_lazy as _


class CopyStatus(models.TextChoices):
    PENDING = "pending", _("检测中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("检测失败")


class ReferenceStatus(models.TextChoices):
    ACTIVE = "active", _("在用")
    WITHDRAWN = "withdrawn", _("已撤回")


class SourceKind(models.TextChoices):
    MATERIAL = "material", _("对照检查材料")
    REFERENCE = "reference", _("比对文本")

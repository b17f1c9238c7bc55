from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    UNITS_IMPORT = "units_import", _("导入单位")
    PEOPLE_IMPORT = "people_import", _("导入人员")
    POSTS_IMPORT = "posts_import", _("导入职务")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaign.choices import JobKind


class StudyKind(models.TextChoices):
    """Forms of study named in [000] and [001]."""

    CONCENTRATED = "concentrated", _("集中学习")
    DISCUSSION = "discussion", _("专题讨论")
    CENTRAL_GROUP = "central_group", _("中心组学习")
    TRAINING = "training", _("专题培训")
    LECTURE = "lecture", _("宣讲辅导")
    GROUP_DISCUSSION = "group_discussion", _("集中讨论")
    CASE = "case", _("案例教育")
    VISIT = "visit", _("参观学习")
    REMOTE = "remote", _("现代远程教育")
    OTHER = "other", _("其他")


class OpinionChannel(models.TextChoices):
    """How an opinion reached the unit [000][001][004]."""

    SYMPOSIUM = "symposium", _("座谈会")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")
    HOME_VISIT = "home_visit", _("入户走访")
    LETTER_VISIT = "letter_visit", _("来信来访")
    HOTLINE_12345 = "hotline_12345", _("12345 政务平台")
    STYLE_HOTLINE = "style_hotline", _("政风行风热线")
    PORTAL = "portal", _("门户网站/民意快线")
    BOX = "box", _("意见箱")
    # 上级反馈: what the 纪委, 组织, 审计, 信访 departments and the 巡视组 gathered [000][002].
    UPPER_DISCIPLINE = "upper_discipline", _("上级反馈：纪委")
    UPPER_ORGANIZATION = "upper_organization", _("上级反馈：组织部门")
    UPPER_AUDIT = "upper_audit", _("上级反馈：审计部门")
    UPPER_PETITION = "upper_petition", _("上级反馈：信访部门")
    UPPER_INSPECTION = "upper_inspection", _("上级反馈：巡视组")
    # The unit's public page on this platform.
    ONLINE = "online", _("网上意见箱")


class OpinionCategory(models.TextChoices):
    """The 四风, or the 切身利益 area an opinion is about [000]."""

    FORMALISM = "formalism", _("形式主义")
    BUREAUCRATISM = "bureaucratism", _("官僚主义")
    HEDONISM = "hedonism", _("享乐主义")
    EXTRAVAGANCE = "extravagance", _("奢靡之风")
    LAND = "land", _("征地拆迁")
    SOCIAL_SECURITY = "social_security", _("社会保障")
    EDUCATION = "education", _("教育")
    HEALTH = "health", _("医疗")
    HOUSING = "housing", _("住房")
    EMPLOYMENT = "employment", _("就业")
    ENVIRONMENT = "environment", _("生态环境")
    FOOD_DRUG = "food_drug", _("食品药品安全")
    WORK_SAFETY = "work_safety", _("安全生产")
    PUBLIC_ORDER = "public_order", _("社会治安")
    LAW_ENFORCEMENT = "law_enforcement", _("执法司法")
    TRANSPORT = "transport", _("交通")
    OTHER = "other", _("其他")


FOUR_WINDS = frozenset(
    {
        OpinionCategory.FORMALISM,
        OpinionCategory.BUREAUCRATISM,
        OpinionCategory.HEDONISM,
        OpinionCategory.EXTRAVAGANCE,
    }
)


class OpinionSource(models.TextChoices):
    """Who put the opinion into the system."""

    PUBLIC = "public", _("群众网上提交")
    OFFICE = "office", _("工作人员录入")
    IMPORT = "import", _("表格导入")


class GroupStatus(models.TextChoices):
    """梳辫子 → 主动认领 → 原汁原味反馈."""

    PROPOSED = "proposed", _("建议归并")
    CONFIRMED = "confirmed", _("待认领")
    CLAIMED = "claimed", _("已认领")
    ANSWERED = "answered", _("已拟答复")
    PUBLISHED = "published", _("已反馈")
    DISSOLVED = "dissolved", _("已拆散")
    MERGED = "merged", _("已并入他组")


# Groups still being sorted: opinions may move in and out of them.
SORTING_STATUSES = frozenset({GroupStatus.PROPOSED, GroupStatus.CONFIRMED})
# Groups that stand for a set of opinions (not dissolved or merged away).
LIVE_STATUSES = frozenset(
    {
        GroupStatus.PROPOSED,
        GroupStatus.CONFIRMED,
        GroupStatus.CLAIMED,
        GroupStatus.ANSWERED,
        GroupStatus.PUBLISHED,
    }
)


class OpinionStatus(models.TextChoices):
    """Where an opinion stands, derived from its group (a filter, not a stored field)."""

    UNSORTED = "unsorted", _("待梳理")
    GROUPED = "grouped", _("已归并待认领")
    CLAIMED = "claimed", _("已认领")
    ANSWERED = "answered", _("已拟答复")
    PUBLISHED = "published", _("已反馈")


class ClaimKind(models.TextChoices):
    BODY = "body", _("领导班子")
    LEADER = "leader", _("班子成员个人")


class GroupAction(models.TextChoices):
    PROPOSE = "propose", _("系统建议归并")
    CREATE = "create", _("人工归并")
    CONFIRM = "confirm", _("确认归并")
    DISSOLVE = "dissolve", _("拆散")
    MERGE = "merge", _("合并")
    SPLIT = "split", _("拆分")
    ADD = "add", _("并入意见")
    RETITLE = "retitle", _("修改概括")
    CLAIM = "claim", _("认领")
    ANSWER = "answer", _("拟写答复")
    PUBLISH = "publish", _("发布答复")


class SurveyPurpose(models.TextChoices):
    """Where the seeds ask for an evaluation."""

    STAGE_ONE = "stage_one", _("群众评价（第一环节）")
    MEETING = "meeting", _("群众评议（专题民主生活会后）")
    FINAL = "final", _("民主评议（活动结束时）")
    POLL = "poll", _("民意调查（跨单位）")
    ITEM = "item", _("整改效果评价（开门整改）")


# Purposes an office chooses when it sets up a survey by hand; ITEM surveys are created by
# rectification's public rating, one per finished item and rating round.
OFFICE_PURPOSES = [(value, label) for value, label in SurveyPurpose.choices if value != SurveyPurpose.ITEM]


class SurveyMode(models.TextChoices):
    RESPONDENTS = "respondents", _("参评人员名单（一人一码）")
    PUBLIC = "public", _("公开链接（每个浏览器一份）")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    OPEN = "open", _("已发布")
    CLOSED = "closed", _("已结束")


class SurveyAction(models.TextChoices):
    CREATE = "create", _("建立")
    EDIT = "edit", _("修改")
    OPEN = "open", _("发布")
    CLOSE = "close", _("结束并计算结果")


class RemediationStatus(models.TextChoices):
    OPEN = "open", _("返工补课中")
    CLOSED = "closed", _("已完成")


class RemediationAction(models.TextChoices):
    OPEN = "open", _("满意率低于标准，要求返工补课")
    RECORD = "record", _("记录返工补课情况")
    CLOSE = "close", _("返工补课完成")


class JobKinds:
    """Kinds of campaign.Job this app starts."""

    OPINIONS_IMPORT = JobKind.OPINIONS_IMPORT
    OPINIONS_GROUPING = JobKind.OPINIONS_GROUPING

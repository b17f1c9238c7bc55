from django.db import models
from django.utils.translation import gettext_lazy as _


class MaterialKind(models.TextChoices):
    BODY = "body", _("班子对照检查材料")
    PERSONAL = "personal", _("个人对照检查材料")
    BRIEF = "brief", _("简要对照检查材料")


class MaterialStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过")


class SubjectKind(models.TextChoices):
    """What a review chain reviews; later capabilities add their own kinds."""

    MATERIAL = "material", _("对照检查材料")
    MEETING_PLAN = "meeting_plan", _("民主生活会方案")
    RECTIFICATION_PLAN = "rectification_plan", _("整改方案")
    CRITICISM_LIST = "criticism_list", _("拟批评意见")


class StepKind(models.TextChoices):
    REVIEW = "review", _("审核")
    ACKNOWLEDGE = "acknowledge", _("审阅")
    SIGN = "sign", _("签字")


# Steps that must be passed before the subject is approved; 审阅 does not block.
BLOCKING_STEP_KINDS = frozenset({StepKind.REVIEW, StepKind.SIGN})


class ReviewerRule(models.TextChoices):
    UNIT_PRINCIPAL = "unit_principal", _("本单位主要负责同志")
    DEPARTMENT_PRINCIPAL = "department_principal", _("所在直属单位主要负责人")
    PARTY_GROUP_PRINCIPAL = "party_group_principal", _("所在人大、政府、政协党组主要负责同志")
    SECRETARY = "secretary", _("某级党委书记")
    SUPERVISION_GROUP = "supervision_group", _("某级督导组")
    OFFICE = "office", _("某级活动办")
    LIAISON_GROUP = "liaison_group", _("某级活动办联络组")
    LEADING_GROUP_LEADER = "leading_group_leader", _("某级领导小组负责同志")
    OVERSEEING_LEADER = "overseeing_leader", _("分管领导")
    NAMED_PERSON = "named_person", _("指定人员")


# Rules that name one person: when that person is the author, the step does not
# apply to his own material ("he cannot review himself").
SINGLE_PERSON_RULES = frozenset(
    {
        ReviewerRule.UNIT_PRINCIPAL,
        ReviewerRule.DEPARTMENT_PRINCIPAL,
        ReviewerRule.PARTY_GROUP_PRINCIPAL,
        ReviewerRule.SECRETARY,
        ReviewerRule.OVERSEEING_LEADER,
        ReviewerRule.NAMED_PERSON,
    }
)
# Rules that need a level.
LEVELLED_RULES = frozenset(
    {
        ReviewerRule.SECRETARY,
        ReviewerRule.SUPERVISION_GROUP,
        ReviewerRule.OFFICE,
        ReviewerRule.LIAISON_GROUP,
        ReviewerRule.LEADING_GROUP_LEADER,
    }
)


class Reentry(models.TextChoices):
    RETURNING_STEP = "returning_step", _("从退回的环节重新审核")
    START = "start", _("从第一个环节重新审核")


class ReviewStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过")


class StepState(models.TextChoices):
    WAITING = "waiting", _("待进入")
    OPEN = "open", _("待处理")
    PASSED = "passed", _("已通过")
    SIGNED = "signed", _("已签字")
    ACKNOWLEDGED = "acknowledged", _("已审阅")
    RETURNED = "returned", _("已退回")
    CANCELLED = "cancelled", _("已取消")


class ActionKind(models.TextChoices):
    SUBMIT = "submit", _("提交")
    PASS = "pass", _("通过")
    SIGN = "sign", _("签字")
    RETURN_REVISE = "return_revise", _("退回修改")
    RETURN_REWRITE = "return_rewrite", _("退回重写")
    ACKNOWLEDGE = "acknowledge", _("审阅")
    REASSIGN = "reassign", _("调整审核人")
    STEP_SKIPPED = "step_skipped", _("环节不适用")
    UNRESOLVED = "unresolved", _("无法确定审核人")


RETURN_ACTIONS = frozenset({ActionKind.RETURN_REVISE, ActionKind.RETURN_REWRITE})


class SixNo(models.TextChoices):
    """The reviewer's checklist of [002]: what a good material is not."""

    NOT_EVASIVE = "bu_rao", _("不绕：开门见山、直奔主题")
    NOT_EMPTY = "bu_kong", _("不空：与岗位职责和成长经历相结合")
    NOT_FALSE = "bu_jia", _("不假：分析问题具体到事，每一“风”都列出具体事例")
    NOT_BOASTFUL = "bu_kua", _("不夸：自我表扬的话基本没有")
    NOT_SHALLOW = "bu_qian", _("不浅：从具体问题中剖析思想根源")
    NOT_VAGUE = "bu_xu", _("不虚：针对问题提出具体整改措施")

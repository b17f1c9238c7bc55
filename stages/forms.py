from __future__ import annotations

import datetime
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.forms import DateInput, VersionedForm
from campaign.uploads import check_table_upload
from stages.choices import (
    OFFICE_PURPOSES,
    ClaimKind,
    OpinionCategory,
    OpinionChannel,
    StudyKind,
    SurveyMode,
)
from stages.models import ANSWER_MAX_CHARS, OPINION_MAX_CHARS
from stages.services import DEFAULT_OPTIONS, QuestionSpec, default_questions
from units.forms import UnitCodesField
from units.models import Person


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


# --- study ---------------------------------------------------------------------


class StudySessionForm(VersionedForm):
    kind = forms.ChoiceField(label=_("学习形式"), choices=StudyKind.choices)
    held_on = forms.DateField(label=_("学习日期"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("学时（小时）"), min_value=Decimal("0.5"), max_value=Decimal("72"), decimal_places=1
    )
    topic = forms.CharField(label=_("学习主题"), max_length=200)
    material = forms.CharField(
        label=_("学习内容和材料"),
        required=False,
        max_length=OPINION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    participants = PersonChoiceField(
        label=_("参学人员"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("从在本单位任职的人员中选择。"),
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["participants"].queryset = people  # type: ignore[attr-defined]


# --- opinions --------------------------------------------------------------------


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class OpinionForm(forms.Form):
    """An opinion gathered offline, keyed in by the office."""

    channel = forms.ChoiceField(label=_("征求渠道"), choices=OpinionChannel.choices)
    category = forms.ChoiceField(label=_("意见类别"), choices=OpinionCategory.choices)
    received_on = forms.DateField(label=_("收到日期"), widget=DateInput())
    text = forms.CharField(
        label=_("意见内容（原文照录）"),
        max_length=OPINION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    about_person = LeaderChoiceField(
        label=_("所提意见涉及的领导"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("领导班子整体"),
    )
    is_anonymous = forms.BooleanField(
        label=_("背靠背（匿名）"), required=False, help_text=_("匿名意见不登记提出人的任何信息。")
    )
    submitter_name = forms.CharField(label=_("提出人姓名"), max_length=50, required=False)
    submitter_contact = forms.CharField(
        label=_("提出人联系方式"),
        max_length=100,
        required=False,
        help_text=_("只有本单位及上级活动办能看到提出人的姓名和联系方式。"),
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["about_person"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_anonymous") and (data.get("submitter_name") or data.get("submitter_contact")):
            self.add_error("is_anonymous", _("匿名（背靠背）意见不能填写提出人姓名和联系方式。"))
        return data


class OpinionEditForm(VersionedForm):
    channel = forms.ChoiceField(label=_("征求渠道"), choices=OpinionChannel.choices)
    category = forms.ChoiceField(label=_("意见类别"), choices=OpinionCategory.choices)
    received_on = forms.DateField(label=_("收到日期"), widget=DateInput())
    about_person = LeaderChoiceField(
        label=_("所提意见涉及的领导"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("领导班子整体"),
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["about_person"].queryset = people  # type: ignore[attr-defined]


PUBLIC_CATEGORIES = [("", _("请选择")), *OpinionCategory.choices]


class PublicOpinionForm(forms.Form):
    """The public page's form. ``website`` is a trap for robots: people never see it."""

    category = forms.ChoiceField(label=_("意见类别"), choices=PUBLIC_CATEGORIES)
    text = forms.CharField(
        label=_("意见建议"),
        max_length=OPINION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": OPINION_MAX_CHARS}),
        help_text=_("请具体写明事情、地点和经过，不超过2000字。"),
    )
    identity = forms.ChoiceField(
        label=_("署名方式"),
        choices=[("anonymous", _("匿名（背靠背），不留任何个人信息")), ("named", _("实名"))],
        initial="anonymous",
        widget=forms.RadioSelect,
    )
    submitter_name = forms.CharField(label=_("姓名（实名时填写）"), max_length=50, required=False)
    submitter_contact = forms.CharField(label=_("联系方式（可不填）"), max_length=100, required=False)
    website = forms.CharField(required=False, label=_("请勿填写此项"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("提交未成功，请刷新页面后重试。"))
        named = data.get("identity") == "named"
        if named and "submitter_name" not in self.errors and not (data.get("submitter_name") or "").strip():
            self.add_error("submitter_name", _("实名提交请填写姓名；不愿留名请选择“匿名（背靠背）”。"))
        return data


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("回执码"), max_length=32)


class OpinionImportForm(forms.Form):
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    skip_errors = forms.BooleanField(
        label=_("跳过有错误的行，导入其余各行"),
        required=False,
        help_text=_("不勾选时，文件中只要有一行有错误，就一行也不导入。"),
    )

    def clean_file(self) -> Any:
        return check_table_upload(self.cleaned_data["file"])


class ClaimForm(VersionedForm):
    kind = forms.ChoiceField(label=_("认领方式"), choices=ClaimKind.choices, widget=forms.RadioSelect)
    person = LeaderChoiceField(
        label=_("认领领导（由领导个人认领时选择）"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ClaimKind.LEADER and not data.get("person"):
            self.add_error("person", _("请选择认领的领导。"))
        return data


class AnswerForm(VersionedForm):
    answer = forms.CharField(
        label=_("答复（原汁原味反馈）"),
        max_length=ANSWER_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("答复由活动办发布后，本组每一条意见的提出人都能凭回执码看到。"),
    )


class PublishForm(VersionedForm):
    title = forms.CharField(
        label=_("公开的意见概括"),
        max_length=200,
        help_text=_("公开页面只显示概括和答复，不显示意见原文和提出人。请勿写入可识别个人的信息。"),
    )


# --- surveys -----------------------------------------------------------------------

_SPLIT = re.compile(r"[,，、;；\s]+")


def _parse_threshold(text: str) -> Fraction:
    value = text.strip().replace("／", "/")
    try:
        if value.endswith("%"):
            return Fraction(value[:-1]) / 100
        return Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise forms.ValidationError(_("请写成分数或百分数，如 2/3 或 66.7%。")) from exc


class SurveyForm(VersionedForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    purpose = forms.ChoiceField(label=_("用途"), choices=OFFICE_PURPOSES)
    subject = forms.CharField(label=_("评议事项"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("参评方式"), choices=SurveyMode.choices)
    opens_at = forms.DateTimeField(
        label=_("开始时间"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    closes_at = forms.DateTimeField(
        label=_("截止时间"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    targets = UnitCodesField(
        label=_("测评对象（单位编码）"),
        required=True,
        help_text=_("填写单位编码，多个用逗号或顿号分隔；跨单位民意调查按填写顺序排列。"),
    )
    with_children = forms.BooleanField(
        label=_("同时列入下一级各单位"),
        required=False,
        help_text=_(
            "活动结束时的民主评议、跨单位民意调查：把本单位下一级的各单位（其领导班子）都列为测评对象。"
        ),
    )
    threshold = forms.CharField(
        label=_("满意率标准"),
        initial="2/3",
        max_length=16,
        help_text=_("低于此标准的测评对象须返工补课；“群众满意率低于2/3的，要督促其返工、补课”。"),
    )
    questions = forms.CharField(
        label=_("测评项目"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项；行首加 * 的项目计入满意率。留空则使用该用途的默认测评表。"),
    )
    options = forms.CharField(
        label=_("选项"), initial="满意、基本满意、不满意", max_length=200, help_text=_("用顿号或逗号分隔。")
    )
    satisfied = forms.CharField(
        label=_("计为满意的选项"),
        initial="满意、基本满意",
        max_length=200,
        help_text=_("满意率 =（这些选项的票数）÷ 总票数。"),
    )

    def clean_threshold(self) -> Fraction:
        return _parse_threshold(self.cleaned_data["threshold"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        options = [x for x in _SPLIT.split(data.get("options", "")) if x]
        satisfied = {x for x in _SPLIT.split(data.get("satisfied", "")) if x}
        unknown = satisfied - set(options)
        if unknown:
            self.add_error("satisfied", _("这些不是选项：%(x)s") % {"x": "、".join(sorted(unknown))})
        spec = tuple((label, label in satisfied) for label in options)
        lines = [line.strip() for line in (data.get("questions") or "").splitlines() if line.strip()]
        if lines:
            data["question_specs"] = [
                QuestionSpec(
                    text=line.lstrip("*＊ ").strip(), options=spec, counts=line.startswith(("*", "＊"))
                )
                for line in lines
            ]
        elif data.get("purpose"):
            data["question_specs"] = [
                QuestionSpec(q.text, spec if options else DEFAULT_OPTIONS, q.counts)
                for q in default_questions(data["purpose"])
            ]
        return data


class TokenForm(forms.Form):
    respondents = forms.CharField(
        label=_("参评人员名单"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一位（姓名或类别），每人生成一个一次性评议码。"),
    )
    count = forms.IntegerField(label=_("或按数量生成"), required=False, min_value=1, max_value=2000)
    category = forms.CharField(
        label=_("按数量生成时的参评人员类别"),
        required=False,
        max_length=100,
        help_text=_("如：机关干部职工、“两代表一委员”、服务对象、群众代表。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        labels = [line.strip() for line in (data.get("respondents") or "").splitlines() if line.strip()]
        if data.get("count"):
            labels += [(data.get("category") or "").strip()] * data["count"]
        if not labels:
            raise forms.ValidationError(_("请填写参评人员名单，或填写要生成的数量。"))
        data["labels"] = labels
        return data


class RemediationForm(VersionedForm):
    work_done = forms.CharField(
        label=_("返工补课情况"),
        max_length=ANSWER_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("写明重新开展了哪些工作：补课学习、再次征求意见、重开会议、整改措施等。"),
    )


def default_window() -> tuple[datetime.datetime, datetime.datetime]:
    from campaign import clock

    start = clock.now().replace(minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=7)

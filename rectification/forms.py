from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaign import clock
from campaign.forms import DateInput, VersionedForm
from campaign.uploads import check_table_upload
from rectification.choices import (
    Handling,
    ListKind,
    ParticipantRole,
    PointedBy,
    Priority,
    ProjectPlanStatus,
    RuleJudgement,
)
from rectification.services import GRANTABLE
from units.choices import GRASSROOTS_KINDS, LEADERSHIP_ROLES, UnitKind
from units.forms import UnitCodesField
from units.models import Person, Post, Unit

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def leaders_for(unit: Unit) -> QuerySet[Person]:
    """People who may be named 责任领导: current leaders of the unit or of a 党委 above it."""
    paths = [unit.path[:i] for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    posts = Post.objects.active(clock.today()).filter(unit__path__in=paths, role__in=LEADERSHIP_ROLES)
    return Person.objects.filter(pk__in=posts.values("person_id")).order_by("name")


def team_of(unit: Unit) -> QuerySet[Person]:
    posts = Post.objects.active(clock.today()).filter(unit=unit, role__in=LEADERSHIP_ROLES)
    return Person.objects.filter(pk__in=posts.values("person_id")).order_by("name")


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _people(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


class PlanForm(VersionedForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    summary = forms.CharField(
        label=_("方案要点"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("整改目标、主要措施、时间安排和责任分工的概要；具体事项在整改清单中逐条列出。"),
    )


class PlanCreateForm(PlanForm):
    kind = forms.ChoiceField(label=_("类别"), choices=ListKind.choices)
    person = PersonChoiceField(label=_("班子成员"), queryset=Person.objects.none(), required=False)
    field_order = ["kind", "person", "title", "summary"]

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self, "person").queryset = team_of(unit)
        self.fields["person"].help_text = _("仅“班子成员个人整改措施”需要选择。")
        if unit.kind in GRASSROOTS_KINDS:
            _choice(self, "kind").choices = [(ListKind.GRASSROOTS, ListKind.GRASSROOTS.label)]
            del self.fields["person"]
        else:
            _choice(self, "kind").choices = [c for c in ListKind.choices if c[0] != ListKind.GRASSROOTS]


class ItemForm(VersionedForm):
    problem = forms.CharField(label=_("问题"), widget=TEXTAREA)
    measure = forms.CharField(
        label=_("整改措施"), widget=TEXTAREA, help_text=_("路线图、任务书：怎么改，分几步")
    )
    target = forms.CharField(label=_("整改目标"), widget=TEXTAREA)
    responsible_leader = PersonChoiceField(
        label=_("责任领导"), queryset=Person.objects.none(), required=False
    )
    responsible_unit = forms.CharField(label=_("责任单位"), max_length=200)
    handling = forms.ChoiceField(label=_("办理类别"), choices=Handling.choices, initial=Handling.BY_DEADLINE)
    deadline = forms.DateField(
        label=_("完成时限"), widget=DateInput(), required=False, help_text=_("暂不具备条件的事项不填。")
    )
    explanation = forms.CharField(
        label=_("向群众解释说明"),
        widget=TEXTAREA,
        required=False,
        help_text=_("暂不具备条件解决的，写明原因和向群众所作的解释。"),
    )
    priority = forms.ChoiceField(label=_("轻重缓急"), choices=Priority.choices, initial=Priority.NORMAL)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self, "responsible_leader").queryset = leaders_for(unit)


class ItemCreateForm(ItemForm):
    """An item opened on its own (立行立改), outside a plan's list."""

    kind = forms.ChoiceField(label=_("清单类别"), choices=ListKind.choices)
    person = PersonChoiceField(label=_("班子成员"), queryset=Person.objects.none(), required=False)
    source = forms.CharField(widget=forms.HiddenInput, required=False)
    field_order = ["kind", "person"]

    def clean_source(self) -> list[tuple[str, int]]:
        """The source this item is opened to answer ("kind:id"), linked by the service."""
        kind, _sep, ident = (self.cleaned_data.get("source") or "").partition(":")
        return [(kind, int(ident))] if kind and ident.isdigit() else []

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, unit=unit, **kwargs)
        _people(self, "person").queryset = team_of(unit)
        self.fields["person"].help_text = _("仅个人整改事项需要选择。")
        if unit.kind in GRASSROOTS_KINDS:
            _choice(self, "kind").choices = [(ListKind.GRASSROOTS, ListKind.GRASSROOTS.label)]
            del self.fields["person"]
        else:
            _choice(self, "kind").choices = [c for c in ListKind.choices if c[0] != ListKind.GRASSROOTS]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("可多选。接受 PDF、JPEG、PNG、Word(.docx)、Excel(.xlsx) 和纯文本文件。"),
    )


class NoteForm(VersionedForm):
    note = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False)


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("理由"), widget=TEXTAREA)


class HelpForm(VersionedForm):
    note = forms.CharField(
        label=_("需要上级帮助解决的事项"),
        widget=TEXTAREA,
        help_text=_("写明需要上级解决什么、为什么本级难以解决。"),
    )


class ConfirmForm(VersionedForm):
    pass


class LinkSourceForm(forms.Form):
    source = forms.ChoiceField(label=_("问题来源"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "source").choices = choices

    def clean_source(self) -> tuple[str, int]:
        kind, _sep, ident = self.cleaned_data["source"].partition(":")
        return kind, int(ident)


class UnitCodeField(forms.CharField):
    def clean(self, value: Any) -> Unit:
        code = (super().clean(value) or "").strip()
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("没有编码为“%(code)s”的单位。") % {"code": code})
        return unit


class ParticipantForm(forms.Form):
    unit = UnitCodeField(
        label=_("单位编码"), max_length=32, widget=forms.TextInput(attrs={"placeholder": _("单位编码")})
    )
    role = forms.ChoiceField(
        label=_("角色"),
        choices=[(r, label) for r, label in ParticipantRole.choices if r != ParticipantRole.CLAIMED],
    )


class ClaimForm(forms.Form):
    unit = UnitCodeField(
        label=_("认领单位编码"),
        max_length=32,
        help_text=_("上级部门的单位编码"),
        widget=forms.TextInput(attrs={"placeholder": _("上级部门的单位编码")}),
    )


class GrantForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"placeholder": _("用户名")})
    )
    codename = forms.ChoiceField(label=_("权限"), choices=list(GRANTABLE.items()))

    def clean_username(self) -> Any:
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("没有用户名为“%(name)s”的账号。") % {"name": name})
        return user


class PointedProblemForm(forms.Form):
    text = forms.CharField(label=_("问题"), widget=TEXTAREA)
    pointed_by = forms.ChoiceField(label=_("提出方"), choices=PointedBy.choices)
    pointed_by_name = forms.CharField(
        label=_("提出方名称"), max_length=100, help_text=_("如：市委第二督导组、市委、市委活动办")
    )
    pointed_on = forms.DateField(label=_("提出日期"), widget=DateInput())


class SpecialProjectForm(forms.Form):
    number = forms.IntegerField(label=_("序号"), min_value=1, max_value=999, initial=1)
    title = forms.CharField(label=_("名称"), max_length=200)
    description = forms.CharField(label=_("整治内容"), widget=TEXTAREA, required=False)
    origin = forms.CharField(label=_("部署来源"), max_length=100, required=False)
    scope_kinds = forms.MultipleChoiceField(
        label=_("适用单位类型"),
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示本地区所有单位。"),
    )
    scope_units = UnitCodesField(
        label=_("限定范围（单位编码）"), help_text=_("不填表示本地区全部；填写则只含这些单位及其下级。")
    )
    deadline = forms.DateField(label=_("整治完成时限"), widget=DateInput(), required=False)


class ProjectPlanForm(VersionedForm):
    lead_unit = forms.CharField(label=_("牵头单位"), max_length=200)
    responsible = forms.CharField(label=_("责任主体"), max_length=200)
    deadline = forms.DateField(label=_("进度时限"), widget=DateInput())
    target = forms.CharField(label=_("目标要求"), widget=TEXTAREA, required=False)
    measures = forms.CharField(label=_("推进措施"), widget=forms.Textarea(attrs={"rows": 4}))


class ProjectReportForm(VersionedForm):
    status = forms.ChoiceField(label=_("整治状态"), choices=ProjectPlanStatus.choices)
    progress = forms.CharField(label=_("整治进展"), widget=forms.Textarea(attrs={"rows": 4}))


class AcceptanceForm(VersionedForm):
    result = forms.ChoiceField(
        label=_("验收结果"),
        choices=[("passed", _("合格")), ("failed", _("不合格"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("验收意见"), widget=TEXTAREA, required=False, help_text=_("不合格的必须写明原因。")
    )


class RuleForm(VersionedForm):
    title = forms.CharField(label=_("制度名称"), max_length=200)
    reason = forms.CharField(label=_("理由和主要内容"), widget=TEXTAREA, required=False)
    owner = forms.CharField(label=_("责任主体"), max_length=200)
    deadline = forms.DateField(label=_("完成时限"), widget=DateInput(), required=False)


class RuleCreateForm(RuleForm):
    judgement = forms.ChoiceField(label=_("梳理意见"), choices=RuleJudgement.choices)
    field_order = ["title", "judgement"]


class RuleFinishForm(VersionedForm):
    issued_on = forms.DateField(label=_("印发（废止）日期"), widget=DateInput())
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False)


class LedgerImportForm(forms.Form):
    file = forms.FileField(label=_("台账文件（.xlsx）"))
    skip_errors = forms.BooleanField(
        label=_("跳过有错误的行，导入其余各行"),
        required=False,
        help_text=_("不勾选时，文件中只要有一行有错误，就一行也不导入。"),
    )

    def clean_file(self) -> Any:
        return check_table_upload(self.cleaned_data["file"])

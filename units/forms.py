from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.forms import DateInput, VersionedForm
from campaign.uploads import check_table_upload
from units.choices import PostRole, Rank, UnitKind
from units.imports import IMPORT_KINDS
from units.models import Person, Unit


class UnitForm(VersionedForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.CharField(label=_("单位编码"), max_length=32)
    is_active = forms.BooleanField(label=_("在册"), required=False, initial=True)


class UnitCreateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.CharField(label=_("单位编码"), max_length=32)
    kind = forms.ChoiceField(label=_("单位类型"), choices=UnitKind.choices)


class PersonForm(VersionedForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    code = forms.CharField(label=_("人员编码"), max_length=32)
    rank = forms.ChoiceField(label=_("职级"), choices=Rank.choices, initial=Rank.OTHER)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)


class UnitCodesField(forms.CharField):
    """Unit codes separated by spaces, commas or 顿号, resolved to units."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("填写单位编码，多个用逗号或顿号分隔。"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[Unit]:
        raw = super().clean(value) or ""
        codes = [
            c
            for c in raw.replace("、", ",").replace("，", ",").replace(";", ",").replace(" ", ",").split(",")
            if c
        ]
        units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in units]
        if missing:
            raise forms.ValidationError(_("没有这些编码的单位：%(codes)s") % {"codes": "、".join(missing)})
        return [units[c] for c in codes]


class PostCreateForm(forms.Form):
    person_code = forms.CharField(label=_("人员编码"), max_length=32)
    title = forms.CharField(label=_("职务"), max_length=100)
    role = forms.ChoiceField(label=_("班子角色"), choices=PostRole.choices, initial=PostRole.MEMBER)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=100)
    start_date = forms.DateField(label=_("任职日期"), widget=DateInput())
    end_date = forms.DateField(label=_("免职日期"), widget=DateInput(), required=False)
    oversees = UnitCodesField(label=_("分管单位"))

    def clean_person_code(self) -> Person:
        code = self.cleaned_data["person_code"].strip()
        person = Person.objects.filter(code=code).first()
        if person is None:
            raise forms.ValidationError(_("没有编码为“%(code)s”的人员，请先登记人员。") % {"code": code})
        return person


class PostUpdateForm(VersionedForm):
    title = forms.CharField(label=_("职务"), max_length=100)
    role = forms.ChoiceField(label=_("班子角色"), choices=PostRole.choices)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999)
    end_date = forms.DateField(label=_("免职日期"), widget=DateInput(), required=False)
    oversees = UnitCodesField(label=_("分管单位"))


class PostEndForm(VersionedForm):
    end_date = forms.DateField(label=_("免职日期"), widget=DateInput())


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=[(k, v.label) for k, v in IMPORT_KINDS.items()])
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    skip_errors = forms.BooleanField(
        label=_("跳过有错误的行，导入其余各行"),
        required=False,
        help_text=_("不勾选时，文件中只要有一行有错误，就一行也不导入。"),
    )

    def clean_file(self) -> Any:
        return check_table_upload(self.cleaned_data["file"])

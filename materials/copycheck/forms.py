from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.forms import VersionedForm


class ReferenceUploadForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    source_note = forms.CharField(
        label=_("来源说明"),
        max_length=300,
        help_text=_("如：网上流传的范文，某网站；第一批活动某单位的对照检查材料"),
    )
    file = forms.FileField(label=_("文件（.txt 或 .docx）"), required=False)
    text = forms.CharField(
        label=_("或直接粘贴全文"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传文件或粘贴全文。"))
        return data


class ReferenceEditForm(VersionedForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    source_note = forms.CharField(label=_("来源说明"), max_length=300)


class ReferenceWithdrawForm(VersionedForm):
    reason = forms.CharField(
        label=_("撤回原因"), max_length=300, widget=forms.TextInput(attrs={"placeholder": _("撤回原因")})
    )

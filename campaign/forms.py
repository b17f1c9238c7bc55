"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from campaign.choices import Stage, Verdict


def add_service_error(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form: field errors where the form has the field."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or "您没有执行此操作的权限。")
        return
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class VersionedForm(forms.Form):
    """Carries the record's version so that a page loaded before a change cannot overwrite it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


# --- calendar, stage moves, 回头看 ---------------------------------------------


class CalendarForm(VersionedForm):
    """An office's calendar: its top level's three windows and the stagger to the levels below."""

    stage1_start = forms.DateField(label=_("第一环节开始"), widget=DateInput())
    stage1_end = forms.DateField(label=_("第一环节结束"), widget=DateInput())
    stage2_start = forms.DateField(label=_("第二环节开始"), widget=DateInput())
    stage2_end = forms.DateField(label=_("第二环节结束"), widget=DateInput())
    stage3_start = forms.DateField(label=_("第三环节开始"), widget=DateInput())
    stage3_end = forms.DateField(label=_("第三环节结束"), widget=DateInput())
    interval_days = forms.IntegerField(
        label=_("逐级间隔（天）"),
        min_value=0,
        max_value=90,
        initial=15,
        help_text=_("下一级比上一级晚开始的天数，一般半个月左右。"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class OverrideForm(VersionedForm):
    """One unit's own window for one stage."""

    stage = forms.TypedChoiceField(label=_("环节"), choices=Stage.choices, coerce=int)
    start = forms.DateField(label=_("开始日期"), widget=DateInput())
    end = forms.DateField(label=_("结束日期"), widget=DateInput())
    reason = forms.CharField(label=_("调整原因"), max_length=200)


class AdvanceForm(forms.Form):
    """The position the office saw: a second office moving the unit first makes this one stale."""

    from_position = forms.IntegerField(min_value=0, max_value=3, widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class LookBackForm(forms.Form):
    stage = forms.TypedChoiceField(label=_("回头看环节"), choices=Stage.choices, coerce=int)
    verdict = forms.ChoiceField(label=_("结论"), choices=Verdict.choices, widget=forms.RadioSelect)
    findings = forms.CharField(
        label=_("回头看意见"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("对照“六个是否存在”逐项写明 [002]。"),
    )
    points = forms.CharField(
        label=_("整改或补课要点"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("限期整改、延时补课、推倒重来时必填，逐条写明。"),
    )
    due_date = forms.DateField(
        label=_("期限"),
        widget=DateInput(),
        required=False,
        help_text=_("限期整改的期限；延时补课延至的日期；推倒重来重新完成的期限。"),
    )


class LookBackCloseForm(VersionedForm):
    note = forms.CharField(label=_("整改落实情况"), widget=forms.Textarea(attrs={"rows": 4}))

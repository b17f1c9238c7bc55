"""The material editor (sections, examples, measures) and the reviewer's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from campaign.forms import VersionedForm
from campaign.uploads import DOCX, check_upload
from materials import sections
from materials.choices import ActionKind, SixNo, StepKind

TEXTAREA = forms.Textarea(attrs={"rows": 3})
SHORT = forms.Textarea(attrs={"rows": 2})


def _text(label: Any, widget: Any = TEXTAREA, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=widget, max_length=sections.MAX_TEXT, help_text=help_text
    )


class MaterialForm(VersionedForm):
    """Every free-text section; examples and measures come in formsets beside it."""

    def __init__(self, *args: Any, with_body_parts: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_body_parts = with_body_parts
        self.fields["discipline"] = _text(
            _("遵守党的政治纪律、贯彻中央八项规定精神情况"), forms.Textarea(attrs={"rows": 5})
        )
        for key, label in sections.WINDS:
            self.fields[f"wind_{key}"] = _text(_("%(wind)s方面的表现（概述）") % {"wind": label})
        if with_body_parts:
            for key, label in sections.BODY_PARTS:
                self.fields[f"part_{key}"] = _text(_("%(part)s（概述）") % {"part": label})
        for key, label in sections.CAUSES:
            self.fields[f"cause_{key}"] = _text(_("原因分析：%(cause)s") % {"cause": label})
        self.fields["measures_text"] = _text(_("努力方向"))
        for key, label in sections.STATEMENTS:
            self.fields[f"statement_{key}"] = _text(_("关于%(item)s的说明") % {"item": label}, SHORT)
        self.fields["other"] = _text(_("其他需要说明的问题"))

    @classmethod
    def initial_from(cls, content: dict[str, Any], version: int) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": version,
            "discipline": content["discipline"],
            "other": content["other"],
        }
        for key, _label in sections.WINDS:
            initial[f"wind_{key}"] = content["winds"][key]["text"]
        for key, _label in sections.BODY_PARTS:
            if key in content:
                initial[f"part_{key}"] = content[key]["text"]
        for key, _label in sections.CAUSES:
            initial[f"cause_{key}"] = content["causes"][key]
        for key, _label in sections.STATEMENTS:
            initial[f"statement_{key}"] = content["statements"][key]
        initial["measures_text"] = content["measures"]["text"]
        return initial


class ExampleForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("具体事例"), required=False, widget=SHORT, max_length=sections.MAX_TEXT)


class MeasureForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("整改措施"), required=False, widget=SHORT, max_length=sections.MAX_TEXT)
    answers = forms.MultipleChoiceField(
        label=_("回应的问题"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(
        self, *args: Any, problem_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answers"].choices = problem_choices or []  # type: ignore[attr-defined]


ExampleFormSet = formset_factory(ExampleForm, extra=2, can_delete=True, max_num=50)
MeasureFormSet = formset_factory(MeasureForm, extra=2, can_delete=True, max_num=50)


def example_formsets(data: Any, content: dict[str, Any] | None) -> dict[str, Any]:
    sets = {}
    for key, _label in sections.PROBLEM_PARTS:
        if content is not None and key in dict(sections.BODY_PARTS) and key not in content:
            continue
        part = (content["winds"][key] if key in dict(sections.WINDS) else content[key]) if content else None
        initial = [{"key": e["key"], "text": e["text"]} for e in part["examples"]] if part else None
        sets[key] = ExampleFormSet(data, prefix=f"ex_{key}", initial=initial)
    return sets


def measure_formset(data: Any, content: dict[str, Any]) -> Any:
    choices = [(p.key, f"{p.label}：{p.text[:30]}") for p in sections.problems(content)]
    initial = [
        {"key": m["key"], "text": m["text"], "answers": m["answers"]} for m in content["measures"]["items"]
    ]
    return MeasureFormSet(data, prefix="measures", initial=initial, form_kwargs={"problem_choices": choices})


def content_from_forms(form: MaterialForm, examples: dict[str, Any], measures: Any) -> dict[str, Any]:
    data = form.cleaned_data

    def listed(formset: Any) -> list[dict[str, Any]]:
        rows = []
        for item in formset.cleaned_data:
            if item and not item.get("DELETE") and item.get("text", "").strip():
                rows.append({k: v for k, v in item.items() if k != "DELETE"})
        return rows

    raw: dict[str, Any] = {
        "discipline": data["discipline"],
        "winds": {
            key: {"text": data[f"wind_{key}"], "examples": listed(examples[key])}
            for key, _l in sections.WINDS
        },
        "causes": {key: data[f"cause_{key}"] for key, _l in sections.CAUSES},
        "statements": {key: data[f"statement_{key}"] for key, _l in sections.STATEMENTS},
        "measures": {"text": data["measures_text"], "items": listed(measures)},
        "other": data["other"],
    }
    if form.with_body_parts:
        for key, _l in sections.BODY_PARTS:
            raw[key] = {"text": data[f"part_{key}"], "examples": listed(examples[key])}
    return raw


class DocxForm(VersionedForm):
    file = forms.FileField(label=_("Word 文件（.docx）"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload, {DOCX}, _("请上传 Word 文件（.docx）。"))
        return upload


class DecisionForm(forms.Form):
    """A reviewer's decision on an open step, with the page's version so a stale page cannot act."""

    review_version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(label=_("办理"), widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    checklist = forms.MultipleChoiceField(
        label=_("“六不”核对（勾选已做到的）"),
        choices=SixNo.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, step_kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actions = {
            StepKind.REVIEW: [ActionKind.PASS, ActionKind.RETURN_REVISE, ActionKind.RETURN_REWRITE],
            StepKind.SIGN: [ActionKind.SIGN, ActionKind.RETURN_REVISE, ActionKind.RETURN_REWRITE],
            StepKind.ACKNOWLEDGE: [ActionKind.ACKNOWLEDGE],
        }[StepKind(step_kind)]
        self.fields["action"].choices = [(a.value, a.label) for a in actions]  # type: ignore[attr-defined]
        self.fields["action"].initial = actions[0].value
        if step_kind == StepKind.ACKNOWLEDGE:
            del self.fields["checklist"]


class ReassignForm(forms.Form):
    person_codes = forms.CharField(
        label=_("审核人员编码"), help_text=_("多人用逗号或顿号分隔。"), max_length=500
    )
    reason = forms.CharField(label=_("调整原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)

    def clean_person_codes(self) -> list[Any]:
        from units.models import Person

        raw = self.cleaned_data["person_codes"].replace("、", ",").replace("，", ",")
        codes = [c.strip() for c in raw.split(",") if c.strip()]
        people = {p.code: p for p in Person.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in people]
        if missing:
            raise forms.ValidationError(_("没有这些编码的人员：%(codes)s") % {"codes": "、".join(missing)})
        return [people[c] for c in codes]

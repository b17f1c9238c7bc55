"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError


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

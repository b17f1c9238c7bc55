"""A faster ``get_FOO_display()`` for every model.

Django's ``Model._get_FIELD_display`` rebuilds a dict of the field's whole choice list (through
``make_hashable``) on every call; a unit page calls it about a hundred times (children's kinds,
posts' roles, members' roles) and a list page once or more per row. The choices here are fixed
lists, so the dict is built once per field and kept on the field. Values that are not
hashable, and fields whose choices are callables, take Django's own path.

Also ``truncate_chars``: what ``|truncatechars`` prints, for lists that cut texts per row.
"""

from __future__ import annotations

import unicodedata
from functools import partialmethod
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.text import Truncator

_ATTR = "_campaign_choices_dict"
_original = models.Model._get_FIELD_display  # type: ignore[attr-defined]


def _get_field_display(self: models.Model, field: Any) -> Any:
    value = getattr(self, field.attname)
    choices = field.__dict__.get(_ATTR)
    if choices is None:
        if not isinstance(field.choices, (list, tuple)):  # e.g. choices given as a callable
            return _original(self, field)
        choices = dict(field.flatchoices)
        field.__dict__[_ATTR] = choices
    try:
        label = choices.get(value, value)
    except TypeError:  # an unhashable value
        return _original(self, field)
    # force_str() turns the lazy label into text in the language of this request.
    return force_str(label, strings_only=True)


def install() -> None:
    """Point every model's ``get_FOO_display`` at the cached version. Django binds them with
    ``partialmethod(cls._get_FIELD_display, field=...)`` when each class is created, so they are
    replaced one by one; a method a model defines itself is left alone."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            bound = model.__dict__.get(name)
            if isinstance(bound, partialmethod) and bound.func is _original:
                setattr(model, name, partialmethod(_get_field_display, field=field))


def truncate_chars(text: str, length: int) -> str:
    """``text|truncatechars:length``. Django's Truncator looks up the translated ellipsis on every
    call, even for a text that fits, and most texts in a list do; those return here as they are
    (NFC-normalized, as Truncator returns them)."""
    normal = unicodedata.normalize("NFC", text)
    if len(normal) <= length:
        return normal
    return Truncator(text).chars(length)

"""Out of scope first: a write to a record the user cannot see answers 404 before its body is read.

Without this, an action that validates its body before ``get_object()`` answers 400 for another
unit's record, which tells the caller the record is there. Mixed into the viewsets whose
actions read the body first (tests/campaign/test_every_path.py finds new ones).
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request


class ScopeFirstMixin:
    lookup_url_kwarg: str | None = None
    lookup_field = "pk"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method not in SAFE_METHODS and (self.lookup_url_kwarg or self.lookup_field) in kwargs:
            self.get_object()  # type: ignore[attr-defined]  # Http404 when out of scope

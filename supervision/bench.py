"""Benchmark case of the reminder sweep over every item, in a transaction rolled back."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from campaign.bench import Case, Setting
from supervision.sweeps import sweep


class _Rollback(Exception):
    pass


def _sweep(s: Setting) -> Any:
    result: Any = None
    try:
        with transaction.atomic():
            result = sweep()
            raise _Rollback
    except _Rollback:
        pass
    return {"found": result.found, "sent": result.sent, "digests": result.digests}


CASES = [
    Case(
        "reminder sweep: all items (rolled back)",
        _sweep,
        kind="batch",
        repeat=1,
        warmup=0,
        target_ms=60_000,
        note="every reminder rule over all items, steps and plans; peak memory measured",
    ),
]

"""Benchmark cases of the review engine: a reviewer's inbox, one pass, a 50-way race."""

from __future__ import annotations

import threading
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.db.models import Count
from django.urls import reverse

from campaign.bench import Case, Setting, Skip
from materials.choices import ActionKind, StepKind, StepState
from materials.models import ReviewStep, ReviewStepReviewer
from materials.review import Decision, review_step_act


def _busiest_reviewer(s: Setting) -> Any:
    """The reviewer with the most open steps in the province: the worst inbox there is."""
    if "reviewer" in s.memo:
        return s.memo["reviewer"]
    row = (
        ReviewStepReviewer.objects.filter(is_open=True, step__unit_path__startswith=s.province.path)
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "user_id")
        .first()
    )
    if row is None:
        raise Skip("no open review step")
    s.memo["reviewer"] = get_user_model().objects.get(pk=row["user_id"])
    return s.memo["reviewer"]


def _inbox(s: Setting) -> Any:
    return s.get(_busiest_reviewer(s), reverse("materials:inbox"))


def _inbox_floor(s: Setting) -> tuple[str, list[Any]]:
    user = _busiest_reviewer(s).pk
    sql = (
        "SELECT (SELECT count(*) FROM materials_reviewstepreviewer WHERE user_id = %s AND is_open),"
        " r.*, s.*, v.*, u.name, a.name FROM materials_reviewstepreviewer r"
        " JOIN materials_reviewstep s ON s.id = r.step_id JOIN materials_review v ON v.id = s.review_id"
        " JOIN units_unit u ON u.id = v.unit_id JOIN units_person a ON a.id = v.author_id"
        " WHERE r.user_id = %s AND r.is_open ORDER BY r.opened_at, r.id LIMIT 50"
    )
    return sql, [user, user]


def _open_passable(s: Setting, limit: int) -> list[ReviewStepReviewer]:
    rows = list(
        ReviewStepReviewer.objects.filter(
            is_open=True,
            step__state=StepState.OPEN,
            step__kind=StepKind.REVIEW,
            step__unit_path__startswith=s.province.path,
        )
        .select_related("user", "step")
        .order_by("step_id")[:limit]
    )
    if not rows:
        raise Skip("no open review step to pass")
    return rows


class _Rollback(Exception):
    pass


def _pass_once(s: Setting) -> Any:
    if "passable" not in s.memo:
        s.memo["passable"] = _open_passable(s, 40)
        s.memo["turn"] = -1
    rows = s.memo["passable"]
    s.memo["turn"] += 1
    row = rows[s.memo["turn"] % len(rows)]
    try:
        with transaction.atomic():
            review_step_act(
                actor=row.user,
                step=row.step,
                decision=Decision(action=ActionKind.PASS, opinion="同意。"),
                review_version=None,
            )
            raise _Rollback
    except _Rollback:
        pass  # rolled back: the next repetition finds the same data


def _race(s: Setting) -> Any:
    """50 threads, each on its own connection, pass the same open step at once: one must win."""
    if connection.vendor != "postgresql":
        raise Skip("the race needs PostgreSQL (row locks across connections)")
    row = _open_passable(s, 1000)[-1]
    results: list[str] = []
    barrier = threading.Barrier(50)

    def attempt() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                review_step_act(
                    actor=row.user,
                    step=ReviewStep(pk=row.step_id, review_id=row.step.review_id),
                    decision=Decision(action=ActionKind.PASS, opinion="同意。"),
                    review_version=None,
                )
            results.append("passed")
        except (ValidationError, PermissionDenied):
            results.append("refused")
        except Exception as exc:
            results.append(f"error: {type(exc).__name__}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    passed = results.count("passed")
    step = ReviewStep.objects.get(pk=row.step_id)
    if passed != 1 or step.state != StepState.PASSED:
        raise AssertionError(f"race: {passed} transitions, step {step.state}, results {sorted(set(results))}")
    return {"transitions": passed, "refused": results.count("refused")}


CASES = [
    Case("inbox: busiest reviewer (50 rows)", _inbox, floor=_inbox_floor, target_ms=20),
]
WRITE_CASES = [
    Case(
        "review action: pass (service, rolled back)",
        _pass_once,
        kind="write",
        target_ms=30,
        note="review_step_act on a different open step each time, in a transaction rolled back",
    ),
    Case(
        "race: 50 concurrent passes of one step",
        _race,
        kind="batch",
        repeat=1,
        warmup=0,
        note="commits one transition; exactly one of the 50 must succeed",
    ),
]

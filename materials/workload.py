"""What waits on a 督导组 in materials: open review steps (of materials, and of meeting plans)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from materials.choices import StepState
from materials.models import ReviewStep
from materials.review import subject_url
from supervision.selectors import WorkItem


def items_for(*, group: Any, user_ids: list[int], units: list[Any]) -> list[WorkItem]:
    if not user_ids:
        return []
    steps = (
        ReviewStep.objects.filter(
            state=StepState.OPEN, reviewers__user_id__in=user_ids, reviewers__is_open=True
        )
        .select_related("review__unit")
        .distinct()
        .order_by("opened_at")
    )
    return [
        WorkItem(
            kind=str(_("待审核")),
            title=step.review.title,
            unit_name=step.review.unit.name,
            since=step.opened_at,
            url=subject_url(step.review.subject_kind, step.review.subject_id),
            detail=step.name,
            due_at=step.due_at,
        )
        for step in steps
    ]

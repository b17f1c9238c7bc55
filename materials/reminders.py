"""Reminders for review steps: 催办 as a step nears and passes its time limit."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from materials.choices import StepState
from materials.meeting_choices import ReportStatus
from materials.meeting_models import MeetingReport
from materials.models import ReviewStep, ReviewStepReviewer
from materials.review import subject_url
from supervision.sweeps import (
    CHUNK,
    Due,
    Row,
    UrgeTarget,
    deadline_threshold,
    due_from_rows,
    end_of_day,
)
from units.selectors import principal_user_of


class ReviewStepsDue:
    name = "review_step"
    label = _("审核环节催办")
    soon = datetime.timedelta(days=1)

    def due(self, now: datetime.datetime) -> Iterator[Due]:
        return due_from_rows(self.rows(now))

    def rows(self, now: datetime.datetime) -> Iterator[Row]:
        rows = (
            ReviewStepReviewer.objects.filter(is_open=True, step__due_at__lte=now + self.soon)
            .values_list(
                "step_id",
                "user_id",
                "step__due_at",
                "step__name",
                "step__review__title",
                "step__review__subject_kind",
                "step__review__subject_id",
            )
            .order_by("step_id", "user_id")
        )
        template = _("《%(title)s》%(step)s，时限%(due)s")
        step: tuple[int, str, str, str, datetime.datetime] | None = None
        for step_id, user_id, due_at, step_name, title, kind, subject_id in rows.iterator(chunk_size=CHUNK):
            if step is None or step[0] != step_id:  # a step's reviewers come together: its text once
                assert due_at is not None  # filtered on due_at__lte
                step = (
                    step_id,
                    deadline_threshold(due_at, now, self.soon) or "due_soon",
                    template % {"title": title, "step": step_name, "due": f"{due_at:%m-%d}"},
                    subject_url(kind, subject_id),
                    due_at,
                )
            yield (f"review_step:{step_id}", step[1], user_id, step[2], step[3], step[4])


class MeetingReportsDue:
    """专题报告 is due 15 days after the meeting [002] 九: its unit's principal is reminded until sent."""

    name = "meeting_report"
    label = _("专题报告报送提醒")
    soon = datetime.timedelta(days=3)

    def due(self, now: datetime.datetime) -> Iterator[Due]:
        rows = (
            MeetingReport.objects.filter(status=ReportStatus.DRAFT, due_date__lte=(now + self.soon).date())
            .annotate(recipient=principal_user_of(OuterRef("unit")))
            .filter(recipient__isnull=False)
            .values_list("pk", "meeting_id", "recipient", "due_date", "unit__name")
            .order_by("pk")
        )
        for pk, meeting_id, user_id, due_date, unit_name in rows.iterator(chunk_size=2000):
            due_at = end_of_day(due_date)
            yield Due(
                object_key=f"meeting_report:{pk}",
                threshold=deadline_threshold(due_at, now, self.soon) or "due_soon",
                recipients=(user_id,),
                title=_("%(unit)s民主生活会专题报告，报送期限%(due)s")
                % {"unit": unit_name, "due": f"{due_date:%m-%d}"},
                url=reverse("materials:report", args=[meeting_id]),
                due_at=due_at,
            )


RULES = [ReviewStepsDue(), MeetingReportsDue()]


def _review_step(step_id: int) -> UrgeTarget | None:
    step = ReviewStep.objects.filter(pk=step_id, state=StepState.OPEN).select_related("review").first()
    if step is None:
        return None
    users = [r.user for r in step.reviewers.filter(is_open=True).select_related("user")]
    return UrgeTarget(
        unit_path=step.review.unit_path,
        recipients=users,
        title=_("《%(title)s》%(step)s") % {"title": step.review.title, "step": step.name},
        url=subject_url(step.review.subject_kind, step.review.subject_id),
    )


URGE_TARGETS = {"review_step": _review_step}

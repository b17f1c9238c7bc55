"""What waits on a 督导组 in materials: open review steps, meetings to attend, 专题报告 to read."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from materials.choices import StepState
from materials.meeting_choices import MeetingStatus, ReportStatus
from materials.meeting_models import Meeting, MeetingReport
from materials.models import ReviewStep
from materials.review import subject_url
from supervision.selectors import WorkItem
from supervision.sweeps import end_of_day


def items_for(*, group: Any, user_ids: list[int], units: list[Any]) -> list[WorkItem]:
    return _review_steps(user_ids) + _meetings_to_attend(units) + _reports_to_read(units)


def _meetings_to_attend(units: list[Any]) -> list[WorkItem]:
    """The 督导组 attends every 专题民主生活会 of the units it supervises [002] 六: approved, not yet held."""
    if not units:
        return []
    meetings = (
        Meeting.objects.filter(unit__in=units, status=MeetingStatus.PLAN_APPROVED)
        .select_related("unit")
        .order_by("planned_start", "pk")
    )
    return [
        WorkItem(
            kind=str(_("列席会议")),
            title=str(meeting),
            unit_name=meeting.unit.name,
            since=None,
            url=reverse("materials:meeting", args=[meeting.pk]),
            detail=_("计划%(day)s召开") % {"day": meeting.planned_start} if meeting.planned_start else "",
            due_at=end_of_day(meeting.planned_start) if meeting.planned_start else None,
        )
        for meeting in meetings
    ]


def _reports_to_read(units: list[Any]) -> list[WorkItem]:
    """专题报告 wait on the 督导组 to read them before they are filed with the 活动办 [002] 九."""
    if not units:
        return []
    reports = (
        MeetingReport.objects.filter(unit__in=units, status=ReportStatus.SUBMITTED)
        .select_related("unit", "meeting__unit")
        .order_by("submitted_at", "pk")
    )
    return [
        WorkItem(
            kind=str(_("待审阅")),
            title=str(report),
            unit_name=report.unit.name,
            since=report.submitted_at,
            url=reverse("materials:report", args=[report.meeting_id]),
            detail=str(_("专题报告")),
            due_at=end_of_day(report.due_date),
        )
        for report in reports
    ]


def _review_steps(user_ids: list[int]) -> list[WorkItem]:
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

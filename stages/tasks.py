"""Background work for stage 1: opinion imports and sorting large batches of opinions."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.audit import acting_as
from campaign.choices import JobStatus
from campaign.files import open_private
from campaign.models import Job
from campaign.tabular import TableError, read_table
from units.models import Unit

log = logging.getLogger(__name__)


def _claim(job_id: int) -> Job | None:
    """Only a queued job is claimed, so a task delivered twice runs once."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    return Job.objects.select_related("user").get(pk=job_id) if claimed else None


def _finish(job_id: int, status: str, **fields: Any) -> None:
    Job.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields)


@shared_task(acks_late=True)
def opinion_import_task(job_id: int) -> None:
    """Import one file of opinions; nothing is written from a file with errors unless asked."""
    from stages.imports import OPINION_COLUMNS, import_opinions

    job = _claim(job_id)
    if job is None:
        return

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        root = Unit.objects.get(pk=job.params["root_id"])
        with open_private(job.input_file) as stream:
            rows = read_table(stream, job.input_name, OPINION_COLUMNS)
        Job.objects.filter(pk=job_id).update(total=len(rows))
        with acting_as(job.user):
            report = import_opinions(
                actor=job.user,
                root=root,
                rows=rows,
                skip_errors=bool(job.params.get("skip_errors")),
                progress=progress,
            )
    except TableError as exc:
        _finish(job_id, JobStatus.FAILED, error=str(exc))
    except Exception:
        log.exception("opinion import job %s failed", job_id)
        _finish(job_id, JobStatus.FAILED, error=_("导入时发生系统错误，未导入任何数据。请联系管理员。"))
    else:
        _finish(job_id, JobStatus.DONE, result=report.as_dict(), done=len(rows), total=len(rows))


@shared_task(acks_late=True)
def opinion_grouping_task(job_id: int) -> None:
    """Sort a large batch of a unit's opinions into proposed groups."""
    from stages.services import opinion_grouping_run

    job = _claim(job_id)
    if job is None:
        return
    try:
        unit = Unit.objects.get(pk=job.params["unit_id"])
        with acting_as(job.user):
            groups = opinion_grouping_run(actor=job.user, unit=unit)
    except (ValidationError, PermissionDenied) as exc:
        _finish(job_id, JobStatus.FAILED, error="；".join(getattr(exc, "messages", [str(exc)])))
    except Exception:
        log.exception("opinion grouping job %s failed", job_id)
        _finish(job_id, JobStatus.FAILED, error=_("梳理时发生系统错误，未作任何改动。请联系管理员。"))
    else:
        summary = _("已提出 %(n)d 个建议归并的意见组，请逐组确认。") % {"n": len(groups)}
        _finish(job_id, JobStatus.DONE, result={"summary": summary, "groups": len(groups)}, done=1, total=1)

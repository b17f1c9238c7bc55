"""Background work for units: imports of the spreadsheets offices keep."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.audit import acting_as
from campaign.choices import JobStatus
from campaign.files import open_private
from campaign.models import Job
from campaign.tabular import TableError, read_table
from units.imports import IMPORT_KINDS

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def import_table_task(job_id: int) -> None:
    """Run one import job. Safe to run twice: only a queued job is claimed."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    if not claimed:
        return
    job = Job.objects.select_related("user").get(pk=job_id)
    spec = IMPORT_KINDS[job.kind]

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        with open_private(job.input_file) as stream:
            rows = read_table(stream, job.input_name, spec.columns)
        Job.objects.filter(pk=job_id).update(total=len(rows))
        with acting_as(job.user):
            report = spec.run(
                actor=job.user, rows=rows, skip_errors=bool(job.params.get("skip_errors")), progress=progress
            )
    except TableError as exc:
        _finish(job_id, JobStatus.FAILED, error=str(exc))
    except Exception:
        log.exception("import job %s failed", job_id)
        _finish(job_id, JobStatus.FAILED, error=_("导入时发生系统错误，未导入任何数据。请联系管理员。"))
    else:
        _finish(job_id, JobStatus.DONE, result=report.as_dict(), done=len(rows), total=len(rows))


def _finish(job_id: int, status: str, **fields: object) -> None:
    Job.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields)

"""Background work for rectification: the 台账 export of a large subtree and its re-import."""

from __future__ import annotations

import logging
import uuid

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.audit import acting_as
from campaign.choices import JobKind, JobStatus
from campaign.files import open_private, private_path
from campaign.models import Job
from campaign.tabular import TableError, read_table, write_xlsx
from rectification.ledger import LEDGER_COLUMNS, import_ledger, ledger_rows
from units.models import Unit

log = logging.getLogger(__name__)

LEDGER_IMPORT = JobKind.LEDGER_IMPORT
LEDGER_EXPORT = JobKind.LEDGER_EXPORT


def _claim(job_id: int) -> Job | None:
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    return Job.objects.select_related("user").get(pk=job_id) if claimed else None


def _finish(job_id: int, status: str, **fields: object) -> None:
    Job.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields)


@shared_task(acks_late=True)
def ledger_import_task(job_id: int) -> None:
    """Re-import progress from a 台账 file. Safe to run twice: only a queued job is claimed."""
    job = _claim(job_id)
    if job is None:
        return

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        with open_private(job.input_file) as stream:
            rows = read_table(stream, job.input_name, LEDGER_COLUMNS)
        Job.objects.filter(pk=job_id).update(total=len(rows))
        with acting_as(job.user):
            report = import_ledger(
                actor=job.user, rows=rows, skip_errors=bool(job.params.get("skip_errors")), progress=progress
            )
    except TableError as exc:
        _finish(job_id, JobStatus.FAILED, error=str(exc))
    except Exception:
        log.exception("ledger import job %s failed", job_id)
        _finish(job_id, JobStatus.FAILED, error=_("导入时发生系统错误，未导入任何数据。请联系管理员。"))
    else:
        _finish(job_id, JobStatus.DONE, result=report.as_dict(), done=len(rows), total=len(rows))


@shared_task(acks_late=True)
def ledger_export_task(job_id: int) -> None:
    """Write a subtree's 台账 to a private .xlsx the job's owner downloads."""
    job = _claim(job_id)
    if job is None:
        return
    try:
        unit = Unit.objects.get(code=job.params["unit"])
        header, rows = ledger_rows(job.user, unit, job.params.get("filters") or {})
        materialised = list(rows)
        content = write_xlsx(_("整改台账"), header, materialised)
        relative = f"rectification/exports/{uuid.uuid4().hex}.xlsx"
        target = private_path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except Exception:
        log.exception("ledger export job %s failed", job_id)
        _finish(job_id, JobStatus.FAILED, error=_("导出时发生系统错误。请联系管理员。"))
    else:
        _finish(
            job_id,
            JobStatus.DONE,
            result={
                "file": relative,
                "name": job.input_name,
                "summary": _("共导出 %(n)d 条整改事项。") % {"n": len(materialised)},
            },
            done=len(materialised),
            total=len(materialised),
        )

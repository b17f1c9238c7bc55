"""Background work for rectification: the 台账 export of a large subtree and its re-import."""

from __future__ import annotations

import logging
import uuid

from celery import shared_task
from django.utils.translation import gettext as _

from campaign.choices import JobKind, JobStatus
from campaign.files import private_path
from campaign.jobs import job_claim, job_finish, run_import_job
from campaign.tabular import write_xlsx
from rectification.ledger import LEDGER_COLUMNS, import_ledger, ledger_rows
from rectification.tallies import tally_refresh
from units.models import Unit

log = logging.getLogger(__name__)

LEDGER_IMPORT = JobKind.LEDGER_IMPORT
LEDGER_EXPORT = JobKind.LEDGER_EXPORT


@shared_task(acks_late=True)
def ledger_import_task(job_id: int) -> None:
    """Re-import progress from a 台账 file. Safe to run twice: only a queued job is claimed."""
    run_import_job(
        job_id,
        columns=lambda job: LEDGER_COLUMNS,
        run=lambda job, rows, progress: import_ledger(
            actor=job.user, rows=rows, skip_errors=bool(job.params.get("skip_errors")), progress=progress
        ),
    )


@shared_task(acks_late=True)
def ledger_export_task(job_id: int) -> None:
    """Write a subtree's 台账 to a private .xlsx the job's owner downloads."""
    job = job_claim(job_id)
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
        job_finish(job_id, JobStatus.FAILED, error=_("导出时发生系统错误。请联系管理员。"))
    else:
        job_finish(
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


@shared_task
def tally_refresh_task() -> dict[str, int]:
    """Recount the units whose items changed since the last run (all of them on a new day)."""
    return tally_refresh()

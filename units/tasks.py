"""Background work for units: imports of the spreadsheets offices keep."""

from __future__ import annotations

from celery import shared_task

from campaign.jobs import run_import_job
from units.imports import IMPORT_KINDS


@shared_task(acks_late=True)
def import_table_task(job_id: int) -> None:
    """Run one import job. Safe to run twice: only a queued job is claimed."""
    run_import_job(
        job_id,
        columns=lambda job: IMPORT_KINDS[job.kind].columns,
        run=lambda job, rows, progress: IMPORT_KINDS[job.kind].run(
            actor=job.user, rows=rows, skip_errors=bool(job.params.get("skip_errors")), progress=progress
        ),
    )

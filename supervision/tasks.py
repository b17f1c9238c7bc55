"""Periodic work of the reminders: Celery beat runs one sweep every few minutes."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from supervision.sweeps import sweep

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def sweep_reminders_task() -> dict[str, int]:
    """Find what is due, write the ledger, send digests. Safe to run twice or concurrently."""
    result = sweep()
    log.info("reminder sweep: %s due, %s sent in %s digests", result.found, result.sent, result.digests)
    return {"found": result.found, "sent": result.sent, "digests": result.digests}


@worker_ready.connect
def _sweep_at_start(sender: Any = None, **kwargs: Any) -> None:
    # After a restart or an outage, catch up at once rather than at the next beat tick.
    sweep_reminders_task.delay()


@shared_task(acks_late=True)
def monthly_report_task(job_id: int) -> None:
    """Write a unit's 月度工作进展报告 for the job's owner. Safe to run twice."""
    from campaign.jobs import run_file_job
    from supervision.monthly import build_monthly_report

    run_file_job(job_id, build_monthly_report)


@shared_task(acks_late=True)
def evaluation_report_task(job_id: int) -> None:
    """Write a 督导组's 纪实评价 report for the job's owner. Safe to run twice."""
    from campaign.jobs import run_file_job
    from supervision.evaluation import build_evaluation_report

    run_file_job(job_id, build_evaluation_report)

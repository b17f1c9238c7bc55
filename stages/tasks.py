"""Background work for stage 1: opinion imports and sorting large batches of opinions."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from campaign.audit import acting_as
from campaign.choices import JobStatus
from campaign.jobs import job_claim, job_finish, run_import_job
from units.models import Unit

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def opinion_import_task(job_id: int) -> None:
    """Import one file of opinions; nothing is written from a file with errors unless asked."""
    from stages.imports import OPINION_COLUMNS, import_opinions

    run_import_job(
        job_id,
        columns=lambda job: OPINION_COLUMNS,
        run=lambda job, rows, progress: import_opinions(
            actor=job.user,
            root=Unit.objects.get(pk=job.params["root_id"]),
            rows=rows,
            skip_errors=bool(job.params.get("skip_errors")),
            progress=progress,
        ),
    )


@shared_task(acks_late=True)
def opinion_grouping_task(job_id: int) -> None:
    """Sort a large batch of a unit's opinions into proposed groups."""
    from stages.services import opinion_grouping_run

    job = job_claim(job_id)
    if job is None:
        return
    try:
        unit = Unit.objects.get(pk=job.params["unit_id"])
        with acting_as(job.user):
            groups = opinion_grouping_run(actor=job.user, unit=unit)
    except (ValidationError, PermissionDenied) as exc:
        job_finish(job_id, JobStatus.FAILED, error="；".join(getattr(exc, "messages", [str(exc)])))
    except Exception:
        log.exception("opinion grouping job %s failed", job_id)
        job_finish(job_id, JobStatus.FAILED, error=_("梳理时发生系统错误，未作任何改动。请联系管理员。"))
    else:
        summary = _("已提出 %(n)d 个建议归并的意见组，请逐组确认。") % {"n": len(groups)}
        job_finish(
            job_id, JobStatus.DONE, result={"summary": summary, "groups": len(groups)}, done=1, total=1
        )

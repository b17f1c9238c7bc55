"""The life of a background Job inside a Celery task: claim, report progress, finish, expire.

A task claims a queued job by compare-and-set (so running it twice does nothing), reports
progress as it goes, and ends either with a file kept under PRIVATE_MEDIA_ROOT for
``JOB_FILE_RETENTION_DAYS`` days or with a Chinese reason for the failure.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.audit import acting_as
from campaign.choices import JobStatus
from campaign.files import open_private, private_path
from campaign.models import Job
from campaign.tabular import Column, Row, TableError, read_table

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class JobError(Exception):
    """A failure whose message is shown to the user as it is."""


def job_claim(job_id: int) -> Job | None:
    """Only a queued job is claimed, so a task delivered twice runs once."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    return Job.objects.select_related("user").get(pk=job_id) if claimed else None


def job_progress(job_id: int) -> Progress:
    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total)

    return progress


def job_finish(job_id: int, status: str, **fields: Any) -> None:
    Job.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields)


def run_file_job(
    job_id: int,
    build: Callable[[Job, Progress], tuple[bytes, str, str, str]],
) -> None:
    """Run ``build(job, progress)`` → (content, file name, content type, summary) for a queued job.

    Safe to run twice: only a queued job is claimed.
    """
    job = job_claim(job_id)
    if job is None:
        return
    progress = job_progress(job_id)
    try:
        with acting_as(job.user):
            content, name, content_type, summary = build(job, progress)
        suffix = name.rsplit(".", 1)[-1][:8] if "." in name else "bin"
        relative = f"jobs/output/{uuid.uuid4().hex}.{suffix}"
        target = private_path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except JobError as exc:
        job_finish(job_id, JobStatus.FAILED, error=str(exc))
    except Exception:
        log.exception("job %s failed", job_id)
        job_finish(job_id, JobStatus.FAILED, error=_("生成文件时发生系统错误。请联系管理员。"))
    else:
        job.refresh_from_db(fields=["total"])
        job_finish(
            job_id,
            JobStatus.DONE,
            result={"file": relative, "name": name, "content_type": content_type, "summary": summary},
            done=max(job.total, 1),
            total=max(job.total, 1),
        )


def run_import_job(
    job_id: int,
    *,
    columns: Callable[[Job], Sequence[Column]],
    run: Callable[[Job, list[Row], Progress], Any],
) -> None:
    """Read a queued import job's uploaded table and hand its rows to ``run(job, rows, progress)``,
    which returns a report with ``as_dict()``. A file that cannot be read, or any error, fails the
    job with a Chinese reason; the importers write nothing from a failed run.
    """
    job = job_claim(job_id)
    if job is None:
        return
    try:
        with open_private(job.input_file) as stream:
            rows = read_table(stream, job.input_name, columns(job))
        Job.objects.filter(pk=job_id).update(total=len(rows))
        with acting_as(job.user):
            report = run(job, rows, job_progress(job_id))
    except TableError as exc:
        job_finish(job_id, JobStatus.FAILED, error=str(exc))
    except Exception:
        log.exception("import job %s failed", job_id)
        job_finish(job_id, JobStatus.FAILED, error=_("导入时发生系统错误，未导入任何数据。请联系管理员。"))
    else:
        job_finish(job_id, JobStatus.DONE, result=report.as_dict(), done=len(rows), total=len(rows))


def jobs_expire(now: datetime.datetime | None = None) -> int:
    """Delete the files of jobs finished more than JOB_FILE_RETENTION_DAYS ago; mark them expired.

    Returns how many output files expired.

    Safe to run twice: an expired job is not looked at again, and a missing file is fine.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.JOB_FILE_RETENTION_DAYS)
    expired = 0
    for job in Job.objects.filter(status=JobStatus.DONE, finished_at__lt=cutoff).only("pk", "result"):
        relative = (job.result or {}).get("file")
        if not relative:
            continue
        try:
            private_path(relative).unlink(missing_ok=True)
        except OSError:
            log.exception("could not delete the file of job %s", job.pk)
            continue
        result = dict(job.result)
        result.pop("file", None)
        result["expired_file"] = relative
        Job.objects.filter(pk=job.pk, status=JobStatus.DONE).update(status=JobStatus.EXPIRED, result=result)
        expired += 1
    # Uploaded input files of finished imports go too; their report stays on the job.
    finished = [JobStatus.DONE, JobStatus.FAILED, JobStatus.EXPIRED]
    for job in Job.objects.filter(status__in=finished, finished_at__lt=cutoff).exclude(input_file=""):
        try:
            private_path(job.input_file).unlink(missing_ok=True)
        except OSError:
            log.exception("could not delete the upload of job %s", job.pk)
            continue
        Job.objects.filter(pk=job.pk).update(input_file="")
    return expired

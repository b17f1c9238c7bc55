"""The jobs centre: the user's own jobs, downloads by the owner only, files expire."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from campaign.choices import JobKind, JobStatus
from campaign.files import private_path
from campaign.jobs import JobError, jobs_expire, run_file_job
from campaign.models import Job
from campaign.tasks import expire_job_files_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def finished_job(user, content=b"PK-docx", name="报告.docx"):
    job = Job.objects.create(kind=JobKind.MONTHLY_REPORT, user=user)

    def build(job, progress):
        progress(1, 2)
        assert Job.objects.get(pk=job.pk).done == 1  # progress is visible while the job runs
        return (
            content,
            name,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "完成",
        )

    run_file_job(job.pk, build)
    job.refresh_from_db()
    return job


def test_a_file_job_ends_in_a_file_only_its_owner_downloads(world, as_user):
    job = finished_job(world.user("office"))
    assert job.status == JobStatus.DONE and job.percent == 100 and job.has_file
    client = as_user("office")
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK-docx"
    assert "attachment" in response["Content-Disposition"] and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    for role in ("office_b", "supervisor", "principal", "superuser"):
        assert as_user(role).get(f"/jobs/{job.pk}/download/").status_code == 404, role
        assert as_user(role).get(f"/jobs/{job.pk}/").status_code == 404, role
    assert as_user("anonymous").get(f"/jobs/{job.pk}/download/").status_code == 302


def test_running_twice_does_nothing_and_failures_say_why(world):
    job = finished_job(world.user("office"))
    first = job.result["file"]
    run_file_job(job.pk, lambda job, progress: (b"x", "x.docx", "", ""))
    job.refresh_from_db()
    assert job.result["file"] == first

    failed = Job.objects.create(kind=JobKind.MONTHLY_REPORT, user=world.user("office"))

    def refuse(job, progress):
        raise JobError("该单位尚未参加本次活动。")

    run_file_job(failed.pk, refuse)
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED and failed.error == "该单位尚未参加本次活动。"

    crashed = Job.objects.create(kind=JobKind.MONTHLY_REPORT, user=world.user("office"))
    run_file_job(crashed.pk, lambda job, progress: 1 / 0)  # type: ignore[arg-type,return-value]
    crashed.refresh_from_db()
    assert crashed.status == JobStatus.FAILED and "系统错误" in crashed.error


def test_jobs_page_lists_only_my_jobs_with_link_and_error(world, as_user, django_assert_max_num_queries):
    mine = finished_job(world.user("office"))
    Job.objects.create(
        kind=JobKind.LEDGER_EXPORT,
        user=world.user("office"),
        status=JobStatus.FAILED,
        error="导出时发生系统错误。",
    )
    running = Job.objects.create(kind=JobKind.UNITS_IMPORT, user=world.user("office"), done=3, total=4)
    other = finished_job(world.user("office_b"))
    client = as_user("office")
    for _ in range(30):
        Job.objects.create(kind=JobKind.UNITS_IMPORT, user=world.user("office"), status=JobStatus.DONE)
    # session, user, count, one page of jobs
    with django_assert_max_num_queries(6):
        page = client.get("/jobs/").content.decode()
    assert f"/jobs/{mine.pk}/download/" in page and "导出时发生系统错误。" in page
    assert f"/jobs/{running.pk}/" in page and "75%" in page and "data-jobs-live" in page
    assert f"/jobs/{other.pk}/" not in page
    assert 'href="/jobs/"' in page  # the header links to the jobs centre
    detail = client.get(f"/jobs/{mine.pk}/", HTTP_ACCEPT="application/json").json()
    assert detail["finished"] and detail["download_url"] == f"/jobs/{mine.pk}/download/"
    assert as_user("anonymous").get("/jobs/").status_code == 302


def test_expired_files_are_deleted_and_the_download_says_so(world, as_user, settings):
    settings.JOB_FILE_RETENTION_DAYS = 7
    old = finished_job(world.user("office"))
    fresh = finished_job(world.user("office"))
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    path = private_path(old.result["file"])
    assert path.exists()
    upload = private_path("jobs/old-upload.csv")
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"a,b")
    imported = Job.objects.create(
        kind=JobKind.UNITS_IMPORT,
        user=world.user("office"),
        status=JobStatus.DONE,
        input_name="单位.csv",
        input_file="jobs/old-upload.csv",
        result={"summary": "导入2个单位"},
        finished_at=timezone.now() - datetime.timedelta(days=9),
    )
    assert expire_job_files_task.delay().get() == 1
    assert jobs_expire() == 0  # safe to run twice
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == JobStatus.EXPIRED and not path.exists() and not old.has_file
    assert fresh.status == JobStatus.DONE and private_path(fresh.result["file"]).exists()
    imported.refresh_from_db()
    assert not upload.exists() and imported.input_file == "" and imported.status == JobStatus.DONE
    response = as_user("office").get(f"/jobs/{old.pk}/download/")
    assert response.status_code == 410 and "已超过保留期限" in response.content.decode()
    assert "文件已过期" in as_user("office").get("/jobs/").content.decode()


def test_the_sweep_is_on_the_beat_schedule(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert any(entry["task"] == "campaign.tasks.expire_job_files_task" for entry in schedule.values())

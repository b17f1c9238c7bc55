"""Background jobs on a real Celery worker, on whichever broker is configured.

The first CI pass runs this on kombu's filesystem broker (what `make run`
uses); the second pass sets CELERY_BROKER_URL=redis://… and runs it again on
the local Redis.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from campaign.celery import app
from campaign.choices import JobStatus
from campaign.models import Job
from tests.conftest import build_world
from units import services
from units.models import Unit


@pytest.fixture
def real_worker(transactional_db):
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield
    app.conf.task_always_eager = True


def wait_for(job, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.status} after {seconds}s")


def run_import_on_worker():
    world = build_world()
    office = world.user("office")
    text = "单位编码,单位名称,单位类型,上级单位编码\nW01,甲县新区街道,街道,A00\nW01001,新区社区,社区,W01\n"
    job = services.import_start(
        actor=office,
        kind="units_import",
        upload=SimpleUploadedFile("新单位.csv", text.encode()),
        skip_errors=False,
    )
    job = wait_for(job)
    assert job.status == JobStatus.DONE, job.error
    assert job.result["created"] == 2 and job.percent == 100
    unit = Unit.objects.get(code="W01001")
    assert unit.history.get().history_user == office
    return job


def test_import_job_runs_on_a_real_worker(real_worker):
    run_import_on_worker()


@pytest.mark.redis
def test_the_second_pass_really_uses_redis(real_worker):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert app.connection_for_write().transport.driver_type == "redis"
    run_import_on_worker()


def test_running_a_job_twice_does_nothing_the_second_time(db):
    from units.tasks import import_table_task

    world = build_world()
    text = "单位编码,单位名称,单位类型,上级单位编码\nW02,甲县又一镇,镇,A00\n"
    job = services.import_start(
        actor=world.user("office"),
        kind="units_import",
        upload=SimpleUploadedFile("u.csv", text.encode()),
        skip_errors=False,
    )
    import_table_task(job.pk)
    import_table_task(job.pk)  # a redelivered message finds the job no longer queued
    assert Unit.objects.filter(code="W02").count() == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE


def test_an_unreadable_file_fails_the_job_with_a_reason(db):
    from units.tasks import import_table_task

    world = build_world()
    job = services.import_start(
        actor=world.user("office"),
        kind="units_import",
        upload=SimpleUploadedFile("坏.xlsx", b"not a zip"),
        skip_errors=False,
    )
    import_table_task(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "无法读取该 Excel 文件" in job.error

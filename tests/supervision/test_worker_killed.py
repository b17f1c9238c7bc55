"""A Celery worker killed (SIGKILL) in the middle of a reminder sweep and started again: every due
reminder reaches its recipient exactly once — none lost, none doubled.

The sweep claims unsent ledger rows, then writes the digests of a batch of people and marks their
rows sent in one transaction; rows claimed by a sweep that died are taken over once the claim is older than
REMINDER_STALE_CLAIM_SECONDS (2 s here, 10 min by default). Runs with a real worker process on
Redis (second CI pass).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from campaign.celery import app
from supervision.choices import Threshold
from supervision.models import Notification, ReminderLedger

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
RECIPIENTS = 1500
STALE_SECONDS = 2
DIGEST_BATCH = 10  # people per digest transaction: small, so the kill lands mid-sweep


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REMINDER_STALE_CLAIM_SECONDS": str(STALE_SECONDS),
        "REMINDER_DIGEST_BATCH": str(DIGEST_BATCH),
        "DJANGO_SETTINGS_MODULE": "campaign.settings",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "campaign",
        "worker",
        "--pool=solo",
        "--loglevel=WARNING",
    ]
    command += [
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"kill-{uuid.uuid4().hex[:6]}@%h",
    ]
    return subprocess.Popen(command, env=env, cwd=Path(settings.BASE_DIR), start_new_session=True)


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_a_worker_killed_mid_sweep_loses_and_doubles_nothing():
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")  # no task left over from an earlier run
    User = get_user_model()
    User.objects.bulk_create(User(username=f"kill-test-{n}") for n in range(RECIPIENTS))
    users = list(User.objects.filter(username__startswith="kill-test-").values_list("pk", flat=True))
    ReminderLedger.objects.bulk_create(
        ReminderLedger(
            rule="test", object_key=f"item:{pk}", threshold=Threshold.DUE, recipient_id=pk, title=f"事项 {pk}"
        )
        for pk in users
    )
    worker = start_worker()  # sweeps at once on start (worker_ready)
    try:
        wait_for(lambda: Notification.objects.exists(), 90, "the first digest")
        os.killpg(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    sent = ReminderLedger.objects.filter(sent_at__isnull=False).count()
    assert 0 < sent < RECIPIENTS, f"the kill came after the sweep ({sent} sent): raise RECIPIENTS"
    # Killed at any point: each digest and the rows it marks sent are there together, or neither.
    assert Notification.objects.count() == sent
    assert not ReminderLedger.objects.filter(sent_at__isnull=False, notification__isnull=True).exists()
    held = ReminderLedger.objects.filter(sent_at__isnull=True, claimed_by__isnull=False).count()
    assert held == RECIPIENTS - sent  # the dead sweep's claim on the rest

    time.sleep(STALE_SECONDS + 0.5)
    worker = start_worker()
    try:
        wait_for(
            lambda: not ReminderLedger.objects.filter(sent_at__isnull=True).exists(),
            180,
            "the catch-up sweep",
        )
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    assert ReminderLedger.objects.filter(sent_at__isnull=False).count() == RECIPIENTS
    assert Notification.objects.count() == RECIPIENTS
    per_user = Notification.objects.values("user").distinct().count()
    assert per_user == RECIPIENTS  # one digest each: nobody got his reminder twice

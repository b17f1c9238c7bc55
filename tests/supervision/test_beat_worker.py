"""From the beat schedule, through a real worker on the configured broker, to a user's inbox.

Runs on kombu's filesystem broker in the first CI pass and on Redis in the second.
"""

import datetime
import time

import pytest
from celery.beat import Scheduler
from celery.contrib.testing.worker import start_worker
from django.apps import apps

from campaign.celery import app
from materials.standard_chains import install
from supervision.models import Notification
from tests.factories import root_admin
from tests.materials.conftest import account
from tests.materials.helpers import write_and_submit
from units import demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_beat_tick_puts_a_digest_in_the_reviewers_inbox(settings):
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 10)
    install(apps)
    context = demo.seed(root_admin())
    secretary = account("P410922-SJ")
    app.conf.task_always_eager = False
    configured = app.conf.beat_schedule
    app.conf.beat_schedule = {
        "reminder-sweep": {"task": "supervision.tasks.sweep_reminders_task", "schedule": 0.5},
    }
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            # The material arrives after the worker's start-up sweep, so only beat can find it.
            write_and_submit(context.campaign, "P410922-ZZB", "410922")
            settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)  # the step is overdue now
            scheduler = Scheduler(app=app, lazy=False)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not Notification.objects.filter(user=secretary).exists():
                scheduler.tick()
                time.sleep(0.5)
    finally:
        app.conf.task_always_eager = True
        app.conf.beat_schedule = configured
    notice = Notification.objects.get(user=secretary)
    assert "催办提醒" in notice.title and "郭长青同志个人对照检查材料" in notice.body

"""Two workers sweeping at the same moment send each reminder once (PostgreSQL, real threads)."""

import datetime
import threading

import pytest
from django.apps import apps
from django.db import connections

from materials.standard_chains import install
from supervision.models import Notification, ReminderLedger
from supervision.sweeps import sweep
from tests.factories import root_admin
from tests.materials.conftest import account
from tests.materials.helpers import write_and_submit
from units import demo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_sweeps_send_each_reminder_once(settings):
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 10)
    install(apps)
    context = demo.seed(root_admin())
    secretary = account("P410922-SJ")
    for code in ("P410922-ZZB", "P410922-XCB", "P410922-CW"):
        write_and_submit(context.campaign, code, "410922")
    now = datetime.datetime(2014, 6, 17, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    barrier = threading.Barrier(6)
    results = []

    def run() -> None:
        try:
            barrier.wait(timeout=20)
            results.append(sweep(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.sent for r in results) == 3
    assert ReminderLedger.objects.filter(recipient=secretary).count() == 3
    assert Notification.objects.filter(user=secretary).count() == sum(r.digests for r in results) >= 1
    assert not ReminderLedger.objects.filter(sent_at__isnull=True).exists()

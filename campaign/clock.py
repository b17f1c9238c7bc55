"""The campaign's sense of "today".

Deadlines, lateness, stage windows and reminders ask this module, never
``timezone.now()`` directly, so that tests control time and a demo of the 2014
campaign can be shown "as of" a day in 2014 (CAMPAIGN_CLOCK_DATE). Audit
timestamps keep using the real time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone


def today() -> datetime.date:
    fixed = getattr(settings, "CAMPAIGN_CLOCK_DATE", None)
    return fixed or timezone.localdate()


def now() -> datetime.datetime:
    """An aware datetime on ``today()`` at the current time of day, in Asia/Shanghai."""
    real = timezone.localtime()
    fixed = getattr(settings, "CAMPAIGN_CLOCK_DATE", None)
    if not fixed:
        return real
    return real.replace(year=fixed.year, month=fixed.month, day=fixed.day)

"""Periodic work of the campaign app: dashboards computed ahead of time, expired job files."""

from __future__ import annotations

import logging

from celery import shared_task

from campaign.jobs import jobs_expire

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def dashboard_warm_task() -> int:
    """Recompute the cached figures of each campaign's organising unit and of its children (the
    province and its cities), so that their dashboards open from the cache. Reads only; safe to
    run twice or concurrently. Does nothing when DASHBOARD_CACHE_SECONDS is 0."""
    from campaign.dashboard import cache_seconds, warm
    from campaign.models import Campaign
    from units.models import Unit

    if not cache_seconds():
        return 0
    warmed = 0
    for campaign in Campaign.objects.select_related("root_unit"):
        root = campaign.root_unit
        units = [root, *Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1, is_active=True)]
        for unit in units:
            warm(campaign, unit)
            warmed += 1
    log.info("dashboard warm-up: %s dashboards", warmed)
    return warmed


@shared_task(acks_late=True)
def expire_job_files_task() -> int:
    """Delete output files kept past JOB_FILE_RETENTION_DAYS; safe to run twice."""
    return jobs_expire()

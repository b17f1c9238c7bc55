"""Reads on the campaign and on background jobs."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from campaign.models import Campaign, Job
from units.access import scope_for
from units.models import Unit

STEP = Unit.steplen


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    """A campaign is visible to anyone whose scope overlaps the tree of its organising unit."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Campaign.objects.select_related("root_unit")
    query = Q(pk__in=[])
    for grant in scope.grants:
        ancestors_or_self = [grant.path[:i] for i in range(STEP, len(grant.path) + 1, STEP)]
        query |= Q(root_unit__path__in=ancestors_or_self) | Q(root_unit__path__startswith=grant.path)
    return Campaign.objects.filter(query).select_related("root_unit")


def job_get_own(user: Any, pk: int) -> Job:
    """A job is shown only to the user who started it."""
    job = Job.objects.filter(pk=pk, user_id=user.pk).first()
    if job is None:
        raise Http404
    return job


def jobs_of(user: Any) -> QuerySet[Job]:
    return Job.objects.filter(user_id=user.pk)

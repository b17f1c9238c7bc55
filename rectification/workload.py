"""What waits on a 督导组 in rectification: items whose owners asked for 销号 in its units."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign import clock
from rectification.choices import ItemStatus
from rectification.models import RectificationItem
from supervision.selectors import WorkItem


def items_for(*, group: Any, user_ids: list[int], units: list[Any]) -> list[WorkItem]:
    if not units:
        return []
    under = Q()
    for unit in units:
        under |= Q(unit_path__startswith=unit.path)
    items = (
        RectificationItem.objects.filter(under, status=ItemStatus.CLOSE_REQUESTED)
        .select_related("unit")
        .order_by("last_progress_on", "pk")
    )
    tz = clock.now().tzinfo
    return [
        WorkItem(
            kind=str(_("待销号")),
            title=item.problem[:60],
            unit_name=item.unit.name,
            since=datetime.datetime.combine(
                item.last_progress_on or item.opened_on, datetime.time(9), tzinfo=tz
            ),
            url=reverse("rectification:item", args=[item.pk]),
            detail=str(_("申请销号")),
        )
        for item in items[:200]
    ]

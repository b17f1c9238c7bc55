"""Reminders for rectification: items nearing and past their deadline (限期办), to their leader."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import BigIntegerField, OuterRef
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign import clock
from campaign.links import url_maker
from rectification.choices import WORKING_STATUSES
from rectification.models import RectificationItem
from supervision.sweeps import (
    CHUNK,
    Due,
    Row,
    UrgeTarget,
    deadline_threshold,
    due_from_rows,
    end_of_day,
)
from units.choices import PostRole
from units.models import Post
from units.selectors import principal_user_of

# "临期" is three days before the deadline, as the 台账's yellow warning.
SOON = datetime.timedelta(days=3)


class ItemsDue:
    name = "rectification_item"
    label = _("整改事项到期提醒")

    def due(self, now: datetime.datetime) -> Iterator[Due]:
        return due_from_rows(self.rows(now))

    def rows(self, now: datetime.datetime) -> Iterator[Row]:
        """The responsible leader is reminded, or the unit's principal when no leader is named."""
        rows = (
            RectificationItem.objects.filter(status__in=WORKING_STATUSES, deadline__lte=(now + SOON).date())
            .annotate(
                recipient=Coalesce(
                    "responsible_leader__user_id",
                    principal_user_of(OuterRef("unit")),
                    output_field=BigIntegerField(),
                )
            )
            .filter(recipient__isnull=False)
            .values_list("pk", "recipient", "deadline", "problem", "unit__name")
            .order_by("pk")
        )
        title = _("%(unit)s整改事项“%(p)s”，时限%(d)s")
        url = url_maker("rectification:item")
        ends: dict[datetime.date, tuple[datetime.datetime, str, str]] = {}
        for pk, user_id, deadline, problem, unit_name in rows.iterator(chunk_size=CHUNK):
            assert deadline is not None  # filtered on deadline__lte
            end = ends.get(deadline)
            if end is None:
                due_at = end_of_day(deadline)
                threshold = deadline_threshold(due_at, now, SOON) or "due_soon"
                end = ends[deadline] = (due_at, threshold, f"{deadline:%m-%d}")
            due_at, threshold, day = end
            yield (
                f"rectification_item:{pk}",
                threshold,
                user_id,
                title % {"unit": unit_name, "p": problem[:30], "d": day},
                url(pk),
                due_at,
            )


def _item(item_id: int) -> UrgeTarget | None:
    item = (
        RectificationItem.objects.filter(pk=item_id, status__in=WORKING_STATUSES)
        .select_related("responsible_leader__user", "unit")
        .first()
    )
    if item is None:
        return None
    leader = (
        item.responsible_leader.user if item.responsible_leader and item.responsible_leader.user_id else None
    )
    if leader is None:
        principal = (
            Post.objects.active(clock.today())
            .filter(unit=item.unit, role=PostRole.PRINCIPAL)
            .select_related("person__user")
            .first()
        )
        leader = principal.person.user if principal and principal.person.user_id else None
    return UrgeTarget(
        unit_path=item.unit_path,
        recipients=[leader] if leader else [],
        title=_("整改事项“%(p)s”") % {"p": item.problem[:40]},
        url=reverse("rectification:item", args=[item.pk]),
    )


RULES = [ItemsDue()]
URGE_TARGETS = {"rectification_item": _item}

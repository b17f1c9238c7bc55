"""The monthly reminder: each 县（区）and 市直单位 secretary hears his lower organisations' report
at least once a month [002] 四(一); from the 20th, those who have not yet done so are reminded."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from campaign.models import Campaign
from supervision.models import ReportHearing
from supervision.sweeps import Due
from units.choices import Level, PostRole, UnitCategory, UnitKind
from units.models import Post

REMIND_FROM_DAY = 20


class MonthlyHearingDue:
    name = "monthly_hearing"
    label = _("每月专题听取汇报")

    def due(self, now: datetime.datetime) -> Iterator[Due]:
        today = now.date()
        if (
            today.day < REMIND_FROM_DAY
            or not Campaign.objects.filter(start_date__lte=today, end_date__gte=today).exists()
        ):
            return
        month_start = today.replace(day=1)
        heard = ReportHearing.objects.filter(unit=OuterRef("unit"), date__gte=month_start, date__lte=today)
        secretaries = (
            Post.objects.active(today)
            .filter(role=PostRole.PRINCIPAL, person__user__isnull=False)
            .filter(
                Q(unit__kind=UnitKind.COUNTY) | Q(unit__category=UnitCategory.DIRECT, unit__level=Level.CITY)
            )
            .filter(~Exists(heard))
            .values_list("unit_id", "unit__name", "person__user_id")
            .order_by("unit_id")
        )
        for unit_id, unit_name, user_id in secretaries.iterator(chunk_size=2000):
            yield Due(
                object_key=f"hearing:{unit_id}:{month_start:%Y-%m}",
                threshold="periodic",
                recipients=(user_id,),
                title=_("%(unit)s：本月尚未专题听取下级党组织负责人开展教育实践活动的汇报")
                % {"unit": unit_name},
                url="",
            )


RULES = [MonthlyHearingDue()]

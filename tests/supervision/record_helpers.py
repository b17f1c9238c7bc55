"""A small record for county A of the test world: materials with returns, a rated meeting and
its briefing, 整改 items, an 约谈 — what 纪实评价 and the monthly report count."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from materials.choices import ActionKind, MaterialKind, MaterialStatus, ReviewStatus
from materials.meeting_choices import MeetingKind, MeetingRating, MeetingStatus
from materials.meeting_models import Briefing, Meeting
from materials.models import ChainTemplate, Material, Review, ReviewAction
from rectification.choices import ItemStatus, ListKind
from rectification.models import RectificationItem
from supervision.models import Accountability
from units.models import Person, Post

D = datetime.date
_SUBJECT_IDS = itertools.count(1)


def leaders(unit: Any) -> list[Person]:
    return [
        p.person for p in Post.objects.filter(unit=unit).select_related("person").order_by("sort_order", "pk")
    ]


def _material(world: Any, unit: Any, kind: str, person: Person | None, status: str, returns: int) -> Material:
    template, _ = ChainTemplate.objects.get_or_create(code="test-chain", defaults={"name": "测试流程"})
    author = person or leaders(unit)[0]
    review = Review.objects.create(
        unit=unit,
        unit_path=unit.path,
        campaign=world.campaign,
        subject_kind="material",
        subject_id=next(_SUBJECT_IDS),
        title="材料",
        author=author,
        template=template,
        status=ReviewStatus.APPROVED if status == MaterialStatus.APPROVED else ReviewStatus.IN_REVIEW,
        submitted_at=timezone.now(),
    )
    for n in range(returns):
        ReviewAction.objects.create(review=review, round=n + 1, kind=ActionKind.RETURN_REVISE, opinion="再改")
    ReviewAction.objects.create(review=review, round=1, kind=ActionKind.PASS)
    return Material.objects.create(
        unit=unit,
        unit_path=unit.path,
        campaign=world.campaign,
        kind=kind,
        subject_person=person,
        author=author,
        title=f"{unit.name}{'班子' if person is None else person.name}对照检查材料",
        status=status,
        review=review,
    )


def item(unit: Any, *, person: Person | None = None, status: str = ItemStatus.OPEN, **extra: Any) -> Any:
    fields = {
        "unit": unit,
        "unit_path": unit.path,
        "area_path": unit.path,
        "kind": ListKind.PERSONAL if person else ListKind.TEAM,
        "person": person,
        "problem": "问题",
        "measure": "措施",
        "target": "目标",
        "responsible_unit": "县委办",
        "handling": "deadline",
        "deadline": D(2014, 7, 31),
        "status": status,
        "opened_on": D(2014, 6, 1),
    }
    fields.update(extra)
    return RectificationItem.objects.create(**fields)


def build_record(world: Any) -> dict[str, Any]:
    """County A: 班子 material approved after 2 returns; the secretary's approved after 1;
    the member's in review; meeting rated 较好; briefing 26/30 satisfied; 4 team items of
    which 1 closed (plus 1 withdrawn, not counted); the member has 2 items, 1 closed; one 约谈."""
    unit = world.county_a
    secretary, member = leaders(unit)
    _material(world, unit, MaterialKind.BODY, None, MaterialStatus.APPROVED, 2)
    _material(world, unit, MaterialKind.PERSONAL, secretary, MaterialStatus.APPROVED, 1)
    _material(world, unit, MaterialKind.PERSONAL, member, MaterialStatus.IN_REVIEW, 0)
    meeting = Meeting.objects.create(
        unit=unit,
        unit_path=unit.path,
        campaign=world.campaign,
        kind=MeetingKind.DEMOCRATIC_LIFE,
        status=MeetingStatus.EVALUATED,
        held_start=D(2014, 6, 10),
        rating=MeetingRating.FAIR,
        evaluation="准备充分",
    )
    Briefing.objects.create(
        unit=unit,
        unit_path=unit.path,
        campaign=world.campaign,
        meeting=meeting,
        held_on=D(2014, 6, 12),
        content="通报",
        respondents=30,
        satisfied=26,
        status="passed",
    )
    item(unit, status=ItemStatus.CLOSED, closed_on=D(2014, 6, 15))
    item(unit, deadline=D(2014, 6, 10))  # overdue on 2014-06-20
    item(unit)
    item(unit, status=ItemStatus.WITHDRAWN)
    item(unit, person=member, status=ItemStatus.CLOSED, closed_on=D(2014, 6, 18))
    item(unit, person=member)
    Accountability.objects.create(
        unit=unit,
        unit_path=unit.path,
        person=member,
        kind="talk",
        date=D(2014, 6, 5),
        reason="材料撰写敷衍",
        recorded_by=world.user("office"),
    )
    return {"secretary": secretary, "member": member, "meeting": meeting}

"""Reads on 谈心谈话 and 拟批评意见.

The required talks ("四必谈", [002] 三4) are never stored: ``talk_coverage`` derives them from
the posts active on the day it is asked, so a member who leaves drops out and a newcomer's
talks show as missing, and matches them with the recorded talks — for any number of units in
six queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from campaign import clock
from materials.chains import group_seats, supervision_groups_for
from materials.meeting_choices import CriticismListStatus, MeetingKind, TalkKind, TalkStatus
from materials.meeting_models import CriticismList, PlannedCriticism, Talk
from materials.models import ReviewStepReviewer
from units.access import scope_for
from units.choices import GRASSROOTS_KINDS, LEADERSHIP_ROLES, PostRole, Role, UnitCategory, UnitKind
from units.models import OrgMembership, Person, Post, Unit

READ_ROLES = [Role.OFFICE, Role.OVERSIGHT, Role.SUPERVISOR, Role.PRINCIPAL]
FIRST_BATCH_KINDS = frozenset({UnitKind.CENTRAL, UnitKind.PROVINCE})


# --- which units do what -------------------------------------------------------------


def meeting_kind_for(unit: Unit) -> str | None:
    """专题民主生活会 for the 班子 of 市/县 organs, their 直属单位 and enterprises, and 乡镇/街道;
    组织生活会 with 民主评议党员 for the other grassroots organisations [000]; nothing for the
    first batch (中央, 省)."""
    if unit.kind in FIRST_BATCH_KINDS:
        return None
    if unit.kind in GRASSROOTS_KINDS:
        return MeetingKind.ORGANIZATIONAL_LIFE
    return MeetingKind.DEMOCRATIC_LIFE


def requires_talks(unit: Unit) -> bool:
    """The "四必谈" prepare a 专题民主生活会."""
    return meeting_kind_for(unit) == MeetingKind.DEMOCRATIC_LIFE


def supervising_level(unit: Unit) -> int:
    """The level of the 党委 whose 督导组 and 活动办 look after ``unit`` [002]: the level above for a
    党委 and its 人大/政府/政协 (县委 → 市委), the unit's own level for a 直属单位 (县直 → 县委)."""
    if unit.category in (UnitCategory.TERRITORIAL, UnitCategory.FOUR_BODIES):
        return max(unit.level - 1, 0)
    return unit.level


def supervising_group_ids(units: Iterable[Unit]) -> dict[int, list[int]]:
    """The 督导组 that supervises each unit (one query)."""
    units = list(units)
    return supervision_groups_for(units, {u.pk: supervising_level(u) for u in units})


def is_body_member(user: Any, unit: Unit) -> bool:
    """The user sits in the unit's 领导班子 today (principal, government head or member)."""
    scope = scope_for(user)
    return any(g.unit_id == unit.pk and g.role in (Role.PRINCIPAL, Role.MEMBER) for g in scope.grants)


def is_supervising(user: Any, unit: Unit) -> bool:
    """The user sits in the 督导组 that supervises ``unit`` (two queries)."""
    person_id = scope_for(user).person_id
    if person_id is None:
        return False
    group_ids = supervising_group_ids([unit])[unit.pk]
    return (
        OrgMembership.objects.active(clock.today())
        .filter(organization_id__in=group_ids, person_id=person_id)
        .exists()
    )


# --- required talks and coverage ----------------------------------------------------------


@dataclass
class RequiredTalk:
    """One talk the "四必谈" require: ``member`` with ``other`` (a member or a department head),
    or ``member`` with the 督导组 (``other`` is None, ``group_ids`` the groups)."""

    kind: str
    member: Person
    other: Person | None
    department: Unit | None = None
    group_ids: tuple[int, ...] = ()
    talk: Talk | None = None

    @property
    def key(self) -> tuple[Any, ...]:
        if self.other is None:
            return ("group", self.member.pk)
        return ("pair", *sorted((self.member.pk, self.other.pk)))

    @property
    def state(self) -> str:
        if self.talk is None:
            return "missing"
        return "confirmed" if self.talk.status == TalkStatus.CONFIRMED else "recorded"

    @property
    def done(self) -> bool:
        return self.state == "confirmed"

    @property
    def kind_label(self) -> str:
        return str(TalkKind(self.kind).label)

    @property
    def label(self) -> str:
        if self.other is None:
            return _("%(member)s — 督导组") % {"member": self.member.name}
        if self.department is not None:
            return _("%(member)s — %(head)s（%(dept)s主要负责同志）") % {
                "member": self.member.name,
                "head": self.other.name,
                "dept": self.department.name,
            }
        return f"{self.member.name} — {self.other.name}"


@dataclass
class Coverage:
    """The required talks of one unit's 班子 on one day, each with the talk that covers it."""

    unit: Unit
    members: list[Person] = field(default_factory=list)
    principal_ids: set[int] = field(default_factory=set)
    required: list[RequiredTalk] = field(default_factory=list)
    group_seats: list[OrgMembership] = field(default_factory=list)
    has_group: bool = False
    talks: list[Talk] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.required)

    @property
    def done(self) -> int:
        return sum(1 for r in self.required if r.done)

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 100

    @property
    def missing(self) -> list[RequiredTalk]:
        return [r for r in self.required if not r.done]

    @property
    def group_names(self) -> list[str]:
        return sorted({s.organization.name for s in self.group_seats})

    def find(self, a: int, b: int | None, group: bool = False) -> RequiredTalk | None:
        """The requirement between persons ``a`` and ``b`` (``group``: ``a`` with the 督导组)."""
        key = ("group", a) if group else ("pair", *sorted((a, b or 0)))
        return next((r for r in self.required if r.key == key), None)

    def matrix(self) -> list[dict[str, Any]]:
        """Rows for the coverage matrix: each member with each member, the 督导组 and his departments."""
        rows = []
        for member in self.members:
            cells = [
                None if other.pk == member.pk else self.find(member.pk, other.pk) for other in self.members
            ]
            rows.append(
                {
                    "member": member,
                    "is_principal": member.pk in self.principal_ids,
                    "cells": cells,
                    "group": self.find(member.pk, None, group=True),
                    "departments": [
                        r for r in self.required if r.kind == TalkKind.DEPARTMENT and r.member.pk == member.pk
                    ],
                }
            )
        return rows


def talk_coverage(
    units: Iterable[Unit], day: datetime.date | None = None, *, posts: list[Post] | None = None
) -> dict[int, Coverage]:
    """The "四必谈" of each unit's 班子 on ``day`` and what covers them. Six queries in all:
    班子 posts, their 分管 units, those units' principals, the 督导组 assignments, the groups'
    seats, the recorded talks. ``posts``, when given, hold the units' posts on ``day`` with
    person and 分管 units (more are ignored), as the unit page has read them; then four."""
    day = day or clock.today()
    units = [u for u in units if requires_talks(u)]
    result = {u.pk: Coverage(unit=u) for u in units}
    if not units:
        return result
    ids = list(result)
    overseen: dict[int, set[int]] = defaultdict(set)  # post id → 分管 unit ids
    if posts is None:
        posts = list(
            Post.objects.active(day)
            .filter(unit_id__in=ids, role__in=LEADERSHIP_ROLES)
            .select_related("person")
            .order_by("unit_id", "sort_order", "start_date", "pk")
        )
        if posts:
            for post_id, unit_id in Post.oversees.through.objects.filter(
                post_id__in=[p.pk for p in posts]
            ).values_list("post_id", "unit_id"):
                overseen[post_id].add(unit_id)
    else:
        posts = sorted(
            (p for p in posts if p.unit_id in result and p.role in LEADERSHIP_ROLES),
            key=lambda p: (p.unit_id, p.sort_order, p.start_date, p.pk),
        )
        for post in posts:
            overseen[post.pk].update(u.pk for u in post.oversees.all())
    heads: dict[int, list[Post]] = defaultdict(list)  # department id → its principal posts
    department_ids = set().union(*overseen.values()) if overseen else set()
    if department_ids:
        for head in (
            Post.objects.active(day)
            .filter(unit_id__in=department_ids, role=PostRole.PRINCIPAL)
            .select_related("person", "unit")
        ):
            heads[head.unit_id].append(head)
    groups = supervising_group_ids(units)
    seats = group_seats({g for found in groups.values() for g in found})
    talks: dict[int, list[Talk]] = defaultdict(list)
    for talk in Talk.objects.filter(unit_id__in=ids).select_related("party_a", "party_b").order_by("pk"):
        talks[talk.unit_id].append(talk)

    posts_by_unit: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        posts_by_unit[post.unit_id].append(post)
    # Once per set of groups: a province's units each scanning every seat was a fifth of a
    # dashboard recount.
    seats_of: dict[tuple[int, ...], list[Any]] = {}
    for unit_id, coverage in result.items():
        unit_posts = posts_by_unit[unit_id]
        members: dict[int, Person] = {}
        for post in unit_posts:
            members.setdefault(post.person_id, post.person)
            if post.role == PostRole.PRINCIPAL:
                coverage.principal_ids.add(post.person_id)
        coverage.members = list(members.values())
        group_ids = tuple(groups.get(unit_id, []))
        coverage.has_group = bool(group_ids)
        if group_ids not in seats_of:
            seats_of[group_ids] = [s for s in seats if s.organization_id in group_ids]
        coverage.group_seats = seats_of[group_ids]
        coverage.talks = talks[unit_id]
        required = _required(coverage, unit_posts, overseen, heads, group_ids)
        _match(required, coverage.talks)
        coverage.required = required
    return result


def _required(
    coverage: Coverage,
    posts: list[Post],
    overseen: dict[int, set[int]],
    heads: dict[int, list[Post]],
    group_ids: tuple[int, ...],
) -> list[RequiredTalk]:
    members = coverage.members
    principals = coverage.principal_ids
    required: list[RequiredTalk] = []
    # The principal with every member, and every member with every other: each pair once.
    for i, first in enumerate(members):
        for second in members[i + 1 :]:
            # The principal is named first in his pairs.
            a, b = (
                (second, first) if second.pk in principals and first.pk not in principals else (first, second)
            )
            kind = TalkKind.PRINCIPAL if a.pk in principals or b.pk in principals else TalkKind.MEMBERS
            required.append(RequiredTalk(kind=kind, member=a, other=b))
    required.sort(key=lambda r: 0 if r.kind == TalkKind.PRINCIPAL else 1)
    # Every member with the heads of the departments he or she oversees (here).
    member_ids = {m.pk for m in members}
    seen: set[tuple[int, int]] = set()
    for post in posts:
        for department_id in sorted(overseen.get(post.pk, ())):
            for head in heads.get(department_id, []):
                pair = (post.person_id, head.person_id)
                if head.person_id in member_ids or pair in seen:
                    continue  # a head who sits in the 班子 is already a member pair
                seen.add(pair)
                required.append(
                    RequiredTalk(
                        kind=TalkKind.DEPARTMENT, member=post.person, other=head.person, department=head.unit
                    )
                )
    # The 督导组 with every member.
    if group_ids:
        for member in members:
            required.append(
                RequiredTalk(kind=TalkKind.SUPERVISION, member=member, other=None, group_ids=group_ids)
            )
    return required


def talk_key(talk: Talk) -> tuple[Any, ...]:
    if talk.group_id:
        return ("group", talk.party_b_id)
    return ("pair", *sorted((talk.party_a_id, talk.party_b_id)))


def _match(required: list[RequiredTalk], talks: list[Talk]) -> None:
    """Each requirement takes a confirmed talk if there is one, else the latest recorded one."""
    by_key: dict[tuple[Any, ...], list[Talk]] = defaultdict(list)
    for talk in talks:
        by_key[talk_key(talk)].append(talk)
    for requirement in required:
        candidates = [
            t
            for t in by_key.get(requirement.key, [])
            if requirement.other is not None or t.group_id in requirement.group_ids
        ]
        confirmed = [t for t in candidates if t.status == TalkStatus.CONFIRMED]
        chosen = confirmed or candidates
        requirement.talk = chosen[-1] if chosen else None


@dataclass(frozen=True)
class TalkCount:
    """How many talks a 班子 owes on a day and how many of them are confirmed."""

    total: int
    done: int

    @property
    def complete(self) -> bool:
        return self.done == self.total


def talk_counts(
    units: Iterable[Unit], day: datetime.date | None = None, *, among: QuerySet[Unit] | None = None
) -> dict[int, TalkCount]:
    """``talk_coverage`` reduced to its two numbers, for dashboards and gates over whole subtrees.

    The same requirements (see ``_required``), counted from ids instead of built as objects: the
    member pairs are C(m, 2) by arithmetic, and "done" walks the confirmed talks, not the pairs —
    a province's 班子 owe some 700,000 talks, which ``talk_coverage`` would build one by one.
    Five queries in all; ``tests/materials/test_talk_counts.py`` holds the two in agreement.
    ``among``, a QuerySet holding at least ``units`` (a dashboard's participating units), is
    filtered on instead of the ids: Django takes longer to put a province's ids into IN lists
    than PostgreSQL takes to answer.
    """
    day = day or clock.today()
    units = [u for u in units if requires_talks(u)]
    if not units:
        return {}
    ids = [u.pk for u in units]
    wanted = set(ids)
    unit_filter: Any = among if among is not None else ids
    posts = Post.objects.active(day).filter(unit__in=unit_filter, role__in=LEADERSHIP_ROLES)
    members: dict[int, set[int]] = defaultdict(set)  # unit id → person ids of its 班子
    member_posts: list[tuple[int, int, int]] = []  # (post id, unit id, person id)
    for post_id, unit_id, person_id in posts.values_list("pk", "unit_id", "person_id"):
        if unit_id in wanted:
            members[unit_id].add(person_id)
            member_posts.append((post_id, unit_id, person_id))
    overseen: dict[int, set[int]] = defaultdict(set)  # post id → 分管 unit ids
    if member_posts:
        post_filter: Any = posts.values("pk") if among is not None else [p[0] for p in member_posts]
        for post_id, department_id in Post.oversees.through.objects.filter(
            post_id__in=post_filter
        ).values_list("post_id", "unit_id"):
            overseen[post_id].add(department_id)
    heads: dict[int, set[int]] = defaultdict(set)  # department id → person ids of its principals
    department_ids = set().union(*overseen.values()) if overseen else set()
    if department_ids:
        for department_id, person_id in (
            Post.objects.active(day)
            .filter(unit_id__in=department_ids, role=PostRole.PRINCIPAL)
            .values_list("unit_id", "person_id")
        ):
            heads[department_id].add(person_id)
    # Each unit's department pairs (member, head), a head who sits in the 班子 excepted.
    department_pairs: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for post_id, unit_id, person_id in member_posts:
        for department_id in overseen.get(post_id, ()):
            for head_id in heads.get(department_id, ()):
                if head_id not in members[unit_id]:
                    department_pairs[unit_id].add((person_id, head_id))
    groups = supervising_group_ids(units)
    confirmed_pairs: dict[int, set[tuple[int, int]]] = defaultdict(set)
    confirmed_groups: dict[int, set[tuple[int, int]]] = defaultdict(set)  # (group id, member id)
    for unit_id, party_a, party_b, group_id in Talk.objects.filter(
        unit__in=unit_filter, status=TalkStatus.CONFIRMED
    ).values_list("unit_id", "party_a_id", "party_b_id", "group_id"):
        if unit_id not in wanted:
            continue
        if group_id:
            confirmed_groups[unit_id].add((group_id, party_b))
        else:
            confirmed_pairs[unit_id].add((min(party_a, party_b), max(party_a, party_b)))

    result = {}
    for unit_id in ids:
        unit_members = members[unit_id]
        size = len(unit_members)
        group_ids = set(groups.get(unit_id, []))
        pairs = department_pairs[unit_id]
        total = size * (size - 1) // 2 + len(pairs) + (size if group_ids else 0)
        sorted_pairs = {(min(a, b), max(a, b)) for a, b in pairs}
        done = sum(
            1
            for a, b in confirmed_pairs[unit_id]
            if (a in unit_members and b in unit_members and a != b) or (a, b) in sorted_pairs
        )
        done += len({m for g, m in confirmed_groups[unit_id] if g in group_ids and m in unit_members})
        result[unit_id] = TalkCount(total=total, done=done)
    return result


def talks_complete(units: Iterable[Unit]) -> dict[int, bool]:
    """Gate: every required talk of the unit's 班子 is recorded and confirmed (five queries).
    Units that hold no 专题民主生活会 owe no talks: True."""
    units = list(units)
    counts = talk_counts(units)
    return {u.pk: counts[u.pk].complete if u.pk in counts else True for u in units}


# --- visibility -----------------------------------------------------------------------------


def talks_visible_to(user: Any) -> QuerySet[Talk]:
    """Talks of the units the user reaches (a 班子 member: his own unit), and his own talks."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Talk.objects.all()
    if scope.is_anonymous:
        return Talk.objects.none()
    query = scope.unit_q(path_field="unit_path", unit_field="unit_id")
    if scope.person_id:
        query |= Q(party_a_id=scope.person_id) | Q(party_b_id=scope.person_id)
    return Talk.objects.filter(query)


def talk_get_visible(user: Any, pk: int) -> Talk:
    talk = (
        talks_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "party_a", "party_b", "group", "recorded_by", "confirmed_by", "campaign")
        .first()
    )
    if talk is None:
        raise Http404
    return talk


def may_confirm(user: Any, talk: Talk) -> bool:
    """The other side confirms: the party who did not record it, or (for a talk the member
    recorded with the 督导组) any member of that group."""
    person_id = scope_for(user).person_id
    if person_id is None or talk.status != TalkStatus.RECORDED or person_id == talk.recorded_by_id:
        return False
    if talk.group_id and talk.recorded_by_id == talk.party_b_id:
        return (
            OrgMembership.objects.active(clock.today())
            .filter(organization_id=talk.group_id, person_id=person_id)
            .exists()
        )
    return person_id in (talk.party_a_id, talk.party_b_id)


def talks_awaiting(user: Any) -> QuerySet[Talk]:
    """Talks recorded by the other side that wait for the user's confirmation."""
    person_id = scope_for(user).person_id
    if person_id is None:
        return Talk.objects.none()
    groups = OrgMembership.objects.active(clock.today()).filter(person_id=person_id).values("organization_id")
    return (
        Talk.objects.filter(status=TalkStatus.RECORDED)
        .exclude(recorded_by_id=person_id)
        .filter(
            Q(party_b_id=person_id)
            | Q(party_a_id=person_id, group__isnull=True)
            # a member recorded his talk with the 督导组: any member of the group confirms
            | Q(group_id__in=groups, recorded_by_id=F("party_b_id"))
        )
        .select_related("unit", "party_a", "party_b", "recorded_by", "group")
        .order_by("held_on", "pk")
    )


def my_talks(user: Any) -> QuerySet[Talk]:
    person_id = scope_for(user).person_id
    if person_id is None:
        return Talk.objects.none()
    return (
        Talk.objects.filter(Q(party_a_id=person_id) | Q(party_b_id=person_id) | Q(recorded_by_id=person_id))
        .select_related("unit", "party_a", "party_b", "group")
        .order_by("-held_on", "-pk")
    )


# --- 拟批评意见 ---------------------------------------------------------------------------------


def criticism_lists_visible_to(user: Any) -> QuerySet[CriticismList]:
    """Offices, 督导组, oversight and principals of the subtree, the member himself, and whoever
    was a reviewer of the list."""
    scope = scope_for(user)
    if scope.is_superuser:
        return CriticismList.objects.all()
    if scope.is_anonymous:
        return CriticismList.objects.none()
    query = scope.unit_q(path_field="unit_path", unit_field="unit_id", roles=READ_ROLES)
    if scope.person_id:
        query |= Q(person_id=scope.person_id)
    reviewer = ReviewStepReviewer.objects.filter(step__review_id=OuterRef("review_id"), user_id=user.pk)
    return CriticismList.objects.filter(query | Exists(reviewer))


def criticism_list_get_visible(user: Any, pk: int) -> CriticismList:
    found = (
        criticism_lists_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "person", "campaign", "review__template")
        .first()
    )
    if found is None:
        raise Http404
    return found


def list_items(criticism_list: CriticismList) -> list[PlannedCriticism]:
    return list(criticism_list.items.filter(is_active=True).select_related("target").order_by("order", "pk"))


@dataclass
class MemberList:
    member: Person
    criticism_list: CriticismList | None


def criticism_lists_of_unit(unit: Unit) -> list[MemberList]:
    """Each current 班子 member with his 拟批评意见 (or None). Two queries."""
    posts = (
        Post.objects.active(clock.today())
        .filter(unit=unit, role__in=LEADERSHIP_ROLES)
        .select_related("person")
        .order_by("sort_order", "start_date", "pk")
    )
    members: dict[int, Person] = {}
    for post in posts:
        members.setdefault(post.person_id, post.person)
    lists = {c.person_id: c for c in CriticismList.objects.filter(unit=unit).select_related("review")}
    return [MemberList(person, lists.get(pk)) for pk, person in members.items()]


def criticism_lists_approved(units: Iterable[Unit]) -> dict[int, bool]:
    """Every current 班子 member's 拟批评意见 approved (two queries); for dashboards."""
    units = [u for u in units if requires_talks(u)]
    ids = [u.pk for u in units]
    members: dict[int, set[int]] = defaultdict(set)
    for unit_id, person_id in (
        Post.objects.active(clock.today())
        .filter(unit_id__in=ids, role__in=LEADERSHIP_ROLES)
        .values_list("unit_id", "person_id")
    ):
        members[unit_id].add(person_id)
    approved: dict[int, set[int]] = defaultdict(set)
    for unit_id, person_id in CriticismList.objects.filter(
        unit_id__in=ids, status=CriticismListStatus.APPROVED
    ).values_list("unit_id", "person_id"):
        approved[unit_id].add(person_id)
    return {pk: members[pk] <= approved[pk] for pk in ids}

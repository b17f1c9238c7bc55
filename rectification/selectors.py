"""Reads on rectification records, always starting from the user's scope.

Also the selectors the calendar's gates registry uses (fixed query counts):
``unanswered_source_counts(units)`` and ``failed_acceptance_unit_ids(units)``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.http import Http404

from campaign import clock
from campaign.display import truncate_chars
from campaign.links import url_maker
from materials.models import ReviewStepReviewer
from rectification import source_registry
from rectification.choices import (
    LIVE_STATUSES,
    WORKING_STATUSES,
    Acceptance,
    Handling,
    ItemStatus,
    ListKind,
    PlanStatus,
    RuleJudgement,
    RuleStatus,
    WarningLevel,
)
from rectification.models import (
    Evidence,
    ItemParticipant,
    ItemSource,
    ItemUserObjectPermission,
    PlanUserObjectPermission,
    ProgressReport,
    RectificationItem,
    RectificationPlan,
    Rule,
    SpecialProject,
    SpecialProjectPlan,
    SpecialProjectScopeUnit,
    UnitItemTally,
    item_number,
)
from units.access import SUBTREE_ROLES, AccessScope, granted_ids, scope_for
from units.choices import Role
from units.models import Unit

# 临期: within this many days of the deadline [the design: yellow within 3 days, red overdue].
YELLOW_DAYS = 3
STEP = Unit.steplen


# --- warnings --------------------------------------------------------------------


def red_q(today: datetime.date) -> Q:
    return Q(status__in=WORKING_STATUSES, deadline__lt=today)


def yellow_q(today: datetime.date) -> Q:
    return Q(
        status__in=WORKING_STATUSES,
        deadline__gte=today,
        deadline__lte=today + datetime.timedelta(days=YELLOW_DAYS),
    )


def item_tally_counts(today: datetime.date) -> dict[str, Count]:
    """What the 台账 counts of a set of items: live ones (the caller filters), closed, red, yellow
    (red and yellow never overlap). Named as ``UnitItemTally``'s columns."""
    return {
        "total": Count("pk"),
        "closed": Count("pk", filter=Q(status=ItemStatus.CLOSED)),
        "red": Count("pk", filter=red_q(today)),
        "yellow": Count("pk", filter=yellow_q(today)),
    }


def warning_expression(today: datetime.date) -> Case:
    return Case(
        When(red_q(today), then=Value(WarningLevel.RED)),
        When(yellow_q(today), then=Value(WarningLevel.YELLOW)),
        default=Value(WarningLevel.NONE),
        output_field=CharField(),
    )


def with_warning(queryset: QuerySet[RectificationItem]) -> QuerySet[RectificationItem]:
    """Annotate ``warning`` (none / yellow / red) from the deadline and the campaign clock."""
    return queryset.annotate(warning=warning_expression(clock.today()))


# --- items -----------------------------------------------------------------------


def _office_above_q(scope: AccessScope) -> Q:
    """Records of units whose 党委 sits below a level where the user works in the office."""
    query = Q(pk__in=[])
    for grant in scope.grants:
        if grant.role == Role.OFFICE:
            query |= Q(area_path__startswith=grant.path) & ~Q(area_path=grant.path)
    return query


def items_visible_to(user: Any) -> QuerySet[RectificationItem]:
    """Items in the user's scope, items of other units his units take part in, items granted to
    him, and the list of every plan granted to him (a reviewer reads the 整改清单 he reviews)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return RectificationItem.objects.all()
    if scope.is_anonymous:
        return RectificationItem.objects.none()
    participating = ItemParticipant.objects.filter(item=OuterRef("pk")).filter(
        scope.unit_q(path_field="unit_path", unit_field="unit_id")
    )
    return RectificationItem.objects.filter(
        scope.unit_q(path_field="unit_path", unit_field="unit_id")
        | Exists(participating)
        | Q(pk__in=granted_ids(user, ItemUserObjectPermission, "view_rectificationitem"))
        | Q(plan_id__in=granted_ids(user, PlanUserObjectPermission, "view_rectificationplan"))
    )


def item_get_visible(user: Any, pk: int) -> RectificationItem:
    item = (
        with_warning(items_visible_to(user))
        .filter(pk=pk)
        .select_related("unit", "plan", "person", "responsible_leader", "claimed_by")
        .first()
    )
    if item is None:
        raise Http404
    return item


LEDGER_FILTERS = ("status", "warning", "handling", "kind", "where")


def ledger(user: Any, unit: Unit, filters: dict[str, str] | None = None) -> QuerySet[RectificationItem]:
    """整改台账 of a unit: its subtree (``where=subtree``, default), only its own items
    (``own``), or other units' items it takes part in (``participating``).
    """
    filters = filters or {}
    today = clock.today()
    where = filters.get("where") or "subtree"
    if where == "own":
        items = items_visible_to(user).filter(unit_id=unit.pk)
    elif where == "participating":
        items = items_visible_to(user).filter(
            Exists(ItemParticipant.objects.filter(item=OuterRef("pk"), unit_id=unit.pk))
        )
    elif scope_for(user).reaches(unit.path, roles=SUBTREE_ROLES):
        # A subtree role over ``unit`` sees every item under it (as ``ledger_total`` counts them):
        # the visibility filter and its three subqueries would select the same rows.
        items = RectificationItem.objects.filter(unit_path__startswith=unit.path)
    else:
        items = items_visible_to(user).filter(unit_path__startswith=unit.path)
    status = filters.get("status")
    if status in ItemStatus.values:
        items = items.filter(status=status)
    elif status != "all":
        items = items.exclude(status=ItemStatus.WITHDRAWN)
    warning = filters.get("warning")
    if warning == WarningLevel.RED:
        items = items.filter(red_q(today))
    elif warning == WarningLevel.YELLOW:
        items = items.filter(yellow_q(today))
    if filters.get("handling"):
        items = items.filter(handling=filters["handling"])
    if filters.get("kind"):
        items = items.filter(kind=filters["kind"])
    return (
        with_warning(items)
        .select_related("unit", "responsible_leader", "person")
        .order_by(F("deadline").asc(nulls_last=True), "unit_path", "pk")
    )


# What the 台账 list cuts 问题 and 整改措施 to.
LIST_TEXT_CHARS = 60


def ledger_list_rows(items: QuerySet) -> list[dict[str, Any]]:
    """A page of ``ledger`` as the list prints it: one plain row per item with its 编号, link,
    deadline text and labels. The link is reversed once and the labels looked up once for the
    page; per row (reverse(), |date, get_*_display, |truncatechars on 150 models) they made
    rendering a county's 50 rows take some 13 ms instead of 3."""
    item_url = url_maker("rectification:item")
    handling_labels = {value: str(label) for value, label in Handling.choices}
    status_labels = {value: str(label) for value, label in ItemStatus.choices}
    rows = list(
        items.values(
            "pk",
            "kind",
            "problem",
            "measure",
            "responsible_unit",
            "deadline",
            "handling",
            "status",
            "warning",
            "reopen_count",
            "needs_upper_help",
            "evidence_count",
            unit_name=F("unit__name"),
            person_name=F("person__name"),
            leader_name=F("responsible_leader__name"),
        )
    )
    for row in rows:
        row["number"] = item_number(row["pk"])
        row["url"] = item_url(row["pk"])
        row["problem"] = truncate_chars(row["problem"], LIST_TEXT_CHARS)
        row["measure"] = truncate_chars(row["measure"], LIST_TEXT_CHARS)
        row["deadline_text"] = row["deadline"].isoformat() if row["deadline"] else "—"
        row["handling_label"] = handling_labels.get(row["handling"], row["handling"])
        row["status_label"] = status_labels.get(row["status"], row["status"])
    return rows


def _total_from_tallies(user: Any, unit: Unit, filters: dict[str, str]) -> bool:
    """Whether the 台账 is unfiltered and the user sees every item under ``unit``."""
    scope = scope_for(user)
    narrowed = any(filters.get(key) for key in LEDGER_FILTERS if key != "where")
    if narrowed or (filters.get("where") or "subtree") != "subtree":
        return False
    return scope.is_superuser or scope.reaches(unit.path, roles=SUBTREE_ROLES)


def ledger_total(user: Any, unit: Unit, filters: dict[str, str]) -> int | None:
    """The unfiltered 台账's length from the per-unit tallies, when the user sees every item under
    ``unit`` (a subtree role over it); None otherwise, and the list counts itself. Counting a
    province's items live takes half a second; this sums one row per unit."""
    if not _total_from_tallies(user, unit, filters):
        return None
    # Every row under ``unit`` shares this prefix: one group.
    found = tally_sums(
        UnitItemTally.objects.filter(unit_path__startswith=unit.path), Substr("unit_path", 1, len(unit.path))
    )
    return sum(row["total"] or 0 for row in found)


def ledger_counts(user: Any, unit: Unit, filters: dict[str, str]) -> tuple[int | None, list[ChildRow]]:
    """``ledger_total`` and ``child_counts`` for the 台账 page. When the total comes from the
    tallies, one GROUP BY per child serves both (the unit's own rows are one more group), not
    one for the total and another for the children."""
    if not _total_from_tallies(user, unit, filters):
        return None, child_counts(user, unit)
    rows = _child_rows(user, unit)
    found = tally_sums(
        UnitItemTally.objects.filter(unit_path__startswith=unit.path),
        Substr("unit_path", 1, len(unit.path) + STEP),
    )
    _add_tallies(rows, found)
    return sum(row["total"] or 0 for row in found), list(rows.values())


def tally_sums(tallies: QuerySet[UnitItemTally], branch: Substr) -> list[dict[str, Any]]:
    """The tallies summed by ``branch`` (an expression on ``unit_path``): total, closed, red,
    yellow. Units whose tally is stale or of another day are counted live from their items, in a
    second query (none on a quiet day, every unit just after midnight); their rows come after."""
    today = clock.today()
    fresh = Q(stale=False, counted_on=today)
    found = list(
        tallies.annotate(branch=branch)
        .order_by()
        .values("branch")
        .annotate(
            total=Sum("total", filter=fresh),
            closed=Sum("closed", filter=fresh),
            red=Sum("red", filter=fresh),
            yellow=Sum("yellow", filter=fresh),
            unsure=Count("pk", filter=~fresh),
        )
    )
    if any(row["unsure"] for row in found):
        # One group per branch, the counts as filtered aggregates: grouping by status and warning
        # as well sorted four times as many groups.
        found += (
            RectificationItem.objects.filter(
                unit_id__in=tallies.exclude(fresh).values("unit_id"), status__in=LIVE_STATUSES
            )
            .annotate(branch=branch)
            .order_by()
            .values("branch")
            .annotate(**item_tally_counts(today))
        )
    return found


def item_sources(item: RectificationItem) -> list[tuple[ItemSource, source_registry.SourceInfo | None]]:
    """The item's sources with their labels: one query for the links, one per kind."""
    links = list(item.sources.order_by("source_kind", "source_id"))
    infos = source_registry.describe((link.source_kind, link.source_id) for link in links)
    return [(link, infos.get((link.source_kind, link.source_id))) for link in links]


def item_reports(item: RectificationItem) -> list[ProgressReport]:
    return list(
        item.reports.select_related("reported_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("-on_date", "-at", "-pk")
    )


def item_events(item: RectificationItem) -> QuerySet:
    return item.events.select_related("actor").order_by("-on_date", "-at", "-pk")


def items_awaiting_sign_off(user: Any) -> QuerySet[RectificationItem]:
    """申请销号 items the user may sign off: his 督导组's units, units below his office, or granted."""
    scope = scope_for(user)
    waiting = RectificationItem.objects.filter(status=ItemStatus.CLOSE_REQUESTED)
    if not scope.is_superuser:
        waiting = waiting.filter(
            scope.unit_q(path_field="unit_path", unit_field="unit_id", roles=[Role.SUPERVISOR])
            | _office_above_q(scope)
            | Q(pk__in=granted_ids(user, ItemUserObjectPermission, "sign_off_rectificationitem"))
        )
    return with_warning(waiting).select_related("unit", "responsible_leader").order_by("deadline", "pk")


def upper_help_items(user: Any, unit: Unit) -> QuerySet[RectificationItem]:
    """需要上级帮助解决: items of units below ``unit`` that asked for the upper level's help."""
    return (
        with_warning(items_visible_to(user))
        .filter(needs_upper_help=True, unit_path__startswith=unit.path, status__in=LIVE_STATUSES)
        .exclude(unit_id=unit.pk)
        .select_related("unit", "claimed_by")
        .order_by("status", "deadline", "pk")
    )


def evidence_get_visible(user: Any, pk: int) -> Evidence:
    """A file is handed out only to those who may see its item."""
    found = Evidence.objects.filter(pk=pk, item__in=items_visible_to(user)).first()
    if found is None:
        raise Http404
    return found


# --- plans -----------------------------------------------------------------------


def plans_visible_to(user: Any) -> QuerySet[RectificationPlan]:
    """Plans in the user's scope, and those he was made a reviewer of (granted when his step opened)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return RectificationPlan.objects.all()
    if scope.is_anonymous:
        return RectificationPlan.objects.none()
    return RectificationPlan.objects.filter(
        scope.unit_q(path_field="unit_path", unit_field="unit_id")
        | Q(pk__in=granted_ids(user, PlanUserObjectPermission, "view_rectificationplan"))
    )


def plan_get_visible(user: Any, pk: int) -> RectificationPlan:
    plan = plans_visible_to(user).filter(pk=pk).select_related("unit", "person", "review__template").first()
    if plan is None:
        raise Http404
    return plan


def plans_of_unit(user: Any, unit: Unit) -> QuerySet[RectificationPlan]:
    return (
        plans_visible_to(user)
        .filter(unit=unit)
        .select_related("person")
        .annotate(item_count=Count("items", filter=~Q(items__status=ItemStatus.WITHDRAWN)))
        .order_by("kind", "pk")
    )


def plans_awaiting_review(user: Any) -> QuerySet[RectificationPlan]:
    """Plans with a review step open for ``user`` (the engine's ReviewStepReviewer rows), longest
    waiting first, each with ``step_name`` and ``waiting_since``: one query."""
    if not getattr(user, "is_authenticated", False):
        return RectificationPlan.objects.none()
    waiting = ReviewStepReviewer.objects.filter(
        user_id=user.pk, is_open=True, step__review_id=OuterRef("review_id")
    ).order_by("opened_at", "pk")
    return (
        RectificationPlan.objects.filter(Exists(waiting))
        .annotate(
            step_name=Subquery(waiting.values("step__name")[:1]),
            waiting_since=Subquery(waiting.values("opened_at")[:1]),
        )
        .select_related("unit", "person")
        .order_by("waiting_since", "pk")
    )


def plan_items(plan: RectificationPlan) -> QuerySet[RectificationItem]:
    return (
        with_warning(plan.items.exclude(status=ItemStatus.WITHDRAWN))
        .select_related("responsible_leader")
        .order_by("pk")
    )


# --- "四个回应" -------------------------------------------------------------------


@dataclass
class SourceGroup:
    kind: str
    label: str
    total: int
    sources: list[source_registry.SourceInfo] = field(default_factory=list)


def unanswered_sources(unit: Unit, *, limit: int = 50) -> list[SourceGroup]:
    """Per registered kind, the unit's sources no live item answers: two queries per kind."""
    groups = []
    for kind, provider in source_registry.providers().items():
        rows = source_registry.unanswered(provider, [unit])
        total = rows.count()
        groups.append(
            SourceGroup(
                kind=kind,
                label=provider.label,
                total=total,
                sources=[provider.info(row) for row in rows[:limit]] if total else [],
            )
        )
    return groups


def unanswered_source_counts(units: Sequence[Unit] | QuerySet[Unit]) -> dict[int, dict[str, int]]:
    """Gate selector: {unit id: {source kind: n}} of sources no live item answers yet.

    One query per registered provider whatever the number of units; units with
    nothing unanswered are absent.
    """
    return source_registry.unanswered_counts(units)


# --- 专项整治 ---------------------------------------------------------------------


def failed_acceptance_unit_ids(units: Iterable[Unit] | QuerySet[Unit]) -> set[int]:
    """Gate selector: ids of the units whose 专项整治 评估验收 stands at 不合格 (one query).

    "凡验收不过关的，教育实践活动视为不合格，要继续整改，不能召开总结大会" [003].
    """
    return set(
        SpecialProjectPlan.objects.filter(unit__in=units, acceptance=Acceptance.FAILED)
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    )


def _ancestors_or_self(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def projects_covering(unit: Unit) -> QuerySet[SpecialProject]:
    """Special projects whose scope includes ``unit`` (one query)."""
    limited = SpecialProjectScopeUnit.objects.filter(project=OuterRef("pk"))
    limited_here = limited.filter(unit_path__in=_ancestors_or_self(unit.path))
    return (
        SpecialProject.objects.filter(unit_path__in=_ancestors_or_self(unit.path))
        .filter(Q(scope_kinds="") | Q(scope_kinds__contains=f",{unit.kind},"))
        .filter(~Exists(limited) | Exists(limited_here))
        .select_related("unit")
        .order_by("unit_path", "number", "pk")
    )


def projects_visible_to(user: Any) -> QuerySet[SpecialProject]:
    """Projects deployed inside the scope, or above it (their scope may reach down to it)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return SpecialProject.objects.all()
    query = scope.unit_q(path_field="unit_path", unit_field="unit_id")
    for grant in scope.grants:
        query |= Q(unit_path__in=_ancestors_or_self(grant.path))
    return SpecialProject.objects.filter(query)


def project_get_visible(user: Any, pk: int) -> SpecialProject:
    project = projects_visible_to(user).filter(pk=pk).select_related("unit").first()
    if project is None:
        raise Http404
    return project


def project_units(user: Any, project: SpecialProject) -> QuerySet[Unit]:
    """Units in the project's scope that the user sees, each with its plan (if filed)."""
    units = Unit.objects.filter(scope_for(user).unit_q(), path__startswith=project.unit_path)
    if project.kinds:
        units = units.filter(kind__in=project.kinds)
    limits = list(project.scope_units.values_list("unit_path", flat=True))
    if limits:
        within = Q(pk__in=[])
        for path in limits:
            within |= Q(path__startswith=path)
        units = units.filter(within)
    plans = SpecialProjectPlan.objects.filter(project=project, unit=OuterRef("pk"))
    return units.annotate(
        plan_id=plans.values("pk")[:1],
        plan_status=plans.values("status")[:1],
        plan_acceptance=plans.values("acceptance")[:1],
        plan_deadline=plans.values("deadline")[:1],
    ).order_by("path")


def project_plans_of_unit(unit: Unit) -> dict[int, SpecialProjectPlan]:
    return {p.project_id: p for p in SpecialProjectPlan.objects.filter(unit=unit)}


def project_plan_get_visible(user: Any, pk: int) -> SpecialProjectPlan:
    scope = scope_for(user)
    plan = (
        SpecialProjectPlan.objects.filter(scope.unit_q(path_field="unit_path", unit_field="unit_id"), pk=pk)
        .select_related("project", "unit")
        .first()
    )
    if plan is None:
        raise Http404
    return plan


# --- 建章立制 ---------------------------------------------------------------------


def rules_of_unit(unit: Unit) -> QuerySet[Rule]:
    return Rule.objects.filter(unit=unit).order_by("status", "judgement", "deadline", "pk")


def rule_get_visible(user: Any, pk: int) -> Rule:
    scope = scope_for(user)
    rule = (
        Rule.objects.filter(scope.unit_q(path_field="unit_path", unit_field="unit_id"), pk=pk)
        .select_related("unit")
        .first()
    )
    if rule is None:
        raise Http404
    return rule


# --- the unit page and the public page --------------------------------------------


@dataclass
class UnitSummary:
    by_status: dict[str, int]
    red: int
    yellow: int
    total: int
    plans: list[RectificationPlan]
    unanswered: dict[str, int]
    projects_total: int
    projects_filed: int
    projects_failed: int
    projects_passed: int
    rules: dict[str, int]
    upper_help: int


def unit_summary(user: Any, unit: Unit) -> UnitSummary:
    """Everything the unit-page panel shows, in two queries: the plans, and the counts as one
    UNION ALL of items by status × warning with the upper-help items below the unit, the
    projects covering the unit with its own plan's acceptance, rules by judgement × status,
    and the sources no live item answers yet, by kind.
    """
    scope = scope_for(user)
    in_scope = scope.unit_q(path_field="unit_path", unit_field="unit_id")
    by_status: dict[str, int] = defaultdict(int)
    red = yellow = total = upper_help = 0
    rules: dict[str, int] = defaultdict(int)
    own_plans: list[str] = []
    projects_total = 0
    unanswered: dict[str, int] = {}
    for tag, key, sub, n, m in _unit_counts(in_scope, unit):
        if tag == "item":
            status, warning = key, sub
            upper_help += m
            by_status[status] += n
            if status != ItemStatus.WITHDRAWN:
                total += n
            if warning == WarningLevel.RED:
                red += n
            elif warning == WarningLevel.YELLOW:
                yellow += n
        elif tag == "project":
            projects_total += 1
            if key:  # the acceptance of the unit's own plan; none filed gives ""
                own_plans.append(key)
        elif tag == "rule":
            judgement, status = key, sub
            rules["total"] += n
            rules[judgement] += n
            if status == RuleStatus.DONE:
                rules["done"] += n
        elif tag == "source":
            unanswered[key] = n
    rules["keep"] = rules[RuleJudgement.KEEP]
    plans = list(
        RectificationPlan.objects.filter(in_scope, unit=unit).select_related("person").order_by("kind", "pk")
    )
    return UnitSummary(
        by_status=dict(by_status),
        red=red,
        yellow=yellow,
        total=total,
        plans=plans,
        unanswered=unanswered,
        projects_total=projects_total,
        projects_filed=len(own_plans),
        projects_failed=sum(1 for acceptance in own_plans if acceptance == Acceptance.FAILED),
        projects_passed=sum(1 for acceptance in own_plans if acceptance == Acceptance.PASSED),
        rules=dict(rules),
        upper_help=upper_help,
    )


def _unit_counts(in_scope: Q, unit: Unit) -> QuerySet:
    """The panel's counts as rows of (tag, key, sub, n, m), one UNION ALL; each part says what
    its columns hold."""
    # items under the unit: status, warning, how many, how many ask the level above for help
    items = (
        RectificationItem.objects.filter(in_scope, unit_path__startswith=unit.path)
        .order_by()
        .values("status", warning=warning_expression(clock.today()))
        .annotate(
            tag=Value("item"),
            n=Count("pk"),
            upper_help=Count(
                "pk",
                filter=Q(needs_upper_help=True, status__in=WORKING_STATUSES) & ~Q(unit_id=unit.pk),
            ),
        )
        .values_list("tag", "status", "warning", "n", "upper_help")
    )
    # one row per project covering the unit: the acceptance of the unit's own plan (at most
    # one: unique per project and unit), "" when it filed none
    own_plan = SpecialProjectPlan.objects.filter(unit=unit, project=OuterRef("pk"))
    projects = (
        projects_covering(unit)
        .order_by()
        .annotate(
            tag=Value("project"),
            own_acceptance=Coalesce(Subquery(own_plan.order_by().values("acceptance")[:1]), Value("")),
            sub=Value(""),
            n=Value(1),
            m=Value(0),
        )
        .values_list("tag", "own_acceptance", "sub", "n", "m")
    )
    # rules: judgement, status, how many
    rules = (
        Rule.objects.filter(unit=unit)
        .order_by()
        .values("judgement", "status")
        .annotate(tag=Value("rule"), n=Count("pk"), m=Value(0))
        .values_list("tag", "judgement", "status", "n", "m")
    )
    # each source provider's unanswered sources of the unit: kind, how many
    sources = [
        rows.annotate(tag=Value("source"), sub=Value(""), m=Value(0)).values_list(
            "tag", "source_kind", "sub", "n", "m"
        )
        for rows in source_registry.unanswered_count_rows([unit])
    ]
    return items.union(projects, rules, *sources, all=True)


@dataclass
class ChildRow:
    unit: Unit
    total: int = 0
    closed: int = 0
    red: int = 0
    yellow: int = 0
    url: str = ""  # the child's 整改台账


def child_counts(user: Any, unit: Unit) -> list[ChildRow]:
    """Per child of ``unit`` (its whole subtree), items, closed, overdue and due soon: the
    children, and the per-unit tallies summed by one GROUP BY on the path prefix (``tally_sums``).
    """
    rows = _child_rows(user, unit)
    if not rows:
        return []
    scope = scope_for(user)
    tallies = UnitItemTally.objects.filter(
        scope.unit_q(path_field="unit_path", unit_field="unit_id"), unit_path__startswith=unit.path
    ).exclude(unit_path=unit.path)
    _add_tallies(rows, tally_sums(tallies, Substr("unit_path", 1, len(unit.path) + STEP)))
    return list(rows.values())


def _child_rows(user: Any, unit: Unit) -> dict[str, ChildRow]:
    """The children of ``unit`` the user reaches, by path, with their links and no counts yet."""
    scope = scope_for(user)
    children = Unit.objects.filter(scope.unit_q(), path__startswith=unit.path, depth=unit.depth + 1)
    # One URL reversal for all rows (reverse() per row and link was a tenth of the page's time).
    ledger_url = url_maker("rectification:ledger")
    return {child.path: ChildRow(child, url=ledger_url(child.code)) for child in children.order_by("path")}


def _add_tallies(rows: dict[str, ChildRow], found: list[dict[str, Any]]) -> None:
    """Add ``tally_sums`` groups to the rows of their branches (other groups are left out)."""
    for group in found:
        row = rows.get(group["branch"])
        if row is None:
            continue
        row.total += group["total"] or 0
        row.closed += group["closed"] or 0
        row.red += group["red"] or 0
        row.yellow += group["yellow"] or 0


def public_plans(unit: Unit) -> QuerySet[RectificationPlan]:
    return RectificationPlan.objects.filter(
        unit=unit, published=True, kind__in=[ListKind.TEAM, ListKind.GRASSROOTS], status=PlanStatus.APPROVED
    ).order_by("kind", "pk")


def public_items(unit: Unit) -> QuerySet[RectificationItem]:
    """What the public may see: published items of this unit only, never personal measures."""
    return (
        RectificationItem.objects.filter(
            unit=unit,
            is_public=True,
            plan__published=True,
            status__in=LIVE_STATUSES,
            kind__in=[ListKind.TEAM, ListKind.GRASSROOTS],
        )
        .only(
            "pk",
            "plan_id",
            "kind",
            "problem",
            "measure",
            "responsible_unit",
            "handling",
            "deadline",
            "explanation",
            "status",
            "evidence_count",
            "closed_on",
        )
        .order_by("plan_id", "pk")
    )


def attach_evidence_kinds(items: Iterable[RectificationItem]) -> list[RectificationItem]:
    """Set ``evidence_kind_labels`` on each item, for an evidence summary (one query)."""
    from rectification.choices import EvidenceKind

    items = list(items)
    labels: dict[int, list[str]] = defaultdict(list)
    rows = (
        Evidence.objects.filter(item__in=[i.pk for i in items])
        .order_by("item_id", "kind")
        .values_list("item_id", "kind")
        .distinct()
    )
    for item_id, kind in rows:
        labels[item_id].append(str(EvidenceKind(kind).label))
    for item in items:
        item.evidence_kind_labels = labels.get(item.pk, [])  # type: ignore[attr-defined]
    return items

"""Reading the chain data: which template applies, which steps apply, who reviews.

Conditions are data (JSON on ChainStep/ChainRule): a list of clauses, any of
which may match (OR); each clause is a dict of predicates that must all hold
(AND). An empty list matches everything. The predicates:

    subject            "body" (班子/组织 material) or "person" (personal material)
    material_kinds     [MaterialKind...]
    levels             [Level...] of the subject's unit
    categories         [UnitCategory...] of the subject's unit
    unit_kinds         [UnitKind...] of the subject's unit
    unit_is_area       true: the unit is the 党委 itself (e.g. 县委常委班子),
                       not its 人大/政府/政协 or a department
    post_roles         [PostRole...] the author holds in the unit
    party_gov_principal true/false: the author is a 党政主要负责同志 of the unit's area
                        (its 党委 secretary, its government head, or the principal of its 人民政府)
    in_reviewer_contact_point true: the unit (or its area) is a 联系点 of the step's reviewer
    negate             a nested clause that must NOT hold
    author_ranks       [Rank...] the author's 职级 (Person.rank); for a 班子/组织 subject, the
                       rank of whoever leads the unit (its principal or government head)
                       (material_kinds reads any subject's ``variant``: for a rectification
                       plan, its ListKind — team, personal, grassroots)

Reviewer rules resolve to people from the subject's unit at the moment a step
opens, so a post that changes mid-review is honoured.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from campaign import clock
from materials.choices import LEVELLED_RULES, SINGLE_PERSON_RULES, ReviewerRule
from units.choices import PARTY_GROUP_ORGAN_KINDS, Level, OrgKind, OrgRole, PostRole, UnitCategory, UnitKind
from units.models import ContactPoint, OrgMembership, Person, Post, SupervisionAssignment, Unit

PREDICATES = {
    "subject",
    "material_kinds",
    "levels",
    "categories",
    "unit_kinds",
    "unit_is_area",
    "post_roles",
    "party_gov_principal",
    "in_reviewer_contact_point",
    "negate",
    "author_ranks",
}


def validate_condition(condition: Any, field: str = "condition") -> None:
    if not isinstance(condition, list) or not all(isinstance(c, dict) for c in condition):
        raise ValidationError({field: _('适用条件必须是条件组的列表，例如 [{"subject": "person"}]。')})
    for clause in condition:
        _validate_clause(clause, field)


def _validate_clause(clause: dict[str, Any], field: str) -> None:
    unknown = set(clause) - PREDICATES
    if unknown:
        raise ValidationError({field: _("不认识的条件：%(keys)s") % {"keys": "、".join(sorted(unknown))}})
    if "subject" in clause and clause["subject"] not in ("body", "person"):
        raise ValidationError({field: _("subject 只能是 body 或 person。")})
    if "author_ranks" in clause:
        from units.choices import Rank

        ranks = clause["author_ranks"]
        if not isinstance(ranks, list) or not set(ranks) <= set(Rank.values):
            raise ValidationError({field: _('author_ranks 必须是职级代码的列表，例如 ["division"]。')})
    if "negate" in clause:
        if not isinstance(clause["negate"], dict):
            raise ValidationError({field: _("negate 必须是一个条件组。")})
        _validate_clause(clause["negate"], field)


def validate_step(step: Any) -> None:
    validate_condition(step.condition)
    if step.reviewer_rule in LEVELLED_RULES and step.rule_level is None:
        raise ValidationError({"rule_level": _("该审核人规则需要指定层级。")})
    if step.reviewer_rule == ReviewerRule.NAMED_PERSON and step.rule_person_id is None:
        raise ValidationError({"rule_person": _("“指定人员”规则需要选择审核人员。")})


# --- the subject ------------------------------------------------------------------


@dataclass
class Subject:
    """What the conditions and rules look at: the unit, its area, and the author's posts."""

    campaign_id: int
    unit: Unit
    area: Unit
    lineage: dict[str, Unit]  # every ancestor-or-self by path
    is_body: bool
    material_kind: str
    author: Person
    author_roles: set[str] = field(default_factory=set)
    party_gov_principal: bool = False

    @property
    def department(self) -> Unit:
        """The 直属单位 the unit belongs to (itself, or the department above a 下属机构)."""
        if self.unit.category != UnitCategory.SUBORDINATE:
            return self.unit
        for depth in range(self.unit.depth - 1, 0, -1):
            ancestor = self.lineage.get(self.unit.path[: depth * Unit.steplen])
            if ancestor is not None and ancestor.category == UnitCategory.DIRECT:
                return ancestor
        return self.unit

    def area_at(self, level: int) -> Unit | None:
        candidates = [
            u for u in self.lineage.values() if u.level == level and u.category == UnitCategory.TERRITORIAL
        ]
        return max(candidates, key=lambda u: u.depth) if candidates else None


def build_subject(
    *, campaign_id: int, unit: Unit, author: Person, is_body: bool, material_kind: str
) -> Subject:
    paths = [unit.path[: i * Unit.steplen] for i in range(1, unit.depth + 1)]
    lineage = {u.path: u for u in Unit.objects.filter(path__in=paths)}
    area = max(
        (u for u in lineage.values() if u.category == UnitCategory.TERRITORIAL and u.level == unit.level),
        key=lambda u: u.depth,
        default=unit,
    )
    today = clock.today()
    posts = list(Post.objects.active(today).filter(person=author).select_related("unit"))
    roles = {p.role for p in posts if p.unit_id == unit.pk}
    # 党政主要负责同志: the area's 党委 secretary or government head, or the principal of its 人民政府.
    party_gov = any(
        (p.unit_id == area.pk and p.role in (PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD))
        or (
            p.unit.kind == UnitKind.GOVERNMENT
            and p.role == PostRole.PRINCIPAL
            and p.unit.path[: -Unit.steplen] == area.path
        )
        for p in posts
    )
    return Subject(
        campaign_id=campaign_id,
        unit=unit,
        area=area,
        lineage=lineage,
        is_body=is_body,
        material_kind=material_kind,
        author=author,
        author_roles=roles,
        party_gov_principal=party_gov and not is_body,
    )


def _clause_holds(clause: dict[str, Any], subject: Subject, reviewer_ids: set[int]) -> bool:
    unit = subject.unit
    checks = {
        "subject": lambda v: v == ("body" if subject.is_body else "person"),
        "material_kinds": lambda v: subject.material_kind in v,
        "levels": lambda v: unit.level in v,
        "categories": lambda v: unit.category in v,
        "unit_kinds": lambda v: unit.kind in v,
        "unit_is_area": lambda v: (unit.pk == subject.area.pk) == bool(v),
        "post_roles": lambda v: not subject.is_body and bool(subject.author_roles & set(v)),
        "party_gov_principal": lambda v: subject.party_gov_principal == bool(v),
        "in_reviewer_contact_point": lambda v: _in_contact_point(subject, reviewer_ids) == bool(v),
        "negate": lambda v: not _clause_holds(v, subject, reviewer_ids),
        "author_ranks": lambda v: bool(_author_ranks(subject) & set(v)),
    }
    return all(checks[key](value) for key, value in clause.items())


def matches(condition: list[dict[str, Any]], subject: Subject, reviewer_ids: set[int] | None = None) -> bool:
    if not condition:
        return True
    return any(_clause_holds(clause, subject, reviewer_ids or set()) for clause in condition)


def _author_ranks(subject: Subject) -> set[str]:
    """The author's rank; a 班子/组织 subject is led at the ranks of the unit's principal and
    government head (one query, only when a condition asks)."""
    if not subject.is_body:
        return {subject.author.rank}
    leaders = Post.objects.active(clock.today()).filter(
        unit=subject.unit, role__in=[PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD]
    )
    return set(leaders.values_list("person__rank", flat=True))


def _in_contact_point(subject: Subject, reviewer_ids: set[int]) -> bool:
    if not reviewer_ids:
        return False
    return ContactPoint.objects.filter(
        campaign_id=subject.campaign_id, person_id__in=reviewer_ids, unit__in=[subject.unit, subject.area]
    ).exists()


# --- reviewers --------------------------------------------------------------------


@dataclass
class Resolution:
    people: list[Person]
    label: str
    self_review: bool = False  # the rule names exactly the author: the step does not apply


def _principal(unit: Unit | None) -> list[Person]:
    if unit is None:
        return []
    posts = (
        Post.objects.active(clock.today())
        .filter(unit=unit, role=PostRole.PRINCIPAL)
        .select_related("person__user")  # the engine assigns and grants to their accounts
    )
    return [p.person for p in posts]


def _org_members(area: Unit | None, kind: str, leaders_only: bool = False) -> list[Person]:
    if area is None:
        return []
    seats = OrgMembership.objects.active(clock.today()).filter(
        organization__unit=area, organization__kind=kind
    )
    if leaders_only:
        seats = seats.filter(role=OrgRole.LEADER)
    return [m.person for m in seats.select_related("person__user").order_by("role", "person__name")]


def area_title(area: Unit | None, level: int | None = None) -> str:
    """How a 党委 is called: 河南省委, 濮阳市委, 清丰县委, 城关镇党委, 东街村党组织."""
    if area is None:
        return str(Level(level).label) if level is not None else ""
    if area.kind == UnitKind.CENTRAL:
        return str(_("中央"))
    if area.kind in (UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY):
        return _("%(name)s委") % {"name": area.name}
    if area.kind == UnitKind.TOWNSHIP:
        return _("%(name)s党委") % {"name": area.name}
    return _("%(name)s党组织") % {"name": area.name}


def supervision_groups_for(units: Iterable[Unit], levels: dict[int, int]) -> dict[int, list[int]]:
    """For each unit, the ids of the 督导组 set up at level ``levels[unit.pk]`` that are sent to the
    unit or, failing that, to its nearest ancestor that has one. One query for any number of units."""
    units = list(units)
    if not units:
        return {}
    paths = {u.path[: i * Unit.steplen] for u in units for i in range(1, u.depth + 1)}
    assignments = SupervisionAssignment.objects.active(clock.today()).filter(
        group__unit__level__in=set(levels.values()), group__unit__category=UnitCategory.TERRITORIAL
    )
    if len(paths) <= 500:  # otherwise every assignment of those levels: there are few of them
        assignments = assignments.filter(unit__path__in=paths)
    sent: dict[tuple[str, int], set[int]] = defaultdict(set)
    for group_id, path, level in assignments.values_list("group_id", "unit__path", "group__unit__level"):
        sent[(path, level)].add(group_id)
    found: dict[int, list[int]] = {}
    for unit in units:
        found[unit.pk] = []
        for depth in range(unit.depth, 0, -1):
            groups = sent.get((unit.path[: depth * Unit.steplen], levels[unit.pk]))
            if groups:
                found[unit.pk] = sorted(groups)
                break
    return found


def group_seats(group_ids: Iterable[int]) -> list[OrgMembership]:
    """Active seats of these groups with their people and organisations, 组长 first. One query."""
    return list(
        OrgMembership.objects.active(clock.today())
        .filter(organization_id__in=list(group_ids))
        .select_related("person__user", "organization")
        .order_by("role", "person__name")
    )


def _supervisors(subject: Subject, level: int) -> tuple[list[Person], str]:
    """Members of the 督导组 of ``level`` sent to the unit or to the nearest unit above it."""
    group_ids = supervision_groups_for([subject.unit], {subject.unit.pk: level})[subject.unit.pk]
    seats = group_seats(group_ids)
    names = sorted({m.organization.name for m in seats})
    label = "、".join(names) if names else _("%(level)s级督导组") % {"level": Level(level).label}
    return [m.person for m in seats], label


def _overseeing(subject: Subject) -> list[Person]:
    department = subject.department
    posts = (
        Post.objects.active(clock.today())
        .filter(oversees=department)
        .filter(
            Q(unit=subject.area)
            | Q(unit__path__startswith=subject.area.path, unit__category=UnitCategory.FOUR_BODIES)
        )
        .select_related("person__user")
        .distinct()
    )
    return [p.person for p in posts]


def resolve(step: Any, subject: Subject) -> Resolution:
    """The people who review ``step`` for ``subject`` (the author never among them)."""
    rule, level = step.reviewer_rule, step.rule_level
    area = subject.area_at(level) if level is not None else None
    title = area_title(area, level)
    if rule == ReviewerRule.UNIT_PRINCIPAL:
        people, label = _principal(subject.unit), _("%(unit)s主要负责同志") % {"unit": subject.unit.name}
    elif rule == ReviewerRule.DEPARTMENT_PRINCIPAL:
        people, label = (
            _principal(subject.department),
            _("%(unit)s主要负责人") % {"unit": subject.department.name},
        )
    elif rule == ReviewerRule.PARTY_GROUP_PRINCIPAL:
        organ = subject.unit if subject.unit.kind in PARTY_GROUP_ORGAN_KINDS else None
        people = _principal(organ)
        label = _("%(unit)s党组主要负责同志") % {"unit": subject.unit.name}
    elif rule == ReviewerRule.SECRETARY:
        people, label = _principal(area), _("%(area)s书记") % {"area": title}
    elif rule == ReviewerRule.SUPERVISION_GROUP:
        people, label = _supervisors(subject, level or 0)
    elif rule == ReviewerRule.OFFICE:
        people, label = _org_members(area, OrgKind.OFFICE), _("%(area)s活动办") % {"area": title}
    elif rule == ReviewerRule.LIAISON_GROUP:
        people, label = _org_members(area, OrgKind.LIAISON_GROUP), _("%(area)s活动办联络组") % {"area": title}
    elif rule == ReviewerRule.LEADING_GROUP_LEADER:
        people = _org_members(area, OrgKind.LEADING_GROUP, leaders_only=True)
        label = _("%(area)s教育实践活动领导小组负责同志") % {"area": title}
    elif rule == ReviewerRule.OVERSEEING_LEADER:
        people, label = _overseeing(subject), _("分管%(unit)s的领导") % {"unit": subject.department.name}
    else:
        people = [step.rule_person] if step.rule_person_id else []
        label = step.rule_person.name if step.rule_person_id else _("指定人员")
    if people and rule in SINGLE_PERSON_RULES and {p.pk for p in people} == {subject.author.pk}:
        return Resolution([], label, self_review=True)
    return Resolution([p for p in people if p.pk != subject.author.pk], label)


# --- the plan of a round ----------------------------------------------------------


@dataclass
class PlannedStep:
    step: Any
    applies: bool
    reason: str
    resolution: Resolution | None = None


def plan(steps: list[Any], subject: Subject) -> list[PlannedStep]:
    """Which of ``steps`` apply to ``subject``, and why the others do not."""
    planned = []
    for step in steps:
        resolution = resolve(step, subject)
        if resolution.self_review:
            planned.append(PlannedStep(step, False, _("审核人为本人，本人材料此环节不适用"), resolution))
            continue
        reviewer_ids = {p.pk for p in resolution.people}
        if not matches(step.condition, subject, reviewer_ids):
            planned.append(PlannedStep(step, False, _("按流程规定，此环节不审核该类材料"), resolution))
            continue
        planned.append(PlannedStep(step, True, "", resolution))
    return planned

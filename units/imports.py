"""Bulk import of units, people and posts from the spreadsheets offices keep.

Each importer validates every row first and reports each rejected row with its
line number and reason. A file with errors imports nothing unless the office
asks to skip the bad rows. Valid rows are written in bulk with history rows
attributed to the importing user, so a province's 25,000 units load in seconds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaign.audit import acting_as
from campaign.choices import JobKind
from campaign.tabular import Column, Row, RowError, parse_date
from units.access import AccessScope, require, scope_for
from units.choices import TERRITORIAL_KINDS, PostRole, Rank, UnitCategory, UnitKind
from units.models import Person, Post, Unit
from units.services import placement

Progress = Callable[[int, int], None]
BATCH = 1000
CODE_RE = re.compile(r"^[0-9A-Za-z_\-]{1,32}$")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)
    applied: bool = True

    def summary(self) -> str:
        if not self.applied:
            return _("文件中有 %(n)d 行错误，未导入任何数据。请修改后重新导入，或勾选“跳过有错误的行”。") % {
                "n": len(self.rejected)
            }
        text = _("新增 %(c)d 条，更新 %(u)d 条，未变 %(s)d 条") % {
            "c": self.created,
            "u": self.updated,
            "s": self.unchanged,
        }
        if self.rejected:
            return _("%(summary)s；跳过有错误的 %(n)d 行。") % {"summary": text, "n": len(self.rejected)}
        return _("%(summary)s。") % {"summary": text}

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "applied": self.applied,
            "summary": self.summary(),
            "rejected": [{"line": e.line, "errors": e.errors} for e in self.rejected],
        }


def _label_lookup(choices: Any, aliases: dict[str, str]) -> dict[str, str]:
    table = {str(label): value for value, label in choices}
    table.update({value: value for value, _label in choices})
    table.update(aliases)
    return table


KIND_BY_TEXT = _label_lookup(
    UnitKind.choices,
    {
        "县": UnitKind.COUNTY,
        "区": UnitKind.COUNTY,
        "县级市": UnitKind.COUNTY,
        "县(区)": UnitKind.COUNTY,
        "乡": UnitKind.TOWNSHIP,
        "镇": UnitKind.TOWNSHIP,
        "乡镇": UnitKind.TOWNSHIP,
        "街道": UnitKind.TOWNSHIP,
        "人大": UnitKind.PEOPLES_CONGRESS,
        "政府": UnitKind.GOVERNMENT,
        "市直单位": UnitKind.DEPARTMENT,
        "县直单位": UnitKind.DEPARTMENT,
        "直属单位": UnitKind.DEPARTMENT,
        "机关部门": UnitKind.DEPARTMENT,
        "执法监管部门": UnitKind.ENFORCEMENT,
        "窗口单位": UnitKind.ENFORCEMENT,
        "事业单位": UnitKind.ENTERPRISE,
        "企业": UnitKind.ENTERPRISE,
        "国有企业": UnitKind.ENTERPRISE,
        "非公企业": UnitKind.NON_PUBLIC,
    },
)
RANK_BY_TEXT = _label_lookup(Rank.choices, {"": Rank.OTHER})
ROLE_BY_TEXT = _label_lookup(
    PostRole.choices,
    {
        "主要负责人": PostRole.PRINCIPAL,
        "书记": PostRole.PRINCIPAL,
        "成员": PostRole.MEMBER,
        "": PostRole.MEMBER,
    },
)


def _text(row: Row, key: str) -> str:
    value = row.values.get(key, "")
    return "" if value is None else str(value).strip()


def _check_code(value: str, label: str, errors: list[str]) -> None:
    if not value:
        errors.append(_("%(label)s不能为空") % {"label": label})
    elif not CODE_RE.match(value):
        errors.append(
            _("%(label)s“%(value)s”只能由字母、数字、下划线和短横线组成，最长32位")
            % {"label": label, "value": value}
        )


def _check_length(value: str, label: str, limit: int, errors: list[str]) -> None:
    if not value:
        errors.append(_("%(label)s不能为空") % {"label": label})
    elif len(value) > limit:
        errors.append(_("%(label)s不能超过%(n)d个字") % {"label": label, "n": limit})


def _finish(report: ImportReport, skip_errors: bool) -> bool:
    """Whether to write: nothing is written from a file with errors unless asked."""
    if report.rejected and not skip_errors:
        report.applied = False
        return False
    return True


# --- units -----------------------------------------------------------------

UNIT_COLUMNS = [
    Column("单位编码", "code"),
    Column("单位名称", "name", aliases=("名称",)),
    Column("单位类型", "kind", aliases=("类型",)),
    Column("上级单位编码", "parent", aliases=("上级编码",)),
]


@dataclass
class _UnitRow:
    line: int
    code: str
    name: str
    kind: str
    parent_code: str


def import_units(
    *, actor: Any, rows: Sequence[Row], skip_errors: bool, progress: Progress | None = None
) -> ImportReport:
    scope = scope_for(actor)
    report = ImportReport()
    existing = {
        u.code: u
        for u in Unit.objects.only(
            "id", "code", "name", "kind", "level", "category", "path", "depth", "numchild", "version"
        )
    }
    parsed: dict[str, _UnitRow] = {}
    errors_by_line: dict[int, list[str]] = {}
    for row in rows:
        errors: list[str] = []
        code, name, parent_code = _text(row, "code"), _text(row, "name"), _text(row, "parent")
        kind = KIND_BY_TEXT.get(_text(row, "kind"))
        _check_code(code, _("单位编码"), errors)
        _check_length(name, _("单位名称"), 100, errors)
        if kind is None:
            errors.append(_("单位类型“%(v)s”无法识别") % {"v": _text(row, "kind")})
        if code in parsed:
            errors.append(
                _("单位编码“%(code)s”与第%(line)d行重复") % {"code": code, "line": parsed[code].line}
            )
        if parent_code and parent_code == code:
            errors.append(_("上级单位不能是自己"))
        if errors:
            errors_by_line[row.line] = errors
            if code and code not in parsed:
                parsed[code] = _UnitRow(row.line, code, name, kind or "", parent_code)
            continue
        parsed[code] = _UnitRow(row.line, code, name, kind or "", parent_code)

    # Resolve parents and placement in dependency order; a row whose parent row
    # failed fails too, with the reason pointing at the parent's line.
    placed: dict[str, Unit] = {}
    resolved: dict[str, bool] = {}

    def resolve(code: str, trail: tuple[str, ...] = ()) -> bool:
        if code in resolved:
            return resolved[code]
        item = parsed[code]
        errors = errors_by_line.setdefault(item.line, [])
        if code in trail:
            errors.append(_("上级单位关系出现循环"))
            resolved[code] = False
            return False
        ok = not errors
        parent: Unit | None = None
        if item.parent_code in parsed:
            parent_ok = resolve(item.parent_code, (*trail, code))
            if not parent_ok:
                errors.append(_("上级单位（第%(line)d行）有错误") % {"line": parsed[item.parent_code].line})
                ok = False
            else:
                parent = placed.get(item.parent_code) or existing.get(item.parent_code)
        elif item.parent_code:
            parent = existing.get(item.parent_code)
            if parent is None:
                errors.append(_("上级单位编码“%(code)s”不存在") % {"code": item.parent_code})
                ok = False
            elif code not in existing and not scope.can_manage(parent.path):
                # Adding under a unit needs office rights there; an existing unit is
                # checked on itself below, so an office can re-import its own root row.
                errors.append(_("您无权管理上级单位“%(name)s”") % {"name": parent.name})
                ok = False
        elif not scope.is_superuser and code not in existing:
            errors.append(_("上级单位编码不能为空"))
            ok = False
        if ok and code in existing:
            ok = _check_existing_unit(existing[code], item, parent, scope, errors)
        elif ok:
            try:
                level, category = placement(kind=item.kind, parent=parent)
            except ValidationError as exc:
                errors.extend(exc.messages)
                ok = False
            else:
                placed[code] = Unit(
                    code=code,
                    name=item.name,
                    kind=item.kind,
                    level=level,
                    category=category,
                    path=parent.path if parent else "",
                    depth=(parent.depth if parent else 0) + 1,
                )
        resolved[code] = ok
        return ok

    for code in parsed:
        resolve(code)
    report.rejected = [RowError(line, errs) for line, errs in sorted(errors_by_line.items()) if errs]
    if not _finish(report, skip_errors):
        return report
    with transaction.atomic():
        _write_units(actor, parsed, placed, existing, resolved, report, progress)
    return report


def _check_existing_unit(
    unit: Unit, item: _UnitRow, parent: Unit | None, scope: AccessScope, errors: list[str]
) -> bool:
    if not scope.can_manage(unit.path):
        errors.append(_("您无权修改单位“%(name)s”") % {"name": unit.name})
    if unit.kind != item.kind:
        errors.append(_("不能通过导入修改单位类型（现为“%(kind)s”）") % {"kind": unit.get_kind_display()})
    current_parent = unit.path[: -unit.steplen]
    if (parent.path if parent else "") != current_parent:
        errors.append(_("不能通过导入调整上级单位"))
    return not errors


def _write_units(
    actor: Any,
    parsed: dict[str, _UnitRow],
    placed: dict[str, Unit],
    existing: dict[str, Unit],
    resolved: dict[str, bool],
    report: ImportReport,
    progress: Progress | None,
) -> None:
    # Next free step under each parent, from the paths already in the tree.
    last_step: dict[str, int] = defaultdict(int)
    for unit in existing.values():
        parent_path = unit.path[: -Unit.steplen]
        last_step[parent_path] = max(last_step[parent_path], Unit._str2int(unit.path[-Unit.steplen :]))
    numchild_gain: dict[str, int] = defaultdict(int)
    created: list[Unit] = []
    by_code = {**existing}
    # Parents before children: a new unit's path needs its parent's path.
    pending = [code for code in parsed if code in placed]
    done: set[str] = set()
    while pending:
        progress_made = False
        for code in list(pending):
            item = parsed[code]
            parent = by_code.get(item.parent_code) if item.parent_code else None
            if item.parent_code and item.parent_code in placed and item.parent_code not in done:
                continue
            unit = placed[code]
            parent_path = parent.path if parent else ""
            last_step[parent_path] += 1
            unit.path = Unit._get_path(
                parent_path, len(parent_path) // Unit.steplen + 1, last_step[parent_path]
            )
            unit.depth = len(unit.path) // Unit.steplen
            numchild_gain[parent_path] += 1
            created.append(unit)
            by_code[code] = unit
            done.add(code)
            pending.remove(code)
            progress_made = True
        if not progress_made:  # pragma: no cover - cycles were rejected above
            break
    for unit in created:
        unit.numchild = numchild_gain.get(unit.path, 0)
    total = len(created)
    for start in range(0, total, BATCH):
        bulk_create_with_history(created[start : start + BATCH], Unit, batch_size=BATCH, default_user=actor)
        if progress:
            progress(min(start + BATCH, total), total)
    # numchild is tree bookkeeping, excluded from history: a plain bulk update is right.
    grown = [u for u in existing.values() if numchild_gain.get(u.path)]
    for unit in grown:
        unit.numchild += numchild_gain[unit.path]
    Unit.objects.bulk_update(grown, ["numchild"], batch_size=BATCH)
    renamed = []
    for code, item in parsed.items():
        if code in existing and resolved.get(code):
            unit = existing[code]
            if unit.name != item.name:
                unit.name = item.name
                unit.version += 1
                renamed.append(unit)
            else:
                report.unchanged += 1
    if renamed:
        bulk_update_with_history(renamed, Unit, ["name", "version"], batch_size=BATCH, default_user=actor)
    report.created, report.updated = total, len(renamed)


# --- people ----------------------------------------------------------------

PEOPLE_COLUMNS = [
    Column("人员编码", "code"),
    Column("姓名", "name"),
    Column("职级", "rank", required=False),
    Column("联系电话", "phone", required=False),
]


def import_people(
    *, actor: Any, rows: Sequence[Row], skip_errors: bool, progress: Progress | None = None
) -> ImportReport:
    scope = scope_for(actor)
    require(scope.is_office_staff, _("只有活动办工作人员可以导入人员。"))
    report = ImportReport()
    codes = [_text(r, "code") for r in rows]
    existing = {p.code: p for p in Person.objects.filter(code__in=codes)}
    post_paths: dict[int, list[str]] = defaultdict(list)
    for person_id, path in Post.objects.filter(person__code__in=codes).values_list("person_id", "unit__path"):
        post_paths[person_id].append(path)
    seen: dict[str, int] = {}
    new: list[Person] = []
    changed: list[Person] = []
    for row in rows:
        errors: list[str] = []
        code, name, phone = _text(row, "code"), _text(row, "name"), _text(row, "phone")
        rank = RANK_BY_TEXT.get(_text(row, "rank"))
        _check_code(code, _("人员编码"), errors)
        _check_length(name, _("姓名"), 50, errors)
        if rank is None:
            errors.append(_("职级“%(v)s”无法识别") % {"v": _text(row, "rank")})
        if len(phone) > 32:
            errors.append(_("联系电话不能超过32个字符"))
        if code in seen:
            errors.append(_("人员编码“%(code)s”与第%(line)d行重复") % {"code": code, "line": seen[code]})
        seen.setdefault(code, row.line)
        person = existing.get(code)
        if person is not None and not scope.is_superuser:
            paths = post_paths.get(person.pk, [])
            if paths and not any(scope.can_manage(p) for p in paths):
                errors.append(_("人员“%(name)s”的任职单位不在您的管理范围内") % {"name": person.name})
        if errors:
            report.rejected.append(RowError(row.line, errors))
            continue
        if person is None:
            new.append(Person(code=code, name=name, rank=rank or Rank.OTHER, phone=phone))
        elif (person.name, person.rank, person.phone) != (name, rank, phone):
            person.name, person.rank, person.phone = name, rank or Rank.OTHER, phone
            person.version += 1
            changed.append(person)
        else:
            report.unchanged += 1
    if not _finish(report, skip_errors):
        return report
    with transaction.atomic():
        for start in range(0, len(new), BATCH):
            bulk_create_with_history(new[start : start + BATCH], Person, batch_size=BATCH, default_user=actor)
            if progress:
                progress(min(start + BATCH, len(new)), len(new) + len(changed))
        if changed:
            bulk_update_with_history(
                changed, Person, ["name", "rank", "phone", "version"], batch_size=BATCH, default_user=actor
            )
    report.created, report.updated = len(new), len(changed)
    return report


# --- posts -----------------------------------------------------------------

POST_COLUMNS = [
    Column("人员编码", "person"),
    Column("单位编码", "unit"),
    Column("职务", "title"),
    Column("班子角色", "role", required=False),
    Column("排序", "sort_order", required=False),
    Column("任职日期", "start_date"),
    Column("免职日期", "end_date", required=False),
    Column("分管单位编码", "oversees", required=False),
]
_SPLIT = re.compile(r"[,，、;；\s]+")


def _area_path(unit: Unit, units_by_path: dict[str, Unit]) -> str:
    if unit.category == UnitCategory.TERRITORIAL:
        return unit.path
    for depth in range(unit.depth - 1, 0, -1):
        ancestor = units_by_path.get(unit.path[: depth * Unit.steplen])
        if ancestor is not None and ancestor.kind in TERRITORIAL_KINDS:
            return ancestor.path
    return unit.path


def import_posts(
    *, actor: Any, rows: Sequence[Row], skip_errors: bool, progress: Progress | None = None
) -> ImportReport:
    scope = scope_for(actor)
    report = ImportReport()
    person_codes = {_text(r, "person") for r in rows}
    unit_codes = {_text(r, "unit") for r in rows}
    for row in rows:
        unit_codes.update(c for c in _SPLIT.split(_text(row, "oversees")) if c)
    people = {p.code: p for p in Person.objects.filter(code__in=person_codes)}
    units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes)}
    ancestor_paths = {u.path[: d * Unit.steplen] for u in units.values() for d in range(1, u.depth)}
    units_by_path = {u.path: u for u in Unit.objects.filter(path__in=ancestor_paths)}
    units_by_path.update({u.path: u for u in units.values()})
    existing = {
        (p.person_id, p.unit_id, p.title, p.start_date): p
        for p in Post.objects.filter(person__code__in=person_codes, unit__code__in=unit_codes)
    }
    current_oversees: dict[int, set[int]] = defaultdict(set)
    for post_id, unit_id in Post.oversees.through.objects.filter(
        post_id__in=[p.pk for p in existing.values()]
    ).values_list("post_id", "unit_id"):
        current_oversees[post_id].add(unit_id)
    # Heads already in post, to refuse a second 主要负责同志 at the same time.
    heads = defaultdict(list)
    for post in Post.objects.filter(
        unit__code__in=unit_codes, role__in=[PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD]
    ).select_related("person"):
        heads[(post.unit_id, post.role)].append(post)

    new: list[tuple[Post, list[Unit]]] = []
    changed: list[tuple[Post, list[Unit] | None]] = []
    for row in rows:
        errors: list[str] = []
        person = people.get(_text(row, "person"))
        unit = units.get(_text(row, "unit"))
        title = _text(row, "title")
        role = ROLE_BY_TEXT.get(_text(row, "role"))
        if person is None:
            errors.append(_("人员编码“%(c)s”不存在，请先导入人员") % {"c": _text(row, "person")})
        if unit is None:
            errors.append(_("单位编码“%(c)s”不存在") % {"c": _text(row, "unit")})
        elif not scope.can_manage(unit.path):
            errors.append(_("您无权管理单位“%(name)s”") % {"name": unit.name})
        _check_length(title, _("职务"), 100, errors)
        if role is None:
            errors.append(_("班子角色“%(v)s”无法识别") % {"v": _text(row, "role")})
        elif role == PostRole.GOVERNMENT_HEAD and unit is not None and unit.kind not in TERRITORIAL_KINDS:
            errors.append(_("“政府主要负责同志”只用于市、县、乡镇的党政班子"))
        sort_text = _text(row, "sort_order") or "100"
        if not sort_text.isdigit() or int(sort_text) > 999:
            errors.append(_("排序须为0到999之间的整数"))
        start = end = None
        try:
            start = parse_date(row.values.get("start_date"))
        except ValueError as exc:
            errors.append(_("任职日期：") + str(exc))
        if _text(row, "end_date"):
            try:
                end = parse_date(row.values.get("end_date"))
            except ValueError as exc:
                errors.append(_("免职日期：") + str(exc))
        if start and end and end < start:
            errors.append(_("免职日期不能早于任职日期"))
        overseen_codes = [c for c in _SPLIT.split(_text(row, "oversees")) if c]
        overseen = [units[c] for c in overseen_codes if c in units]
        missing = [c for c in overseen_codes if c not in units]
        if missing:
            errors.append(_("分管单位编码不存在：%(c)s") % {"c": "、".join(missing)})
        if unit is not None:
            area = _area_path(unit, units_by_path)
            outside = [u.name for u in overseen if not u.path.startswith(area) or u.pk == unit.pk]
            if outside:
                errors.append(_("分管单位不在本地区范围内：%(n)s") % {"n": "、".join(outside)})
        key = (person.pk, unit.pk, title, start) if person and unit and start else None
        current = existing.get(key) if key else None
        if (
            not errors
            and role in (PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD)
            and unit
            and person
            and start
        ):
            for other in heads[(unit.pk, role)]:
                if current is not None and other.pk == current.pk:
                    continue
                overlaps = (other.end_date is None or other.end_date >= start) and (
                    end is None or other.start_date <= end
                )
                if overlaps:
                    errors.append(
                        _("“%(unit)s”在该期间已有%(role)s“%(person)s”")
                        % {"unit": unit.name, "role": PostRole(role).label, "person": other.person}
                    )
                    break
        if errors:
            report.rejected.append(RowError(row.line, errors))
            continue
        assert person is not None and unit is not None and start is not None and role is not None
        if current is None:
            post = Post(
                person=person,
                unit=unit,
                title=title,
                role=role,
                sort_order=int(sort_text),
                start_date=start,
                end_date=end,
            )
            new.append((post, overseen))
            if role in (PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD):
                heads[(unit.pk, role)].append(post)
            existing[(person.pk, unit.pk, title, start)] = post
        else:
            fields_changed = (current.role, current.sort_order, current.end_date) != (
                role,
                int(sort_text),
                end,
            )
            overseen_changed = (
                bool(overseen_codes) and {u.pk for u in overseen} != current_oversees[current.pk]
            )
            if fields_changed:
                current.role, current.sort_order, current.end_date = role, int(sort_text), end
                current.version += 1
            if fields_changed or overseen_changed:
                changed.append((current, overseen if overseen_codes else None))
            else:
                report.unchanged += 1
    if not _finish(report, skip_errors):
        return report
    with transaction.atomic():
        posts = [p for p, _o in new]
        for offset in range(0, len(posts), BATCH):
            bulk_create_with_history(
                posts[offset : offset + BATCH], Post, batch_size=BATCH, default_user=actor
            )
            if progress:
                progress(min(offset + BATCH, len(posts)), len(posts) + len(changed))
        field_updates = [p for p, _o in changed]
        if field_updates:
            bulk_update_with_history(
                field_updates,
                Post,
                ["role", "sort_order", "end_date", "version"],
                batch_size=BATCH,
                default_user=actor,
            )
        # 分管 is a many-to-many with its own history; only 班子 members carry it.
        with acting_as(actor):
            for post, overseen_units in [*new, *changed]:
                if overseen_units:
                    post.oversees.set(overseen_units)
    report.created, report.updated = len(new), len(changed)
    return report


@dataclass(frozen=True)
class ImportKind:
    label: Any
    columns: list[Column]
    run: Callable[..., ImportReport]


IMPORT_KINDS: dict[str, ImportKind] = {
    JobKind.UNITS_IMPORT: ImportKind(gettext_lazy("单位"), UNIT_COLUMNS, import_units),
    JobKind.PEOPLE_IMPORT: ImportKind(gettext_lazy("人员"), PEOPLE_COLUMNS, import_people),
    JobKind.POSTS_IMPORT: ImportKind(gettext_lazy("职务"), POST_COLUMNS, import_posts),
}

"""The 整改台账 as offices keep it: export of a subtree to .xlsx, and re-import of progress.

One row per item: 编号, 单位, 问题, 来源, 整改措施, 整改目标, 责任领导, 责任单位, 完成时限,
办理类别, 状态, 佐证材料数, 最近进展, 版本. A re-import matches rows by 编号 and takes
only the two columns an owner fills in offline — 状态 (to 整改中 or 申请销号) and 最近进展
(a new progress report) — through the same services as the pages. Rows that change
nothing write nothing; a row edited after someone else changed the item (版本) is
refused. Like the unit imports, a file with errors imports nothing unless the user
asks to skip the bad rows, and every rejected row is reported with its line number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaign.tabular import Column, Row, RowError
from rectification import rights, services, source_registry
from rectification.choices import WORKING_STATUSES, Handling, ItemStatus
from rectification.models import ItemSource, ProgressReport, RectificationItem
from rectification.selectors import items_visible_to, ledger
from units.imports import ImportReport
from units.models import Unit

Progress = Callable[[int, int], None]
CHUNK = 1000
NUMBER_PREFIX = "ZG"

LEDGER_COLUMNS = [
    Column("编号", "number", aliases=("序号", "事项编号")),
    Column("单位", "unit", required=False),
    Column("问题", "problem", required=False),
    Column("来源", "sources", required=False),
    Column("整改措施", "measure", required=False),
    Column("整改目标", "target", required=False),
    Column("责任领导", "leader", required=False),
    Column("责任单位", "responsible_unit", required=False),
    Column("完成时限", "deadline", required=False),
    Column("办理类别", "handling", required=False),
    Column("状态", "status"),
    Column("佐证材料数", "evidence", required=False),
    Column("最近进展", "progress"),
    Column("版本", "version"),
]
STATUS_BY_TEXT = {str(label): value for value, label in ItemStatus.choices} | {
    v: v for v in ItemStatus.values
}


def format_number(pk: int) -> str:
    return f"{NUMBER_PREFIX}{pk:06d}"


def parse_number(text: Any) -> int | None:
    value = str(text or "").strip().upper()
    if value.startswith(NUMBER_PREFIX):
        value = value[len(NUMBER_PREFIX) :]
    return int(value) if value.isdigit() else None


def _chunks(iterable: Any, size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def ledger_rows(
    user: Any, unit: Unit, filters: dict[str, str] | None = None
) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and rows of a subtree's 台账; per 1,000 items: the items, their links, one query per kind."""
    items = ledger(user, unit, filters).order_by("unit_path", "pk")

    def rows() -> Iterator[list[Any]]:
        for batch in _chunks(items.iterator(chunk_size=CHUNK), CHUNK):
            links: dict[int, list[tuple[str, int]]] = {}
            for item_id, kind, ident in ItemSource.objects.filter(item__in=[i.pk for i in batch]).values_list(
                "item_id", "source_kind", "source_id"
            ):
                links.setdefault(item_id, []).append((kind, ident))
            infos = source_registry.describe(pair for pairs in links.values() for pair in pairs)
            for item in batch:
                labels = []
                for pair in links.get(item.pk, []):
                    info = infos.get(pair)
                    labels.append(f"{info.kind_label}：{info.label}" if info else f"{pair[0]} #{pair[1]}")
                yield [
                    format_number(item.pk),
                    item.unit.name,
                    item.problem,
                    "\n".join(labels),
                    item.measure,
                    item.target,
                    item.responsible_leader.name if item.responsible_leader else "",
                    item.responsible_unit,
                    item.deadline.isoformat() if item.deadline else "",
                    item.get_handling_display()
                    if item.handling != Handling.NOT_YET
                    else f"{item.get_handling_display()}（{item.explanation}）",
                    item.get_status_display(),
                    item.evidence_count,
                    item.last_progress,
                    item.version,
                ]

    return [c.header for c in LEDGER_COLUMNS], rows()


@dataclass
class _Change:
    line: int
    item: RectificationItem
    progress: str
    request_close: bool


def _text(row: Row, key: str) -> str:
    value = row.values.get(key, "")
    return "" if value is None else str(value).strip()


def _check_row(
    actor: Any, row: Row, item: RectificationItem | None, has_reports: bool, errors: list[str]
) -> _Change | None:
    """The change a row asks for, or None when it asks for none (errors appended)."""
    if item is None:
        errors.append(_("编号“%(n)s”的整改事项不存在或不在您的查看范围内") % {"n": _text(row, "number")})
        return None
    status = STATUS_BY_TEXT.get(_text(row, "status"))
    if status is None:
        errors.append(_("状态“%(s)s”无法识别") % {"s": _text(row, "status")})
        return None
    progress = _text(row, "progress")
    new_progress = bool(progress) and progress != item.last_progress.strip()
    new_status = status != item.status
    if not new_progress and not new_status:
        return None
    version = _text(row, "version")
    if version != str(item.version):
        errors.append(_("该事项在导出后已被修改（当前版本 %(v)d），请重新导出后再填写") % {"v": item.version})
        return None
    if item.status not in WORKING_STATUSES:
        errors.append(_("该事项%(status)s，不能通过导入修改") % {"status": item.get_status_display()})
        return None
    if new_status and status not in (ItemStatus.IN_PROGRESS, ItemStatus.CLOSE_REQUESTED):
        errors.append(_("状态只能改为“整改中”或“申请销号”；销号、退回、复号、撤销请在系统中办理"))
        return None
    if new_status and status == ItemStatus.IN_PROGRESS and not new_progress:
        errors.append(_("改为“整改中”时，请在“最近进展”中填写进展情况"))
        return None
    request_close = new_status and status == ItemStatus.CLOSE_REQUESTED
    if request_close and not (new_progress or has_reports):
        errors.append(_("申请销号前须先报告整改进展，请在“最近进展”中填写"))
        return None
    if request_close and not rights.can_edit_item(actor, item):
        errors.append(_("您不是该事项的责任单位，不能申请销号"))
        return None
    if new_progress and not rights.can_report_item(actor, item):
        errors.append(_("您不能报告该事项的进展"))
        return None
    return _Change(row.line, item, progress if new_progress else "", request_close)


def import_ledger(
    *, actor: Any, rows: Sequence[Row], skip_errors: bool, progress: Progress | None = None
) -> ImportReport:
    report = ImportReport()
    numbers: dict[int, int] = {}
    rejected: dict[int, list[str]] = {}
    for row in rows:
        number = parse_number(row.values.get("number"))
        if number is None:
            rejected[row.line] = [_("编号“%(n)s”无法识别") % {"n": _text(row, "number")}]
        elif number in numbers:
            rejected[row.line] = [_("编号与第%(line)d行重复") % {"line": numbers[number]}]
        else:
            numbers[number] = row.line
    items: dict[int, RectificationItem] = {}
    reported: set[int] = set()
    for batch in _chunks(numbers, 500):
        items.update((i.pk, i) for i in items_visible_to(actor).filter(pk__in=batch).select_related("unit"))
        reported.update(
            ProgressReport.objects.filter(item_id__in=batch).values_list("item_id", flat=True).distinct()
        )
    changes: list[_Change] = []
    for row in rows:
        if row.line in rejected:
            continue
        number = parse_number(row.values.get("number"))
        assert number is not None
        errors: list[str] = []
        change = _check_row(actor, row, items.get(number), number in reported, errors)
        if errors:
            rejected[row.line] = errors
        elif change is None:
            report.unchanged += 1
        else:
            changes.append(change)
    report.rejected = [RowError(line, errs) for line, errs in sorted(rejected.items())]
    if report.rejected and not skip_errors:
        report.applied = False
        report.unchanged = 0
        return report
    total = len(changes)
    for done, change in enumerate(changes, start=1):
        try:
            with transaction.atomic():
                if change.progress:
                    services.item_report_progress(actor=actor, item=change.item, text=change.progress)
                if change.request_close:
                    services.item_request_close(
                        actor=actor, item=change.item, version=None, note=_("由台账导入申请销号")
                    )
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            report.rejected.append(RowError(change.line, list(messages)))
        else:
            report.updated += 1
        if progress is not None and (done % 50 == 0 or done == total):
            progress(done, total)
    report.rejected.sort(key=lambda e: e.line)
    return report

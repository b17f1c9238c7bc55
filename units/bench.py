"""Benchmark cases of units: the unit page, and an import of 25,000 units from .xlsx."""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction
from django.urls import reverse

from campaign.bench import Case, Setting
from campaign.tabular import read_table, write_xlsx
from units.imports import UNIT_COLUMNS, import_units

IMPORT_ROWS = 25_000


def _unit_page(s: Setting) -> Any:
    return s.get(s.office_user(s.county), reverse("units:detail", args=[s.county.code]))


def _unit_floor(s: Setting) -> tuple[str, list[Any]]:
    sql = (
        "SELECT u.*, p.*, pe.name, c.id, c.name FROM units_unit u"
        " LEFT JOIN units_post p ON p.unit_id = u.id AND (p.end_date IS NULL OR p.end_date >= %s)"
        " LEFT JOIN units_person pe ON pe.id = p.person_id"
        " LEFT JOIN units_unit c ON c.path LIKE u.path || '%%' AND c.depth = u.depth + 1"
        " WHERE u.code = %s"
    )
    from campaign import clock

    return sql, [clock.today(), s.county.code]


class _Rollback(Exception):
    pass


def _import(s: Setting) -> Any:
    """25,000 rows (townships of 15 villages each) under the county, from an .xlsx; rolled back."""
    county = s.county
    header = [c.header for c in UNIT_COLUMNS]
    rows: list[list[str]] = []
    town = 0
    while len(rows) < IMPORT_ROWS:
        town += 1
        code = f"BX{town:05d}"
        rows.append([code, f"导入测试{town}镇", "乡镇", county.code])
        for v in range(15):
            if len(rows) < IMPORT_ROWS:
                rows.append([f"{code}{v:02d}", f"导入测试{town}镇{v}村", "村", code])
    data = write_xlsx("单位", header, rows)
    parsed = read_table(io.BytesIO(data), "单位.xlsx", UNIT_COLUMNS)
    report: Any = None
    try:
        with transaction.atomic():
            report = import_units(actor=s.office_user(county), rows=parsed, skip_errors=False)
            raise _Rollback
    except _Rollback:
        pass
    if report is None or report.created != IMPORT_ROWS:
        raise AssertionError(f"import: {report.summary() if report else 'no report'}")
    return {"created": report.created}


CASES = [
    Case("unit page: county", _unit_page, floor=_unit_floor, target_ms=60),
]
BATCH_CASES = [
    Case(
        "import: 25,000 units from .xlsx (rolled back)",
        _import,
        kind="batch",
        repeat=1,
        warmup=0,
        note="includes reading the .xlsx; written in a transaction rolled back",
    ),
]

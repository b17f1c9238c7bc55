"""Benchmark cases of the 整改台账: the drill-down of the province and a county's list."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from campaign import clock
from campaign.bench import Case, Setting
from rectification.choices import LIVE_STATUSES, WORKING_STATUSES, ItemStatus
from rectification.selectors import YELLOW_DAYS

ITEMS = "rectification_rectificationitem"


def _ledger(s: Setting, unit: Any, user: Any) -> Any:
    return s.get(user, reverse("rectification:ledger", args=[unit.code]))


def _drilldown_floor(s: Setting) -> tuple[str, list[Any]]:
    """Per child of the province: items, closed, red and yellow — one GROUP BY on the path prefix."""
    today = clock.today()
    path = s.province.path
    working = list(WORKING_STATUSES)
    marks = ", ".join(["%s"] * len(working))
    live = list(LIVE_STATUSES)
    live_marks = ", ".join(["%s"] * len(live))
    sql = (
        f"SELECT substr(unit_path, 1, %s) AS branch, count(*),"
        f" sum(CASE WHEN status = %s THEN 1 ELSE 0 END),"
        f" sum(CASE WHEN status IN ({marks}) AND deadline < %s THEN 1 ELSE 0 END),"
        f" sum(CASE WHEN status IN ({marks}) AND deadline >= %s AND deadline <= %s THEN 1 ELSE 0 END)"
        f" FROM {ITEMS} WHERE unit_path LIKE %s AND unit_path <> %s AND status IN ({live_marks})"
        f" GROUP BY 1"
    )
    params = [
        len(path) + 4,
        ItemStatus.CLOSED,
        *working,
        today,
        *working,
        today,
        today + datetime.timedelta(days=YELLOW_DAYS),
        path + "%",
        path,
        *live,
    ]
    return sql, params


def _list_floor(s: Setting) -> tuple[str, list[Any]]:
    """The first 50 rows of the county's list with their unit and leader, and the total."""
    path = s.county.path + "%"
    sql = (
        f"SELECT (SELECT count(*) FROM {ITEMS} WHERE unit_path LIKE %s AND status <> %s),"
        f" i.*, u.name, p.name FROM {ITEMS} i JOIN units_unit u ON u.id = i.unit_id"
        f" LEFT JOIN units_person p ON p.id = i.responsible_leader_id"
        f" WHERE i.unit_path LIKE %s AND i.status <> %s ORDER BY i.unit_path, i.deadline, i.id LIMIT 50"
    )
    return sql, [path, ItemStatus.WITHDRAWN, path, ItemStatus.WITHDRAWN]


READ_CASES = [
    Case(
        "drill-down: province root (整改台账, per city)",
        lambda s: _ledger(s, s.province, s.office_user(s.province)),
        floor=_drilldown_floor,
        target_ms=200,
        note="floor: the per-child GROUP BY only (the page also lists the first 50 items)",
    ),
]
CASES = [
    Case(
        "list: county rectification items (50 rows)",
        lambda s: _ledger(s, s.county, s.office_user(s.county)),
        floor=_list_floor,
        target_ms=60,
    ),
]

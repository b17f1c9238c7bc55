"""``manage.py bench --scale S [--json FILE]``: time the pages and services on the data present.

Each case (``<app>/bench.py``) runs after a warm-up, several times; the median and p95 of the
server time and the query count are printed, and beside each read its floor — the same answer
by one hand-written SQL statement — with the ratio. Batch cases (the 50-way race, the reminder
sweep, the import) run once; the sweep and the import also report their peak memory.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import platform
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaign.bench import Case, Setting, Skip, all_cases, run_sql, summary


def _peak_reset() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mib() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def measure(case: Case, setting: Setting, repeat: int | None = None) -> dict[str, Any]:
    """Run one case; returns its figures (or ``skipped`` with the reason)."""
    result: dict[str, Any] = {"name": case.name, "kind": case.kind, "target_ms": case.target_ms}
    if case.note:
        result["note"] = case.note
    times: list[float] = []
    queries: list[int] = []
    try:
        for _i in range(case.warmup):
            case.run(setting)
        _peak_reset()
        before = _peak_mib()
        for _i in range(repeat or case.repeat):
            if case.kind == "batch":  # thousands of queries: the debug log would overflow and cost
                started = time.perf_counter()
                outcome = case.run(setting)
                times.append((time.perf_counter() - started) * 1000)
                continue
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                outcome = case.run(setting)
                times.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
        if case.kind == "batch":
            result["outcome"] = outcome if isinstance(outcome, dict) else None
            peak = _peak_mib()
            if peak is not None and before is not None:
                result["peak_rss_mib"] = round(peak, 1)
                result["rss_growth_mib"] = round(peak - before, 1)
        floor_times: list[float] = []
        if case.floor is not None:
            sql, params = case.floor(setting)
            run_sql(sql, params)
            for _i in range(repeat or case.repeat):
                started = time.perf_counter()
                run_sql(sql, params)
                floor_times.append((time.perf_counter() - started) * 1000)
    except Skip as skip:
        result["skipped"] = str(skip)
        return result
    stats = summary(times)
    result.update(
        median_ms=round(stats["median"], 2),
        p95_ms=round(stats["p95"], 2),
        queries=max(queries) if queries else None,
        runs=len(times),
    )
    if floor_times:
        floor = summary(floor_times)
        result["floor_median_ms"] = round(floor["median"], 2)
        result["ratio"] = round(stats["median"] / floor["median"], 2) if floor["median"] else None
    if case.target_ms is not None:
        result["meets_target"] = stats["median"] <= case.target_ms
    return result


def machine() -> dict[str, Any]:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    version = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    return {
        "cores": multiprocessing.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "database": f"{connection.vendor} {version}".strip(),
        # The machine is shared: the figures mean little without the load they were taken under.
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


class Command(BaseCommand):
    help = "在现有数据上测量各页面和服务的耗时（中位数、p95、查询数）及其 SQL 下限。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=float, default=None, help="the scale the data was generated at")
        parser.add_argument("--json", dest="json_file", default=None)
        parser.add_argument("--only", default="", help="run the cases whose name contains this")
        parser.add_argument("--repeat", type=int, default=None, help="repetitions of each read case")
        parser.add_argument("--skip-writes", action="store_true", help="reads only (no race, no import)")

    def handle(self, *args: Any, **options: Any) -> None:
        out = self.stdout.write
        setting = Setting()
        info = machine()
        out(f"machine: {info}; scale {options['scale']}")
        results = []
        for case in all_cases():
            if options["only"] and options["only"] not in case.name:
                continue
            if options["skip_writes"] and case.kind != "read":
                continue
            result = measure(case, setting, options["repeat"] if case.kind == "read" else None)
            results.append(result)
            out(self._line(result))
        if options["json_file"]:
            Path(options["json_file"]).write_text(
                json.dumps(
                    {"scale": options["scale"], "machine": info, "cases": results},
                    ensure_ascii=False,
                    indent=2,
                )
            )

    def _line(self, r: dict[str, Any]) -> str:
        if "skipped" in r:
            return f"{r['name']:52} skipped: {r['skipped']}"
        text = f"{r['name']:52} median {r['median_ms']:>9.1f} ms  p95 {r['p95_ms']:>9.1f} ms"
        text += f"  {r['queries']:>4} q" if r["queries"] is not None else "     -  "
        if "floor_median_ms" in r:
            text += f"  floor {r['floor_median_ms']:>8.1f} ms  ×{r['ratio']}"
        if "peak_rss_mib" in r:
            text += f"  peak RSS {r['peak_rss_mib']} MiB (+{r['rss_growth_mib']})"
        if r.get("outcome"):
            text += f"  {r['outcome']}"
        if r.get("target_ms") is not None:
            text += f"  target {r['target_ms']:g} ms {'ok' if r.get('meets_target') else 'MISSED'}"
        return text

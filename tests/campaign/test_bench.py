"""The bench command on a tiny generated province, and the trivial view the load run measures."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from campaign.management.commands.generate_province import generate_province

pytestmark = pytest.mark.django_db


def test_ping_is_trivial_and_public(client):
    response = client.get("/ping")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_bench_measures_every_read_with_its_floor(settings: Any, tmp_path):
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)
    generate_province(scale=0.002, seed=3, log=lambda _line: None)
    out = io.StringIO()
    target = tmp_path / "bench.json"
    call_command(
        "bench", "--scale", "0.002", "--repeat", "1", "--skip-writes", "--json", str(target), stdout=out
    )
    cases = {c["name"]: c for c in json.loads(target.read_text())["cases"]}
    assert not [c for c in cases.values() if "skipped" in c]
    assert {c.split(":")[0] for c in cases} == {"dashboard", "drill-down", "inbox", "unit page", "list"}
    # The dashboards (formerly timed by their own dashboard_bench): page, table export and API at
    # each level, and the page recounted live.
    for level in ("province root", "city", "county"):
        for suffix in ("", ", table export (.xlsx)", ", API", ", recounted (?refresh=1)"):
            assert f"dashboard: {level}{suffix}" in cases
    for case in cases.values():
        assert case["queries"] > 0 and case["median_ms"] > 0
        if not case["name"].startswith("dashboard"):  # the dashboards have no single-statement floor
            assert case["floor_median_ms"] >= 0 and case["ratio"] is not None

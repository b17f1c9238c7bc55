"""``manage.py loadrun``: gunicorn on 127.0.0.1, a mix of logged-in users' GETs, for a bounded time.

Starts gunicorn (``--workers`` processes of ``--threads`` threads, gthread, keep-alive) on the
configured database, logs users in by writing their
sessions (no password round trip), and drives it from ``--clients`` processes (not threads:
the client must not be held back by one interpreter lock), first on the trivial ``/ping``
view — the ceiling — then on the mix: reviewers' inboxes, unit pages, county 整改台账 pages
(pages 1–5), county dashboards, material overviews, the province drill-down, the home page. Prints the
throughput and p50/p95 of each and the ratio of the mix to the ceiling.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.urls import reverse

from campaign.bench import Setting, percentile
from materials.models import ReviewStepReviewer
from units.choices import OrgKind, UnitKind
from units.models import OrgMembership, Unit

HOST = "127.0.0.1"


def _session(user: Any) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key


Mix = list[tuple[int, str, str, str]]


def _mix(setting: Setting) -> Mix:
    """(weight, session key, path, page): who looks at what, in what proportion."""
    mix: Mix = []
    province = setting.province
    reviewers = (
        ReviewStepReviewer.objects.filter(is_open=True, step__unit_path__startswith=province.path)
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[:40]
    )
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk([r["user_id"] for r in reviewers])
    for r in reviewers:
        mix.append((30, _session(users[r["user_id"]]), reverse("materials:inbox"), "inbox"))
    counties = list(
        Unit.objects.filter(path__startswith=province.path, kind=UnitKind.COUNTY).order_by("path")[:40]
    )
    offices = {
        m.organization.unit_id: m.person.user
        for m in OrgMembership.objects.filter(
            organization__unit__in=counties, organization__kind=OrgKind.OFFICE, person__user__isnull=False
        ).select_related("person__user", "organization")
    }
    for county in counties:
        user = offices.get(county.pk)
        if user is None:
            continue
        key = _session(user)
        mix.append((20, key, reverse("units:detail", args=[county.code]), "unit page"))
        ledger = reverse("rectification:ledger", args=[county.code])
        for page in range(1, 6):
            mix.append((4, key, f"{ledger}?page={page}", "county ledger"))
        mix.append((10, key, reverse("materials:under", args=[county.code]), "materials overview"))
        mix.append((10, key, reverse("home"), "home"))
        mix.append((10, key, reverse("campaign:dashboard", args=[county.code]), "county dashboard"))
    top = setting.office_user(province)
    province_ledger = reverse("rectification:ledger", args=[province.code])
    mix.append((max(1, len(counties) // 2), _session(top), province_ledger, "province drill-down"))
    return mix


def _drive(args: tuple[int, float, Mix, int]) -> list[tuple[float, int, str]]:
    port, seconds, mix, seed = args
    rng = random.Random(seed)
    weights = [w for w, _k, _p, _l in mix]
    found: list[tuple[float, int, str]] = []
    stop = time.monotonic() + seconds
    # One kept-alive connection per client, as a browser holds one: reopened after an error or
    # when the server closes it.
    conn: http.client.HTTPConnection | None = None
    while time.monotonic() < stop:
        _w, key, path, label = rng.choices(mix, weights)[0]
        started = time.perf_counter()
        status = 0
        for _attempt in range(2):
            current = conn or http.client.HTTPConnection(HOST, port, timeout=30)
            conn = current
            try:
                current.request("GET", path, headers={"Cookie": f"sessionid={key}"} if key else {})
                response = current.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    current.close()
                    conn = None
                break
            except (OSError, http.client.HTTPException):
                current.close()
                conn = None
        found.append(((time.perf_counter() - started) * 1000, status, label))
    if conn is not None:
        conn.close()
    return found


def _visit(args: tuple[int, list[tuple[str, str]]]) -> int:
    port, pages = args
    failed = 0
    for key, path in pages:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            conn.request("GET", path, headers={"Cookie": f"sessionid={key}"})
            failed += conn.getresponse().status != 200
        finally:
            conn.close()
    return failed


def _warm(port: int, clients: int, mix: Mix) -> int:
    """Each user/page pair once, as the figure cache stands after a working day (beat keeps
    the top levels warm; every other dashboard is warm from its first visit for
    DASHBOARD_CACHE_SECONDS). Returns how many answered other than 200."""
    pairs = sorted({(key, path) for _w, key, path, _l in mix})
    chunks = [pairs[i::clients] for i in range(clients)]
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        return sum(pool.map(_visit, [(port, chunk) for chunk in chunks]))


def _phase(port: int, clients: int, seconds: float, mix: Mix) -> dict[str, Any]:
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        started = time.monotonic()
        results = pool.map(_drive, [(port, seconds, mix, i) for i in range(clients)])
        elapsed = time.monotonic() - started
    rows = [row for chunk in results for row in chunk]
    times = [t for t, _s, _l in rows]
    errors = sum(1 for _t, s, _l in rows if s != 200)
    pages = {}
    for label in sorted({lbl for _t, _s, lbl in rows}):
        some = [t for t, _s, lbl in rows if lbl == label]
        pages[label] = {
            "n": len(some),
            "p50_ms": round(statistics.median(some), 1),
            "p95_ms": round(percentile(some, 0.95), 1),
        }
    return {
        "pages": pages,
        "requests": len(times),
        "errors": errors,
        "throughput_rps": round(len(times) / elapsed, 1),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1),
    }


class Command(BaseCommand):
    help = "启动 gunicorn，模拟已登录用户的混合访问，报告吞吐量和 p95（与最简视图对比）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8103)
        # 2 × cores + 1 processes, each with a few threads: a request waiting on PostgreSQL leaves
        # the interpreter to another one, and keep-alive saves a TCP handshake per request.
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--keep-alive", dest="keep_alive", type=int, default=5)
        parser.add_argument("--clients", type=int, default=8)
        parser.add_argument("--seconds", type=float, default=30)
        parser.add_argument("--json", dest="json_file", default=None)
        parser.add_argument(
            "--cold", dest="warm", action="store_false", help="不预热：每个页面第一次访问时才计算看板数字"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port, out = options["port"], self.stdout.write
        setting = Setting()
        mix = _mix(setting)
        if not mix:
            raise CommandError("没有可用的用户：请先运行 generate_province。")
        # Persistent database connections, as in docker-compose.yml: without them every request
        # opens (and PostgreSQL forks) a new connection.
        env = {"DB_CONN_MAX_AGE": "60", **os.environ, "DEBUG": "0"}
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "campaign.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(options["workers"]),
                "--worker-class",
                "gthread",
                "--threads",
                str(options["threads"]),
                "--keep-alive",
                str(options["keep_alive"]),
                "--log-level",
                "warning",
            ],
            env=env,
            start_new_session=True,
        )
        try:
            self._wait(port)
            if not os.environ.get("CACHE_URL"):
                out("注意：未设置 CACHE_URL，每个 worker 各有一份看板缓存（生产环境用 Redis 共享）。")
            # Warm every page once (the figure cache) and every worker (connections, templates).
            if options["warm"]:
                failed = _warm(port, options["clients"], mix)
                out(f"warmed {len({(k, p) for _w, k, p, _l in mix})} pages ({failed} not 200)")
            _phase(port, options["clients"], 3, mix)
            ceiling = _phase(port, options["clients"], options["seconds"], [(1, "", reverse("ping"), "ping")])
            out(f"trivial view /ping: {ceiling}")
            mixed = _phase(port, options["clients"], options["seconds"], mix)
            out(f"mix of logged-in users ({len(mix)} user/page pairs): {mixed}")
            share = mixed["throughput_rps"] / ceiling["throughput_rps"] if ceiling["throughput_rps"] else 0
            out(f"mix throughput = {share:.0%} of the trivial view's; p95 {mixed['p95_ms']} ms")
            if options["json_file"]:
                Path(options["json_file"]).write_text(
                    json.dumps(
                        {
                            "workers": options["workers"],
                            "threads": options["threads"],
                            "clients": options["clients"],
                            "seconds": options["seconds"],
                            "ceiling": ceiling,
                            "mix": mixed,
                            "share": round(share, 3),
                        },
                        indent=2,
                    )
                )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    def _wait(self, port: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", reverse("ping"))
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise CommandError("gunicorn did not start")

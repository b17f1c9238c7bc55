"""Benchmark of 雷同检测 at scale: fill the index with N generated materials, time the indexing
and the check of new submissions. Run it on a throwaway database: it adds N materials."""

from __future__ import annotations

import multiprocessing
import platform
import random
import statistics
import subprocess
import sys
import time
from collections import deque
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, reset_queries, transaction

from campaign.models import Campaign
from materials import sections
from materials.copycheck import corpus, engine, services
from materials.copycheck.texts import material_document
from materials.models import (
    CopyDocument,
    CopyFingerprint,
    CopyReport,
    Material,
    MaterialVersion,
    ReferenceText,
)
from units import services as unit_services
from units.choices import UnitKind
from units.models import Person, Unit

BATCH = 1000


def _generate_many(seeds: list[tuple[int, float]]) -> list[tuple[dict[str, Any], str]]:
    found = []
    for seed, size in seeds:
        content = corpus.Writer(seed).material(seed % 5 == 0, size)
        found.append((content, sections.full_text(content)))
    return found


class Command(BaseCommand):
    help = (
        "雷同检测基准测试：生成 N 份材料写入索引，测量建索引时间和单份新提交材料的检测时间。"
        "只在一次性数据库上运行。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--materials", type=int, required=True, help="materials in the corpus")
        parser.add_argument("--checks", type=int, default=60, help="new submissions checked and timed")
        parser.add_argument(
            "--size", type=float, default=2.0, help="length of a material (1.0 ≈ 1,600 characters)"
        )
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--copy-rate", type=float, default=0.05, help="share of corpus materials copying another"
        )
        parser.add_argument("--yes", action="store_true", help="confirm the database is a throwaway one")
        parser.add_argument(
            "--checks-only", action="store_true", help="time the checks on the corpus already loaded"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "This adds materials to the database. Use a throwaway database and pass --yes."
            )
        n, size, workers = options["materials"], options["size"], options["workers"]
        out = self.stdout.write
        out(
            f"machine: {platform.machine()}, {multiprocessing.cpu_count()} cores, "
            f"database {connection.vendor} {getattr(connection, 'pg_version', '')}"
        )
        started = time.perf_counter()
        campaign, unit, user = self._setup()
        if options["checks_only"]:
            self._checks(options["checks"], size, campaign, unit, user)
            return
        chars = self._fill(n, size, workers, campaign, unit, user, options["copy_rate"])
        out(
            f"generated and stored {n} materials ({chars / max(n, 1):.0f} characters each on average) "
            f"in {time.perf_counter() - started:.0f} s (not part of indexing)"
        )

        # Indexing runs as the production command does, in its own process: its time and memory.
        connections.close_all()
        result = subprocess.run(
            [sys.executable, "manage.py", "copycheck_reindex", f"--workers={workers}"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        out("INDEXING (manage.py copycheck_reindex): " + result.stdout.strip().splitlines()[-1])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_size_pretty(pg_table_size(%s)), pg_size_pretty(pg_indexes_size(%s))",
                    [CopyFingerprint._meta.db_table] * 2,
                )
                table, indexes = cursor.fetchone()
            out(f"fingerprint table {table}, its index {indexes}")

        self._checks(options["checks"], size, campaign, unit, user)

    def _setup(self) -> tuple[Campaign, Unit, Any]:
        User = get_user_model()
        user, _created = User.objects.update_or_create(
            username="copycheck-bench", defaults={"is_superuser": True, "is_staff": True}
        )
        unit = Unit.objects.filter(code="BENCH").first()
        if unit is None:
            province = unit_services.unit_create(
                actor=user, parent=None, name="基准测试省", code="BENCH0", kind=UnitKind.PROVINCE
            )
            city = unit_services.unit_create(
                actor=user, parent=province, name="基准测试市", code="BENCH1", kind=UnitKind.CITY
            )
            unit = unit_services.unit_create(
                actor=user, parent=city, name="基准测试县", code="BENCH", kind=UnitKind.COUNTY
            )
        campaign = Campaign.objects.filter(name="雷同检测基准测试").first() or Campaign.objects.create(
            name="雷同检测基准测试", root_unit=unit, start_date="2014-01-01", end_date="2014-09-30"
        )
        return campaign, unit, user

    def _create(
        self, rows: list[tuple[dict[str, Any], str]], campaign: Campaign, unit: Unit, user: Any, tag: str
    ) -> list[MaterialVersion]:
        with transaction.atomic():
            people = Person.objects.bulk_create(
                Person(name=f"基准{tag}{i}", code=f"B{tag}{time.time_ns()}{i}") for i in range(len(rows))
            )
            materials = Material.objects.bulk_create(
                Material(
                    campaign=campaign,
                    unit=unit,
                    unit_path=unit.path,
                    kind="personal",
                    subject_person=person,
                    author=person,
                    title=f"{person.name}同志个人对照检查材料",
                    status="in_review",
                )
                for person in people
            )
            return MaterialVersion.objects.bulk_create(
                MaterialVersion(
                    material=material,
                    number=1,
                    content=content,
                    text=text,
                    submitted_at="2014-06-10T10:00:00+08:00",
                    submitted_by=user,
                )
                for material, (content, text) in zip(materials, rows, strict=True)
            )

    def _fill(
        self, n: int, size: float, workers: int, campaign: Campaign, unit: Unit, user: Any, copy_rate: float
    ) -> int:
        r = random.Random(1)
        recent: list[str] = []  # a few texts to copy from, so the corpus holds real copies too
        chars = 0
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending: deque[Any] = deque()
            batch: list[tuple[dict[str, Any], str]] = []

            def take() -> None:
                nonlocal batch, recent, chars
                for content, text in pending.popleft().get():
                    if recent and r.random() < copy_rate:
                        passage = corpus.excerpt(r, r.choice(recent), 60, 300)
                        content["winds"]["formalism"]["text"] += passage
                        text = sections.full_text(content)
                    if r.random() < 0.01:
                        recent = [*recent[-49:], material_document(content)[0]]
                    batch.append((content, text))
                    chars += len(text)
                if len(batch) >= BATCH:
                    self._create(batch, campaign, unit, user, "c")
                    batch = []
                    reset_queries()

            for start in range(0, n, 100):  # at most 2 × workers chunks of 100 in flight
                seeds = [(1_000_000 + i, size) for i in range(start, min(n, start + 100))]
                pending.append(pool.apply_async(_generate_many, (seeds,)))
                if len(pending) >= 2 * workers:
                    take()
            while pending:
                take()
            if batch:
                self._create(batch, campaign, unit, user, "c")
        writer = corpus.Writer(7)
        for number in range(100):  # model texts found online
            ReferenceText.objects.create(
                title=f"网上范文{number}",
                source_note="基准测试",
                text=writer.model_text(size),
                uploaded_by=user,
            )
        return chars

    def _checks(self, count: int, size: float, campaign: Campaign, unit: Unit, user: Any) -> None:
        pks = list(MaterialVersion.objects.values_list("pk", flat=True))
        offset = 5_000_000 + len(pks)  # new authors, never seen in the corpus
        r = random.Random(offset)
        rows, kinds = [], []
        for i in range(count):
            content = corpus.Writer(offset + i).material(False, size)
            kind = ["independent", "exact", "edited", "reordered"][i % 4]
            if kind != "independent":
                source = MaterialVersion.objects.get(pk=r.choice(pks))
                text = material_document(source.content)[0]
                if kind == "reordered":
                    passage = corpus.copy_reordered(r, text, 120, 300)
                else:
                    passage = corpus.excerpt(r, text, 80, 300)
                    if kind == "edited":
                        passage = corpus.copy_edited(r, passage)
                content["measures"]["text"] += passage.strip()
            rows.append((content, sections.full_text(content)))
            kinds.append(kind)
        versions = self._create(rows, campaign, unit, user, "q")
        timings, found = [], dict.fromkeys(set(kinds), 0)
        for version, kind in zip(versions, kinds, strict=True):
            started = time.perf_counter()
            services.copy_check_run(version_id=version.pk)
            timings.append(time.perf_counter() - started)
            report = CopyReport.objects.get(material_version=version)
            found[kind] += bool(report.passages)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
        self.stdout.write(
            f"CHECK one new submission (index it, look up, match, save the report), {count} submissions: "
            f"median {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {timings[-1] * 1000:.0f} ms"
        )
        self.stdout.write(
            "  submissions with passages found: "
            + ", ".join(f"{k} {found[k]}/{kinds.count(k)}" for k in sorted(found))
        )
        self.stdout.write(f"corpus: {CopyDocument.objects.count()} documents; algorithm {engine.ALGORITHM}")

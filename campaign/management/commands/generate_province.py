"""``manage.py generate_province --scale S``: a synthetic province on the configured database.

S=1.0 is a full province (≈25,000 units, ≈200,000 people, ≈120,000 materials, ≈500,000
opinions, ≈1,000,000 rectification items); S=0.01 is a county's worth, for tests. The
rows are written with ``bulk_create`` (no history rows), one transaction per app.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from campaign import generate_stages
from campaign.generate import Context
from materials import generate as materials_generate
from rectification import generate as rectification_generate
from stages import generate as stages_generate
from units import generate as units_generate

# Order matters: each app reads what the ones before it remembered in the context.
APPS = [units_generate, generate_stages, stages_generate, materials_generate, rectification_generate]


def generate_province(*, scale: float, seed: int = 2014, prefix: str = "G", log: Any = print) -> Context:
    ctx = Context(scale=scale, seed=seed, prefix=prefix, log=log)
    for app in APPS:
        with transaction.atomic():
            app.generate(ctx)
    ctx.reset_sequences()
    return ctx


class Command(BaseCommand):
    help = "生成模拟的全省数据（单位、人员、材料、意见、整改事项），用于性能测试。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=float, required=True, help="1.0 = a full province")
        parser.add_argument("--seed", type=int, default=2014)
        parser.add_argument("--prefix", default="G", help="unit and person codes start with it")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if not 0 < scale <= 5:
            raise CommandError("--scale 必须在 0 到 5 之间。")
        from units.models import Unit

        if Unit.objects.filter(code__startswith=options["prefix"]).exists():
            raise CommandError(
                f"已有编码以 {options['prefix']} 开头的单位：请换一个 --prefix 或使用空数据库。"
            )
        started = time.perf_counter()
        ctx = generate_province(
            scale=scale, seed=options["seed"], prefix=options["prefix"], log=self.stdout.write
        )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # VACUUM too: rows the steps rewrote (units, tallies) leave dead tuples that autovacuum
            # reaches only later, and fresh tables have no visibility map for index-only scans —
            # the benchmark should read a database in its steady state.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elapsed = time.perf_counter() - started
        for label, count in sorted(ctx.counts.items()):
            self.stdout.write(f"{label:40} {count:>10,}")
        self.stdout.write(self.style.SUCCESS(f"generated at scale {scale} in {elapsed:.1f} s"))

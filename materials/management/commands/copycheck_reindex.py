"""Rebuild the 雷同检测 fingerprint index from every submitted version and reference text."""

from __future__ import annotations

import resource
from typing import Any

from django.core.management.base import BaseCommand

from materials.copycheck import bulk, engine, index


class Command(BaseCommand):
    help = (
        "重建雷同检测指纹索引（改动算法参数 K、W 之后，或导入大量材料之后）。检测报告保留；"
        "--only-new 只为尚未索引的版本和比对文本建立索引；--common-only 只重算常用表述指纹。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", type=int, default=2, help="fingerprinting processes")
        parser.add_argument("--batch", type=int, default=500, help="versions per batch")
        parser.add_argument("--only-new", action="store_true", help="index what is not indexed yet")
        parser.add_argument("--common-only", action="store_true", help="recompute common ground only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["common_only"]:
            self.stdout.write(f"common fingerprints: {index.refresh_common()}")
            return
        stats = bulk.reindex(
            workers=options["workers"],
            batch=options["batch"],
            only_new=options["only_new"],
            log=self.stdout.write,
        )
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        self.stdout.write(
            f"indexed {stats.documents} documents, {stats.fingerprints} fingerprints, "
            f"{stats.common} common, algorithm {engine.ALGORITHM}, in {stats.seconds:.1f} s; "
            f"peak memory {own:.0f} MB (this process), {workers:.0f} MB (largest worker)"
        )

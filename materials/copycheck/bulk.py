"""Index the whole corpus at once (after a change of K or W, or to load a benchmark).

Versions are read in (material, number) order through a server-side cursor, fingerprinted
by a pool of worker processes, and written with COPY, one batch at a time: memory stays
bounded by the batch size whatever the size of the corpus.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import connection, connections, reset_queries, transaction

from materials.copycheck import engine, index
from materials.copycheck.stock import stock_hashes
from materials.copycheck.texts import material_document
from materials.models import CopyCommonHash, CopyDocument, CopyFingerprint, MaterialVersion, ReferenceText

Item = tuple[int, int | None, int | None, Any]  # (version or reference id, material, author, content or text)


def _fingerprint(item: Item) -> tuple[Item, int, list[tuple[int, int]]]:
    pk, material_id, author_id, body = item
    text = material_document(body)[0] if isinstance(body, dict) else str(body)
    norm = engine.normalise_only(text)
    return (pk, material_id, author_id, None), len(norm), engine.fingerprints(norm, stock_hashes())


def _fingerprint_batch(items: list[Item]) -> list[tuple[Item, int, list[tuple[int, int]]]]:
    return [_fingerprint(item) for item in items]


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class Stats:
    documents: int = 0
    fingerprints: int = 0
    common: int = 0
    seconds: float = 0.0


def clear() -> None:
    """Empty the derived index tables (reports are kept)."""
    tables = [m._meta.db_table for m in (CopyFingerprint, CopyCommonHash, CopyDocument)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def reindex(
    *,
    workers: int = 2,
    batch: int = 500,
    log: Callable[[str], None] = lambda _m: None,
    only_new: bool = False,
) -> Stats:
    """Fingerprint every submitted version and every reference text into a fresh index
    (``only_new``: only those not indexed yet, into the index as it is)."""
    started = time.perf_counter()
    stats = Stats()
    if not only_new:
        clear()
    versions = MaterialVersion.objects.order_by("material_id", "number")
    references = ReferenceText.objects.order_by("pk")
    if only_new:
        versions = versions.filter(copy_document__isnull=True)
        references = references.filter(copy_document__isnull=True)
    version_items: Iterable[Item] = versions.values_list(
        "pk", "material_id", "material__author_id", "content"
    ).iterator(chunk_size=batch)
    connections.close_all()  # the workers are forked: no shared connection
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        # This process reads and writes; the workers fingerprint. At most 2 × workers batches
        # are in flight, so memory does not grow with the corpus.
        held: dict[int, set[int]] = {}  # hashes stored for earlier versions of the current material
        pending: deque[Any] = deque()
        for items in _batches(version_items, batch):
            pending.append(pool.apply_async(_fingerprint_batch, (items,)))
            if len(pending) >= 2 * workers:
                _store_versions(pending.popleft().get(), held, stats)
                reset_queries()  # with DEBUG on, Django would keep every bulk statement
                if stats.documents % (10 * batch) == 0:
                    log(f"  {stats.documents} documents, {stats.fingerprints} fingerprints")
        while pending:
            _store_versions(pending.popleft().get(), held, stats)
        active = dict(references.values_list("pk", "status"))
        texts = list(references.values_list("pk", "text"))
        for items in _batches(((pk, None, None, text) for pk, text in texts), 50):
            _store_references(pool.apply_async(_fingerprint_batch, (items,)).get(), active, stats)
    stats.common = index.refresh_common()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # visibility map for index-only scans, fresh statistics
            cursor.execute(f"VACUUM ANALYZE {CopyFingerprint._meta.db_table}")
            cursor.execute(f"ANALYZE {CopyDocument._meta.db_table}")
    stats.seconds = time.perf_counter() - started
    return stats


@transaction.atomic
def _store_versions(
    results: list[tuple[Item, int, list[tuple[int, int]]]], held: dict[int, set[int]], stats: Stats
) -> None:
    documents = CopyDocument.objects.bulk_create(
        CopyDocument(
            material_version_id=item[0],
            material_id=item[1],
            author_id=item[2],
            length=length,
            algorithm=engine.ALGORITHM,
        )
        for item, length, _fps in results
    )
    rows: list[tuple[int, int, int]] = []
    counts: list[int] = []
    for document, (item, _length, fingerprints) in zip(documents, results, strict=True):
        material_id = item[1]
        assert material_id is not None
        if material_id not in held:
            held.clear()  # versions come in material order: earlier materials are done
            held[material_id] = set()
        seen = held[material_id]
        new = [(h, p) for h, p in fingerprints if h not in seen]
        seen.update(h for h, _p in new)
        rows.extend((h, document.pk, p) for h, p in new)
        counts.append(len(new))
    index.store_rows(rows)
    for document, count in zip(documents, counts, strict=True):
        document.fingerprint_count = count
    CopyDocument.objects.bulk_update(documents, ["fingerprint_count"])
    stats.documents += len(documents)
    stats.fingerprints += len(rows)


@transaction.atomic
def _store_references(
    results: list[tuple[Item, int, list[tuple[int, int]]]], active: dict[int, str], stats: Stats
) -> None:
    for item, length, fingerprints in results:
        document = CopyDocument.objects.create(
            reference_id=item[0],
            is_active=active[item[0]] == "active",
            length=length,
            fingerprint_count=len(fingerprints),
            algorithm=engine.ALGORITHM,
        )
        stats.fingerprints += index.store_rows((h, document.pk, p) for h, p in fingerprints)
        stats.documents += 1

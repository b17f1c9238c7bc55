"""The fingerprint index in the database: store, look up, common ground.

Lookups are one indexed query per ``BATCH`` hashes (``hash IN (...)`` on the primary key
(hash, document, position), an index-only scan on PostgreSQL). Bulk loads use COPY on
PostgreSQL and ``bulk_create`` elsewhere.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count

from materials.copycheck import engine
from materials.copycheck.texts import material_document
from materials.models import CopyCommonHash, CopyDocument, CopyFingerprint

BATCH = 500


def _batches(values: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def lookup(hashes: Iterable[int]) -> list[tuple[int, int, int]]:
    """Every (hash, document, position) stored for these hashes."""
    rows: list[tuple[int, int, int]] = []
    for chunk in _batches(sorted(set(hashes))):
        rows.extend(
            CopyFingerprint.objects.filter(hash__in=chunk).values_list("hash", "document_id", "position")
        )
    return rows


def store(document_id: int, fingerprints: Iterable[tuple[int, int]]) -> int:
    """Insert one document's fingerprints; returns how many."""
    objects = [CopyFingerprint(hash=h, document_id=document_id, position=p) for h, p in fingerprints]
    CopyFingerprint.objects.bulk_create(objects, batch_size=2000, ignore_conflicts=True)
    return len(objects)


def store_rows(rows: Iterable[tuple[int, int, int]]) -> int:
    """Bulk insert (hash, document, position) rows: COPY on PostgreSQL."""
    count = 0
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for h, d, p in rows:
            buffer.write(f"{h}\t{d}\t{p}\n")
            count += 1
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {CopyFingerprint._meta.db_table} (hash, document_id, position) FROM STDIN", buffer
            )
        return count
    for chunk in _batches(rows, 5000):
        CopyFingerprint.objects.bulk_create(
            [CopyFingerprint(hash=h, document_id=d, position=p) for h, d, p in chunk], ignore_conflicts=True
        )
        count += len(chunk)
    return count


def hashes_of(document_ids: list[int], hashes: Iterable[int]) -> set[int]:
    """Which of ``hashes`` the given documents already hold (one query per batch of hashes)."""
    if not document_ids:
        return set()
    found: set[int] = set()
    for chunk in _batches(sorted(set(hashes))):
        found.update(
            CopyFingerprint.objects.filter(hash__in=chunk, document_id__in=document_ids).values_list(
                "hash", flat=True
            )
        )
    return found


# --- common ground ------------------------------------------------------------------


def common_threshold(total_documents: int | None = None) -> int:
    """How many documents a fingerprint must appear in to be common ground."""
    if total_documents is None:
        total_documents = document_count()
    share = float(getattr(settings, "COPYCHECK_COMMON_SHARE", 0.01))
    minimum = int(getattr(settings, "COPYCHECK_COMMON_MIN_DOCUMENTS", 20))
    return max(minimum, math.ceil(share * total_documents))


def document_count() -> int:
    """How many documents the index holds: PostgreSQL's estimate (kept by autovacuum, free to
    read) once the table is large, an exact count otherwise."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [CopyDocument._meta.db_table]
            )
            row = cursor.fetchone()
        if row and row[0] > 100_000:
            return int(row[0])
    return CopyDocument.objects.count()


def common_among(hashes: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _batches(sorted(set(hashes))):
        found.update(CopyCommonHash.objects.filter(hash__in=chunk).values_list("hash", flat=True))
    return found


def record_common(counts: dict[int, int]) -> None:
    CopyCommonHash.objects.bulk_create(
        [CopyCommonHash(hash=h, documents=n) for h, n in counts.items()], ignore_conflicts=True
    )


def refresh_common() -> int:
    """Recompute the common-ground table from the whole index (after a bulk load)."""
    threshold = common_threshold()
    rows = (
        CopyFingerprint.objects.values("hash")
        .annotate(n=Count("document_id", distinct=True))
        .filter(n__gte=threshold)
        .values_list("hash", "n")
        .order_by()
    )
    CopyCommonHash.objects.all().delete()
    total = 0
    for chunk in _batches(rows.iterator(chunk_size=5000), 5000):
        CopyCommonHash.objects.bulk_create([CopyCommonHash(hash=h, documents=n) for h, n in chunk])
        total += len(chunk)
    return total


# --- documents ----------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentInfo:
    pk: int
    material_id: int | None
    author_id: int | None
    version_number: int | None
    reference_id: int | None
    is_active: bool

    @property
    def priority(self) -> tuple[int, int]:
        """Reference texts first (the public original), then the earliest indexed material."""
        return (0 if self.reference_id else 1, self.pk)


def documents(ids: Iterable[int]) -> dict[int, DocumentInfo]:
    found: dict[int, DocumentInfo] = {}
    for chunk in _batches(sorted(set(ids)), 2000):
        for row in CopyDocument.objects.filter(pk__in=chunk).values_list(
            "pk", "material_id", "author_id", "material_version__number", "reference_id", "is_active"
        ):
            found[row[0]] = DocumentInfo(*row)
    return found


def source_norms(ids: list[int]) -> dict[int, str]:
    """The normalised text of these documents (to extend passages against)."""
    found: dict[int, str] = {}
    rows = CopyDocument.objects.filter(pk__in=ids).values_list(
        "pk", "material_version__content", "reference__text"
    )
    for pk, content, text in rows:
        if content is not None:
            found[pk] = engine.normalise_only(material_document(content)[0])
        elif text is not None:
            found[pk] = engine.normalise_only(text)
    return found

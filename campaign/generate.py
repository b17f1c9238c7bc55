"""Shared machinery of ``manage.py generate_province``: a synthetic province at a given scale.

Each app writes its own rows in ``<app>/generate.py`` (units → stages → materials →
rectification); this module holds what they share: the context (scale, seed, clock,
code prefix), explicit primary keys handed out in blocks, and batched ``bulk_create``.

Primary keys are assigned here rather than returned by the database so that parent and
child rows can be written in one pass on any backend; sequences are reset at the end.
Synthetic rows get no history rows (django-simple-history is bypassed by ``bulk_create``).
"""

from __future__ import annotations

import datetime
import io
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from campaign import clock

BATCH = 2000


@dataclass(slots=True)
class UnitInfo:
    """What generation needs to remember about a unit (no model instance is kept)."""

    pk: int
    path: str
    depth: int
    level: int
    kind: str
    category: str
    code: str
    name: str
    parent: UnitInfo | None
    area: UnitInfo | None = None  # the 党委 managing it (itself when territorial)
    numchild: int = 0
    principal: int | None = None  # person pk
    government_head: int | None = None
    members: list[int] = field(default_factory=list)  # 班子成员 person pks (not the principal)
    section_heads: list[int] = field(default_factory=list)

    def ancestors_or_self(self) -> Iterator[UnitInfo]:
        unit: UnitInfo | None = self
        while unit is not None:
            yield unit
            unit = unit.parent

    def area_at(self, level: int) -> UnitInfo | None:
        for unit in self.ancestors_or_self():
            if unit.category == "territorial" and unit.level == level:
                return unit
        return None


@dataclass
class Context:
    scale: float
    seed: int
    prefix: str
    log: Callable[[str], None] = print
    rng: random.Random = field(init=False)
    now: datetime.datetime = field(init=False)
    today: datetime.date = field(init=False)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    _next_pk: dict[type[models.Model], int] = field(default_factory=dict)
    # Filled by the apps, read by those after them.
    campaign_id: int = 0
    admin_id: int | None = None
    units: list[UnitInfo] = field(default_factory=list)
    province: UnitInfo | None = None
    person_user: dict[int, int] = field(default_factory=dict)  # person pk → user pk
    person_rank: dict[int, str] = field(default_factory=dict)
    # (area unit pk, org kind) → [(person pk, role)]
    org_seats: dict[tuple[int, str], list[tuple[int, str]]] = field(default_factory=dict)
    # (unit pk, level of the group's unit) → member person pks of the groups sent there
    supervision: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    opinions_by_unit: dict[int, tuple[int, int]] = field(default_factory=dict)  # first pk, count

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.now = clock.now()
        self.today = clock.today()

    def n(self, at_full_scale: float, minimum: int = 1) -> int:
        """How many of something there are at this scale."""
        return max(minimum, round(at_full_scale * self.scale))

    def pks(self, model: type[models.Model], count: int) -> int:
        """Reserve ``count`` primary keys of ``model``; returns the first."""
        if model not in self._next_pk:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self._next_pk[model] = top + 1
        first = self._next_pk[model]
        self._next_pk[model] = first + count
        return first

    def write(self, model: type[models.Model], rows: Iterable[models.Model]) -> int:
        """Write rows in batches (COPY on PostgreSQL, else bulk_create); rows may be a generator."""
        written = 0
        chunk: list[models.Model] = []
        insert = _copy if connection.vendor == "postgresql" else _bulk_create
        for row in rows:
            chunk.append(row)
            if len(chunk) >= BATCH:
                insert(model, chunk)
                written += len(chunk)
                chunk = []
        if chunk:
            insert(model, chunk)
            written += len(chunk)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + written
        return written

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next_pk))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def step(self, name: str, fn: Callable[[Context], None]) -> None:
        started = time.perf_counter()
        fn(self)
        self.timings[name] = time.perf_counter() - started
        self.log(f"  {name}: {self.timings[name]:.1f} s")

    def pick(self, weighted: list[tuple[Any, int]]) -> Any:
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights)[0]


def _bulk_create(model: type[models.Model], rows: list[models.Model]) -> None:
    model._default_manager.bulk_create(rows, batch_size=BATCH)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(field: models.Field, value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


def _copy(model: type[models.Model], rows: list[models.Model]) -> None:
    """COPY … FROM STDIN: several times faster than multi-row INSERTs for millions of rows."""
    fields = list(model._meta.concrete_fields)
    stamped = [f for f in fields if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)]
    buffer = io.StringIO()
    for row in rows:
        for f in stamped:
            f.pre_save(row, add=True)
        buffer.write("\t".join(_copy_text(f, getattr(row, f.attname)) for f in fields))
        buffer.write("\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN", buffer
        )


def spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal whole numbers (each at least 1 if total allows)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]

"""The evaluation set: materials with known copies, and independent ones on the same topics.

Sources (the corpus): excerpts of the seed documents and generated model texts ("网上范文",
"第一批活动单位材料") uploaded as reference texts, and generated materials of other units.
Queries: generated materials into which passages of the sources are inserted — copied
exactly, lightly edited (punctuation, full/half width, spaces, about one character in 35
replaced, inserted or deleted), or as consecutive sentences in another order — and
independent materials that share only the campaign's stock phrases with the corpus.

Precision: the share of reported passages that lie (at least half) inside an inserted copy
and name its source. Recall: the share of inserted copies at least half covered by reported
passages naming their source. Everything runs through the real index in the database, inside
a transaction that is rolled back.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from materials import sections
from materials.copycheck import corpus, engine, index
from materials.copycheck.stock import stock_hashes
from materials.copycheck.texts import material_document

KINDS = ("exact", "edited", "reordered")


@dataclass
class Truth:
    start: int
    end: int
    kind: str
    source: int  # index into EvalSet.sources


@dataclass
class Query:
    text: str
    truths: list[Truth] = field(default_factory=list)


@dataclass
class EvalSet:
    sources: list[tuple[str, str]]  # (title, text)
    queries: list[Query]


@dataclass
class Metrics:
    reported: int = 0
    correct: int = 0
    copies: int = 0
    found: int = 0
    by_kind: Counter = field(default_factory=Counter)
    found_by_kind: Counter = field(default_factory=Counter)
    false_in_independent: int = 0
    independent: int = 0
    check_seconds: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.copies if self.copies else 1.0

    def lines(self) -> list[str]:
        out = [
            f"copies inserted: {self.copies}  passages reported: {self.reported}",
            f"precision: {self.precision:.3f}  ({self.correct}/{self.reported})",
            f"recall:    {self.recall:.3f}  ({self.found}/{self.copies})",
        ]
        for kind in KINDS:
            total = self.by_kind[kind]
            if total:
                found = self.found_by_kind[kind]
                out.append(f"  recall {kind:<10} {found / total:.3f}  ({found}/{total})")
        out.append(
            f"independent materials: {self.independent}, passages wrongly reported in them: "
            f"{self.false_in_independent}"
        )
        if self.check_seconds:
            ordered = sorted(self.check_seconds)
            out.append(
                f"check time per material: median {ordered[len(ordered) // 2] * 1000:.0f} ms, "
                f"max {ordered[-1] * 1000:.0f} ms"
            )
        return out


def seed_paragraphs(folder: Path | None) -> list[str]:
    """Long paragraphs of the seed documents (when the folder is there)."""
    if folder is None or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line.strip()) >= 150:
                found.append(line.strip())
    return found


def _mostly_stock(text: str) -> bool:
    """Passages that are mostly the campaign's set phrases are common ground, not copies."""
    prepared = engine.prepare(text, stock_hashes())
    return not prepared.norm or sum(prepared.common_mask) * 2 > len(prepared.norm)


def _insert(writer: corpus.Writer, content: dict[str, Any], passage: str) -> None:
    """Put a passage somewhere a copier would: into a section's text or as a listed example."""
    r = writer.r
    where = r.choice(["discipline", "wind", "wind_example", "cause", "measure", "statement"])
    if where == "discipline":
        content["discipline"] += passage
    elif where in ("wind", "wind_example"):
        part = content["winds"][r.choice([k for k, _label in sections.WINDS])]
        if where == "wind":
            part["text"] += passage
        else:
            part["examples"].insert(
                r.randrange(len(part["examples"]) + 1), {"key": f"c{r.random()}", "text": passage}
            )
    elif where == "cause":
        key = r.choice(list(content["causes"]))
        content["causes"][key] += passage
    elif where == "measure":
        content["measures"]["text"] += passage
    else:
        key = r.choice(list(content["statements"]))
        content["statements"][key] += passage


def build(
    *,
    seed: int = 2014,
    copies: int = 120,
    independent: int = 80,
    background: int = 200,
    models: int = 20,
    seeds_folder: Path | None = None,
    seed_texts: int = 12,
) -> EvalSet:
    writer = corpus.Writer(seed)
    r = writer.r
    sources: list[tuple[str, str]] = []
    paragraphs = seed_paragraphs(seeds_folder)
    for number, paragraph in enumerate(r.sample(paragraphs, min(seed_texts, len(paragraphs)))):
        sources.append((f"种子文件摘录{number + 1}", paragraph))
    for number in range(models):
        sources.append((f"网上范文{number + 1}", writer.model_text()))
    for number in range(background):
        text, _spans = material_document(writer.material(r.random() < 0.3))
        sources.append((f"其他单位材料{number + 1}", text))

    queries: list[Query] = []
    for number in range(copies):
        content = writer.material(r.random() < 0.3)
        planned: list[tuple[str, str, int]] = []  # (inserted text, kind, source)
        for _n in range(r.choice([1, 1, 2])):
            kind = KINDS[(number + _n) % 3]
            for _attempt in range(20):
                source = r.randrange(len(sources))
                text = sources[source][1]
                if kind == "reordered":
                    passage = corpus.copy_reordered(r, text, 90, 320)
                else:
                    passage = corpus.excerpt(r, text, 40, 300)
                if len(corpus.sentences(passage)) >= (2 if kind == "reordered" else 1) and not _mostly_stock(
                    passage
                ):
                    break
            if kind == "edited":
                passage = corpus.copy_edited(r, passage)
            passage = passage.strip()
            planned.append((passage, kind, source))
            _insert(writer, content, passage)
        text, _spans = material_document(content)
        query = Query(text)
        for passage, kind, source in planned:
            start = text.find(passage)
            if start < 0:  # cannot happen: the section texts keep what is put in them
                raise AssertionError(f"inserted passage not found: {passage!r}")
            query.truths.append(Truth(start, start + len(passage), kind, source))
        queries.append(query)
    for _n in range(independent):
        text, _spans = material_document(writer.material(r.random() < 0.3))
        queries.append(Query(text))
    r.shuffle(queries)
    return EvalSet(sources, queries)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def evaluate(evalset: EvalSet, *, keep: bool = False) -> Metrics:
    """Index the sources, check every query, compare with what was inserted."""
    from django.contrib.auth import get_user_model

    from materials.copycheck import services
    from materials.models import ReferenceText

    metrics = Metrics()
    with transaction.atomic():
        user = get_user_model().objects.create(username=f"copycheck-eval-{random.random()}")
        references = ReferenceText.objects.bulk_create(
            ReferenceText(title=title, source_note="evaluation", text=text, uploaded_by=user)
            for title, text in evalset.sources
        )
        by_document: dict[int, int] = {}
        for number, reference in enumerate(references):
            document = services.reference_text_index(reference_id=reference.pk)
            by_document[document.pk] = number
        index.refresh_common()
        stock = stock_hashes()
        for query in evalset.queries:
            started = time.perf_counter()
            prepared = engine.prepare(query.text, stock)
            found = services.check(prepared)
            metrics.check_seconds.append(time.perf_counter() - started)
            _score(metrics, query, prepared, found, by_document)
        if not keep:
            transaction.set_rollback(True)
    return metrics


def _score(
    metrics: Metrics, query: Query, prepared: engine.Prepared, found: Any, by_document: dict[int, int]
) -> None:
    detected = []
    for passage in found.passages:
        span = prepared.original_range(passage.start, passage.end)
        names = {by_document.get(d) for d in [passage.source, *passage.also]}
        detected.append((span, names))
    metrics.reported += len(detected)
    if not query.truths:
        metrics.independent += 1
        metrics.false_in_independent += len(detected)
    for span, names in detected:
        good = any(
            truth.source in names and _overlap(span, (truth.start, truth.end)) * 2 >= span[1] - span[0]
            for truth in query.truths
        )
        if good:
            metrics.correct += 1
        elif len(metrics.wrong) < 20:
            metrics.wrong.append(query.text[span[0] : span[1]])
    for truth in query.truths:
        metrics.copies += 1
        metrics.by_kind[truth.kind] += 1
        cover = sum(
            _overlap(span, (truth.start, truth.end)) for span, names in detected if truth.source in names
        )
        if cover * 2 >= truth.end - truth.start:
            metrics.found += 1
            metrics.found_by_kind[truth.kind] += 1

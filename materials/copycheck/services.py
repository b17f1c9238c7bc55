"""Writes of copy detection: check a submitted version, keep the reference corpus.

A check runs in the Celery worker after the submission commits (``copy_check_request`` is
called by ``materials.services.material_submit``); it indexes the version, looks its
fingerprints up, and stores a ``CopyReport``. Running it twice gives the same report.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign import clock
from campaign.services import check_version, save_validated
from materials.copycheck import engine, index
from materials.copycheck.choices import CopyStatus, ReferenceStatus, SourceKind
from materials.copycheck.stock import stock_hashes
from materials.copycheck.texts import MAX_REFERENCE_CHARS, material_document, read_upload, section_ranges
from materials.models import CopyDocument, CopyReport, Material, MaterialVersion, ReferenceText
from units.access import require, scope_for
from units.choices import Role

log = logging.getLogger(__name__)
MAX_ALSO = 10


# --- indexing -----------------------------------------------------------------------


def _index(
    prepared: engine.Prepared,
    *,
    version: MaterialVersion | None = None,
    reference: ReferenceText | None = None,
) -> CopyDocument:
    """The document of a version or reference text, created with its fingerprints if new."""
    if version is not None:
        document = CopyDocument.objects.filter(material_version=version).first()
    else:
        document = CopyDocument.objects.filter(reference=reference).first()
    if document is not None:
        return document
    document = CopyDocument(
        material_version=version,
        reference=reference,
        material_id=version.material_id if version is not None else None,
        author_id=version.material.author_id if version is not None else None,
        is_active=reference.is_active if reference is not None else True,
        length=len(prepared.norm),
        algorithm=engine.ALGORITHM,
    )
    document.save()
    chosen = prepared.fingerprints
    if version is not None:
        # Earlier versions of the same material already hold most of its text: store only what is new.
        earlier = list(
            CopyDocument.objects.filter(material_id=version.material_id)
            .exclude(pk=document.pk)
            .values_list("pk", flat=True)
        )
        held = index.hashes_of(earlier, {h for h, _p in chosen})
        chosen = [(h, p) for h, p in chosen if h not in held]
    document.fingerprint_count = index.store(document.pk, chosen)
    document.save(update_fields=["fingerprint_count"])
    return document


def prepare_version(version: MaterialVersion) -> tuple[engine.Prepared, list[tuple[int, int]]]:
    text, spans = material_document(version.content)
    return engine.prepare(text, stock_hashes()), spans


# --- checking -----------------------------------------------------------------------


@dataclass
class Found:
    passages: list[engine.Passage]
    documents: dict[int, index.DocumentInfo]
    share: float


def check(
    prepared: engine.Prepared,
    *,
    exclude_document: int | None = None,
    material_id: int | None = None,
    author_id: int | None = None,
) -> Found:
    """The passages ``prepared`` shares with the indexed documents (its own material's and
    its author's other texts left out: what he wrote himself is not copied)."""
    hashes = {h for h, _p in prepared.fingerprints}
    common = index.common_among(hashes)
    rows = index.lookup(hashes - common)
    holders: dict[int, set[int]] = defaultdict(set)
    for value, document, _position in rows:
        holders[value].add(document)
    threshold = index.common_threshold()
    fresh = {value: len(docs) for value, docs in holders.items() if len(docs) >= threshold}
    if fresh:
        index.record_common(fresh)
        common |= fresh.keys()
    engine.mark_common(prepared, common)
    pairs = engine.hits_by_source(prepared, [row for row in rows if row[0] not in common])
    # Look at the best-supported documents only (their metadata, then their text), leaving out
    # the material's own versions, its author's other texts and withdrawn references.
    documents: dict[int, index.DocumentInfo] = {}
    chosen: list[int] = []
    ranked = engine.rank_sources(pairs)
    for start in range(0, len(ranked), 4 * engine.MAX_SOURCES):
        batch = ranked[start : start + 4 * engine.MAX_SOURCES]
        documents.update(index.documents(batch))
        chosen.extend(
            pk
            for pk in batch
            if pk in documents
            and documents[pk].is_active
            and pk != exclude_document
            and (material_id is None or documents[pk].material_id != material_id)
            and (author_id is None or documents[pk].author_id != author_id)
        )
        if len(chosen) >= engine.MAX_SOURCES:
            break
    chosen = chosen[: engine.MAX_SOURCES]
    passages = engine.match(
        prepared,
        {pk: pairs[pk] for pk in chosen},
        index.source_norms(chosen) if chosen else {},
        priority=lambda pk: documents[pk].priority,
    )
    share = engine.covered(passages) / len(prepared.norm) if prepared.norm else 0.0
    return Found(passages, documents, share)


def _source(info: index.DocumentInfo) -> dict[str, Any]:
    # Ids of versions' materials and of reference texts (index documents are rebuilt by a reindex).
    if info.reference_id:
        return {"kind": SourceKind.REFERENCE, "reference": info.reference_id}
    return {"kind": SourceKind.MATERIAL, "material": info.material_id, "version": info.version_number}


def _passages_json(
    found: Found, prepared: engine.Prepared, spans: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    result = []
    for passage in found.passages:
        start, end = prepared.original_range(passage.start, passage.end)
        also = [_source(found.documents[d]) for d in passage.also]
        # One entry per other source: versions of one material count once.
        seen, unique = set(), []
        for source in also:
            key = (source["kind"], source.get("material") or source.get("reference"))
            if key not in seen:
                seen.add(key)
                unique.append(source)
        result.append(
            {
                "ranges": section_ranges(spans, start, end),
                "chars": passage.chars,
                "length": passage.length,
                "source": _source(found.documents[passage.source]),
                "also": unique[:MAX_ALSO],
                "also_count": len(unique),
            }
        )
    return result


@transaction.atomic
def copy_check_request(*, material: Material, number: int) -> CopyReport:
    """A pending report for a new version; the check is queued when the submission commits."""
    version = MaterialVersion.objects.get(material=material, number=number)
    report, _created = CopyReport.objects.get_or_create(
        material_version=version, defaults={"material": material, "number": number}
    )
    transaction.on_commit(lambda: _queue(version.pk))
    return report


def _queue(version_id: int) -> None:
    from materials.tasks import copy_check_task

    copy_check_task.delay(version_id)


def copy_check_run(*, version_id: int) -> CopyReport:
    """Index one version and check it; safe to run again (the result is recomputed in place)."""
    started = time.perf_counter()
    try:
        with transaction.atomic():
            version = MaterialVersion.objects.select_related("material").get(pk=version_id)
            CopyReport.objects.get_or_create(  # versions submitted before 雷同检测 existed
                material_version=version, defaults={"material": version.material, "number": version.number}
            )
            # One run at a time per version: a second worker waits here, then finds it indexed.
            report = CopyReport.objects.select_for_update().get(material_version=version)
            prepared, spans = prepare_version(version)
            document = _index(prepared, version=version)
            found = check(
                prepared,
                exclude_document=document.pk,
                material_id=version.material_id,
                author_id=version.material.author_id,
            )
            report.status = CopyStatus.DONE
            report.share = round(found.share, 4)
            report.passages = _passages_json(found, prepared, spans)
            report.source_count = len(
                {
                    (p["source"]["kind"], p["source"].get("material") or p["source"].get("reference"))
                    for p in report.passages
                }
            )
            report.error = ""
            report.checked_at = timezone.now()
            report.duration_ms = int((time.perf_counter() - started) * 1000)
            report.runs += 1
            report.save()
            return report
    except MaterialVersion.DoesNotExist:
        raise
    except Exception as exc:
        log.exception("copy check of version %s failed", version_id)
        _fail(version_id, exc)
        if isinstance(exc, OperationalError):
            raise  # the task retries
        return CopyReport.objects.get(material_version_id=version_id)


def _fail(version_id: int, exc: Exception) -> None:
    with transaction.atomic():
        report = CopyReport.objects.select_for_update().filter(material_version_id=version_id).first()
        if report is None:
            version = MaterialVersion.objects.get(pk=version_id)
            report = CopyReport(
                material_version=version, material_id=version.material_id, number=version.number
            )
        report.status = CopyStatus.FAILED
        report.error = f"{type(exc).__name__}: {exc}"[:2000]
        report.checked_at = timezone.now()
        report.runs += 1
        report.save()


# --- reference texts --------------------------------------------------------------------


def _office_unit(actor: Any) -> Any:
    from units.models import Unit

    scope = scope_for(actor)
    offices = sorted((g.path, g.unit_id) for g in scope.grants if g.role == Role.OFFICE)
    return Unit.objects.get(pk=offices[0][1]) if offices else None


def can_manage_reference(actor: Any, reference: ReferenceText) -> bool:
    scope = scope_for(actor)
    if scope.is_superuser or reference.uploaded_by_id == actor.pk:
        return True
    return reference.owner_unit is not None and scope.can_manage(reference.owner_unit.path)


@transaction.atomic
def reference_text_upload(
    *, actor: Any, title: str, source_note: str, upload: Any = None, text: str = ""
) -> ReferenceText:
    """An office adds a public text to compare materials with (.txt, .docx, or pasted text)."""
    require(scope_for(actor).is_office_staff, _("只有活动办可以上传比对文本。"))
    file_name = ""
    if upload is not None:
        text = read_upload(upload)
        file_name = upload.name[:200]
    text = (text or "").replace("\r\n", "\n").strip()
    if len(engine.normalise_only(text)) < engine.K + engine.W:
        raise ValidationError({"text": _("文本太短，无法用于比对（至少需要几十个字）。")})
    if len(text) > MAX_REFERENCE_CHARS:
        raise ValidationError(
            {"text": _("文本太长（超过 %(n)d 字），请拆分后分别上传。") % {"n": MAX_REFERENCE_CHARS}}
        )
    reference = ReferenceText(
        title=title.strip(),
        source_note=source_note.strip(),
        text=text,
        file_name=file_name,
        owner_unit=_office_unit(actor),
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    save_validated(reference, actor=actor)
    transaction.on_commit(lambda: _queue_reference(reference.pk))
    return reference


def _queue_reference(reference_id: int) -> None:
    from materials.tasks import copy_index_reference_task

    copy_index_reference_task.delay(reference_id)


@transaction.atomic
def reference_text_index(*, reference_id: int) -> CopyDocument:
    """Fingerprint a reference text (idempotent)."""
    reference = ReferenceText.objects.select_for_update().get(pk=reference_id)
    return _index(engine.prepare(reference.text, stock_hashes()), reference=reference)


@transaction.atomic
def reference_text_update(
    *, actor: Any, reference: ReferenceText, title: str, source_note: str, version: int | None
) -> ReferenceText:
    reference = (
        ReferenceText.objects.select_for_update(of=("self",))
        .select_related("owner_unit")
        .get(pk=reference.pk)
    )
    require(can_manage_reference(actor, reference), _("只有上传单位的活动办可以修改这份比对文本。"))
    check_version(reference, version)
    reference.title, reference.source_note = title.strip(), source_note.strip()
    save_validated(reference, actor=actor, update_fields=["title", "source_note"])
    return reference


@transaction.atomic
def reference_text_withdraw(
    *, actor: Any, reference: ReferenceText, reason: str, version: int | None
) -> ReferenceText:
    """Withdraw a reference text: later checks no longer compare with it; nothing is deleted,
    and reports that cite it keep citing it."""
    reference = (
        ReferenceText.objects.select_for_update(of=("self",))
        .select_related("owner_unit")
        .get(pk=reference.pk)
    )
    require(can_manage_reference(actor, reference), _("只有上传单位的活动办可以撤回这份比对文本。"))
    check_version(reference, version)
    if reference.status != ReferenceStatus.ACTIVE:
        raise ValidationError(_("这份比对文本已经撤回。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请说明撤回原因。")})
    reference.status = ReferenceStatus.WITHDRAWN
    reference.withdrawn_at = clock.now()
    reference.withdrawn_by = actor
    reference.withdraw_reason = reason.strip()[:300]
    save_validated(
        reference, actor=actor, update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason"]
    )
    # Derived index row, no history: leaves the comparisons from now on.
    CopyDocument.objects.filter(reference=reference).update(is_active=False)
    return reference

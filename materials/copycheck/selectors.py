"""Reads of copy detection: a report as one reviewer may see it, the reference corpus.

A source material is named (unit, author, version) only when ``materials_visible_to(user)``
holds it; otherwise it is "其他单位的材料", and nothing of its text is ever shown — only the
passage of the checked material itself. Reference texts are public texts: title and source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case, F, FloatField, OuterRef, QuerySet, Subquery, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from materials import sections
from materials.choices import SubjectKind
from materials.copycheck.choices import CopyStatus, ReferenceStatus, SourceKind
from materials.models import CopyReport, Material, MaterialVersion, ReferenceText
from materials.selectors import READ_ROLES, materials_visible_to
from units.access import scope_for

EXCERPT = 60


def badge_share() -> float:
    """Reports covering at least this share get a badge in the reviewer's inbox."""
    return float(getattr(settings, "COPYCHECK_BADGE_SHARE", 0.1))


def can_see_reports(user: Any, material: Material) -> bool:
    """Reviewers, offices, 督导组 and others reading the unit's materials — not the author."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    if scope.is_anonymous or (scope.person_id is not None and scope.person_id == material.author_id):
        return False
    if scope.reaches(material.unit_path, roles=READ_ROLES):
        return True
    # A reviewer holds a read grant on the material; a drafter holds a write grant too.
    return user.has_perm("materials.view_material", material) and not user.has_perm(
        "materials.change_material", material
    )


@dataclass
class Source:
    kind: str
    label: str
    detail: str = ""
    url: str = ""
    hidden: bool = False


@dataclass
class PassageView:
    number: int
    excerpt: str
    chars: int
    source: Source
    also: list[Source] = field(default_factory=list)
    also_hidden: int = 0


@dataclass
class Piece:
    text: str
    passage: int | None = None
    title: str = ""
    anchor: bool = False  # the first piece of its passage: the list links here


@dataclass
class CopyView:
    report: CopyReport
    passages: list[PassageView]
    sections: list[tuple[str, list[Piece]]]

    @property
    def status(self) -> str:
        return self.report.status

    @property
    def share_percent(self) -> int:
        return round((self.report.share or 0) * 100)

    @property
    def flagged(self) -> bool:
        return (self.report.share or 0) >= badge_share()


def _sources(user: Any, passages: list[dict[str, Any]]) -> dict[tuple[str, int], Source]:
    """Every source the report names, as this user may see it (two queries)."""
    material_ids, reference_ids = set(), set()
    for passage in passages:
        for source in [passage["source"], *passage.get("also", [])]:
            if source["kind"] == SourceKind.MATERIAL:
                material_ids.add(source["material"])
            else:
                reference_ids.add(source["reference"])
    found: dict[tuple[str, int], Source] = {}
    visible = (
        materials_visible_to(user).filter(pk__in=material_ids).select_related("unit", "author")
        if material_ids
        else Material.objects.none()
    )
    for material in visible:
        found[(SourceKind.MATERIAL, material.pk)] = Source(
            kind=SourceKind.MATERIAL,
            label=f"{material.unit.name} · {material.author.name}",
            detail=material.title,
            url=material.get_absolute_url(),
        )
    for material_id in material_ids:
        found.setdefault(
            (SourceKind.MATERIAL, material_id),
            Source(kind=SourceKind.MATERIAL, label=_("其他单位的材料"), hidden=True),
        )
    office = scope_for(user).is_office_staff
    for reference in ReferenceText.objects.filter(pk__in=reference_ids) if reference_ids else []:
        found[(SourceKind.REFERENCE, reference.pk)] = Source(
            kind=SourceKind.REFERENCE,
            label=reference.title,
            detail=reference.source_note
            + (_("（已撤回）") if reference.status == ReferenceStatus.WITHDRAWN else ""),
            url=reference.get_absolute_url() if office else "",
        )
    return found


def _key(source: dict[str, Any]) -> tuple[str, int]:
    if source["kind"] == SourceKind.MATERIAL:
        return (SourceKind.MATERIAL, source["material"])
    return (SourceKind.REFERENCE, source["reference"])


def _with_version(source: Source, raw: dict[str, Any]) -> Source:
    if source.hidden or raw["kind"] != SourceKind.MATERIAL or not raw.get("version"):
        return source
    number = raw["version"]
    return Source(
        kind=source.kind,
        label=source.label,
        detail=_("%(title)s 第%(n)d稿") % {"title": source.detail, "n": number},
        url=reverse("materials:version", args=[raw["material"], number]),
    )


def copy_view(user: Any, material: Material, version: MaterialVersion | None) -> CopyView | None:
    """The copy check of ``version`` as ``user`` may see it; None when he may not see reports."""
    if version is None or not can_see_reports(user, material):
        return None
    report = CopyReport.objects.filter(material_version=version).first()
    if report is None:
        return None
    section_list = list(sections.sections_text(version.content))
    raw = report.passages if report.status == CopyStatus.DONE else []
    sources = _sources(user, raw)
    passages: list[PassageView] = []
    marks: dict[int, list[tuple[int, int, int]]] = {}
    for number, passage in enumerate(raw, start=1):
        text = "".join(section_list[s][1][a:b] for s, a, b in passage["ranges"] if s < len(section_list))
        also = [sources[_key(s)] for s in passage.get("also", [])]
        shown = [s for s in also if not s.hidden]
        passages.append(
            PassageView(
                number=number,
                excerpt=text[:EXCERPT] + ("…" if len(text) > EXCERPT else ""),
                chars=passage["chars"],
                source=_with_version(sources[_key(passage["source"])], passage["source"]),
                also=shown,
                also_hidden=len(also) - len(shown) + max(0, passage.get("also_count", 0) - len(also)),
            )
        )
        for s, a, b in passage["ranges"]:
            marks.setdefault(s, []).append((a, b, number))
    labels = {p.number: p.source.label for p in passages}
    pieces = [
        (title, _pieces(body, marks.get(number, []), labels))
        for number, (title, body) in enumerate(section_list)
    ]
    anchored: set[int] = set()
    for _title, section in pieces:
        for piece in section:
            if piece.passage is not None and piece.passage not in anchored:
                piece.anchor = True
                anchored.add(piece.passage)
    return CopyView(report=report, passages=passages, sections=pieces)


def _pieces(text: str, ranges: list[tuple[int, int, int]], labels: dict[int, str]) -> list[Piece]:
    """A section body cut into plain and marked pieces (overlapping passages: the first wins)."""
    pieces: list[Piece] = []
    position = 0
    for start, end, number in sorted(ranges):
        start = max(start, position)
        if end <= start:
            continue
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(
            Piece(
                text[start:end],
                number,
                _("雷同片段%(n)d：%(source)s") % {"n": number, "source": labels.get(number, "")},
            )
        )
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces


def with_copy_share(queryset: QuerySet, review: str = "step__review") -> QuerySet:
    """Annotate each row with the share of its material's latest report (None while pending
    or for other subjects): a subquery in the same SQL, no query more."""
    latest = CopyReport.objects.filter(material_id=OuterRef(f"{review}__subject_id")).order_by("-number")
    return queryset.annotate(
        copy_share=Case(
            When(
                **{f"{review}__subject_kind": SubjectKind.MATERIAL},
                then=Subquery(latest.values("share")[:1]),
            ),
            default=Value(None),
            output_field=FloatField(),
        )
    )


# --- reference corpus ----------------------------------------------------------------


def references_visible_to(user: Any) -> QuerySet[ReferenceText]:
    """The reference corpus: every office (and the admin) sees all of it — public texts."""
    if not scope_for(user).is_office_staff:
        return ReferenceText.objects.none()
    return ReferenceText.objects.select_related("owner_unit", "uploaded_by").annotate(
        document_length=F("copy_document__length")
    )


def reference_get_visible(user: Any, pk: int) -> ReferenceText:
    reference = references_visible_to(user).filter(pk=pk).first()
    if reference is None:
        raise Http404
    return reference

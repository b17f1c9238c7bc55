"""The text that is checked: a material version's section bodies, or an uploaded reference text."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaign.uploads import DOCX, TEXT, check_upload
from materials import sections

MAX_REFERENCE_CHARS = 500_000


def material_document(content: dict[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    """The section bodies of a version joined by newlines, and the (start, end) of each body.

    Section titles are left out (every material has them, and they follow the reader's
    language); the bodies come in ``sections.sections_text`` order, so ranges in this text
    lead back to the sections the reviewer reads.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for _title, body in sections.sections_text(content):
        spans.append((position, position + len(body)))
        parts.append(body)
        position += len(body) + 1
    return "\n".join(parts), spans


def section_ranges(spans: list[tuple[int, int]], start: int, end: int) -> list[list[int]]:
    """A range of the document text → [section, start, end] pieces within the section bodies."""
    pieces = []
    for number, (low, high) in enumerate(spans):
        a, b = max(start, low), min(end, high)
        if a < b:
            pieces.append([number, a - low, b - low])
    return pieces


def read_upload(upload: Any) -> str:
    """The plain text of an uploaded .txt (UTF-8 or GB18030) or .docx file."""
    name = (upload.name or "").lower()
    if name.endswith((".docx", ".txt")):  # the content must be what the name says (campaign.uploads)
        try:
            if name.endswith(".docx"):
                check_upload(upload, {DOCX}, _("无法读取该 Word 文件，请确认是 .docx 格式。"))
            else:
                check_upload(upload, {TEXT}, _("参考文本只接受 .txt 或 .docx 文件。"))
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
    if name.endswith(".docx"):
        from docx import Document

        try:
            document = Document(upload)
        except Exception as exc:  # not a zip, not a Word document
            raise ValidationError({"file": _("无法读取该 Word 文件，请确认是 .docx 格式。")}) from exc
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" ".join(cell.text for cell in row.cells))
        text = "\n".join(line for line in lines if line.strip())
    elif name.endswith(".txt"):
        raw = upload.read(MAX_REFERENCE_CHARS * 4 + 1)
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError({"file": _("无法识别文件编码，请另存为 UTF-8 编码的文本文件。")})
    else:
        raise ValidationError({"file": _("只支持 .txt 和 .docx 文件。")})
    return text

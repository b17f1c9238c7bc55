"""Evidence files: accepted by what they contain, not by what they are called.

Allowed: PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) — zip packages whose
[Content_Types].xml names the right main part — and plain text (UTF-8 or GB18030,
no control bytes). Anything else, and anything over MAX_UPLOAD_BYTES, is refused
with a Chinese message before a byte is stored.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from campaign.uploads import check_upload
from rectification.choices import EvidenceKind

MIME: dict[str, str] = {
    EvidenceKind.PDF: "application/pdf",
    EvidenceKind.JPEG: "image/jpeg",
    EvidenceKind.PNG: "image/png",
    EvidenceKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    EvidenceKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    EvidenceKind.TEXT: "text/plain; charset=utf-8",
}
SUFFIX: dict[str, str] = {
    EvidenceKind.PDF: ".pdf",
    EvidenceKind.JPEG: ".jpg",
    EvidenceKind.PNG: ".png",
    EvidenceKind.DOCX: ".docx",
    EvidenceKind.XLSX: ".xlsx",
    EvidenceKind.TEXT: ".txt",
}
MAX_FILES_PER_REPORT = 10


def sniff(upload: Any) -> str:
    """The kind of an uploaded file, or a ValidationError saying why it is refused."""
    return check_upload(
        upload,
        set(MIME),
        _("佐证材料只接受 PDF、JPEG、PNG、Word(.docx)、Excel(.xlsx) 和纯文本文件。"),
    )


def display_name(name: str) -> str:
    """The original file name, without any folder part, for showing and for downloads."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:200] or "file"

"""Evidence files: accepted by what they contain, not by what they are called.

Allowed: PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) — zip packages whose
[Content_Types].xml names the right main part — and plain text (UTF-8 or GB18030,
no control bytes). Anything else, and anything over MAX_UPLOAD_BYTES, is refused
with a Chinese message before a byte is stored.
"""

from __future__ import annotations

import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
_CONTENT_TYPES_LIMIT = 512 * 1024
_TEXT_CONTROL = set(range(0, 32)) - {9, 10, 13}


def _office_kind(upload: Any) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_LIMIT:
                return None
            types = package.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "wordprocessingml.document.main+xml" in types:
        return EvidenceKind.DOCX
    if "spreadsheetml.sheet.main+xml" in types:
        return EvidenceKind.XLSX
    return None


def _is_text(upload: Any) -> bool:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data or any(byte in _TEXT_CONTROL for byte in data[:65536]):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff(upload: Any) -> str:
    """The kind of an uploaded file, or a ValidationError saying why it is refused."""
    name = getattr(upload, "name", "") or _("文件")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件“%(name)s”超过 %(mb)d MB，不能上传。")
            % {"name": name, "mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空的。") % {"name": name})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return EvidenceKind.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return EvidenceKind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return EvidenceKind.PNG
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(upload)
        if kind:
            return kind
    elif _is_text(upload):
        return EvidenceKind.TEXT
    raise ValidationError(
        _(
            "文件“%(name)s”的类型不允许上传。"
            "佐证材料只接受 PDF、JPEG、PNG、Word(.docx)、Excel(.xlsx) 和纯文本文件。"
        )
        % {"name": name}
    )


def display_name(name: str) -> str:
    """The original file name, without any folder part, for showing and for downloads."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:200] or "file"

"""One check for every upload: the size limit and the file's type by what it contains.

Used by the evidence of rectification items (rectification/evidence.py), the table imports
(units, opinions, the rectification ledger: .xlsx or .csv), the Word upload of a material and
the reference texts of 雷同检测 (.docx or .txt). What is kept is stored by campaign.files under
a random name below PRIVATE_MEDIA_ROOT, outside the web roots, and handed out only by views
that check access.

Kinds: pdf, jpeg, png, docx, xlsx (zip packages whose [Content_Types].xml names the right main
part) and text (UTF-8 or GB18030, no control bytes; .csv and .txt files are text).
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF, JPEG, PNG, DOCX, XLSX, TEXT = "pdf", "jpeg", "png", "docx", "xlsx", "text"
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
        return DOCX
    if "spreadsheetml.sheet.main+xml" in types:
        return XLSX
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


def content_kind(upload: Any) -> str | None:
    """What the file is by its bytes (one of the kinds above), or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return TEXT if _is_text(upload) else None


def check_upload(upload: Any, allowed: Collection[str], refusal: Any, max_bytes: int | None = None) -> str:
    """The kind of ``upload`` if it is one of ``allowed`` and within the size limit; otherwise a
    ValidationError in Chinese (``refusal`` says what is accepted). Nothing is stored here."""
    name = getattr(upload, "name", "") or _("文件")
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”超过 %(mb)d MB，不能上传。") % {"name": name, "mb": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空的。") % {"name": name})
    kind = content_kind(upload)
    if kind is None or kind not in allowed:
        raise ValidationError(_("文件“%(name)s”的类型不允许上传。") % {"name": name} + str(refusal))
    return kind


def check_table_upload(upload: Any, max_bytes: int = 10 * 1024 * 1024, csv: bool = True) -> Any:
    """A table to import: .xlsx (or .csv) by its name, and by its content too."""
    name = (getattr(upload, "name", "") or "").lower()
    accepted = _("只支持 .xlsx 或 .csv 文件。") if csv else _("只支持 .xlsx 文件。")
    if name.endswith(".xlsx"):
        check_upload(upload, {XLSX}, accepted, max_bytes)
    elif csv and name.endswith(".csv"):
        check_upload(upload, {TEXT}, accepted, max_bytes)
    else:
        raise ValidationError(accepted)
    return upload

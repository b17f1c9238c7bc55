"""Files kept outside the web root (PRIVATE_MEDIA_ROOT), under random names."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation


def _root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT).resolve()


def save_private(upload: Any, folder: str) -> str:
    """Store an uploaded file under a random name; returns the path relative to the root."""
    suffix = Path(upload.name).suffix.lower()[:10]
    relative = Path(folder) / f"{uuid.uuid4().hex}{suffix}"
    target = _root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(relative)


def private_path(relative: str) -> Path:
    path = (_root() / relative).resolve()
    if _root() not in path.parents:
        raise SuspiciousFileOperation("path escapes PRIVATE_MEDIA_ROOT")
    return path


def open_private(relative: str) -> IO[bytes]:
    return private_path(relative).open("rb")

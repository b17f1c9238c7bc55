"""佐证材料: allow-listed by content, size-limited, stored privately, served after an access check."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from rectification import services
from rectification.models import Evidence, ProgressReport

pytestmark = pytest.mark.django_db


def office_package(main_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/main.xml" '
            f'ContentType="application/vnd.openxmlformats-officedocument.{main_type}"/></Types>',
        )
        package.writestr("main.xml", "<x/>")
    return buffer.getvalue()


GOOD = [
    ("报告.pdf", b"%PDF-1.7\n...", "pdf"),
    ("照片.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, "jpeg"),
    ("截图.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "png"),
    ("说明.docx", office_package("wordprocessingml.document.main+xml"), "docx"),
    ("台账.xlsx", office_package("spreadsheetml.sheet.main+xml"), "xlsx"),
    ("记录.txt", "会议记录：已整改。".encode(), "text"),
    ("记录-gbk.txt", "会议记录：已整改。".encode("gb18030"), "text"),
]
BAD = [
    ("病毒.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # an .exe named .pdf
    ("网页.html", b"<html><script>alert(1)</script>\x00"),
    ("压缩包.zip", office_package("presentationml.presentation.main+xml")),
    ("空文件.txt", b""),
]


@pytest.mark.parametrize(("name", "content", "kind"), GOOD, ids=[g[0] for g in GOOD])
def test_allowed_files_are_kept_by_their_real_kind(rect, world, name, content, kind):
    item = rect.item()
    services.item_report_progress(
        actor=rect.user("office"), item=item, text="进展", files=[SimpleUploadedFile(name, content)]
    )
    stored = Evidence.objects.get()
    assert stored.kind == kind and stored.original_name == name and stored.size == len(content)
    path = Path(settings.PRIVATE_MEDIA_ROOT) / stored.stored_as
    assert path.read_bytes() == content
    assert name not in stored.stored_as  # a random name, outside the web root
    assert not str(path.resolve()).startswith(str(Path(settings.STATIC_ROOT).resolve()))


@pytest.mark.parametrize(("name", "content"), BAD, ids=[b[0] for b in BAD])
def test_other_files_are_refused_and_nothing_is_half_saved(rect, world, name, content):
    item = rect.item()
    good = SimpleUploadedFile("好的.pdf", b"%PDF-1.4 ok")
    with pytest.raises(ValidationError) as exc:
        services.item_report_progress(
            actor=rect.user("office"), item=item, text="进展", files=[good, SimpleUploadedFile(name, content)]
        )
    assert name in str(exc.value)
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    item.refresh_from_db()
    assert item.status == "open" and item.evidence_count == 0


def test_size_limit(rect, world, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    item = rect.item()
    with pytest.raises(ValidationError, match="超过"):
        services.item_report_progress(
            actor=rect.user("office"),
            item=item,
            text="进展",
            files=[SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * 2000)],
        )


def test_download_checks_access_and_is_an_attachment(rect, world, as_user):
    item = rect.item()
    services.item_report_progress(
        actor=rect.user("office"),
        item=item,
        text="进展",
        files=[SimpleUploadedFile("../../会议<纪要>.pdf", b"%PDF-1.4 minutes")],
    )
    evidence = Evidence.objects.get()
    assert evidence.original_name == "会议<纪要>.pdf"
    url = f"/rectification/evidence/{evidence.pk}/"
    response = as_user("supervisor").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    assert as_user("office_b").get(url).status_code == 404
    assert as_user("anonymous").get(url).status_code == 302
    # The item page lists it; the progress page uploads several at once.
    client = as_user("office")
    assert url in client.get(f"/rectification/items/{item.pk}/").content.decode()
    response = client.post(
        f"/rectification/items/{item.pk}/progress/",
        {
            "text": "第二次进展",
            "attachments": [
                SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nxx"),
                SimpleUploadedFile("b.txt", "文本".encode()),
            ],
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.evidence_count == 3
    response = client.post(
        f"/rectification/items/{item.pk}/progress/",
        {"text": "坏文件", "attachments": [SimpleUploadedFile("c.exe", b"MZ\x90\x00")]},
    )
    assert response.status_code == 200 and "类型不允许上传" in response.content.decode()

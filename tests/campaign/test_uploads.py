"""Every upload path goes through campaign.uploads: type by content (not by name), size limit; what
is kept is stored under a random name below PRIVATE_MEDIA_ROOT, outside the web roots."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from campaign.files import private_path, save_private
from campaign.models import Job
from campaign.uploads import check_upload, content_kind
from materials.copycheck.texts import read_upload
from materials.forms import DocxForm
from rectification.forms import LedgerImportForm
from stages.forms import OpinionImportForm
from units.forms import ImportForm

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n"


def office_package(main: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", f'<Types><Override ContentType="{main}"/></Types>')
    return buffer.getvalue()


XLSX = office_package("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
DOCX = office_package("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PNG, "png"), (PDF, "pdf"), (XLSX, "xlsx"), (DOCX, "docx"), ("单位编码,名称\n".encode("gbk"), "text")],
)
def test_the_kind_comes_from_the_content(content, kind):
    assert content_kind(SimpleUploadedFile("whatever.bin", content)) == kind


def test_a_renamed_binary_or_an_empty_or_too_big_file_is_refused(settings):
    with pytest.raises(ValidationError, match="类型不允许上传"):
        check_upload(SimpleUploadedFile("ok.txt", b"\x00\x01binary"), {"text"}, "")
    with pytest.raises(ValidationError, match="是空的"):
        check_upload(SimpleUploadedFile("empty.txt", b""), {"text"}, "")
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="超过 1 MB"):
        check_upload(SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1)), {"text"}, "")


@pytest.mark.parametrize("form_class", [ImportForm, OpinionImportForm, LedgerImportForm])
@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("table.xlsx", XLSX, True),
        ("table.csv", "单位编码,名称\nA00,甲县\n".encode("gb18030"), True),
        ("table.xlsx", PNG, False),  # a picture renamed .xlsx
        ("table.csv", PDF, False),
        ("table.csv", XLSX, False),  # a workbook renamed .csv
        ("table.exe", XLSX, False),
    ],
)
def test_table_imports_check_name_and_content(form_class, name, content, ok):
    data = {"kind": "units", "skip_errors": ""}
    form = form_class(data, {"file": SimpleUploadedFile(name, content)})
    form.is_valid()
    assert ("file" not in form.errors) == ok, form.errors
    if not ok:
        assert any("只支持" in e for e in form.errors["file"])


def test_the_word_upload_of_a_material_takes_only_word_files():
    assert "file" not in _errors(DocxForm({"version": 1}, {"file": SimpleUploadedFile("m.docx", DOCX)}))
    errors = _errors(DocxForm({"version": 1}, {"file": SimpleUploadedFile("m.docx", PDF)}))
    assert "请上传 Word 文件" in " ".join(errors["file"])


def test_reference_texts_must_be_what_their_name_says():
    with pytest.raises(ValidationError) as refused:
        read_upload(SimpleUploadedFile("范文.docx", "纯文本".encode()))
    assert "类型不允许上传" in str(refused.value)
    with pytest.raises(ValidationError):
        read_upload(SimpleUploadedFile("范文.txt", PNG))


@pytest.mark.django_db
def test_imports_store_nothing_when_refused(world, as_user, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    response = as_user("office").post(
        "/units/import/", {"kind": "units", "file": SimpleUploadedFile("u.xlsx", PNG)}
    )
    assert response.status_code == 200 and "只支持" in response.content.decode()
    assert not Job.objects.exists() and not (tmp_path / "private").exists()


def test_kept_files_get_random_names_outside_the_web_roots(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    relative = save_private(SimpleUploadedFile("../../etc/名单.xlsx", XLSX), "jobs")
    stored = private_path(relative)
    assert stored.read_bytes() == XLSX
    assert "名单" not in relative and ".." not in relative and Path(relative).suffix == ".xlsx"
    web_roots = [
        Path(settings.STATIC_ROOT).resolve(),
        *(Path(d).resolve() for d in settings.STATICFILES_DIRS),
    ]
    assert not any(root in stored.parents for root in web_roots)
    assert not getattr(settings, "MEDIA_ROOT", "")  # nothing is served from a media folder


def _errors(form):
    form.is_valid()
    return form.errors

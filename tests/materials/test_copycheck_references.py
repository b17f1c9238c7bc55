"""The reference corpus (比对文本库): upload, list, withdraw per role; copies of a reference text
found; a withdrawn text no longer compared with; query counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from materials.copycheck import services
from materials.copycheck.choices import CopyStatus, ReferenceStatus
from materials.models import CopyDocument, ReferenceText
from tests.factories import UserFactory
from tests.materials.conftest import account, members_of
from tests.materials.copycheck_helpers import own_content, report_of, submit

pytestmark = pytest.mark.django_db

MODEL_TEXT = (
    "网上范文：本人在工作中存在调查研究不深入的问题，到基层调研习惯于听汇报、看材料，真正沉下去解剖麻雀少，"
    "对分管领域群众反映强烈的热点难点问题掌握不够全面。今后要坚持每月到联系点蹲点两天，形成有分量的调研报告，"
    "把群众的操心事、烦心事、揪心事作为工作的出发点和落脚点。"
)


def county_office():
    return account("S410922-BGS1")  # 清丰县委活动办


def other_county_office():
    return account(members_of("南乐县委教育实践活动领导小组办公室")[0].code)


@pytest.fixture
def reference(province, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reference = services.reference_text_upload(
            actor=county_office(), title="网上流传的范文", source_note="某文库网站", text=MODEL_TEXT
        )
    assert CopyDocument.objects.filter(reference=reference).exists()
    return reference


def test_an_office_uploads_pasted_text_from_the_page(client, province, django_capture_on_commit_callbacks):
    client.force_login(county_office())
    assert client.get("/materials/references/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/materials/references/new/",
            {"title": "第一批活动单位材料", "source_note": "材料汇编", "text": MODEL_TEXT},
        )
    reference = ReferenceText.objects.get(title="第一批活动单位材料")
    assert response.status_code == 302 and response["Location"] == f"/materials/references/{reference.pk}/"
    assert reference.owner_unit.code == "410922" and reference.status == ReferenceStatus.ACTIVE
    assert CopyDocument.objects.get(reference=reference).fingerprint_count > 0
    page = client.get("/materials/references/").content.decode()
    assert "第一批活动单位材料" in page and "材料汇编" in page


def test_docx_and_gbk_text_files_are_read(province):
    document = Document()
    for paragraph in (MODEL_TEXT[:60], MODEL_TEXT[60:]):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    word = services.reference_text_upload(
        actor=county_office(),
        title="Word 文件",
        source_note="上传",
        upload=SimpleUploadedFile("fanwen.docx", buffer.getvalue()),
    )
    assert word.text.replace("\n", "") == MODEL_TEXT and word.file_name == "fanwen.docx"
    text = services.reference_text_upload(
        actor=county_office(),
        title="GBK 文本",
        source_note="上传",
        upload=SimpleUploadedFile("fanwen.txt", MODEL_TEXT.encode("gbk")),
    )
    assert text.text == MODEL_TEXT


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ({"text": "太短了"}, "文本太短"),
        ({"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}, "只支持 .txt 和 .docx"),
        ({"file": SimpleUploadedFile("a.docx", b"not a zip")}, "无法读取该 Word 文件"),
        ({}, "请上传文件或粘贴全文"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_saved(client, province, upload, message):
    client.force_login(county_office())
    response = client.post("/materials/references/new/", {"title": "坏文件", "source_note": "测试", **upload})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ReferenceText.objects.filter(title="坏文件").exists()


@pytest.mark.parametrize(
    ("who", "pages", "detail", "api"),
    [
        ("county_office", 200, 200, 200),
        ("other_county_office", 200, 200, 200),  # the corpus is shared: public texts
        ("superuser", 200, 200, 200),
        ("member", 403, 404, 403),
        ("supervisor", 403, 404, 403),
        ("anonymous", 302, 302, 401),
    ],
)
def test_the_corpus_pages_are_for_offices(client, reference, who, pages, detail, api):
    users = {
        "county_office": county_office,
        "other_county_office": other_county_office,
        "superuser": lambda: UserFactory(username="admin2", is_superuser=True, is_staff=True),
        "member": lambda: account("P410922-ZZB"),
        "supervisor": lambda: account(members_of("濮阳市委第二督导组")[0].code),
    }
    if who != "anonymous":
        client.force_login(users[who]())
    for url in ("/materials/references/", "/materials/references/new/"):
        assert client.get(url).status_code == pages, url
    for url in (f"/materials/references/{reference.pk}/", f"/materials/references/{reference.pk}/history/"):
        assert client.get(url).status_code == detail, url
    assert client.get("/api/reference-texts/").status_code == api


def test_withdrawal_by_the_uploading_office_only_and_nothing_deleted(client, reference):
    client.force_login(other_county_office())
    page = client.get(f"/materials/references/{reference.pk}/").content.decode()
    assert "撤回原因" not in page  # read only for another county's office
    assert (
        client.post(
            f"/materials/references/{reference.pk}/withdraw/",
            {"reason": "不对", "version": reference.version},
        ).status_code
        == 403
    )
    client.force_login(county_office())
    response = client.post(
        f"/materials/references/{reference.pk}/withdraw/",
        {"reason": "不是范文", "version": reference.version},
    )
    assert response.status_code == 302
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.WITHDRAWN and reference.withdraw_reason == "不是范文"
    assert not CopyDocument.objects.get(reference=reference).is_active
    stale = client.post(
        f"/materials/references/{reference.pk}/withdraw/",
        {"reason": "再撤一次", "version": reference.version - 1},
    )
    assert stale.status_code == 302 and ReferenceText.objects.filter(pk=reference.pk).exists()
    history = client.get(f"/materials/references/{reference.pk}/history/").content.decode()
    assert "已撤回" in history and "不是范文" in history


def test_another_office_is_refused_withdrawal_through_the_api_whatever_the_body(client, reference):
    """The corpus is shared, so another county's office reads it, but the API refuses its
    withdrawal (403) before the body is read: an empty body is not answered with 400."""
    client.force_login(other_county_office())
    url = f"/api/reference-texts/{reference.pk}/withdraw/"
    assert client.post(url, {}, content_type="application/json").status_code == 403
    full = {"reason": "不对", "version": reference.version}
    assert client.post(url, full, content_type="application/json").status_code == 403
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.ACTIVE
    client.force_login(county_office())
    assert client.post(url, {}, content_type="application/json").status_code == 400
    done = client.post(
        url, {"reason": "不是范文", "version": reference.version}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == ReferenceStatus.WITHDRAWN


def test_copies_of_a_reference_text_are_found_until_it_is_withdrawn(
    client, reference, django_capture_on_commit_callbacks
):
    account("P410922-SJ")
    with django_capture_on_commit_callbacks(execute=True):
        copier = submit(
            reference_campaign(), "P410922-XCB", "410922", own_content(30, formalism=MODEL_TEXT[5:])
        )
    report = report_of(copier)
    assert report.status == CopyStatus.DONE
    assert [p["source"] for p in report.passages] == [{"kind": "reference", "reference": reference.pk}]
    client.force_login(account("P410922-SJ"))
    page = client.get(f"/materials/{copier.pk}/").content.decode()
    assert "网上流传的范文" in page and "某文库网站" in page

    services.reference_text_withdraw(actor=county_office(), reference=reference, reason="撤回", version=None)
    page = client.get(f"/materials/{copier.pk}/").content.decode()
    assert "网上流传的范文" in page and "已撤回" in page  # the old report keeps its source
    with django_capture_on_commit_callbacks(execute=True):
        later = submit(
            reference_campaign(), "P410922-JW", "410922", own_content(31, formalism=MODEL_TEXT[5:])
        )
    # No longer compared with the withdrawn text — only with the material that copied it before.
    assert [p["source"]["kind"] for p in report_of(later).passages] == ["material"]
    assert report_of(later).passages[0]["source"]["material"] == copier.pk


def reference_campaign():
    from campaign.models import Campaign

    return Campaign.objects.get()


def test_the_corpus_list_has_a_fixed_query_count(client, province, django_assert_max_num_queries):
    client.force_login(county_office())
    for n in range(3):
        services.reference_text_upload(
            actor=county_office(), title=f"范文{n}", source_note="网", text=MODEL_TEXT
        )
    # session, user, scope, count, page (references with unit, uploader and index length)
    with django_assert_max_num_queries(5) as small:
        client.get("/materials/references/")
    for n in range(3, 40):
        services.reference_text_upload(
            actor=county_office(), title=f"范文{n}", source_note="网", text=MODEL_TEXT
        )
    with django_assert_max_num_queries(5) as large:
        page = client.get("/materials/references/").content.decode()
    assert len(small.captured_queries) == len(large.captured_queries)
    assert "范文39" in page


def test_the_admin_uploads_and_withdraws_through_the_services(
    client, reference, django_capture_on_commit_callbacks
):
    admin = UserFactory(username="admin3", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/admin/materials/referencetext/").status_code == 200
    assert client.get("/admin/materials/copyreport/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/materials/referencetext/add/",
            {"title": "后台上传", "source_note": "管理员", "text": MODEL_TEXT},
        )
    assert response.status_code == 302
    added = ReferenceText.objects.get(title="后台上传")
    assert added.owner_unit is None and added.history.count() == 1
    assert CopyDocument.objects.filter(reference=added).exists()
    client.post(
        "/admin/materials/referencetext/",
        {"action": "withdraw", "_selected_action": [added.pk, reference.pk]},
    )
    assert set(ReferenceText.objects.values_list("status", flat=True)) == {ReferenceStatus.WITHDRAWN}

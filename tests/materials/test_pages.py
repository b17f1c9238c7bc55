"""Material pages and API per role; drafts stay private; publication; .docx export; query counts."""

import io

import pytest
from docx import Document

from materials.choices import ActionKind, MaterialStatus
from materials.models import Material
from tests.factories import UserFactory
from tests.materials.conftest import account, members_of
from tests.materials.helpers import act, open_step, write_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def material(province):
    """清丰县委常委、组织部部长's personal material, at the 县委书记's step."""
    account("P410922-SJ")
    return write_and_submit(province.campaign, "P410922-ZZB", "410922")


def users():
    return {
        "author": account("P410922-ZZB"),
        "reviewer": account("P410922-SJ"),
        "city_office": account(members_of("濮阳市委教育实践活动领导小组办公室")[0].code),
        "supervisor": account(members_of("濮阳市委第二督导组")[0].code),
        "peer": account("P410922-XCB"),
        "other_city_office": account(members_of("许昌市委教育实践活动领导小组办公室")[0].code),
        "outsider": UserFactory(username="nobody"),
    }


READ = {"author", "reviewer", "city_office", "supervisor"}


@pytest.mark.parametrize(
    "role",
    ["author", "reviewer", "city_office", "supervisor", "peer", "other_city_office", "outsider", "anonymous"],
)
def test_material_pages_per_role(client, material, role):
    if role != "anonymous":
        client.force_login(users()[role])
    for url in (
        f"/materials/{material.pk}/",
        f"/materials/{material.pk}/history/",
        f"/materials/{material.pk}/versions/1/",
        f"/materials/{material.pk}/export.docx",
        f"/api/materials/{material.pk}/",
    ):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code in (302, 401), url
        elif role in READ:
            assert response.status_code == 200, (url, role)
        else:
            assert response.status_code == 404, (url, role)
    edit = client.get(f"/materials/{material.pk}/edit/")
    expected_edit = {"anonymous": 302, "author": 302}.get(
        role, 403 if role in READ else 404
    )  # in review: author is sent back
    assert edit.status_code == expected_edit


@pytest.mark.parametrize(
    ("role", "status"), [("reviewer", 302), ("supervisor", 403), ("author", 403), ("other_city_office", 404)]
)
def test_only_the_reviewer_of_the_open_step_may_act(client, material, role, status):
    client.force_login(users()[role])
    step = open_step(material)
    response = client.post(
        f"/materials/{material.pk}/steps/{step.pk}/act/",
        {"action": ActionKind.PASS, "opinion": "同意", "review_version": material.review.version},
    )
    assert response.status_code == status
    step.refresh_from_db()
    assert (step.state == "passed") == (role == "reviewer")


def test_a_peer_sees_the_body_material_but_not_anothers_personal_one(client, province):
    account("P410922-SJ")
    body = write_and_submit(province.campaign, None, "410922", kind="body", body=True)
    client.force_login(account("P410922-XCB"))
    assert client.get(f"/materials/{body.pk}/").status_code == 200


def test_draft_content_is_for_the_author_only(client, province):
    from materials import services
    from units.models import Person, Unit

    author = account("P410922-JW")
    person = Person.objects.get(code="P410922-JW")
    material = services.material_start(
        actor=author,
        campaign=province.campaign,
        unit=Unit.objects.get(code="410922"),
        kind="personal",
        subject_person=person,
    )
    content = material.draft
    content["discipline"] = "草稿中的秘密内容"
    services.material_save_draft(actor=author, material=material, content=content, version=material.version)
    client.force_login(users()["supervisor"])
    page = client.get(f"/materials/{material.pk}/").content.decode()
    assert "草稿中的秘密内容" not in page and "尚未提交" in page
    assert client.get(f"/api/materials/{material.pk}/draft/").status_code == 404
    client.force_login(author)
    assert "草稿中的秘密内容" in client.get(f"/materials/{material.pk}/edit/").content.decode()
    assert (
        client.get(f"/api/materials/{material.pk}/draft/").json()["content"]["discipline"]
        == "草稿中的秘密内容"
    )


def test_editor_page_saves_sections_examples_and_measures(client, province):
    from materials import services
    from units.models import Person, Unit

    author = account("P410922-JW")
    material = services.material_start(
        actor=author,
        campaign=province.campaign,
        unit=Unit.objects.get(code="410922"),
        kind="personal",
        subject_person=Person.objects.get(code="P410922-JW"),
    )
    client.force_login(author)
    page = client.get(f"/materials/{material.pk}/edit/").content.decode()
    assert "形式主义" in page and "切身利益" not in page  # personal materials have no 班子 parts
    data = {"version": material.version, "discipline": "严守纪律", "wind_formalism": "会议多", "other": ""}
    for part in ("formalism", "bureaucratism", "hedonism", "extravagance"):
        data.update(
            {f"ex_{part}-TOTAL_FORMS": "2", f"ex_{part}-INITIAL_FORMS": "0", f"ex_{part}-MAX_NUM_FORMS": "50"}
        )
    data["ex_formalism-0-text"] = "全年开会120次"
    data.update({"measures-TOTAL_FORMS": "1", "measures-INITIAL_FORMS": "0", "measures-MAX_NUM_FORMS": "50"})
    data["measures-0-text"] = "压缩会议"
    response = client.post(f"/materials/{material.pk}/edit/", data)
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.draft["discipline"] == "严守纪律"
    assert material.draft["winds"]["formalism"]["examples"][0]["text"] == "全年开会120次"
    assert material.draft["measures"]["items"][0]["text"] == "压缩会议"
    # Stale page: the same version again is refused with a clear message, nothing lost.
    data["discipline"] = "被覆盖？"
    page = client.post(f"/materials/{material.pk}/edit/", data).content.decode()
    assert "已被他人修改" in page
    material.refresh_from_db()
    assert material.draft["discipline"] == "严守纪律"


def test_submit_page_shows_hints_and_the_path(client, province):
    from materials import services
    from units.models import Person, Unit

    author = account("P410922-JW")
    material = services.material_start(
        actor=author,
        campaign=province.campaign,
        unit=Unit.objects.get(code="410922"),
        kind="personal",
        subject_person=Person.objects.get(code="P410922-JW"),
    )
    client.force_login(author)
    page = client.get(f"/materials/{material.pk}/submit/").content.decode()
    assert "没有列出具体事例" in page and "市委督导组审核" in page and "县（区）委书记审核" in page
    response = client.post(f"/materials/{material.pk}/submit/", {"version": material.version})
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.status == MaterialStatus.IN_REVIEW and material.versions.count() == 1


def test_publication_of_a_village_brief_material(client, province):
    account("P410922001-SJ")
    village = write_and_submit(province.campaign, "P410922001001-SJ", "410922001001", kind="brief", body=True)
    personal = write_and_submit(province.campaign, "P410922001001-SJ", "410922001001", kind="brief")
    public = "/public/units/410922001001/"
    act(village, ActionKind.PASS)
    act(personal, ActionKind.PASS)
    village.refresh_from_db()
    assert village.status == MaterialStatus.APPROVED
    assert "简要对照检查材料" not in client.get(public).content.decode()
    # Only the office may publish; the secretary's own brief material is not for publication.
    client.force_login(account("P410922-SJ"))
    client.post(f"/materials/{village.pk}/publish/")
    village.refresh_from_db()
    assert village.published_at is None
    client.force_login(account("S410922-BGS1"))
    client.post(f"/materials/{personal.pk}/publish/")
    client.post(f"/materials/{village.pk}/publish/")
    client.logout()
    page = client.get(public).content.decode()
    assert village.title in page and "对照检查材料公示" in page
    assert personal.title not in page


def test_export_to_docx_holds_the_text_and_the_review_trail(client, material):
    act(material, ActionKind.PASS, "问题查摆具体，同意报送。")
    client.force_login(account("P410922-ZZB"))
    response = client.get(f"/materials/{material.pk}/export.docx")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert material.title in text and "形式主义" in text and "走马观花" in text
    table = "\n".join(cell.text for row in document.tables[0].rows for cell in row.cells)
    assert "问题查摆具体，同意报送。" in table and "县（区）委书记审核" in table
    from docx.oxml.ns import qn

    fonts = {run._element.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs for run in p.runs}
    assert {"仿宋_GB2312", "黑体", "方正小标宋简体"} <= fonts
    # Formatted by campaign/documents.py: A4, "— PAGE —" in the footer, tables in 宋体.
    footer = document.sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("— ") and footer.text.endswith(" —")
    assert (
        round(document.sections[0].page_width.mm) == 210 and round(document.sections[0].page_height.mm) == 297
    )
    table_fonts = {
        run._element.rPr.rFonts.get(qn("w:eastAsia"))
        for row in document.tables[0].rows
        for cell in row.cells
        for run in cell.paragraphs[0].runs
    }
    assert table_fonts == {"宋体"}


def test_api_round_trip(client, province):
    author = account("P410922-ZZB")
    reviewer = account("P410922-SJ")
    client.force_login(author)
    created = client.post(
        "/api/materials/",
        {"unit": "410922", "kind": "personal", "subject_person": author.person.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    from materials.demo import demo_content

    draft = client.put(
        f"/api/materials/{pk}/draft/",
        {"content": demo_content(False), "version": created.json()["version"]},
        content_type="application/json",
    )
    assert draft.status_code == 200
    submitted = client.post(
        f"/api/materials/{pk}/submit/", {"version": draft.json()["version"]}, content_type="application/json"
    )
    assert submitted.json()["status"] == "in_review"
    client.force_login(reviewer)
    inbox = client.get("/api/review-steps/").json()
    row = inbox["results"][0]
    assert row["material"] == pk and row["step"] == "县（区）委书记审核"
    stale = client.post(
        f"/api/review-steps/{row['step_id']}/act/",
        {"action": "pass", "opinion": "同意", "review_version": row["review_version"] - 1},
        content_type="application/json",
    )
    assert stale.status_code == 400 and "页面内容已过期" in stale.content.decode()
    ok = client.post(
        f"/api/review-steps/{row['step_id']}/act/",
        {
            "action": "pass",
            "opinion": "同意",
            "checklist": ["bu_rao"],
            "review_version": row["review_version"],
        },
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == "passed"
    client.force_login(account(members_of("许昌市委教育实践活动领导小组办公室")[0].code))
    assert (
        client.post(
            f"/api/review-steps/{row['step_id']}/act/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get(f"/api/materials/{pk}/").status_code == 404


def test_office_overview_lists_stuck_steps_with_a_fixed_query_count(
    client, province, django_assert_max_num_queries
):
    account("P410922001-SJ")
    first = write_and_submit(province.campaign, "P410922001-ZZW", "410922001")
    act(first, ActionKind.PASS)  # → 县委督导组, whose members have no accounts: flagged
    client.force_login(account("S410922-BGS1"))
    url = "/materials/under/410922/"
    # session, user, scope, unit, counts, count, page, open steps, two stuck lists
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    assert "无法确定审核人" in page and first.title in page
    for code in ("P410922001-ZZ", "P410922001-JW", "P410922001-FSJ"):
        write_and_submit(province.campaign, code, "410922001")
    with django_assert_max_num_queries(10):
        client.get(url)


def test_unit_panel_shows_what_each_unit_owes(client, material):
    client.force_login(account("S410922-BGS1"))
    page = client.get("/units/410922/").content.decode()
    assert "对照检查材料" in page and material.title in page and "未开始" in page
    assert Material.objects.filter(unit__code="410922").count() == 1

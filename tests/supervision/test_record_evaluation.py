"""纪实评价: who may write, the figures equal the record, submitting locks, the group's report."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document

from campaign.models import Job
from supervision.models import LeaderEvaluation, RecordEvaluation
from tests.supervision.record_helpers import build_record
from units.choices import OrgKind
from units.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock_and_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)


@pytest.fixture
def group(world):
    return Organization.objects.get(kind=OrgKind.SUPERVISION_GROUP, name="测试市委第一督导组")


@pytest.fixture
def record(world):
    return build_record(world)


def url(group, unit):
    return f"/supervision/groups/{group.pk}/units/{unit.code}/evaluation/"


def post_form(client, group, unit, record, action="save", **extra):
    data = {
        "grade": "fair",
        "text": "班子带头查摆问题，整改有力。",
        f"p{record['secretary'].pk}-grade": "good",
        f"p{record['secretary'].pk}-text": "带头示范。",
        f"p{record['member'].pk}-grade": "average",
        f"p{record['member'].pk}-text": "材料反复修改。",
        "action": action,
    }
    data.update(extra)
    return client.post(url(group, unit), data)


WRITERS = {"supervisor", "office", "superuser"}


@pytest.mark.parametrize(
    "role", ["supervisor", "office", "superuser", "principal", "member", "office_b", "village", "outsider"]
)
def test_rights_per_role(world, group, record, as_user, role):
    client = as_user(role)
    page = client.get(url(group, world.county_a))
    response = post_form(client, group, world.county_a, record)
    if role in WRITERS:
        assert page.status_code == 200 and "材料审核退回次数" in page.content.decode()
        assert response.status_code == 302, response.content.decode()[:2000]
        assert RecordEvaluation.objects.get().written_by == world.user(role)
    else:
        assert page.status_code == 404 and response.status_code in (403, 404)
        assert not RecordEvaluation.objects.exists()
    # The group is not assigned to county B: nobody writes there through it.
    assert as_user(role).get(url(group, world.county_b)).status_code == 404


def test_anonymous_is_sent_to_login(world, group, as_user):
    assert as_user("anonymous").get(url(group, world.county_a)).status_code == 302


def test_figures_equal_the_record_and_submitting_locks(world, group, record, as_user):
    client = as_user("supervisor")
    assert post_form(client, group, world.county_a, record).status_code == 302
    evaluation = RecordEvaluation.objects.get()
    figures = evaluation.figures
    assert figures["material"] == "审核通过" and figures["returns"] == 2
    assert figures["meeting"].startswith("较好")
    assert "86.7%" in figures["satisfaction"] and "30人" in figures["satisfaction"]
    # 4 team items not withdrawn + 2 personal = 6 in the unit's list, 2 closed.
    assert (figures["items_total"], figures["items_closed"]) == (5, 2)
    assert figures["completion"].startswith("40.0%")
    assert "材料撰写敷衍" in figures["accountability"]
    rows = {row.person_id: row for row in LeaderEvaluation.objects.all()}
    secretary, member = rows[record["secretary"].pk], rows[record["member"].pk]
    assert secretary.figures["material"] == "审核通过" and secretary.figures["returns"] == 1
    assert secretary.figures["completion"] == "无整改事项" and secretary.figures["accountability"] == "无"
    assert member.figures["material"] == "审核中" and member.figures["completion"].startswith("50.0%")
    assert "约谈" in member.figures["accountability"]
    assert (secretary.grade, member.grade, member.text) == ("good", "average", "材料反复修改。")
    assert evaluation.status == "draft"

    # Submitting needs every grade and text, and says what is missing; nothing is lost.
    incomplete = post_form(
        client, group, world.county_a, record, "submit", **{f"p{record['member'].pk}-text": ""}
    )
    assert incomplete.status_code == 200 and record["member"].name in incomplete.content.decode()
    assert RecordEvaluation.objects.get().status == "draft"
    version = RecordEvaluation.objects.get().version
    done = post_form(client, group, world.county_a, record, "submit", version=version)
    assert done.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == "submitted" and evaluation.submitted_by == world.user("supervisor")
    # Locked: the page is read-only, and a post is refused for everyone.
    page = client.get(url(group, world.county_a)).content.decode()
    assert 'name="action"' not in page and "已提交" in page
    for role in ("supervisor", "office"):
        assert post_form(as_user(role), group, world.county_a, record).status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.text == "班子带头查摆问题，整改有力。"


def test_a_stale_page_is_refused(world, group, record, as_user):
    client = as_user("supervisor")
    post_form(client, group, world.county_a, record)
    response = post_form(client, group, world.county_a, record, version=0)
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()


def test_report_docx_holds_each_unit_and_leader(
    world, group, record, as_user, django_capture_on_commit_callbacks
):
    client = as_user("supervisor")
    post_form(client, group, world.county_a, record, "submit")
    assert RecordEvaluation.objects.get().status == "submitted"
    listing = client.get(f"/supervision/groups/{group.pk}/evaluations/").content.decode()
    assert world.county_a.name in listing and "已提交" in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/supervision/groups/{group.pk}/evaluations/")
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done", job.error
    download = client.get(f"/jobs/{job.pk}/download/")
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于测试市委第一督导组对所督导单位领导班子和领导干部纪实评价情况的报告" in text
    assert "中共测试市委组织部：" in text and world.county_a.name in text and "较好" in text
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert record["secretary"].name in cells and record["member"].name in cells and "材料反复修改。" in cells
    assert "86.7%" in cells
    assert "PAGE" in document.sections[0].footer.paragraphs[0]._p.xml
    # Only the owner downloads; only members and offices above start a report.
    assert as_user("office").get(f"/jobs/{job.pk}/download/").status_code == 404
    for role in ("principal", "member", "office_b"):
        assert as_user(role).post(f"/supervision/groups/{group.pk}/evaluations/").status_code == 404


def test_links_from_the_workspace_and_the_unit_page(world, group, as_user):
    client = as_user("supervisor")
    workspace = client.get(f"/supervision/groups/{group.pk}/").content.decode()
    assert url(group, world.county_a) in workspace
    unit_page = client.get(world.county_a.get_absolute_url()).content.decode()
    assert url(group, world.county_a) in unit_page
    assert (
        url(group, world.county_a)
        not in as_user("principal").get(world.county_a.get_absolute_url()).content.decode()
    )


def test_api_save_submit_and_report(world, group, record, as_user, django_capture_on_commit_callbacks):
    client = as_user("supervisor")
    body = {
        "group": group.pk,
        "unit": world.county_a.code,
        "grade": "good",
        "text": "好",
        "leaders": [
            {"person": record["secretary"].pk, "grade": "good", "text": "好"},
            {"person": record["member"].pk, "grade": "fair", "text": "较好"},
        ],
    }
    saved = client.post("/api/record-evaluations/save/", body, content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["figures"]["returns"] == 2 and len(saved.json()["leaders"]) == 2
    submitted = client.post(
        "/api/record-evaluations/save/", {**body, "submit": True}, content_type="application/json"
    )
    assert submitted.json()["status"] == "submitted"
    again = client.post("/api/record-evaluations/save/", body, content_type="application/json")
    assert again.status_code == 400 and "已提交" in again.content.decode()
    assert client.get("/api/record-evaluations/").json()["count"] == 1
    assert as_user("office_b").get("/api/record-evaluations/").json()["count"] == 0
    denied = as_user("principal").post("/api/record-evaluations/save/", body, content_type="application/json")
    assert denied.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        started = as_user("supervisor").post(
            "/api/record-evaluations/report/", {"group": group.pk}, content_type="application/json"
        )
    assert (
        started.status_code == 202
        and started.json()["download_url"] == f"/jobs/{started.json()['job']}/download/"
    )
    assert Job.objects.get().status == "done"
    assert (
        as_user("office_b")
        .post("/api/record-evaluations/report/", {"group": group.pk}, content_type="application/json")
        .status_code
        == 404
    )


def test_the_group_list_has_a_fixed_number_of_queries(
    world, group, record, as_user, django_assert_max_num_queries
):
    from tests.factories import make_post, make_unit
    from units import services as unit_services
    from units.choices import UnitKind

    client = as_user("supervisor")
    post_form(client, group, world.county_a, record)
    for n in range(5):
        unit = make_unit(world.city, UnitKind.COUNTY, f"丙{n}县", f"X{n}")
        make_post(unit, title="县委书记")
        unit_services.supervision_assign(
            actor=world.user("superuser"), group=group, unit=unit, start_date=world.campaign.start_date
        )
        post_form(client, group, unit, {"secretary": unit.posts.get().person, "member": record["member"]})
    # session, user, group, scope grants, membership (rights), assignments with units,
    # evaluations, their leaders, the leaders' people — the same for 1 unit or 600
    with django_assert_max_num_queries(9):
        page = client.get(f"/supervision/groups/{group.pk}/evaluations/")
    assert page.content.decode().count("打开") == 6 and RecordEvaluation.objects.count() == 6


def test_the_leading_group_reads_but_does_not_write(world, group, record, as_user, client):
    from tests.factories import PersonFactory, login_as, make_org, seat

    as_user("supervisor")
    post_form(client, group, world.county_a, record)
    leading = make_org(world.campaign, world.city, OrgKind.LEADING_GROUP)
    reader = PersonFactory(name="领导小组成员")
    seat(leading, reader)
    client.force_login(login_as(reader, "leading"))
    page = client.get(url(group, world.county_a))
    assert page.status_code == 200 and "班子带头查摆问题" in page.content.decode()
    assert 'name="action"' not in page.content.decode()
    assert post_form(client, group, world.county_a, record, text="改写").status_code == 403
    assert client.get("/api/record-evaluations/").json()["count"] == 1
    assert client.post(f"/supervision/groups/{group.pk}/evaluations/").status_code == 404
    assert RecordEvaluation.objects.get().text == "班子带头查摆问题，整改有力。"

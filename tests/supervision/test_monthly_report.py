"""月度工作进展报告: who may ask, the job ends in a .docx whose figures equal the record."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from docx import Document

from campaign.models import Job
from rectification.models import Rule
from stages.models import Opinion, OpinionGroup, StudySession
from supervision.models import ReportHearing
from tests.campaign.test_celery_worker import real_worker, wait_for  # noqa: F401  shared fixture
from tests.supervision.record_helpers import build_record, item

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _clock_and_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CAMPAIGN_CLOCK_DATE = D(2014, 6, 20)


@pytest.fixture
def record(world):
    unit = world.county_a
    data = build_record(world)
    for day, topic in ((D(2014, 6, 3), "学习习近平总书记系列重要讲话"), (D(2014, 5, 20), "五月的学习")):
        session = StudySession.objects.create(
            unit=unit,
            unit_path=unit.path,
            campaign=world.campaign,
            kind="concentrated",
            held_on=day,
            hours=Decimal("3.5"),
            topic=topic,
        )
        session.participants.set([data["secretary"], data["member"]])
    group = OpinionGroup.objects.create(
        unit=unit,
        unit_path=unit.path,
        campaign=world.campaign,
        title="办事难",
        status="published",
        published_at=datetime.datetime(2014, 6, 9, 10, tzinfo=datetime.UTC),
    )
    OpinionGroup.objects.create(unit=unit, unit_path=unit.path, campaign=world.campaign, title="门难进")
    for n, day in enumerate((D(2014, 5, 3), D(2014, 6, 4), D(2014, 6, 5))):
        Opinion.objects.create(
            unit=unit,
            unit_path=unit.path,
            campaign=world.campaign,
            receipt_code=f"R{n}",
            group=group,
            channel="symposium",
            category="formalism",
            text="意见",
            received_on=day,
            source="office",
        )
    item(unit, opened_on=D(2014, 5, 2))  # opened in May: counted in the total, not in June's new items
    Rule.objects.create(
        unit=unit,
        unit_path=unit.path,
        title="公务接待办法",
        judgement="new",
        owner="县委办",
        status="done",
        finished_on=D(2014, 6, 11),
        deadline=D(2014, 6, 30),
        issued_on=D(2014, 6, 11),
        doc_number="清办〔2014〕5号",
    )
    ReportHearing.objects.create(
        unit=unit,
        unit_path=unit.path,
        date=D(2014, 6, 16),
        chaired_by=data["secretary"],
        reporters="甲镇书记",
        notes="要求",
        recorded_by=world.user("office"),
    )
    return data


def start(client, unit, month="2014-06", capture=None):
    with capture(execute=True):
        return client.post(f"/supervision/units/{unit.code}/monthly-report/", {"month": month})


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("office", True),
        ("supervisor", True),
        ("principal", True),
        ("superuser", True),
        ("member", False),
        ("village", False),
        ("office_b", False),
        ("outsider", False),
    ],
)
def test_who_may_ask(world, as_user, role, allowed, django_capture_on_commit_callbacks):
    client = as_user(role)
    page = client.get(f"/supervision/units/{world.county_a.code}/monthly-report/")
    response = start(client, world.county_a, capture=django_capture_on_commit_callbacks)
    if allowed:
        assert page.status_code == 200 and response.status_code == 302
        assert Job.objects.get().user == world.user(role)
        unit_page = client.get(world.county_a.get_absolute_url()).content.decode()
        assert f"/supervision/units/{world.county_a.code}/monthly-report/" in unit_page
    else:
        assert page.status_code == 404 and response.status_code == 404
        assert not Job.objects.exists()


def test_a_month_not_begun_is_refused_in_chinese(world, as_user, django_capture_on_commit_callbacks):
    client = as_user("office")
    for month, message in (("2014-07", "请选择已经开始的月份。"), ("六月", "月份格式应为")):
        response = start(client, world.county_a, month, capture=django_capture_on_commit_callbacks)
        assert response.status_code == 200 and message in response.content.decode()
    assert not Job.objects.exists()


def test_the_report_holds_the_record_of_the_month(world, record, as_user, django_capture_on_commit_callbacks):
    client = as_user("principal")
    response = start(client, world.county_a, capture=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100, job.error
    assert "工作进展报告" in client.get(f"/jobs/{job.pk}/").content.decode()
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "甲县党的群众路线教育实践活动月度工作进展报告" in text and "（2014年6月）" in text
    assert "本月组织学习1次，共3.5学时" in text
    assert "本月收到群众意见建议2条，累计3条；归纳为2组，累计已反馈1组（本月1组），反馈率50.0%" in text
    assert "对照检查材料共3份：审核通过2份，审核中1份" in text
    assert "督导组评价：较好" in text
    # June: 5 items opened (+1 withdrawn, +1 in May), 2 closed; 6 in all, 2 closed; 1 overdue.
    assert "本月新立5项、销号2项；累计6项，已销号2项，完成率33.3%；超过完成时限未销号1项" in text
    assert "制度建设：本月完成1项，累计完成1项" in text
    assert "06月16日听取了下级党组织负责人的汇报" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "学习习近平总书记系列重要讲话" in cells and "五月的学习" not in cells and "2" in cells
    assert "PAGE" in document.sections[0].footer.paragraphs[0]._p.xml
    assert text.strip().endswith("2014年6月20日")
    assert as_user("office").get(f"/jobs/{job.pk}/download/").status_code == 404


def test_api_starts_the_report(world, as_user, django_capture_on_commit_callbacks):
    client = as_user("supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/monthly-reports/",
            {"unit": world.county_a.code, "month": "2014-06"},
            content_type="application/json",
        )
    assert response.status_code == 202
    job_id = response.json()["job"]
    assert client.get(f"/api/jobs/{job_id}/").json()["status"] == "done"
    bad = client.post(
        "/api/monthly-reports/",
        {"unit": world.county_a.code, "month": "2014-09"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "已经开始的月份" in bad.content.decode()
    outside = as_user("office_b").post(
        "/api/monthly-reports/",
        {"unit": world.county_a.code, "month": "2014-06"},
        content_type="application/json",
    )
    assert outside.status_code == 400  # the unit does not resolve outside the caller's scope
    member = as_user("member").post(
        "/api/monthly-reports/",
        {"unit": world.county_a.code, "month": "2014-06"},
        content_type="application/json",
    )
    assert member.status_code == 403


@pytest.mark.usefixtures("real_worker")
def test_the_report_runs_on_a_real_worker():
    """The job leaves the queue on a real Celery worker and ends in a file (both CI passes)."""
    from campaign.files import private_path
    from supervision import services
    from tests.conftest import build_world

    world = build_world()
    job = services.monthly_report_start(actor=world.user("office"), unit=world.county_a, year=2014, month=6)
    job = wait_for(job)
    assert job.status == "done" and job.percent == 100 and job.done == job.total == 6, job.error
    assert private_path(job.result["file"]).read_bytes().startswith(b"PK")

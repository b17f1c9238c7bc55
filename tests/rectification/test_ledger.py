"""The 整改台账 .xlsx: export of a subtree, re-import that changes exactly the edited rows."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from campaign.models import Job
from campaign.tabular import read_table, write_xlsx
from rectification import services
from rectification.choices import ItemStatus
from rectification.ledger import LEDGER_COLUMNS, import_ledger, ledger_rows
from rectification.models import ItemEvent, ProgressReport, RectificationItem
from tests.rectification.conftest import TODAY

pytestmark = pytest.mark.django_db
HEADER = [
    "编号",
    "单位",
    "问题",
    "来源",
    "整改措施",
    "整改目标",
    "责任领导",
    "责任单位",
    "完成时限",
    "办理类别",
    "状态",
    "佐证材料数",
    "最近进展",
    "版本",
]


@pytest.fixture
def items(rect, world):
    made = [
        rect.item(
            problem=f"县里的问题{i}", measure=f"措施{i}", responsible_leader=world.user("principal").person
        )
        for i in range(4)
    ]
    made.append(
        rect.item(unit=world.village_a, actor="village", problem="村里的问题", responsible_unit="村两委")
    )
    made.append(
        rect.item(handling="not_yet", explanation="暂无资金，已向群众说明", problem="暂不具备条件的问题")
    )
    rect.report(made[1], text="已开始整改")
    return made


def export(user, unit):
    header, rows = ledger_rows(user, unit)
    return write_xlsx("整改台账", header, rows)


def edit(content, changes):
    """changes: {row index (1 = first data row): {header: value}}."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    for row_index, values in changes.items():
        for title, value in values.items():
            sheet.cell(row=row_index + 1, column=header.index(title) + 1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rows_of(content):
    return read_table(io.BytesIO(content), "台账.xlsx", LEDGER_COLUMNS)


def snapshot():
    return {
        i.pk: (i.version, i.status, i.last_progress, i.history.count())
        for i in RectificationItem.objects.order_by("pk")
    }


def test_export_layout_and_scope(rect, world, items):
    content = export(rect.user("office"), world.county_a)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == HEADER
    data = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(data) == 6
    by_problem = {row[2]: row for row in data}
    row = by_problem["县里的问题1"]
    assert row[0] == items[1].number and row[1] == "甲县" and row[6] == world.user("principal").person.name
    items[1].refresh_from_db()
    assert row[10] == "整改中" and row[12] == "已开始整改" and row[13] == items[1].version
    assert "暂不具备条件（暂无资金，已向群众说明）" in by_problem["暂不具备条件的问题"][9]
    # The village secretary's export holds his village only, whatever root he names.
    village = load_workbook(io.BytesIO(export(rect.user("village"), world.village_a))).active
    assert [r[2] for r in village.iter_rows(min_row=2, values_only=True)] == ["村里的问题"]


def test_round_trip_changes_exactly_the_edited_rows(rect, world, items):
    office = rect.user("office")
    content = export(office, world.county_a)
    order = [r[0] for r in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)]
    first, second = order.index(items[0].number) + 1, order.index(items[1].number) + 1
    before = snapshot()
    reports = ProgressReport.objects.count()
    edited = edit(
        content,
        {
            first: {"最近进展": "已召开专题会议部署整改", "状态": "整改中"},
            second: {"最近进展": "整改完成，佐证材料已上传", "状态": "申请销号"},
            # Columns that the import does not take are ignored, not half-applied.
            order.index(items[2].number) + 1: {"整改措施": "表格里改了措施"},
        },
    )
    report = import_ledger(actor=office, rows=rows_of(edited), skip_errors=False)
    assert report.applied and report.rejected == []
    assert report.updated == 2 and report.unchanged == 4
    after = snapshot()
    changed = {pk for pk in before if before[pk] != after[pk]}
    assert changed == {items[0].pk, items[1].pk}
    assert after[items[0].pk][1:3] == (ItemStatus.IN_PROGRESS, "已召开专题会议部署整改")
    assert after[items[1].pk][1] == ItemStatus.CLOSE_REQUESTED
    assert ProgressReport.objects.count() == reports + 2
    assert RectificationItem.objects.get(pk=items[2].pk).measure == "措施2"
    # Importing the same file again changes nothing (the rows are stale now, or unchanged).
    again = import_ledger(actor=office, rows=rows_of(export(office, world.county_a)), skip_errors=False)
    assert again.updated == 0 and again.rejected == [] and snapshot() == after


def test_bad_rows_are_reported_in_chinese_and_nothing_is_applied(rect, world, items):
    office = rect.user("office")
    closed = rect.closed(items[3])
    content = export(office, world.county_a)
    order = [r[0] for r in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)]

    def line(item):
        return order.index(item.number) + 1

    services.item_update(
        actor=rect.user("principal"), item=items[2], version=items[2].version, measure="他人改过"
    )
    edited = edit(
        content,
        {
            line(items[0]): {"最近进展": "好的进展"},
            line(items[1]): {"状态": "已销号"},
            line(items[2]): {"最近进展": "导出后他人已修改"},
            line(closed): {"最近进展": "销号后又写进展"},
            line(items[5]): {"状态": "做完了"},
            line(items[4]): {"编号": "ZG999999", "最近进展": "不存在的事项"},
        },
    )
    before = snapshot()
    report = import_ledger(actor=office, rows=rows_of(edited), skip_errors=False)
    assert not report.applied and report.updated == 0
    errors = {e.line: " ".join(e.errors) for e in report.rejected}
    assert "销号、退回、复号、撤销请在系统中办理" in errors[line(items[1]) + 1]
    assert "已被修改" in errors[line(items[2]) + 1]
    assert "已销号" in errors[line(closed) + 1]
    assert "无法识别" in errors[line(items[5]) + 1]
    assert "不存在或不在您的查看范围内" in errors[line(items[4]) + 1]
    assert line(items[0]) + 1 not in errors
    assert snapshot() == before
    # Asked to skip the bad rows, the good one goes in and only it.
    report = import_ledger(actor=office, rows=rows_of(edited), skip_errors=True)
    assert report.applied and report.updated == 1 and len(report.rejected) == 5
    after = snapshot()
    assert {pk for pk in before if before[pk] != after[pk]} == {items[0].pk}


def test_rights_are_checked_per_row(rect, world, items):
    content = export(rect.user("office"), world.county_a)
    order = [r[0] for r in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)]
    edited = edit(
        content,
        {
            order.index(items[0].number) + 1: {"最近进展": "村支书写县里的进展"},
            order.index(items[4].number) + 1: {"最近进展": "村里已整改"},
        },
    )
    report = import_ledger(actor=rect.user("village"), rows=rows_of(edited), skip_errors=True)
    # Every county row lies outside the village secretary's scope; only his village's row goes in.
    assert report.updated == 1 and len(report.rejected) == 5
    assert all("不存在或不在您的查看范围内" in e.errors[0] for e in report.rejected)
    assert RectificationItem.objects.get(pk=items[0].pk).last_progress == ""
    assert RectificationItem.objects.get(pk=items[4].pk).last_progress == "村里已整改"


def test_export_and_import_pages(rect, world, items, as_user, django_capture_on_commit_callbacks):
    client = as_user("office")
    response = client.get(f"/rectification/units/{world.county_a.code}/export/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    content = response.content
    order = [r[0] for r in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)]
    edited = edit(content, {order.index(items[0].number) + 1: {"最近进展": "通过页面导入的进展"}})
    upload = SimpleUploadedFile("台账.xlsx", edited)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/rectification/units/{world.county_a.code}/import/", {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rectification/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done" and job.result["updated"] == 1
    page = client.get(f"/rectification/jobs/{job.pk}/").content.decode()
    assert "更新 1 条" in page
    assert RectificationItem.objects.get(pk=items[0].pk).last_progress == "通过页面导入的进展"
    # Someone else's job is not shown; a non-xlsx file is refused with a reason.
    assert as_user("principal").get(f"/rectification/jobs/{job.pk}/").status_code == 404
    response = client.post(
        f"/rectification/units/{world.county_a.code}/import/", {"file": SimpleUploadedFile("a.txt", b"x")}
    )
    assert "只支持 .xlsx 或 .csv 文件" in response.content.decode()
    assert ItemEvent.objects.filter(item=items[0], on_date=TODAY).exists()


def test_large_exports_run_in_the_background(
    rect, world, items, as_user, monkeypatch, django_capture_on_commit_callbacks
):
    from rectification import views

    monkeypatch.setattr(views, "EXPORT_SYNC_LIMIT", 3)
    client = as_user("office")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/rectification/units/{world.county_a.code}/export/")
    job = Job.objects.get()
    assert response["Location"] == f"/rectification/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done" and "6 条" in job.result["summary"]
    # The old link leads to the jobs centre's download, which serves the owner only.
    assert client.get(f"/rectification/jobs/{job.pk}/download/")["Location"] == f"/jobs/{job.pk}/download/"
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 7
    assert as_user("supervisor").get(f"/rectification/jobs/{job.pk}/download/").status_code == 404
    assert as_user("supervisor").get(f"/jobs/{job.pk}/download/").status_code == 404

"""Bulk import of opinions gathered offline, with a report of every rejected row."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from campaign.tabular import read_table
from stages.imports import OPINION_COLUMNS, import_opinions
from stages.models import Opinion
from units.models import Post

pytestmark = pytest.mark.django_db

HEADER = [
    "单位编码",
    "征求渠道",
    "意见类别",
    "意见内容",
    "收到日期",
    "署名方式",
    "提出人姓名",
    "联系方式",
    "涉及领导人员编码",
]


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows_of(content, name="意见.xlsx"):
    return read_table(io.BytesIO(content), name, OPINION_COLUMNS)


def good_rows(world):
    leader = Post.objects.get(unit=world.county_a, title="县委常委").person
    return [
        ["A00", "座谈会", "形式主义", "会议太多。", "2014-03-10", "实名", "张三", "139", leader.code],
        ["A01", "纪委", "奢靡之风", "公款吃喝。", "2014年3月11日", "匿名", "", "", ""],
        ["A01001", "12345", "征地", "补偿款没发。", "2014/3/12", "", "", "", ""],
    ]


def test_valid_file_imports_every_row_with_history(world):
    report = import_opinions(
        actor=world.user("office"),
        root=world.county_a,
        rows=rows_of(xlsx(good_rows(world))),
        skip_errors=False,
    )
    assert (report.created, report.rejected) == (3, [])
    named = Opinion.objects.get(text="会议太多。")
    assert (named.submitter_name, named.about_person.name, named.source) == (
        "张三",
        named.about_person.name,
        "import",
    )
    secret = Opinion.objects.get(text="公款吃喝。")
    assert secret.is_anonymous and secret.channel == "upper_discipline" and secret.submitter_name == ""
    assert Opinion.objects.get(text="补偿款没发。").category == "land"
    assert len({o.receipt_code for o in Opinion.objects.all()}) == 3
    assert named.history.get().history_user == world.user("office")


def test_every_bad_row_is_reported_and_nothing_is_imported(world):
    bad = [
        ["NOPE", "座谈会", "形式主义", "x", "2014-03-10", "", "", "", ""],
        ["B00", "座谈会", "形式主义", "x", "2014-03-10", "", "", "", ""],
        ["A00", "飞鸽传书", "形式主义", "x", "2014-03-10", "", "", "", ""],
        ["A00", "座谈会", "天气", "x", "2014-03-10", "", "", "", ""],
        ["A00", "座谈会", "形式主义", "", "2014-03-10", "", "", "", ""],
        ["A00", "座谈会", "形式主义", "x", "三月十日", "", "", "", ""],
        ["A00", "座谈会", "形式主义", "x", "2030-01-01", "", "", "", ""],
        ["A00", "座谈会", "形式主义", "x", "2014-03-10", "匿名", "李四", "", ""],
        ["A00", "座谈会", "形式主义", "x", "2014-03-10", "", "", "", "NOBODY"],
        ["A00", "座谈会", "形式主义", "长" * 2001, "2014-03-10", "", "", "", ""],
        ["A00", "座谈会", "形式主义", "x", "2014-03-10", "也许", "", "", ""],
    ]
    rows = rows_of(xlsx(good_rows(world) + bad))
    report = import_opinions(actor=world.user("office"), root=world.county_a, rows=rows, skip_errors=False)
    assert not report.applied and report.created == 0 and not Opinion.objects.exists()
    reasons = {error.line: " ".join(error.errors) for error in report.rejected}
    assert sorted(reasons) == list(range(5, 16))
    assert "不存在或不在本次导入的范围内" in reasons[5] and "不存在或不在本次导入的范围内" in reasons[6]
    assert "征求渠道“飞鸽传书”无法识别" in reasons[7]
    assert "意见类别“天气”无法识别" in reasons[8]
    assert "意见内容不能为空" in reasons[9]
    assert "无法识别" in reasons[10]
    assert "不能晚于今天" in reasons[11]
    assert "不能填写提出人姓名" in reasons[12]
    assert "不是该单位的任职人员" in reasons[13]
    assert "不能超过2000个字" in reasons[14]
    assert "署名方式“也许”无法识别" in reasons[15]
    report = import_opinions(actor=world.user("office"), root=world.county_a, rows=rows, skip_errors=True)
    assert report.applied and report.created == 3 and len(report.rejected) == 11


def test_gbk_csv_is_read(world):
    text = "单位编码,征求渠道,意见类别,意见内容,收到日期\nA00,意见箱,教育,学校乱收费。,2014-03-10\n"
    rows = read_table(io.BytesIO(text.encode("gb18030")), "意见.csv", OPINION_COLUMNS)
    report = import_opinions(actor=world.user("office"), root=world.county_a, rows=rows, skip_errors=False)
    assert report.created == 1 and Opinion.objects.get().channel == "box"


def test_upload_page_runs_the_job_and_shows_the_report(world, as_user, django_capture_on_commit_callbacks):
    client = as_user("office")
    upload = SimpleUploadedFile(
        "意见.xlsx", xlsx([*good_rows(world), ["A00", "?", "?", "", "", "", "", "", ""]])
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/opinions/units/{world.county_a.code}/import/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "导入意见" in page and "未导入的行" in page and "征求渠道“?”无法识别" in page
    assert not Opinion.objects.exists()
    bad_file = SimpleUploadedFile("意见.txt", b"hello")
    response = client.post(f"/opinions/units/{world.county_a.code}/import/", {"file": bad_file})
    assert "只支持 .xlsx 或 .csv 文件" in response.content.decode()


def test_another_countys_office_cannot_import_here(world, as_user):
    assert as_user("office_b").get(f"/opinions/units/{world.county_a.code}/import/").status_code == 404
    report = import_opinions(
        actor=world.user("office_b"),
        root=world.county_b,
        rows=rows_of(xlsx(good_rows(world))),
        skip_errors=True,
    )
    assert report.created == 0 and len(report.rejected) == 3

"""Bulk import of units, people and posts: validation, reports, bulk writes, round trips."""

import io

import pytest
from openpyxl import Workbook

from campaign.tabular import TableError, read_table
from units.choices import PostRole
from units.exports import post_rows, unit_rows
from units.imports import POST_COLUMNS, UNIT_COLUMNS, import_people, import_posts, import_units
from units.models import Person, Post, Unit

pytestmark = pytest.mark.django_db


def csv_rows(text, columns, encoding="utf-8"):
    return read_table(io.BytesIO(text.encode(encoding)), "表.csv", columns)


def xlsx_rows(rows, columns):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return read_table(buffer, "表.xlsx", columns)


UNITS_CSV = """单位编码,单位名称,单位类型,上级单位编码
A02,甲县丙镇,乡镇,A00
A02001,丙镇一村,村,A02
A02002,丙镇社区,社区,A02
A00-GAJ,甲县公安局,执法监管部门和窗口单位、服务行业,A00
"""


def test_units_from_csv_land_in_the_tree_with_history(world):
    office = world.user("office")
    report = import_units(actor=office, rows=csv_rows(UNITS_CSV, UNIT_COLUMNS), skip_errors=False)
    assert (report.created, report.updated, report.rejected) == (4, 0, [])
    town = Unit.objects.get(code="A02")
    village = Unit.objects.get(code="A02001")
    assert village.path.startswith(town.path) and village.depth == town.depth + 1
    assert town.numchild == 2
    world.county_a.refresh_from_db()
    assert world.county_a.numchild == 5
    assert Unit.objects.get(code="A00-GAJ").category == "direct"
    assert village.history.get().history_user == office
    # treebeard agrees the tree is consistent
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_gbk_csv_from_excel_is_read(world):
    rows = csv_rows(UNITS_CSV, UNIT_COLUMNS, encoding="gb18030")
    assert rows[0].values["name"] == "甲县丙镇"


def test_xlsx_with_numeric_codes(world):
    rows = xlsx_rows(
        [["单位编码", "单位名称", "单位类型", "上级单位编码"], [410999, "甲县丁镇", "镇", "A00"]],
        UNIT_COLUMNS,
    )
    report = import_units(actor=world.user("office"), rows=rows, skip_errors=False)
    assert report.created == 1
    assert Unit.objects.filter(code="410999").exists()


BAD_UNITS = """单位编码,单位名称,单位类型,上级单位编码
A03,甲县戊镇,乡镇,A00
A03001,戊镇一村,火星,A03
A03001,戊镇二村,村,A03
A03002,,村,A03
X01,越权村,村,B01
X02,孤儿村,村,NOPE
X03,循环一,乡镇,X04
X04,循环二,乡镇,X03
A03003,戊镇三村,村,A03
"""


def test_a_file_with_errors_imports_nothing_and_reports_every_line(world):
    report = import_units(
        actor=world.user("office"), rows=csv_rows(BAD_UNITS, UNIT_COLUMNS), skip_errors=False
    )
    assert not report.applied
    assert not Unit.objects.filter(code__in=["A03", "A03003"]).exists()
    by_line = {e.line: "；".join(e.errors) for e in report.rejected}
    assert "单位类型“火星”无法识别" in by_line[3]
    assert "与第3行重复" in by_line[4]
    assert "单位名称不能为空" in by_line[5]
    assert "您无权管理上级单位" in by_line[6]
    assert "上级单位编码“NOPE”不存在" in by_line[7]
    assert "循环" in by_line[8] or "循环" in by_line[9]
    assert 2 not in by_line and 10 not in by_line
    assert "未导入任何数据" in report.summary()


def test_skip_errors_imports_the_good_rows(world):
    report = import_units(
        actor=world.user("office"), rows=csv_rows(BAD_UNITS, UNIT_COLUMNS), skip_errors=True
    )
    assert report.applied
    assert set(Unit.objects.filter(code__startswith="A03").values_list("code", flat=True)) == {
        "A03",
        "A03003",
    }
    assert "跳过有错误的" in report.summary()


def test_a_child_of_a_bad_row_is_rejected_with_the_reason(world):
    text = "单位编码,单位名称,单位类型,上级单位编码\nA04,甲县己镇,火星,A00\nA04001,己镇一村,村,A04\n"
    report = import_units(actor=world.user("office"), rows=csv_rows(text, UNIT_COLUMNS), skip_errors=True)
    assert "上级单位（第2行）有错误" in report.rejected[1].errors[0]


def test_missing_header_column_is_a_file_error():
    with pytest.raises(TableError) as exc:
        csv_rows("单位编码,单位名称\nA,B\n", UNIT_COLUMNS)
    assert "缺少这些列：单位类型、上级单位编码" in str(exc.value)


def test_export_then_reimport_changes_nothing(world):
    office = world.user("office")
    header, rows = unit_rows(office, world.county_a)
    table = xlsx_rows([header, *rows], UNIT_COLUMNS)
    report = import_units(actor=office, rows=table, skip_errors=False)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    header, rows = post_rows(office, world.county_a)
    table = xlsx_rows([header, *rows], POST_COLUMNS)
    report = import_posts(actor=office, rows=table, skip_errors=False)
    assert report.rejected == [] and (report.created, report.updated) == (0, 0)


def test_renaming_through_import_keeps_history(world):
    office = world.user("office")
    text = "单位编码,单位名称,单位类型,上级单位编码\nA01,甲县甲镇（更名）,乡镇,A00\n"
    report = import_units(actor=office, rows=csv_rows(text, UNIT_COLUMNS), skip_errors=False)
    assert report.updated == 1
    town = Unit.objects.get(code="A01")
    assert town.name == "甲县甲镇（更名）" and town.history.first().history_user == office


def test_import_cannot_move_or_retype_units(world):
    text = "单位编码,单位名称,单位类型,上级单位编码\nA01,甲镇,社区,A00\n"
    report = import_units(actor=world.user("office"), rows=csv_rows(text, UNIT_COLUMNS), skip_errors=False)
    assert "不能通过导入修改单位类型" in report.rejected[0].errors[0]


def test_people_and_posts(world):
    office = world.user("office")
    people = "人员编码,姓名,职级,联系电话\nQ1,新书记,正科级,13800000000\nQ2,新委员,,\nQ3,坏职级,宇宙级,\n"
    from units.imports import PEOPLE_COLUMNS

    report = import_people(actor=office, rows=csv_rows(people, PEOPLE_COLUMNS), skip_errors=True)
    assert report.created == 2 and report.rejected[0].line == 4
    assert Person.objects.get(code="Q1").rank == "section"

    posts = (
        "人员编码,单位编码,职务,班子角色,排序,任职日期,免职日期,分管单位编码\n"
        "Q1,A01,党委书记,主要负责同志,1,2014年3月1日,,\n"
        "Q2,A01,组织委员,班子成员,3,2014/3/1,,A01001\n"
        "Q2,A01,宣传委员,班子成员,4,2014-13-01,,\n"
        "Q2,B01,委员,班子成员,4,2014-03-01,,\n"
    )
    report = import_posts(actor=office, rows=csv_rows(posts, POST_COLUMNS), skip_errors=True)
    assert report.created == 2
    errors = {e.line: "；".join(e.errors) for e in report.rejected}
    assert "日期“2014-13-01”无法识别" in errors[4]
    assert "无权管理单位" in errors[5]
    member_post = Post.objects.get(person__code="Q2", unit__code="A01")
    assert list(member_post.oversees.values_list("code", flat=True)) == ["A01001"]
    assert member_post.history.first().history_user == office

    second = (
        "人员编码,单位编码,职务,班子角色,排序,任职日期,免职日期,分管单位编码\n"
        "Q2,A01,党委书记,主要负责同志,1,2014-05-01,,\n"
    )
    report = import_posts(actor=office, rows=csv_rows(second, POST_COLUMNS), skip_errors=False)
    assert "已有主要负责同志" in report.rejected[0].errors[0]
    assert Post.objects.filter(unit__code="A01", role=PostRole.PRINCIPAL).count() == 1


def test_import_cost_does_not_grow_per_row(world, django_assert_max_num_queries):
    office = world.user("office")

    def table(prefix, n):
        lines = ["单位编码,单位名称,单位类型,上级单位编码", f"{prefix},批量镇{prefix},乡镇,A00"]
        lines += [f"{prefix}{i:04d},村{i},村,{prefix}" for i in range(n)]
        return csv_rows("\n".join(lines), UNIT_COLUMNS)

    from units.access import scope_for

    scope_for(office)
    small, large = table("S", 50), table("L", 800)
    # load units, bulk insert units + history in batches (SQLite caps the batch by its
    # variable limit), update parents' numchild: a handful of queries, never one per row.
    with django_assert_max_num_queries(15) as small_queries:
        import_units(actor=office, rows=small, skip_errors=False)
    with django_assert_max_num_queries(40) as large_queries:
        import_units(actor=office, rows=large, skip_errors=False)
    grown = len(large_queries.captured_queries) - len(small_queries.captured_queries)
    assert grown < 750 / 25
    assert Unit.objects.filter(code__startswith="L").count() == 801


def test_upload_page_runs_the_job_and_shows_the_report(world, as_user, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user("office")
    upload = SimpleUploadedFile("单位.csv", BAD_UNITS.encode("utf-8"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/units/import/", {"kind": "units_import", "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and "未导入任何数据" in page and "单位类型“火星”无法识别" in page
    # Another user cannot open this job.
    assert as_user("office_b").get(response["Location"]).status_code == 404


def test_only_offices_may_upload(world, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("单位.csv", UNITS_CSV.encode(), content_type="text/csv")
    response = as_user("member").post("/units/import/", {"kind": "units_import", "file": upload})
    assert response.status_code == 403
    assert "只有活动办工作人员可以导入数据" in response.content.decode()

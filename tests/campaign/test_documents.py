"""campaign/documents.py: the 公文 layout every .docx shares."""

import datetime
import io

from docx import Document
from docx.oxml.ns import qn

from campaign.documents import BODY_FONT, HEADING_FONT, TABLE_FONT, TITLE_FONT, OfficialDocument


def build() -> Document:
    document = OfficialDocument()
    document.title("关于测试的报告", "（2014年6月）")
    document.addressee("市委组织部")
    document.heading("一、基本情况")
    document.lines("第一段。\n\n第二段。")
    document.table(["单位", "数量"], [["甲县", 3], ["乙县", None]])
    document.signature("中共测试市委教育实践活动领导小组办公室", datetime.date(2014, 6, 20))
    return Document(io.BytesIO(document.save()))


def test_page_numbers_fonts_and_layout_are_in_the_xml():
    document = build()
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    footer = section.footer.paragraphs[0]
    xml = footer._p.xml
    assert 'w:fldCharType="begin"' in xml and "PAGE" in xml and 'w:fldCharType="end"' in xml
    assert footer.text == "— 1 —"  # the cached value Word shows before it updates the field
    paragraphs = {p.text: p for p in document.paragraphs}
    title = paragraphs["关于测试的报告"].runs[0]
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT and title.font.size.pt == 22
    heading = paragraphs["一、基本情况"].runs[0]
    assert heading._element.rPr.rFonts.get(qn("w:eastAsia")) == HEADING_FONT
    body = paragraphs["第二段。"].runs[0]
    assert body._element.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT and body.font.size.pt == 16
    assert "市委组织部：" in paragraphs and "2014年6月20日" in paragraphs
    cells = [cell for row in document.tables[0].rows for cell in row.cells]
    assert [c.text for c in cells] == ["单位", "数量", "甲县", "3", "乙县", ""]
    assert {c.paragraphs[0].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) for c in cells} == {TABLE_FONT}
    assert "第一段。" in paragraphs

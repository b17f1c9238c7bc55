"""公文 formatting shared by every .docx the platform produces.

What an office expects of a document it files (GB/T 9704 in spirit): A4 paper with the usual
margins, the title in 方正小标宋简体 二号 centred, the body in 仿宋_GB2312 三号 with a two-character
first-line indent and fixed 28 pt lines, headings in 黑体, tables in 宋体, the issuing unit and
the date at the end, and the page number in the footer as "— 1 —" from a PAGE field. Chinese
text takes its font from ``w:eastAsia``, so every run names the font there too.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"

# Chinese type sizes in points.
SIZE_2 = 22  # 二号
SIZE_3 = 16  # 三号
SIZE_4 = 14  # 四号
SIZE_SMALL_4 = 12  # 小四
SIZE_5 = 10.5  # 五号
LINE_SPACING = Pt(28)


def set_font(run: Any, name: str, size: float, bold: bool = False) -> Any:
    """Name the font for Latin and East Asian text of a run."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def _date_cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class OfficialDocument:
    """A 公文 being written: ``title()``, ``heading()``, ``paragraph()``, ``table()``, ``signature()``.

    ``save()`` returns the .docx bytes.
    """

    def __init__(self, *, landscape: bool = False) -> None:
        self.document = Document()
        section = self.document.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = Mm(37)
        section.bottom_margin = Mm(35)
        section.left_margin = Mm(28)
        section.right_margin = Mm(26)
        section.footer_distance = Mm(20)
        normal = self.document.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(SIZE_3)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        self._page_numbers(section)

    @staticmethod
    def _page_numbers(section: Any) -> None:
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(footer.add_run("— "), TABLE_FONT, SIZE_4)
        run = set_font(footer.add_run(), TABLE_FONT, SIZE_4)
        for tag, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
            if tag:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), tag)
            elif text == "PAGE":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = " PAGE "
            else:
                element = OxmlElement("w:t")
                element.text = text
            run._r.append(element)
        set_font(footer.add_run(" —"), TABLE_FONT, SIZE_4)

    def paragraph(
        self,
        text: str,
        *,
        font: str = BODY_FONT,
        size: float = SIZE_3,
        bold: bool = False,
        align: str = "indent",
    ) -> Any:
        """A body paragraph; ``align`` is "indent" (first line), "center", "right" or "left"."""
        paragraph = self.document.add_paragraph()
        if align == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "indent":
            paragraph.paragraph_format.first_line_indent = Pt(size * 2)
        paragraph.paragraph_format.line_spacing = LINE_SPACING
        paragraph.paragraph_format.space_after = Pt(0)
        set_font(paragraph.add_run(text), font, size, bold)
        return paragraph

    def title(self, text: str, subtitle: str = "") -> None:
        self.paragraph(text, font=TITLE_FONT, size=SIZE_2, align="center")
        if subtitle:
            self.paragraph(subtitle, font=SUBHEADING_FONT, size=SIZE_3, align="center")
        self.paragraph("", align="left")

    def addressee(self, text: str) -> None:
        """The 主送机关 line, flush left and ending in a full-width colon."""
        self.paragraph(f"{text}：", align="left")

    def heading(self, text: str, level: int = 1) -> None:
        """一、 headings in 黑体, （一） headings in 楷体."""
        self.paragraph(text, font=HEADING_FONT if level == 1 else SUBHEADING_FONT)

    def lines(self, text: str) -> None:
        for line in text.split("\n"):
            if line.strip():
                self.paragraph(line.strip())

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], size: float = SIZE_5) -> Any:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, head in zip(table.rows[0].cells, header, strict=True):
            set_font(cell.paragraphs[0].add_run(str(head)), TABLE_FONT, size, bold=True)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                set_font(cell.paragraphs[0].add_run("" if value is None else str(value)), TABLE_FONT, size)
        self.paragraph("", align="left")
        return table

    def signature(self, unit_name: str, day: datetime.date) -> None:
        """The issuing unit and the date, right-aligned at the end."""
        self.paragraph("", align="left")
        self.paragraph(unit_name, align="right")
        self.paragraph(_date_cn(day), align="right")

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

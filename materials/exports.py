"""A material with its review trail as a .docx, formatted as an office files it."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from campaign import clock
from materials import sections
from materials.models import Material, MaterialVersion, ReviewAction

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
TABLE_FONT = "宋体"


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # East Asian text takes the font from w:eastAsia, not from w:ascii.
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def _paragraph(
    document: Any,
    text: str,
    font: str = BODY_FONT,
    size: float = 16,
    bold: bool = False,
    center: bool = False,
) -> None:
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _font(paragraph.add_run(text), font, size, bold)


def _page_numbers(document: Any) -> None:
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def material_to_docx(material: Material, version: MaterialVersion, trail: list[ReviewAction]) -> bytes:
    document = Document()
    _page_numbers(document)
    _paragraph(document, material.title, TITLE_FONT, 22, center=True)
    _paragraph(
        document,
        _("%(unit)s　第%(n)d稿　%(date)s")
        % {
            "unit": material.unit.name,
            "n": version.number,
            "date": version.submitted_at.strftime("%Y年%m月%d日"),
        },
        BODY_FONT,
        14,
        center=True,
    )
    for title, text in sections.sections_text(version.content):
        if not text:
            continue
        _paragraph(document, title, "黑体", 16)
        for line in text.split("\n"):
            _paragraph(document, line)
    _paragraph(document, _("审核意见"), "黑体", 16)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, head in zip(
        table.rows[0].cells, [_("环节"), _("办理"), _("意见"), _("办理人及时间")], strict=True
    ):
        _font(cell.paragraphs[0].add_run(head), TABLE_FONT, 12, bold=True)
    for action in trail:
        cells = table.add_row().cells
        values = [
            action.step.name if action.step else "",
            action.get_kind_display(),
            action.opinion,
            f"{action.actor_name} {action.created_at.astimezone(clock.now().tzinfo):%Y-%m-%d %H:%M}",
        ]
        for cell, value in zip(cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(value), TABLE_FONT, 12)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

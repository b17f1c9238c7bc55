"""Reading and writing the spreadsheets offices keep (.xlsx and .csv).

Offices save CSV from Excel in GB18030 as often as in UTF-8, type dates in
several ways and let Excel turn codes into numbers; the readers here absorb
that so the importers only see clean strings and dates.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class TableError(Exception):
    """The file as a whole cannot be read; the message is for the user, in Chinese."""


@dataclass
class Column:
    header: str
    key: str
    required: bool = True
    aliases: tuple[str, ...] = ()


@dataclass
class Row:
    line: int  # as the user sees it in Excel: the header is line 1
    values: dict[str, Any]


@dataclass
class RowError:
    line: int
    errors: list[str] = field(default_factory=list)


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 410900.0 → "410900"
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date | int):
        return value if isinstance(value, datetime.date) else str(value)
    return str(value).strip()


def _read_xlsx(stream: IO[bytes]) -> list[list[Any]]:
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and openpyxl errors all mean "not a readable .xlsx"
        raise TableError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密。")) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _read_csv(stream: IO[bytes]) -> list[list[Any]]:
    raw = stream.read()
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(_("无法识别该 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码后重试。"))
    if "\x00" in text:
        raise TableError(_("该文件不是文本格式的 CSV 文件。"))
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def read_table(stream: IO[bytes], filename: str, columns: Sequence[Column]) -> list[Row]:
    """Rows keyed by column key; raises TableError when the file or its header is unusable."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        cells = _read_xlsx(stream)
    elif name.endswith(".csv"):
        cells = _read_csv(stream)
    else:
        raise TableError(_("只支持 .xlsx 或 .csv 文件。"))
    if not cells:
        raise TableError(_("文件是空的。"))
    header = [str(h).strip() for h in cells[0]]
    positions: dict[str, int] = {}
    for column in columns:
        for title in (column.header, *column.aliases):
            if title in header:
                positions[column.key] = header.index(title)
                break
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        raise TableError(_("第1行（表头）缺少这些列：%(cols)s") % {"cols": "、".join(missing)})
    rows = []
    for index, cells_row in enumerate(cells[1:], start=2):
        if not any(str(c).strip() for c in cells_row if c is not None):
            continue  # blank lines between blocks are common in office sheets
        values = {}
        for column in columns:
            pos = positions.get(column.key)
            values[column.key] = cells_row[pos] if pos is not None and pos < len(cells_row) else ""
        rows.append(Row(line=index, values=values))
    return rows


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
]


def parse_date(value: Any) -> datetime.date:
    """A date from the ways offices write one; ValueError with a Chinese message otherwise."""
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise ValueError(_("日期“%(value)s”无法识别，请写成 2014-01-20 这样的格式") % {"value": text})


def write_xlsx(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True, name="宋体")
    head_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        head_cells.append(cell)
    sheet.append(head_cells)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV lines with a BOM first, so Excel opens the Chinese text correctly."""

    class _Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if v is None else v for v in row])

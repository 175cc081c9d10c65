"""XLSX exports of lists (openpyxl, write-only workbook).

    xlsx_export(rows, columns, title) -> IO[bytes]        # a file positioned at 0
    xlsx_response(rows, columns, title, filename) -> FileResponse

`rows` is any iterable of sequences (a generator or a queryset iterator): the write-only workbook
writes each row as it comes and keeps none of them, and the file is spooled to disk past 8 MB, so
100k rows cost little memory. `columns` are `Column`s or plain header strings. Values:
date/datetime → Excel dates (local time), int/float/Decimal → numbers, bool → 是/否, list → joined
with "；", None → empty, anything else → text. Text that a spreadsheet would evaluate as a formula
(=, +, -, @, tab, CR first: CSV/formula injection, OWASP) gets a leading apostrophe — the same rule
as catalog.services.transfer.escape_cell, so an exported value imported back is unchanged.
"""

from __future__ import annotations

import datetime
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone

FORMULA_START = frozenset("=+-@\t\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 16
    number_format: str = ""  # e.g. "0.00"; dates get yyyy-mm-dd by default


def escape_cell(text: str) -> str:
    """`=SUM(A1)` → `'=SUM(A1)`; `'=x` → `''=x`; any other text unchanged."""
    rest = text.lstrip("'")
    return "'" + text if rest[:1] in FORMULA_START and rest else text


def cell_value(value: Any) -> Any:
    """The value written to a cell (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (datetime.date, int, float, Decimal)):
        return value
    if isinstance(value, (list, tuple)):
        value = "；".join(str(cell_value(v)) for v in value)
    return escape_cell(_ILLEGAL_XML.sub("", str(value)))


def sheet_title(title: str) -> str:
    clean = _SHEET_FORBIDDEN.sub(" ", title).strip().strip("'") or "Sheet"
    return clean[:31]


def xlsx_export(rows: Iterable[Sequence[Any]], columns: Sequence[Column | str], title: str) -> IO[bytes]:
    """Write the rows under a bold, frozen header row; returns the file, positioned at 0."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    cols = [c if isinstance(c, Column) else Column(str(c)) for c in columns]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    for index, column in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in cols:
        cell = WriteOnlyCell(sheet, value=escape_cell(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        out: list[Any] = []
        for index, raw in enumerate(row):
            value = cell_value(raw)
            column = cols[index] if index < len(cols) else Column("")
            fmt = column.number_format
            if not fmt and isinstance(value, datetime.datetime):
                fmt = "yyyy-mm-dd hh:mm"
            elif not fmt and isinstance(value, datetime.date):
                fmt = "yyyy-mm-dd"
            if fmt:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = fmt
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    return spool


def xlsx_response(
    rows: Iterable[Sequence[Any]], columns: Sequence[Column | str], title: str, filename: str
) -> FileResponse:
    """The export as a download (streamed from the spooled file in chunks)."""
    response = FileResponse(xlsx_export(rows, columns, title), content_type=XLSX_CONTENT_TYPE)
    name = filename if filename.endswith(".xlsx") else f"{filename}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response

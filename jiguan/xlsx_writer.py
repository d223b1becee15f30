"""The one writer of .xlsx files: sheets of rows of plain values, as pretix's exporters do.

Whoever exports builds its rows apart from the file format (a list of values a row: str, int,
Decimal, float, date, None); this module alone decides how each becomes a cell:

- a str stays text, whatever it looks like: a phone number "08715551234" or an ID number keeps its
  leading zero and its digits, and a text starting with "=" is stored as text, never as a formula
  that would run in the reader's Excel (a title typed as =HYPERLINK(...) sends data elsewhere);
- int is a number; Decimal and float are numbers showing at least two decimals and every digit the
  value has (1.225 shows as 1.225, not 1.23);
- a date is a date shown as yyyy-mm-dd.

Each sheet gets a bold header row, frozen, and columns as wide as their text (a CJK character counts
two). Written in openpyxl's write-only mode (rows streamed out, no cell objects kept): the report
workbook of a county of 600 organizations has ~50,000 cells.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


@dataclasses.dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list]


def write_workbook(sheets: list[Sheet]) -> bytes:
    """The sheets as an .xlsx file."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.title[:31])
        rows = [list(row) for row in sheet.rows]
        # Widths and the frozen pane go before the first row in write-only mode.
        for index, header in enumerate(sheet.headers):
            widest = max(_width(header), *(_width(r[index]) for r in rows if index < len(r))) if rows else 0
            ws.column_dimensions[get_column_letter(index + 1)].width = min(60, max(6, widest + 2))
        ws.freeze_panes = "A2"
        header_cells = []
        for header in sheet.headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = bold
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append([_cell(ws, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(ws, value):
    """Text, dates and fractional numbers need a cell of their own (a data type or a number format);
    whole numbers and empty cells go in as values."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, Decimal | float):
        cell = WriteOnlyCell(ws, value=float(value))  # exact to the cent: 1.225 万元 stays 1.225
        cell.number_format = "0.00####"
        return cell
    cell = WriteOnlyCell(ws, value=str(value))
    cell.data_type = "s"  # text as given: no formula, no number made of "08715551234"
    return cell


def _width(value) -> int:
    """Display width in characters: a CJK character (three bytes in UTF-8) counts two."""
    if isinstance(value, datetime.date):
        return 10
    text = str(value) if value is not None else ""
    return (len(text) + len(text.encode("utf-8"))) // 2

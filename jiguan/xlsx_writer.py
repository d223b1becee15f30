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
two), a long text wrapped in a column of at most WRAP_WIDTH. Every sheet prints readably on A4: portrait
when its columns fit the page's width, landscape when they do not, scaled to the page's width (never
shrunk below what landscape needs), as many pages down as it takes, the header row repeated on each
page, gridlines printed and the pages numbered (第 1 页 / 共 3 页). Written in openpyxl's write-only mode (rows streamed out, no cell objects kept): the report
workbook of a county of 600 organizations has ~50,000 cells.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

# Column widths are in characters of the default font (11 pt). A4 with 1.5-cm margins holds about
# 90 of them across in portrait and 135 in landscape at 100 %.
PORTRAIT_WIDTH = 90
WRAP_WIDTH = 40  # a longer text wraps in a column this wide, rather than widen the page
WRAPPED = Alignment(wrap_text=True, vertical="top")
LINE_HEIGHT = 15  # points, a line of the default font


@dataclasses.dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list]
    # A row of notes under the headers (the import template's): small grey text, wrapped, frozen
    # with the headers; each column as wide as its note up to 40 characters.
    notes: list[str] | None = None


def write_workbook(sheets: list[Sheet]) -> bytes:
    """The sheets as an .xlsx file."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    note_font, note_fill = Font(color="666666", size=9), PatternFill("solid", fgColor="F2F2F2")
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.title[:31])
        rows = [list(row) for row in sheet.rows]
        notes = list(sheet.notes or [])
        # Widths, the frozen pane and the page setup go before the first row in write-only mode.
        widths, wrapped = [], set()
        for index, header in enumerate(sheet.headers):
            widest = max([_width(header), *(_width(r[index]) for r in rows if index < len(r))])
            if widest + 2 > WRAP_WIDTH:
                wrapped.add(index)
            width = min(WRAP_WIDTH, max(6, widest + 2))
            if notes:
                width = max(14, min(40, len(notes[index]) + 4))
            widths.append(width)
            ws.column_dimensions[get_column_letter(index + 1)].width = width
        ws.freeze_panes = "A3" if notes else "A2"
        _page_setup(ws, sum(widths))
        header_cells = []
        for header in sheet.headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = bold
            header_cells.append(cell)
        ws.append(header_cells)
        if notes:
            note_cells = []
            for note in notes:
                cell = _cell(ws, note)
                cell.font, cell.fill, cell.alignment = note_font, note_fill, WRAPPED
                note_cells.append(cell)
            ws.append(note_cells)
        for number, row in enumerate(rows, start=2 + bool(notes)):
            cells = [_cell(ws, value) for value in row]
            lines = max([1, *(-(-_width(row[i]) // (widths[i] - 2)) for i in wrapped if i < len(row))])
            if lines > 1:
                # Readers do not grow a row for wrapped text: say how tall it is, and top-align the
                # row so that its short values stand beside the first line of the long one.
                ws.row_dimensions[number].height = LINE_HEIGHT * lines + 2
                cells = [_aligned(ws, cell) for cell in cells]
            ws.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _page_setup(ws, total_width):
    """A4, portrait or landscape by the width of the columns, fitted to the page's width."""
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "portrait" if total_width <= PORTRAIT_WIDTH else "landscape"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows take
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6  # inches (1.5 cm)
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    ws.oddHeader.center.text = "&A"


def _aligned(ws, cell):
    """A cell (or a plain value made one) wrapped and aligned to the top."""
    if not hasattr(cell, "alignment"):
        cell = WriteOnlyCell(ws, value=cell)
    cell.alignment = WRAPPED
    return cell


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

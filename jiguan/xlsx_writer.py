"""The one writer of .xlsx files: sheets of rows of plain values, as pretix's exporters do.

Whoever exports builds its rows apart from the file format (a list of values a row: str, int,
Decimal, float, date, None); this module alone decides how each becomes a cell:

- a str stays text, whatever it looks like: a phone number "08715551234" or an ID number keeps its
  leading zero and its digits, and a text starting with "=" is stored as text, never as a formula
  that would run in the reader's Excel (a title typed as =HYPERLINK(...) sends data elsewhere);
  characters XML cannot carry (control characters pasted from elsewhere) are left out;
- int is a number; Decimal and float are numbers showing at least two decimals and every digit the
  value has (1.225 shows as 1.225, not 1.23);
- a date is a date shown as yyyy-mm-dd.

Each sheet gets a bold header row, frozen, and columns as wide as their text (a CJK character counts
two), a long text wrapped in a column of at most WRAP_WIDTH. Every sheet prints readably on A4: portrait
when its columns fit the page's width, landscape when they do not, scaled to the page's width (never
shrunk below what landscape needs), as many pages down as it takes, the header row repeated on each
page, gridlines printed and the pages numbered (第 1 页 / 共 3 页).

The file is written here as its XML parts (SpreadsheetML: the workbook, one fixed style sheet, a
sheet each with its texts inline), row by row as strings: the report workbook of a county of 600
organizations has ~55,000 cells, which openpyxl's write-only mode took 0.9 s to write (17 µs a
cell: a cell object, its style bound and serialised through lxml, for each one); at ten times the
county that alone missed the workbook's 4 s. Files are read back with openpyxl and LibreOffice in
the tests.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import math
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

# Column widths are in characters of the default font (11 pt). A4 with 1.5-cm margins holds about
# 90 of them across in portrait and 135 in landscape at 100 %.
PORTRAIT_WIDTH = 90
WRAP_WIDTH = 40  # a longer text wraps in a column this wide, rather than widen the page
LINE_HEIGHT = 15  # points, a line of the default font


@dataclasses.dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list]
    # A row of notes under the headers (the import template's): small grey text, wrapped, frozen
    # with the headers; each column as wide as its note up to 40 characters.
    notes: list[str] | None = None


# ---- styles ---------------------------------------------------------------------------------------

# The cell formats of styles.xml (cellXfs), by index. A wrapped row's cells use the WRAPPED_ ones.
PLAIN, BOLD, DATE, NUMBER, NOTE, WRAPPED_PLAIN, WRAPPED_DATE, WRAPPED_NUMBER = range(8)
WRAPPED = {PLAIN: WRAPPED_PLAIN, DATE: WRAPPED_DATE, NUMBER: WRAPPED_NUMBER}
DATE_FORMAT, NUMBER_FORMAT = 164, 165  # the first ids free for custom number formats

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="{DATE_FORMAT}" formatCode="yyyy-mm-dd"/>\
<numFmt numFmtId="{NUMBER_FORMAT}" formatCode="0.00####"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><sz val="9"/><color rgb="FF666666"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="8">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="{DATE_FORMAT}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="{NUMBER_FORMAT}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="{DATE_FORMAT}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="{NUMBER_FORMAT}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Characters XML 1.0 cannot carry (openpyxl refused them with an exception, failing the export).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
MAX_TEXT = 32767


# ---- the file -------------------------------------------------------------------------------------


def write_workbook(sheets: list[Sheet]) -> bytes:
    """The sheets as an .xlsx file."""
    titles = _titles(sheets)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", _content_types(len(sheets)))
        package.writestr(
            "_rels/.rels",
            f'{XML_HEADER}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        package.writestr("xl/workbook.xml", _workbook(titles))
        package.writestr("xl/_rels/workbook.xml.rels", _workbook_relationships(len(sheets)))
        package.writestr("xl/styles.xml", STYLES)
        for number, sheet in enumerate(sheets, start=1):
            package.writestr(f"xl/worksheets/sheet{number}.xml", _worksheet(sheet))
    return buffer.getvalue()


def _titles(sheets) -> list[str]:
    """Each sheet's name as Excel takes it: at most 31 characters, none of []:*?/\\, unique."""
    titles = []
    for sheet in sheets:
        base = re.sub(r"[\[\]:*?/\\]", "", sheet.title)[:31] or "Sheet"
        title, n = base, 1
        while title.lower() in {t.lower() for t in titles}:
            suffix = str(n)
            title, n = base[: 31 - len(suffix)] + suffix, n + 1
        titles.append(title)
    return titles


def _content_types(count: int) -> str:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet}"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{XML_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook(titles) -> str:
    sheets = "".join(
        f'<sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
        for n, title in enumerate(titles, start=1)
    )
    # The header row printed on every page.
    names = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
        f"{escape(_quoted(title))}!$1:$1</definedName>"
        for n, title in enumerate(titles)
    )
    return (
        f'{XML_HEADER}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
        f"<definedNames>{names}</definedNames></workbook>"
    )


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _workbook_relationships(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{XML_HEADER}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{sheets}'
        f'<Relationship Id="rId{count + 1}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>'
    )


# ---- a sheet --------------------------------------------------------------------------------------


def _worksheet(sheet: Sheet) -> str:
    rows = [list(row) for row in sheet.rows]
    notes = list(sheet.notes or [])
    count = len(sheet.headers)
    letters = [_column_letter(i) for i in range(max([count, *(len(r) for r in rows)]) or 1)]
    widths, wrapped = [], set()
    for index, header in enumerate(sheet.headers):
        widest = max([_width(header), *(_width(r[index]) for r in rows if index < len(r))])
        if widest + 2 > WRAP_WIDTH:
            wrapped.add(index)
        width = min(WRAP_WIDTH, max(6, widest + 2))
        if notes:
            width = max(14, min(40, len(notes[index]) + 4))
        widths.append(width)
    frozen = 3 if notes else 2  # the first row below the frozen pane
    parts = [
        f'{XML_HEADER}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">',
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{frozen - 1}" topLeftCell="A{frozen}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{frozen}" sqref="A{frozen}"/></sheetView></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/>',
    ]
    if widths:
        parts.append(
            "<cols>"
            + "".join(
                f'<col min="{n}" max="{n}" width="{width:g}" customWidth="1"/>'
                for n, width in enumerate(widths, start=1)
            )
            + "</cols>"
        )
    parts.append("<sheetData>")
    parts.append(_row(1, letters, sheet.headers, style=BOLD))
    if notes:
        parts.append(_row(2, letters, notes, style=NOTE))
    for number, row in enumerate(rows, start=frozen):
        lines = max([1, *(-(-_width(row[i]) // (widths[i] - 2)) for i in wrapped if i < len(row))])
        if lines > 1:
            # Readers do not grow a row for wrapped text: say how tall it is, and top-align the row
            # so that its short values stand beside the first line of the long one.
            parts.append(_row(number, letters, row, height=LINE_HEIGHT * lines + 2))
        else:
            parts.append(_row(number, letters, row))
    parts.append("</sheetData>")
    orientation = "portrait" if sum(widths) <= PORTRAIT_WIDTH else "landscape"
    parts.append(
        '<printOptions horizontalCentered="1" gridLines="1"/>'
        '<pageMargins left="0.6" right="0.6" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>'
        "<headerFooter><oddHeader>&amp;C&amp;A</oddHeader>"
        "<oddFooter>&amp;C第 &amp;P 页 / 共 &amp;N 页</oddFooter></headerFooter>"
        "</worksheet>"
    )
    return "".join(parts)


def _row(number: int, letters, values, *, style=None, height=None) -> str:
    """A row's XML. `style` for every cell (the header, the notes); a row with `height` is a row of
    wrapped text: all its cells wrapped and aligned to the top."""
    cells = []
    plain = style is None and height is None
    for letter, value in zip(letters, values, strict=False):  # as many letters as the widest row
        reference = f"{letter}{number}"
        if plain and type(value) is int:  # most cells of the large sheets: counts, as _cell writes them
            cells.append(f'<c r="{reference}"><v>{value}</v></c>')
            continue
        cell_style, kind, text = _cell(value)
        if style is not None:
            cell_style = style
        elif height is not None:
            cell_style = WRAPPED[cell_style]
        s = f' s="{cell_style}"' if cell_style else ""
        if kind is None:
            if s:
                cells.append(f'<c r="{reference}"{s}/>')
        elif kind == "inlineStr":
            cells.append(
                f'<c r="{reference}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
            )
        elif kind == "b":
            cells.append(f'<c r="{reference}"{s} t="b"><v>{text}</v></c>')
        else:
            cells.append(f'<c r="{reference}"{s}><v>{text}</v></c>')
    size = f' ht="{height}" customHeight="1"' if height is not None else ""
    return f'<row r="{number}"{size}>{"".join(cells)}</row>'


def _cell(value) -> tuple[int, str | None, str]:
    """(style, cell type, the value as written) of a value: text always as text (a string cell,
    never a formula or a number), dates as Excel's day numbers shown as yyyy-mm-dd, fractional
    numbers with at least two decimals and all their digits, whole numbers as they are."""
    if value is None or value == "":
        return PLAIN, None, ""
    if isinstance(value, bool):
        return PLAIN, "b", "1" if value else "0"
    if isinstance(value, int):
        return PLAIN, "n", str(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return DATE, "n", str((value - EXCEL_EPOCH).days)
    if isinstance(value, Decimal | float) and math.isfinite(value):
        return NUMBER, "n", repr(float(value))  # exact to the cent: 1.225 万元 stays 1.225
    # Excel holds at most 32,767 characters in a cell (and opens a longer one only after "repair").
    return PLAIN, "inlineStr", escape(_ILLEGAL.sub("", str(value))[:MAX_TEXT])


def _column_letter(index: int) -> str:
    """A, B, …, Z, AA, … for the 0-based column `index`."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _width(value) -> int:
    """Display width in characters: a CJK character (three bytes in UTF-8) counts two."""
    if isinstance(value, datetime.date):
        return 10
    text = str(value) if value is not None else ""
    if text.isascii():  # most cells: numbers
        return len(text)
    return (len(text) + len(text.encode("utf-8"))) // 2

"""Workbooks built part by part, the hostile ones included, for the import tests.

openpyxl writes only well-formed workbooks; an attacker writes whatever bytes they like. These
builders write the parts of an .xlsx (a zip of XML files) directly, so a test can declare any
dimension, put a cell in any row, bloat the shared strings or add an entity declaration. Nothing
here is checked in as a file: every test builds what it needs.
"""

import io
import struct
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{overrides}</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
SHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
STRINGS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
STYLES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def column_letter(number):
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(row, column, value):
    ref = f"{column_letter(column)}{row}"
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows, *, dimension=None, prolog=""):
    """A worksheet of `rows`: a list of lists (row 1 first) or of (row number, values) pairs."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">']
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>")
    for index, row in enumerate(rows, start=1):
        number, values = row if isinstance(row, tuple) else (index, row)
        cells = "".join(cell_xml(number, c, v) for c, v in enumerate(values, start=1) if v is not None)
        parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def xlsx_bytes(sheets, *, shared_strings=None, styles=None, extra_parts=None, workbook_prolog=""):
    """An .xlsx whose sheets are given as XML text (or bytes, or an iterable of byte chunks).

    `shared_strings` and `styles` are the text (or chunks) of xl/sharedStrings.xml and
    xl/styles.xml; `extra_parts` more zip members.
    """
    buffer = io.BytesIO()
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if shared_strings is not None:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?>{workbook_prolog}'
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{entries}</sheets></workbook>'
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{SHEET_TYPE}" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if shared_strings is not None:
        rels += f'<Relationship Id="rIdS" Type="{STRINGS_TYPE}" Target="sharedStrings.xml"/>'
    if styles is not None:
        rels += f'<Relationship Id="rIdY" Type="{STYLES_TYPE}" Target="styles.xml"/>'
    rels = f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(overrides=overrides))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        for i, xml in enumerate(sheets.values(), start=1):
            _write(archive, f"xl/worksheets/sheet{i}.xml", xml)
        if shared_strings is not None:
            _write(archive, "xl/sharedStrings.xml", shared_strings)
        if styles is not None:
            _write(archive, "xl/styles.xml", styles)
        for name, data in (extra_parts or {}).items():
            _write(archive, name, data)
    buffer.seek(0)
    return buffer


def _write(archive, name, data):
    if isinstance(data, str | bytes):
        archive.writestr(name, data)
        return
    with archive.open(name, "w", force_zip64=True) as member:
        for chunk in data:
            member.write(chunk)


# --- the hostile workbooks -------------------------------------------------------------------


def huge_dimension(sheet="党员"):
    """A sheet of a couple of KB that declares A1:XFD1048576 and has one cell in its last row."""
    rows = [["姓名", "性别"], (1048576, ["张三"])]
    return xlsx_bytes({sheet: sheet_xml(rows, dimension="A1:XFD1048576")})


def shared_strings_bomb(unpacked_bytes, sheet="党员", string_length=1000):
    """Shared strings that unpack to `unpacked_bytes` (1 GB in the audit) from a file of ~1/1000 of it."""
    item = f"<si><t>{'壹' * (string_length // 3)}</t></si>".encode()
    count = max(1, unpacked_bytes // len(item))

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{count}">'.encode()
        block = item * 1000
        for _ in range(count // 1000):
            yield block
        yield item * (count % 1000)
        yield b"</sst>"

    header = f'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>{count - 1}</v></c></row>'
    sheet_text = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{header}</sheetData></worksheet>'
    return xlsx_bytes({sheet: sheet_text}, shared_strings=chunks())


def many_small_strings(count, sheet="党员"):
    """Shared strings made of `count` one-letter strings: few bytes each, many Python objects."""

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
        block = b"<si><t>a</t></si>" * 1000
        for _ in range(count // 1000):
            yield block
        yield b"</sst>"

    header = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    sheet_text = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{header}</sheetData></worksheet>'
    return xlsx_bytes({sheet: sheet_text}, shared_strings=chunks())


def endless_rows(count, sheet="党员"):
    """`count` rows of one small cell each: a few hundred KB zipped, tens of MB unpacked."""

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'.encode()
        for start in range(2, count + 2, 1000):
            yield "".join(
                f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'
                for n in range(start, min(start + 1000, count + 2))
            ).encode()
        yield b"</sheetData></worksheet>"

    return xlsx_bytes({sheet: chunks()})


def wide_rows(rows, sheet="党员"):
    """`rows` rows each with a cell in every one of the 16,384 columns Excel allows."""

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
        for n in range(1, rows + 1):
            yield f'<row r="{n}">'.encode()
            yield "".join(f'<c r="{column_letter(c)}{n}"><v>1</v></c>' for c in range(1, 16385)).encode()
            yield b"</row>"
        yield b"</sheetData></worksheet>"

    return xlsx_bytes({sheet: chunks()})


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    "]>"
)


def entity_expansion(sheet="党员"):
    """A sheet whose XML declares entities that expand to hundreds of MB (billion laughs)."""
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>{BILLION_LAUGHS}<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol8;</t></is></c></row></sheetData></worksheet>'
    )
    return xlsx_bytes({sheet: text})


def with_declared_size(data, part, size):
    """The zip `data` with the size `part` declares in the central directory changed to `size`."""
    data = bytearray(data)
    offset = 0
    while True:
        offset = data.index(b"PK\x01\x02", offset)
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46 : offset + 46 + name_length] == part.encode():
            break
        offset += 4
    struct.pack_into("<I", data, offset + 24, size)
    return io.BytesIO(bytes(data))


def empty_formatted_cells(count, sheet="党员"):
    """One row of `count` empty cells that carry only a style: no value, so no row or column limit."""

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode()
        block = b'<c s="1"/>' * 1000
        for _ in range(count // 1000):
            yield block
        yield b"</row></sheetData></worksheet>"

    return xlsx_bytes({sheet: chunks()})

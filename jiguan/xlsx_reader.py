"""Reading an uploaded .xlsx workbook, streaming and bounded, whatever the file holds.

An .xlsx is a zip of XML parts, and an uploaded one is hostile until read: its parts may unpack to
gigabytes (a zip bomb), its sheet may declare A1:XFD1048576 or put one cell in row 1,048,576 or in
column 16,384, its XML may declare entities that expand to gigabytes (billion laughs), or it may not
be an .xlsx at all (an .xls renamed, a password-protected workbook, a corrupt or empty file). So:

- The zip's directory is checked before anything is unpacked: the parts together must declare at
  most `Limits.unpacked_bytes` (zipfile never hands out more than a part declares, and a part that
  lies fails its checksum); each part is read through a counter all the same.
- XML with a DOCTYPE is refused, so no entity can be declared, inside or outside the file
  (defusedxml's exceptions). The small parts go through defusedxml itself; the sheets and the shared
  strings through expat with the same refusals and no tree built (defusedxml's ElementTree is the
  pure-Python one, two to three times slower on a 50,000-row sheet).
- The declared dimension is never read. Rows are read as they come, empty ones skipped; cells past
  `Limits.columns` are dropped; a value in a row past `Limits.rows` (data rows of the workbook, all
  sheets together) stops the reading at once with TooManyRows.
- Whatever goes wrong, the caller gets a WorkbookError whose text is one Chinese sentence.

Cell values come out as openpyxl gives them: str, int, float, bool, or datetime for a number
formatted as a date (the East Asian built-in date formats 27–36 and 50–58 included).
"""

import datetime
import io
import lzma
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from posixpath import dirname, join, normpath
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE compound file with a stream of this name (UTF-16 in the directory).
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
SMALL_PART_BYTES = 16 * 1024 * 1024  # workbook.xml, its relationships, styles.xml
CHUNK = 64 * 1024
# Built-in number formats that show a date: 14–22 and 45–47 everywhere, 27–36 and 50–58 in the
# Chinese, Japanese and Korean versions of Excel (e.g. 31 is yyyy"年"m"月"d"日").
DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
# What zipfile and the decompressors raise on a damaged or crafted zip.
_BROKEN_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    NotImplementedError,
    RuntimeError,
    OSError,
    EOFError,
    ValueError,
    IndexError,
    UnicodeDecodeError,
)
_CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@dataclass(frozen=True)
class Limits:
    unpacked_bytes: int = 256 * 1024 * 1024
    rows: int = 100_000  # rows of data in the whole workbook, header rows not counted
    columns: int = 64
    shared_strings: int = 1_000_000
    parts: int = 10_000
    # XML elements of the sheets and shared strings together: a cell is two or three (<c><v>), so
    # this bounds the time spent on empty formatted cells (<c s="1"/>) and empty rows, which hold no
    # value and so meet no other limit.
    elements: int = 8_000_000
    # Said after the refusal of a workbook too large, e.g. where else it can be imported.
    advice: str = "请分成几个文件导入。"


class WorkbookError(Exception):
    """The file cannot be read as a workbook; the text is one Chinese sentence for the user."""


class TooManyRows(WorkbookError):
    def __init__(self, sheet, row, limits):
        self.sheet, self.row, self.limit = sheet, row, limits.rows
        super().__init__(
            f"工作簿超过{limits.rows}行数据（到“{sheet}”表第{row}行时），一次最多导入{limits.rows}行："
            f"{limits.advice}"
        )


class TooManyColumns(WorkbookError):
    def __init__(self, sheet, row, column, limits):
        self.sheet, self.row, self.column = sheet, row, column
        super().__init__(
            f"“{sheet}”表第{row}行第{column}列有内容，超出了读取上限：每张表最多读取{limits.columns}列，"
            "请删去多余的列后再导入。"
        )


class TooManyElements(WorkbookError):
    def __init__(self, limits):
        super().__init__(
            f"工作簿的单元格过多（含空白但带格式的单元格，超过{limits.elements}个XML元素），已拒绝读取"
            f"（可能是恶意构造的文件）；数据确实很多时，{limits.advice}"
        )


def not_a_workbook_message(head: bytes, data: bytes = b"") -> str:
    if not head:
        return "文件是空的，请上传.xlsx格式的工作簿。"
    if head.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in data:
            return "该工作簿设有打开密码，无法读取，请在Excel中取消密码后另存为.xlsx再上传。"
        return "该文件是旧版Excel（.xls）格式，请在Excel中另存为.xlsx格式后再上传。"
    return "该文件不是Excel工作簿（.xlsx），或已损坏，请上传.xlsx格式的工作簿。"


def _refuse_doctype(*args):
    raise DTDForbidden(*(args + (None, None, None))[:3])


def _refuse_entity(name, *args):
    raise EntitiesForbidden(name, None, None, None, None, None)


def _refuse_external(context, base, system_id, public_id):
    raise ExternalReferenceForbidden(context, base, system_id, public_id)


def _expat_parser():
    """An expat parser that refuses what defusedxml refuses (DTD, entities, external references)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    return parser


def _local(name):
    return name.rpartition("}")[2]


def column_number(letters):
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _number(text):
    text = text.strip()
    if not text:
        return None
    try:
        if any(mark in text for mark in ".eE") or text.lower() in ("inf", "nan"):
            return float(text)
        return int(text)
    except ValueError:
        return text


def _from_excel(number, epoch):
    """The datetime of an Excel serial day, or the number itself when it is none."""
    try:
        if not 0 <= number < 2958466:  # up to 9999-12-31
            return number
        day = epoch + datetime.timedelta(days=number)
        if epoch.year == 1899 and number < 60:  # Excel's phantom 29 February 1900
            day += datetime.timedelta(days=1)
        return day.replace(microsecond=0)
    except (OverflowError, ValueError, TypeError):
        return number


class _CountingReader(io.RawIOBase):
    """A zip part read through a counter: past `budget` bytes, the reading stops."""

    def __init__(self, stream, budget, name):
        self.stream, self.budget, self.name = stream, budget, name

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        self.budget -= len(data)
        if self.budget < 0:
            raise WorkbookError("工作簿解压后过大，已拒绝读取（可能是恶意构造的文件）。")
        buffer[: len(data)] = data
        return len(data)


class Workbook:
    """An open .xlsx: `sheet_names`, then `rows(name)` for each sheet wanted. Use as a context manager."""

    def __init__(self, file, limits: Limits = Limits()):
        self.limits = limits
        self.rows_read = 0
        self.elements_read = 0
        self._own_file = None
        if isinstance(file, str) or hasattr(file, "__fspath__"):
            file = self._own_file = open(file, "rb")  # noqa: SIM115 - closed with the workbook
        try:
            self._zip = self._open_zip(file)
            self._read_structure()
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if getattr(self, "_zip", None) is not None:
            self._zip.close()
        if self._own_file is not None:
            self._own_file.close()

    # --- the zip ---------------------------------------------------------------------------

    def _open_zip(self, file):
        file.seek(0)
        head = file.read(8)
        file.seek(0)
        try:
            archive = zipfile.ZipFile(file)
        except _BROKEN_ZIP:
            data = b""
            if head.startswith(OLE_MAGIC):
                file.seek(0)
                data = file.read(64 * 1024 * 1024)
            raise WorkbookError(not_a_workbook_message(head, data)) from None
        members = archive.infolist()
        if len(members) > self.limits.parts:
            archive.close()
            raise WorkbookError("工作簿中的部件过多，已拒绝读取（可能是恶意构造的文件）。")
        if sum(member.file_size for member in members) > self.limits.unpacked_bytes:
            archive.close()
            raise WorkbookError(
                f"工作簿解压后超过{self.limits.unpacked_bytes // (1024 * 1024)}MB，已拒绝读取"
                f"（可能是恶意构造的文件）；数据确实很多时，{self.limits.advice}"
            )
        self._budget = self.limits.unpacked_bytes
        self._names = {member.filename for member in members}
        return archive

    def _open_part(self, name):
        """A part of the zip as a stream, counted against the unpacked budget."""
        try:
            info = self._zip.getinfo(name)
            if info.flag_bits & 0x1:
                raise WorkbookError("该工作簿设有密码，无法读取，请在Excel中取消密码后另存为.xlsx再上传。")
            stream = self._zip.open(info)
        except KeyError:
            raise WorkbookError(
                "该文件不是完整的Excel工作簿（缺少必需的部件），请在Excel中打开后另存为.xlsx再上传。"
            ) from None
        except _BROKEN_ZIP:
            raise WorkbookError(
                "该工作簿已损坏或使用了无法识别的压缩方式，请在Excel中打开后另存为.xlsx再上传。"
            ) from None
        return _CountingReader(stream, self._budget, name)

    def _read_small(self, name):
        """A small part (workbook, relationships, styles) parsed with defusedxml."""
        with self._open_part(name) as stream:
            data = self._read(stream, SMALL_PART_BYTES + 1)
        if len(data) > SMALL_PART_BYTES:
            raise WorkbookError("工作簿的结构部分过大，已拒绝读取（可能是恶意构造的文件）。")
        self._budget -= len(data)
        try:
            return fromstring(data, forbid_dtd=True)
        except DefusedXmlException:
            raise WorkbookError("工作簿含有不允许的XML声明（DTD或实体），已拒绝读取。") from None
        except Exception:  # ParseError and the like: anything but a well-formed part
            raise WorkbookError(
                f"工作簿已损坏（{name}不是有效的XML），请在Excel中打开后另存为.xlsx再上传。"
            ) from None

    def _read(self, stream, size):
        try:
            return stream.read(size)
        except _BROKEN_ZIP:
            raise WorkbookError(
                "工作簿已损坏（解压或校验失败），请在Excel中打开后另存为.xlsx再上传。"
            ) from None

    def _relationships(self, part):
        rels = join(dirname(part), "_rels", part.rpartition("/")[2] + ".rels")
        if rels not in self._names:
            return {}
        found = {}
        for rel in self._read_small(rels):
            if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else normpath(join(dirname(part), target))
            found[rel.get("Id")] = (rel.get("Type", "").rpartition("/")[2], path)
        return found

    # --- the structure ---------------------------------------------------------------------

    def _read_structure(self):
        main = next(
            (path for kind, path in self._relationships("").values() if kind == "officeDocument"), None
        )
        main = main or "xl/workbook.xml"
        if main not in self._names:
            raise WorkbookError("该文件不是Excel工作簿（.xlsx），请上传.xlsx格式的工作簿。")
        workbook = self._read_small(main)
        relationships = self._relationships(main)
        self._sheets = {}
        for element in workbook.iter(f"{{{MAIN_NS}}}sheet"):
            kind, path = relationships.get(element.get(f"{{{REL_NS}}}id"), (None, None))
            if kind == "worksheet" and path in self._names:
                self._sheets.setdefault(element.get("name", ""), path)
        properties = workbook.find(f"{{{MAIN_NS}}}workbookPr")
        date1904 = properties is not None and properties.get("date1904", "").lower() in ("1", "true")
        self._epoch = datetime.datetime(1904, 1, 1) if date1904 else datetime.datetime(1899, 12, 30)
        parts = {kind: path for kind, path in relationships.values()}
        self._strings_part = parts.get("sharedStrings")
        self._strings = None
        self._date_styles = self._read_date_styles(parts.get("styles"))

    @property
    def sheet_names(self):
        return list(self._sheets)

    def _read_date_styles(self, path):
        """The indexes of the cell styles whose number format shows a date."""
        if not path or path not in self._names:
            return set()
        from openpyxl.styles.numbers import is_date_format

        styles = self._read_small(path)
        custom = {}
        for element in styles.iter(f"{{{MAIN_NS}}}numFmt"):
            try:
                custom[int(element.get("numFmtId"))] = element.get("formatCode", "")
            except (TypeError, ValueError):
                continue
        cell_styles = styles.find(f"{{{MAIN_NS}}}cellXfs")
        dated = set()
        for index, xf in enumerate(cell_styles if cell_styles is not None else ()):
            try:
                number_format = int(xf.get("numFmtId", "0"))
            except ValueError:
                continue
            if number_format in custom:
                if is_date_format(custom[number_format]):
                    dated.add(index)
            elif number_format in DATE_FORMAT_IDS:
                dated.add(index)
        return dated

    # --- shared strings --------------------------------------------------------------------

    def _shared_strings(self):
        if self._strings is not None:
            return self._strings
        strings = []
        if not self._strings_part or self._strings_part not in self._names:
            self._strings = strings
            return strings
        limit = self.limits.shared_strings
        state = {"parts": None, "phonetic": 0, "text": False}

        def start(name, attrs):
            self.elements_read += 1
            if self.elements_read > self.limits.elements:
                raise TooManyElements(self.limits)
            tag = _local(name)
            if tag == "si":
                state["parts"] = []
            elif tag == "rPh":
                state["phonetic"] += 1
            elif tag == "t":
                state["text"] = state["parts"] is not None and not state["phonetic"]

        def end(name):
            tag = _local(name)
            if tag == "si" and state["parts"] is not None:
                if len(strings) >= limit:
                    raise WorkbookError(
                        f"工作簿中不同的文字超过{limit}条，已拒绝读取（可能是恶意构造的文件）。"
                    )
                strings.append("".join(state["parts"]))
                state["parts"] = None
            elif tag == "rPh":
                state["phonetic"] -= 1
            elif tag == "t":
                state["text"] = False

        def characters(data):
            if state["text"]:
                state["parts"].append(data)

        for _ in self._parse(self._strings_part, start, end, characters, "共享文字"):
            pass
        self._strings = strings
        return strings

    def _parse(self, part, start, end, characters, what, after_chunk=None):
        """Feed `part` to expat with these handlers; after each chunk, yield what `after_chunk` returns."""
        parser = _expat_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = characters
        with self._open_part(part) as stream:
            while True:
                chunk = self._read(stream, CHUNK)
                try:
                    parser.Parse(chunk, not chunk)
                except DefusedXmlException:
                    raise WorkbookError(
                        f"工作簿的{what}含有不允许的XML声明（DTD或实体），已拒绝读取。"
                    ) from None
                except expat.ExpatError:
                    raise WorkbookError(
                        f"工作簿的{what}已损坏（不是有效的XML），请在Excel中打开后另存为.xlsx再上传。"
                    ) from None
                if after_chunk is not None:
                    yield from after_chunk()
                if not chunk:
                    break
            self._budget = stream.budget

    # --- rows ------------------------------------------------------------------------------

    def rows(self, sheet):
        """(row number, values) for every row of `sheet` with a value, in order.

        `values` lists the cells of columns A, B, ... up to the last one with a value, None where
        a cell is empty. Raises TooManyRows for a value past the workbook's limit of rows (row 1 of
        a sheet, its header, is not counted) and TooManyColumns for one past the limit of columns.
        """
        if sheet not in self._sheets:
            raise KeyError(sheet)
        handler = _SheetHandler(
            self, sheet, _ValueReader(self._shared_strings(), self._date_styles, self._epoch)
        )
        yield from self._parse(
            self._sheets[sheet], handler.start, handler.end, handler.characters, f"“{sheet}”表", handler.flush
        )


class _SheetHandler:
    """expat's callbacks for a worksheet: collects the finished rows until `flush` hands them out."""

    def __init__(self, workbook, sheet, value_of):
        self.workbook, self.sheet, self.value_of = workbook, sheet, value_of
        self.max_columns = workbook.limits.columns
        self.done = []
        self.row = 0
        self.cells = {}
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.text = None  # the pieces of the current cell's text, None outside a cell or past the columns
        self.has_value = False
        self.reading = None  # "v" or "t" while inside one whose text is the cell's, "rPh" inside phonetics

    def start(self, name, attrs):
        workbook = self.workbook
        workbook.elements_read += 1
        if workbook.elements_read > workbook.limits.elements:
            raise TooManyElements(workbook.limits)
        tag = _local(name)
        if tag == "c":
            reference = _CELL_REFERENCE.match(attrs.get("r", ""))
            self.column = column_number(reference.group(1)) if reference else self.column + 1
            self.kind = attrs.get("t", "n")
            style = attrs.get("s", "0")
            self.style = int(style) if style.isdigit() else 0
            self.text = [] if self.column <= self.max_columns else None
            self.has_value = False
            self.reading = None
        elif tag == "row":
            number = attrs.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            self.cells = {}
            self.column = 0
        elif tag == "v" or tag == "is":
            self.has_value = True
            if tag == "v" and self.text is not None:
                self.reading = "v"
        elif tag == "t":
            if self.text is not None and self.reading != "rPh":
                self.reading = "t"
        elif tag == "rPh":
            self.reading = "rPh"

    def end(self, name):
        tag = _local(name)
        if tag == "v" or tag == "t":
            if self.reading == tag:
                self.reading = None
        elif tag == "rPh":
            self.reading = None
        elif tag == "c":
            if self.text is not None:
                value = self.value_of(self.kind, "".join(self.text), self.style)
                if value is not None and value != "":
                    self.cells[self.column] = value
            elif self.has_value:
                raise TooManyColumns(self.sheet, self.row, self.column, self.workbook.limits)
            self.text = None
        elif tag == "row":
            if self.cells:
                self._finish_row()
            self.cells = {}

    def _finish_row(self):
        workbook = self.workbook
        if self.row > 1:
            workbook.rows_read += 1
            if workbook.rows_read > workbook.limits.rows:
                raise TooManyRows(self.sheet, self.row, workbook.limits)
        values = [None] * max(self.cells)
        for column, value in self.cells.items():
            values[column - 1] = value
        self.done.append((self.row, values))

    def characters(self, data):
        if self.reading == "v" or self.reading == "t":
            self.text.append(data)

    def flush(self):
        rows = self.done
        self.done = []
        return rows


class _ValueReader:
    """A cell's text turned into its value by its type (t=) and style (s=)."""

    def __init__(self, strings, date_styles, epoch):
        self.strings, self.date_styles, self.epoch = strings, date_styles, epoch

    def __call__(self, kind, text, style):
        if kind == "s":
            try:
                return self.strings[int(text)]
            except (ValueError, IndexError):
                raise WorkbookError(
                    "工作簿已损坏（单元格引用了不存在的共享文字），请在Excel中打开后另存为.xlsx再上传。"
                ) from None
        if kind in ("inlineStr", "str"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "e":
            return text.strip()
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(text.strip())
            except ValueError:
                return text.strip()
        number = _number(text)
        if style in self.date_styles and isinstance(number, int | float):
            return _from_excel(number, self.epoch)
        return number


def open_workbook(file, limits: Limits = Limits()) -> Workbook:
    """The workbook in `file` (a path or a binary file); WorkbookError when it cannot be read."""
    return Workbook(file, limits)

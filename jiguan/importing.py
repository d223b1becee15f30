"""Importing the workbook of WORKBOOK.md: sheets 党组织, 党员, 活动, read in that order.

An import is all or nothing: every sheet is checked, every wrong row is reported (sheet, row,
column, reason, in Chinese), and nothing is stored unless no row anywhere is wrong. Sheets run
inside one transaction, in order, so that members and activities of a new organization can arrive
in the same file; when any error is found, or for a dry run, the transaction is rolled back.

Each app registers the importers of its sheets from its AppConfig.ready()
(`importing.register(MemberSheet, order=20)`; the order is the order sheets are read in). An
importer is a class with:

    sheet_name = "党员"
    columns = {"姓名": True, "性别": True, ..., "联系电话": False}    # header -> required

    def prepare(self, rows: list[Row], context: ImportContext) -> object:
        '''Check every row; report problems with row.error(column, message) (or the typed
        readers row.text/date/int/list, which report themselves); return a plan.'''

    def apply(self, plan, context: ImportContext) -> SheetResult:
        '''Store the plan (called only when prepare found no error in this sheet).'''

    leaves_alone = {"members"}    # optional: what of context.reusable the sheet never writes

Importing the same file twice changes nothing the second time: importers match existing records
(organizations by name, members by ID number, activities by organization + kind + date + title)
and count them as unchanged.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jiguan import bounds
from jiguan.integrity import is_unique_violation
from jiguan.names import name_key
from jiguan.numbers import normalize_number
from jiguan.xlsx_reader import Limits, TooManyRows, WorkbookError, open_workbook

# The importers the apps registered (register()), as (order, class): read in that order, so that
# members and activities of a new organization can arrive in the same file.
_registered: list[tuple[int, type]] = []

# A row whose every filled cell starts with this is the template's row of notes (jiguan.workbook_template), not data.
NOTE_MARK = "说明："


def is_note_row(cells) -> bool:
    filled = [c for c in cells if c is not None and str(c).strip()]
    return bool(filled) and all(str(c).strip().startswith(NOTE_MARK) for c in filled)


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
]
_LIST_SEPARATORS = re.compile(r"[、,，]")
# The upload page shows this many rows of each sheet before the user confirms.
PREVIEW_ROWS = 50
# What a workbook may hold. `manage.py import_workbook` reads up to 300,000 rows of data: a
# county's year of dues alone is 12 months × 12,000 members; the upload page fewer, so that the
# check and then the import each finish well inside the server's 30-second request timeout
# (README, "Importing a workbook", has the measured times).
COMMAND_LIMITS = Limits(rows=300_000)
WEB_MAX_ROWS = 5_000
WEB_LIMITS = Limits(
    rows=WEB_MAX_ROWS,
    unpacked_bytes=64 * 1024 * 1024,
    elements=2_000_000,
    advice="请分成几个文件上传，或请系统管理员在服务器上运行 manage.py import_workbook 导入整个文件。",
)


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str
    # A doubt the user may lift (a name near-identical to a stored one): confirmed, it is no error.
    confirmable: bool = False

    def __str__(self):
        if not self.sheet:  # the whole file, e.g. one that cannot be read
            return self.message
        where = f"“{self.sheet}”表"
        if self.row:
            where += f"第{self.row}行"
        if self.column:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


@dataclass
class SheetResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class SheetPreview:
    """The first rows of a sheet as read, for the user to look at before confirming."""

    columns: list
    rows: list  # (row number, [cell text in the order of columns])
    total: int


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return parse_date(value).isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class ImportContext:
    actor: object = None
    dry_run: bool = False
    errors: list = field(default_factory=list)
    results: dict = field(default_factory=dict)  # sheet name -> SheetResult
    previews: dict = field(default_factory=dict)  # sheet name -> SheetPreview
    shared: dict = field(default_factory=dict)  # what one sheet leaves for the next
    # What a sheet read in bulk that a later sheet may read again (the members named, by ID number),
    # by name: kept only across the sheets that leave those records alone (an importer's
    # `leaves_alone`), read afresh after any other.
    reusable: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)  # what the preview tells before confirming
    missing_columns: set = field(default_factory=set)  # (sheet, column): reported once, at the header
    # The user confirmed the doubts: near-identical names are new organizations, and the columns a
    # national roster carries beyond the sheet's are left out.
    accept_similar: bool = False
    # Where a background job hears how far the import is (jiguan.jobs.Progress): (done, total, text).
    progress: object = None
    sheet_number: int = 0  # the sheet being read, of sheet_count
    sheet_count: int = 0

    def error(self, sheet, row, column, message):
        if (sheet, column) in self.missing_columns:
            return  # the header's one error says it
        self.errors.append(RowError(sheet, row, column, message))

    def step(self, done_rows, total_rows, text):
        """Tell the job how far the import is: the sheets before, and this sheet's share of rows."""
        if self.progress is None or not self.sheet_count:
            return
        share = done_rows / total_rows if total_rows else 0
        self.progress(int(1000 * (self.sheet_number + share) / self.sheet_count), 1000, text)

    def doubt(self, row, column, message):
        """A near-identical name: an error unless the user confirmed such names are meant."""
        if not self.accept_similar:
            row.has_error = True
            self.errors.append(RowError(row.sheet, row.number, column, message, confirmable=True))

    def organization_not_found(self, row, column, name):
        """The reason an organization named in a row is not found: its own row in the 党组织 sheet
        failed (that row is to blame), or no such organization, with a near-identical one if any."""
        rows = self.shared.get("organization_rows", {})
        if name in rows:
            row.error(column, f"“{name}”在“党组织”表第{rows[name]}行，该行有误未能导入，请先改正该行。")
            return
        similar = self.shared.get("similar_names", {}).get(name_key(name))
        hint = f"系统中有“{similar}”，如指该组织请改用此名称。" if similar else ""
        row.error(column, f"没有名为“{name}”的党组织。{hint}")


class Row:
    """One row of a sheet, with readers that report unreadable cells as errors."""

    def __init__(self, sheet, number, values, context):
        self.sheet = sheet
        self.number = number
        self.values = values
        self.context = context
        self.has_error = False

    def error(self, column, message):
        self.has_error = True
        self.context.error(self.sheet, self.number, column, message)

    def raw(self, column):
        return self.values.get(column)

    def text(self, column, *, required=False, max_length=None):
        value = self.values.get(column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.error(column, "不能为空。")
            return None
        if max_length and len(text) > max_length:
            self.error(column, f"不能超过{max_length}个字。")
            return None
        return text

    def date(self, column, *, required=False):
        value = self.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(column, "不能为空。")
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.error(column, f"无法识别的日期“{value}”，请写作2021-07-01、2021/7/1或2021年7月1日。")
            return None
        return self._bounded(column, parsed, bounds.DateBound(column))

    def _bounded(self, column, value, bound):
        """`value`, or None with the bound's message when no field could hold it (jiguan.bounds)."""
        try:
            bound(value)
        except ValidationError as exc:
            for message in exc.messages:
                self.error(column, message)
            return None
        return value

    def int(self, column, *, required=False, minimum=0):
        value = self.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(column, "不能为空。")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if (
            number is None
            or not number.is_finite()
            or number != number.to_integral_value()
            or number < minimum
        ):
            self.error(column, f"应为不小于{minimum}的整数，现为“{value}”。")
            return None
        low, high = bounds.INTEGER_RANGES["IntegerField"]
        return self._bounded(column, int(number), bounds.IntegerBound(column, max(low, minimum), high))

    def money(self, column, *, required=False):
        """An amount in yuan (15, 15.1, "15.10元", full-width digits), or None (reported when unreadable)."""
        value = self.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(column, "不能为空。")
            return None
        text = normalize_number(value).removesuffix("元") if isinstance(value, str) else str(value)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            self.error(column, f"应为金额（元），现为“{value}”。")
            return None
        if isinstance(value, float) and abs(amount) < 10**12:  # a float cell: 15.1 is 15.10, not 15.0999…
            amount = amount.quantize(Decimal("0.01"))
        return amount

    def check(self, instance, columns):
        """Report each value of `instance` that its field cannot hold (jiguan.bounds) on the column
        it came from (`columns`: field name -> column)."""
        for name, messages in bounds.errors(instance).items():
            for message in messages:
                self.error(columns.get(name, ""), message)

    def list(self, column):
        text = self.text(column) or ""
        return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]

    def choice(self, column, choices, *, required=False):
        """A label of a TextChoices (e.g. "党支部") read back to its value ("BRANCH")."""
        text = self.text(column, required=required)
        if not text:
            return None
        by_label = {str(label): value for value, label in choices.choices}
        if text not in by_label:
            self.error(column, f"“{text}”不是有效的选项，应为：{'、'.join(by_label)}。")
            return None
        return by_label[text]


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def report_refusal(row, exc: ValidationError, fields: dict, *, prefix=""):
    """A service's refusal reported on `row`, each message on the column of the field it names
    (`fields`: the service's argument -> column; a message naming no field goes on no column)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    for name, messages in errors.items():
        for message in messages:
            row.error(fields.get(name, ""), prefix + message)


@dataclass
class Planned:
    """A row read and checked, waiting to be recorded: its key and the service's arguments."""

    row: Row
    key: tuple
    data: dict


class ServiceSheet:
    """A sheet whose rows are recorded through the same service as the form: the one loop of the
    sheets (the optional sheets of WORKBOOK.md all use it).

    For each row: `read` reads the cells (bounded, through the Row readers) and resolves the member
    and the organization it names (an organization as named on the row's date), returning the
    service's keyword arguments, or None when the row is wrong; the row's `key` (the sheet's key in
    WORKBOOK.md) must not repeat an earlier row's; rows whose key is already on file (`on_file`)
    are unchanged, or `update`d where the row says more (a 免职日期 given later); the others are
    recorded (`record`, the service) in `order`. A service's refusal is reported on the row, on the
    column of each field it names (`fields`), in the service's own words: the same as the form.

    Recording in `prepare` stores nothing for good: the import runs in one transaction rolled back
    when any row anywhere is wrong, or for a dry run. `apply` only hands the counts on.
    """

    sheet_name = ""
    columns: dict = {}
    fields: dict = {}  # the service's argument -> the column its refusal is reported on
    key_column = ""  # where a row repeating an earlier row's key is reported
    key_label = ""  # the key in words, e.g. "同一党员、同一年度"

    def lookup(self, rows, context):
        """What `read` needs for every row, read in bulk (e.g. the members named, by ID number)."""
        return None

    def read(self, row, lookup, context) -> dict | None:
        raise NotImplementedError

    def key(self, data) -> tuple:
        raise NotImplementedError

    def on_file(self, planned: list, context) -> dict:
        """{key: the stored record} for the planned rows' keys already on file."""
        return {}

    def order(self, planned: Planned):
        """Sort key of the rows when recorded (e.g. by date, so each is checked against the earlier)."""
        return 0

    def record(self, data, context):
        """Record one row through the service (raises ValidationError to refuse it)."""
        raise NotImplementedError

    def update(self, data, stored, context) -> bool:
        """A row whose key is on file: change `stored` where the row says more; True if changed."""
        return False

    # A sheet of many rows may record them in bulk instead: `build` answers the row's checked,
    # unsaved record through the service's own check (raising ValidationError as `record` would),
    # and `store_built` stores them all at once through the service (e.g. 廉政承诺: 12,000 rows).
    build = None

    def store_built(self, records, context):
        raise NotImplementedError

    def prepare(self, rows, context):
        lookup = self.lookup(rows, context)
        seen, planned = {}, []
        for row in rows:
            data = self.read(row, lookup, context)
            if row.has_error or data is None:
                continue
            key = self.key(data)
            if key in seen:
                row.error(self.key_column, f"与第{seen[key]}行重复（{self.key_label}）。")
                continue
            seen[key] = row.number
            planned.append(Planned(row, key, data))
        stored = self.on_file(planned, context) if planned else {}
        planned.sort(key=self.order)
        return self.store(planned, stored, context)

    def store(self, planned, stored, context) -> SheetResult:
        result = SheetResult()
        built = []
        for index, item in enumerate(planned):
            if index % 100 == 0:
                context.step(
                    index, len(planned), f"“{self.sheet_name}”表：第{index + 1}行，共{len(planned)}行"
                )
            try:
                if item.key in stored:
                    if self.update(item.data, stored[item.key], context):
                        result.updated += 1
                    else:
                        result.unchanged += 1
                elif self.build is not None:
                    record = self.build(item.data, context)
                    item.row.check(record, self.fields)
                    if not item.row.has_error:
                        built.append(record)
                else:
                    self.record(item.data, context)
                    result.created += 1
            except ValidationError as exc:
                self.refused(item, exc, context)
        if built and not context.errors:  # a wrong row anywhere: nothing is stored anyway
            self.store_built(built, context)
        result.created += len(built)
        return result

    def refused(self, item, exc, context):
        report_refusal(item.row, exc, self.fields)

    def apply(self, plan, context):
        return plan


@dataclass
class ImportReport:
    errors: list
    results: dict
    stored: bool
    sheets: list
    previews: dict = field(default_factory=dict)

    notes: list = field(default_factory=list)
    # Sheets of the workbook no importer reads (a misspelt name, a sheet of notes): not imported.
    ignored_sheets: list = field(default_factory=list)
    # Refused for holding more rows than the limits allow (the page then offers a background job).
    too_many_rows: bool = False

    @property
    def ignored_note(self):
        """The sentence naming the sheets not imported, or ""."""
        if not self.ignored_sheets:
            return ""
        names = "、".join(f"“{name}”" for name in self.ignored_sheets)
        return f"工作表{names}不是可导入的工作表（名称须与模板一致），未导入。"

    @property
    def ok(self):
        return not self.errors

    @property
    def only_doubts(self):
        """Every error is a near-identical name the user may confirm."""
        return bool(self.errors) and all(error.confirmable for error in self.errors)

    @property
    def file_error(self):
        """The one sentence answering a file that could not be read at all, else None."""
        if len(self.errors) == 1 and not self.errors[0].sheet:
            return self.errors[0].message
        return None


def preview_of(importer, rows):
    """The first rows of a sheet, in the importer's column order, as the user typed them."""
    headers = rows[0].values.keys() if rows else ()
    columns = [column for column in importer.columns if column in headers]
    shown = [(row.number, [_cell_text(row.values.get(c)) for c in columns]) for row in rows[:PREVIEW_ROWS]]
    return SheetPreview(columns=columns, rows=shown, total=len(rows))


def register(importer_class, *, order: int):
    """Add an app's sheet importer (called from the app's AppConfig.ready). `order` places the sheet
    among the others: 10 党组织, 20 党员, 30 活动, then the optional sheets (WORKBOOK.md)."""
    if any(registered is importer_class for _, registered in _registered):
        return
    if any(number == order for number, _ in _registered):
        raise ValueError(f"import order {order} is taken")
    _registered.append((order, importer_class))
    _registered.sort(key=lambda pair: pair[0])


def importers():
    """One instance of every registered importer, in reading order."""
    return [importer_class() for _, importer_class in _registered]


def read_sheet(workbook, importer, context):
    """The rows of a sheet as Row objects; a missing required column is reported once.

    Row 1 holds the headers (WORKBOOK.md); rows with nothing in them are skipped. An importer with
    `map_columns(names, rows, context)` reads the header its own way (the 党员 sheet reads the
    national roster's column names): it answers the names, the columns computed from others
    ({column: function of the row's values}) and whether columns it does not know may be left out
    once the user confirms (instead of being errors).
    """
    names = None
    raw = []
    for number, cells in workbook.rows(importer.sheet_name):
        if names is None:
            names = [_header(cell) for cell in cells] if number == 1 else []
            if number == 1:
                continue
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells) or is_note_row(cells):
            continue  # an empty row, or the template's row of notes
        raw.append((number, cells))
    if names is None:
        return []
    derived, lenient = {}, False
    map_columns = getattr(importer, "map_columns", None)
    if map_columns is not None:
        names, derived, lenient = map_columns(names, [cells for _, cells in raw], context)
    _check_header([*names, *derived], importer, context, lenient=lenient)
    result = []
    for number, cells in raw:
        values = {name: cells[i] if i < len(cells) else None for i, name in enumerate(names) if name}
        for column, derive in derived.items():
            values[column] = derive(values)
        result.append(Row(importer.sheet_name, number, values, context))
    return result


def _header(cell):
    return str(cell).strip().rstrip("*") if cell is not None else ""


def _check_header(names, importer, context, *, lenient=False):
    for column, required in importer.columns.items():
        if required and column not in names and (importer.sheet_name, column) not in context.missing_columns:
            context.error(importer.sheet_name, 1, column, "缺少必填列。")
            context.missing_columns.add((importer.sheet_name, column))
    unknown = [n for n in names if n and n not in importer.columns]
    if unknown and lenient:
        # A national roster carries columns of its own: listed, left out once the user confirms.
        listed = "、".join(f"“{n}”" for n in unknown)
        if context.accept_similar:
            context.notes.append(f"“{importer.sheet_name}”表的{listed}列本系统不保存，未导入。")
        else:
            context.errors.append(
                RowError(
                    importer.sheet_name,
                    1,
                    "",
                    f"以下列本系统不认识：{listed}。确认后只导入可识别的列，这些列不导入。",
                    confirmable=True,
                )
            )
        return
    for column in unknown:
        context.error(importer.sheet_name, 1, column, "无法识别的列名。")


def import_workbook(
    file, *, actor=None, dry_run=False, limits=COMMAND_LIMITS, accept_similar=False, progress=None
) -> ImportReport:
    """Check and (unless `dry_run` or any row is wrong) store the workbook at `file` (a path or file).

    A file that cannot be read, or is bigger than `limits` allow, is answered with one Chinese
    sentence (jiguan.xlsx_reader) and nothing is stored. An organization name near-identical to a
    stored one (中共 or punctuation apart) is an error unless `accept_similar`: the user confirmed
    it names a new organization.
    """
    context = ImportContext(actor=actor, dry_run=dry_run, accept_similar=accept_similar, progress=progress)
    try:
        with open_workbook(file, limits) as workbook:
            return _import(workbook, context)
    except WorkbookError as exc:
        return ImportReport(
            [RowError("", 0, "", str(exc))],
            {},
            stored=False,
            sheets=[],
            too_many_rows=isinstance(exc, TooManyRows),
        )


def _import(workbook, context):
    known = {importer.sheet_name for importer in importers()}
    present = [name for name in workbook.sheet_names if name in known]
    ignored = [name for name in workbook.sheet_names if name not in known]
    if not present:
        names = "、".join(importer.sheet_name for importer in importers())
        context.error("", 0, "", f"工作簿中没有可导入的工作表，应包含：{names}。")
        return ImportReport(context.errors, {}, stored=False, sheets=[], ignored_sheets=ignored)

    stored = False
    try:
        with transaction.atomic():
            context.sheet_count = len(present)
            for importer in importers():
                if importer.sheet_name not in present:
                    continue
                context.step(0, 1, f"正在读取“{importer.sheet_name}”表")
                errors_before = len(context.errors)
                rows = read_sheet(workbook, importer, context)
                context.previews[importer.sheet_name] = preview_of(importer, rows)
                plan = importer.prepare(rows, context)
                if len(context.errors) == errors_before:
                    context.results[importer.sheet_name] = importer.apply(plan, context)
                kept = getattr(importer, "leaves_alone", ())
                context.reusable = {name: value for name, value in context.reusable.items() if name in kept}
                context.sheet_number += 1
            if context.errors or context.dry_run:
                transaction.set_rollback(True)
            else:
                stored = True
    except IntegrityError as exc:
        # Checked against the records as they were, then stored in bulk: someone stored the same
        # record (a member of the sheet) between the two. Nothing of this import is kept.
        if not is_unique_violation(exc):
            raise
        context.error("", 0, "", "导入期间有人同时录入或导入了相同的记录，本次未导入任何数据，请重新导入。")
        stored = False
    # Reported in the order of the workbook: sheet by sheet, row by row.
    order = {importer.sheet_name: index for index, importer in enumerate(importers())}
    context.errors.sort(key=lambda error: (order.get(error.sheet, -1), error.row))
    return ImportReport(
        context.errors,
        context.results,
        stored=stored,
        sheets=present,
        previews=context.previews,
        notes=context.notes,
        ignored_sheets=ignored,
    )

"""Reconciling the roster with the national one (全国党员管理系统): read a national roster and list,
without changing anything, who is missing on either side and which fields differ; staff then apply
the differences they choose, each through members.services.member_edit (audited).

The national roster is read by the 党员 sheet's importer (its column names, aliases and readers, so a
cell is understood exactly as the import understands it), from the sheet named 党员, else the
workbook's first sheet. Only what the national roster says is compared: an empty cell there is no
difference. Personal data (name, gender, birth date, ethnicity, education and the national details)
can be applied here; the organization, the 党员类别, the dates and the 人员类别 change through the
member's dated events (transfer, confirmation, …) on their page, so they are listed, not applied.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import transaction

from jiguan.importing import ImportContext, RowError, read_sheet
from jiguan.numbers import normalize_number
from jiguan.xlsx_reader import WorkbookError, open_workbook
from members import idnumber, national
from members.importers import MemberSheet, members_by_id_number
from members.models import Category, Gender, Member, Status
from members.services import member_edit

JOB_KIND = "reconcile"
# Field -> (the column read, how the national value is read, applicable here).
_TEXT = "text"
FIELDS = {
    "name": ("姓名", _TEXT, True),
    "gender": ("性别", Gender, True),
    "birth_date": ("出生日期", "date", True),
    "ethnicity": ("民族", _TEXT, True),
    "education": ("学历", _TEXT, True),
    "degree": ("学位", _TEXT, True),
    "native_place": ("籍贯", _TEXT, True),
    "work_post": ("工作岗位", _TEXT, True),
    "residence": ("现居住地", _TEXT, True),
    "phone": ("联系电话", "phone", True),
    "lost_contact": ("是否失联党员", "flag", True),
    "floating": ("是否流动党员", "flag", True),
    "organization": ("所在党组织", "organization", False),
    "status": ("党员类别", Status, False),
    "category": ("人员类别", Category, False),
    "admitted_on": ("入党日期", "date", False),
    "confirmed_on": ("转正日期", "date", False),
}


@dataclasses.dataclass
class Difference:
    member: Member
    field: str
    column: str
    ours: str
    theirs: str
    value: object
    applicable: bool

    @property
    def key(self):
        return f"{self.member.pk}:{self.field}"


@dataclasses.dataclass
class Missing:
    """Someone in the national roster and not on jiguan's (row: its row in the national roster)."""

    row: int
    name: str
    id_number: str
    organization: str


@dataclasses.dataclass
class Reconciliation:
    sheet: str = ""
    national_count: int = 0
    only_national: list = dataclasses.field(default_factory=list)
    only_here: list = dataclasses.field(default_factory=list)
    differences: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)

    @property
    def file_error(self):
        if len(self.errors) == 1 and not self.errors[0].sheet:
            return self.errors[0].message
        return None


def _shown(value):
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return national.YES if value else national.NO
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _read(row, column, how):
    if how == _TEXT:
        return row.text(column, max_length=200) or None
    if how == "date":
        return row.date(column)
    if how == "phone":
        return normalize_number(row.text(column)) or None
    if how == "flag":
        return national.read_flag(row, column) if row.text(column) else None
    if how == "organization":
        return row.text(column) or None
    return row.choice(column, how) or None


def _ours(member, field):
    if field == "organization":
        return member.organization.name
    if field == "work_post":
        return national.work_post_of(member)  # as the export writes it when none is kept
    return getattr(member, field)


def _display(member, field, value):
    if field in ("gender", "status", "category") and value:
        choices = {"gender": Gender, "status": Status, "category": Category}[field]
        return str(choices(value).label)
    return _shown(value)


def reconcile(file, *, limits, progress=None) -> Reconciliation:
    """Compare the national roster in `file` with the members on jiguan's roster. Changes nothing.
    `progress(done, total, text)` hears how far it is (a background job's, jiguan.jobs)."""
    result = Reconciliation()
    try:
        with open_workbook(file, limits) as workbook:
            names = workbook.sheet_names
            importer = MemberSheet()
            importer.sheet_name = "党员" if "党员" in names else (names[0] if names else "党员")
            result.sheet = importer.sheet_name
            context = ImportContext(accept_similar=True)  # columns it does not know: left out, noted
            rows = read_sheet(workbook, importer, context)
    except WorkbookError as exc:
        result.errors.append(RowError("", 0, "", str(exc)))
        return result
    result.notes = context.notes
    members = members_by_id_number(rows)
    seen = set()
    present = {column for row in rows[:1] for column in row.values}
    for index, row in enumerate(rows):
        if progress is not None and index % 200 == 0:
            progress(index, len(rows), f"正在比对第{index + 1}行，共{len(rows)}行")
        id_number = normalize_number(row.text("公民身份号码", required=True))
        if id_number:
            try:
                idnumber.validate_id_number(id_number)
            except Exception as exc:  # noqa: BLE001 - a ValidationError, reported on the row
                row.error("公民身份号码", getattr(exc, "messages", [str(exc)])[0])
                continue
        if not id_number:
            continue
        if id_number in seen:
            row.error("公民身份号码", "与前面的行重复。")
            continue
        seen.add(id_number)
        member = members.get(id_number)
        if member is None or member.left_on is not None:
            result.only_national.append(
                Missing(row.number, row.text("姓名") or "", id_number, row.text("所在党组织") or "")
            )
            continue
        for field, (column, how, applicable) in FIELDS.items():
            if column not in present:
                continue
            theirs = _read(row, column, how)
            if theirs is None:
                continue
            ours = _ours(member, field)
            if ours != theirs:
                result.differences.append(
                    Difference(
                        member=member,
                        field=field,
                        column=column,
                        ours=_display(member, field, ours),
                        theirs=_display(member, field, theirs),
                        value=theirs,
                        applicable=applicable,
                    )
                )
    result.national_count = len(seen)
    on_roster = (
        Member.objects.filter(left_on__isnull=True)
        .select_related("organization")
        .order_by("name_order", "name")
    )
    result.only_here = [m for m in on_roster if m.id_number not in seen]
    result.errors = context.errors
    return result


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _python_value(field, value):
    return datetime.date.fromisoformat(value) if field == "birth_date" and value else value


def to_dict(result: Reconciliation) -> dict:
    """The reconciliation as a background job keeps it (jiguan.models.Job.result)."""
    return {
        "sheet": result.sheet,
        "national_count": result.national_count,
        "only_national": [dataclasses.asdict(m) for m in result.only_national],
        "only_here": [
            {
                "pk": m.pk,
                "name": m.name,
                "organization": m.organization.name,
                "admitted_on": m.admitted_on.isoformat(),
            }
            for m in result.only_here
        ],
        "differences": [
            {
                "key": d.key,
                "member": d.member.pk,
                "name": d.member.name,
                "field": d.field,
                "column": d.column,
                "ours": d.ours,
                "theirs": d.theirs,
                "value": _json_value(d.value),
                "applicable": d.applicable,
            }
            for d in result.differences
        ],
        "errors": [str(e) for e in result.errors],
        "notes": result.notes,
        "file_error": result.file_error,
    }


def reconcile_job(job, progress):
    """The reconciliation as a background job (jiguan.jobs): nothing changes."""
    from jiguan import jobs
    from jiguan.importing import COMMAND_LIMITS

    with open(jobs.input_path(job), "rb") as file:
        result = reconcile(file, limits=COMMAND_LIMITS, progress=progress)
    if result.file_error:
        return jobs.Outcome(message=result.file_error, result=to_dict(result), failed=True)
    message = (
        f"全国系统名册{result.national_count}人：只在全国系统中{len(result.only_national)}人，"
        f"只在本系统中{len(result.only_here)}人，信息不一致{len(result.differences)}项。"
    )
    return jobs.Outcome(message=message, result=to_dict(result))


@transaction.atomic
def apply_differences(*, actor, differences, keys) -> int:
    """Apply the chosen applicable differences (`differences`: to_dict's, chosen by their key), one
    member_edit a member (audited); answers how many fields changed."""
    keys = set(keys)
    changes = {}
    for difference in differences:
        if difference["applicable"] and difference["key"] in keys:
            value = _python_value(difference["field"], difference["value"])
            changes.setdefault(difference["member"], {})[difference["field"]] = value
    members = Member.objects.in_bulk(list(changes))
    for pk, fields in changes.items():
        if pk in members:
            member_edit(actor=actor, member=members[pk], **fields)
    return sum(len(fields) for pk, fields in changes.items() if pk in members)


def register():
    from jiguan import jobs

    jobs.register(JOB_KIND, reconcile_job, result_template="members/_reconcile_result.html")

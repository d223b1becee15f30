"""The 党员 sheet: every wrong row reported, all or nothing, idempotent by ID number."""

import datetime
import io

import pytest
from openpyxl import Workbook

from jiguan.importing import import_workbook
from jiguan.models import AuditEntry
from members.models import Member, MemberVersion
from tests.factories import id_number_for

HEADERS = ["姓名", "性别", "公民身份号码", "出生日期", "民族", "学历", "所在党组织", "人员类别", "党员类别",
           "入党日期", "转正日期", "联系电话"]  # fmt: skip


def _workbook(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _row(branch, *, name="周敏", gender="女", id_number=None, birth="", status="正式党员",
         admitted="2010-07-01", confirmed="2011/7/1", category="在职"):  # fmt: skip
    id_number = id_number or id_number_for(datetime.date(1985, 4, 4), "F" if gender == "女" else "M")
    return [name, gender, id_number, birth, "汉族", "大学本科", branch.name, category, status, admitted, confirmed,
            "13877450000"]  # fmt: skip


def test_a_good_sheet_is_stored_with_versions_and_audit(staff, branch_a, branch_b):
    rows = [_row(branch_a), _row(branch_b, name="吴刚", gender="男", status="预备党员", admitted="2026年3月1日",
                                 confirmed="")]  # fmt: skip
    report = import_workbook(_workbook(rows), actor=staff)
    assert report.ok, [str(e) for e in report.errors]
    assert report.results["党员"].created == 2
    woman = Member.objects.get(name="周敏")
    assert woman.birth_date == datetime.date(1985, 4, 4)
    assert woman.confirmed_on == datetime.date(2011, 7, 1)
    assert MemberVersion.objects.get(member=woman).valid_from == datetime.date(2010, 7, 1)
    assert Member.objects.get(name="吴刚").status == "PROBATIONARY"
    entry = AuditEntry.objects.get(object_id=str(woman.pk), content_type__model="member")
    assert "********" in entry.changes["id_number"]["new"]


def test_membership_starts_when_the_organization_was_founded_if_later(staff, branch_a):
    report = import_workbook(
        _workbook([_row(branch_a, admitted="2005-07-01", confirmed="2006-07-01")]), actor=staff
    )
    assert report.ok
    assert MemberVersion.objects.get().valid_from == branch_a.founded_on


def test_importing_twice_changes_nothing(staff, branch_a):
    rows = [_row(branch_a), _row(branch_a, name="郑军", gender="男")]
    assert import_workbook(_workbook(rows), actor=staff).ok
    count, audit_count = Member.objects.count(), AuditEntry.objects.count()
    second = import_workbook(_workbook(rows), actor=staff)
    assert second.ok
    assert (second.results["党员"].created, second.results["党员"].unchanged) == (0, 2)
    assert (Member.objects.count(), AuditEntry.objects.count()) == (count, audit_count)


def test_every_wrong_row_is_reported_and_nothing_is_stored(staff, branch_a):
    good = id_number_for(datetime.date(1985, 4, 4), "F")
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [
        _row(branch_a),  # row 2: fine
        _row(branch_a, id_number=bad_check),  # row 3
        _row(branch_a, gender="男", id_number=id_number_for(datetime.date(1985, 4, 4), "F")),  # row 4
        _row(branch_a, birth="1985-04-05"),  # row 5
        _row(branch_a, id_number=good),  # row 6: duplicate of row... (new number)
        _row(branch_a, id_number=good),  # row 7: duplicate of row 6
        _row(branch_a, confirmed=""),  # row 8: full member without 转正日期
        _row(branch_a, admitted="2010-07-01", confirmed="2011-06-30"),  # row 9: less than a year
        [*_row(branch_a)[:6], "不存在的党支部", *_row(branch_a)[7:]],  # row 10
        _row(
            branch_a, id_number=id_number_for(datetime.date(1995, 1, 1), "F"), admitted="2012-12-31"
        ),  # row 11
        _row(branch_a, admitted="2010-13-01"),  # row 12
    ]
    report = import_workbook(_workbook(rows), actor=staff)
    assert not report.stored
    where = {(e.row, e.column) for e in report.errors}
    assert {
        (3, "公民身份号码"),
        (4, "性别"),
        (5, "出生日期"),
        (7, "公民身份号码"),
        (8, "转正日期"),
        (9, "转正日期"),
        (10, "所在党组织"),
        (11, "入党日期"),
        (12, "入党日期"),
    } <= where
    assert all(e.row not in (2, 6) for e in report.errors)
    assert "校验位" in next(e.message for e in report.errors if e.row == 3)
    assert "第6行重复" in next(e.message for e in report.errors if e.row == 7)
    assert Member.objects.count() == 0


def test_a_missing_required_column_is_reported(staff, branch_a):
    headers = [h for h in HEADERS if h != "党员类别"]
    row = _row(branch_a)
    del row[HEADERS.index("党员类别")]
    report = import_workbook(_workbook([row], headers=headers), actor=staff)
    assert any(e.column == "党员类别" and e.row == 1 for e in report.errors)
    assert not Member.objects.exists()


@pytest.mark.parametrize("dry_run", [True])
def test_a_dry_run_stores_nothing(staff, branch_a, dry_run):
    report = import_workbook(_workbook([_row(branch_a)]), actor=staff, dry_run=dry_run)
    assert report.ok and not report.stored
    assert not Member.objects.exists()


def test_a_row_of_a_member_who_transferred_out_stays_unchanged(staff, branch_a):
    """Only the transfer-in page brings a member back; the import stays idempotent by ID number."""
    from members import services

    row = _row(branch_a)
    assert import_workbook(_workbook([row]), actor=staff).ok
    member = Member.objects.get()
    services.member_transfer_out(
        actor=staff,
        member=member,
        date=datetime.date(2024, 1, 1),
        scope="BEYOND",
        external_organization="县外",
    )
    report = import_workbook(_workbook([row]), actor=staff)
    assert report.ok
    assert (report.results["党员"].created, report.results["党员"].unchanged) == (0, 1)
    assert Member.objects.count() == 1
    member.refresh_from_db()
    assert member.left_on == datetime.date(2024, 1, 1)

"""The sheets 党费基数 and 党费: all or nothing, each wrong row refused on its row and column."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from jiguan.importing import import_workbook
from members.dues.models import DuesBase, DuesPayment
from reports.metrics import compute_all
from tests.factories import MemberFactory

M = datetime.date


def workbook(sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def members(branch_a, branch_b):
    return {
        "old": MemberFactory(organization=branch_a, name="老党员", admitted_on=M(2010, 1, 1)),
        "new": MemberFactory(
            organization=branch_b, name="新党员", admitted_on=M(2025, 6, 10), status="PROBATIONARY"
        ),
        "retired": MemberFactory(
            organization=branch_b, name="退休", category="RETIRED", admitted_on=M(1990, 1, 1)
        ),
    }


BASES = ["公民身份号码", "起始月份", "缴费基数", "缴费类别"]
PAYMENTS = ["公民身份号码*", "所属月份*", "实交金额*", "交纳日期"]


def good_sheets(members):
    old, new, retired = members["old"].id_number, members["new"].id_number, members["retired"].id_number
    return {
        "党费基数": [
            BASES,
            [old, "2025-01", 3000, None],
            [old, "2025年7月", "5000.01", "在职"],
            [new, "2025/6", 3000, None],
            [retired, M(2025, 1, 1), 5000, None],
        ],
        "党费": [
            PAYMENTS,
            *[[old, f"2025-{m:02d}", 15 if m < 7 else 75, M(2025, 12, 20)] for m in range(1, 13)],
            [new, "2025-06", 15, "2025-06-30"],
            [retired, "2025-01", 10, "2025-01-05"],
            [retired, "2025-01", 15, "2025-01-25"],  # a second payment for January, its own day
        ],
    }


def test_import_bases_and_payments_then_again_changes_nothing(members, committee, staff):
    report = import_workbook(workbook(good_sheets(members)), actor=staff)
    assert report.ok, [str(e) for e in report.errors]
    assert report.results["党费基数"].created == 4 and report.results["党费"].created == 15
    old = members["old"]
    assert list(DuesBase.objects.filter(member=old).values_list("start_month", "until_month", "due")) == [
        (M(2025, 1, 1), M(2025, 7, 1), Decimal("15.00")),
        (M(2025, 7, 1), None, Decimal("75.00")),
    ]
    values = compute_all(committee, 2025)
    # old 6 × 15 + 6 × 75 = 540; new 7 × 15 = 105; retired 12 × 25 = 300
    assert values["dues_due_yuan"] == Decimal("945.00")
    assert values["dues_paid_yuan"] == Decimal("580.00")  # 540 + 15 + 25
    again = import_workbook(workbook(good_sheets(members)), actor=staff)
    assert again.ok and again.results["党费"].created == 0 and again.results["党费"].unchanged == 15
    assert again.results["党费基数"].unchanged == 4
    assert DuesPayment.objects.count() == 15


def test_wrong_rows_refused_and_nothing_stored(members, staff, branch_a):
    old, new = members["old"].id_number, members["new"].id_number
    gone = MemberFactory(organization=branch_a, name="转出", admitted_on=M(2000, 1, 1))
    gone.left_on = M(2025, 3, 10)
    gone.left_reason = "TRANSFERRED_OUT"
    gone.save()
    gone.versions.update(valid_to=M(2025, 3, 10))
    other = MemberFactory(organization=branch_a, name="其他", category="OTHER", admitted_on=M(2000, 1, 1))
    sheets = {
        "党费基数": [
            BASES,
            [old, "2025-01", 3000, None],
            [old, None, 3000, None],  # no start month
            [old, "2025-02", -5, None],
            [other.id_number, "2025-01", 0, None],  # 其他 needs a class
            ["110101198001010010", "2025-01", 3000, None],  # not on the roster
        ],
        "党费": [
            PAYMENTS,
            [new, "2025-05", 15, "2025-06-20"],  # before 入党日期
            [gone.id_number, "2025-04", 15, "2025-04-01"],  # after leaving
            [old, "2025-02", 151, "2025-02-01"],  # over 10 × 15
            [old, "2025-02", "abc", "2025-02-01"],
            [old, "2025-03", 0, "2025-03-01"],
            [old, "2025-04", 15, "2025-04-01"],
            [old, "2025-04", 15, "2025-04-01"],  # the same payment twice
        ],
    }
    report = import_workbook(workbook(sheets), actor=staff)
    assert not report.ok and not report.stored
    found = {(e.sheet, e.row, e.column) for e in report.errors if e.sheet == "党费基数"}
    assert found == {
        ("党费基数", 3, "起始月份"),
        ("党费基数", 4, "缴费基数"),
        ("党费基数", 5, "缴费类别"),
        ("党费基数", 6, "公民身份号码"),
    }
    # The bases sheet was not stored, so the payments sheet was checked against no base (no 10×
    # check yet): with the bases right, every wrong payment row is refused on its own.
    sheets["党费基数"] = sheets["党费基数"][:2]
    report = import_workbook(workbook(sheets), actor=staff)
    messages = {(e.row, e.column): e.message for e in report.errors if e.sheet == "党费"}
    assert set(messages) == {
        (2, "所属月份"),
        (3, "所属月份"),
        (4, "实交金额"),
        (5, "实交金额"),
        (6, "实交金额"),
        (8, "交纳日期"),
    }
    assert "入党日期" in messages[(2, "所属月份")]
    assert "离开党员名册" in messages[(3, "所属月份")]
    assert "10倍" in messages[(4, "实交金额")]
    assert not DuesBase.objects.exists() and not DuesPayment.objects.exists()

"""The one .xlsx writer (jiguan.xlsx_writer): every export goes through it, and a text stays text."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from jiguan.xlsx_writer import Sheet, write_workbook
from tests.factories import MemberFactory


def _sheet(content, title=None):
    workbook = load_workbook(io.BytesIO(content))
    return workbook[title] if title else workbook.active


def test_each_kind_of_value_becomes_its_cell():
    rows = [
        ["08715551234", 12, Decimal("1.225"), 2.5, datetime.date(2021, 7, 1), '=HYPERLINK("x")', None],
    ]
    sheet = _sheet(
        write_workbook([Sheet("表", ["电话", "个数", "万元", "小数", "日期", "标题", "空"], rows)])
    )
    header, row = list(sheet.iter_rows())
    assert [c.value for c in header] == ["电话", "个数", "万元", "小数", "日期", "标题", "空"]
    assert all(c.font.bold for c in header)
    phone, count, wan, fraction, day, title, empty = row
    assert phone.value == "08715551234" and phone.data_type == "s"  # not the number 8715551234
    assert count.value == 12 and count.data_type == "n"
    assert wan.value == 1.225 and wan.number_format == "0.00####"
    assert fraction.value == 2.5
    assert day.value == datetime.datetime(2021, 7, 1) and day.number_format == "yyyy-mm-dd"
    assert title.value == '=HYPERLINK("x")' and title.data_type == "s"  # text, never a formula
    assert empty.value is None
    assert sheet.freeze_panes == "A2"


def test_the_roster_export_keeps_a_phone_number_as_written(staff_client, branch_a):
    MemberFactory(organization=branch_a, name="黎秀兰", phone="08715551234")
    sheet = _sheet(staff_client.get(reverse("members:roster"), {"export": "xlsx"}).content)
    header, *rows = list(sheet.values)
    phone = header.index("联系电话")
    assert [row[phone] for row in rows] == ["08715551234"]
    assert all(cell.font.bold for cell in next(sheet.iter_rows()))  # the same writer as the report's

"""The one .xlsx writer (jiguan.xlsx_writer): every export goes through it, and a text stays text."""

import csv
import datetime
import io
import subprocess
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


def test_texts_xml_cannot_carry_are_cleaned_and_wide_sheets_get_their_columns():
    # A name pasted with a control character failed the whole export under openpyxl; a text longer
    # than a cell can hold is cut to Excel's 32,767 characters (longer ones need "repair").
    headers = [f"列{n}" for n in range(30)]
    row = ["张\x01三", "x" * 40000, *range(28)]
    sheet = _sheet(write_workbook([Sheet("宽表", headers, [row])]))
    values = [c.value for c in next(sheet.iter_rows(min_row=2))]
    assert values[0] == "张三" and len(values[1]) == 32767
    assert sheet["AD1"].value == "列29" and sheet["AD2"].value == 27  # the 30th column is AD
    assert sheet.column_dimensions["B"].width == 40 and sheet["B2"].alignment.wrap_text  # wrapped
    assert sheet.row_dimensions[2].height > 15


def test_a_notes_row_is_frozen_with_the_headers_small_and_grey():
    workbook = load_workbook(
        io.BytesIO(
            write_workbook(
                [Sheet("党员", ["姓名", "入党日期"], [["李四", None]], notes=["必填", "如 2021-07-01"])]
            )
        )
    )
    sheet = workbook["党员"]
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$1:$1"
    note = sheet["A2"]
    assert note.value == "必填" and note.font.sz == 9 and note.fill.fgColor.rgb == "FFF2F2F2"
    assert sheet["A3"].value == "李四"


def test_libreoffice_opens_the_workbook_as_written(tmp_path):
    """A real spreadsheet program reads each sheet (converted to CSV as it shows the cells)."""
    rows = [
        ["08715551234", 12, Decimal("1.225"), 2.5, datetime.date(2021, 7, 1), '=HYPERLINK("x")', "甲\x02乙"]
    ]
    second = Sheet("三会一课", ["党支部", "1月"], [["第一党支部", 2], ["第二党支部", 0]])
    path = tmp_path / "book.xlsx"
    path.write_bytes(
        write_workbook([Sheet("表", ["电话", "个数", "万元", "小数", "日期", "标题", "姓名"], rows), second])
    )
    # 44,34,76: comma, double quote, UTF-8; "true" in 9th place: cells as shown; -1: every sheet.
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    first = list(csv.reader((tmp_path / "book-表.csv").read_text(encoding="utf-8").splitlines()))
    assert first == [
        ["电话", "个数", "万元", "小数", "日期", "标题", "姓名"],
        ["08715551234", "12", "1.225", "2.50", "2021-07-01", '=HYPERLINK("x")', "甲乙"],
    ]
    assert (tmp_path / "book-三会一课.csv").read_text(encoding="utf-8").splitlines() == [
        "党支部,1月",
        "第一党支部,2",
        "第二党支部,0",
    ]

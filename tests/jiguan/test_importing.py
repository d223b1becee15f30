"""The import framework, with a small importer of its own so that it is tested apart from the apps'
sheets (each app tests its sheet; tests/test_import_sample.py imports the shared sample)."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from jiguan import importing
from jiguan.importing import SheetResult, parse_date
from organizations.models import Unit

pytestmark = pytest.mark.django_db


class UnitSheet:
    """Stores units by name: enough to see rows checked, stored, rolled back and counted."""

    sheet_name = "党组织"
    columns = {"组织名称": True, "成立日期": True, "人数": False}

    def prepare(self, rows, context):
        plan = []
        for row in rows:
            name = row.text("组织名称", required=True)
            row.date("成立日期", required=True)
            row.int("人数")
            if not row.has_error:
                plan.append(name)
        return plan

    def apply(self, plan, context):
        result = SheetResult()
        for name in plan:
            _, created = Unit.objects.get_or_create(name=name)
            result.created += created
            result.unchanged += not created
        return result


class FailingSheet:
    sheet_name = "党员"
    columns = {"姓名": True}

    def prepare(self, rows, context):
        for row in rows:
            row.error("姓名", "测试用的错误。")

    def apply(self, plan, context):
        raise AssertionError("apply must not run after errors")


@pytest.fixture
def fake_importers(monkeypatch):
    monkeypatch.setattr(importing, "_registered", [(10, UnitSheet), (20, FailingSheet)])


def workbook_bytes(sheets):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    "value, expected",
    [
        (datetime.datetime(2021, 7, 1), datetime.date(2021, 7, 1)),
        ("2021-07-01", datetime.date(2021, 7, 1)),
        ("2021/7/1", datetime.date(2021, 7, 1)),
        ("2021年7月1日", datetime.date(2021, 7, 1)),
        ("2021-02-30", None),
        ("七月一日", None),
    ],
)
def test_dates_in_every_documented_form(value, expected):
    assert parse_date(value) == expected


def test_good_rows_are_stored_and_a_second_import_changes_nothing(fake_importers):
    sheets = {"党组织": [["组织名称", "成立日期"], ["甲", "2021-01-01"], ["乙", "2021年3月1日"]]}
    report = importing.import_workbook(workbook_bytes(sheets))
    assert report.ok and report.stored
    assert report.results["党组织"].created == 2
    again = importing.import_workbook(workbook_bytes(sheets))
    assert again.results["党组织"].created == 0 and again.results["党组织"].unchanged == 2
    assert Unit.objects.count() == 2


def test_every_wrong_row_is_reported_and_nothing_is_stored(fake_importers):
    sheets = {
        "党组织": [
            ["组织名称", "成立日期", "人数"],
            ["甲", "2021-01-01", 3],
            ["", "昨天", "-1"],
            ["丙", None, 2],
        ],
    }
    report = importing.import_workbook(workbook_bytes(sheets))
    assert not report.stored
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(3, "组织名称"), (3, "成立日期"), (3, "人数"), (4, "成立日期")}
    assert "“党组织”表第3行“成立日期”列" in str(report.errors[1]) or any(
        "第3行“成立日期”列" in str(e) for e in report.errors
    )
    assert Unit.objects.count() == 0


def test_an_error_in_a_later_sheet_rolls_back_the_earlier_ones(fake_importers):
    sheets = {"党组织": [["组织名称", "成立日期"], ["甲", "2021-01-01"]], "党员": [["姓名"], ["张三"]]}
    report = importing.import_workbook(workbook_bytes(sheets))
    assert [e.sheet for e in report.errors] == ["党员"]
    assert Unit.objects.count() == 0


def test_missing_and_unknown_columns_are_named(fake_importers):
    report = importing.import_workbook(workbook_bytes({"党组织": [["组织名称", "备注"], ["甲", "x"]]}))
    messages = {(e.column, e.message) for e in report.errors}
    assert ("成立日期", "缺少必填列。") in messages
    assert ("备注", "无法识别的列名。") in messages


def test_dry_run_stores_nothing(fake_importers):
    sheets = {"党组织": [["组织名称", "成立日期"], ["甲", "2021-01-01"]]}
    report = importing.import_workbook(workbook_bytes(sheets), dry_run=True)
    assert report.ok and not report.stored
    assert report.results["党组织"].created == 1
    assert Unit.objects.count() == 0


def test_a_file_that_is_not_a_workbook_is_refused(fake_importers):
    report = importing.import_workbook(io.BytesIO(b"not a workbook"))
    assert [str(e) for e in report.errors] == [
        "该文件不是Excel工作簿（.xlsx），或已损坏，请上传.xlsx格式的工作簿。"
    ]


@pytest.fixture
def pending_dir(monkeypatch, tmp_path):
    from jiguan import importing_web

    monkeypatch.setattr(importing_web, "PENDING_DIR", tmp_path / "imports")
    return tmp_path / "imports"


def test_upload_previews_then_stores_on_confirmation(fake_importers, staff_client, pending_dir, tmp_path):
    upload = workbook_bytes({"党组织": [["组织名称", "成立日期"], ["甲", "2021-01-01"]]})
    upload.name = "organizations.xlsx"
    response = staff_client.post(reverse("import_workbook"), {"file": upload})
    text = response.content.decode()
    assert "检查通过" in text and "新增 1 条" in text
    assert Unit.objects.count() == 0
    token = response.context["token"]
    response = staff_client.post(reverse("import_workbook"), {"confirm": token}, follow=True)
    assert "导入完成" in response.content.decode()
    assert Unit.objects.filter(name="甲").exists()
    assert not list((tmp_path / "imports").iterdir())


def test_upload_shows_every_error(fake_importers, staff_client):
    upload = workbook_bytes({"党组织": [["组织名称", "成立日期"], ["甲", "不是日期"]]})
    upload.name = "bad.xlsx"
    text = staff_client.post(reverse("import_workbook"), {"file": upload}).content.decode()
    assert "未导入任何数据" in text and "无法识别的日期" in text
    assert Unit.objects.count() == 0


def test_only_staff_import(secretary_client, leader_client):
    assert secretary_client.get(reverse("import_workbook")).status_code == 403
    assert leader_client.get(reverse("import_workbook")).status_code == 403


def test_upload_preview_shows_the_rows_as_read(fake_importers, staff_client):
    upload = workbook_bytes(
        {
            "党组织": [
                ["组织名称", "成立日期", "人数"],
                ["甲", datetime.datetime(2021, 1, 1), 3.0],
                ["乙", "2021/3/1", None],
            ]
        }
    )
    upload.name = "organizations.xlsx"
    response = staff_client.post(reverse("import_workbook"), {"file": upload})
    preview = response.context["report"].previews["党组织"]
    assert preview.columns == ["组织名称", "成立日期", "人数"]
    assert preview.rows == [(2, ["甲", "2021-01-01", "3"]), (3, ["乙", "2021/3/1", ""])]
    text = response.content.decode()
    assert "“党组织”表：共 2 行" in text and '<td class="text-nowrap">甲</td>' in text


def test_errors_are_listed_sheet_by_sheet_and_row_by_row(fake_importers):
    sheets = {
        "党员": [["姓名"], ["张三"], ["李四"]],
        "党组织": [["组织名称", "成立日期"], ["甲", "x"], ["", "2021-01-01"]],
    }
    report = importing.import_workbook(workbook_bytes(sheets))
    assert [(e.sheet, e.row) for e in report.errors] == [
        ("党组织", 2),
        ("党组织", 3),
        ("党员", 2),
        ("党员", 3),
    ]


def test_abandoned_previews_are_cleaned_up(fake_importers, staff_client, pending_dir):
    """A preview never confirmed leaves its file behind; the next upload removes files older than a day."""
    import os
    import time

    pending_dir.mkdir(parents=True)
    stale = pending_dir / "00000000-0000-0000-0000-000000000000.xlsx"
    stale.write_bytes(b"old")
    old = time.time() - 2 * 24 * 3600
    os.utime(stale, (old, old))
    upload = workbook_bytes({"党组织": [["组织名称", "成立日期"], ["甲", "2021-01-01"]]})
    upload.name = "organizations.xlsx"
    staff_client.post(reverse("import_workbook"), {"file": upload})
    assert not stale.exists()
    assert len(list(pending_dir.iterdir())) == 1  # this upload's own file, awaiting confirmation


def test_registered_sheets_are_read_in_the_workbooks_order():
    """The apps register their sheets (AppConfig.ready); the base reads them in WORKBOOK.md's order."""
    names = [importer.sheet_name for importer in importing.importers()]
    assert names[:3] == ["党组织", "党员", "活动"]
    assert names.index("党费基数") < names.index("党费")


def test_an_order_is_taken_once():
    class Another:
        sheet_name = "另一个"

    with pytest.raises(ValueError):
        importing.register(Another, order=10)

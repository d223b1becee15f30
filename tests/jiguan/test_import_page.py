"""Issue 10, the import page: a template with every sheet and column of WORKBOOK.md, a column guide,
the sample workbook into a county with another root, a missing column reported once, errors on the
rows to blame, near-identical organization names confirmed before they are created."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from activities.models import Activity
from jiguan.importing import import_workbook, importers
from jiguan.workbook_template import SHEETS
from members.models import Member
from organizations.models import Organization
from tests.factories import OrganizationFactory
from tests.pages import without_csrf

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures"
SAMPLE = FIXTURES / "import-sample.xlsx"


def contract_sheets():
    """Sheet -> [(column, required)] as WORKBOOK.md writes them (its tables and its list of sheets)."""
    text = (FIXTURES / "WORKBOOK.md").read_text()
    sheets = {}
    for name, table in re.findall(
        r"Sheet \*\*(\S+)\*\*\n\n\| column \| meaning \|\n\|---\|---\|\n((?:\|.*\n)+)", text
    ):
        sheets[name] = [
            (cell.rstrip("*"), cell.endswith("*"))
            for cell in (line.split("|")[1].strip() for line in table.strip().splitlines())
        ]
    for name, columns in re.findall(r"^\| \*\*(\S+)\*\* \| (.+?) \| [^|]+ \|$", text, re.M):
        parts = re.sub(r"\([^)]*\)", "", columns).split(",")
        sheets[name] = [(p.strip().rstrip("*"), p.strip().endswith("*")) for p in parts]
    return sheets


def xlsx(sheets):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def upload(client, data, name="data.xlsx"):
    return client.post(reverse("import_workbook"), {"file": SimpleUploadedFile(name, data)})


def test_the_template_has_every_sheet_and_column_of_the_contract_with_a_row_of_notes(staff_client):
    contract = contract_sheets()
    assert len(contract) == 17
    assert {s.name: [(c.name, c.required) for c in s.columns if not c.added] for s in SHEETS} == contract
    # Columns added beyond the contract are optional, and read by the sheet's importer.
    columns_read = {importer.sheet_name: importer.columns for importer in importers()}
    for sheet in SHEETS:
        for column in sheet.columns:
            assert column.name in columns_read[sheet.name]
            assert not column.added or not column.required
    response = staff_client.get(reverse("import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == list(contract)
    for sheet in SHEETS:
        rows = list(workbook[sheet.name].iter_rows(values_only=True))
        assert list(rows[0]) == [c.name + ("*" if c.required else "") for c in sheet.columns]
        assert all(str(note).startswith("说明：") for note in rows[1])
    # The template as downloaded imports as it is: its row of notes is no data.
    report = import_workbook(io.BytesIO(response.content), dry_run=True)
    assert report.errors == []


def test_the_page_links_the_template_and_guides_every_column(client, staff, leader):
    client.force_login(staff)
    html = client.get(reverse("import_workbook")).content.decode()
    assert reverse("import_template") in html
    for sheet in SHEETS:
        assert f"<strong>{sheet.name}</strong>" in html
    assert "公民身份号码" in html and "18位公民身份号码" in html
    client.force_login(leader)
    assert client.get(reverse("import_template")).status_code == 403


def test_the_sample_goes_into_a_county_with_another_root_under_that_root(committee):
    call_command("import_workbook", str(SAMPLE))
    water = Organization.objects.get(name="县水利局党支部")
    assert water.parent == committee
    assert not Organization.objects.filter(name="中共某县委县直机关工委").exists()
    assert Activity.objects.filter(organization=committee).count() == 3
    assert Member.objects.count() == 5
    call_command("import_workbook", str(SAMPLE))  # twice: nothing new
    assert Activity.objects.filter(organization=committee).count() == 3


def test_the_preview_says_the_root_is_the_trees_root(staff_client, committee):
    response = upload(staff_client, SAMPLE.read_bytes())
    html = response.content.decode()
    assert "对应为本系统的根组织“中共测试县委县直机关工委”" in html
    assert 'id="import-confirm"' in html


def test_a_missing_column_is_reported_once():
    rows = [["组织名称", "组织类别", "上级组织"]] + [[f"第{n}党支部", "党支部", "工委"] for n in range(10)]
    report = import_workbook(xlsx({"党组织": rows}), dry_run=True)
    assert [(e.row, e.column) for e in report.errors if e.column == "成立日期"] == [(1, "成立日期")]


def test_a_near_identical_name_is_confirmed_before_it_is_created(staff_client, committee):
    OrganizationFactory(name="中共乙局机关党委", kind="AGENCY_COMMITTEE", parent=committee)
    book = {
        "党组织": [
            ["组织名称", "组织类别", "上级组织", "成立日期"],
            ["乙局机关党委", "机关党委", "中共测试县委县直机关工委", "2020-01-01"],
            ["乙局第一党支部", "党支部", "乙局机关党委", "2020-02-01"],
        ],
        "党员": [
            ["姓名", "性别", "公民身份号码", "所在党组织", "人员类别", "党员类别", "入党日期", "转正日期"],
            [
                "张三",
                "女",
                "450322198810030143",
                "乙局第一党支部",
                "在职",
                "正式党员",
                "2010-01-01",
                "2011-01-01",
            ],
        ],
    }
    report = import_workbook(xlsx(book), dry_run=True)
    messages = [(e.sheet, e.row, e.column, e.confirmable) for e in report.errors]
    assert messages == [
        ("党组织", 2, "组织名称", True),
        ("党组织", 3, "上级组织", False),  # blames row 2
        ("党员", 2, "所在党组织", False),  # blames 党组织 row 3
    ]
    assert "本表第2行" in report.errors[1].message and "“党组织”表第3行" in report.errors[2].message

    response = upload(staff_client, xlsx(book).getvalue())
    html = response.content.decode()
    assert "几乎相同" in html and "确认以上几处并导入" in html
    assert not Organization.objects.filter(name="乙局机关党委").exists()
    token = response.context["token"]
    staff_client.post(reverse("import_workbook"), {"confirm": token})
    assert Organization.objects.get(name="乙局第一党支部").parent.name == "乙局机关党委"


def test_a_file_that_is_no_workbook_gets_one_sentence(staff_client):
    html = without_csrf(upload(staff_client, b"not a zip at all", "data.xlsx").content.decode())
    assert "BadZipFile" not in html and "zip" not in html.lower().replace("application/zip", "")
    assert 'id="import-errors"' in html
    html = upload(staff_client, b"\xd0\xcf\x11\xe0old excel", "data.xls").content.decode()
    assert "请上传.xlsx格式的工作簿。" in html

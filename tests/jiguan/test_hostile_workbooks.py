"""Hostile and broken workbooks (issue 12): each is answered with one Chinese sentence, quickly and
within bounded memory, and nothing is stored. The workbooks are built here (tests/workbooks.py)."""

import datetime
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from jiguan import importing
from jiguan.importing import WEB_LIMITS, WEB_MAX_ROWS
from jiguan.xlsx_reader import Limits, open_workbook
from members.models import Member
from organizations.models import Organization
from tests import workbooks

pytestmark = pytest.mark.django_db

NOT_ALLOWED_IN_MESSAGES = ("BadZipFile", "KeyError", "ParseError", "“”表", "第0行", "Error", "Exception")


def only_sentence(report):
    assert not report.ok and not report.stored
    assert len(report.errors) == 1, [str(e) for e in report.errors]
    text = str(report.errors[0])
    assert not any(word in text for word in NOT_ALLOWED_IN_MESSAGES), text
    assert text.endswith("。")
    return text


def ole_file(*streams):
    """The first bytes of an OLE compound file (an .xls, or an encrypted .xlsx) and its stream names."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    names = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") for name in streams)
    return io.BytesIO(header + names + b"\x00" * 2048)


def truncated_sheet():
    text = workbooks.sheet_xml([["姓名", "性别"], ["张三", "男"]])
    return workbooks.xlsx_bytes({"党员": text[: len(text) // 2]})


def bad_checksum():
    data = bytearray(
        workbooks.xlsx_bytes({"党员": workbooks.sheet_xml([["姓名"]] + [["张三"]] * 200)}).getvalue()
    )
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 20
    data[start] ^= 0xFF
    return io.BytesIO(bytes(data))


def zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    buffer.seek(0)
    return buffer


def missing_shared_string():
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{workbooks.MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>'
    )
    strings = f'<?xml version="1.0"?><sst xmlns="{workbooks.MAIN}"><si><t>姓名</t></si></sst>'
    return workbooks.xlsx_bytes({"党员": sheet}, shared_strings=strings)


def laughs_in_shared_strings():
    strings = f'<?xml version="1.0"?>{workbooks.BILLION_LAUGHS}<sst xmlns="{workbooks.MAIN}"><si><t>&lol8;</t></si></sst>'
    return workbooks.xlsx_bytes({"党员": workbooks.sheet_xml([["姓名"]])}, shared_strings=strings)


def external_entity():
    prolog = '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return workbooks.xlsx_bytes({"党员": workbooks.sheet_xml([["姓名"]])}, workbook_prolog=prolog)


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda: io.BytesIO(b""), "文件是空的，请上传.xlsx格式的工作簿。"),
        (lambda: io.BytesIO("姓名,性别\n张三,男\n".encode()), "该文件不是Excel工作簿（.xlsx），或已损坏"),
        (lambda: ole_file("Workbook", "SummaryInformation"), "该文件是旧版Excel（.xls）格式"),
        (lambda: ole_file("EncryptionInfo", "EncryptedPackage"), "该工作簿设有打开密码"),
        (zip_without_workbook, "该文件不是Excel工作簿（.xlsx）"),
        (truncated_sheet, "工作簿的“党员”表已损坏（不是有效的XML）"),
        (bad_checksum, "工作簿已损坏"),
        (missing_shared_string, "单元格引用了不存在的共享文字"),
        (workbooks.entity_expansion, "工作簿的“党员”表含有不允许的XML声明（DTD或实体）"),
        (laughs_in_shared_strings, "工作簿的共享文字含有不允许的XML声明"),
        (external_entity, "工作簿含有不允许的XML声明（DTD或实体）"),
    ],
    ids=[
        "empty",
        "csv",
        "xls-renamed",
        "encrypted",
        "zip-not-xlsx",
        "corrupt-xml",
        "bad-checksum",
        "missing-shared-string",
        "billion-laughs",
        "laughs-in-shared-strings",
        "external-entity",
    ],
)
def test_an_unreadable_file_is_answered_with_one_chinese_sentence(build, expected):
    assert expected in only_sentence(importing.import_workbook(build()))


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(committee):
    """Shared strings declaring more than the limit: refused from the zip's directory alone."""
    bomb = workbooks.shared_strings_bomb(3 * 1024 * 1024)
    assert len(bomb.getvalue()) < 30 * 1024
    text = only_sentence(importing.import_workbook(bomb, limits=Limits(unpacked_bytes=2 * 1024 * 1024)))
    assert text.startswith("工作簿解压后超过2MB，已拒绝读取")


def test_the_upload_page_refuses_a_bomb_over_its_own_limit(staff_client):
    bomb = workbooks.shared_strings_bomb(WEB_LIMITS.unpacked_bytes + 1024 * 1024)
    bomb.name = "bomb.xlsx"
    response = staff_client.post(reverse("import_workbook"), {"file": bomb})
    text = response.content.decode()
    assert response.status_code == 200
    assert "工作簿解压后超过64MB，已拒绝读取" in text and "manage.py import_workbook" in text
    assert "import-error-table" not in text


def test_a_part_that_unpacks_to_more_than_it_declares_is_stopped():
    """Only declared sizes are counted before unpacking: a part that lies is cut at what it declares
    and fails its checksum."""
    sheet = workbooks.sheet_xml([["姓名"]] + [["张三"]] * 5000)
    data = workbooks.xlsx_bytes({"党员": sheet}).getvalue()
    lying = workbooks.with_declared_size(data, "xl/worksheets/sheet1.xml", 1000)
    assert "工作簿已损坏" in only_sentence(importing.import_workbook(lying))


def test_many_small_shared_strings_are_capped():
    text = only_sentence(
        importing.import_workbook(workbooks.many_small_strings(5000), limits=Limits(shared_strings=1000))
    )
    assert text == "工作簿中不同的文字超过1000条，已拒绝读取（可能是恶意构造的文件）。"


def test_a_declared_dimension_is_ignored_and_a_cell_in_the_last_row_read_at_once(committee):
    """A1:XFD1048576 with one cell in row 1,048,576: read as one row, reported with its number."""
    header = ["姓名", "性别", "公民身份号码", "所在党组织", "人员类别", "党员类别", "入党日期"]
    sheet = workbooks.sheet_xml([header, (1048576, ["张三"])], dimension="A1:XFD1048576")
    report = importing.import_workbook(workbooks.xlsx_bytes({"党员": sheet}))
    assert not report.stored
    assert {e.row for e in report.errors} == {1048576}
    assert "“党员”表第1048576行“性别”列：不能为空。" in [str(e) for e in report.errors]
    assert report.previews["党员"].total == 1


def test_the_hostile_dimension_workbook_of_the_audit_is_answered(committee):
    report = importing.import_workbook(workbooks.huge_dimension())
    assert not report.stored and report.errors
    assert all(e.row in (1, 1048576) for e in report.errors)


def test_rows_past_the_limit_stop_the_reading():
    text = only_sentence(importing.import_workbook(workbooks.endless_rows(5000), limits=Limits(rows=1000)))
    assert text == "工作簿超过1000行数据（到“党员”表第1002行时），一次最多导入1000行：请分成几个文件导入。"


def test_rows_are_counted_over_all_sheets(committee):
    sheets = {
        "党组织": workbooks.sheet_xml([["组织名称"]] + [["甲"]] * 6),
        "党员": workbooks.sheet_xml([["姓名"]] + [["张三"]] * 6),
    }
    text = only_sentence(importing.import_workbook(workbooks.xlsx_bytes(sheets), limits=Limits(rows=10)))
    assert "到“党员”表第6行时" in text


def test_the_upload_page_sends_a_big_workbook_to_a_background_job(staff_client):
    """More rows than the page reads within a request: a background job (jiguan.jobs) reads it all
    with the command's limits and says what is wrong with it (here: its one column is 姓名)."""
    from jiguan.models import Job

    upload = workbooks.endless_rows(WEB_MAX_ROWS + 10)
    upload.name = "big.xlsx"
    response = staff_client.post(reverse("import_workbook"), {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job", args=[job.pk])
    assert (job.kind, job.input_name, job.status) == ("import_check", "big.xlsx", "FAILED")
    assert (
        job.message == "发现6处错误，未导入任何数据。"
    )  # the 党员 sheet's six missing columns, not its size
    assert job.result["error_count"] == 6
    assert all(e["row"] == 1 for e in job.result["errors"])


def test_a_value_past_the_last_column_read_is_refused():
    text = only_sentence(importing.import_workbook(workbooks.wide_rows(3)))
    assert text == "“党员”表第1行第65列有内容，超出了读取上限：每张表最多读取64列，请删去多余的列后再导入。"


def test_empty_styled_cells_far_right_are_harmless():
    """Excel writes formatted empty cells (<c r="XFD2" s="1"/>): no value, no refusal."""
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{workbooks.MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="XFD1" s="1"/></row>'
        "</sheetData></worksheet>"
    )
    with open_workbook(workbooks.xlsx_bytes({"党员": sheet})) as workbook:
        assert list(workbook.rows("党员")) == [(1, ["姓名"])]


def test_nothing_is_stored_when_a_later_sheet_is_unreadable(committee):
    sheets = {
        "党组织": workbooks.sheet_xml(
            [
                ["组织名称", "组织类别", "上级组织", "成立日期"],
                ["新设党支部", "党支部", committee.name, "2020-01-01"],
            ]
        ),
        "党员": "<worksheet><sheetData><row>",
    }
    text = only_sentence(importing.import_workbook(workbooks.xlsx_bytes(sheets)))
    assert "“党员”表已损坏" in text
    assert not Organization.objects.filter(name="新设党支部").exists()
    assert Member.objects.count() == 0


def test_the_upload_page_answers_a_broken_file_with_one_sentence(staff_client):
    upload = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000)
    upload.name = "old.xlsx"
    response = staff_client.post(reverse("import_workbook"), {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "该文件是旧版Excel（.xls）格式，请在Excel中另存为.xlsx格式后再上传。未导入任何数据。" in text
    assert "import-error-table" not in text


def test_the_command_answers_a_broken_file_with_one_sentence(tmp_path, capsys):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError, match="发现1处错误，未导入任何数据。"):
        call_command("import_workbook", str(path))
    assert (
        capsys.readouterr().err.strip()
        == "该文件不是Excel工作簿（.xlsx），或已损坏，请上传.xlsx格式的工作簿。"
    )


def test_dates_in_the_chinese_builtin_formats_are_read_as_dates():
    """numFmtId 31 is yyyy"年"m"月"d"日" in Chinese Excel; 44378 is 2021-07-01."""
    styles = (
        f'<?xml version="1.0"?><styleSheet xmlns="{workbooks.MAIN}"><cellXfs count="2">'
        '<xf numFmtId="0"/><xf numFmtId="31"/></cellXfs></styleSheet>'
    )
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{workbooks.MAIN}"><sheetData>'
        '<row r="1"><c r="A1" s="1"><v>44378</v></c><c r="B1"><v>44378</v></c><c r="C1"><v>2.5</v></c></row>'
        "</sheetData></worksheet>"
    )
    with open_workbook(workbooks.xlsx_bytes({"党员": sheet}, styles=styles)) as workbook:
        assert list(workbook.rows("党员")) == [(1, [datetime.datetime(2021, 7, 1), 44378, 2.5])]


def test_damaged_copies_of_a_good_workbook_are_read_or_refused_in_chinese(settings):
    """Bytes of the sample workbook changed at fixed places (seeded, the same every run): every copy
    is either read or answered with a WorkbookError, never another exception."""
    import random

    from jiguan.xlsx_reader import WorkbookError

    data = (settings.BASE_DIR / "tests" / "fixtures" / "import-sample.xlsx").read_bytes()
    rng = random.Random(12)
    refused = 0
    for _ in range(150):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.2:
            damaged = damaged[: rng.randrange(len(damaged))]
        try:
            with open_workbook(io.BytesIO(bytes(damaged))) as workbook:
                for name in workbook.sheet_names:
                    list(workbook.rows(name))
        except WorkbookError as exc:
            refused += 1
            assert str(exc).endswith("。") and not any(w in str(exc) for w in NOT_ALLOWED_IN_MESSAGES)
    assert refused > 30


def test_empty_formatted_cells_are_counted():
    """<c s="1"/> holds no value and meets neither the row nor the column limit; the count of XML
    elements bounds the time spent on them."""
    report = importing.import_workbook(workbooks.empty_formatted_cells(5000), limits=Limits(elements=1000))
    assert only_sentence(report).startswith(
        "工作簿的单元格过多（含空白但带格式的单元格，超过1000个XML元素），已拒绝读取"
    )


def test_the_web_limit_of_elements_leaves_room_for_its_rows():
    """A legitimate workbook at the web's row limit, 12 columns of text, stays well under it."""
    per_row = 1 + 12 * 3  # <row>, and <c><is><t> per cell
    assert WEB_MAX_ROWS * per_row < WEB_LIMITS.elements

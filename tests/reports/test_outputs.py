"""The summary as PDF, workbook and HTML, from the web and from `manage.py annual_report`."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from jiguan.pdf import FALLBACK_FAMILIES
from reports import outputs
from reports.charts import CHART_TITLES, FONT_FAMILY
from reports.metrics import metric_codes
from reports.outputs import build_summary, pdf_bytes, workbook_bytes
from reports.services import annual_report_save
from tests.reports import county
from tests.reports.county import EXPECTED_2021
from tests.reports.test_metrics import metrics_md_codes
from tests.reports.test_pdf_format import fc_match, font_cmap, font_is_embedded, is_a4, iter_fonts


@pytest.fixture
def built(committee, branch_a, group_a, branch_b):
    return county.build(committee, branch_a, group_a, branch_b)


def test_pdf_is_a4_with_embedded_fonts_and_the_numbers(built):
    reader = PdfReader(io.BytesIO(pdf_bytes(build_summary(built.committee, 2021))))
    assert len(reader.pages) >= 2
    assert all(is_a4(page) for page in reader.pages)
    fonts = [font for page in reader.pages for font in iter_fonts(page.get("/Resources"))]
    assert fonts and all(font_is_embedded(font) for font in fonts)
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "全年开展工委理论学习中心组学习活动3次" in text
    assert "党工通〔2021〕3号、党工通〔2021〕5号" in text
    assert "2021年6月28日组织纳新党员集中宣誓" in text
    assert "{{" not in text


def test_pdf_has_no_missing_glyphs(built):
    """Every character of the report is in the body font (no empty boxes), and comes back out of
    the PDF's text (a .notdef glyph would not)."""
    summary = build_summary(built.committee, 2021)
    printed = summary.title + "".join(
        p.text for block in summary.blocks for p in [*block.head, *block.pieces]
    )
    needed = {c for c in printed if ord(c) > 127 and not c.isspace()}
    path, index, _family = fc_match(FALLBACK_FAMILIES["body"])
    cmap = font_cmap(path, index)
    assert not sorted(c for c in needed if ord(c) not in cmap)
    reader = PdfReader(io.BytesIO(pdf_bytes(summary)))
    extracted = set("".join(page.extract_text() for page in reader.pages))
    assert not sorted(needed - extracted)


def test_pdf_ends_with_the_dashboard_charts_as_captioned_figures(built, monkeypatch):
    """附图: the five charts of the dashboard, one caption each, on pages of their own after the
    text; their labels are text in an embedded font with every glyph present."""
    summary = build_summary(built.committee, 2021)
    figures = outputs.summary_figures(summary)
    reader = PdfReader(io.BytesIO(pdf_bytes(summary)))
    monkeypatch.setattr(outputs, "summary_figures", lambda summary: [])
    text_only = PdfReader(io.BytesIO(pdf_bytes(summary)))
    assert len(reader.pages) >= len(text_only.pages) + 2
    assert all(is_a4(page) for page in reader.pages)
    fonts = [font for page in reader.pages for font in iter_fonts(page.get("/Resources"))]
    assert fonts and all(font_is_embedded(font) for font in fonts)
    figure_pages = reader.pages[len(text_only.pages) :]
    text = "".join(page.extract_text() for page in figure_pages).replace("\n", "").replace(" ", "")
    assert text.startswith("附图")
    assert [f.caption for f in figures] == [
        f"图{n} {title}" for n, title in enumerate(CHART_TITLES.values(), 1)
    ]
    positions = [text.index(f.caption.replace(" ", "")) for f in figures]
    assert positions == sorted(positions)  # in order
    labels = {c for f in figures for run in re.findall(r">([^<>]+)</", str(f.svg)) for c in run.strip()}
    needed = {c for c in labels if ord(c) > 127}
    assert {"按", "要", "求", "党", "支", "部", "岁"} <= needed
    path, index, _family = fc_match(FONT_FAMILY)
    assert not sorted(c for c in needed if ord(c) not in font_cmap(path, index))
    assert not sorted(needed - set(text))


def test_the_report_page_and_html_file_show_the_figures(built):
    summary = build_summary(built.committee, 2021)
    html = outputs.html_document(summary)
    assert html.index("<h2>附图</h2>") > html.index("</h1>")
    for number, title in enumerate(CHART_TITLES.values(), 1):
        assert f"<figcaption>图{number} {title}</figcaption>" in html
    assert html.count("<svg") == len(CHART_TITLES)


def test_pdf_survives_pasted_word_text_and_very_long_paragraphs(built, staff):
    text = (
        "一、<b>粘贴</b>的标题\x0c\n"
        + "（一）很长。"
        + "很长的段落" * 2000
        + "\n"
        + "A" * 3000
        + "\n{% load static %}{{ orgs_total }}"
    )
    annual_report_save(actor=staff, organization=built.committee, year=2021, title="测试总结", text=text)
    reader = PdfReader(io.BytesIO(pdf_bytes(build_summary(built.committee, 2021))))
    assert len(reader.pages) > 5
    whole = "".join(page.extract_text() for page in reader.pages)
    assert "<b>粘贴</b>" in whole and "{% load static %}6" in whole.replace("\n", "")


def test_workbook_indicator_sheet(built):
    workbook = load_workbook(io.BytesIO(workbook_bytes(build_summary(built.committee, 2021))))
    assert workbook.sheetnames[0] == "指标"
    sheet = workbook["指标"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("代码", "名称", "数值", "上年", "说明")
    assert [row[0] for row in rows[1:]] == metrics_md_codes() == metric_codes()
    by_code = {row[0]: row for row in rows[1:]}
    assert isinstance(by_code["oath_date"][2], datetime.datetime)
    assert by_code["oath_date"][2].date() == datetime.date(2021, 6, 28)
    # The exact value (4,145.67 yuan), shown with every digit it has; the text prints 0.41.
    assert by_code["condolence_amount_wan"][2] == pytest.approx(0.414567)
    money = next(row for row in sheet.iter_rows() if row[0].value == "condolence_amount_wan")[2]
    assert money.number_format == "0.00####"
    for code, expected in EXPECTED_2021.items():
        if code not in ("oath_date", "condolence_amount_wan") and not code.startswith("dues_"):
            assert by_code[code][2] == expected and isinstance(by_code[code][2], int), code
    assert by_code["central_group_study_sessions"][3] == 1  # 31 December 2020
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width > 10
    # 说明 is for the people who read the workbook: the Chinese definition, not the code's docstring.
    assert by_code["orgs_total"][4] == "12月31日存续的下级机关党委、党总支部、党支部个数（不含本组织）。"


def test_workbook_tables_behind_the_numbers(built):
    workbook = load_workbook(io.BytesIO(workbook_bytes(build_summary(built.committee, 2021))))
    assert workbook.sheetnames == [
        "指标",
        "党组织按类别",
        "党员按类别和状态",
        "党员结构",
        "活动按类型和月份",
        "三会一课",
        "组织变动",
        "表彰",
        "纪念章",
        "党费收缴",
    ]
    kinds = {row[0]: row[1] for row in workbook["党组织按类别"].iter_rows(min_row=2, values_only=True)}
    assert kinds["党支部"] == 4
    changes = list(workbook["组织变动"].iter_rows(min_row=2, values_only=True))
    assert {row[2] for row in changes} >= {"更名", "调整隶属关系", "新设立", "撤销"}
    assert len(list(workbook["表彰"].iter_rows(min_row=2))) == 9
    assert [row[0] for row in workbook["纪念章"].iter_rows(min_row=2, values_only=True)] == ["张三"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title


def test_workbook_rhythm_sheet_is_the_rhythm_table(built):
    """The 三会一课 sheet is activities.rhythm's table (the rhythm page and the dashboard's): a group
    meeting counts for its branch, and every period of a past year has ended."""
    county.activity(built.group_a, "GROUP_MEETING", datetime.date(2021, 2, 3))
    county.activity(built.branch_a, "COMMITTEE_MEETING", datetime.date(2021, 2, 4))
    county.activity(built.branch_a, "COMMITTEE_MEETING", datetime.date(2021, 2, 24))
    summary = build_summary(built.committee, 2021)
    workbook = load_workbook(io.BytesIO(workbook_bytes(summary)))
    rows = list(workbook["三会一课"].iter_rows(values_only=True))
    assert rows[0] == (
        "党支部",
        "活动类型",
        *[f"{m}月" for m in range(1, 13)],
        "合计",
        "要求",
        "已开展",
        "缺项",
        "缺项期间",
    )
    by_key = {(row[0], row[1]): row for row in rows[1:]}
    group = by_key[("甲局机关党支部", "党小组会")]
    assert group[3] == 1 and group[14] == 1 and group[15] == "每月"
    assert group[16] == 1 and group[17] == 11 and group[18].startswith("1月、3月、")
    committee_meetings = by_key[("甲局机关党支部", "支部委员会")]
    assert committee_meetings[3] == 2 and committee_meetings[16] == 1
    assert ("乙局机关第一党支部", "党小组会") not in by_key  # a branch without groups owes none
    assert by_key[("乙局机关第一党支部", "组织生活会")][15] == "每年"
    table = {(b.organization.name, r.requirement.label): r for b in summary.scope.rhythm for r in b.rows}
    assert set(by_key) == set(table)


def test_a_year_without_data_still_makes_every_file(committee, tmp_path):
    for file_format in ("pdf", "xlsx", "html"):
        path = tmp_path / f"r.{file_format}"
        call_command("annual_report", year=1990, file_format=file_format, output=str(path))
        assert path.stat().st_size > 500


def test_command_writes_each_format(built, tmp_path):
    call_command("annual_report", "--year", "2021", "--format", "xlsx", "--output", str(tmp_path / "r.xlsx"))
    assert load_workbook(tmp_path / "r.xlsx")["指标"]["A2"].value == "central_group_study_sessions"
    call_command(
        "annual_report",
        "--year",
        "2021",
        "--org",
        "甲局机关党支部",
        "--format",
        "html",
        "--output",
        str(tmp_path / "r.html"),
    )
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "甲局机关党支部2021年工作总结" in html
    call_command("annual_report", "--year", "2021", "--format", "pdf", "--output", str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--year", "2021", "--org", "不存在的支部"], "没有找到名为“不存在的支部”的党组织"),
        (["--year", "1800"], "超出范围"),
        (["--year", "2999"], "超出范围"),
    ],
)
def test_command_refuses_bad_input(committee, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", *arguments, "--format", "pdf", "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_every_sheet_of_the_workbook_prints_on_a4_fitted_to_width_with_its_header_repeated(built):
    """Issue 10: the 指标 sheet prints on A4 landscape, fitted to the width, its header on every
    page; every other sheet prints just as readably (portrait when its columns fit)."""
    workbook = load_workbook(io.BytesIO(workbook_bytes(build_summary(built.committee, 2021))))
    for sheet in workbook:
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert "&P" in sheet.oddFooter.center.text, sheet.title
    assert workbook["指标"].page_setup.orientation == "landscape"
    assert workbook["三会一课"].page_setup.orientation == "landscape"
    assert workbook["党组织按类别"].page_setup.orientation == "portrait"
    # A long 说明 wraps in its column and its row is as tall as its lines.
    sheet = workbook["指标"]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "probationary_admitted")
    assert row[4].alignment.wrap_text and sheet.column_dimensions["E"].width <= 40
    assert sheet.row_dimensions[row[4].row].height >= 45

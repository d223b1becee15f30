"""Leadership opens the dashboard in Chromium, follows a number to its records, and downloads the
annual report as PDF and as a workbook."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports import county

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def built(committee, branch_a, group_a, branch_b):
    return county.build(committee, branch_a, group_a, branch_b)


def test_leadership_follows_a_number_and_downloads_the_report(page, built, leader, signed_in):
    signed_in(page, "leader")
    page.click("#home-dashboard-link")
    assert page.inner_text("h1").startswith("领导看板")
    page.select_option("#id_year", "2021")
    page.click("#dashboard-filter button[type=submit]")
    page.wait_for_load_state()

    card = page.locator('#key-numbers [data-code="central_group_study_sessions"]')
    assert card.locator("a.value").inner_text() == "3"  # tests/reports/county.py, by hand
    assert "2020年：1" in card.inner_text() and "+2" in card.inner_text()
    charts = page.locator("#charts svg")
    assert charts.count() == 5
    assert "党组织按类别" in page.locator("#chart-organizations_by_kind").inner_text()

    card.locator("a.value").click()
    page.wait_for_load_state()
    assert page.inner_text("#metric-value") == "3"
    assert page.locator("table tbody tr").count() == 3
    page.go_back()
    page.wait_for_load_state()

    with page.expect_download() as download:
        page.click("text=下载 PDF")
    pdf = download.value
    assert pdf.suggested_filename.endswith("2021年工作总结.pdf")
    reader = PdfReader(pdf.path())
    assert len(reader.pages) >= 1
    assert "理论学习中心组" in "".join(p.extract_text() for p in reader.pages)

    with page.expect_download() as download:
        page.click("text=下载工作簿")
    xlsx = download.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(open(xlsx.path(), "rb").read()))  # the saved file has no extension
    sheet = workbook.worksheets[0]
    assert sheet.title == "指标"
    values = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["central_group_study_sessions"] == 3

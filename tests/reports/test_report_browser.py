"""Leadership opens the report, follows a number to its records, downloads the PDF and the
workbook; staff see the editor's live preview."""

import pytest

from tests.reports import county

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leadership_follows_a_number_and_downloads(
    page, signed_in, leader, committee, branch_a, group_a, branch_b
):
    county.build(committee, branch_a, group_a, branch_b)
    signed_in(page, "leader")
    page.goto(f"/reports/{committee.pk}/2021/")
    page.click('#report-body a.metric[data-code="orgs_branches"]')
    assert page.inner_text("#metric-value") == "4"
    assert "县委办党支部" in page.inner_text("#records-table")
    page.go_back()
    with page.expect_download() as pdf:
        page.click("#download-pdf")
    assert pdf.value.suggested_filename.endswith(".pdf")
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    with page.expect_download() as xlsx:
        page.click("#download-xlsx")
    assert xlsx.value.suggested_filename.endswith(".xlsx")


def test_editor_preview_updates_as_staff_type(page, signed_in, staff, committee, branch_a):
    signed_in(page, "staff")
    page.goto(f"/reports/{committee.pk}/2021/edit/")
    page.fill("#id_text", "一、测试\n共有党支部{{ orgs_branches }}个{{ bad_code }}")
    # A locator, not wait_for_function: evaluating a string is refused by the page's policy (no eval).
    page.locator("#preview").filter(has_text="共有党支部1个").wait_for()
    assert "{{ bad_code }}" in page.inner_text("#preview-message")
    page.click("#report-form button[type=submit]")
    assert "无法识别的占位符" in page.inner_text("main")


def test_the_editor_inserts_a_number_chosen_by_its_chinese_name(page, signed_in, staff, committee, branch_a):
    """Issue 10: no typing codes by hand. The chooser lists the numbers by name; a click inserts the
    placeholder where the cursor was, 约数 adds |余, and the preview fills the number in."""
    signed_in(page, "staff")
    page.goto(f"/reports/{committee.pk}/2021/edit/")
    page.fill("#id_text", "共有党支部个。")
    page.locator("#id_text").evaluate("box => box.setSelectionRange(5, 5)")  # after 共有党支部
    page.fill("#metric-search", "党支部个数")
    options = page.locator("#metric-options [role=option]:visible")
    assert "党支部个数" in options.all_inner_texts()
    options.filter(has_text="党支部个数").first.click()
    assert page.input_value("#id_text") == "共有党支部{{ orgs_branches }}个。"
    page.locator("#preview").filter(has_text="共有党支部1个").wait_for()
    page.check("#metric-approx")
    page.fill("#metric-search", "党员总数")
    page.keyboard.press("Enter")  # the first match, and the form is not submitted
    assert page.input_value("#id_text") == "共有党支部{{ orgs_branches }}{{ members_total|余 }}个。"
    assert "/edit/" in page.url

"""Committee staff found, rename and dissolve an organization in Chromium, and see it in the tree."""

import pytest

from tests.picking import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_founds_renames_and_dissolves_a_branch(page, staff, committee, branch_a, signed_in):
    signed_in(page, "staff")
    page.goto("/organizations/")
    page.click("text=新设立党组织")
    page.select_option("#id_kind", "BRANCH")
    page.fill("#id_name", "丙局机关党支部")
    page.fill("#id_founded_on", "2020-03-01")
    pick(page, "#id_parent", "gw", "中共测试县委县直机关工委")
    page.click("main form button[type=submit]")
    assert "已新设立“丙局机关党支部”" in page.inner_text("main")

    page.goto("/organizations/")
    tree = page.locator("#org-tree")
    assert tree.get_by_role("link", name="丙局机关党支部").is_visible()
    # Collapse the committee's node: its children are hidden, then shown again.
    summary = tree.locator("details > summary").first
    summary.click()
    assert not tree.get_by_role("link", name="丙局机关党支部").is_visible()
    summary.click()
    tree.get_by_role("link", name="丙局机关党支部").click()

    page.click("#org-actions >> text=更名")
    page.fill("#id_new_name", "丙局第一党支部")
    page.fill("#id_date", "2025-01-01")
    page.click("main form button[type=submit]")
    assert "已更名为“丙局第一党支部”" in page.inner_text("main")
    assert "由“丙局机关党支部”更名为“丙局第一党支部”" in page.inner_text("#timeline")

    page.goto("/organizations/")
    assert "丙局第一党支部" in page.inner_text("#org-tree")
    page.goto("/organizations/?date=2024-06-01")
    assert "丙局机关党支部" in page.inner_text("#org-tree")

    page.goto("/organizations/")
    page.locator("#org-tree").get_by_role("link", name="丙局第一党支部").click()
    page.click("#org-actions >> text=撤销")
    page.fill("#id_date", "2025-06-01")
    page.click("main form button[type=submit]")
    assert "已撤销" in page.inner_text("h1")

    page.goto("/organizations/")
    assert "丙局第一党支部" not in page.inner_text("#org-tree")
    assert "甲局机关党支部" in page.inner_text("#org-tree")

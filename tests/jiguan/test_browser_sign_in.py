"""Each role signs in through the real page in Chromium and sees its own navigation."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def nav_labels(page):
    return page.locator("#nav-items a").all_inner_texts()


def test_staff_sees_account_management(page, staff, signed_in):
    signed_in(page, "staff")
    assert "您好，工委干事" in page.inner_text("h1")
    labels = nav_labels(page)
    assert labels == [
        "首页",
        "党组织",
        "党员",
        "党费",
        "组织生活",
        "清单与发文",
        "廉政与考评",
        "年度报告",
        "数据导入",
        "账号管理",
    ]
    page.click("text=账号管理")
    assert page.inner_text("h1") == "账号管理"


def test_secretary_sees_their_organization_only(page, secretary, branch_b, signed_in):
    signed_in(page, "secretary")
    labels = nav_labels(page)
    assert "账号管理" not in labels and "数据导入" not in labels
    assert "清单与发文" in labels  # the committee's documents are sent to every organization
    assert "甲局机关党支部" in page.inner_text("#who")
    page.goto(f"/organizations/{branch_b.pk}/")
    assert "没有找到" in page.inner_text("#error-message")


def test_leadership_reads_without_account_management(page, leader, signed_in):
    signed_in(page, "leader")
    labels = nav_labels(page)
    assert "年度报告" in labels and "账号管理" not in labels
    page.goto("/accounts/")
    assert "只有工委工作人员" in page.inner_text("#error-message")


def test_wrong_password_shows_the_reason(page, staff, signed_in):
    signed_in(page, "staff", "not-the-password")
    assert "用户名或密码不正确" in page.inner_text(".alert-danger")


def test_phone_sized_screen_collapses_the_navigation(phone_page, secretary, signed_in):
    signed_in(phone_page, "secretary")
    assert not phone_page.locator("#nav-items").is_visible()
    phone_page.click(".navbar-toggler")
    phone_page.locator("#nav-items").wait_for(state="visible")
    assert phone_page.locator("#nav-items a", has_text="党员").is_visible()

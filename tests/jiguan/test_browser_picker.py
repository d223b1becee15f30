"""The organization picker in Chromium (jiguan/static/jiguan/picker.js): typing searches the tree by
name and pinyin initials, a click or the keyboard picks, a change of the record's date asks again
(names as of that day; a chosen organization that did not exist then is taken out), and the
联合开展党组织 field picks several. On a 390-px phone too."""

import datetime

import pytest

from activities.models import Activity
from organizations import services
from organizations.models import Kind
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def tree(staff, committee, branch_a, branch_b):
    health = OrganizationFactory(kind=Kind.BRANCH, name="卫生健康局机关第一党支部", parent=committee)
    services.organization_rename(
        actor=staff, organization=health, new_name="卫健局机关第一党支部", date=D(2024, 1, 1)
    )
    services.organization_dissolve(actor=staff, organization=branch_b, date=D(2024, 6, 1))
    for n in range(30):
        OrganizationFactory(kind=Kind.BRANCH, name=f"交通运输局第{n}党支部", parent=committee)
    return health


def settled(page, selector):
    """Wait until the list shows the answer to what the box holds now (a search per keystroke)."""
    page.wait_for_function(
        """selector => {
            const box = document.querySelector(selector), list = document.querySelector(selector + "_listbox");
            return !list.hidden && !list.hasAttribute("aria-busy") && list.dataset.query === box.value.trim();
        }""",
        arg=selector,
    )
    return page.locator(f"{selector}_listbox")


def options(page, selector):
    return settled(page, selector).locator("[role=option] .picker-name").all_inner_texts()


def test_type_pick_change_the_date_and_pick_several(page, signed_in, staff, branch_a, branch_b, tree):
    signed_in(page, "staff")
    page.goto("/activities/new/?kind=THEME_DAY")
    page.fill("#id_date", "2023-05-04")
    page.locator("#id_date").dispatch_event("change")

    # Pinyin initials, with the name the branch had on that day.
    box = page.locator("#id_organization")
    box.press_sequentially("wsj")
    assert options(page, "#id_organization") == ["卫生健康局机关第一党支部"]
    assert box.get_attribute("aria-expanded") == "true"
    # The keyboard picks: down to the option, Enter.
    box.press("ArrowDown")
    active = page.locator("#id_organization_listbox [aria-selected=true]")
    assert box.get_attribute("aria-activedescendant") == active.get_attribute("id")
    box.press("Enter")
    # Picking reloads the entry page offering the organization's members (the date kept).
    page.wait_for_url(f"**/activities/new/?*organization={tree.pk}*")
    assert page.locator("#id_date").input_value() == "2023-05-04"
    assert page.locator("#id_organization").input_value() == "卫生健康局机关第一党支部"

    # Several organizations join: each picked one becomes a removable chip.
    joined = page.locator("#id_joined_organizations")
    joined.press_sequentially("乙局")
    settled(page, "#id_joined_organizations").locator("[role=option]", has_text="乙局机关党支部").click()
    joined.press_sequentially("jtys")
    assert len(options(page, "#id_joined_organizations")) == 20  # the first 20 of 30
    assert "请输入更多字" in page.locator("#row-joined_organizations .picker-status").inner_text()
    joined.press_sequentially("jd1")  # "jtysjd1": 交通运输局第1党支部, 第10 … 第19
    settled(page, "#id_joined_organizations").locator(
        "[role=option]", has_text="交通运输局第1党支部"
    ).first.click()
    joined.press_sequentially("甲局")
    settled(page, "#id_joined_organizations").locator("[role=option]", has_text="甲局机关党支部").click()
    chips = page.locator("#row-joined_organizations .picker-chip")
    assert chips.all_inner_texts() == ["乙局机关党支部", "交通运输局第1党支部", "甲局机关党支部"]
    page.get_by_role("button", name="移除甲局机关党支部").click()
    assert chips.count() == 2

    # A new date: 乙局 was dissolved on 1 June 2024, so it is taken out, and the organizing
    # branch is named as it was then.
    page.fill("#id_date", "2024-07-01")
    page.locator("#id_date").dispatch_event("change")
    page.wait_for_function(
        "() => document.querySelectorAll('#row-joined_organizations .picker-chip').length === 1"
    )
    assert chips.all_inner_texts() == ["交通运输局第1党支部"]
    assert "乙局机关党支部" in page.locator("#row-joined_organizations .picker-status").inner_text()
    page.wait_for_function(
        "() => document.getElementById('id_organization').value === '卫健局机关第一党支部'"
    )
    # and a search on that day no longer finds it
    joined.press_sequentially("乙局")
    assert options(page, "#id_joined_organizations") == []
    assert settled(page, "#id_joined_organizations").locator(".picker-empty").is_visible()

    # A name left typed but not picked is looked up on saving: 乙局 existed no more, so it is refused.
    page.fill("#id_title", "联合主题党日")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "没有找到名为“乙局”的党组织" in page.inner_text("#row-joined_organizations")
    assert page.locator("#row-joined_organizations .picker-chip").all_inner_texts() == ["交通运输局第1党支部"]
    page.locator("#id_joined_organizations").fill("")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/activities/*/")
    activity = Activity.objects.get()
    assert activity.organization == tree and activity.date == D(2024, 7, 1)
    assert [o.name for o in activity.joined_organizations.all()] == ["交通运输局第1党支部"]


def test_on_a_phone_the_picker_fits_and_a_tap_picks(phone_page, signed_in, secretary, branch_a, group_a):
    page = phone_page
    signed_in(page, "secretary")
    page.goto("/members/new/")
    page.fill("#id_admitted_on", "2020-07-01")
    box = page.locator("#id_organization")
    box.tap()
    # An empty box lists what the secretary may choose (their branch and its group), nothing else.
    assert options(page, "#id_organization") == ["甲局机关党支部", "甲局第一党小组"]
    listbox = page.locator("#id_organization_listbox").bounding_box()
    width = page.evaluate("window.innerWidth")
    assert listbox["x"] >= 0 and listbox["x"] + listbox["width"] <= width
    option = settled(page, "#id_organization").locator("[role=option]").first
    assert option.bounding_box()["height"] >= 44  # a thumb's target
    option.tap()
    assert box.input_value() == "甲局机关党支部"
    assert page.locator("#id_organization_value").input_value() == str(branch_a.pk)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

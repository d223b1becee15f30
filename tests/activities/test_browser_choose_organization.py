"""Staff pick the organizing organization and the page offers that organization's members."""

import pytest

from tests.activities.helpers import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_the_organization_offers_its_members(page, signed_in, staff, branch_a, branch_b):
    make_member(branch_a, "甲支部党员")
    make_member(branch_b, "乙支部党员")
    signed_in(page, "staff")
    page.goto("/activities/new/?kind=THEME_DAY")
    assert page.locator("#id_attendees").count() == 0

    page.select_option("#id_organization", str(branch_a.pk))
    page.wait_for_url(f"**/activities/new/?*organization={branch_a.pk}*")

    attendees = page.locator("#id_attendees")
    assert "甲支部党员" in attendees.inner_text()
    assert "乙支部党员" not in attendees.inner_text()
    assert page.locator("#id_kind").input_value() == "THEME_DAY"

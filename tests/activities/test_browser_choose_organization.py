"""Staff pick the organizing organization and the page offers that organization's members."""

import pytest

from tests.activities.helpers import make_member
from tests.picking import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_the_organization_offers_its_members(page, signed_in, staff, branch_a, branch_b):
    make_member(branch_a, "甲支部党员")
    make_member(branch_b, "乙支部党员")
    signed_in(page, "staff")
    page.goto("/activities/new/?kind=THEME_DAY")
    assert page.locator("#id_attendees").count() == 0

    page.fill("#id_date", "2025-05-01")
    pick(page, "#id_organization", "甲局", "甲局机关党支部")
    page.wait_for_url(f"**/activities/new/?*organization={branch_a.pk}*")
    assert page.locator("#id_date").input_value() == "2025-05-01"  # the date typed is kept

    attendees = page.locator("#id_attendees")
    assert "甲支部党员" in attendees.inner_text()
    assert "乙支部党员" not in attendees.inner_text()
    assert page.locator("#id_kind").input_value() == "THEME_DAY"

"""A branch secretary on a phone records this month's 主题党日 with a photo and sees the month ticked."""

import pytest
from django.utils import timezone

from activities.models import Activity
from tests.activities.helpers import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secretary_records_a_theme_day_with_a_photo_and_the_month_is_ticked(
    phone_page, signed_in, secretary, branch_a, media_root
):
    page = phone_page
    today = timezone.localdate()
    signed_in(page, "secretary")

    owed = page.locator("#owed-this-month")
    assert "主题党日" in owed.inner_text()
    page.locator("#activities-panel").get_by_role("link", name="记录活动").click()

    page.select_option("#id_kind", "THEME_DAY")
    page.fill("#id_date", today.isoformat())
    page.fill("#id_title", "重温入党誓词主题党日")
    page.get_by_label("第一议题").check()
    page.fill("#id_expected_count", "9")
    page.fill("#id_attended_count", "8")
    page.set_input_files(
        "#id_attachments", {"name": "合影.png", "mimeType": "image/png", "buffer": png_bytes((64, 48))}
    )
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "重温入党誓词主题党日"
    photo = page.locator("#attachments img")
    assert photo.count() == 1
    assert photo.evaluate("img => img.naturalWidth") == 64  # the photo is served back, not a broken link
    assert Activity.objects.get().attachments.count() == 1

    page.get_by_role("link", name=f"{branch_a.name}三会一课记录").click()
    cell = page.locator(f"#rhythm-THEME_DAY-{today.month}")
    assert cell.get_attribute("data-status") == "HELD"
    assert "✓" in cell.inner_text()

    page.goto("/")
    assert "主题党日" not in page.locator("#owed-this-month").inner_text()

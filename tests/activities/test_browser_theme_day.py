"""A branch secretary on a phone records this month's 主题党日 with a photo and sees the month ticked."""

import pytest

from activities.models import Activity
from jiguan import dates
from tests.activities.helpers import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secretary_records_a_theme_day_with_a_photo_and_the_month_is_ticked(
    phone_page, signed_in, secretary, branch_a, media_root
):
    page = phone_page
    today = dates.today()
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


def test_on_a_phone_the_form_fits_and_shows_only_the_chosen_kinds_fields(
    phone_page, signed_in, secretary, branch_a, live_server
):
    from tests.activities.helpers import make_member

    make_member(branch_a, "张三")
    make_member(branch_a, "李四")
    page = phone_page
    signed_in(page, "secretary")
    page.goto(f"{live_server.url}/activities/new/?kind=THEME_DAY")

    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    assert not page.locator("#row-condolence_visits").is_visible()
    assert not page.locator("#id_volunteer_community").is_visible()

    page.select_option("#id_kind", "CONDOLENCE_VISIT")
    assert page.locator("#row-condolence_visits").is_visible()
    assert page.locator("#id_visits-0-member").is_visible()  # the first person's member picker
    assert not page.locator("#id_volunteer_community").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("button", name="全选").click()
    assert page.locator("input[name=attendees]:checked").count() == 2
    box = page.get_by_label("张三").bounding_box()
    assert box["height"] >= 18  # a checkbox a thumb can hit

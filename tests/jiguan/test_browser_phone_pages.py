"""A branch secretary's pages fit a phone: nothing runs off the right edge of a 390-pixel screen.

A page wider than the screen makes a phone browser zoom the whole page out (window.innerWidth grows
past 390), so the test checks both the page's width and that the screen was not zoomed out.
"""

import pytest
from django.core.management import call_command

from activities.models import Activity, LetterStatus, ReminderLetter, ResponsibilityItem
from jiguan.demo import DEMO_PASSWORD
from jiguan.models import User
from members.models import Member, Prospect
from organizations.scoping import organization_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PHONE_WIDTH = 390

# Table cells squeezed to a column of one or two characters a line (issue 10): three lines or more
# of text in a cell narrower than 2.6 characters.
SQUEEZED_CELLS = """() => Array.from(document.querySelectorAll('td, th')).filter(cell => {
  const box = cell.getBoundingClientRect();
  const text = cell.innerText.trim();
  if (!box.width || text.length < 3) return false;
  const size = parseFloat(getComputedStyle(cell).fontSize);
  return box.width < size * 2.6 && box.height >= size * 3.2;
}).map(cell => cell.innerText.trim().slice(0, 12))"""


def _secretary_pages():
    secretary = User.objects.get(username="shuji")
    branch = organization_of(secretary)
    item = ResponsibilityItem.objects.filter(responsible_organization=branch).first()
    year = Activity.objects.filter(organization=branch).latest("date").date.year
    pages = {
        "首页": "/",
        "本组织": f"/organizations/{branch.pk}/",
        "党员名册": "/members/",
        "党员": f"/members/{Member.objects.filter(organization=branch).first().pk}/",
        "发展党员": "/members/prospects/",
        "入党申请人": f"/members/prospects/{Prospect.objects.filter(organization=branch).first().pk}/",
        "发展看板": f"/members/board/{branch.pk}/",
        "组织生活": "/activities/",
        "记录活动": "/activities/new/",
        "活动": f"/activities/{Activity.objects.filter(organization=branch).first().pk}/",
        "三会一课": f"/activities/rhythm/{branch.pk}/",
        "三会一课总览": "/activities/rhythm/",
        "清单与发文": "/activities/documents/",
        "提醒函": "/activities/letters/",
        "提醒函正文": f"/activities/letters/{ReminderLetter.objects.filter(addressee=branch, status=LetterStatus.ISSUED).first().pk}/",
        "清单事项": "/activities/items/",
        "责任清单": f"/activities/lists/{item.responsibility_list_id}/",
        "更新进度": f"/activities/items/{item.pk}/progress/",
        "年度报告": "/reports/",
        "工作总结": f"/reports/{branch.pk}/{year - 1}/",
        "数据检查": f"/reports/{branch.pk}/{year - 1}/readiness/",
        "廉政与考评": "/evaluations/",
        "廉政承诺书": "/integrity/commitments/",
        "风险防控表": "/integrity/risk-forms/",
        "双报到": "/integrity/community/",
        "书记述职": "/evaluations/reports/",
        "民主评议": f"/evaluations/appraisals/organization/{branch.pk}/",
    }
    return branch, pages


def test_a_secretarys_pages_fit_a_phone_screen(phone_page, signed_in):
    call_command("seed_demo")
    branch, pages = _secretary_pages()
    page = phone_page
    signed_in(page, "shuji", DEMO_PASSWORD)

    too_wide, squeezed = {}, {}
    for label, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, (label, url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (label, url)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width != [PHONE_WIDTH, PHONE_WIDTH]:
            too_wide[label] = width
        cells = page.evaluate(SQUEEZED_CELLS)
        if cells:
            squeezed[label] = cells
    assert too_wide == {}
    assert squeezed == {}


def test_on_a_phone_a_list_reads_as_cards_with_each_value_named(phone_page, signed_in):
    call_command("seed_demo")
    page = phone_page
    signed_in(page, "shuji", DEMO_PASSWORD)
    page.goto("/members/")
    first_row = page.locator(".table-container tbody tr").first
    box = first_row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH  # the whole row is on screen
    birth = first_row.locator("td[data-label='出生日期']")
    assert birth.is_visible()
    assert birth.evaluate("td => getComputedStyle(td, '::before').content") == '"出生日期"'
    assert not page.locator(".table-container thead").is_visible()


def test_on_a_phone_the_list_filters_fold_under_a_button_and_stay_open_on_a_desktop(phone_page, signed_in):
    call_command("seed_demo")
    page = phone_page
    signed_in(page, "shuji", DEMO_PASSWORD)
    for url, form in (("/members/", "#member-filter"), ("/activities/", "#activity-filter")):
        page.goto(url)
        assert not page.locator(form).is_visible(), url
        # The first card of the list is on the first screen, not below eight filter fields.
        assert page.locator(".table-container tbody tr").first.bounding_box()["y"] < 844, url
        page.get_by_role("button", name="筛选", exact=True).click()
        page.locator(form).wait_for(state="visible")

    page.goto("/activities/?kind=THEME_DAY")  # a filter is set: open at once, and says so
    assert page.locator("#activity-filter").is_visible()
    assert page.get_by_role("button", name="筛选（已设 1 项）").is_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/members/")
    assert page.locator("#member-filter").is_visible()
    assert not page.locator("[aria-controls='member-filter-fields']").is_visible()  # no fold button


def test_the_item_progress_form_lists_at_most_the_latest_thirty_activities(phone_page, signed_in):
    call_command("seed_demo")
    _, pages = _secretary_pages()
    page = phone_page
    signed_in(page, "shuji", DEMO_PASSWORD)
    page.goto(pages["更新进度"])
    assert page.locator("input[name='evidence_activities']").count() <= 31
    assert page.evaluate("document.documentElement.scrollHeight") < 3000

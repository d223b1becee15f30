"""The main pages keep to their Content-Security-Policy in a real browser: no inline script, no inline
event handler left over; the behaviours moved to static files still work."""

import pytest
from django.core.management import call_command

from activities.models import ActivityKind, LetterStatus, ReminderLetter
from jiguan.demo import DEMO_PASSWORD
from jiguan.models import User
from members.models import Member, Prospect
from organizations.models import Organization
from tests.jiguan.test_browser_phone_pages import _secretary_pages
from tests.picking import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation reaches the page as a securitypolicyviolation event (and Chromium also says so
# on the console); the script is injected by the browser itself, outside the page's policy.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


def _watch(page):
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(WATCH)
    return console


def _visit(page, pages, console):
    violations = {}
    for label, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, (label, url)
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("load")
        found = page.evaluate("window.__violations") + console[:]
        console.clear()
        if found:
            violations[label] = found
    return violations


def _staff_pages():
    organization = Organization.objects.filter(members__isnull=False).first()
    member = Member.objects.filter(organization=organization).first()
    year = max(organization.activities.dates("date", "year")).year
    draft = ReminderLetter.objects.filter(status=LetterStatus.DRAFT).first()
    return {
        "首页": "/",
        "组织树": "/organizations/",
        "党组织列表": "/organizations/list/",
        "任期": "/organizations/terms/",
        "单位": "/organizations/units/",
        "联系点": "/organizations/liaisons/",
        "党组织": f"/organizations/{organization.pk}/",
        "党员名册": "/members/",
        "党员": f"/members/{member.pk}/",
        "登记党员": "/members/new/",
        "发展党员": "/members/prospects/",
        "入党申请人": f"/members/prospects/{Prospect.objects.first().pk}/",
        "表彰": "/members/commendations/",
        "纪念章": "/members/medals/",
        "组织生活": "/activities/",
        "记录活动": "/activities/new/",
        "三会一课": "/activities/rhythm/",
        "文件": "/activities/documents/",
        "清单事项": "/activities/items/",
        "提醒函": "/activities/letters/",
        "提醒函草稿": f"/activities/letters/{draft.pk}/" if draft else "/activities/letters/",
        "年度报告": "/reports/",
        "领导看板": "/reports/dashboard/",
        "工作总结": f"/reports/{organization.pk}/{year}/",
        "编辑总结": f"/reports/{organization.pk}/{year}/edit/",
        "数据导入": "/import/",
        "账号管理": "/accounts/",
        "修改密码": "/password/",
        "变更记录": f"/history/{_content_type_id(member)}/{member.pk}/",
    }


def _content_type_id(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_the_main_pages_run_no_inline_script(page, signed_in):
    call_command("seed_demo")
    console = _watch(page)
    page.goto("/login/")
    assert page.evaluate("window.__violations") == []
    signed_in(page, "gongwei", DEMO_PASSWORD)
    assert _visit(page, _staff_pages(), console) == {}

    page.context.clear_cookies()
    signed_in(page, "shuji", DEMO_PASSWORD)
    _, pages = _secretary_pages()
    assert _visit(page, pages, console) == {}


def test_the_behaviours_moved_to_static_files_still_work(page, signed_in):
    call_command("seed_demo")
    console = _watch(page)
    signed_in(page, "gongwei", DEMO_PASSWORD)

    # The activity form shows the fields of the chosen kind only, and reloads for the organization.
    page.goto("/activities/new/")
    page.select_option("#id_kind", ActivityKind.CONDOLENCE_VISIT)
    assert page.locator("[data-kind='CONDOLENCE_VISIT']").first.is_visible()
    page.select_option("#id_kind", ActivityKind.THEME_DAY)
    assert not page.locator("[data-kind='CONDOLENCE_VISIT']").first.is_visible()
    organization = Organization.objects.filter(members__isnull=False).first()
    with page.expect_navigation():
        pick(page, "#id_organization", organization.name, organization.name)
    assert f"organization={organization.pk}" in page.url

    # The year picker submits itself.
    page.goto("/activities/rhythm/")
    years = page.locator("select#year option").all_inner_texts()
    with page.expect_navigation():
        page.select_option("select#year", label=years[-1])
    assert "year=" in page.url

    # A delete asks first; dismissing keeps the record.
    draft = ReminderLetter.objects.filter(status=LetterStatus.DRAFT).first()
    if draft is None:
        page.goto("/activities/letters/")
        page.get_by_role("button", name="生成提醒函草稿").click()
        draft = ReminderLetter.objects.filter(status=LetterStatus.DRAFT).first()
    page.goto(f"/activities/letters/{draft.pk}/")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-confirm] button[type=submit]").first.click()
    page.wait_for_timeout(300)
    assert questions == ["确定删除这份草稿？"]
    assert ReminderLetter.objects.filter(pk=draft.pk).exists()

    # The report editor's live preview still runs.
    year = max(organization.activities.dates("date", "year")).year
    page.goto(f"/reports/{organization.pk}/{year}/edit/")
    page.locator("#preview").filter(has_not_text="正在生成预览").wait_for()
    assert page.evaluate("window.__violations") == [] and console == []
    assert User.objects.get(username="gongwei").is_active

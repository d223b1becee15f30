"""Issue 9, done when: a county of our own with the edges of the year, entered by staff through the
web pages only (forms, pickers, buttons; no service or factory writes a record), gives the numbers
of METRICS.md, each counted by hand below.

The year is 2025, entered on 20 January 2026. R is the committee (a fixture, with the staff user);
everything else is typed in:

    R 中共测试县委县直机关工委
    ├── 教育局机关党委 (2015) ── 教育局第一党总支部 ── 第一中学党支部 ── 第一中学语文党小组
    │                         └── 卫健局党支部 (moved here from R on 1 July 2025)
    ├── 财政局机关党支部 (2010; renamed 财政局党支部 on 1 April 2025)
    ├── 数据局党支部 (founded 1 June 2025)
    ├── 商务局党总支部 (2012; dissolved 30 September 2025, its records entered afterwards)
    ├── 除夕成立党支部 (founded 31 December 2025)
    └── 除夕撤销党支部 (2010; dissolved 31 December 2025)
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import id_number_for
from tests.picking import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date


def submit(page, label="保存"):
    """Press the form's button and wait for the answer; the page must show no error."""
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()
    errors = page.locator(".invalid-feedback, form .alert-danger")
    assert errors.count() == 0, errors.all_inner_texts()


def set_date(page, selector, day):
    page.fill(selector, day.isoformat())
    page.locator(selector).dispatch_event("change")


def found(page, kind, name, founded_on, parent=None):
    """新设立党组织; returns the new organization's id (from the address of its page)."""
    page.goto("/organizations/new/")
    page.select_option("#id_kind", kind)
    page.fill("#id_name", name)
    set_date(page, "#id_founded_on", founded_on)
    if parent:
        pick(page, "#id_parent", parent, parent)
    submit(page, "新设立")
    assert page.locator("h1").inner_text().strip().startswith(name)
    return int(re.search(r"/organizations/(\d+)/", page.url).group(1))


def dissolve(page, org_id, day):
    page.goto(f"/organizations/{org_id}/")
    page.get_by_role("link", name="撤销", exact=True).click()
    set_date(page, "#id_date", day)
    submit(page, "撤销")


def add_member(page, name, organization, admitted_on, *, born=None, category="IN_SERVICE", confirmed_on=None):
    page.goto("/members/new/")
    page.fill("#id_name", name)
    page.select_option("#id_gender", "M")
    page.fill("#id_id_number", id_number_for(born or D(1990, 5, 1), "M"))
    page.select_option("#id_category", category)
    set_date(page, "#id_admitted_on", admitted_on)
    if confirmed_on:
        set_date(page, "#id_confirmed_on", confirmed_on)
    pick(page, "#id_organization", organization, organization)
    submit(page)


def add_prospect(page, name, organization, applied_on, steps):
    """登记入党申请人 (step 1), then each later step on the prospect's page, in order."""
    page.goto("/members/prospects/new/")
    page.fill("#id_name", name)
    page.select_option("#id_gender", "F")
    page.fill("#id_id_number", id_number_for(D(1995, 3, 3), "F"))
    page.select_option("#id_category", "IN_SERVICE")
    set_date(page, "#id_applied_on", applied_on)
    pick(page, "#id_organization", organization, organization)
    submit(page)
    for number, day in enumerate(steps, start=2):
        form = page.locator("#step-form")
        assert form.locator("#id_number").input_value() == str(number)
        form.locator("#id_done_on").fill(day.isoformat())
        if number == 5:
            form.locator("#id_mentors").fill("王建国、李秀英")
        with page.expect_navigation():
            form.get_by_role("button", name="记录").click()
        assert f"已记录第{number}步" in page.inner_text("main"), page.inner_text("main")


def activity_page(page, kind, day, organization, *, org_id=None):
    """The entry page with kind and date set and the organizing organization picked (which reloads
    the page offering its people on that date)."""
    if org_id is None:
        page.goto(f"/activities/new/?kind={kind}")
        set_date(page, "#id_date", day)
        pick(page, "#id_organization", organization, organization)
        page.wait_for_url("**/activities/new/?*organization=*")
    else:  # from a dissolved organization's page: 补录活动（撤销前）
        page.goto(f"/organizations/{org_id}/")
        page.get_by_role("link", name="补录活动（撤销前）").click()
        page.wait_for_url("**/activities/new/?*organization=*")
        page.select_option("#id_kind", kind)
        set_date(page, "#id_date", day)
    assert page.locator("#id_organization").input_value() == organization


def test_a_county_entered_through_the_pages_gives_the_hand_counted_numbers(
    page, signed_in, clock, staff, committee
):
    clock.move_to(
        datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    )
    # Some sixty pages are saved one after another; on a busy machine one may take longer than the
    # fixture's 15 seconds (waits end as soon as the page answers, so this costs nothing when idle).
    page.set_default_timeout(60000)
    # Bootstrap scrolls smoothly: a scroll still running when a button is pressed moved the page
    # between mousedown and mouseup, and the click missed (seen here once in two runs).
    page.emulate_media(reduced_motion="reduce")
    signed_in(page, "staff")

    # --- the tree ---------------------------------------------------------------------------------
    found(page, "PARTY_COMMITTEE", "教育局机关党委", D(2015, 3, 1), committee.name)
    found(page, "GENERAL_BRANCH", "教育局第一党总支部", D(2015, 3, 1), "教育局机关党委")
    found(page, "BRANCH", "第一中学党支部", D(2015, 3, 1), "教育局第一党总支部")
    found(page, "PARTY_GROUP", "第一中学语文党小组", D(2016, 1, 1), "第一中学党支部")
    finance = found(page, "BRANCH", "财政局机关党支部", D(2010, 1, 1), committee.name)
    found(page, "BRANCH", "数据局党支部", D(2025, 6, 1), committee.name)
    health = found(page, "BRANCH", "卫健局党支部", D(2010, 1, 1), committee.name)
    commerce = found(page, "GENERAL_BRANCH", "商务局党总支部", D(2012, 1, 1), committee.name)
    found(page, "BRANCH", "除夕成立党支部", D(2025, 12, 31), committee.name)
    last_day = found(page, "BRANCH", "除夕撤销党支部", D(2010, 1, 1), committee.name)

    # A rename and a move in the year.
    page.goto(f"/organizations/{finance}/")
    page.get_by_role("link", name="更名", exact=True).click()
    page.fill("#id_new_name", "财政局党支部")
    set_date(page, "#id_date", D(2025, 4, 1))
    submit(page, "更名")
    page.goto(f"/organizations/{health}/")
    page.get_by_role("link", name="调整隶属关系").click()
    set_date(page, "#id_date", D(2025, 7, 1))
    pick(page, "#id_new_parent", "教育局机关党委", "教育局机关党委")
    submit(page, "调整")
    # Dissolved in the year: one on 30 September (its records are entered afterwards), one on E.
    dissolve(page, commerce, D(2025, 9, 30))
    dissolve(page, last_day, D(2025, 12, 31))

    # --- members ----------------------------------------------------------------------------------
    add_member(page, "元旦甲", "第一中学党支部", D(2025, 1, 1))  # first day of Y
    add_member(page, "除夕乙", "财政局党支部", D(2025, 12, 31))  # E
    # Admitted elsewhere on 1 March, placed in 数据局党支部, founded on 1 June: in none that day.
    add_member(page, "导入丙", "数据局党支部", D(2025, 3, 1))
    add_member(page, "新年丁", "财政局党支部", D(2026, 1, 1))  # the next year
    add_member(page, "导入戊", "数据局党支部", D(2024, 11, 1))  # admitted in 2024, placed in 2025
    add_member(page, "去年己", "卫健局党支部", D(2024, 12, 31))  # last day of Y - 1
    add_member(page, "老党员庚", "第一中学党支部", D(1975, 7, 1), born=D(1950, 2, 2), category="RETIRED",
               confirmed_on=D(1976, 7, 1))  # fmt: skip
    add_member(page, "在职辛", "卫健局党支部", D(2010, 7, 1), confirmed_on=D(2011, 7, 1))

    # --- prospects and trainings ------------------------------------------------------------------
    # 王: activist from 1 September 2023, candidate from 1 August 2025 (today a candidate).
    add_prospect(page, "王积极", "第一中学党支部", D(2023, 3, 1),
                 [D(2023, 3, 15), D(2023, 9, 1), D(2023, 9, 10), D(2023, 9, 15), D(2023, 10, 1), D(2025, 8, 1)])  # fmt: skip
    # 李: activist from 1 October 2024.
    add_prospect(page, "李积极", "第一中学党支部", D(2024, 5, 1), [D(2024, 5, 10), D(2024, 10, 1)])
    # 赵: candidate from 1 March 2024.
    add_prospect(page, "赵对象", "第一中学党支部", D(2022, 3, 1),
                 [D(2022, 3, 10), D(2022, 6, 1), D(2022, 6, 10), D(2022, 6, 15), D(2022, 7, 1), D(2024, 3, 1)])  # fmt: skip

    # The committee's training of 20 May 2025: the form shows each person's stage on that day.
    activity_page(page, "TRAINING", D(2025, 5, 20), committee.name)
    trainees = page.locator("#id_trainees")
    assert "王积极（入党积极分子）" in trainees.inner_text()  # a candidate now, an activist then
    assert "李积极（入党积极分子）" in trainees.inner_text()
    assert "赵对象（发展对象）" in trainees.inner_text()
    page.fill("#id_title", "入党积极分子和发展对象培训班")
    page.fill("#id_attended_count", "30")
    for name in ("王积极", "李积极", "赵对象"):
        trainees.get_by_label(re.compile(name)).check()
    submit(page)
    # The branch's training on 1 August 2025, the very day 王 became a candidate.
    activity_page(page, "TRAINING", D(2025, 8, 1), "第一中学党支部")
    assert "王积极（发展对象）" in page.inner_text("#id_trainees")
    page.fill("#id_title", "发展对象集中培训")
    page.fill("#id_attended_count", "12")
    page.locator("#id_trainees").get_by_label(re.compile("王积极")).check()
    submit(page)

    # --- condolence visits: 5,000 + 4,250 + 3,000 = 12,250 yuan --------------------------------------
    activity_page(page, "CONDOLENCE_VISIT", D(2025, 6, 30), "财政局党支部")
    page.fill("#id_title", "“七一”走访慰问")
    page.fill("#id_visits-0-person_name", "王大爷")
    page.fill("#id_visits-0-amount", "5000")
    page.fill("#id_visits-1-person_name", "王大爷")  # another man of the same name, no ID number
    page.fill("#id_visits-1-amount", "4250.00")
    page.click("#add-visit")  # (the absentees have their own 添加一人)
    pick(page, "#id_visits-2-member", "老党员庚", "老党员庚")
    page.fill("#id_visits-2-amount", "3000")
    submit(page)

    # --- the dissolved general branch: records of before its dissolution, entered now -----------------
    activity_page(page, "THEME_DAY", D(2025, 5, 10), "商务局党总支部", org_id=commerce)
    page.fill("#id_title", "撤销前的主题党日")
    page.fill("#id_attended_count", "8")
    submit(page)
    page.goto(f"/organizations/{commerce}/")
    page.get_by_role("link", name="补录任职（撤销前）").click()
    page.fill("#id_person_name", "张志强")
    page.select_option("#id_post", "SECRETARY")
    set_date(page, "#id_start_on", D(2025, 10, 15))  # after the dissolution: refused, saying so
    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    assert "已于2025年9月30日撤销，2025年10月15日已不存在" in page.inner_text(".invalid-feedback")
    set_date(page, "#id_start_on", D(2025, 3, 1))
    submit(page)
    # A secretary and a committee member of a branch: only the secretary is a 负责人.
    for person, post in (("刘书记", "SECRETARY"), ("陈委员", "COMMITTEE_MEMBER")):
        page.goto("/organizations/list/")
        page.get_by_role("link", name="第一中学党支部").first.click()
        page.get_by_role("link", name="任职", exact=True).click()
        page.fill("#id_person_name", person)
        page.select_option("#id_post", post)
        set_date(page, "#id_start_on", D(2025, 1, 1))
        submit(page)

    # --- documents: two lists, the work points, a list of next year ----------------------------------
    def issue_list(kind, title, day, items):
        page.goto("/activities/lists/new/")
        page.select_option("#id_kind", kind)
        page.fill("#id_title", title)
        set_date(page, "#id_issued_on", day)
        page.fill("#id_year", "2025")
        page.fill("#id_items", items)
        submit(page)

    issue_list(
        "RESPONSIBILITY",
        "2025年度全面从严治党主体责任清单",
        D(2025, 3, 10),
        "落实主体责任｜财政局机关党支部｜张三｜2025-12-31",
    )
    issue_list("WORK_POINTS", "2025年党建工作要点", D(2025, 2, 15),
               "理论武装｜财政局机关党支部｜｜｜重点\n组织建设｜财政局机关党支部｜｜｜重点\n宣传报道｜财政局机关党支部｜｜｜")  # fmt: skip

    def register_document(kind, title, day):
        page.goto("/activities/documents/new/")
        page.select_option("#id_kind", kind)
        page.fill("#id_title", title)
        set_date(page, "#id_issued_on", day)
        submit(page)

    register_document("RESPONSIBILITY_LIST", "意识形态工作责任清单", D(2025, 12, 31))  # on E: counts
    register_document("RESPONSIBILITY_LIST", "2026年度党风廉政建设责任清单", D(2026, 1, 5))  # next year

    # --- liaisons --------------------------------------------------------------------------------
    def liaison(leader, organization, start, end=None):
        page.goto("/organizations/liaisons/new/")
        page.fill("#id_leader_name", leader)
        set_date(page, "#id_start_on", start)
        if end:
            set_date(page, "#id_end_on", end)
        pick(page, "#id_organization", organization, organization)
        submit(page)

    liaison("张书记", "第一中学语文党小组", D(2025, 3, 1))  # four levels below R
    liaison("李副书记", "卫健局党支部", D(2024, 6, 1), D(2025, 1, 1))  # ends on the first day of Y
    liaison("王委员", "财政局机关党支部", D(2023, 1, 1), D(2024, 12, 31))  # ended before Y

    # --- the numbers, as the user sees them ----------------------------------------------------------
    page.goto(f"/reports/{committee.pk}/2025/")
    # The 指标一览 table: each row's code, this year's number and last year's, as shown.
    shown = {
        code: (value, previous)
        for code, value, previous in page.locator("#indicators tbody tr").evaluate_all(
            "rows => rows.map(r => [r.dataset.code, r.cells[1].innerText.trim(), r.cells[2].innerText.trim()])"
        )
    }
    this_year = {code: value for code, (value, _) in shown.items()}
    last_year = {code: value for code, (_, value) in shown.items()}

    with page.expect_download() as download:
        page.click("#download-xlsx")
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), data_only=True)["指标"]
    workbook = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}

    expected = {
        # 元旦甲 (1 Jan), 除夕乙 (31 Dec), 导入丙 (in no organization on 1 March: its first, founded
        # 1 June); not 新年丁 (2026), 导入戊 (2024, though placed in 2025), 去年己 (31 Dec 2024).
        "probationary_admitted": 3,
        # 王积极 and 李积极 at the May training (王 a candidate only from 1 August).
        "activists_trained": 2,
        # 赵对象 in May, 王积极 on 1 August, the day he became a candidate.
        "candidates_trained": 2,
        "party_member_training_person_times": 42,  # 30 + 12 attended the two trainings
        "condolence_persons": 3,  # two men named 王大爷 without ID numbers, and 老党员庚
        # the two lists issued in 2025 (主体责任清单 with items, 意识形态 as a document on E); not the
        # work points, not the list of 2026
        "lists_issued": 2,
        "work_plan_key_tasks": 2,  # 理论武装, 组织建设 marked 重点; 宣传报道 not
        # 张书记 and 李副书记 (active on 1 January); not 王委员 (ended 31 December 2024)
        "liaison_leaders": 2,
        "liaison_orgs": 2,  # 第一中学语文党小组 (four levels down), 卫健局党支部
        # On E: 教育局机关党委, 教育局第一党总支部, 第一中学党支部, 财政局党支部, 数据局党支部, 卫健局党支部,
        # 除夕成立党支部; not 商务局党总支部 (30 Sep) nor 除夕撤销党支部 (gone on E); the 党小组 is no such kind.
        "orgs_total": 7,
        "orgs_party_committees": 1,  # 教育局机关党委
        "orgs_general_branches": 1,  # 教育局第一党总支部 (商务局 dissolved)
        "orgs_branches": 5,  # 第一中学, 财政局, 数据局, 卫健局, 除夕成立
        "orgs_dissolved": 2,  # 商务局党总支部 (30 Sep), 除夕撤销党支部 (31 Dec)
        "orgs_dissolved_general_branches": 1,  # 商务局党总支部
        "orgs_established_branches": 2,  # 数据局党支部 (1 Jun), 除夕成立党支部 (31 Dec)
        "orgs_established_general_branches": 0,
        "orgs_renamed": 1,  # 财政局机关党支部 → 财政局党支部
        "orgs_reparented": 1,  # 卫健局党支部 under 教育局机关党委
        # 张志强 书记 of 商务局 (entered after its dissolution), 刘书记 of 第一中学; not 陈委员 (委员)
        "leader_changes": 2,
        "theme_days": 1,  # the dissolved 商务局党总支部's, of 10 May
        # On E: 元旦甲, 除夕乙, 导入丙, 导入戊, 去年己, 在职辛 in service, 老党员庚 retired; not 新年丁.
        "members_total": 7,
        "members_in_service": 6,
        "members_retired": 1,
    }
    for code, number in expected.items():
        assert this_year[code] == str(number), (code, this_year[code], number)
        assert workbook[code] == number, (code, workbook[code], number)
    # 12,250 yuan: the workbook holds the exact 万元, the page and the text two decimals, half up.
    assert workbook["condolence_amount_wan"] == 1.225
    assert Decimal(str(workbook["condolence_amount_wan"])) == Decimal("1.225")
    assert this_year["condolence_amount_wan"] == "1.23"
    assert page.inner_text('#report-body a.metric[data-code="condolence_amount_wan"]') == "1.23"
    # The text as it prints (the PDF).
    with page.expect_download() as download:
        page.click("#download-pdf")
    with open(download.value.path(), "rb") as handle:
        text = re.sub(
            r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
        )
    assert "发放慰问金1.23万元" in text
    assert "全年发展党员3名" in text
    # 2 lists, numbered in the order they were entered: the 主体责任清单 first (1), the work points
    # (2), the 意识形态 list (3).
    assert "责任清单2个（党工通〔2025〕1号、党工通〔2025〕3号）" in text
    assert "明确了2025年度机关基层党建2项重点任务" in text
    assert "分别联系指导工委直属的2个党组织" in text
    assert "撤销了1个党总支部并调整1个党组织的隶属关系" in text
    # Last year (2024): 导入戊 (admitted 1 November 2024, though placed in 数据局 only from its
    # founding in 2025) and 去年己 (31 December 2024).
    assert last_year["probationary_admitted"] == "2"

    # The drill-down names who was counted, and the admitting organization as it was.
    page.locator('#indicators tr[data-code="probationary_admitted"] a').first.click()
    page.wait_for_url("**/records/probationary_admitted/")
    assert page.inner_text("#metric-value") == "3"
    table = page.inner_text("#records-table")
    assert all(name in table for name in ("元旦甲", "除夕乙", "导入丙", "数据局党支部"))
    assert "新年丁" not in table and "导入戊" not in table
    page.goto(f"/reports/{committee.pk}/2025/records/activists_trained/")
    table = page.inner_text("#records-table")
    assert "王积极" in table and "李积极" in table and "赵对象" not in table

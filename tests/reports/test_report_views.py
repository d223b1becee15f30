"""The report pages: permission matrix, report with drill-downs, editor and preview, readiness."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity
from jiguan import dates
from members.models import Member
from organizations.models import Appointment, Election, Post
from reports.metrics import REGISTRY, ReportScope, metric_codes
from reports.models import AnnualReport
from tests.factories import dues_ledger_up_to_date
from tests.pages import without_csrf
from tests.reports import county

YEAR = 2021


def requests_for(org):
    """(method, url, data) of every page of the reports app for `org` and YEAR."""
    return {
        "index": ("get", reverse("reports:index"), {"organization": org.pk}),
        "dashboard": ("get", reverse("reports:dashboard"), {"org": org.pk, "year": YEAR}),
        "report": ("get", reverse("reports:report", args=[org.pk, YEAR]), {}),
        "records": ("get", reverse("reports:records", args=[org.pk, YEAR, "orgs_total"]), {}),
        "records_xlsx": (
            "get",
            reverse("reports:records", args=[org.pk, YEAR, "orgs_total"]),
            {"export": "xlsx"},
        ),
        "readiness": ("get", reverse("reports:readiness", args=[org.pk, YEAR]), {}),
        "pdf": ("get", reverse("reports:download", args=[org.pk, YEAR, "pdf"]), {}),
        "xlsx": ("get", reverse("reports:download", args=[org.pk, YEAR, "xlsx"]), {}),
        "html": ("get", reverse("reports:download", args=[org.pk, YEAR, "html"]), {}),
        "edit": ("get", reverse("reports:edit", args=[org.pk, YEAR]), {}),
        "edit_save": (
            "post",
            reverse("reports:edit", args=[org.pk, YEAR]),
            {"title": "总结", "text": "共{{ orgs_total }}个"},
        ),
        "preview": ("post", reverse("reports:preview", args=[org.pk, YEAR]), {"text": "{{ orgs_total }}"}),
        "dues_publicity": (
            "get",
            reverse("reports:dues_publicity", args=[org.pk, YEAR, "xlsx"]),
            {"quarter": 1},
        ),
    }


def call(client, org, page):
    method, url, data = requests_for(org)[page]
    return getattr(client, method)(url, data)


EVERY_PAGE = [
    "index",
    "dashboard",
    "report",
    "records",
    "records_xlsx",
    "readiness",
    "pdf",
    "xlsx",
    "html",
    "edit",
    "edit_save",
    "preview",
    "dues_publicity",
]
# Pages of one organization (the index is not: it falls back to the user's own organization).
ORGANIZATION_PAGES = [page for page in EVERY_PAGE if page != "index"]
READ_PAGES = [page for page in ORGANIZATION_PAGES if page not in ("edit", "edit_save", "preview")]
WRITE_PAGES = ["edit", "edit_save", "preview"]


def test_the_matrix_covers_every_url_of_the_app():
    from reports.urls import urlpatterns

    # The page of the matrix that calls each URL name (download: pdf, xlsx and html).
    page_of = {"download": "pdf", "edit": "edit_save"}
    # The assessment sheet's downloads belong to a sheet, not to a report: their permissions are
    # tested with the sheet (tests/evaluations/test_pages.py). Every organization's summaries as
    # one zip is a background job for staff (tests/jiguan/test_jobs.py).
    names = {p.name for p in urlpatterns} - {"assessment_download", "summaries_zip"}
    assert {page_of.get(name, name) for name in names} <= set(EVERY_PAGE)


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_signed_out_goes_to_login(client, branch_a, page):
    response = call(client, branch_a, page)
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize("page", ORGANIZATION_PAGES)
def test_secretary_of_another_subtree_gets_404(client, other_secretary, branch_a, page):
    client.force_login(other_secretary)
    assert call(client, branch_a, page).status_code == 404
    assert not AnnualReport.objects.exists()


def test_index_of_another_subtree_shows_the_secretarys_own(client, other_secretary, branch_a, branch_b):
    client.force_login(other_secretary)
    html = call(client, branch_a, "index").content.decode()
    assert branch_b.name in html and branch_a.name not in html


@pytest.mark.parametrize("page", READ_PAGES)
def test_secretary_sees_their_own_subtree(secretary_client, branch_a, page):
    assert call(secretary_client, branch_a, page).status_code == 200


@pytest.mark.parametrize("page", ORGANIZATION_PAGES)
def test_secretary_cannot_report_for_the_committee(secretary_client, committee, page):
    assert call(secretary_client, committee, page).status_code == 404


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_secretary_does_not_write_the_text(secretary_client, branch_a, page):
    assert call(secretary_client, branch_a, page).status_code == 403
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_leadership_write_is_403(leader_client, committee, page):
    assert call(leader_client, committee, page).status_code == 403
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize("page", ["index", *READ_PAGES])
@pytest.mark.parametrize("who", ["staff_client", "leader_client"])
def test_staff_and_leadership_see_any_organization(request, committee, branch_b, page, who):
    client = request.getfixturevalue(who)
    assert call(client, committee, page).status_code == 200
    assert call(client, branch_b, page).status_code == 200


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_staff_write_the_text(staff_client, committee, page):
    response = call(staff_client, committee, page)
    assert response.status_code == (302 if page == "edit_save" else 200)


def test_index_lists_years_with_links(leader_client, committee):
    response = leader_client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert reverse("reports:report", args=[committee.pk, dates.today().year]) in response.content.decode()


@pytest.mark.parametrize("page", ORGANIZATION_PAGES[1:])  # the dashboard has its own test
@pytest.mark.parametrize("year", [1800, 2999])
def test_year_out_of_range_is_a_clear_message(staff_client, committee, page, year):
    method, url, data = requests_for(committee)[page]
    response = getattr(staff_client, method)(url.replace(f"/{YEAR}/", f"/{year}/"), data)
    assert response.status_code == 404
    last = dates.today().year
    assert f"“年度”应在1921年至{last}年之间，现为{year}年。" in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_index_selects_the_organization_shown(staff_client, committee):
    html = staff_client.get(reverse("reports:index")).content.decode()
    assert f'<input type="hidden" name="organization" value="{committee.pk}"' in html
    assert f'value="{committee.name}"' in html  # the picker's text box names it


def test_editor_is_for_staff_only(client, committee, leader, secretary, staff):
    url = reverse("reports:edit", args=[committee.pk, YEAR])
    client.force_login(leader)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x", "text": "y"}).status_code == 403
    client.force_login(secretary)
    assert client.get(url).status_code == 404  # the committee is outside their subtree
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert not AnnualReport.objects.exists()


def test_editor_refuses_unknown_placeholders_and_saves_good_text(staff_client, committee):
    url = reverse("reports:edit", args=[committee.pk, YEAR])
    response = staff_client.post(url, {"title": "总结", "text": "共{{ orgs_totl }}个"})
    assert response.status_code == 200
    assert "无法识别的占位符：{{ orgs_totl }}" in response.content.decode()
    assert not AnnualReport.objects.exists()
    response = staff_client.post(url, {"title": "总结", "text": "一、标题\n共{{ orgs_total }}个"})
    assert response.status_code == 302
    assert AnnualReport.objects.get().text == "一、标题\n共{{ orgs_total }}个"


def test_preview_renders_without_the_template_engine(staff_client, committee, branch_a):
    url = reverse("reports:preview", args=[committee.pk, YEAR])
    data = staff_client.post(url, {"text": "{{ orgs_total }}个{{ request }}{% debug %}<i>x</i>"}).json()
    assert data["html"] == "<p>1个{{ request }}{% debug %}&lt;i&gt;x&lt;/i&gt;</p>"
    assert "{{ request }}" in data["message"]


def test_preview_is_for_staff(leader_client, committee):
    assert (
        leader_client.post(reverse("reports:preview", args=[committee.pk, YEAR]), {"text": ""}).status_code
        == 403
    )


@pytest.fixture
def built(committee, branch_a, group_a, branch_b):
    return county.build(committee, branch_a, group_a, branch_b)


def _without_csrf(html):
    """The page without what differs on every request: the CSRF token and the charts' random ids."""
    return re.sub(r"chart-[0-9a-f-]{36}", "chart", without_csrf(html))


def test_report_links_every_number_and_shows_last_year(leader_client, built, django_assert_max_num_queries):
    # The year's metrics and last year's (28 queries each, the year's 三会一课 record read once for the
    # text and the 附图), the two lists, the text, the session, and the 附图's three breakdowns (the
    # members' two are one count of every dimension): 70. A loop over rows would make this grow with
    # the county. Each year's numbers are stored in the cache (the records' version and the entry
    # read, then stored: 7 queries each), and the 三会一课 record of each year, the dues summary of
    # each year and the members' counts (shared with the dashboard and the workbook), the lists, the
    # 附图 (drawn once with their breakdowns) and the page as drawn too. The county has
    # organizations in S for part of 2021 (none in 2020): their activities are read apart, for the
    # year's metrics and for the 附图 of activities by month (2; reports.metrics.sources).
    url = reverse("reports:report", args=[built.committee.pk, YEAR])
    dues_ledger_up_to_date()
    # + whether the dues ledger is up to date, each year; + each past year's own version, made once
    # (an add in a savepoint: 5; jiguan.data_version).
    with django_assert_max_num_queries(70 + 2 + 7 * 10 + 2 + 2 * 5):
        response = leader_client.get(url)
    # The second time the page as drawn comes from the cache (reports.outputs.page_body): session, user,
    # the organization, the summary's text (none stored this year: the latest earlier year's, 2), the
    # records' version, the page, the user's organization in the navigation bar (the session is not
    # written again within the minute): 8.
    with django_assert_max_num_queries(8):
        again = leader_client.get(url)
    assert _without_csrf(again.content.decode()) == _without_csrf(response.content.decode())
    html = response.content.decode()
    link = reverse("reports:records", args=[built.committee.pk, YEAR, "central_group_study_sessions"])
    assert f'href="{link}"' in html
    assert "（上年1）" in html  # one session on 31 December 2020
    assert "全年开展工委理论学习中心组学习活动" in html


def test_drill_down_lists_the_records_behind_the_number(leader_client, built):
    response = leader_client.get(reverse("reports:records", args=[built.committee.pk, YEAR, "orgs_branches"]))
    html = response.content.decode()
    for name in ("甲局机关党支部", "乙局机关第一党支部", "县委办党支部", "县自然资源局第一党支部"):
        assert name in html
    assert "明年党支部" not in html and "调出党支部" not in html
    assert (
        leader_client.get(reverse("reports:records", args=[built.committee.pk, YEAR, "nope"])).status_code
        == 404
    )


def test_drill_down_of_a_branch_stays_in_its_subtree(secretary_client, built):
    response = secretary_client.get(
        reverse("reports:records", args=[built.branch_a.pk, YEAR, "party_member_training_person_times"])
    )
    html = response.content.decode()
    assert "甲局机关党支部" in html and "外县党支部" not in html and "调出党支部" not in html


def test_names_in_a_drill_down_link_to_the_records_the_user_may_open(
    client, staff, secretary, built, branch_a, branch_b
):
    staff_client, secretary_client = client, Client()
    staff_client.force_login(staff)
    secretary_client.force_login(secretary)
    members = reverse("reports:records", args=[branch_a.pk, YEAR, "members_total"])
    html = staff_client.get(members).content.decode()
    assert f'<a href="/members/{built.m1.pk}/">张一</a>' in html
    branches = staff_client.get(reverse("reports:records", args=[built.committee.pk, YEAR, "orgs_branches"]))
    assert f'<a href="/organizations/{branch_a.pk}/">甲局机关党支部</a>' in branches.content.decode()
    # 张一 moved to another branch after the year: its secretary may no longer open the page.
    county.move_member(built.m1, branch_b, datetime.date(2022, 3, 1))
    html = secretary_client.get(members).content.decode()
    assert "张一" in html and f'href="/members/{built.m1.pk}/"' not in html
    assert f'<a href="/members/{built.m2.pk}/">张二</a>' in html
    assert secretary_client.get(f"/members/{built.m1.pk}/").status_code == 404
    assert secretary_client.get(f"/members/{built.m2.pk}/").status_code == 200
    sheet = load_workbook(io.BytesIO(staff_client.get(members, {"export": "xlsx"}).content)).active
    assert "张二" in [row[0] for row in sheet.iter_rows(values_only=True)]  # plain names in the file


def test_readiness_finds_what_would_make_numbers_wrong(staff_client, built):
    d = datetime.date
    Appointment.objects.create(
        organization=built.branch_a, person_name="甲", post=Post.SECRETARY, start_on=d(2019, 1, 1)
    )
    Election.objects.create(
        organization=built.branch_a, term_number=1, elected_on=d(2019, 1, 1), expires_on=d(2022, 1, 1)
    )
    Election.objects.create(
        organization=built.branch_b, term_number=1, elected_on=d(2017, 1, 1), expires_on=d(2020, 1, 1)
    )
    late = county.member("迟转正", built.branch_a, admitted=d(2020, 3, 1))  # probation ended 2021-03-01
    extended = county.member("延长期", built.branch_a, admitted=d(2020, 3, 1))
    Member.objects.filter(pk=extended.pk).update(probation_extension_months=12)  # to 2022: not overdue
    response = staff_client.get(reverse("reports:readiness", args=[built.committee.pk, YEAR]))
    html = response.content.decode()
    no_secretary = html.split('id="check-no_secretary"')[1].split("</section>")[0]
    assert "县委办党支部" in no_secretary and "县自然资源局第一党支部" in no_secretary
    assert "甲局机关党支部" not in no_secretary and "乙局机关第一党支部" not in no_secretary  # both have one
    overdue = html.split('id="check-elections_overdue"')[1].split("</section>")[0]
    assert "乙局机关第一党支部（任期届满：2020年1月1日）" in overdue and "甲局机关党支部" not in overdue
    probation = html.split('id="check-probation_overdue"')[1].split("</section>")[0]
    assert late.name in probation and "延长期" not in probation
    assert reverse("members:confirm", args=[late.pk]) in probation
    missing = html.split('id="check-attendance_missing"')[1].split("</section>")[0]
    untracked = Activity.objects.filter(
        attended_count__isnull=True, date__year=YEAR, organization=built.committee
    )
    assert reverse("activities:edit", args=[untracked.first().pk]) in missing


def test_download_names_and_types(leader_client, built):
    response = leader_client.get(reverse("reports:download", args=[built.committee.pk, YEAR, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert (
        leader_client.get(reverse("reports:download", args=[built.committee.pk, YEAR, "doc"])).status_code
        == 404
    )


def test_indicator_table_links_this_and_last_years_numbers(leader_client, built):
    response = leader_client.get(reverse("reports:report", args=[built.committee.pk, YEAR]))
    html = response.content.decode()
    table = html[html.index('id="indicators"') :]
    for code in ("central_group_study_sessions", "oath_date"):
        assert f'href="{reverse("reports:records", args=[built.committee.pk, YEAR, code])}"' in table
        assert f'href="{reverse("reports:records", args=[built.committee.pk, YEAR - 1, code])}"' in table
    row = table[table.index('data-code="oath_date"') :].split("</tr>")[0]
    assert "2021年6月28日" in row and "（未记录）" in row  # no oath in 2020
    assert "None" not in table


@pytest.mark.parametrize("code", metric_codes())
def test_every_drill_down_exports_its_records(leader_client, built, code):
    url = reverse("reports:records", args=[built.committee.pk, YEAR, code])
    assert leader_client.get(url).status_code == 200
    response = leader_client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    scope = ReportScope(built.committee, YEAR)
    assert sheet.max_row - 1 == REGISTRY[code].records(scope).count()

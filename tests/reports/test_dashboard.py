"""The leadership dashboard: numbers from the registry beside last year's, server-drawn charts,
terms overdue, responsibility items, a fixed number of queries, and who may see what."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from activities.models import (
    ActivityKind,
    DocumentKind,
    ItemStatus,
    ListKind,
    ResponsibilityItem,
    ResponsibilityList,
)
from organizations.models import Election
from reports import charts
from reports.metrics import NO_RECORDS, compute_all, compute_last_year, metric_codes
from reports.metrics.registry import Percent
from tests.factories import dues_ledger_up_to_date
from tests.reports import county

D = datetime.date
URL = reverse("reports:dashboard")


@pytest.fixture
def built(committee, branch_a, group_a, branch_b):
    return county.build(committee, branch_a, group_a, branch_b)


def shown(value):
    """How the page prints a value of compute_all: money with two decimals, half up; a rate kept to
    one decimal (党费交纳率) with one."""
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if value is None:
        return "—"
    if isinstance(value, Percent):
        return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return str(value)


def row_cells(html, code):
    """The texts of the cells of the row of `code` in the table of all metrics."""
    match = re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S)
    assert match, code
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    ]


@pytest.mark.django_db
def test_numbers_shown_are_compute_alls_with_last_year_beside(built, leader_client):
    values = compute_all(built.committee, 2021)
    last = compute_last_year(built.committee, 2021)
    response = leader_client.get(URL, {"year": 2021})
    assert response.status_code == 200
    html = response.content.decode()
    assert [row["code"] for row in response.context["rows"]] == metric_codes()
    for code in metric_codes():
        cells = row_cells(html, code)
        assert cells[1] == shown(values[code]), code
        assert cells[2] == shown(last[code]), code
    # Hand-counted (tests/reports/county.py): 3 central-group sessions in 2021, 1 in 2020.
    assert row_cells(html, "central_group_study_sessions")[1:] == ["3", "1", "+2"]
    assert row_cells(html, "condolence_amount_wan")[1] == "0.41"
    assert row_cells(html, "oath_date")[1:3] == ["2021年6月28日", "—"]


@pytest.mark.django_db
def test_every_number_links_to_its_records(built, leader_client):
    html = leader_client.get(URL, {"year": 2021}).content.decode()
    last = compute_last_year(built.committee, 2021)
    for code in metric_codes():
        row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S).group(1)
        links = re.findall(r'href="([^"]+)"', row)
        pk = built.committee.pk
        # Nothing to drill into where 2020 has no records of the kind.
        expected = [reverse("reports:records", args=[pk, 2021, code])]
        if last[code] is not NO_RECORDS:
            expected.append(reverse("reports:records", args=[pk, 2020, code]))
        assert links == expected, code
    records = leader_client.get(reverse("reports:records", args=[built.committee.pk, 2021, "orgs_branches"]))
    assert records.status_code == 200 and "党支部个数" in records.content.decode()


@pytest.mark.django_db
def test_key_number_cards_show_last_year_and_the_difference(built, leader_client):
    html = leader_client.get(URL, {"year": 2021}).content.decode()
    card = re.search(r'data-code="central_group_study_sessions">(.*?)</div></div>', html, re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", card)).strip()
    assert text == "工委理论学习中心组学习次数 3 2020年：1 +2", text


@pytest.mark.django_db
def test_a_year_with_no_data_shows_zeros(committee, leader_client):
    response = leader_client.get(URL, {"year": 2005})
    assert response.status_code == 200
    assert response.context["rows"][0]["value"] == 0
    html = response.content.decode()
    # The committee stood in 2004 too, with nothing below it: a real 0 to compare with.
    assert row_cells(html, "orgs_total")[1:] == ["0", "0", "持平"]
    # No activity was ever recorded: no comparison with a year nobody recorded.
    assert row_cells(html, "theme_days")[1:] == ["0", "无记录", ""]


@pytest.mark.django_db
def test_last_year_without_records_says_so_instead_of_a_difference(built, leader_client):
    """The county's records begin in 2020 (2020's activities, 2020's documents …): 2021 beside 2020
    compares; 2020 beside 2019, where nothing was recorded, says 无记录, never "+3"."""
    html = leader_client.get(URL, {"year": 2020}).content.decode()
    # 2020: R's central group study on 31 December; 2019 had no activity at all.
    assert row_cells(html, "central_group_study_sessions")[1:] == ["1", "无记录", ""]
    card = re.search(r'data-code="central_group_study_sessions">(.*?)</div></div>', html, re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", card)).strip()
    assert text == "工委理论学习中心组学习次数 1 2019年：无记录", text
    # Members were on the roster on 31 December 2019: that comparison stands.
    assert row_cells(html, "members_in_service")[2] != "无记录"


@pytest.mark.django_db
@pytest.mark.parametrize("year, message", [("1900", "“年度”应在1921年至"), ("abc", "无法识别")])
def test_a_year_out_of_range_is_a_clear_message(committee, leader_client, year, message):
    response = leader_client.get(URL, {"year": year})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_charts_are_inline_svg_with_chinese_labels_and_no_external_reference(built, leader_client):
    response = leader_client.get(URL, {"year": 2021})
    drawn = {chart["name"]: str(chart["svg"]) for chart in response.context["charts"]}
    assert list(drawn) == list(charts.CHART_TITLES)
    html = response.content.decode()
    for name, svg in drawn.items():
        assert svg.startswith("<svg"), name
        assert charts.CHART_TITLES[name] in svg
        assert "<script" not in svg and "<?xml" not in svg
        assert not re.search(r'(?:href|src)\s*=\s*"(?!#)', svg), name  # nothing fetched
        assert "WenQuanYi Zen Hei" in svg
        assert f'id="chart-{name}"' in html
    assert "机关党委" in drawn["organizations_by_kind"] and "党支部" in drawn["organizations_by_kind"]
    assert "在职" in drawn["members_by_category"]
    assert "30岁及以下" in drawn["members_by_age_band"]
    assert "12月" in drawn["activities_by_month"] and "三会一课" in drawn["activities_by_month"]
    assert "按要求开展" in drawn["branch_rhythm"]
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_chart_functions_draw_the_numbers_they_are_given():
    svg = charts.organizations_by_kind_chart([("机关党委", 3), ("党总支部", 5), ("党支部", 41)])
    assert ">41<" in svg and ">机关党委<" in svg
    pie = charts.members_by_category_chart([("在职", 30), ("离退休", 12), ("其他", 0)])
    assert ">30<" in pie and ">12<" in pie


@pytest.mark.django_db
def test_rhythm_chart_counts_branches_that_held_every_monthly_activity(committee, branch_b):
    from activities.rhythm import rhythm_table
    from organizations.models import Organization

    for kind in (ActivityKind.COMMITTEE_MEETING, ActivityKind.THEME_DAY):
        county.activity(branch_b, kind, D(2021, 3, 10))
    county.activity(committee, ActivityKind.COMMITTEE_MEETING, D(2021, 4, 10))  # not a branch
    table = rhythm_table(Organization.objects.subtree_of(committee), 2021, today=D(2022, 1, 1))
    held, missing, pending = charts.rhythm_by_month(table)
    assert held[2] == 1 and missing[2] == 0  # March: branch_b held both
    assert held[3] == 0 and missing[3] == 1  # April: missing
    assert pending == [0] * 12

    # Read on 15 June: June is due and July–December not yet, so the branch is pending in those.
    table = rhythm_table(Organization.objects.subtree_of(committee), 2021, today=D(2021, 6, 15))
    held, missing, pending = charts.rhythm_by_month(table)
    assert held == [0, 0, 1] + [0] * 9
    assert missing == [1, 1, 0, 1, 1] + [0] * 7
    assert pending == [0] * 5 + [1] * 7


@pytest.mark.django_db
def test_terms_overdue_and_responsibility_items(built, leader_client):
    Election.objects.create(
        organization=built.branch_a, term_number=1, elected_on=D(2015, 5, 1), expires_on=D(2018, 5, 1)
    )
    Election.objects.create(
        organization=built.gb2, term_number=1, elected_on=D(2020, 5, 1), expires_on=D(2023, 5, 1)
    )
    document = county.document(built.committee, 90, DocumentKind.RESPONSIBILITY_LIST, D(2021, 2, 1), "清单")
    items = ResponsibilityList.objects.create(document=document, kind=ListKind.RESPONSIBILITY, year=2021)
    for number, (deadline, status) in enumerate(
        [
            (D(2021, 3, 1), ItemStatus.DONE),
            (D(2021, 6, 1), ItemStatus.OPEN),
            (D(2022, 3, 1), ItemStatus.DONE),
        ],
        1,
    ):
        ResponsibilityItem.objects.create(
            responsibility_list=items, number=number, task=f"任务{number}", deadline=deadline, status=status
        )
    response = leader_client.get(URL, {"year": 2021})
    html = response.content.decode()
    overdue = re.search(r'id="terms-overdue">(.*?)</section>', html, re.S).group(1)
    assert built.branch_a.name in overdue and built.gb2.name not in overdue
    progress = response.context["items"]
    # Due by 31 Dec 2021: the first two (one done, one overdue); the third falls due in 2022.
    assert {k: progress[k] for k in ("due", "due_done", "overdue")} == {"due": 2, "due_done": 1, "overdue": 1}
    # The lists of the hand-counted county add their own items: only compare what this test made.
    assert progress["total"] >= 3


@pytest.mark.django_db
def test_query_count_is_fixed(built, leader_client, django_assert_num_queries):
    # Session and user (2), the committee (1), the chosen year's metrics (25 + the rhythm's 2) and
    # last year's (27), three chart breakdowns (the members' two are one count of every dimension;
    # the subtree's stretches are cached on the scope), terms
    # overdue, responsibility items, the organization selector, the user's organization in the
    # navigation bar (the session, saved by the first request, is not written again within a
    # minute): the same whatever the size of the data.
    leader_client.get(URL, {"year": 2021})  # warm caches (content types, templates)
    cache.clear()  # the numbers computed afresh
    dues_ledger_up_to_date()
    with django_assert_num_queries(QUERIES) as captured:
        leader_client.get(URL, {"year": 2021})
    for month in range(1, 13):
        county.activity(built.branch_a, ActivityKind.THEME_DAY, D(2021, month, 3), attended=5)
        county.member(f"新{month}", built.branch_b, admitted=D(2010, month, 1), confirmed=D(2011, month, 1))
    cache.clear()
    dues_ledger_up_to_date()
    with django_assert_num_queries(QUERIES):
        leader_client.get(URL, {"year": 2021})
    assert len(captured) == QUERIES
    # Again, nothing changed: both years' numbers are read from the cache (two entries, two versions).
    with django_assert_num_queries(QUERIES_CACHED):
        leader_client.get(URL, {"year": 2021})


# The metrics of a year are 28 queries (tests/reports/test_metrics.py); this year's 三会一课 record
# (2 of them) is read once for the metrics and the chart; the dues by month and in arrears by
# organization come from the year's dues summary, read for the metrics. The database cache adds its
# reads and writes: the records' version (a read, and where missing an add: a count, a read, an
# insert in a savepoint), and per computation (this year's and last year's numbers, the 三会一课
# record of each, the dues summary of each, the members' counts, the charts, the dashboard as drawn)
# a read and a write (the same six). Each year's dues summary first asks whether the dues ledger is up to date (one
# query each; members.dues.ledger). The two past years' own versions are made once (an add in a
# savepoint each: 5; jiguan.data_version).
# The county has organizations in S for part of 2021 (none in 2020): their activities are read
# apart, for the year's metrics and for the chart of activities by month (2; reports.metrics.sources).
QUERIES = 66 + 2 + 5 + 7 * 9 + 2 + 2 * 5
# From the cache: session, user, the committee, the organization selector, the user's organization in
# the navigation bar, the records' version and the dashboard as drawn (reports.dashboard_views.body_html),
# instead of 128 queries.
QUERIES_CACHED = 7


@pytest.mark.django_db
def test_the_dashboard_drawn_once_follows_the_records_and_the_organization(built, leader_client):
    def theme_days(**params):
        return row_cells(leader_client.get(URL, {"year": 2021, **params}).content.decode(), "theme_days")[1]

    before = int(theme_days())
    assert theme_days() == str(before)  # drawn once, read back
    county.activity(built.branch_a, ActivityKind.THEME_DAY, D(2021, 9, 3), attended=5)
    assert theme_days() == str(before + 1)
    # Another organization's dashboard is its own, not the committee's stored one.
    assert theme_days(org=built.branch_b.pk) == str(compute_all(built.branch_b, 2021)["theme_days"])
    assert compute_all(built.branch_b, 2021)["theme_days"] != before + 1


@pytest.mark.django_db
def test_home_page_links_leadership_to_the_dashboard(committee, leader_client):
    assert URL in leader_client.get(reverse("home")).content.decode()


# --- who may see what ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_signed_out_goes_to_sign_in(client, committee):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff_client", "leader_client"])
def test_staff_and_leadership_see_the_committee_or_any_organization(request, who, committee, branch_b):
    client = request.getfixturevalue(who)
    assert client.get(URL).context["root"] == committee
    assert client.get(URL, {"org": branch_b.pk}).context["root"] == branch_b


@pytest.mark.django_db
def test_secretary_sees_their_own_subtree(secretary_client, secretary, branch_a, group_a, branch_b):
    response = secretary_client.get(URL)
    assert response.status_code == 200 and response.context["root"] == branch_a
    # The organization picker accepts only their subtree's branches (a 党小组 has no report).
    picker = response.context["filter_form"].fields["org"]
    assert list(picker.queryset) == [branch_a]
    assert secretary_client.get(URL, {"org": group_a.pk}).status_code == 200


@pytest.mark.django_db
def test_secretary_of_another_subtree_gets_404(client, other_secretary, branch_a, committee):
    client.force_login(other_secretary)
    assert client.get(URL, {"org": branch_a.pk}).status_code == 404
    assert client.get(URL, {"org": committee.pk}).status_code == 404


@pytest.mark.django_db
def test_numbers_of_a_subtree_are_the_subtrees(built, secretary_client):
    response = secretary_client.get(URL, {"year": 2021})
    values = compute_all(built.branch_a, 2021)
    assert {row["code"]: row["value"] for row in response.context["rows"]} == {
        **values,
        "condolence_amount_wan": Decimal(
            "0.26"
        ),  # 2,645.67 yuan = 0.264567 万元, shown as the text prints it
    }
    assert values["condolence_amount_wan"] == Decimal("0.264567")
    assert values["members_in_service"] != compute_all(built.committee, 2021)["members_in_service"]

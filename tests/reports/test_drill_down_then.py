"""The drill-down of member metrics shows each member's organization as it stood on the record's day.

A report of a past year is traced to its records as they stood: a member moved to another branch
after E is listed under the branch of E, an organization renamed later under its name then.
"""

import datetime

import pytest
from django.urls import reverse

from reports.metrics import REGISTRY, ReportScope
from tests.reports import county

D = datetime.date
YEAR = 2021

pytestmark = pytest.mark.django_db


def _row(html, name):
    """The drill-down table row of `name`."""
    table = html[html.index('id="records-table"') :]
    return table[: table.index(name)].rsplit("<tr", 1)[1] + table[table.index(name) :].split("</tr>")[0]


def _records(client, organization, code, year=YEAR):
    response = client.get(reverse("reports:records", args=[organization.pk, year, code]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_moved_after_e_appears_under_the_old_branch(leader_client, committee, branch_a, branch_b):
    moved = county.member("调走的党员", branch_a, admitted=D(2015, 7, 1), confirmed=D(2016, 7, 1))
    county.move_member(moved, branch_b, D(2022, 3, 1))
    row = _row(_records(leader_client, committee, "members_in_service"), "调走的党员")
    assert branch_a.name in row and branch_b.name not in row
    # This year the same member is under the new branch.
    row = _row(_records(leader_client, committee, "members_in_service", year=2022), "调走的党员")
    assert branch_b.name in row and branch_a.name not in row


def test_an_organization_renamed_after_e_shows_its_name_then(leader_client, committee, branch_a):
    county.member("甲支部的党员", branch_a, admitted=D(2015, 7, 1), confirmed=D(2016, 7, 1))
    old_name = branch_a.name
    county.rename(branch_a, "更名后的党支部", D(2022, 1, 1))
    row = _row(_records(leader_client, committee, "members_in_service"), "甲支部的党员")
    assert old_name in row and "更名后的党支部" not in row


def test_an_admission_shows_the_admitting_branch_under_its_name_then(
    leader_client, committee, branch_a, branch_b
):
    admitted = county.member("新党员", branch_a, admitted=D(2021, 5, 1))
    county.move_member(admitted, branch_b, D(2022, 3, 1))
    old_name = branch_a.name
    county.rename(branch_a, "更名后的党支部", D(2022, 1, 1))
    row = _row(_records(leader_client, committee, "probationary_admitted"), "新党员")
    assert old_name in row
    assert "更名后的党支部" not in row and branch_b.name not in row


@pytest.mark.parametrize("code", ["members_in_service", "probationary_admitted"])
def test_the_drill_down_takes_a_fixed_number_of_queries(
    leader_client, committee, branch_a, branch_b, code, django_assert_num_queries
):
    # The organization then (and its name then) is a subquery of the rows' one query, not a query
    # per row: the page costs the same with 2 members as with 12. The queries: session and user (2),
    # the report's organization, the count for the pager, the number, the organization for the
    # navigation, the rows (5) (the session, saved by the first request, is not written again within
    # a minute); the subtree's stretches (1: the members on E are those of its organizations on E,
    # as a list, ReportScope.organizations_on_end; admissions read them for their own filter); and
    # admissions the members no membership places on their 入党日期 (1, whatever their number).
    def add(n, offset):
        for i in range(n):
            m = county.member(f"党员{offset + i}", branch_a, admitted=D(2021, 3, 1))
            county.move_member(m, branch_b, D(2022, 3, 1))

    add(2, 0)
    url = reverse("reports:records", args=[committee.pk, YEAR, code])
    leader_client.get(url)  # warm the session
    with django_assert_num_queries(QUERIES[code]):
        first = leader_client.get(url)
    add(10, 2)
    with django_assert_num_queries(QUERIES[code]):
        second = leader_client.get(url)
    assert second.content.decode().count(branch_a.name) > first.content.decode().count(branch_a.name)
    assert REGISTRY[code].records(ReportScope(committee, YEAR)).count() == 12


# Two more: the records' version and the year's stored numbers, read before computing one alone.
QUERIES = {"members_in_service": 10, "probationary_admitted": 11}

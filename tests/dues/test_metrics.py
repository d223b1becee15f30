"""The dues metrics against the county of tests/dues/county.py, counted by hand."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from members.dues import facts, ledger, selectors, services
from members.dues.models import DuesLedgerMonth
from members.dues.months import months_of_year
from members.models import Member
from reports.metrics import REGISTRY, ReportScope, compute_all
from reports.metrics import dues as dues_metrics
from reports.metrics.dues import (
    DUES_CODES,
    _in_s,
    arrears_by_organization,
    dues_by_month,
    dues_values,
    member_year_rows,
    rows_by_organization,
)
from reports.metrics.dues import readiness_checks as dues_readiness_checks
from reports.readiness import Check, Finding, check_day
from tests.dues import county
from tests.factories import MemberFactory, dues_ledger_up_to_date

M = datetime.date


@pytest.fixture
def built(staff, branch_a, branch_b):
    return county.build(staff, branch_a, branch_b)


def _dues(values):
    return {code: values[code] for code in DUES_CODES}


def test_each_dues_metric_as_counted_by_hand(built, committee):
    assert _dues(compute_all(committee, county.YEAR)) == county.EXPECTED
    assert _dues(compute_all(built.branch_a, county.YEAR)) == county.EXPECTED_BRANCH_A
    assert _dues(compute_all(built.branch_b, county.YEAR)) == county.EXPECTED_BRANCH_B
    # A year with nothing due: 0, and a rate of 0 (not a division by zero).
    assert _dues(compute_all(committee, 2023)) == {
        "dues_due_yuan": Decimal("0.00"),
        "dues_paid_yuan": Decimal("0.00"),
        "dues_paid_percent": Decimal("0.0"),
        "dues_members_in_arrears": 0,
        "dues_members_six_months_unpaid": 0,
    }


def test_each_dues_metric_alone(built, committee):
    scope = ReportScope(committee, county.YEAR)
    for code, expected in county.EXPECTED.items():
        assert REGISTRY[code].compute(scope) == expected, code


def test_drill_down_lists_the_members_behind_each_number(built, committee):
    scope = ReportScope(committee, county.YEAR)

    def names(code):
        return sorted(REGISTRY[code].records(scope).values_list("name", flat=True))

    assert names("dues_members_in_arrears") == ["half", "late", "six"]
    assert names("dues_members_six_months_unpaid") == ["late", "six"]
    assert len(names("dues_due_yuan")) == 14  # everyone with a base (not nobase)
    assert "nobase" not in names("dues_paid_yuan")
    rows = member_year_rows(scope, [built.half.pk, built.c1.pk, built.late.pk])
    assert rows[built.half.pk] == {
        "due": Decimal("180.00"),
        "paid": Decimal("172.50"),
        "short": [M(2025, 3, 1)],
    }
    assert rows[built.c1.pk]["due"] == Decimal("780.00") and rows[built.c1.pk]["short"] == []
    assert rows[built.late.pk]["short"] == county.H2 and rows[built.late.pk]["paid"] == Decimal("180.00")


def test_drill_down_page(built, committee, staff_client):
    url = reverse("reports:records", args=[committee.pk, county.YEAR, "dues_members_in_arrears"])
    html = staff_client.get(url).content.decode()
    assert "half" in html and "2025年3月" in html and "172.50" in html


def test_due_and_paid_by_month(built, committee):
    by_month = dues_by_month(ReportScope(committee, county.YEAR))
    # January: branch_a 15 + 30 + 50 + 75 + 25 + 50 + 0.20 + 40 = 285.20; branch_b 150 + 200 + 3 × 15 = 395.
    assert by_month[0] == (M(2025, 1, 1), Decimal("680.20"), Decimal("680.20"))
    # March: half paid 7.50 of 15.00.
    assert by_month[2] == (M(2025, 3, 1), Decimal("680.20"), Decimal("672.70"))
    # June: n1 joins (15.00).
    assert by_month[5] == (M(2025, 6, 1), Decimal("695.20"), Decimal("695.20"))
    # July: c1 owes 90.00 instead of 40.00; six pays nothing from now on (late pays in January,
    # "whenever paid" counts it).
    assert by_month[6] == (M(2025, 7, 1), Decimal("745.20"), Decimal("730.20"))
    assert sum(d for _, d, _ in by_month) == county.EXPECTED["dues_due_yuan"]
    assert sum(p for _, _, p in by_month) == county.EXPECTED["dues_paid_yuan"]


def test_a_subtree_expands_only_its_own_members_months(built):
    # The cost follows the subtree, not the county: branch A's numbers never build branch B's
    # member-months (the rows the statement works on, before any aggregate); the payments are read
    # through those months only (joined by member and month).
    # So does the ledger's statement: it reads the subtree's members' rows only.
    scope = ReportScope(built.branch_a, county.YEAR)
    months = months_of_year(county.YEAR)
    own = set(Member.objects.filter(organization=built.branch_a).values_list("pk", flat=True))
    assert Member.objects.exclude(organization=built.branch_a).exists()
    sql, params = facts.live_sql(months, end=scope.end, in_s=_in_s(scope))
    for table in ("mm", "f"):
        rows = selectors._run(sql + f" SELECT DISTINCT member_id FROM {table}", params)
        assert {row["member_id"] for row in rows} == own, table
    sql, params = selectors.facts_sql(months, end=scope.end, in_s=_in_s(scope))
    assert DuesLedgerMonth._meta.db_table in sql
    rows = selectors._run(sql + " SELECT DISTINCT member_id FROM f", params)
    assert {row["member_id"] for row in rows} == own


def _members_paying_the_year(actor, branch, count):
    for _ in range(count):
        member = MemberFactory(organization=branch, admitted_on=county.ADMITTED)
        services.base_set(actor=actor, member=member, start_month=county.JANUARY, base="3000")
        services.payment_record(
            actor=actor, member=member, months=county.ALL_YEAR, paid_on=county.IN_TIME, amount=None
        )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite's virtual machine steps")
def test_the_county_dues_cost_grows_with_its_member_months_not_their_square(staff, committee, branch_a):
    # Filling the dues ledger's year from the records, and every reader of its member-months (the
    # five numbers, the months, the workbook's sheet, the dashboard's branches), do work in
    # proportion to the rows of the year: twice the members,
    # at most a little over twice the steps; pairing each member-month with each payment is four
    # times. (The workbook's sheet did that on the 1x benchmark county, minutes, a plan SQLite
    # chose there and not for a county this small: this guards the statement's shape.)
    from tests.reports.test_subtree_reads import steps

    def work():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planned from the tables' sizes, as in a database in use
        ledger.rebuild()
        with steps() as counted:  # the ledger's year, built from the records
            ledger.bring_up_to_date([county.YEAR])
        total = counted[0]
        for reader in (dues_values, dues_by_month, rows_by_organization, arrears_by_organization):
            scope = ReportScope(committee, county.YEAR)
            scope._whole_year_and_parts  # noqa: B018  (the scope's stretches, read once by compute_all)
            with steps() as counted:
                getattr(reader, "__wrapped__", reader)(scope)  # computed, not read from the cache
            total += counted[0]
        return total

    _members_paying_the_year(staff, branch_a, 25)
    before = work()
    _members_paying_the_year(staff, branch_a, 25)
    after = work()
    assert after > 1.5 * before  # the measure sees the rows
    assert after < 2.5 * before


def test_the_same_numbers_with_the_members_as_a_semi_join(built, committee, monkeypatch):
    # PostgreSQL gets a large scope's members as IN (subquery), a small one's as an array: the
    # county's numbers either way (on SQLite always the former).
    monkeypatch.setattr(facts, "ARRAY_UP_TO_ORGANIZATIONS", 0)
    assert _dues(compute_all(committee, county.YEAR)) == county.EXPECTED
    assert _dues(compute_all(built.branch_b, county.YEAR)) == county.EXPECTED_BRANCH_B


def test_readiness_lists_the_dues_members_in_order(built, committee, django_assert_num_queries):
    # The dues checks list the members without a base (nobase) and the six-months drill-down's
    # members (late, six: both of branch B), the first `limit` of them by organization and name,
    # each with their organization's name; two queries once the scope's stretches are read, and
    # whether the dues ledger is up to date (the background run leaves it so).
    scope = ReportScope(committee, county.YEAR)
    _in_s(scope)  # the scope's stretches, read once
    dues_ledger_up_to_date()
    with django_assert_num_queries(2 + 1):
        checks = {check.key: check for check in dues_readiness_checks(scope, 50, Check, Finding, check_day)}
    branch_b = built.branch_b.name
    assert [finding.text for finding in checks["dues_no_base"].findings] == [f"nobase（{branch_b}）"]
    unpaid = checks["dues_six_months_unpaid"].findings
    assert [finding.text for finding in unpaid] == [f"late（{branch_b}）", f"six（{branch_b}）"]
    assert unpaid[0].url == reverse("dues:member", args=[built.late.pk])
    first = dues_readiness_checks(scope, 1, Check, Finding, check_day)[1].findings
    assert [finding.text for finding in first] == [f"late（{branch_b}）"]


def test_each_numbers_members_are_those_the_member_months_give(built, committee):
    # The drill-downs read the dues ledger's sums of the year; their members are those the
    # member-months built from the records give (live_year_sql), with a member who joined in June
    # (n1) and one paid late (late).
    scope = ReportScope(committee, county.YEAR)
    sql, params = facts.live_year_sql(county.YEAR, in_s=_in_s(scope))
    for code, condition in dues_metrics.CONDITIONS.items():
        listed = set(REGISTRY[code].records(scope).values_list("pk", flat=True))
        defined = selectors._run(sql + f" SELECT member_id FROM per WHERE {condition}", params)
        assert listed == {row["member_id"] for row in defined}, code
        assert listed, code
    six = REGISTRY["dues_members_six_months_unpaid"].records(scope)
    assert list(six.values_list("name", flat=True)) == ["late", "six"]

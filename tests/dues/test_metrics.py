"""The dues metrics against the county of tests/dues/county.py, counted by hand."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from members.dues import selectors
from members.dues.months import months_of_year
from members.models import Member
from reports.metrics import REGISTRY, ReportScope, compute_all
from reports.metrics.dues import DUES_CODES, _in_s, dues_by_month, member_year_rows
from tests.dues import county

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
    # member-months nor read its payments (the rows the statement works on, before any aggregate).
    scope = ReportScope(built.branch_a, county.YEAR)
    sql, params = selectors.facts_sql(months_of_year(county.YEAR), end=scope.end, in_s=_in_s(scope))
    own = set(Member.objects.filter(organization=built.branch_a).values_list("pk", flat=True))
    assert Member.objects.exclude(organization=built.branch_a).exists()
    for table in ("mm", "pm"):
        rows = selectors._run(sql + f" SELECT DISTINCT member_id FROM {table}", params)
        assert {row["member_id"] for row in rows} == own, table

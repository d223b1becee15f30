"""The integrity and evaluation metrics of METRICS.md on a county counted by hand (tests/evaluations/county.py),
their drill-downs, and a fixed number of queries."""

import pytest
from django.urls import reverse

from reports.metrics import REGISTRY, ReportScope, compute_all
from tests.evaluations import county
from tests.evaluations.county import EXPECTED

CODES = list(EXPECTED[2021])


@pytest.fixture
def built(staff, committee, branch_a, branch_b):
    return county.build(staff, committee, branch_a, branch_b)


@pytest.mark.parametrize("year", [2021, 2020])
def test_each_metric_is_the_hand_count(built, year):
    values = compute_all(built.committee, year, codes=CODES)
    assert values == EXPECTED[year]


def test_the_drill_downs_list_what_is_counted(built):
    scope = ReportScope(built.committee, 2021)
    reports = REGISTRY["secretary_reports"].records(scope)
    assert sorted(r.organization.name for r in reports) == ["县法院机关党委", "撤销党支部", "甲局机关党支部"]
    excellent = REGISTRY["members_appraised_excellent"].records(scope)
    assert sorted(g.member.name for g in excellent) == ["撤一", "甲1", "甲2", "甲3"]
    registered = REGISTRY["community_registered"].records(scope)
    assert sorted(m.name for m in registered) == ["撤一", "甲1", "甲4"]


def test_a_branch_report_counts_its_own_subtree(built):
    values = compute_all(built.branch_a, 2021, codes=CODES)
    # R itself is left out of secretary_reports: branch_a's own report does not count in its report.
    assert values["secretary_reports"] == 0
    assert values["members_appraised"] == 9  # a1–a9
    assert values["commitments_signed"] == 5  # a1–a5; g1 signed in br_gone
    assert values["community_registered"] == 2  # a1, a4 (g1 is in branch_b on E)


@pytest.mark.parametrize("code", CODES)
def test_the_drill_down_pages_open(staff_client, built, code):
    url = reverse("reports:records", args=[built.committee.pk, 2021, code])
    response = staff_client.get(url)
    assert response.status_code == 200


def test_the_metrics_cost_a_fixed_number_of_queries(built, django_assert_max_num_queries):
    # The subtree's stretches, then one aggregate a source (commitments, risk forms, reports,
    # grades, members on E), after the records' version and the year's stored numbers (2), and the
    # past year's own version made the first time it is read (an add in a savepoint: 5).
    with django_assert_max_num_queries(8 + 5):
        compute_all(built.committee, 2021, codes=CODES)

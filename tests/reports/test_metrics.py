"""Every metric of METRICS.md against a county whose numbers are known by hand (county.py)."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from jiguan import dates
from reports.metrics import REGISTRY, ReportScope, compute_all, metric_codes, metric_records
from reports.metrics.annual_summary import lists_issued_numbers, orgs_dissolved_names
from reports.metrics.breakdowns import activities_by_kind_and_month, members_by, organizations_by_kind
from tests.factories import dues_ledger_up_to_date
from tests.reports import county
from tests.reports.county import EXPECTED_2021

# A copy of ../shared/METRICS.md kept in the repository, so this test never skips; then the numbers
# the reports of branches, general branches and party committees add (docs/metrics-organizations.md).
METRICS_MD = Path(__file__).resolve().parents[1] / "fixtures" / "METRICS.md"
ORGANIZATION_METRICS_MD = Path(__file__).resolve().parents[2] / "docs" / "metrics-organizations.md"


@pytest.fixture
def built(committee, branch_a, group_a, branch_b):
    return county.build(committee, branch_a, group_a, branch_b)


BEYOND_THE_SEED = "## Beyond the seed's blanks"


def metrics_md_codes():
    """The seed's metrics, those of docs/metrics-organizations.md, then METRICS.md's "Beyond the
    seed's blanks" (dues, …), which the registry adds after the seed's rows."""
    seed, _, beyond = METRICS_MD.read_text(encoding="utf-8").partition(BEYOND_THE_SEED)
    texts = (seed, ORGANIZATION_METRICS_MD.read_text(encoding="utf-8"), beyond)
    return [code for text in texts for code in re.findall(r"^\| `([a-z0-9_]+)` \|", text, re.M)]


def documented_definitions():
    rows = re.findall(
        r"^\| `([a-z0-9_]+)` \| [^|]* \| (.*) \|$",
        METRICS_MD.read_text(encoding="utf-8") + ORGANIZATION_METRICS_MD.read_text(encoding="utf-8"),
        re.M,
    )
    return dict(rows)


def test_registry_has_every_metric_of_metrics_md_in_order():
    assert metric_codes() == metrics_md_codes()
    for code in metric_codes():
        assert REGISTRY[code].label and REGISTRY[code].doc, code


def test_each_docstring_is_the_documented_definition():
    """The definitions made exact (issue 9) live in the code word for word."""
    documented = documented_definitions()
    for code in metric_codes():
        assert " ".join(REGISTRY[code].doc.split()) == documented[code], code


def test_every_metric_matches_the_hand_count(built):
    values = compute_all(built.committee, 2021)
    assert list(values) == list(EXPECTED_2021)
    wrong = {
        code: (values[code], expected) for code, expected in EXPECTED_2021.items() if values[code] != expected
    }
    assert not wrong, wrong


def test_types(built):
    values = compute_all(built.committee, 2021)
    assert isinstance(values["oath_date"], datetime.date)
    assert values["condolence_amount_wan"] == Decimal("0.414567")  # exact: 4,145.67 yuan
    assert values["dues_due_yuan"] == Decimal("0.00") and values["dues_paid_percent"] == Decimal("0.0")
    decimals = ("oath_date", "condolence_amount_wan", "dues_due_yuan", "dues_paid_yuan", "dues_paid_percent")
    assert all(isinstance(values[c], int) for c in values if c not in decimals)


def test_compute_all_uses_a_fixed_number_of_queries(built, django_assert_num_queries):
    # One query for the subtree's stretches of the year, one aggregate per source (18: R's own
    # activities apart from those of S, whose topics are asked of R's only; the activities of S read
    # from their counts kept by activities.held, and a second aggregate for the activities of the
    # organizations in S only part of the year, of which the county has some: 1), R's activities of the
    # year as ids for the organizations that joined them (sources.joined_organizations), one for the
    # members whose 入党/转正日期 no membership covers (none here, so no query for where their
    # organizations stood after the year), two for the 三会一课 record, and one aggregate for each
    # source of integrity work and evaluations (commitments, risk forms, secretaries' reports,
    # appraisal grades: 4) and one for the dues (every member-month of the year): the count must not grow with the data (no loop over rows).
    # Around them the cache (a table of the database): the records' version and the stored numbers
    # read (2), the numbers stored (a count, a read and an insert in a savepoint: 5); the same for the
    # 三会一课 record, which the dashboard's chart reads too (7), and for the dues summary, whose
    # months and organizations the dashboard and the workbook read (7). Before the dues, whether the
    # dues ledger is up to date (1; members.dues.ledger). The first time, the past year's own version
    # is made too (an add in a savepoint: 5; jiguan.data_version); after the writes below it exists.
    dues_ledger_up_to_date()
    with django_assert_num_queries(29 + 7 + 7 + 7 + 1 + 5):
        compute_all(built.committee, 2021)
    county.activity(built.branch_a, "TRAINING", datetime.date(2021, 8, 8), attended=5)
    county.member("新一", built.branch_b, admitted=datetime.date(2021, 8, 8))
    dues_ledger_up_to_date()
    with django_assert_num_queries(29 + 7 + 7 + 7 + 1):
        values = compute_all(built.committee, 2021)
    assert values["party_member_training_person_times"] == 92
    assert values["probationary_admitted"] == 4
    # Nothing changed since: the same numbers, read from the cache.
    with django_assert_num_queries(2):
        assert compute_all(built.committee, 2021) == values


def test_each_metric_alone_agrees_with_compute_all(built):
    scope = ReportScope(built.committee, 2021)
    for code, expected in EXPECTED_2021.items():
        assert REGISTRY[code].compute(scope) == expected, code


# Whole-number metrics whose records (the drill-down) are not the things counted, and why. Every other
# whole-number metric lists exactly as many records as its number.
COUNTS_OF_OTHER_THINGS = {
    "party_member_training_person_times": "a sum of attendance; lists the trainings",
    "rhythm_missing": "counts missing (branch, kind, period) meetings; lists the branches behind them",
    "volunteer_services_per_member": "a ratio derived from other metrics; lists the services",
    "condolence_persons": "counts people; lists the visits (a person visited twice counts once)",
    "activists_trained": "counts people; lists the training places (one person, several trainings)",
    "liaison_leaders": "counts leaders; lists the assignments (one leader, several organizations)",
    "members_commended": "counts members; lists the commendations (one member, several)",
}


def test_records_agree_with_counts(built):
    """Read from the registry: a new metric counting rows is checked without being listed here."""
    scope = ReportScope(built.committee, 2021)
    values = compute_all(built.committee, 2021)
    assert set(COUNTS_OF_OTHER_THINGS) <= set(REGISTRY)
    counting = [
        code
        for code, metric in REGISTRY.items()
        if metric.kind is int and not metric.helper and code not in COUNTS_OF_OTHER_THINGS
    ]  # fmt: skip
    for code in counting:
        assert REGISTRY[code].records(scope).count() == values[code], code
    count_like = [
        "central_group_study_sessions",
        "ideology_sessions",
        "integrity_education_sessions",
        "law_study_sessions",
        "lists_issued",
        "work_plan_key_tasks",
        "red_site_joint_orgs",
        "commended_members",
        "commended_workers",
        "commended_orgs",
        "recommended_individuals",
        "recommended_collectives",
        "medals_50_years",
        "orgs_total",
        "orgs_branches",
        "members_in_service",
        "orgs_renamed",
        "orgs_dissolved",
        "orgs_reparented",
        "leader_changes",
        "liaison_orgs",
        "joint_activity_orgs",
        "reminder_letters",
        "regulations_revised",
        "integrity_special_meetings",
        "members_total",
        "members_full",
        "members_probationary",
        "members_retired",
        "members_confirmed",
        "theme_days",
        "orgs_commended",
    ]
    assert set(count_like) <= set(counting)
    for code in count_like:
        assert REGISTRY[code].records(scope).count() == EXPECTED_2021[code], code
    assert list(metric_records("oath_date", built.committee, 2021))[0].date == datetime.date(2021, 6, 28)
    attended = sum(
        a.attended_count or 0
        for a in metric_records("party_member_training_person_times", built.committee, 2021)
    )
    assert attended == 87


def test_list_placeholders(built):
    scope = ReportScope(built.committee, 2021)
    assert lists_issued_numbers(scope) == ["党工通〔2021〕3号", "党工通〔2021〕5号"]
    assert orgs_dissolved_names(scope) == ["县自然资源局党总支部"]


def test_a_year_with_no_data_is_zeros(built):
    values = compute_all(built.committee, 1990)
    assert values["oath_date"] is None
    assert str(values["condolence_amount_wan"]) == "0.00"
    assert all(v == 0 for c, v in values.items() if c not in ("oath_date", "condolence_amount_wan"))


def test_next_year_sees_the_branch_founded_on_1_january(built):
    values = compute_all(built.committee, 2022)
    assert values["orgs_established_branches"] == 1
    assert values["orgs_branches"] == 5  # branch_a, branch_b, br_c, br_moved, br_next
    assert values["central_group_study_sessions"] == 1


def test_a_later_reorganization_does_not_change_a_past_year(built):
    before = compute_all(built.committee, 2021)
    # 2022: branch_a leaves the committee, a member of branch_b transfers out, branch_b is dissolved.
    county.reparent(built.branch_a, built.outside_root, datetime.date(2022, 3, 1))
    county.move_member(built.m5, built.outside, datetime.date(2022, 2, 1))
    built.branch_b.dissolved_on = datetime.date(2022, 6, 1)
    built.branch_b.save(update_fields=["dissolved_on"])
    county.rename(built.gb2, "县委机关新党总支部", datetime.date(2022, 4, 1))
    assert compute_all(built.committee, 2021) == before
    after = compute_all(built.committee, 2022)
    assert after["orgs_reparented"] == 1 and after["orgs_dissolved"] == 1 and after["orgs_renamed"] == 1


def test_report_for_a_subtree(built):
    values = compute_all(built.branch_a, 2021)
    assert values["orgs_total"] == 0  # group_a is not a grass-roots kind
    assert values["members_in_service"] == 3  # m1, m2, m4
    assert values["party_member_training_person_times"] == 30
    assert values["condolence_persons"] == 2
    assert values["central_group_study_sessions"] == 1  # held by branch_a itself


def test_breakdowns(built):
    scope = ReportScope(built.committee, 2021)
    assert dict(members_by(scope, "status")) == {"预备党员": 2, "正式党员": 5}
    assert dict(members_by(scope, "category")) == {"在职": 6, "离退休": 1, "其他": 0}
    assert dict(members_by(scope, "gender")) == {"男": 6, "女": 1}
    assert dict(members_by(scope, "age_band")) == {
        "30岁及以下": 2,
        "31至40岁": 0,
        "41至50岁": 4,
        "51至60岁": 0,
        "61岁及以上": 1,
    }
    assert dict(members_by(scope, "ethnicity")) == {"汉族": 7}
    by_kind = dict(organizations_by_kind(scope))
    assert by_kind["党支部"] == 4 and by_kind["党小组"] == 1 and by_kind["机关纪委"] == 1
    months = dict(activities_by_kind_and_month(scope))
    assert months["理论学习中心组学习"][11] == 1  # R's on 31 December counts in December
    assert months["理论学习中心组学习"][3] == 1  # branch_a's in April
    assert sum(months["理论学习中心组学习"]) == 4


def test_the_rhythm_of_a_past_year_is_read_after_the_year_ended(built):
    """ReportScope.rhythm is activities.rhythm.rhythm_table (party group meetings count for their
    branch), read on 1 January of the next year: December has ended, so it is held or missing."""
    from activities.rhythm import HELD, MISSING

    county.activity(built.group_a, "GROUP_MEETING", datetime.date(2021, 2, 3))
    county.activity(built.branch_a, "COMMITTEE_MEETING", datetime.date(2021, 2, 4))
    county.activity(built.branch_a, "COMMITTEE_MEETING", datetime.date(2021, 2, 24))
    scope = ReportScope(built.committee, 2021)
    assert scope.rhythm_day == datetime.date(2022, 1, 1)
    rows = {b.organization.name: {r.requirement.label: r for r in b.rows} for b in scope.rhythm}
    branch_a = rows["甲局机关党支部"]
    assert branch_a["党小组会"].months[1] == 1 and branch_a["党小组会"].cells[1].status == HELD
    assert branch_a["支部委员会"].months[1] == 2
    assert branch_a["支部委员会"].cells[11].status == MISSING
    assert sum(rows["乙局机关第一党支部"]["支部委员会"].months) == 0


def test_the_rhythm_of_the_current_year_is_read_today(committee):
    today = dates.today()
    assert ReportScope(committee, today.year).rhythm_day == today


def test_every_metric_has_a_chinese_definition_for_its_readers():
    """The 说明 column, the drill-down's 口径 and the tooltips read these, not the English docstrings."""
    for code, metric in REGISTRY.items():
        assert metric.definition, code
        assert re.search(r"[\u4e00-\u9fff]", metric.definition), code
        assert not re.search(r"\b(of|in|by|the)\b", metric.definition), code

"""The rhythm table: held / missing / due / not yet due, only for periods the branch existed."""

import datetime
import pickle

from activities import rhythm
from activities.models import Activity, ActivityKind
from organizations.models import Kind, Organization
from tests.factories import OrganizationFactory

AFTER_2025 = datetime.date(2026, 1, 15)


def held(organization, kind, day):
    return Activity.objects.create(organization=organization, kind=kind, date=day, title=f"{kind} {day}")


def cells(branch_rhythm, kind):
    row = next(r for r in branch_rhythm.rows if r.requirement.kind == kind)
    return [c.status for c in row.cells]


def table_for(organization, year=2025, today=AFTER_2025):
    [result] = rhythm.rhythm_table(Organization.objects.filter(pk=organization.pk), year, today)
    return result


def test_a_branch_founded_in_june_owes_nothing_before_june(committee):
    branch = OrganizationFactory(parent=committee, kind=Kind.BRANCH, founded_on=datetime.date(2025, 6, 10))
    held(branch, ActivityKind.THEME_DAY, datetime.date(2025, 6, 28))
    result = table_for(branch)
    months = cells(result, ActivityKind.THEME_DAY)
    assert months[:5] == [rhythm.NOT_REQUIRED] * 5
    assert months[5] == rhythm.HELD
    assert months[6:] == [rhythm.MISSING] * 6
    assert cells(result, ActivityKind.GENERAL_MEETING) == [
        rhythm.NOT_REQUIRED,
        rhythm.MISSING,
        rhythm.MISSING,
        rhythm.MISSING,
    ]
    assert cells(result, ActivityKind.LIFE_MEETING) == [rhythm.MISSING]
    # 7 committee meetings + 6 theme days + 3 general meetings + 3 lectures + 2 yearly; no groups.
    assert result.missing == 7 + 6 + 3 + 3 + 2


def test_a_meeting_on_the_last_day_of_a_quarter_counts_for_that_quarter(branch_a):
    held(branch_a, ActivityKind.GENERAL_MEETING, datetime.date(2025, 3, 31))
    held(branch_a, ActivityKind.PARTY_LECTURE, datetime.date(2025, 7, 1))
    result = table_for(branch_a)
    assert cells(result, ActivityKind.GENERAL_MEETING) == [rhythm.HELD] + [rhythm.MISSING] * 3
    assert cells(result, ActivityKind.PARTY_LECTURE) == [
        rhythm.MISSING,
        rhythm.MISSING,
        rhythm.HELD,
        rhythm.MISSING,
    ]


def test_each_month_counts_its_first_and_last_day_and_no_other(branch_a):
    # Theme days on the 1st and the last day of every month of 2024 (a leap year): each month 2.
    for month in range(1, 13):
        first = datetime.date(2024, month, 1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        held(branch_a, ActivityKind.THEME_DAY, first)
        held(branch_a, ActivityKind.THEME_DAY, last)
    held(branch_a, ActivityKind.THEME_DAY, datetime.date(2023, 12, 31))  # other years: not counted
    held(branch_a, ActivityKind.THEME_DAY, datetime.date(2025, 1, 1))
    result = table_for(branch_a, year=2024, today=datetime.date(2025, 1, 15))
    row = next(r for r in result.rows if r.requirement.kind == ActivityKind.THEME_DAY)
    assert list(row.months) == [2] * 12


def test_group_meetings_are_held_by_the_groups_and_count_for_the_branch(branch_a, group_a, branch_b):
    held(group_a, ActivityKind.GROUP_MEETING, datetime.date(2025, 2, 12))
    result = table_for(branch_a)
    assert cells(result, ActivityKind.GROUP_MEETING)[:2] == [rhythm.MISSING, rhythm.HELD]
    assert ActivityKind.GROUP_MEETING not in [r.requirement.kind for r in table_for(branch_b).rows]


def test_periods_are_due_or_not_yet_due_relative_to_today(branch_a):
    held(branch_a, ActivityKind.THEME_DAY, datetime.date(2025, 3, 5))
    result = table_for(branch_a, today=datetime.date(2025, 5, 15))
    months = cells(result, ActivityKind.THEME_DAY)
    assert months[:5] == [rhythm.MISSING, rhythm.MISSING, rhythm.HELD, rhythm.MISSING, rhythm.DUE]
    assert months[5:] == [rhythm.NOT_DUE] * 7
    assert cells(result, ActivityKind.GENERAL_MEETING) == [
        rhythm.MISSING,
        rhythm.DUE,
        rhythm.NOT_DUE,
        rhythm.NOT_DUE,
    ]
    owed = [(r.kind, p.label) for r, p in result.due_now]
    assert (ActivityKind.THEME_DAY, "5月") in owed
    assert (ActivityKind.GENERAL_MEETING, "第二季度") in owed
    assert (ActivityKind.LIFE_MEETING, "2025年") in owed


def test_a_dissolved_branch_owes_nothing_after_its_dissolution(committee):
    branch = OrganizationFactory(parent=committee, kind=Kind.BRANCH, founded_on=datetime.date(2010, 1, 1))
    branch.dissolved_on = datetime.date(2025, 4, 15)
    branch.save()
    months = cells(table_for(branch), ActivityKind.COMMITTEE_MEETING)
    assert months[:3] == [rhythm.MISSING] * 3
    assert months[3:] == [rhythm.NOT_REQUIRED] * 9


def test_every_branch_worst_first_in_two_queries(
    committee, branch_a, group_a, branch_b, django_assert_num_queries
):
    for month in range(1, 13):
        held(branch_a, ActivityKind.THEME_DAY, datetime.date(2025, month, 1))
        held(branch_a, ActivityKind.COMMITTEE_MEETING, datetime.date(2025, month, 2))
        held(group_a, ActivityKind.GROUP_MEETING, datetime.date(2025, month, 3))
    for _ in range(5):
        OrganizationFactory(parent=committee, kind=Kind.BRANCH)
    # One query for the branches (with whether they have groups), one of their activities held by
    # month (activities.held): the same two whatever the number of branches.
    with django_assert_num_queries(2):
        table = rhythm.rhythm_table(Organization.objects.all(), 2025, AFTER_2025)
    assert len(table) == 7
    assert table[-1].organization == branch_a
    assert table[0].missing >= table[1].missing >= table[-1].missing
    assert all(r.organization.kind == Kind.BRANCH for r in table)


def test_the_branch_pages_cells_use_the_legends_marks(client, secretary, branch_a):
    import re

    from django.urls import reverse

    client.force_login(secretary)
    page = client.get(reverse("activities:rhythm_branch", args=[branch_a.pk])).content.decode()
    legend = dict(
        (css, mark)
        for css, mark in re.findall(r'<span class="rhythm-cell (rhythm-[a-z-]+)">([^<]*)</span>', page)
    )
    cells = re.findall(r'<td colspan="\d+" class="(rhythm-[a-z-]+)"[^>]*>([^<]*)</td>', page)
    assert any(css == "rhythm-due" for css, _ in cells)  # this period is still open
    for css, text in cells:
        assert text == legend[css], (css, text)


def test_a_stored_table_reads_as_the_table(committee, branch_a, group_a, branch_b):
    # The report's table is stored in the cache (pickled) and read back by its charts and workbook:
    # what they read is what was made.
    for month in (1, 2, 5, 11):
        held(branch_a, ActivityKind.THEME_DAY, datetime.date(2025, month, 1))
        held(group_a, ActivityKind.GROUP_MEETING, datetime.date(2025, month, 3))
    held(branch_b, ActivityKind.PARTY_LECTURE, datetime.date(2025, 8, 8))
    table = rhythm.rhythm_table(Organization.objects.all(), 2025, datetime.date(2025, 9, 15))
    stored = pickle.loads(pickle.dumps(table))

    def seen(branch):
        return (
            branch.organization.pk,
            branch.organization.name,
            branch.year,
            branch.today,
            branch.held,
            branch.missing,
            branch.rate,
            branch.due_now,
            [(r.requirement, r.periods, r.statuses, r.counts, r.months) for r in branch.rows],
        )

    assert [seen(b) for b in stored] == [seen(b) for b in table]
    assert any(b.missing for b in table) and any(b.due_now for b in table)

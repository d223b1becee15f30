"""The activities held by month (activities.held): the rows kept as activities are written (every
kind's count by month, the year's count and attendance) read as counting the activities again would, after creates, edits across months and years, deletes, bulk
imports, a 党小组 moved to another branch, a write rolled back, a restore and a migrate; and two
writers of one branch's year at once, both counted."""

import datetime
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from activities import rhythm, services
from activities.models import Activity, ActivityKind, HeldByMonth
from jiguan import audit, backup
from organizations.models import Kind, Organization
from organizations.services import organization_move
from tests.concurrency import at_once, skip_on_sqlite
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

D = datetime.date
YEARS = (2024, 2025)
KINDS = (*rhythm.REQUIRED_KINDS, ActivityKind.TRAINING, ActivityKind.OTHER)


def kept(year):
    """{(organization id, kind): ([count per month], count in the year, attendance in the year)} as
    the table holds it."""
    return {
        (row.organization_id, row.kind): (
            [getattr(row, month) for month in HeldByMonth.MONTHS],
            row.held,
            row.attended,
        )
        for row in HeldByMonth.objects.filter(year=year)
    }


def by_hand(year):
    """The same, counted from the activities one by one (the test's own reading of the records)."""
    counts = Counter()
    attended = Counter()
    for a in Activity.objects.filter(date__year=year):
        counts[(a.organization_id, a.kind, a.date.month)] += 1
        attended[(a.organization_id, a.kind)] += a.attended_count or 0
    months = {}
    for (organization_id, kind, month), n in counts.items():
        months.setdefault((organization_id, kind), [0] * 12)[month - 1] = n
    return {key: (by_month, sum(by_month), attended[key]) for key, by_month in months.items()}


def branch_counts_by_hand(branch_ids, year):
    """rhythm.activity_counts's definition: a branch's own activities, and its groups' 党小组会."""
    result = {}
    for a in Activity.objects.filter(date__year=year, kind__in=rhythm.REQUIRED_KINDS).select_related(
        "organization"
    ):
        holder = a.organization
        if holder.kind == Kind.BRANCH:
            branch_id = holder.pk
        elif holder.kind == Kind.PARTY_GROUP and a.kind == ActivityKind.GROUP_MEETING:
            branch_id = holder.parent_id
        else:
            continue
        if branch_id in branch_ids:
            result.setdefault((branch_id, a.kind), [0] * 12)[a.date.month - 1] += 1
    return {key: tuple(months) for key, months in result.items()}


def assert_kept_as_the_records():
    for year in YEARS:
        assert kept(year) == by_hand(year), year


@pytest.fixture
def county(committee, branch_a, group_a, branch_b):
    group_b = OrganizationFactory(parent=branch_b, kind=Kind.PARTY_GROUP, founded_on=D(2020, 1, 1))
    return [committee, branch_a, group_a, branch_b, group_b]


def _a_day(rng):
    return D(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28))


@pytest.mark.parametrize("seed", range(3))
def test_the_rows_count_the_activities_after_any_history_of_writes(staff, county, seed):
    rng = random.Random(seed)
    for _ in range(40):
        services.activity_create(
            actor=staff,
            organization=rng.choice(county),
            kind=rng.choice(KINDS),
            date=_a_day(rng),
            title="活动",
            expected_count=30,
            attended_count=rng.choice([None, 0, 7, 25]),
        )
    assert_kept_as_the_records()
    activities = list(Activity.objects.all())
    for activity in rng.sample(activities, 15):  # to another month, year or kind
        services.activity_update(
            actor=staff,
            activity=activity,
            date=_a_day(rng),
            title=activity.title,
            kind=rng.choice(KINDS),
            expected_count=30,
            attended_count=rng.choice([None, 12]),
        )
    assert_kept_as_the_records()
    for activity in rng.sample(activities, 10):
        services.activity_delete(actor=staff, activity=Activity.objects.get(pk=activity.pk))
    assert_kept_as_the_records()
    # Created in bulk, as an import does (audit.record_bulk_create).
    rows = Activity.objects.bulk_create(
        Activity(
            organization=rng.choice(county),
            kind=rng.choice(KINDS),
            date=_a_day(rng),
            title="导入",
            attended_count=rng.choice([None, 9]),
        )
        for _ in range(30)
    )
    audit.record_bulk_create(staff, rows)
    assert_kept_as_the_records()
    branches = [o.pk for o in county if o.kind == Kind.BRANCH]
    for year in YEARS:
        assert rhythm.activity_counts(branches, year) == branch_counts_by_hand(set(branches), year)


def test_a_group_moved_to_another_branch_takes_its_meetings_along(staff, county, branch_a, group_a, branch_b):
    services.activity_create(
        actor=staff, organization=group_a, kind=ActivityKind.GROUP_MEETING, date=D(2025, 3, 5), title="小组会"
    )
    before = rhythm.activity_counts([branch_a.pk, branch_b.pk], 2025)
    assert before[(branch_a.pk, ActivityKind.GROUP_MEETING)][2] == 1
    organization_move(actor=staff, organization=group_a, new_parent=branch_b, date=D(2025, 6, 1))
    after = rhythm.activity_counts([branch_a.pk, branch_b.pk], 2025)
    assert (branch_a.pk, ActivityKind.GROUP_MEETING) not in after
    assert after[(branch_b.pk, ActivityKind.GROUP_MEETING)][2] == 1
    assert after == branch_counts_by_hand({branch_a.pk, branch_b.pk}, 2025)


def test_a_write_rolled_back_leaves_the_rows_as_they_were(staff, branch_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.activity_create(
            actor=staff,
            organization=branch_a,
            kind=ActivityKind.THEME_DAY,
            date=D(2025, 4, 1),
            title="主题党日",
        )
        assert kept(2025) == {
            (branch_a.pk, ActivityKind.THEME_DAY): ([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], 1, 0)
        }
        raise RuntimeError
    assert kept(2025) == {}


def test_a_restore_and_a_migrate_count_every_activity_again(staff, county, branch_a):
    for month in (1, 5, 5, 12):
        services.activity_create(
            actor=staff,
            organization=branch_a,
            kind=ActivityKind.PARTY_LECTURE,
            date=D(2024, month, 2),
            title="党课",
        )
    # A restore's rows arrive raw, unfollowed: everything is counted once they are in.
    HeldByMonth.objects.all().delete()
    backup.restored.send(sender=None, using="default")
    assert kept(2024) == {
        (branch_a.pk, ActivityKind.PARTY_LECTURE): ([1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1], 4, 0)
    }
    # migrate (a county moving to this release): the activities already there are counted.
    HeldByMonth.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert_kept_as_the_records()
    assert kept(2024) != {}


def test_saving_an_activity_counts_its_year_again_in_a_fixed_number_of_queries(
    staff, branch_a, django_assert_num_queries
):
    activity = services.activity_create(
        actor=staff, organization=branch_a, kind=ActivityKind.THEME_DAY, date=D(2025, 4, 1), title="主题党日"
    )
    # Where it stood (1), the update (1), the organization locked (1), then per year the rows deleted
    # and counted again (2) and inserted where there are any (1): moved from 2025, which has none
    # left, to 2024.
    with django_assert_num_queries(1 + 1 + 1 + 2 + (2 + 1)):
        activity.date = D(2024, 4, 1)
        activity.save()
    assert kept(2025) == {}
    assert kept(2024)[(branch_a.pk, ActivityKind.THEME_DAY)][0][3] == 1


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_branchs_year_at_once_are_both_counted(committee, staff):
    skip_on_sqlite()
    branch = Organization.objects.get(pk=OrganizationFactory(parent=committee, kind=Kind.BRANCH).pk)

    def write():
        with transaction.atomic():
            return services.activity_create(
                actor=staff,
                organization=branch,
                kind=ActivityKind.THEME_DAY,
                date=D(2025, 9, 9),
                title="主题党日",
            ).pk

    results, errors = at_once(write, 4)
    assert errors == [] and len(results) == 4
    assert kept(2025) == {(branch.pk, ActivityKind.THEME_DAY): ([0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0], 4, 0)}

"""A 机关党委's numbers read its own subtree's rows, not the county's (issue 16): the work SQLite
does for them (its virtual machine's steps) stays the same when another 机关党委 gets many more
branches, members and activities, while the county's grows.

Measured for what used to read the county: the 三会一课 record (activities.rhythm, its activities
were looked up by kind and date) and the roster on E (members_on_end)."""

import contextlib
import datetime

import pytest
from django.db import connection
from django.db.models import Count

from activities.models import Activity, ActivityKind
from activities.rhythm import rhythm_table
from jiguan import audit
from organizations.models import Kind, Organization, OrganizationVersion
from reports.metrics.scope import ReportScope
from reports.metrics.sources import SOURCES
from tests.factories import MemberFactory, OrganizationFactory

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="counts SQLite's virtual machine steps"
)

YEAR = 2025
AFTER = datetime.date(YEAR + 1, 1, 15)
KINDS = [ActivityKind.COMMITTEE_MEETING, ActivityKind.THEME_DAY, ActivityKind.PARTY_LECTURE]


@contextlib.contextmanager
def steps():
    """The virtual machine's steps (in hundreds) of the queries run inside the block."""
    counted = [0]

    def tick():
        counted[0] += 1
        return 0

    connection.ensure_connection()
    connection.connection.set_progress_handler(tick, 100)
    try:
        yield counted
    finally:
        connection.connection.set_progress_handler(None, 100)


def branches_with_records(party_committee, branches, members):
    for _ in range(branches):
        branch = OrganizationFactory(parent=party_committee, kind=Kind.BRANCH)
        activities = Activity.objects.bulk_create(
            Activity(organization=branch, kind=kind, date=datetime.date(YEAR, month, 10), title="会")
            for kind in KINDS
            for month in range(1, 13)
        )
        audit.record_bulk_create(None, activities)  # as an import: counted by month (activities.held)
        for _ in range(members):
            MemberFactory(organization=branch)


def work_for(root) -> int:
    scope = ReportScope(root, YEAR)
    with steps() as counted:
        scope.intervals  # noqa: B018  (compute_all reads them first)
        rhythm_table(Organization.objects.subtree_of(root, scope.end), YEAR, AFTER)
        SOURCES["members_on_end"].rows(scope).order_by().aggregate(n=Count("pk"))
    return counted[0]


@sqlite_only
def test_a_subtree_reads_its_own_rows_whatever_the_county_holds(committee):
    ours = OrganizationFactory(parent=committee, kind=Kind.PARTY_COMMITTEE)
    theirs = OrganizationFactory(parent=committee, kind=Kind.PARTY_COMMITTEE)
    branches_with_records(ours, branches=2, members=3)
    branches_with_records(theirs, branches=2, members=3)
    ours_before, county_before = work_for(ours), work_for(committee)

    branches_with_records(theirs, branches=20, members=3)

    ours_after, county_after = work_for(ours), work_for(committee)
    assert county_after > 3 * county_before  # the measure sees rows read
    assert ours_after <= ours_before * 1.1 + 5


def test_the_organizations_on_e_read_from_the_stretches_are_the_subtree_on_e(committee):
    ours = OrganizationFactory(parent=committee, kind=Kind.PARTY_COMMITTEE)
    theirs = OrganizationFactory(parent=committee, kind=Kind.PARTY_COMMITTEE)
    stays = OrganizationFactory(parent=ours)
    OrganizationFactory(parent=stays, kind=Kind.PARTY_GROUP)
    dissolved = OrganizationFactory(parent=ours, dissolved_on=datetime.date(YEAR, 3, 1))
    OrganizationFactory(parent=ours, founded_on=datetime.date(YEAR, 12, 31))
    OrganizationFactory(parent=ours, founded_on=datetime.date(YEAR + 1, 1, 1))
    OrganizationFactory(parent=theirs)
    moved_away, moved_in = OrganizationFactory(parent=ours), OrganizationFactory(parent=theirs)
    for organization, new_parent in ((moved_away, theirs), (moved_in, ours)):
        OrganizationVersion.objects.filter(organization=organization).update(
            valid_to=datetime.date(YEAR, 6, 1)
        )
        OrganizationVersion.objects.create(
            organization=organization,
            name=organization.name,
            parent=new_parent,
            valid_from=datetime.date(YEAR, 6, 1),
        )
    scope = ReportScope(ours, YEAR)
    subquery = set(scope.subtree_on_end().values_list("pk", flat=True))
    scope.intervals  # noqa: B018  (read: the list comes from them)
    assert set(scope.organizations_on_end) == subquery
    assert dissolved.pk in subquery and moved_in.pk in subquery and moved_away.pk not in subquery

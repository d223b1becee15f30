"""The demo county's tree: the 2025 reorganizations of the seed, leaders, terms and liaison."""

import datetime

import pytest

from jiguan.demo import DemoCounty
from organizations import demo, selectors
from organizations.models import (
    LEADING_POSTS,
    Appointment,
    EventKind,
    Kind,
    LiaisonAssignment,
    Organization,
    OrganizationEvent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(db):
    county = DemoCounty(today=datetime.date(2026, 11, 24))
    demo.build(county)
    return county


def kinds_on(day):
    orgs = Organization.objects.as_of(day)
    return {
        kind: orgs.filter(kind=kind).count()
        for kind in (Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)
    }


def test_demo_tree_and_its_2025(county):
    assert county.root.name == demo.ROOT_NAME
    assert county.organizations["demo_secretary_org"].kind == Kind.BRANCH
    before, after = kinds_on(datetime.date(2024, 12, 31)), kinds_on(datetime.date(2025, 12, 31))
    assert after[Kind.PARTY_COMMITTEE] == before[Kind.PARTY_COMMITTEE] + 2
    assert after[Kind.GENERAL_BRANCH] == before[Kind.GENERAL_BRANCH] - 4
    events = OrganizationEvent.objects.filter(date__year=2025)
    assert events.filter(kind=EventKind.RENAMED).count() == 3
    assert events.filter(kind=EventKind.MERGED).count() == 1
    assert events.filter(kind=EventKind.DISSOLVED, organization__kind=Kind.GENERAL_BRANCH).count() == 4
    assert events.filter(kind=EventKind.FOUNDED, organization__kind=Kind.DISCIPLINE_COMMITTEE).count() == 2
    (merged, receiving, day) = county.extra["merges"][0]
    assert (merged.name, receiving.name, merged.dissolved_on) == (
        "中共县政府招待所党支部",
        "中共县机关事务服务中心党支部",
        day,
    )


def test_demo_leaders_terms_and_liaison(county):
    today = county.today
    elected = Organization.objects.active().filter(
        kind__in=(Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)
    )
    assert not elected.exclude(
        appointments__in=Appointment.objects.active_on(today).filter(post="SECRETARY")
    ).exists()
    assert selectors.terms_expiring(today).count() >= 3
    assert selectors.terms_overdue(today).count() >= 3
    assert Appointment.objects.filter(post__in=LEADING_POSTS, start_on__year__in=(2025, 2026)).count() >= 10
    active = LiaisonAssignment.objects.filter(end_on__isnull=True)
    assert active.values("leader_name").distinct().count() == 5
    assert active.values("organization").distinct().count() == 15

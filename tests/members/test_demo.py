"""The demo county's members: built with the services, deterministic."""

import datetime

import pytest

from jiguan import dates
from jiguan.demo import DemoCounty
from members import selectors
from members.models import Member, MemberEvent, MemberEventKind, Prospect, Stage


@pytest.fixture
def county(db):
    from members import demo as members_demo
    from organizations import demo as organizations_demo
    from organizations import demo_accounts

    county = DemoCounty(today=dates.today())
    organizations_demo.build(county)
    demo_accounts.build(county)
    members_demo.build(county)
    return county


def test_demo_builds_a_believable_roster(county):
    today = county.today
    on_roster = Member.objects.as_of(today)
    assert 300 <= on_roster.count() <= 1500
    in_service = on_roster.filter(category_then="IN_SERVICE").count()
    assert 0.6 < in_service / on_roster.count() < 0.9
    for stage in (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL):
        assert Prospect.objects.filter(stage=stage).exists(), stage
    for kind in (
        MemberEventKind.MOVED,
        MemberEventKind.TRANSFERRED_IN,
        MemberEventKind.TRANSFERRED_OUT,
        MemberEventKind.CONFIRMED,
        MemberEventKind.DIED,
        MemberEventKind.CATEGORY_CHANGED,
    ):
        assert MemberEvent.objects.filter(kind=kind, date__year__in=county.years).exists(), kind


def test_demo_awards_medals_and_commendations_in_both_years(county):
    from members.models import Commendation, MedalAward

    for year in county.years:
        if datetime.date(year, 6, 28) <= county.today:
            assert MedalAward.objects.filter(year=year).exists()
            assert not selectors.medal_eligible(year).exists()
        granted = Commendation.objects.filter(granted_by=county.root, date__year=year)
        assert granted.filter(recommended=False, kind="OUTSTANDING_MEMBER").count() == 10
        assert granted.filter(recommended=True).count() == 3


def test_demo_memberships_respect_the_tree(county):
    from django.db.models import F

    from members.models import MemberVersion

    assert not MemberVersion.objects.filter(
        valid_to__isnull=True, organization__dissolved_on__isnull=False
    ).exists()
    assert not MemberVersion.objects.filter(organization__founded_on__gt=F("valid_from")).exists()
    for from_organization, _to, date in county.extra.get("merges", []):
        assert not Member.objects.as_of(date).filter(organization_then_id=from_organization.pk).exists()
        assert (
            Member.objects.as_of(date - datetime.timedelta(days=1))
            .filter(organization_then_id=from_organization.pk)
            .exists()
        )

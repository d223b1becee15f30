"""The tree as it stood on any day: one queryset method, unchanged by later reorganizations."""

import datetime

import pytest

from organizations import services
from organizations.models import Kind, Organization

pytestmark = pytest.mark.django_db

D = datetime.date


def counts(day, root):
    tree = Organization.objects.subtree_of(root, day).as_of(day).grass_roots()
    return {
        kind: tree.filter(kind=kind).count()
        for kind in (Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)
    }


@pytest.fixture
def county(staff, committee):
    general = services.organization_found(
        actor=staff, kind=Kind.GENERAL_BRANCH, name="法院党总支部", parent=committee, founded_on=D(2010, 1, 1)
    )
    branches = [
        services.organization_found(
            actor=staff, kind=Kind.BRANCH, name=f"法院第{i}支部", parent=general, founded_on=D(2010, 1, 1)
        )
        for i in range(3)
    ]
    return general, branches


def reorganize(staff, committee, general, branches):
    day = D(2025, 5, 20)
    party_committee = services.organization_found(
        actor=staff, kind=Kind.PARTY_COMMITTEE, name="法院机关党委", parent=committee, founded_on=day
    )
    services.organization_found(
        actor=staff,
        kind=Kind.DISCIPLINE_COMMITTEE,
        name="法院机关纪委",
        parent=party_committee,
        founded_on=day,
    )
    for branch in branches:
        services.organization_move(actor=staff, organization=branch, new_parent=party_committee, date=day)
    services.organization_dissolve(actor=staff, organization=general, date=day)
    services.organization_rename(
        actor=staff, organization=branches[0], new_name="法院审判支部", date=D(2025, 9, 1)
    )
    return party_committee


def test_a_count_on_a_past_day_is_unchanged_by_later_events(staff, committee, county):
    general, branches = county
    before = counts(D(2024, 12, 31), committee)
    assert before == {Kind.PARTY_COMMITTEE: 0, Kind.GENERAL_BRANCH: 1, Kind.BRANCH: 3}
    party_committee = reorganize(staff, committee, general, branches)
    assert counts(D(2024, 12, 31), committee) == before
    assert counts(D(2025, 12, 31), committee) == {
        Kind.PARTY_COMMITTEE: 1,
        Kind.GENERAL_BRANCH: 0,
        Kind.BRANCH: 3,
    }
    then = Organization.objects.as_of(D(2024, 12, 31)).get(pk=branches[0].pk)
    assert (then.name_then, then.parent_then_id) == ("法院第0支部", general.pk)
    now = Organization.objects.as_of(D(2025, 12, 31)).get(pk=branches[0].pk)
    assert (now.name_then, now.parent_then_id) == ("法院审判支部", party_committee.pk)


def test_the_subtree_of_a_dissolved_general_branch_on_a_past_day(staff, committee, county):
    general, branches = county
    reorganize(staff, committee, general, branches)
    assert set(Organization.objects.subtree_of(general, D(2024, 6, 1))) == {general, *branches}
    assert set(Organization.objects.subtree_of(general, D(2025, 6, 1))) == {general}


def test_the_day_of_an_event_belongs_to_the_new_state(staff, committee, county):
    general, branches = county
    reorganize(staff, committee, general, branches)
    assert not Organization.objects.as_of(D(2025, 5, 20)).filter(pk=general.pk).exists()
    assert Organization.objects.as_of(D(2025, 5, 19)).filter(pk=general.pk).exists()

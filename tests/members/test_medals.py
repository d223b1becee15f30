"""光荣在党50年: who is eligible in a year, and the awards."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from jiguan import dates
from members import selectors, services
from members.models import MedalAward
from organizations.models import Organization
from tests.factories import MemberFactory

D = datetime.date


def _veteran(organization, confirmed_on, **kwargs):
    return MemberFactory(
        organization=organization,
        birth_date=D(1950, 3, 3),
        admitted_on=D(confirmed_on.year - 1, confirmed_on.month, confirmed_on.day),
        confirmed_on=confirmed_on,
        **kwargs,
    )


def test_confirmed_on_1_july_of_year_minus_50_is_eligible(branch_a):
    member = _veteran(branch_a, D(1976, 7, 1))
    assert list(selectors.medal_eligible(2026)) == [member]


def test_confirmed_on_2_july_is_not_eligible_until_next_year(branch_a):
    member = _veteran(branch_a, D(1976, 7, 2))
    assert not selectors.medal_eligible(2026).exists()
    assert list(selectors.medal_eligible(2027)) == [member]


def test_a_member_who_died_before_1_july_is_not_eligible(staff, branch_a):
    died = _veteran(branch_a, D(1975, 1, 1))
    alive = _veteran(branch_a, D(1975, 1, 1))
    services.member_leave(actor=staff, member=died, date=D(2026, 6, 30), reason="DIED")
    assert list(selectors.medal_eligible(2026)) == [alive]


def test_a_member_who_left_after_1_july_was_still_eligible_that_year(staff, branch_a):
    member = _veteran(branch_a, D(1975, 1, 1))
    services.member_leave(actor=staff, member=member, date=D(2026, 7, 2), reason="DIED")
    assert list(selectors.medal_eligible(2026)) == [member]


def test_eligibility_within_organizations_uses_the_organization_on_1_july(staff, branch_a, branch_b):
    member = _veteran(branch_a, D(1975, 1, 1))
    services.member_move(actor=staff, member=member, to_organization=branch_b, date=D(2026, 8, 1))
    assert list(selectors.medal_eligible(2026, within=Organization.objects.filter(pk=branch_a.pk))) == [
        member
    ]
    assert not selectors.medal_eligible(2026, within=Organization.objects.filter(pk=branch_b.pk)).exists()


def test_the_medal_is_awarded_once(staff, committee, branch_a):
    member = _veteran(branch_a, D(1975, 1, 1))
    services.medal_award(
        actor=staff, member=member, year=2025, awarded_on=D(2025, 6, 28), awarded_by=committee
    )
    assert not selectors.medal_eligible(2026).exists()
    with pytest.raises(ValidationError) as caught:
        services.medal_award(
            actor=staff, member=member, year=2026, awarded_on=D(2026, 6, 28), awarded_by=committee
        )
    assert "不符合" in caught.value.message_dict["member"][0]
    assert MedalAward.objects.count() == 1


def test_an_ineligible_member_is_refused(staff, committee, branch_a):
    member = _veteran(branch_a, D(1990, 1, 1))
    with pytest.raises(ValidationError):
        services.medal_award(
            actor=staff, member=member, year=2026, awarded_on=D(2026, 6, 28), awarded_by=committee
        )
    assert not MedalAward.objects.exists()


def test_eligibility_takes_a_fixed_number_of_queries(branch_a, django_assert_num_queries):
    for day in range(1, 20):
        _veteran(branch_a, D(1975, 1, day))
    # One query whatever the number of members: roster, versions and awards are subqueries.
    with django_assert_num_queries(1):
        assert len(list(selectors.medal_eligible(2026))) == 19


def test_commendation_rules(staff, committee, branch_a):
    member = _veteran(branch_a, D(1975, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.commendation_create(
            actor=staff, kind="ADVANCED_ORGANIZATION", granted_by=committee, date=D(2025, 6, 28)
        )
    assert "recipient_organization" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.commendation_create(
            actor=staff,
            kind="OUTSTANDING_MEMBER",
            granted_by=committee,
            date=D(2025, 6, 28),
            member=member,
            recommended=True,
        )
    assert "higher_body" in caught.value.message_dict
    commendation = services.commendation_create(
        actor=staff, kind="OUTSTANDING_MEMBER", granted_by=committee, date=D(2025, 6, 28), member=member
    )
    assert commendation.person_name == member.name


def test_every_organization_restricts_nothing_and_is_not_asked_for(committee, branch_a, branch_b):
    """A user who sees everything passes every organization as `within`: the members are those of
    no restriction, read without asking the database for each member's stretches "in any
    organization" (which read every membership version of the county); a subtree still restricts."""
    a = MemberFactory(organization=branch_a)
    b = MemberFactory(organization=branch_b)
    day = dates.today()
    everyone = selectors.members_on(day, within=Organization.objects.all())
    assert set(everyone) == set(selectors.members_on(day)) == {a, b}
    assert 'organization_id" IN' not in str(everyone.query)
    subtree = selectors.members_on(day, within=Organization.objects.filter(pk=branch_a.pk))
    assert set(subtree) == {a} and 'organization_id" IN' in str(subtree.query)
    assert set(selectors.members_on(day, within=Organization.objects.all()[:0])) == set()

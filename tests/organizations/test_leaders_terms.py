"""Appointments, elections and their terms, liaison, and the lists behind reminder letters."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from organizations import selectors, services
from organizations.models import Appointment, Kind, Post

pytestmark = pytest.mark.django_db

D = datetime.date


def appoint(staff, org, name, start, post=Post.SECRETARY, end=None):
    return services.appointment_create(
        actor=staff, organization=org, person_name=name, post=post, start_on=start, end_on=end
    )


def test_a_new_secretary_relieves_the_one_in_office(staff, branch_a):
    first = appoint(staff, branch_a, "张一", D(2020, 1, 1))
    appoint(staff, branch_a, "李二", D(2025, 6, 1))
    first.refresh_from_db()
    assert first.end_on == D(2025, 6, 1)
    assert list(Appointment.objects.active_on(D(2025, 6, 1)).values_list("person_name", flat=True)) == [
        "李二"
    ]


def test_appointment_ending_before_it_starts_is_refused(staff, branch_a):
    with pytest.raises(ValidationError) as exc:
        appoint(staff, branch_a, "张一", D(2020, 1, 1), post=Post.DEPUTY_SECRETARY, end=D(2019, 1, 1))
    assert "免职日期不能早于任职日期" in exc.value.message_dict["end_on"][0]
    appointment = appoint(staff, branch_a, "张一", D(2020, 1, 1), post=Post.DEPUTY_SECRETARY)
    with pytest.raises(ValidationError) as exc:
        services.appointment_end(actor=staff, appointment=appointment, end_on=D(2019, 12, 31))
    assert "end_on" in exc.value.message_dict


def test_appointment_before_founding_is_refused(staff, branch_a):
    with pytest.raises(ValidationError) as exc:
        appoint(staff, branch_a, "张一", D(2000, 1, 1))
    assert "成立日期" in exc.value.message_dict["start_on"][0]


def test_election_expiry_follows_the_term_length(staff, committee, branch_a):
    election = services.election_create(actor=staff, organization=branch_a, elected_on=D(2024, 2, 29))
    assert (election.term_number, election.expires_on) == (1, D(2027, 2, 28))
    party_committee = services.organization_found(
        actor=staff, kind=Kind.PARTY_COMMITTEE, name="机关党委", parent=committee, founded_on=D(2020, 1, 1)
    )
    assert services.election_create(
        actor=staff, organization=party_committee, elected_on=D(2020, 3, 1)
    ).expires_on == D(2025, 3, 1)
    second = services.election_create(actor=staff, organization=branch_a, elected_on=D(2027, 1, 10))
    assert second.term_number == 2


def test_election_out_of_order_is_refused(staff, branch_a, group_a):
    services.election_create(actor=staff, organization=branch_a, elected_on=D(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.election_create(actor=staff, organization=branch_a, elected_on=D(2023, 1, 1))
    assert "选举日期应晚于上一届" in exc.value.message_dict["elected_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.election_create(actor=staff, organization=group_a, elected_on=D(2024, 1, 1))
    assert "不单独换届" in exc.value.message_dict["organization"][0]


def test_terms_expiring_and_overdue(staff, committee, branch_a, branch_b):
    today = D(2026, 11, 24)
    services.election_create(actor=staff, organization=branch_a, elected_on=D(2023, 12, 1))  # ends 2026-12-01
    services.election_create(actor=staff, organization=branch_b, elected_on=D(2023, 6, 1))  # ends 2026-06-01
    third = services.organization_found(
        actor=staff, kind=Kind.BRANCH, name="丙局支部", parent=committee, founded_on=D(2020, 1, 1)
    )
    services.election_create(actor=staff, organization=third, elected_on=D(2025, 1, 1))  # ends 2028
    expiring = selectors.terms_expiring(today)
    assert [(o.name, o.term_expires_on) for o in expiring] == [(branch_a.name, D(2026, 12, 1))]
    assert [o.name for o in selectors.terms_overdue(today)] == [branch_b.name]
    # A new election clears the overdue term.
    services.election_create(actor=staff, organization=branch_b, elected_on=D(2026, 11, 1))
    assert list(selectors.terms_overdue(today)) == []


def test_liaison_rules(staff, committee, branch_a):
    services.liaison_assign(
        actor=staff, leader_name="陈建国", committee=committee, organization=branch_a, start_on=D(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.liaison_assign(
            actor=staff,
            leader_name="陈建国",
            committee=committee,
            organization=branch_a,
            start_on=D(2025, 3, 1),
        )
    assert "organization" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.liaison_assign(
            actor=staff, leader_name="刘芳", committee=branch_a, organization=branch_a, start_on=D(2025, 3, 1)
        )
    assert "committee" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.liaison_assign(
            actor=staff,
            leader_name="刘芳",
            committee=committee,
            organization=branch_a,
            start_on=D(2025, 3, 1),
            end_on=D(2025, 1, 1),
        )
    assert "结束日期不能早于开始日期" in exc.value.message_dict["end_on"][0]

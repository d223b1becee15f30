"""Membership over time: moves, transfers, confirmation, probation, category, leaving; as_of on any day."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members import selectors, services
from members.models import Member, MemberEvent, MemberEventKind, Status, TransferScope
from tests.factories import id_number_for

D = datetime.date
ADMITTED = D(2020, 3, 1)
BIRTH = D(1990, 1, 1)


def _new(staff, organization, *, admitted_on=ADMITTED, confirmed_on=None, birth=BIRTH, gender="M"):
    return services.member_create(
        actor=staff,
        organization=organization,
        name="赵强",
        gender=gender,
        id_number=id_number_for(birth, gender),
        admitted_on=admitted_on,
        confirmed_on=confirmed_on,
    )


def _org_on(member, day):
    return Member.objects.as_of(day).get(pk=member.pk).organization_then_id


def test_year_end_counts_do_not_change_with_later_moves(staff, branch_a, branch_b):
    members = [_new(staff, branch_a, birth=D(1990, 1, i + 1)) for i in range(3)]
    end_2021 = D(2021, 12, 31)
    before = selectors.counts_on(end_2021, within=branch_a.__class__.objects.filter(pk=branch_a.pk))
    for member in members[:2]:
        services.member_move(actor=staff, member=member, to_organization=branch_b, date=D(2023, 4, 1))
    services.member_leave(actor=staff, member=members[2], date=D(2024, 1, 1), reason="DIED")
    after = selectors.counts_on(end_2021, within=branch_a.__class__.objects.filter(pk=branch_a.pk))
    assert before == after == {"total": 3, "full": 0, "in_service": 3, "retired": 0}
    assert Member.objects.as_of(D(2023, 12, 31)).filter(organization_then_id=branch_b.pk).count() == 2
    assert Member.objects.as_of(D(2024, 1, 1)).count() == 2


def test_as_of_follows_a_move_day_by_day(staff, branch_a, branch_b):
    member = _new(staff, branch_a)
    services.member_move(actor=staff, member=member, to_organization=branch_b, date=D(2022, 6, 1))
    assert _org_on(member, D(2022, 5, 31)) == branch_a.pk
    assert _org_on(member, D(2022, 6, 1)) == branch_b.pk
    member.refresh_from_db()
    assert member.organization == branch_b
    event = MemberEvent.objects.get(kind=MemberEventKind.MOVED)
    assert (event.from_organization, event.to_organization) == (branch_a, branch_b)


def test_status_as_of_follows_the_confirmation(staff, branch_a):
    member = _new(staff, branch_a, admitted_on=D(2021, 3, 1))
    services.member_confirm(actor=staff, member=member, date=D(2022, 3, 1))
    assert Member.objects.as_of(D(2022, 2, 28)).get().status_then == Status.PROBATIONARY
    assert Member.objects.as_of(D(2022, 3, 1)).get().status_then == Status.FULL
    assert Member.objects.as_of(D(2021, 2, 28)).count() == 0


def test_within_county_transfer_in_is_a_dated_move(staff, branch_a, branch_b):
    member = _new(staff, branch_a)
    services.member_move(
        actor=staff,
        member=member,
        to_organization=branch_b,
        date=D(2023, 1, 1),
        scope=TransferScope.WITHIN_COUNTY,
    )
    assert MemberEvent.objects.filter(kind=MemberEventKind.TRANSFERRED_IN, scope="WITHIN").count() == 1


def test_transfer_in_from_beyond_the_county_starts_on_the_transfer_day(staff, branch_a):
    birth = D(1985, 2, 2)
    member = services.member_transfer_in(
        actor=staff,
        organization=branch_a,
        date=D(2024, 5, 10),
        scope=TransferScope.BEYOND_COUNTY,
        external_organization="中共邻县县直机关工委",
        name="钱敏",
        gender="F",
        id_number=id_number_for(birth, "F"),
        admitted_on=D(2010, 7, 1),
        confirmed_on=D(2011, 7, 1),
    )
    assert not Member.objects.as_of(D(2024, 5, 9)).filter(pk=member.pk).exists()
    assert Member.objects.as_of(D(2024, 5, 10)).filter(pk=member.pk).exists()
    assert not MemberEvent.objects.filter(kind=MemberEventKind.ADMITTED).exists()


def test_transfer_out_leaves_the_roster_on_the_day(staff, branch_a):
    member = _new(staff, branch_a)
    services.member_transfer_out(
        actor=staff,
        member=member,
        date=D(2024, 9, 1),
        scope="BEYOND",
        external_organization="中共某市委某局支部",
    )
    member.refresh_from_db()
    assert (member.left_on, member.left_reason) == (D(2024, 9, 1), "TRANSFERRED_OUT")
    assert Member.objects.as_of(D(2024, 8, 31)).exists()
    assert not Member.objects.as_of(D(2024, 9, 1)).exists()
    with pytest.raises(ValidationError):
        services.member_move(actor=staff, member=member, to_organization=branch_a, date=D(2024, 10, 1))


def test_category_change_is_dated(staff, branch_a):
    member = _new(staff, branch_a)
    services.member_change_category(actor=staff, member=member, category="RETIRED", date=D(2025, 1, 1))
    assert Member.objects.as_of(D(2024, 12, 31)).get().category_then == "IN_SERVICE"
    assert Member.objects.as_of(D(2025, 1, 1)).get().category_then == "RETIRED"


def test_a_move_before_the_current_stretch_is_refused(staff, branch_a, branch_b):
    member = _new(staff, branch_a)
    services.member_move(actor=staff, member=member, to_organization=branch_b, date=D(2023, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.member_move(actor=staff, member=member, to_organization=branch_a, date=D(2022, 1, 1))
    assert "date" in caught.value.message_dict


def test_member_younger_than_18_on_admission_is_refused(staff, branch_a):
    with pytest.raises(ValidationError) as caught:
        _new(staff, branch_a, birth=D(2003, 6, 2), admitted_on=D(2021, 6, 1))
    assert "年满18周岁" in caught.value.message_dict["admitted_on"][0]
    assert not Member.objects.exists()


def test_member_admitted_on_their_18th_birthday_is_accepted(staff, branch_a):
    member = _new(staff, branch_a, birth=D(2003, 6, 1), admitted_on=D(2021, 6, 1))
    assert Member.objects.get(pk=member.pk).admitted_on == D(2021, 6, 1)


# --- confirmation and probation -------------------------------------------------------------------


def test_confirmation_less_than_a_year_after_admission_is_refused(staff, branch_a):
    member = _new(staff, branch_a, admitted_on=D(2021, 3, 1))
    with pytest.raises(ValidationError) as caught:
        services.member_confirm(actor=staff, member=member, date=D(2022, 2, 28))
    assert "满一年预备期" in caught.value.message_dict["confirmed_on"][0]
    member.refresh_from_db()
    assert member.status == Status.PROBATIONARY


def test_confirmed_on_given_at_creation_follows_the_same_rule(staff, branch_a):
    with pytest.raises(ValidationError) as caught:
        _new(staff, branch_a, admitted_on=D(2021, 3, 1), confirmed_on=D(2021, 12, 1))
    assert "confirmed_on" in caught.value.message_dict


def test_extension_must_be_six_to_twelve_months_and_once(staff, branch_a):
    member = _new(staff, branch_a, admitted_on=D(2021, 3, 1))
    for months in (5, 13):
        with pytest.raises(ValidationError) as caught:
            services.member_extend_probation(actor=staff, member=member, months=months, date=D(2022, 3, 1))
        assert "6至12个月" in caught.value.message_dict["months"][0]
    services.member_extend_probation(actor=staff, member=member, months=6, date=D(2022, 3, 1))
    with pytest.raises(ValidationError) as caught:
        services.member_extend_probation(actor=staff, member=member, months=6, date=D(2022, 3, 2))
    assert "只能延长一次" in caught.value.message_dict["months"][0]


def test_after_an_extension_confirmation_falls_within_the_extension(staff, branch_a):
    member = _new(staff, branch_a, admitted_on=D(2021, 3, 1))
    services.member_extend_probation(actor=staff, member=member, months=6, date=D(2022, 3, 1))
    for too_early_or_late in (D(2022, 3, 1), D(2022, 9, 2)):
        with pytest.raises(ValidationError) as caught:
            services.member_confirm(actor=staff, member=member, date=too_early_or_late)
        assert "预备期已延长6个月" in caught.value.message_dict["confirmed_on"][0]
    services.member_confirm(actor=staff, member=member, date=D(2022, 9, 1))
    member.refresh_from_db()
    assert (member.status, member.confirmed_on) == (Status.FULL, D(2022, 9, 1))


def test_every_change_is_audited(staff, branch_a, branch_b):
    from jiguan.audit import history_for

    member = _new(staff, branch_a)
    services.member_move(actor=staff, member=member, to_organization=branch_b, date=D(2022, 6, 1))
    entries = list(history_for(member))
    assert [e.action for e in entries][:2] in (["UPDATE", "CREATE"], ["CREATE", "UPDATE"])
    created = next(e for e in entries if e.action == "CREATE")
    # ID numbers reach the audit masked.
    assert "********" in created.changes["id_number"]["new"]

"""A member who transferred out and later transfers back in returns on their own record: off the
roster during the absence, on it before and after; died or expelled members cannot come back."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiguan.audit import history_for
from members import services
from members.models import Member, MemberEvent, MemberEventKind, Status, TransferScope
from tests.factories import id_number_for

D = datetime.date
BIRTH = D(1988, 4, 5)
ID_NUMBER = id_number_for(BIRTH, "M")
OUT_ON, BACK_ON = D(2022, 3, 1), D(2024, 6, 1)


@pytest.fixture
def member(staff, branch_a):
    member = services.member_create(
        actor=staff,
        organization=branch_a,
        name="孙亮",
        gender="M",
        id_number=ID_NUMBER,
        admitted_on=D(2015, 7, 1),
        confirmed_on=D(2016, 7, 1),
    )
    services.member_transfer_out(
        actor=staff, member=member, date=OUT_ON, scope="BEYOND", external_organization="中共邻县某局支部"
    )
    return member


def _transfer_back(staff, organization, **changes):
    data = {
        "actor": staff,
        "organization": organization,
        "date": BACK_ON,
        "scope": TransferScope.BEYOND_COUNTY,
        "external_organization": "中共邻县某局支部",
        "name": "孙亮",
        "gender": "M",
        "id_number": ID_NUMBER,
        "admitted_on": D(2015, 7, 1),
        "confirmed_on": D(2016, 7, 1),
    }
    data.update(changes)
    return services.member_transfer_in(**data)


def _on_roster(member, day):
    return (
        Member.objects.as_of(day).filter(pk=member.pk).values_list("organization_then_id", flat=True).first()
    )


def test_the_member_returns_on_their_own_record(staff, member, branch_a, branch_b):
    returned = _transfer_back(staff, branch_b)
    assert returned.pk == member.pk
    assert Member.objects.matching("id_number", ID_NUMBER).count() == 1
    returned.refresh_from_db()
    assert (returned.left_on, returned.left_reason, returned.organization) == (None, "", branch_b)
    # Before leaving in the old branch, absent in between, in the new branch from the return.
    assert _on_roster(member, D(2021, 12, 31)) == branch_a.pk
    assert _on_roster(member, OUT_ON) is None
    assert _on_roster(member, D(2023, 12, 31)) is None
    assert _on_roster(member, BACK_ON - datetime.timedelta(days=1)) is None
    assert _on_roster(member, BACK_ON) == branch_b.pk
    kinds = list(MemberEvent.objects.filter(member=member).values_list("kind", "date"))
    assert kinds[-2:] == [
        (MemberEventKind.TRANSFERRED_OUT, OUT_ON),
        (MemberEventKind.TRANSFERRED_IN, BACK_ON),
    ]
    latest = history_for(member).first()
    assert latest.action == "UPDATE"
    assert latest.changes["left_on"]["new"] is None and latest.changes["left_on"]["old"]


def test_a_member_confirmed_while_away_comes_back_full(staff, branch_a):
    member = services.member_create(
        actor=staff,
        organization=branch_a,
        name="孙亮",
        gender="M",
        id_number=ID_NUMBER,
        admitted_on=D(2021, 7, 1),
    )
    services.member_transfer_out(
        actor=staff, member=member, date=OUT_ON, scope="BEYOND", external_organization="县外"
    )
    _transfer_back(staff, branch_a, admitted_on=D(2021, 7, 1), confirmed_on=D(2022, 7, 1))
    member.refresh_from_db()
    assert (member.status, member.confirmed_on) == (Status.FULL, D(2022, 7, 1))


@pytest.mark.parametrize("reason,words", [("DIED", "去世"), ("EXPELLED", "出党")])
def test_a_member_who_died_or_was_expelled_cannot_be_transferred_in(staff, branch_a, reason, words):
    member = services.member_create(
        actor=staff,
        organization=branch_a,
        name="孙亮",
        gender="M",
        id_number=ID_NUMBER,
        admitted_on=D(2015, 7, 1),
        confirmed_on=D(2016, 7, 1),
    )
    services.member_leave(actor=staff, member=member, date=OUT_ON, reason=reason)
    with pytest.raises(ValidationError) as exc:
        _transfer_back(staff, branch_a)
    message = exc.value.message_dict["id_number"][0]
    assert words in message and "不能办理组织关系转入" in message
    member.refresh_from_db()
    assert member.left_on == OUT_ON


def test_a_member_on_the_roster_is_still_a_duplicate(staff, branch_a, branch_b):
    services.member_create(
        actor=staff,
        organization=branch_a,
        name="孙亮",
        gender="M",
        id_number=ID_NUMBER,
        admitted_on=D(2015, 7, 1),
        confirmed_on=D(2016, 7, 1),
    )
    with pytest.raises(ValidationError) as exc:
        _transfer_back(staff, branch_b)
    assert "已登记" in exc.value.message_dict["id_number"][0]


def test_the_return_must_follow_the_transfer_out_and_agree_with_the_record(staff, member, branch_a):
    with pytest.raises(ValidationError) as exc:
        _transfer_back(staff, branch_a, date=D(2021, 1, 1))
    assert "应晚于" in exc.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as exc:
        _transfer_back(staff, branch_a, admitted_on=D(2015, 8, 1))
    assert "入党日期与" in exc.value.message_dict["admitted_on"][0]
    member.refresh_from_db()
    assert member.left_on == OUT_ON
    assert member.versions.count() == 1


def test_the_transfer_in_page_brings_the_member_back(staff, member, branch_b, client):
    client.force_login(staff)
    response = client.post(
        reverse("members:transfer_in"),
        {
            "organization": branch_b.pk,
            "date": BACK_ON.isoformat(),
            "scope": TransferScope.BEYOND_COUNTY,
            "external_organization": "中共邻县某局支部",
            "name": "孙亮",
            "gender": "M",
            "id_number": ID_NUMBER,
            "category": "IN_SERVICE",
            "admitted_on": "2015-07-01",
            "confirmed_on": "2016-07-01",
            "ethnicity": "汉族",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", kwargs={"pk": member.pk})
    member.refresh_from_db()
    assert member.left_on is None and member.organization == branch_b


def test_the_page_says_why_a_dead_member_cannot_come_back(staff, branch_a, client):
    member = services.member_create(
        actor=staff,
        organization=branch_a,
        name="孙亮",
        gender="M",
        id_number=ID_NUMBER,
        admitted_on=D(2015, 7, 1),
        confirmed_on=D(2016, 7, 1),
    )
    services.member_leave(actor=staff, member=member, date=OUT_ON, reason="DIED")
    client.force_login(staff)
    response = client.post(
        reverse("members:transfer_in"),
        {
            "organization": branch_a.pk,
            "date": BACK_ON.isoformat(),
            "scope": TransferScope.BEYOND_COUNTY,
            "external_organization": "县外",
            "name": "孙亮",
            "gender": "M",
            "id_number": ID_NUMBER,
            "category": "IN_SERVICE",
            "admitted_on": "2015-07-01",
        },
    )
    assert response.status_code == 200
    assert "已于2022年3月1日去世，不能办理组织关系转入" in response.content.decode()

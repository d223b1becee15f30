"""Issue 10: organization history names organizations as they were then (the version in force on
the day), on an organization's page and on a member's page."""

import datetime

import pytest

from members import services as member_services
from organizations import services
from organizations.models import Kind
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_an_organizations_timeline_names_its_parents_as_they_were_on_each_day(staff, staff_client, committee):
    old = services.organization_found(
        actor=staff,
        kind=Kind.PARTY_COMMITTEE,
        name="旧局机关党委",
        parent=committee,
        founded_on=D(2015, 1, 1),
    )
    branch = services.organization_found(
        actor=staff, kind=Kind.BRANCH, name="旧局第一党支部", parent=old, founded_on=D(2016, 1, 1)
    )
    new = services.organization_found(
        actor=staff,
        kind=Kind.PARTY_COMMITTEE,
        name="新局机关党委",
        parent=committee,
        founded_on=D(2015, 1, 1),
    )
    services.organization_move(actor=staff, organization=branch, new_parent=new, date=D(2020, 3, 1))
    services.organization_rename(actor=staff, organization=old, new_name="改名局机关党委", date=D(2022, 1, 1))
    services.organization_rename(actor=staff, organization=new, new_name="又名局机关党委", date=D(2023, 1, 1))

    page = staff_client.get(f"/organizations/{branch.pk}/").content.decode()
    assert "成立“旧局第一党支部”，隶属旧局机关党委" in page
    assert "隶属关系由“旧局机关党委”调整为“新局机关党委”" in page
    assert "改名局机关党委”调整" not in page and "又名局机关党委”" not in page
    parent_page = staff_client.get(f"/organizations/{new.pk}/").content.decode()
    assert "“旧局第一党支部”调整到本组织之下" in parent_page


def test_a_members_page_names_the_organizations_of_their_moves_as_they_were(
    staff, staff_client, committee, branch_a, branch_b
):
    member = MemberFactory(organization=branch_a, name="王五", admitted_on=D(2010, 7, 1))
    member_services.member_move(actor=staff, member=member, to_organization=branch_b, date=D(2020, 5, 1))
    services.organization_rename(
        actor=staff, organization=branch_a, new_name="甲局新名党支部", date=D(2021, 1, 1)
    )
    services.organization_rename(
        actor=staff, organization=branch_b, new_name="乙局新名党支部", date=D(2022, 1, 1)
    )
    page = staff_client.get(f"/members/{member.pk}/").content.decode()
    assert "：甲局机关党支部 → 乙局机关党支部" in page
    assert "<td>甲局机关党支部<div" in page and "现名：甲局新名党支部" in page
    assert "现名：乙局新名党支部" in page

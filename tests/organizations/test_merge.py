"""Merging (整体划入): every member moves with a dated membership change, then the branch is dissolved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import Member, MemberEvent
from organizations import services
from organizations.models import EventKind, Organization
from tests.organizations.helpers import make_member

pytestmark = pytest.mark.django_db

D = datetime.date


def test_merge_moves_every_member_and_dissolves(staff, branch_a, branch_b):
    members = [make_member(branch_b) for _ in range(3)]
    left = make_member(branch_b, left_on=D(2020, 1, 1))
    services.organization_merge(actor=staff, organization=branch_b, into=branch_a, date=D(2025, 8, 1))
    branch_b.refresh_from_db()
    assert branch_b.dissolved_on == D(2025, 8, 1)
    assert set(Member.objects.filter(organization=branch_a)) == set(members)
    assert (
        MemberEvent.objects.filter(member__in=members, date=D(2025, 8, 1), to_organization=branch_a).count()
        == 3
    )
    assert Member.objects.get(pk=left.pk).organization == branch_b
    merged = branch_b.events.get(kind=EventKind.MERGED)
    assert merged.merged_into == branch_a and "3名党员" in merged.note
    # Before the merge day the members counted in the old branch; from it, in the new one.
    assert Member.objects.as_of(D(2025, 7, 31)).filter(organization_then_id=branch_b.pk).count() == 3
    assert Member.objects.as_of(D(2025, 8, 1)).filter(organization_then_id=branch_a.pk).count() == 3


def test_merge_refused_while_children_remain(staff, branch_a, group_a, branch_b):
    make_member(branch_a)
    with pytest.raises(ValidationError) as exc:
        services.organization_merge(actor=staff, organization=branch_a, into=branch_b, date=D(2025, 8, 1))
    assert "甲局第一党小组" in " ".join(exc.value.message_dict["into"])
    assert Member.objects.filter(organization=branch_a).count() == 1


def test_merge_into_a_party_group_or_itself_is_refused(staff, branch_a, group_a, branch_b):
    with pytest.raises(ValidationError) as exc:
        services.organization_merge(actor=staff, organization=branch_b, into=group_a, date=D(2025, 8, 1))
    assert "党小组" in " ".join(exc.value.message_dict["into"])
    with pytest.raises(ValidationError):
        services.organization_merge(actor=staff, organization=branch_b, into=branch_b, date=D(2025, 8, 1))


def test_merge_into_a_dissolved_branch_is_refused_and_nothing_moves(staff, committee, branch_a, branch_b):
    make_member(branch_b)
    services.organization_dissolve(actor=staff, organization=branch_a, date=D(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.organization_merge(actor=staff, organization=branch_b, into=branch_a, date=D(2025, 8, 1))
    assert Organization.objects.get(pk=branch_b.pk).dissolved_on is None
    assert Member.objects.filter(organization=branch_b).count() == 1

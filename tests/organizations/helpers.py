"""Helpers of the organization tests: members written directly (the members app owns their rules)."""

import datetime
import itertools

from members.models import Member, MemberVersion, Status

_serial = itertools.count(1)


def make_member(organization, *, name=None, admitted_on=datetime.date(2015, 1, 1), left_on=None):
    n = next(_serial)
    member = Member.objects.create(
        name=name or f"党员{n}",
        gender="M",
        id_number=f"1101011980010{n:05d}",
        birth_date=datetime.date(1980, 1, 1),
        organization=organization,
        status=Status.FULL,
        admitted_on=admitted_on,
        confirmed_on=admitted_on + datetime.timedelta(days=366),
        left_on=left_on,
    )
    MemberVersion.objects.create(
        member=member, organization=organization, category=member.category, valid_from=admitted_on
    )
    return member

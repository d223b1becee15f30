"""Helpers of the organization tests: members by the factory (the members app owns their rules)."""

import datetime

from tests.factories import MemberFactory


def make_member(organization, *, name=None, admitted_on=datetime.date(2015, 1, 1), left_on=None):
    """A member as the organization tests want them: tests.factories.MemberFactory with these defaults."""
    return MemberFactory(
        organization=organization,
        **({"name": name} if name else {}),
        birth_date=datetime.date(1980, 1, 1),
        admitted_on=admitted_on,
        confirmed_on=admitted_on + datetime.timedelta(days=366),
        left_on=left_on,
        left_reason="",
        version__valid_from=admitted_on,
    )

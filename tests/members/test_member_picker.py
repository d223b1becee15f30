"""The member picker's search (members:pick): members on the roster on the record's day, within the
user's scope, by name."""

import datetime

import pytest
from django.urls import reverse

from members import services
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date
PICK = reverse("members:pick")


def test_members_of_that_day_within_the_scope(client, staff, secretary, branch_a, branch_b):
    old = MemberFactory(
        organization=branch_a, name="王大爷", admitted_on=D(1970, 7, 1), confirmed_on=D(1971, 7, 1)
    )
    MemberFactory(organization=branch_a, name="王小明", admitted_on=D(2024, 7, 1), confirmed_on=D(2025, 7, 1))
    MemberFactory(organization=branch_b, name="王乙", admitted_on=D(2000, 7, 1))
    services.member_leave(actor=staff, member=old, date=D(2025, 1, 10), reason="DIED")
    client.force_login(secretary)
    rows = client.get(PICK, {"q": "王", "day": "2024-12-31"}).json()["results"]
    assert [r["name"] for r in rows] == ["王大爷", "王小明"]
    assert rows[0]["detail"] == "甲局机关党支部 · 1980年生 · 正式党员"
    assert [r["name"] for r in client.get(PICK, {"q": "王", "day": "2025-06-01"}).json()["results"]] == [
        "王小明"
    ]
    # Re-reading the chosen one for another day says whether they were on the roster.
    rows = client.get(PICK, {"ids": str(old.pk), "day": "2025-06-01"}).json()["results"]
    assert [(r["name"], r["exists"]) for r in rows] == [("王大爷", False)]


def test_one_query_whatever_the_roster(branch_a, staff, django_assert_num_queries):
    from members.selectors import member_choices

    for n in range(25):
        MemberFactory(organization=branch_a, name=f"张{n}")
    with django_assert_num_queries(1):
        rows, more = member_choices(staff, text="张", day=D(2025, 1, 1))
    assert len(rows) == 20 and more

"""A list's number of rows is counted once per version of the records (jiguan.data_version.count): a
page turned again reads the stored count, a write gives a new count, and a table whose writes give
no new version is counted each time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiguan import data_version
from jiguan.models import User
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def counts_run(callable_, model):
    """`callable_`'s value and how many times it counted `model`'s rows (not the cache's: the database
    cache counts its own entries when it stores one)."""
    table = f'"{model._meta.db_table}"'
    with CaptureQueriesContext(connection) as context:
        value = callable_()
    return value, sum("COUNT(" in q["sql"].upper() and table in q["sql"] for q in context.captured_queries)


def test_a_list_is_counted_once_until_the_records_change(branch_a, branch_b):
    for _ in range(3):
        MemberFactory(organization=branch_a)
    MemberFactory(organization=branch_b)
    of_a = Member.objects.filter(organization=branch_a)
    assert counts_run(lambda: data_version.count(of_a), Member) == (3, 1)
    assert counts_run(lambda: data_version.count(of_a.order_by("-pk")), Member) == (3, 0)  # stored
    # Another filter is another count.
    assert counts_run(lambda: data_version.count(Member.objects.filter(organization=branch_b)), Member) == (
        1,
        1,
    )
    MemberFactory(organization=branch_a)
    assert counts_run(lambda: data_version.count(of_a), Member) == (4, 1)


def test_a_table_that_gives_no_new_version_is_counted_each_time(staff):
    users = User.objects.all()
    before = users.count()
    assert counts_run(lambda: data_version.count(users), User) == (before, 1)
    User.objects.create_user(username="another-account", password="Dangjian-2026-test")
    assert counts_run(lambda: data_version.count(users), User) == (before + 1, 1)

"""``among(field, ids)``: the rows of `field__in=ids`, with the ids written into the SQL as numbers."""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from jiguan.among import among
from members.models import Member, MemberVersion
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def branches(committee):
    return [OrganizationFactory(kind="BRANCH", name=f"第{n}党支部", parent=committee) for n in range(5)]


def pks(queryset):
    return sorted(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("chosen", [[0, 2, 4], [1], []])
def test_it_gives_the_rows_of_an_in_list(branches, chosen):
    ids = [branches[n].pk for n in chosen]
    for member_of in branches:
        MemberFactory(organization=member_of)
    # An id, a foreign key, a foreign key through a relation.
    assert pks(Organization.objects.filter(among("pk", ids))) == pks(Organization.objects.filter(pk__in=ids))
    assert pks(Member.objects.filter(among("organization_id", ids))) == pks(
        Member.objects.filter(organization_id__in=ids)
    )
    assert pks(Member.objects.filter(among("versions__organization_id", ids))) == pks(
        Member.objects.filter(versions__organization_id__in=ids)
    )
    # Or'ed with another condition, and as an aggregate's filter (as the report's scope uses it).
    other = Q(organization=branches[3])
    assert pks(Member.objects.filter(among("organization_id", ids) | other)) == pks(
        Member.objects.filter(Q(organization_id__in=ids) | other)
    )
    assert Member.objects.aggregate(n=Count("pk", filter=among("organization_id", ids))) == {"n": len(ids)}


def test_the_ids_are_numbers_in_the_sql_not_parameters(branches):
    ids = [b.pk for b in branches]
    sql, params = Organization.objects.filter(among("pk", ids)).query.sql_with_params()
    assert params == ()
    assert f"IN ({', '.join(map(str, ids))})" in sql


def test_only_integers_go_into_the_sql():
    with pytest.raises(ValueError):
        among("pk", ["1) OR (1=1"])


def test_no_ids_asks_nothing_as_an_empty_in_list_does(branches):
    with CaptureQueriesContext(connection) as queries:
        assert list(Organization.objects.filter(among("pk", []))) == []
    assert len(queries) == 0


def test_through_a_relation_it_shares_the_join_of_the_same_filter(branches):
    """As any lookup: the conditions of one filter() on a multi-valued relation apply to the same
    membership stretch (the report's medals and commendations rely on it)."""
    member = MemberFactory(organization=branches[0])
    stretch = MemberVersion.objects.get(member=member)
    queryset = Member.objects.filter(
        among("versions__organization_id", [branches[0].pk]) & Q(versions__valid_from__gt=stretch.valid_from)
    )
    assert str(queryset.query).count("JOIN") == 1
    assert list(queryset) == []  # its one stretch starts on valid_from, not after


def test_runs_of_consecutive_ids_are_found():
    from jiguan.among import SHORTEST_RUN, _runs

    assert SHORTEST_RUN == 8
    ids = (30, *range(1, 9), 10, *range(12, 21), 5)
    assert _runs(ids) == (((1, 8), (12, 20)), (10, 30))
    assert _runs(tuple(range(1, 8))) == ((), (1, 2, 3, 4, 5, 6, 7))
    assert _runs((7,)) == ((), (7,))


def test_on_postgresql_runs_of_ids_are_ranges_with_the_same_rows(committee):
    orgs = [OrganizationFactory(kind="BRANCH", name=f"第{n}党支部", parent=committee) for n in range(20)]
    # A run of 10, one id alone, a run of 6 (too short for a range: kept in the list).
    ids = [o.pk for o in orgs[:10]] + [orgs[11].pk] + [o.pk for o in orgs[14:]]
    chosen = Organization.objects.filter(among("pk", ids))
    assert pks(chosen) == sorted(ids)
    assert pks(Organization.objects.exclude(among("pk", ids))) == pks(
        Organization.objects.exclude(pk__in=ids)
    )
    assert pks(Organization.objects.filter(among("pk", ids) | Q(pk=orgs[12].pk))) == sorted(
        [*ids, orgs[12].pk]
    )
    sql = str(chosen.query)
    if connection.vendor == "postgresql":
        assert f"BETWEEN {orgs[0].pk} AND {orgs[9].pk}" in sql
        assert f"IN ({', '.join(str(pk) for pk in sorted([orgs[11].pk] + [o.pk for o in orgs[14:]]))})" in sql
    else:
        assert "BETWEEN" not in sql

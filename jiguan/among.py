"""A field among a long list of ids, without Django handling the list id by id.

A report of the county filters its queries by the ids of its 600–6,000 organizations. Written
`organization_id__in=ids`, Django copies, checks and hashes the list element by element several
times for each query while it builds the aggregates, and psycopg scans each query for its thousands
of placeholders. ``among`` hands Django the ids as one value and writes them into the SQL as the
numbers they are: the database reads the same `organization_id IN (1, 2, …)` as before, so the
plans stay what they were on both databases. (Tried: one array parameter on PostgreSQL, `= ANY(%s)`,
arrives as a smallint[] and changed the county's activities plan (cast to bigint[] it plans and runs
as this does); SQLite has no array, and `IN (SELECT value FROM json_each(%s))` changed the trainees'
plan, 11 → 38 ms at 1×.)
"""

import dataclasses

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField, Lookup, Q


@dataclasses.dataclass(frozen=True)
class Ids:
    """The ids as one value: hashed at once, and not iterable, so Django leaves them as they are.
    Integers only (``among`` makes them so): they are written into the SQL."""

    ids: tuple[int, ...]


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not self.rhs.ids:
            raise EmptyResultSet  # as `__in=[]`: no row, and no query at all when nothing else is asked
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({numbers(self.rhs.ids)})", params


def numbers(ids) -> str:
    """Integer ids as they are written into a statement: ``1, 2, 3`` (raw SQL uses it as ``among``
    does: members.dues.facts)."""
    return ", ".join(str(int(pk)) for pk in ids)


IntegerField.register_lookup(Among)  # ids (BigAutoField is one)
ForeignObject.register_lookup(Among)  # foreign keys (organization_id)


def among(field: str, ids) -> Q:
    """Rows whose `field` (an id or a foreign key, through relations as in any filter) is one of
    `ids`: `field__in=ids` for a long list of integer ids."""
    return Q(**{f"{field}__among": Ids(tuple(map(int, ids)))})

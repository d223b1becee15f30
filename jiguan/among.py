"""A field among a long list of ids, without Django handling the list id by id.

A report of the county filters its queries by the ids of its 600–6,000 organizations. Written
`organization_id__in=ids`, Django copies, checks and hashes the list element by element several
times for each query while it builds the aggregates, and psycopg scans each query for its thousands
of placeholders. ``among`` hands Django the ids as one value and writes them into the SQL as the
numbers they are: the database reads the same `organization_id IN (1, 2, …)` as before, so the
plans stay what they were on both databases. (Tried: one array parameter on PostgreSQL, `= ANY(%s)`,
arrives as a smallint[] and changed the county's activities plan (cast to bigint[] it plans and runs
as this does); SQLite has no array, and `IN (SELECT value FROM json_each(%s))` changed the trainees'
plan, 11 → 38 ms at 1×.) On PostgreSQL the runs of consecutive ids are written as ranges
(``Among.as_postgresql``): its planner estimates a list element by element in every query.
"""

import dataclasses
import functools

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

    def as_postgresql(self, compiler, connection):
        """The runs of consecutive ids as ranges, the rest as a list: ``(organization_id BETWEEN 1
        AND 41 OR organization_id IN (67, 177, …))``. PostgreSQL's planner estimates an IN list
        element by element, in every query that filters by it: at the county's 600 organizations
        about a millisecond per list, a third of the time of the year's numbers' queries at 1x
        (31 of 102 ms), ten times more at 10x; a subtree's ids run mostly consecutive (created
        together), and a range is estimated once."""
        if not self.rhs.ids:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        runs, singles = _runs(self.rhs.ids)
        terms = [f"{lhs} BETWEEN {first} AND {last}" for first, last in runs]
        if singles:
            terms.append(f"{lhs} IN ({numbers(singles)})")
        if len(terms) == 1:
            return terms[0], list(params)
        return "(" + " OR ".join(terms) + ")", list(params) * len(terms)


# Consecutive ids written as one range from this many on (fewer stay in the list).
SHORTEST_RUN = 8


@functools.lru_cache(maxsize=64)
def _runs(ids: tuple[int, ...]) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """(first, last) of each run of at least SHORTEST_RUN consecutive ids, and the other ids.
    Cached (the callers do not change the lists): the year's numbers of a county filter 26 of
    their queries by the same ids, 1.2 ms each to split at 6,000 of them."""
    ids = sorted(set(ids))
    runs, singles, start = [], [], 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[i - 1] + 1:
            if i - start >= SHORTEST_RUN:
                runs.append((ids[start], ids[i - 1]))
            else:
                singles.extend(ids[start:i])
            start = i
    return tuple(runs), tuple(singles)


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

"""Numbers computed once and reused: the report page, its PDF and workbook, the dashboard and the
home page of one organization and year share one computation (``cached``).

An entry is keyed by what it is computed from: the organization, the year, the version of the
records for that year (jiguan.data_version: a write that could change the year's numbers gives a
new version, so last year's numbers stay cached until a past record is corrected), the day for the
current year (its 三会一课 record is read on today), and the code that computes it (a new release
computes afresh): jiguan.data_version's ``cached`` and ``stored_key``, which the organizations'
tree uses too. Entries expire after a day in any case.
"""

import functools

from jiguan import data_version


def cached(name: str, root_pk: int, year: int, compute):
    """`compute()`'s value for (name, organization, year), from the cache when nothing it reads has
    changed since it was stored."""
    return data_version.cached(f"{name}:{root_pk}", compute, year=year)


def per_scope(name: str):
    """A function of a ReportScope computed once per version, like the metrics: for what is slow
    and read by several pages (the dues by month and by organization, the members' breakdowns). Not
    for a single quick query: reading the cache costs two, which a scope asked again does not pay
    (the value is kept on it)."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(scope):
            kept = scope.__dict__.setdefault("_per_scope", {})
            if name not in kept:
                kept[name] = cached(name, scope.root.pk, scope.year, lambda: function(scope))
            return kept[name]

        return wrapper

    return decorate


def stored(name: str, root_pk: int, year: int):
    """The value `cached` holds for (name, organization, year), or None: nothing is computed."""
    return data_version.stored(f"{name}:{root_pk}", year=year)

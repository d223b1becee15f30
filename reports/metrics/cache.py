"""Numbers computed once and reused: the report page, its PDF and workbook, the dashboard and the
home page of one organization and year share one computation (``cached``).

An entry is keyed by what it is computed from: the organization, the year, the version of the
records for that year (jiguan.data_version: a write that could change the year's numbers gives a
new version, so last year's numbers stay cached until a past record is corrected), the day for the
current year (its 三会一课 record is read on today), and the code that computes it (a new release
computes afresh). Entries expire after a day in any case.
"""

import functools
import hashlib
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from jiguan import dates
from jiguan.data_version import version_of

ENTRY_SECONDS = 24 * 3600


def cached(name: str, root_pk: int, year: int, compute):
    """`compute()`'s value for (name, organization, year), from the cache when nothing it reads has
    changed since it was stored."""
    key = _key(name, root_pk, year)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ENTRY_SECONDS)
    return value


def per_scope(name: str):
    """A function of a ReportScope computed once per version, like the metrics: for what is slow
    and read by several pages (the 三会一课 record, the dues by month and by organization). Not for a
    single quick query: reading the cache costs two."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(scope):
            return cached(name, scope.root.pk, scope.year, lambda: function(scope))

        return wrapper

    return decorate


def stored(name: str, root_pk: int, year: int):
    """The value `cached` holds for (name, organization, year), or None: nothing is computed."""
    return cache.get(_key(name, root_pk, year))


def _key(name: str, root_pk: int, year: int) -> str:
    today = dates.today()
    day = today.isoformat() if year >= today.year else ""
    raw = f"{name}:{root_pk}:{year}:{day}:{version_of(year)}:{_code_version()}"
    return "reports:" + hashlib.sha256(raw.encode()).hexdigest()


@once
def _code_version() -> str:
    """The release: the project's Python files as they are on disk (sizes and times), read once."""
    digest = hashlib.sha256(repr(sorted(settings.PARTY_DUES.items())).encode())
    base = Path(settings.BASE_DIR)
    for app in ("jiguan", "organizations", "members", "activities", "reports"):
        for path in sorted((base / app).rglob("*.py")):
            stat = path.stat()
            digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]

"""The version of the records, for caches of what is computed from them (the reports' numbers).

Each app watches its models (``watch`` in its AppConfig.ready): a record saved or deleted, and the
many created at once by the audit's ``record_bulk_create``, tell this module that the records
change; once the writing transaction commits, they get a new version. Two versions are kept,
because last year's numbers change only when a past record is corrected:

- the *current* version changes with every write;
- the *past* version changes only with a write that may touch a day before 1 January of this year:
  a record created or deleted with a date before it or with no date at all, and any change of an
  existing record (its dates before the change are not known here).

A past year has a version of its own besides: a write whose earliest day is in a past year D gives
D and every year after it a new version, and leaves the years before D alone (a 2025 activity
corrected does not make 2024's numbers, the comparison column of 2025's report, stale). A write with
no date, or a change of an existing record, gives every past year a new one.

A cache key built from ``version_of(year)`` is therefore stale as soon as a write could have
changed that year's numbers, and stays valid otherwise. A version is a fresh random token, never a
counter, so two processes writing at once cannot both give the same next version; a token missing
from the cache (evicted, or a cache cleared) is simply a new version.
"""

import contextlib
import dataclasses
import datetime
import hashlib
import pickle
import re
import secrets
import threading
import zlib
from functools import cache as once
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone

from jiguan import dates, process

CURRENT_KEY = "jiguan:data-version:current"
PAST_KEY = "jiguan:data-version:past"
# A write dated further back than this many years gives every past year a new version (PAST_KEY),
# not one key per year.
YEARS_APART = 10
TOKEN_SECONDS = None  # a version lives until a write changes it

# Sent after the records got a new version (a write committed). Higher layers hang work on it
# (reports.warming).
new_version = Signal()


def version_of(year: int) -> str:
    """The version of the records as far as the numbers of `year` are concerned. Inside a transaction
    that has written, the version also names its latest write: what it computes sees its own
    uncommitted writes, which no other connection sees (nor the cache, until the commit)."""
    past = year < dates.today().year
    keys = (PAST_KEY, year_key(year)) if past else (CURRENT_KEY, PAST_KEY)
    tokens = cache.get_many(keys)
    version = "".join(tokens.get(key) or _new_token(key) for key in keys)
    pending = _pending()
    write = pending and (pending.past_write_of(year) if past else pending.write)
    return f"{version}:{write}" if write else version


# What is computed from the records is stored a day at most, in any case.
ENTRY_SECONDS = 24 * 3600


def cached(key: str, compute, *, year: int):
    """`compute()`'s value stored under `key`, reused while nothing it reads has changed (see
    ``stored_key``): the reports' numbers, files and charts, the home pages, the county's tree."""
    full_key = stored_key(key, year=year)
    with process.collector_paused():
        value = _unpacked(cache.get(full_key))
        if value is None:
            value = compute()
            cache.set(full_key, _packed(value), ENTRY_SECONDS)
    return value


def stored(key: str, *, year: int):
    """The value ``cached`` holds for `key` and `year`, or None: nothing is computed."""
    with process.collector_paused():
        return _unpacked(cache.get(stored_key(key, year=year)))


@dataclasses.dataclass(frozen=True)
class _Packed:
    """A stored value pickled and deflated: the county's 三会一课 record pickles to 330 KB at 1x
    (3.3 MB at 10x) and deflates to a sixth, which the cache's table (or Redis) writes and reads
    back faster than it costs to deflate. Files (bytes: PDFs, workbooks, already compressed) are
    stored as they are."""

    data: bytes


def _packed(value):
    if isinstance(value, bytes):
        return value
    return _Packed(zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1))


def _unpacked(value):
    if isinstance(value, _Packed):
        return pickle.loads(zlib.decompress(value.data))
    return value


def stored_key(key: str, *, year: int) -> str:
    """The cache key of what `key` names, computed from the records of `year`: with the records'
    version for that year, today's date for the current year (what is due or late changes with the
    day) and the code's release (a new release computes afresh)."""
    today = dates.today()
    day = today.isoformat() if year >= today.year else ""
    raw = f"{key}:{year}:{day}:{version_of(year)}:{_code_version()}"
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


def year_key(year: int) -> str:
    """The key of a past year's own version."""
    return f"jiguan:data-version:year:{year}"


def _new_token(key: str) -> str:
    """A version where the cache has none (never written yet, evicted, or the cache cleared)."""
    token = secrets.token_hex(8)
    if not cache.add(key, token, TOKEN_SECONDS):  # another process was first
        token = cache.get(key) or token
    return token


def changed(*days) -> None:
    """Records dated on `days` (dates; none for a record without a date) change in the current
    transaction: give the records a new version when it commits. One bump per transaction, however
    many records it writes (an import writes thousands)."""
    first_of_year = datetime.date(dates.today().year, 1, 1)
    pending = _pending()
    if pending is None:
        pending = connection.jiguan_version_bump = _Bump()
        transaction.on_commit(pending)
    pending.write = secrets.token_hex(4)  # unique beyond this process
    past = [day.year for day in days if day < first_of_year]
    if not days:
        pending.past_writes[0] = pending.write  # every past year
    elif past:
        pending.past_writes[min(past)] = pending.write


def _pending():
    """The bump this connection's open transaction will make, if it has written. One registered in
    a savepoint since rolled back, or already run, is no longer in the list of things to do."""
    pending = getattr(connection, "jiguan_version_bump", None)
    if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
        return pending
    return None


class _Bump:
    """What a transaction's writes change, made a new version when it commits."""

    def __init__(self):
        self.write = ""  # the transaction's latest write
        # The latest write dated from each past year on (0: with no date, every past year).
        self.past_writes: dict[int, str] = {}

    def past_write_of(self, year: int) -> str:
        """What names the transaction's writes that may change the past `year`'s numbers."""
        return "".join(token for first, token in sorted(self.past_writes.items()) if first <= year)

    def __call__(self):
        bump(*self.keys())
        if not _quiet.active:
            new_version.send(sender=_Bump)

    def keys(self) -> list[str]:
        """The versions the transaction's writes change: the current year's always, and the past
        years from the earliest one a write is dated in (all of them without a date)."""
        this_year = dates.today().year
        if not self.past_writes:
            return [CURRENT_KEY]
        first = min(self.past_writes)
        if this_year - first > YEARS_APART:  # (0 among them: a write with no date)
            return [CURRENT_KEY, PAST_KEY]
        return [CURRENT_KEY, *(year_key(year) for year in range(first, this_year))]


class _Quiet(threading.local):
    active = False


_quiet = _Quiet()


@contextlib.contextmanager
def quietly():
    """Writes inside give the records a new version but send no ``new_version`` (a restore)."""
    before, _quiet.active = _quiet.active, True
    try:
        yield
    finally:
        _quiet.active = before


def bump(*keys: str) -> None:
    """A new version now, of `keys` (both when none are given)."""
    cache.set_many({key: secrets.token_hex(8) for key in (keys or (CURRENT_KEY, PAST_KEY))}, TOKEN_SECONDS)


def migrated(**kwargs) -> None:
    """After migrate or flush (post_migrate), which change records without saving them one by one."""
    bump()


def days_of(instance) -> list[datetime.date]:
    """The days a record is dated on (its date fields; not the timestamps the database keeps)."""
    days = []
    for attname in date_attnames(type(instance)):
        value = getattr(instance, attname)
        if isinstance(value, datetime.date):
            days.append(as_day(value))
    return days


def date_attnames(model) -> list[str]:
    """The date fields a record of `model` is dated on (not the timestamps the database keeps)."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField) and not (field.auto_now or field.auto_now_add)
    ]


def as_day(value: datetime.date) -> datetime.date:
    """The day of a date or a time stamp (an aware one in the county's time zone)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def count(queryset) -> int:
    """The number of rows of `queryset`, stored while the records keep their version (and the day):
    a list page's 150,000 activities are counted once, not on every page turned (PostgreSQL reads the
    whole table to count). A query that reads a table whose writes give no new version (see ``watch``;
    the accounts, the audit) is counted each time."""
    queryset = queryset.order_by()
    sql, params = queryset.query.sql_with_params()
    if not _watched_tables.issuperset(_tables_in(sql)):
        return queryset.count()
    key = "count:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    return cached(key, queryset.count, year=dates.today().year)


def _tables_in(sql: str) -> set[str]:
    """The tables of the project's models that `sql` names (quoted, as Django writes them)."""
    quoted = set(re.findall(r'"([^"]+)"', sql))
    return {model._meta.db_table for model in apps.get_models() if model._meta.db_table in quoted}


_watched_tables: set[str] = set()


def derived(model) -> bool:
    """Whether `model` holds only what is computed from the other records (``derived_from_records =
    True``, the dues ledger): its writes change no record, and a backup leaves it out (it is
    computed again when read)."""
    return getattr(model, "derived_from_records", False)


def watch(app_config) -> None:
    """Every save and delete of the app's records gives the records a new version (after commit),
    but for the models that hold what is derived from them (``derived``)."""
    for model in app_config.get_models():
        if derived(model):
            continue
        _watched_tables.add(model._meta.db_table)
        _watched_tables.update(
            field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many
        )
        models.signals.post_save.connect(
            _saved, sender=model, dispatch_uid=f"data_version:save:{model._meta.label}"
        )
        models.signals.post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"data_version:delete:{model._meta.label}"
        )
        for field in model._meta.local_many_to_many:
            models.signals.m2m_changed.connect(
                _m2m_changed, sender=field.remote_field.through, dispatch_uid=f"data_version:m2m:{field}"
            )


def _saved(sender, instance, created, raw=False, **kwargs):
    if created:
        changed(*days_of(instance))
    else:
        changed()  # the dates it had before are not known: as a past correction


def _deleted(sender, instance, **kwargs):
    changed(*days_of(instance))


def _m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        changed()

"""The dues ledger (党费台账): the member-months of members.dues.facts stored in a table, so that a
scope's dues are sums over its member-months instead of a join of the county's membership
stretches, bases and payments made afresh for every report.

- The ledger holds whole years (``DuesLedgerYear``), every member's months of them, and their sums
  per member and year (``DuesLedgerMemberYear``) and per organization and month
  (``DuesLedgerOrganizationMonth``), which a year's report reads. A year is filled the first time a
  reader asks for it (``bring_up_to_date``).
- A write that may change a member's months (the member, a membership stretch, a base, a payment)
  marks the member stale inside the writing transaction (``DuesLedgerStale``): by the models'
  signals, by audit.record_bulk_create, and by an explicit ``mark_stale`` where a write sends
  neither (a bulk update). Before reading, a reader computes the stale members' months of every
  year held again. The mark commits or rolls back with the write that made it, so a reader after
  the commit never reads the member's old months, and a write that rolled back leaves nothing.
- Nothing stored depends on today: a row is what the records say of its month, and "paid by the
  end of the year" is kept beside "paid" (the services refuse a payment dated after today). Time
  passing changes no row; only writes do.
"""

from django.db import connection, models, transaction
from django.db.models.signals import post_migrate

from jiguan import audit, backup, dates
from jiguan.among import numbers
from members.dues import facts
from members.dues.models import (
    DuesBase,
    DuesLedgerMemberYear,
    DuesLedgerMonth,
    DuesLedgerOrganizationMonth,
    DuesLedgerStale,
    DuesLedgerYear,
    DuesPayment,
)
from members.dues.months import months_of_year
from members.models import Member, MemberVersion

# The row of DuesLedgerYear that is not a year: updated first by whoever changes the ledger, so two
# readers never fill the same year or refresh the same members at once (PostgreSQL holds the row's
# lock until the transaction ends; SQLite's transactions take the database's write lock anyway).
LOCK_ROW = 0

# More stale members than this (after an import): the years held are filled again as a whole.
REFILL_ALL_FROM = 2000

# The tables that hold the years' months and their sums, filled together (``_fill``).
FILLED = (DuesLedgerMonth, DuesLedgerMemberYear, DuesLedgerOrganizationMonth)


def _member_ids(instance) -> list[int]:
    return [instance.pk] if isinstance(instance, Member) else [instance.member_id]


def mark_stale(member_ids) -> None:
    """The ledger months of `member_ids` change with the current transaction's writes."""
    member_ids = sorted({pk for pk in member_ids if pk is not None})
    if member_ids:
        DuesLedgerStale.objects.bulk_create(
            [DuesLedgerStale(member_id=pk) for pk in member_ids], batch_size=1000
        )


def _written(sender, instance, raw=False, **kwargs):
    # Rows loaded raw (loaddata) are a restore's, which forgets the ledger once they are all in
    # (jiguan.backup.restored): a mark for each of its hundreds of thousands of rows would be waste.
    if not raw:
        mark_stale(_member_ids(instance))


def _created_in_bulk(sender, objs, **kwargs):
    mark_stale(pk for obj in objs if isinstance(obj, TRACKED) for pk in _member_ids(obj))


TRACKED = (Member, MemberVersion, DuesBase, DuesPayment)


def watch() -> None:
    """Connect the writes that change member-months (members.apps)."""
    for model in TRACKED:
        uid = f"dues_ledger:{model._meta.label}"
        models.signals.post_save.connect(_written, sender=model, dispatch_uid=f"{uid}:save")
        models.signals.post_delete.connect(_written, sender=model, dispatch_uid=f"{uid}:delete")
    audit.created_in_bulk.connect(_created_in_bulk, dispatch_uid="dues_ledger:bulk")
    backup.restored.connect(_restored, dispatch_uid="dues_ledger:restored")
    post_migrate.connect(_migrated, dispatch_uid="dues_ledger:migrated")


def _restored(sender, using, **kwargs):
    rebuild()


def _migrated(sender, app_config=None, using="default", **kwargs):
    """After migrate (a county moving to this release, a restore's last step): this year and last
    filled now, at the deploy, rather than in the first reader's request (the 1x county's two years:
    about 8 s on PostgreSQL). Not in an empty database, nor before the ledger's tables exist."""
    if app_config is None or app_config.label != "members" or using != connection.alias:
        return
    if DuesLedgerYear._meta.db_table not in connection.introspection.table_names():
        return
    if Member.objects.exists():
        this_year = dates.today().year
        bring_up_to_date((this_year - 1, this_year))


def bring_up_to_date(years) -> None:
    """Make the ledger hold `years` with every stale member's months computed again. One query when
    it does already (the everyday case)."""
    years = sorted(set(years))
    held_sql = ", ".join(["%s"] * len(years))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS(SELECT 1 FROM {DuesLedgerStale._meta.db_table}),"
            f" (SELECT COUNT(*) FROM {DuesLedgerYear._meta.db_table} WHERE year IN ({held_sql}))",
            years,
        )
        stale, held = cursor.fetchone()
    if not stale and held == len(years):
        return
    with transaction.atomic():
        _lock()
        held = set(DuesLedgerYear.objects.exclude(year=LOCK_ROW).values_list("year", flat=True))
        marks = list(DuesLedgerStale.objects.values_list("pk", "member_id"))
        if marks and held:
            _refill({member_id for _, member_id in marks}, held)
        # Only the marks read: one a write commits meanwhile stays for the next reader.
        for start in range(0, len(marks), 1000):
            chunk = [pk for pk, _ in marks[start : start + 1000]]
            _execute(
                f"DELETE FROM {DuesLedgerStale._meta.db_table} WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
        for year in years:
            if year not in held:
                _fill(year)
                DuesLedgerYear.objects.create(year=year)


def _fill(year) -> None:
    """Every member's months of `year`, and their sums."""
    _execute(*facts.ledger_fill_sql(months_of_year(year)))
    _execute(*facts.member_year_fill_sql(year=year))
    _execute(*facts.organization_month_fill_sql(year=year))


def _lock() -> None:
    table = DuesLedgerYear._meta.db_table
    _execute(
        f"INSERT INTO {table} (year) VALUES (%s) ON CONFLICT (year) DO UPDATE SET year = excluded.year",
        [LOCK_ROW],
    )


def _refill(member_ids, years) -> None:
    """Compute again the months of `member_ids` in `years` (the years held)."""
    if len(member_ids) > REFILL_ALL_FROM:
        for model in FILLED:
            _execute(f"DELETE FROM {model._meta.db_table}", [])
        for year in sorted(years):
            _fill(year)
        return
    member_ids = sorted(member_ids)
    months = [month for year in sorted(years) for month in months_of_year(year)]
    among = f"member_id IN ({numbers(member_ids)})"
    # Their months and their sums, and the sums of every organization they were in, before or after.
    organizations = _organizations_of_members(among)
    for model in (DuesLedgerMonth, DuesLedgerMemberYear):
        _execute(f"DELETE FROM {model._meta.db_table} WHERE {among}", [])
    _execute(*facts.ledger_fill_sql(months, member_ids=member_ids))
    _execute(*facts.member_year_fill_sql(member_ids=member_ids))
    organizations = sorted(organizations | _organizations_of_members(among))
    if organizations:
        table = DuesLedgerOrganizationMonth._meta.db_table
        _execute(f"DELETE FROM {table} WHERE organization_id IN ({numbers(organizations)})", [])
        _execute(*facts.organization_month_fill_sql(organization_ids=organizations))


def _organizations_of_members(among) -> set[int]:
    """The organizations of the ledger's member-years of the members `among` names (a condition)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT organization_id FROM {DuesLedgerMemberYear._meta.db_table} WHERE {among}"
        )
        return {row[0] for row in cursor.fetchall()}


def rebuild() -> None:
    """Forget the ledger (a restore, a synthetic county built in bulk): filled again when read."""
    with transaction.atomic():
        _lock()
        for model in (*FILLED, DuesLedgerStale):
            _execute(f"DELETE FROM {model._meta.db_table}", [])
        _execute(f"DELETE FROM {DuesLedgerYear._meta.db_table} WHERE year <> %s", [LOCK_ROW])


def _execute(sql, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)

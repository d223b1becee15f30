"""The activities held by month (activities.models.HeldByMonth), kept as activities are written, so
that the 三会一课 record (activities.rhythm) and the report's numbers of activities
(reports.metrics.sources) read a few rows per organization instead of counting the year's
activities again.

- A row is, for one organization, year and kind, how many of its activities fall in each month and
  in the whole year, and how many attended them: ``counted`` is the definition, run over the
  organizations and years a write touched.
- A save or delete of an activity counts its organization's year again (and, when a save moved it to
  another organization or year, the one it left) inside the writing transaction: by the model's
  signals, and by audit.created_in_bulk for activities created in bulk (imports, the demo county).
  The rows commit or roll back with the write, so no reader after the commit reads the old counts.
- Two writers of one organization's year count it one after the other: the count first locks the
  organization's row (FOR NO KEY UPDATE, which the activities' foreign-key checks do not wait for),
  so the second counts what the first committed.
- Which organization a 党小组's meetings count for (its branch) is read with the rows, not kept:
  moving a group to another branch changes no row here.
- The table is not backed up: a restore (whose rows arrive raw, unfollowed) and a county built in
  bulk without the services (the benchmark's) count everything again (``rebuild``); ``migrate`` fills
  it once for the activities already there.
"""

from collections import defaultdict

from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.db.models.signals import post_migrate

from activities.models import Activity, HeldByMonth
from activities.rhythm import month_bounds
from jiguan import audit, backup
from jiguan.among import among
from organizations.models import Organization


def counted(activities, year) -> list[HeldByMonth]:
    """The rows of `activities` (a queryset) in `year`: per organization and kind, the activities of
    each month and their attendance summed (one aggregate query; organizations and kinds with none
    have no row)."""
    by_month = {
        field: Count("id", filter=Q(date__gte=first, date__lt=after))
        for field, (first, after) in zip(HeldByMonth.MONTHS, month_bounds(year), strict=True)
    }
    rows = (
        activities.filter(date__year=year)
        .values("organization_id", "kind")
        .annotate(**by_month, held=Count("id"), attended=Coalesce(Sum("attended_count"), 0))
        .values_list("organization_id", "kind", "held", "attended", *by_month)
        .order_by()
    )
    return [
        HeldByMonth(
            organization_id=organization_id,
            year=year,
            kind=kind,
            held=held,
            attended=attended,
            **dict(zip(by_month, months, strict=True)),
        )
        for organization_id, kind, held, attended, *months in rows
    ]


def count_again(pairs) -> None:
    """Count again the activities of the (organization id, year) `pairs`."""
    years = defaultdict(set)
    for organization_id, year in pairs:
        years[year].add(organization_id)
    if not years:
        return
    organizations = sorted(set().union(*years.values()))
    # Inside the write's own transaction (no savepoint: a failure here fails the write).
    with transaction.atomic(savepoint=False):
        # In one order, so two writers never wait for each other's second organization.
        list(
            Organization.objects.select_for_update(no_key=True)
            .filter(among("pk", organizations))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for year, ids in sorted(years.items()):
            HeldByMonth.objects.filter(among("organization_id", ids), year=year).delete()
            HeldByMonth.objects.bulk_create(
                counted(Activity.objects.filter(among("organization_id", ids)), year), batch_size=1000
            )


def rebuild() -> None:
    """Count every activity again (a restore, a county built in bulk): a year's rows at a time."""
    with transaction.atomic():
        HeldByMonth.objects.all().delete()
        years = Activity.objects.dates("date", "year")
        for day in years:
            HeldByMonth.objects.bulk_create(counted(Activity.objects.all(), day.year), batch_size=1000)


# ---- following the writes -------------------------------------------------------------------------


def _pair(organization_id, day):
    return (organization_id, day.year)


def _before_save(sender, instance, raw=False, **kwargs):
    """Where an activity saved again stood before: it leaves that organization's year."""
    if raw or instance.pk is None:
        return
    instance._held_before = (
        Activity.objects.filter(pk=instance.pk).values_list("organization_id", "date").first()
    )


def _saved(sender, instance, raw=False, **kwargs):
    # Rows loaded raw (loaddata) are a restore's, which counts everything once they are all in.
    if raw:
        return
    pairs = {_pair(instance.organization_id, instance.date)}
    before = instance.__dict__.pop("_held_before", None)
    if before is not None:
        pairs.add(_pair(*before))
    count_again(pairs)


def _deleted(sender, instance, **kwargs):
    count_again({_pair(instance.organization_id, instance.date)})


def _created_in_bulk(sender, objs, **kwargs):
    count_again({_pair(obj.organization_id, obj.date) for obj in objs if isinstance(obj, Activity)})


def _restored(sender, using, **kwargs):
    rebuild()


def _migrated(sender, app_config=None, using="default", **kwargs):
    """After migrate: the activities already there counted once (a county moving to this release),
    not in an empty database, nor when they are counted already."""
    if app_config is None or app_config.label != "activities" or using != connection.alias:
        return
    if HeldByMonth._meta.db_table not in connection.introspection.table_names():
        return
    if not HeldByMonth.objects.exists() and Activity.objects.exists():
        rebuild()


def watch() -> None:
    """Connect the writes that change the counts (activities.apps)."""
    uid = "held_by_month"
    models.signals.pre_save.connect(_before_save, sender=Activity, dispatch_uid=f"{uid}:before")
    models.signals.post_save.connect(_saved, sender=Activity, dispatch_uid=f"{uid}:save")
    models.signals.post_delete.connect(_deleted, sender=Activity, dispatch_uid=f"{uid}:delete")
    audit.created_in_bulk.connect(_created_in_bulk, dispatch_uid=f"{uid}:bulk")
    backup.restored.connect(_restored, dispatch_uid=f"{uid}:restored")
    post_migrate.connect(_migrated, dispatch_uid=f"{uid}:migrated")

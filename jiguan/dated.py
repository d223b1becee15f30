"""As of a day: the one rule for records that hold from a start day to an end day.

A record holds on `day` when it started on or before `day` and has not ended by it: its end day
(a dissolution, leaving the roster, 免职, the end of a version) is the first day it no longer holds,
and an empty end means it still holds. Every "as of a day" query is built from `in_force_q`; each
dated model names it after what it is (Organization.objects.existing_on, Member.objects.as_of,
Appointment.objects.active_on, a version's valid_on, CommunityRegistration.objects.active_on).
"""

import datetime

from django.db.models import Case, IntegerField, Q, Value, When


def in_force_q(day, *, start: str, end: str, prefix: str = "") -> Q:
    """Rows holding on `day` (a date, or an F()/OuterRef() naming another row's day). `start` and
    `end` are the model's fields; `prefix` reaches them through a relation ("member__versions__")."""
    return Q(**{f"{prefix}{start}__lte": day}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": day})
    )


def in_force_during_q(first, last, *, start: str, end: str, prefix: str = "") -> Q:
    """Rows holding on at least one day from `first` to `last` (both included): started by `last`,
    not ended by `first`."""
    return Q(**{f"{prefix}{start}__lte": last}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": first})
    )


def holds_on(day, start, end) -> bool:
    """in_force_q for one record in hand: `start` and `end` are its values."""
    return start <= day and (end is None or end > day)


def month_in_year(field: str, year: int) -> Case:
    """The month (1–12) of a date field whose rows all lie in `year`, by comparisons: SQLite has no
    native EXTRACT, and Django computes ExtractMonth there with a Python function per row (a third
    of the 三会一课 record's time at county scale)."""
    whens = [
        When(**{f"{field}__lt": datetime.date(year, month + 1, 1)}, then=Value(month))
        for month in range(1, 12)
    ]
    return Case(*whens, default=Value(12), output_field=IntegerField())

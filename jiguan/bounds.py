"""What every field can hold, checked the same way on SQLite and PostgreSQL before anything is written.

PostgreSQL refuses 10,000 characters in a varchar(50) or 3,000,000,000 in an integer column with a
DataError (a 500); SQLite stores both without a word; 10^30 fails on both. So every model field gets
validators derived from its type, with a Chinese message naming the field:

- CharField: at most `max_length` characters;
- integer fields: the range of the column type on PostgreSQL (Django's table of ranges), on both
  databases; a field named `year` or ending in `_year`: EARLIEST_DATE's year to `latest_date()`'s;
- DecimalField: at most `max_digits` digits with `decimal_places` after the point, finite;
- DateField (typed by people, not the time stamps): EARLIEST_DATE to `latest_date()`, i.e. no day
  after 31 December of the year YEARS_AHEAD years from now (a 转正日期 in 2200, an activity in
  2199 are typing errors; terms and deadlines run a few years ahead at most).

`install()` (from jiguan.apps, for every model of every app, those added later included) puts them
on the fields, replacing Django's own length and range validators, whose range depends on the
database and whose message does not name the field. They are not part of the field's definition,
so migrations do not see them. `full_clean()` then checks them in every service, and so does every
form whose errors come from a service. Writes that skip `full_clean` are covered too:

- `check(instance)` / `check_all(instances)` check the bounds alone (no query), for bulk inserts;
- a pre_save handler checks every `save()` (not raw fixture loading), a last safety net that turns
  what would be a DataError into a ValidationError naming the field.

Forms apply the same date and integer bounds to their own fields (jiguan.forms.Form), so a service
never computes with a year 9999 before it validates.
"""

import datetime
import time
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import (
    DecimalValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.signals import pre_save

from jiguan import dates

# The ranges of the integer column types as PostgreSQL has them (SQLite takes 64 bits everywhere).
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges
EARLIEST_DATE = datetime.date(1900, 1, 1)
YEARS_AHEAD = 10

# Field types that hold what the system writes, never what a user types, and need no bound;
# every other type must be handled below (tests/jiguan/test_bounds.py walks every field).
UNBOUNDED_TYPES = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.DateTimeField,  # time stamps: created, updated, signed in, locked until
    models.ForeignKey,  # checked by the database's own key and by the service's lookups
    models.OneToOneField,
    models.JSONField,  # the audit's record of changes, a background job's arguments and result
    models.TextField,  # unlimited in both databases; a request is at most 10 MB
    models.UUIDField,  # the background tasks' keys (django_tasks_db), made by the program
)


def latest_date() -> datetime.date:
    """The last day a date typed anywhere may be: 31 December, YEARS_AHEAD years from this year.

    Worked out once a second (an import checks hundreds of thousands of dates; the day is the same
    within the second of the clock, which tests move with time-machine)."""
    second = int(time.time())
    if _latest[0] != second:
        _latest[:] = [second, datetime.date(dates.today().year + YEARS_AHEAD, 12, 31)]
    return _latest[1]


_latest = [None, None]  # the second of the clock latest_date() was worked out in, and its answer


def year_range() -> range:
    """The years a year field or a ?year= may name."""
    return range(EARLIEST_DATE.year, latest_date().year + 1)


def year_out_of_range_message(
    label: str = "年度", *, years: range | None = None, year: int | None = None
) -> str:
    """The one message for a year out of range: of a field or a ?year= (year_range()), or of a narrower
    range (`years`: the report years), naming the year given when there is one."""
    years = years or year_range()
    given = f"，现为{year}年" if year is not None else ""
    return f"“{label}”应在{years.start}年至{years.stop - 1}年之间{given}。"


class _Bound:
    """A validator that names its field (it is not deconstructed: migrations never see it)."""

    def __init__(self, label):
        self.label = str(label)


class LengthBound(_Bound):
    def __init__(self, label, max_length):
        super().__init__(label)
        self.max_length = max_length

    def __call__(self, value):
        length = len(str(value))
        if length > self.max_length:
            raise ValidationError(
                f"“{self.label}”不能超过{self.max_length}个字（现为{length}个字）。", code="max_length"
            )


class IntegerBound(_Bound):
    def __init__(self, label, low, high):
        super().__init__(label)
        self.low, self.high = low, high

    def limits(self):
        return self.low, self.high

    def __call__(self, value):
        low, high = self.limits()
        try:
            inside = low <= int(value) <= high
        except (TypeError, ValueError, OverflowError):  # not a number: the field's own check says so
            return
        if not inside:
            raise ValidationError(f"“{self.label}”应为{low}至{high}之间的整数。", code="out_of_range")


class YearBound(IntegerBound):
    def __init__(self, label):
        super().__init__(label, None, None)

    def limits(self):
        years = year_range()
        return years.start, years.stop - 1

    def __call__(self, value):
        try:
            inside = int(value) in year_range()
        except (TypeError, ValueError, OverflowError):
            return
        if not inside:
            raise ValidationError(year_out_of_range_message(self.label), code="out_of_range")


class DecimalBound(_Bound):
    def __init__(self, label, max_digits, decimal_places):
        super().__init__(label)
        self.places = decimal_places
        self.whole = max_digits - decimal_places

    def __call__(self, value):
        try:
            value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except (TypeError, ValueError, ArithmeticError):  # not a number: the field's own check says so
            return
        if not value.is_finite():
            raise ValidationError(f"“{self.label}”应为数字。", code="invalid")
        sign, digits, exponent = value.normalize().as_tuple()
        places = max(0, -exponent)
        whole = max(0, len(digits) + exponent)
        if whole > self.whole or places > self.places:
            raise ValidationError(
                f"“{self.label}”最多{self.whole}位整数、{self.places}位小数。", code="max_digits"
            )


class DateBound(_Bound):
    def __call__(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        elif isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value.strip())
            except ValueError:  # not a date: the field's own check says so
                return
        if not isinstance(value, datetime.date):
            return
        latest = latest_date()
        if value < EARLIEST_DATE:
            raise ValidationError(
                f"“{self.label}”不能早于{dates.chinese_date(EARLIEST_DATE)}。", code="too_early"
            )
        if value > latest:
            raise ValidationError(f"“{self.label}”不能晚于{dates.chinese_date(latest)}。", code="too_late")


def bounds_of(field):
    """The bound validators of a model field ([] for a type that needs none)."""
    label = field.verbose_name
    if isinstance(field, UNBOUNDED_TYPES):
        return []
    if isinstance(field, models.DateField):  # DateTimeField is among the unbounded above
        return [] if field.auto_now or field.auto_now_add else [DateBound(label)]
    if isinstance(field, models.IntegerField):
        if field.name == "year" or field.name.endswith("_year"):
            return [YearBound(label)]
        low, high = INTEGER_RANGES[field.get_internal_type()]
        return [IntegerBound(label, low, high)]
    if isinstance(field, models.DecimalField):
        return [DecimalBound(label, field.max_digits, field.decimal_places)]
    if isinstance(field, models.CharField | models.FileField) and field.max_length:
        return [LengthBound(label, field.max_length)]
    raise TypeError(f"jiguan.bounds does not know what {field.model.__name__}.{field.name} can hold")


# Django's own validators of length and range, replaced by the bounds above.
_REPLACED = (MaxLengthValidator, MinValueValidator, MaxValueValidator, DecimalValidator)


def install():
    """Put the bounds on every field of every model (called once, from jiguan.apps)."""
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            bounds = bounds_of(field)
            if not bounds:
                continue
            # Django's validators of length and range, minus those given in the field's definition.
            kept = [v for v in field.validators if not isinstance(v, _REPLACED) or v in field._validators]
            field.__dict__["validators"] = [*kept, *bounds]
            field.__dict__["bounds"] = bounds
    pre_save.connect(_check_before_save, dispatch_uid="jiguan.bounds")


def bound_form_field(field) -> None:
    """Give a form field the bounds of its kind: dates within EARLIEST_DATE..latest_date(), whole
    numbers within an integer column, unless the form bounds them more tightly itself."""
    from django import forms

    label = field.label or ""
    if isinstance(field, forms.DateField):
        field.validators.append(DateBound(label))
    elif isinstance(field, forms.IntegerField) and not isinstance(
        field, forms.DecimalField | forms.FloatField
    ):
        # (Django's DecimalField and FloatField are IntegerFields: a sum of money is no whole number.)
        low, high = INTEGER_RANGES["IntegerField"]
        if field.max_value is None or field.min_value is None:
            low = low if field.min_value is None else field.min_value
            high = high if field.max_value is None else field.max_value
            field.validators.append(IntegerBound(label, low, high))


def errors(instance) -> dict:
    """{field name: [message]} for every value of `instance` its field cannot hold."""
    found = {}
    for field in instance._meta.concrete_fields:
        value = field.value_from_object(instance)
        if value is None or value == "":
            continue
        for bound in field.__dict__.get("bounds", ()):
            try:
                bound(value)
            except ValidationError as exc:
                found.setdefault(field.name, []).extend(exc.messages)
    return found


def check(instance) -> None:
    """Raise a ValidationError naming each field of `instance` whose value cannot be stored."""
    found = errors(instance)
    if found:
        raise ValidationError(found)


def check_all(instances, *, key=None, item="第{}项") -> None:
    """`check` each of `instances` (before a bulk insert, which runs no save()).

    With `key`, every message is reported under that name (the form field the instances came
    from), each led by the instance's place: 第3项：“任务”不能超过300个字（现为301个字）。
    """
    found = []
    for number, instance in enumerate(instances, start=1):
        if key is None:
            check(instance)
            continue
        for messages in errors(instance).values():
            found += [f"{item.format(number)}：{message}" for message in messages]
    if found:
        raise ValidationError({key: found})


def _check_before_save(sender, instance, raw=False, **kwargs):
    if not raw:
        check(instance)

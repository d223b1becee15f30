"""Months as the dues count them: a month is the date of its first day."""

import calendar
import datetime
import re

from jiguan.dates import add_months

_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$"),
    re.compile(r"^(\d{4})/(\d{1,2})(?:/(\d{1,2}))?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?$"),
    re.compile(r"^(\d{4})\.(\d{1,2})(?:\.(\d{1,2}))?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: datetime.date) -> datetime.date:
    return add_months(month_of(month), 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The months from `first` to `last`, both included (empty when `last` is before `first`)."""
    result, month = [], month_of(first)
    while month <= last:
        result.append(month)
        month = add_months(month, 1)
    return result


def months_of_year(year: int) -> list[datetime.date]:
    return [datetime.date(year, m, 1) for m in range(1, 13)]


def label(month: datetime.date | None) -> str:
    return f"{month.year}年{month.month}月" if month else ""


def parse_month(value) -> datetime.date | None:
    """A month typed or read from a workbook: 2021-01, 2021/1, 2021年1月, an Excel date, a date."""
    if isinstance(value, datetime.datetime):
        return month_of(value.date())
    if isinstance(value, datetime.date):
        return month_of(value)
    text = str(value or "").strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and 1900 <= year <= 9999:
                return datetime.date(year, month, 1)
            return None
    return None

"""Date helpers every app shares: the Chinese way of writing a day, and calendar arithmetic.

Messages built in Python (ValidationErrors, reminder letters, the report) write days the way the
templates do with `|date:"Y年n月j日"`, so a day reads the same on every page and in every file.
"""

import calendar
import datetime

from django.utils import timezone


def today() -> datetime.date:
    """The day it is in the county (Asia/Shanghai), whatever the server's own clock zone.

    The one source of "today" for every app: a server on UTC between 00:00 and 08:00 Shanghai time
    still knows it is already the next day. Tests set the clock with time-machine.
    """
    return timezone.localdate()


def parse_iso(value) -> datetime.date | None:
    """A day written yyyy-mm-dd (as <input type="date"> sends it), or None when it is not one."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def chinese_date(day: datetime.date) -> str:
    """2021年7月1日: no leading zeros, as in the templates' `|date:"Y年n月j日"`."""
    return f"{day.year}年{day.month}月{day.day}日"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole calendar months (negative moves back); the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """`day` moved by whole years; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of age on `day` (the birthday itself counts)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))

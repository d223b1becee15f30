"""One "today" for the whole application: jiguan.dates.today(), the day in Asia/Shanghai."""

import datetime
import pathlib
import re
import time

import time_machine

from jiguan import dates

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ["jiguan", "organizations", "members", "activities", "reports", "tests"]


def test_no_module_asks_the_clock_for_the_day_another_way():
    other_ways = re.compile(r"date\.today\(\)|localdate\b|datetime\.now\(\)")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path.name != "dates.py" and path.name != "test_today.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if other_ways.search(line)
    ]
    assert offenders == []


def test_before_eight_in_the_morning_shanghai_is_already_a_day_ahead_of_utc(clock):
    clock.move_to(datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC))
    assert dates.today() == datetime.date(2027, 1, 1)


def test_the_day_does_not_follow_the_server_clock_zone(clock, monkeypatch):
    """A server process on UTC (Django sets TZ only where it may) still reads the county's day."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        with time_machine.travel(datetime.datetime(2028, 2, 28, 23, 0, tzinfo=datetime.UTC), tick=False):
            assert datetime.date.fromtimestamp(time.time()) == datetime.date(2028, 2, 28)  # the process's day
            assert dates.today() == datetime.date(2028, 2, 29)
    finally:
        monkeypatch.undo()
        time.tzset()

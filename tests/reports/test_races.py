"""A summary saved for the first time by two staff at the same moment (PostgreSQL, threads)."""

import pytest

from reports import services
from reports.models import AnnualReport
from tests.concurrency import at_once, meet_after, skip_on_sqlite

pytestmark = pytest.mark.django_db(transaction=True)


def _messages(errors):
    return [m for e in errors for m in e.messages]


def test_a_summary_saved_for_the_first_time_twice_at_once(staff, committee, monkeypatch):
    skip_on_sqlite()
    meet_after(monkeypatch, AnnualReport, "full_clean", 2)

    def save():
        return services.annual_report_save(
            actor=staff, organization=committee, year=2025, title="2025年工作总结", text="正文"
        )

    results, errors = at_once(save, 2)
    assert len(results) == 1 and AnnualReport.objects.count() == 1
    assert "刚刚保存了这份总结" in _messages(errors)[0]

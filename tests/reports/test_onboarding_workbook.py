"""The benchmark's onboarding workbook (reports.onboarding) imports as it is, every sheet storing
something, so `manage.py benchmark` measures a whole county's onboarding and not its refusal."""

import io

import pytest

from jiguan.importing import import_workbook, importers
from reports.onboarding import onboarding_workbook

pytestmark = pytest.mark.django_db


def test_the_onboarding_workbook_imports_every_sheet(clock):
    data = onboarding_workbook(orgs=12, members=400, activities=60, year=2025)
    report = import_workbook(io.BytesIO(data))
    assert report.ok, [str(e) for e in report.errors[:10]]
    assert report.ignored_sheets == []
    assert {sheet for sheet, result in report.results.items() if result.created} == {
        importer.sheet_name for importer in importers()
    }

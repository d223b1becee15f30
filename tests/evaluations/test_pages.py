"""The integrity and evaluation pages: scoped like the rest (a secretary sees and enters their own
subtree, leadership reads, staff do everything), with a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from activities.evaluations.models import MemberGrade, SecretaryReport
from activities.evaluations.services import (
    assessment_item_add,
    assessment_sheet_create,
    assessment_target_add,
)
from members.integrity.models import IntegrityCommitment
from tests.factories import MemberFactory

D = datetime.date


@pytest.fixture
def members_a(branch_a):
    return [MemberFactory(name=f"甲{i}", organization=branch_a) for i in range(3)]


@pytest.fixture
def member_b(branch_b):
    return MemberFactory(name="乙党员", organization=branch_b)


LISTS = [
    "evaluations:index",
    "integrity:commitments",
    "integrity:risk_forms",
    "integrity:community",
    "evaluations:reports",
    "evaluations:appraisals",
    "evaluations:sheets",
]


@pytest.mark.parametrize("name", LISTS)
def test_a_secretary_sees_only_their_subtree(secretary_client, members_a, member_b, name):
    response = secretary_client.get(reverse(name) + "?year=2026")
    assert response.status_code == 200
    assert "乙党员" not in response.content.decode() and "乙局机关党支部" not in response.content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_staff_and_leadership_read_every_list(
    staff_client, members_a, member_b, name, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        assert staff_client.get(reverse(name) + "?year=2026").status_code == 200


def test_a_secretary_records_a_commitment_of_their_branch_not_of_another(
    secretary_client, members_a, member_b
):
    url = reverse("integrity:commitment_record", args=[members_a[0].pk]) + "?year=2026"
    response = secretary_client.post(url, {"signed_on": "2026-02-01"})
    assert response.status_code == 302
    assert IntegrityCommitment.objects.get().member == members_a[0]
    other = reverse("integrity:commitment_record", args=[member_b.pk]) + "?year=2026"
    assert secretary_client.post(other, {"signed_on": "2026-02-01"}).status_code == 404


def test_leadership_may_not_write(leader_client, members_a, branch_a):
    url = reverse("integrity:commitment_record", args=[members_a[0].pk]) + "?year=2026"
    assert leader_client.post(url, {"signed_on": "2026-02-01"}).status_code == 403
    appraisal = reverse("evaluations:appraisal_enter", args=[branch_a.pk]) + "?year=2026"
    assert leader_client.get(appraisal).status_code == 200
    assert leader_client.post(appraisal, {"held_on": "2026-11-20"}).status_code == 403


def test_a_secretary_enters_the_appraisal_and_sees_the_limit_refused(secretary_client, branch_a, members_a):
    MemberFactory(name="预备", organization=branch_a, status="PROBATIONARY", admitted_on=D(2026, 3, 1))
    url = reverse("evaluations:appraisal_enter", args=[branch_a.pk]) + "?year=2026"
    page = secretary_client.get(url).content.decode()
    assert "预备党员 · 不评定等次" in page
    data = {"held_on": "2026-11-20", **{f"grade_{m.pk}": "EXCELLENT" for m in members_a}}
    refused = secretary_client.post(url, data).content.decode()
    assert "优秀最多1人，现为3人" in refused and not MemberGrade.objects.exists()
    data = {"held_on": "2026-11-20", **{f"grade_{m.pk}": "QUALIFIED" for m in members_a}}
    assert secretary_client.post(url, data).status_code == 302
    assert MemberGrade.objects.count() == 3


def test_staff_grade_a_report_a_secretary_only_records_it(secretary_client, branch_a):
    url = reverse("evaluations:report_record", args=[branch_a.pk]) + "?year=2026"
    assert secretary_client.post(url, {"reported_on": "2026-11-01", "grade": "GOOD"}).status_code == 302
    report = SecretaryReport.objects.get()
    assert report.grade == ""  # the grade is the committee's to give


def test_the_assessment_sheet_prints_as_pdf_and_workbook(staff_client, staff, committee, branch_a):
    sheet = assessment_sheet_create(
        actor=staff, issuer=committee, year=2026, title="党建考核", target_kind="ORGANIZATIONS"
    )
    assessment_item_add(actor=staff, sheet=sheet, name="三会一课", points=60)
    assessment_target_add(actor=staff, sheet=sheet, organization=branch_a)
    pdf = staff_client.get(reverse("reports:assessment_download", args=[sheet.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    xlsx = staff_client.get(reverse("reports:assessment_download", args=[sheet.pk, "xlsx"]))
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["得分排名", "考核项目"]
    assert [c.value for c in workbook["得分排名"][2]][:2] == [1, "甲局机关党支部"]


def test_the_members_page_shows_their_forms_over_the_years(staff_client, staff, members_a):
    from members.integrity.services import risk_form_save

    risk_form_save(
        actor=staff,
        member=members_a[0],
        year=2025,
        filed_on=D(2025, 3, 1),
        level="HIGH",
        risk_points="审批权",
    )
    risk_form_save(actor=staff, member=members_a[0], year=2026, filed_on=D(2026, 3, 1), level="LOW")
    page = staff_client.get(reverse("members:detail", args=[members_a[0].pk])).content.decode()
    assert page.index("2026") < page.index("审批权")


def test_the_assessment_downloads_are_scoped(client, secretary_client, staff, committee, branch_a, branch_b):
    sheet = assessment_sheet_create(
        actor=staff, issuer=committee, year=2026, title="党建考核", target_kind="ORGANIZATIONS"
    )
    assessment_target_add(actor=staff, sheet=sheet, organization=branch_a)
    assessment_target_add(actor=staff, sheet=sheet, organization=branch_b)
    url = reverse("reports:assessment_download", args=[sheet.pk, "xlsx"])
    import io

    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(secretary_client.get(url).content))["得分排名"].values)
    assert [row[1] for row in rows[1:]] == ["甲局机关党支部"]  # the secretary's own branch only
    assert (
        secretary_client.get(reverse("reports:assessment_download", args=[sheet.pk, "doc"])).status_code
        == 404
    )
    assert (
        secretary_client.get(reverse("reports:assessment_download", args=[sheet.pk + 1, "pdf"])).status_code
        == 404
    )
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


@pytest.mark.parametrize("name", ["integrity:commitments", "integrity:risk_forms"])
def test_the_completion_table_pages_most_missing_first(
    staff_client, members_a, member_b, branch_a, branch_b, name, monkeypatch, django_assert_num_queries
):
    """A county's organizations a page at a time (the page's size does not grow with the county):
    the links to the next page keep the year."""
    from members.integrity import views

    monkeypatch.setattr(views, "COMPLETION_PER_PAGE", 1)
    with django_assert_num_queries(10 if name == "integrity:commitments" else 8):
        first = staff_client.get(reverse(name) + "?year=2026").content.decode()
    table = first[first.index('id="completion"') : first.index("</table>", first.index('id="completion"'))]
    assert branch_a.name in table and branch_b.name not in table  # three missing before one
    assert "1 / 2（共2个党组织）" in first
    assert 'href="?year=2026&amp;page=2"' in first
    second = staff_client.get(reverse(name) + "?year=2026&page=2").content.decode()
    table = second[
        second.index('id="completion"') : second.index("</table>", second.index('id="completion"'))
    ]
    assert branch_b.name in table and branch_a.name not in table
    assert 'href="?year=2026&amp;page=1"' in second

"""The members pages: permissions, masking, the roster's queries, the event forms."""

import datetime
import io
import logging

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members import services
from members.models import Member, MemberEventKind, Prospect
from tests.factories import MemberFactory, id_number_for

D = datetime.date


@pytest.fixture
def member(branch_a):
    return MemberFactory(organization=branch_a, name="甲支部党员", phone="13877451234")


@pytest.fixture
def prospect(staff, branch_a):
    return services.prospect_create(
        actor=staff,
        organization=branch_a,
        name="甲支部申请人",
        gender="M",
        id_number=id_number_for(D(1999, 9, 9), "M"),
        applied_on=D(2025, 3, 1),
    )


# name, needs ("member" | "prospect" | "organization" | None), writes
URLS = [
    ("members:roster", None, False),
    ("members:create", None, True),
    ("members:transfer_in", None, True),
    ("members:detail", "member", False),
    ("members:edit", "member", True),
    ("members:move", "member", True),
    ("members:transfer_out", "member", True),
    ("members:confirm", "member", True),
    ("members:extend_probation", "member", True),
    ("members:change_category", "member", True),
    ("members:leave", "member", True),
    ("members:prospects", None, False),
    ("members:prospect_create", None, True),
    ("members:prospect", "prospect", False),
    ("members:prospect_step", "prospect", True),
    ("members:prospect_step_edit", "step", True),
    ("members:prospect_promote", "prospect", True),
    ("members:prospect_admit", "prospect", True),
    ("members:board", "organization", False),
    ("members:commendations", None, False),
    ("members:commendation_create", None, True),
    ("members:medals", None, False),
]


def _url(name, needs, member, prospect, branch_a):
    pk = {
        "member": member.pk,
        "prospect": prospect.pk,
        "step": needs == "step" and prospect.steps.get().pk,
        "organization": branch_a.pk,
    }.get(needs)
    return reverse(name, args=[pk] if pk else [])


@pytest.mark.parametrize(("name", "needs", "writes"), URLS)
def test_signed_out_goes_to_login(client, member, prospect, branch_a, name, needs, writes):
    response = client.get(_url(name, needs, member, prospect, branch_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "needs", "writes"), [u for u in URLS if u[1]])
def test_another_subtrees_secretary_gets_404(
    client, other_secretary, member, prospect, branch_a, name, needs, writes
):
    client.force_login(other_secretary)
    assert client.get(_url(name, needs, member, prospect, branch_a)).status_code == 404


@pytest.mark.parametrize(("name", "needs", "writes"), URLS)
def test_leadership_reads_but_does_not_write(leader_client, member, prospect, branch_a, name, needs, writes):
    response = leader_client.get(_url(name, needs, member, prospect, branch_a))
    assert response.status_code == (403 if writes else 200)


@pytest.mark.parametrize(("name", "needs", "writes"), URLS)
def test_staff_and_the_subtrees_secretary_may(
    client, staff, secretary, member, prospect, branch_a, name, needs, writes
):
    for user in (staff, secretary):
        client.force_login(user)
        assert client.get(_url(name, needs, member, prospect, branch_a)).status_code == 200, user


def test_medal_award_is_a_write(leader_client, member):
    response = leader_client.post(reverse("members:medal_award"), {"member": member.pk, "year": 2026})
    assert response.status_code == 403


def test_the_roster_shows_only_the_secretarys_subtree(client, other_secretary, member):
    client.force_login(other_secretary)
    response = client.get(reverse("members:roster"))
    assert member.name not in response.content.decode()


def test_id_numbers_are_masked_for_secretaries_and_leadership(client, secretary, leader, staff, member):
    masked = member.id_number[:6] + "********" + member.id_number[-4:]
    for user in (secretary, leader):
        client.force_login(user)
        page = client.get(reverse("members:roster")).content.decode()
        assert masked in page and member.id_number not in page
        # A secretary calls their members; leadership sees phone numbers masked (issue 10).
        if user == secretary:
            assert "13877451234" in page
        else:
            assert "13877451234" not in page and "138****1234" in page
        detail = client.get(reverse("members:detail", args=[member.pk])).content.decode()
        assert member.id_number not in detail
    client.force_login(staff)
    assert member.id_number in client.get(reverse("members:roster")).content.decode()


def _export_cells(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return [
        str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row if cell is not None
    ]


def test_the_export_is_masked_too(client, secretary, staff, member):
    client.force_login(secretary)
    cells = _export_cells(client.get(reverse("members:roster") + "?export=xlsx"))
    assert member.id_number[:6] + "********" + member.id_number[-4:] in cells
    assert member.id_number not in cells
    client.force_login(staff)
    assert member.id_number in _export_cells(client.get(reverse("members:roster") + "?export=xlsx"))


def test_the_roster_filters(staff_client, branch_a, branch_b, group_a):
    MemberFactory(organization=group_a, name="小组党员", gender="F")
    MemberFactory(organization=branch_b, name="乙支部党员", category="RETIRED")
    page = staff_client.get(reverse("members:roster"), {"organization": branch_a.pk}).content.decode()
    assert "小组党员" in page and "乙支部党员" not in page
    page = staff_client.get(reverse("members:roster"), {"category": "RETIRED"}).content.decode()
    assert "乙支部党员" in page and "小组党员" not in page
    page = staff_client.get(reverse("members:roster"), {"gender": "F"}).content.decode()
    assert "小组党员" in page and "乙支部党员" not in page


def test_the_roster_first_page_takes_a_fixed_number_of_queries(
    staff_client, branch_a, django_assert_num_queries
):
    for _ in range(60):
        MemberFactory(organization=branch_a)
    url = reverse("members:roster")
    assert "共 60 名党员" in staff_client.get(url).content.decode()  # counted, the count stored
    # Then: session read, user, the records' version and the stored count (data_version.count, no
    # COUNT of the members), the user's organization (navigation bar), one page of members joined
    # with their organizations: the same whatever the size of the roster. The filter's organization
    # picker loads no choices.
    with django_assert_num_queries(6) as context:
        response = staff_client.get(url)
    assert "共 60 名党员" in response.content.decode()
    assert not any("COUNT(" in query["sql"] for query in context.captured_queries)
    for _ in range(60):
        MemberFactory(organization=branch_a)
    assert "共 120 名党员" in staff_client.get(url).content.decode()  # a new version: counted again
    with django_assert_num_queries(6):
        staff_client.get(url)


def test_moving_a_member_through_the_form(secretary_client, member, group_a):
    response = secretary_client.post(
        reverse("members:move", args=[member.pk]), {"to_organization": group_a.pk, "date": "2025-05-01"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organization == group_a
    assert member.events.get().kind == MemberEventKind.MOVED


def test_a_secretary_cannot_move_a_member_out_of_their_subtree(secretary_client, member, branch_b):
    response = secretary_client.post(
        reverse("members:move", args=[member.pk]), {"to_organization": branch_b.pk, "date": "2025-05-01"}
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.organization != branch_b


def test_a_service_error_is_shown_on_the_form(secretary_client, branch_a):
    member = MemberFactory(organization=branch_a, status="PROBATIONARY", admitted_on=D(2025, 9, 1))
    response = secretary_client.post(reverse("members:confirm", args=[member.pk]), {"date": "2026-01-01"})
    assert "满一年预备期" in response.content.decode()
    member.refresh_from_db()
    assert member.status == "PROBATIONARY"


def test_creating_a_member_through_the_form(secretary_client, branch_a):
    id_number = id_number_for(D(1990, 2, 3), "F")
    response = secretary_client.post(
        reverse("members:create"),
        {
            "name": "韦红",
            "gender": "F",
            "id_number": id_number,
            "organization": branch_a.pk,
            "category": "IN_SERVICE",
            "admitted_on": "2015-07-01",
            "confirmed_on": "2016-07-01",
            "ethnicity": "壮族",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert Member.objects.matching("id_number", id_number).get().birth_date == D(1990, 2, 3)


def test_the_board_shows_cards_by_stage_with_lateness(staff_client, prospect, branch_a):
    page = staff_client.get(reverse("members:board", args=[branch_a.pk])).content.decode()
    assert prospect.name in page
    assert "逾期" in page  # applied on 2025-03-01, no talk since
    assert Prospect.objects.get().stage == "APPLICANT"


def test_medals_page_lists_eligible_members_and_awards(staff_client, committee, branch_a):
    veteran = MemberFactory(
        organization=branch_a, admitted_on=D(1975, 7, 1), confirmed_on=D(1976, 7, 1), name="老党员"
    )
    page = staff_client.get(reverse("members:medals"), {"year": 2026}).content.decode()
    assert "老党员" in page
    staff_client.post(reverse("members:medal_award"), {"member": veteran.pk, "year": 2026})
    assert veteran.medals.get().year == 2026


# The URLs that take a POST only: signed out → login, another subtree → 404, leadership → 403.
POST_URLS = [
    ("members:prospect_withdraw", "prospect"),
    ("members:prospect_step_delete", "step"),
    ("members:medal_award", "member"),
]


def _post(client, name, needs, member, prospect):
    if needs == "prospect":
        return client.post(reverse(name, args=[prospect.pk]))
    if needs == "step":
        return client.post(reverse(name, args=[prospect.steps.get().pk]))
    return client.post(reverse(name), {"member": member.pk, "year": 2026})


@pytest.mark.parametrize(("name", "needs"), POST_URLS)
def test_post_only_urls_permissions(
    client, other_secretary, leader, secretary, member, prospect, name, needs
):
    response = _post(client, name, needs, member, prospect)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(other_secretary)
    assert _post(client, name, needs, member, prospect).status_code == 404
    client.force_login(leader)
    assert _post(client, name, needs, member, prospect).status_code == 403
    client.force_login(secretary)
    assert _post(client, name, needs, member, prospect).status_code == 302


def test_the_board_home_opens_the_secretarys_own_board(client, secretary, leader, committee, branch_a):
    assert client.get(reverse("members:board_home"))["Location"].startswith(reverse("login"))
    client.force_login(secretary)
    assert client.get(reverse("members:board_home"))["Location"] == reverse(
        "members:board", args=[branch_a.pk]
    )
    client.force_login(leader)
    assert client.get(reverse("members:board_home"))["Location"] == reverse(
        "members:board", args=[committee.pk]
    )


def test_the_prospects_list_filters_by_stage_and_subtree(staff_client, staff, prospect, group_a, branch_b):
    def applicant(organization, name, born):
        return services.prospect_create(
            actor=staff,
            organization=organization,
            name=name,
            gender="F",
            id_number=id_number_for(born, "F"),
            applied_on=D(2025, 3, 1),
        )

    applicant(group_a, "小组申请人", D(1998, 1, 2))
    activist = applicant(branch_b, "乙支部积极分子", D(1997, 1, 2))
    services.prospect_record_step(actor=staff, prospect=activist, number=2, done_on=D(2025, 3, 10))
    services.prospect_promote(actor=staff, prospect=activist, date=D(2025, 4, 1))
    url = reverse("members:prospects")
    page = staff_client.get(url, {"organization": prospect.organization.pk}).content.decode()
    assert "甲支部申请人" in page and "小组申请人" in page and "乙支部积极分子" not in page
    page = staff_client.get(url, {"stage": "ACTIVIST"}).content.decode()
    assert "乙支部积极分子" in page and "甲支部申请人" not in page


def test_the_roster_filter_says_probation_not_development_stage(staff_client):
    form = staff_client.get(reverse("members:roster")).context["filter"].form
    assert form.fields["probation"].label == "预备期"
    assert "发展阶段" not in [field.label for field in form.fields.values()]


def test_the_filters_fit_a_phone(staff_client):
    """Bootstrap's form classes make the fields as wide as their column, not wider."""
    form = staff_client.get(reverse("members:roster")).context["filter"].form
    assert form.fields["status"].widget.attrs["class"].startswith("form-select")
    assert form.fields["name"].widget.attrs["class"].startswith("form-control")
    # The organization picker's text box, small like the others.
    assert form.fields["organization"].widget.attrs["class"] == "form-control form-control-sm"


def test_the_prospects_list_and_export_are_masked(client, secretary, staff, prospect):
    masked = prospect.id_number[:6] + "********" + prospect.id_number[-4:]
    client.force_login(secretary)
    page = client.get(reverse("members:prospects")).content.decode()
    assert masked in page and prospect.id_number not in page
    cells = _export_cells(client.get(reverse("members:prospects") + "?export=xlsx"))
    assert masked in cells and prospect.id_number not in cells
    client.force_login(staff)
    assert prospect.id_number in _export_cells(client.get(reverse("members:prospects") + "?export=xlsx"))


def test_id_numbers_never_reach_the_logs(secretary_client, branch_a, caplog):
    """Nothing in the members pages logs a record that carries an ID number, even at DEBUG."""
    id_number = id_number_for(D(1990, 2, 3), "F")
    caplog.set_level(logging.DEBUG)
    data = {
        "name": "韦红",
        "gender": "M",
        "id_number": id_number,
        "organization": branch_a.pk,
        "category": "IN_SERVICE",
    }
    secretary_client.post(reverse("members:create"), {**data, "admitted_on": "2015-07-01"})
    secretary_client.post(reverse("members:create"), {**data, "gender": "F", "admitted_on": "2015-07-01"})
    member = Member.objects.matching("id_number", id_number).get()
    secretary_client.get(reverse("members:detail", args=[member.pk]))
    secretary_client.get(reverse("members:roster") + "?export=xlsx")
    assert id_number not in caplog.text
    assert all(id_number not in str(record.args) for record in caplog.records)

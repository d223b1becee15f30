"""The pages: forms for each event, the detail page, the list with its filters and Excel export."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organizations import services
from organizations.models import EventKind, Kind, LiaisonAssignment, Organization, Unit
from tests.factories import OrganizationFactory
from tests.organizations.helpers import make_member

pytestmark = pytest.mark.django_db

D = datetime.date


def test_found_rename_dissolve_through_the_forms(staff_client, committee):
    response = staff_client.post(
        reverse("organizations:found"),
        {"kind": "BRANCH", "name": "丙局机关党支部", "parent": committee.pk, "founded_on": "2020-03-01"},
    )
    org = Organization.objects.get(name="丙局机关党支部")
    assert response["Location"] == reverse("organizations:detail", args=[org.pk])
    response = staff_client.post(
        reverse("organizations:rename", args=[org.pk]), {"new_name": "丙局第一党支部", "date": "2025-01-01"}
    )
    assert response.status_code == 302
    response = staff_client.post(reverse("organizations:dissolve", args=[org.pk]), {"date": "2025-06-01"})
    org.refresh_from_db()
    assert (org.name, org.dissolved_on) == ("丙局第一党支部", D(2025, 6, 1))
    body = staff_client.get(reverse("organizations:detail", args=[org.pk])).content.decode()
    assert "已撤销" in body and "由“丙局机关党支部”更名为“丙局第一党支部”" in body and "变更记录" in body


def test_form_shows_the_rule_broken_on_its_field(staff_client, committee, branch_a):
    response = staff_client.post(
        reverse("organizations:found"),
        {"kind": "PARTY_GROUP", "name": "错位小组", "parent": committee.pk, "founded_on": "2020-03-01"},
    )
    assert "上级组织：党小组只能设在党支部之下" in response.content.decode()
    assert not Organization.objects.filter(name="错位小组").exists()


def test_dissolve_page_names_the_children_left(staff_client, branch_a, group_a):
    response = staff_client.post(
        reverse("organizations:dissolve", args=[branch_a.pk]), {"date": "2025-06-01"}
    )
    assert "甲局第一党小组" in response.content.decode()


def test_delete_with_history_says_to_dissolve(staff_client, staff, committee, branch_b):
    services.organization_rename(actor=staff, organization=branch_b, new_name="乙局支部", date=D(2025, 1, 1))
    response = staff_client.post(reverse("organizations:delete", args=[branch_b.pk]), follow=True)
    assert "有历史记录的党组织不能删除，请撤销" in response.content.decode()


def test_move_and_merge_forms(staff_client, committee, branch_a, branch_b):
    general = OrganizationFactory(kind=Kind.GENERAL_BRANCH, name="总支", parent=committee)
    response = staff_client.post(
        reverse("organizations:move", args=[branch_b.pk]), {"new_parent": general.pk, "date": "2025-02-01"}
    )
    assert response.status_code == 302
    make_member(branch_b)
    response = staff_client.post(
        reverse("organizations:merge", args=[branch_b.pk]), {"into": branch_a.pk, "date": "2025-08-01"}
    )
    assert response.status_code == 302
    assert branch_b.events.filter(kind=EventKind.MERGED).exists()
    assert branch_a.members.count() == 1


def test_appointment_election_and_liaison_forms(staff_client, committee, branch_a):
    staff_client.post(
        reverse("organizations:appointment_create", args=[branch_a.pk]),
        {"person_name": "赵书记", "post": "SECRETARY", "start_on": "2024-01-01"},
    )
    staff_client.post(
        reverse("organizations:election_create", args=[branch_a.pk]), {"elected_on": "2024-01-05"}
    )
    staff_client.post(
        reverse("organizations:liaison_create"),
        {"leader_name": "陈建国", "organization": branch_a.pk, "start_on": "2025-01-01"},
    )
    body = staff_client.get(reverse("organizations:detail", args=[branch_a.pk])).content.decode()
    assert "赵书记" in body and "第1届" in body and "2027年1月5日" in body and "陈建国" in body
    assert LiaisonAssignment.objects.get().committee == committee


def test_appointment_end_before_start_is_shown(staff_client, staff, branch_a):
    appointment = services.appointment_create(
        actor=staff, organization=branch_a, person_name="赵书记", post="SECRETARY", start_on=D(2024, 1, 1)
    )
    response = staff_client.post(
        reverse("organizations:appointment_end", args=[appointment.pk]), {"end_on": "2023-01-01"}
    )
    assert "免职日期不能早于任职日期" in response.content.decode()


def test_list_filters_by_state_and_term_state(staff_client, staff, committee, branch_a, branch_b):
    services.organization_dissolve(actor=staff, organization=branch_b, date=D(2024, 1, 1))
    services.election_create(actor=staff, organization=branch_a, elected_on=D(2020, 1, 1))
    body = staff_client.get(reverse("organizations:list"), {"state": "dissolved"}).content.decode()
    assert "乙局机关党支部" in body and "甲局机关党支部" not in body
    body = staff_client.get(reverse("organizations:list"), {"term_state": "overdue"}).content.decode()
    assert "甲局机关党支部" in body and "乙局机关党支部" not in body
    body = staff_client.get(reverse("organizations:list"), {"kind": Kind.WORKING_COMMITTEE}).content.decode()
    assert committee.name in body and "甲局机关党支部" not in body


def test_list_exports_every_row_to_excel(staff_client, committee, branch_a, branch_b):
    unit = Unit.objects.create(name="甲局")
    Organization.objects.filter(pk=branch_a.pk).update(unit=unit)
    response = staff_client.get(reverse("organizations:list"), {"unit": unit.pk, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "组织名称" and [r[0] for r in rows[1:]] == ["甲局机关党支部"]


def test_terms_page_lists_overdue(staff_client, staff, branch_a):
    services.election_create(actor=staff, organization=branch_a, elected_on=D(2020, 1, 1))
    body = staff_client.get(reverse("organizations:terms")).content.decode()
    assert "换届已逾期" in body and "甲局机关党支部" in body


def test_units_create_and_edit(staff_client):
    staff_client.post(
        reverse("organizations:unit_create"), {"name": "县审计局", "leading_group_name": "中共县审计局党组"}
    )
    unit = Unit.objects.get(name="县审计局")
    staff_client.post(
        reverse("organizations:unit_edit", args=[unit.pk]),
        {"name": "县审计局", "leading_group_name": "中共县审计局党组", "leading_group_secretary": "钱书记"},
    )
    body = staff_client.get(reverse("organizations:units")).content.decode()
    assert "钱书记" in body


def test_tree_as_of_a_past_day_through_the_page(staff_client, staff, branch_a):
    services.organization_rename(
        actor=staff, organization=branch_a, new_name="甲局新支部", date=D(2025, 1, 1)
    )
    body = staff_client.get(reverse("organizations:tree"), {"date": "2024-06-01"}).content.decode()
    assert "甲局机关党支部" in body and "甲局新支部" not in body


@pytest.mark.parametrize("value", ["garbage", "2025-02-30", "2025/01/01"])
def test_tree_says_when_the_date_asked_for_is_malformed(staff_client, committee, value):
    response = staff_client.get(reverse("organizations:tree"), {"date": value})
    assert response.status_code == 200
    assert "日期格式不正确" in response.content.decode()


def test_tree_on_a_good_date_has_no_date_warning(staff_client, committee):
    body = staff_client.get(reverse("organizations:tree"), {"date": "2025-01-15"}).content.decode()
    assert "日期格式不正确" not in body and "2025年1月15日的组织树" in body

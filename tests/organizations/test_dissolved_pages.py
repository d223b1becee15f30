"""A dissolved organization's page keeps what can still be recorded of it, dated before its
dissolution: 更名, 任职, 换届 and its activities. The forms start on its last day."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity
from organizations import services
from organizations.models import Appointment, Kind
from tests.activities.helpers import make_member
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def gone(staff, committee):
    branch = OrganizationFactory(
        kind=Kind.BRANCH, name="丙局机关党支部", parent=committee, founded_on=D(2016, 3, 1)
    )
    member = make_member(branch, "丙支部党员", admitted_on=D(2017, 1, 1))
    # Its member leaves before the dissolution (a transfer out), as the rules require.
    from members.services import member_transfer_out

    member_transfer_out(
        actor=staff, member=member, date=D(2023, 6, 1), scope="BEYOND", external_organization="外县党支部"
    )
    services.organization_dissolve(actor=staff, organization=branch, date=D(2023, 7, 1))
    branch.refresh_from_db()
    return branch


def test_the_page_offers_what_happened_before_the_dissolution(staff_client, gone):
    html = staff_client.get(reverse("organizations:detail", args=[gone.pk])).content.decode()
    assert "更名（撤销前）" in html and "补录任职（撤销前）" in html
    assert "补录换届（撤销前）" in html and "补录活动（撤销前）" in html
    assert f"{reverse('activities:create')}?organization={gone.pk}" in html
    # What belongs to a living organization only is not offered.
    assert reverse("organizations:dissolve", args=[gone.pk]) not in html
    assert reverse("organizations:move", args=[gone.pk]) not in html


def test_leadership_is_offered_none_of_it(leader_client, gone):
    html = leader_client.get(reverse("organizations:detail", args=[gone.pk])).content.decode()
    assert "补录" not in html and "撤销前" not in html


@pytest.mark.parametrize(
    "name,field", [("rename", "date"), ("appointment_create", "start_on"), ("election_create", "elected_on")]
)
def test_its_forms_start_on_its_last_day_and_say_why(staff_client, gone, name, field):
    response = staff_client.get(reverse(f"organizations:{name}", args=[gone.pk]))
    assert response.context["form"][field].value() == D(2023, 6, 30)
    assert "已于2023年7月1日撤销，只能记录撤销前（2023年6月30日及以前）的事项" in response.content.decode()


def test_an_appointment_after_the_dissolution_is_refused_on_the_page(staff_client, gone):
    url = reverse("organizations:appointment_create", args=[gone.pk])
    response = staff_client.post(url, {"person_name": "张三", "post": "SECRETARY", "start_on": "2023-07-01"})
    assert "任职的日期应早于撤销日期" in response.content.decode()
    response = staff_client.post(url, {"person_name": "张三", "post": "SECRETARY", "start_on": "2020-01-01"})
    assert response.status_code == 302
    assert Appointment.objects.get().organization == gone


def test_its_activity_form_starts_on_its_last_day_with_its_members_of_then(staff_client, gone):
    response = staff_client.get(reverse("activities:create"), {"organization": gone.pk})
    form = response.context["form"]
    assert form["date"].value() == D(2023, 6, 30)
    # The member who left on 1 June is not offered on 30 June; on a day before, they are.
    assert [m.name for m in form.fields["attendees"].queryset] == []
    form = staff_client.get(
        reverse("activities:create"), {"organization": gone.pk, "date": "2023-05-04"}
    ).context["form"]
    assert [m.name for m in form.fields["attendees"].queryset] == ["丙支部党员"]
    response = staff_client.post(
        reverse("activities:create"),
        {"organization": gone.pk, "kind": "THEME_DAY", "date": "2023-05-04", "title": "五四主题党日"},
    )
    assert response.status_code == 302
    assert Activity.objects.get().organization == gone

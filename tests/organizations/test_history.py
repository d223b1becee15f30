"""Each record's history can be read from its page: organizations (with their appointments,
elections and liaisons), units, appointments and liaisons."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from organizations import services
from organizations.models import Post, Unit

pytestmark = pytest.mark.django_db


def history_section(body):
    return body[body.index("变更记录") :]


def test_organization_page_shows_the_history_of_its_appointments_and_elections(
    staff_client, staff, committee, branch_a
):
    appointment = services.appointment_create(
        actor=staff,
        organization=branch_a,
        person_name="王五",
        post=Post.SECRETARY,
        start_on=datetime.date(2024, 1, 1),
    )
    services.appointment_end(actor=staff, appointment=appointment, end_on=datetime.date(2025, 3, 1))
    services.election_create(actor=staff, organization=branch_a, elected_on=datetime.date(2024, 1, 1))
    services.liaison_assign(
        actor=staff,
        leader_name="赵六",
        committee=committee,
        organization=branch_a,
        start_on=datetime.date(2024, 2, 1),
    )
    history = history_section(
        staff_client.get(reverse("organizations:detail", args=[branch_a.pk])).content.decode()
    )
    # The end of the appointment is a change of the appointment record: who, and from what to what.
    assert re.search(r"免职日期：<del>（空）</del> → 2025年3月1日", history)
    assert "任职“" in history and "王五" in history
    assert "换届“" in history and "联系点“" in history and "赵六" in history


def test_leadership_reads_a_units_history_from_the_unit_list(leader_client, staff):
    unit = services.unit_create(actor=staff, name="甲局")
    services.unit_update(
        actor=staff, unit=unit, name="甲局", leading_group_name="中共甲局党组", leading_group_secretary="孙七"
    )
    body = leader_client.get(reverse("organizations:units")).content.decode()
    assert reverse("organizations:unit_edit", args=[unit.pk]) not in body  # a 403 for leadership
    history_url = reverse("history", args=[ContentType.objects.get_for_model(Unit).pk, unit.pk])
    assert history_url in body
    history = leader_client.get(history_url).content.decode()
    assert "中共甲局党组" in history and "孙七" in history


def test_a_units_history_is_hidden_outside_the_secretarys_subtree(secretary_client, staff, branch_a):
    other = services.unit_create(actor=staff, name="乙局")
    ct = ContentType.objects.get_for_model(Unit).pk
    assert secretary_client.get(reverse("history", args=[ct, other.pk])).status_code == 404
    own = services.unit_create(actor=staff, name="甲局")
    services.organization_update(actor=staff, organization=branch_a, unit=own, term_years=None)
    assert secretary_client.get(reverse("history", args=[ct, own.pk])).status_code == 200


def test_appointment_end_page_shows_the_appointments_history(staff_client, staff, branch_a):
    appointment = services.appointment_create(
        actor=staff,
        organization=branch_a,
        person_name="王五",
        post=Post.SECRETARY,
        start_on=datetime.date(2024, 1, 1),
    )
    body = staff_client.get(reverse("organizations:appointment_end", args=[appointment.pk])).content.decode()
    assert "变更记录" in body and "2024年1月1日" in history_section(body)

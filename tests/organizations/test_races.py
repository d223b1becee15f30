"""Two staff doing the same thing to the tree at the same moment: one succeeds, the other gets the
message its check gives, never a 500 (PostgreSQL, threads)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from organizations import services
from organizations.models import Appointment, Election, Kind, Organization, Post, Unit
from tests.concurrency import at_once, meet_after, skip_on_sqlite

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date


def _messages(errors):
    assert all(isinstance(e, ValidationError) for e in errors), errors
    return [m for e in errors for m in e.messages]


def test_one_name_founded_twice_at_once_is_one_organization(staff, committee, monkeypatch):
    skip_on_sqlite()
    meet_after(monkeypatch, services, "_check_name_free", 2)

    def found():
        return services.organization_found(
            actor=staff, kind=Kind.BRANCH, name="丙局机关党支部", parent=committee, founded_on=D(2020, 1, 1)
        )

    results, errors = at_once(found, 2)
    assert len(results) == 1 and Organization.objects.filter(name="丙局机关党支部").count() == 1
    assert _messages(errors) == ["已有名为“丙局机关党支部”的党组织（未撤销），组织名称不能重复。"]


def test_one_unit_entered_twice_at_once_is_one_unit(staff, monkeypatch):
    skip_on_sqlite()
    meet_after(monkeypatch, Unit, "full_clean", 2)
    results, errors = at_once(lambda: services.unit_create(actor=staff, name="县审计局"), 2)
    assert len(results) == 1 and Unit.objects.count() == 1
    assert "单位名称" in _messages(errors)[0]


def test_two_secretaries_appointed_at_once_on_one_day(staff, branch_a, monkeypatch):
    skip_on_sqlite()
    meet_after(monkeypatch, services, "_check_alive", 2)  # reached under the organization's lock

    def appoint(name):
        return lambda: services.appointment_create(
            actor=staff, organization=branch_a, person_name=name, post=Post.SECRETARY, start_on=D(2025, 3, 1)
        )

    names = iter(["甲", "乙"])
    results, errors = at_once(lambda: appoint(next(names))(), 2)
    assert len(results) == 1
    assert Appointment.objects.filter(post=Post.SECRETARY, end_on__isnull=True).count() == 1
    assert "已于同日任书记" in _messages(errors)[0]


def test_two_elections_recorded_at_once_take_one_term(staff, branch_a, monkeypatch):
    skip_on_sqlite()
    meet_after(monkeypatch, services, "_check_alive", 2)

    def elect():
        return services.election_create(actor=staff, organization=branch_a, elected_on=D(2025, 3, 1))

    results, errors = at_once(elect, 2)
    assert len(results) == 1 and Election.objects.count() == 1
    assert "选举日期应晚于上一届" in _messages(errors)[0]

"""The same person entered twice at the same moment: one record, and the other request is told so
on its form (not a 500)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from jiguan.importing import import_workbook
from members import importers, services
from members.models import MedalAward, Member, Prospect
from members.services import development, membership
from tests.concurrency import at_once, meet_after, skip_on_sqlite
from tests.factories import MemberFactory, id_number_for

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date
ID_NUMBER = id_number_for(D(1980, 6, 1), "F")


def _create(staff, branch_a):
    return services.member_create(
        actor=staff,
        organization=branch_a,
        name="黎秀兰",
        gender="F",
        id_number=ID_NUMBER,
        admitted_on=D(2005, 7, 1),
        confirmed_on=D(2006, 7, 1),
    )


def test_two_registrations_of_one_member_at_once_store_one(staff, branch_a, monkeypatch):
    skip_on_sqlite()
    meet_after(monkeypatch, membership, "member_errors", 2)  # both checked before either inserts
    results, errors = at_once(lambda: _create(staff, branch_a), 2)
    assert len(results) == 1 and Member.objects.count() == 1
    [error] = errors
    assert isinstance(error, ValidationError)
    assert error.message_dict == {"id_number": [services.DUPLICATE_MEMBER]}


def test_two_forms_posted_at_once_give_the_form_message_not_a_500(staff, branch_a, monkeypatch):
    skip_on_sqlite()
    meet_after(monkeypatch, membership, "member_errors", 2)
    data = {
        "name": "黎秀兰",
        "gender": "F",
        "id_number": ID_NUMBER,
        "organization": branch_a.pk,
        "category": "IN_SERVICE",
        "admitted_on": "2005-07-01",
        "confirmed_on": "2006-07-01",
    }

    def post():
        client = Client(raise_request_exception=False)
        client.force_login(staff)
        response = client.post(reverse("members:create"), data)
        return response.status_code, response.content.decode()

    results, errors = at_once(post, 2)
    assert errors == []
    assert sorted(status for status, _ in results) == [200, 302]
    [page] = [content for status, content in results if status == 200]
    assert services.DUPLICATE_MEMBER in page
    assert Member.objects.count() == 1


def test_two_applications_of_one_person_at_once_store_one(staff, branch_a, monkeypatch):
    skip_on_sqlite()
    meet_after(monkeypatch, development, "identity_errors", 2)
    id_number = id_number_for(D(2000, 1, 5), "M")

    def apply():
        return services.prospect_create(
            actor=staff,
            organization=branch_a,
            name="陆明",
            gender="M",
            id_number=id_number,
            applied_on=D(2025, 3, 1),
        )

    results, errors = at_once(apply, 2)
    assert len(results) == 1 and Prospect.objects.count() == 1
    assert errors[0].message_dict == {"id_number": [services.DUPLICATE_PROSPECT]}


def test_a_medal_awarded_twice_at_once_is_awarded_once(staff, committee, branch_a, monkeypatch):
    skip_on_sqlite()
    veteran = MemberFactory(organization=branch_a, admitted_on=D(1975, 7, 1), confirmed_on=D(1976, 7, 1))
    meet_after(monkeypatch, MedalAward, "full_clean", 2)

    def award():
        return services.medal_award(
            actor=staff, member=veteran, year=2026, awarded_on=D(2026, 7, 1), awarded_by=committee
        )

    results, errors = at_once(award, 2)
    assert len(results) == 1 and MedalAward.objects.count() == 1
    assert "已获颁纪念章" in errors[0].message_dict["member"][0]


def test_the_same_sheet_imported_twice_at_once_stores_its_members_once(staff, branch_a, monkeypatch):
    skip_on_sqlite()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员"
    sheet.append(
        ["姓名", "性别", "公民身份号码", "所在党组织", "人员类别", "党员类别", "入党日期", "转正日期"]
    )
    sheet.append(["黎秀兰", "女", ID_NUMBER, branch_a.name, "在职", "正式党员", "2005-07-01", "2006-07-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    meet_after(monkeypatch, importers.MemberSheet, "prepare", 2)  # both checked before either stores

    results, errors = at_once(lambda: import_workbook(io.BytesIO(content), actor=staff), 2)
    assert errors == []
    assert sorted(r.stored for r in results) == [False, True]
    [refused] = [r for r in results if not r.stored]
    assert "同时录入或导入了相同的记录" in str(refused.errors[0])
    assert Member.objects.count() == 1

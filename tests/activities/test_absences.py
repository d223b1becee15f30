"""An activity records who did not attend and why (issue 10), and 三会一课 attendance adds up:
a member is present or absent, never both; 应到 is at least 实到 plus the absent."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities import services
from activities.models import Absence, AbsenceReason, Activity, ActivityKind
from tests.activities.helpers import make_member

DAY = datetime.date(2025, 5, 20)
Entry = services.AbsenceEntry


def record(actor, organization, **overrides):
    values = {"kind": ActivityKind.GENERAL_MEETING, "date": DAY, "title": "支部党员大会"}
    values.update(overrides)
    return services.activity_create(actor=actor, organization=organization, **values)


@pytest.fixture
def people(branch_a):
    return [make_member(branch_a, name) for name in ("张一", "李二", "王三")]


def test_absentees_are_stored_with_their_reasons_and_shown(branch_a, staff, staff_client, people):
    activity = record(
        staff,
        branch_a,
        expected_count=3,
        attendees=people[:1],
        absences=[
            Entry(people[1], AbsenceReason.ILLNESS, " 住院 "),
            Entry(people[2], AbsenceReason.BUSINESS),
        ],
    )
    assert [(a.member.name, a.reason, a.note) for a in activity.absences.order_by("id")] == [
        ("李二", "ILLNESS", "住院"),
        ("王三", "BUSINESS", ""),
    ]
    page = staff_client.get(f"/activities/{activity.pk}/").content.decode()
    assert "李二（因病请假：住院）、王三（因公请假）" in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"attendees": "both"}, "张一已勾选为参加党员，不能同时列为缺席"),
        ({"expected_count": 1}, "实到（1人）加缺席（1人）多于应到人数（1人）"),
        ({"reason": ""}, "请选择张一的缺席原因"),
        ({"twice": True}, "张一在缺席党员中列了两次"),
    ],
)
def test_attendance_that_does_not_add_up_is_refused(branch_a, staff, people, change, message):
    absent = people[0]
    entries = [Entry(absent, change.get("reason", AbsenceReason.PERSONAL))]
    if change.get("twice"):
        entries.append(Entry(absent, AbsenceReason.OTHER))
    attendees = [people[0] if change.get("attendees") == "both" else people[1]]
    with pytest.raises(ValidationError) as exc:
        record(
            staff,
            branch_a,
            attendees=attendees,
            expected_count=change.get("expected_count", 3),
            absences=entries,
        )
    assert message in exc.value.message_dict["absences"][0]
    assert Activity.objects.count() == 0 and Absence.objects.count() == 0


def test_an_absentee_from_another_branch_is_refused(branch_a, branch_b, staff):
    stranger = make_member(branch_b, "外支部党员")
    with pytest.raises(ValidationError) as exc:
        record(staff, branch_a, absences=[Entry(stranger, AbsenceReason.OTHER)])
    assert (
        "外支部党员不是甲局机关党支部（含下级组织）在活动当日的党员，不能列为缺席党员"
        in exc.value.message_dict["absences"][0]
    )


def test_an_update_keeps_the_absentees_and_checks_them_against_the_new_attendees(branch_a, staff, people):
    activity = record(
        staff, branch_a, attendees=people[:1], absences=[Entry(people[1], AbsenceReason.ILLNESS)]
    )
    update = {"actor": staff, "activity": activity, "date": DAY, "title": "支部党员大会"}
    services.activity_update(**update, attendees=people[:1])
    assert [a.member for a in activity.absences.all()] == [people[1]]
    with pytest.raises(ValidationError) as exc:
        services.activity_update(**update, attendees=people[:2])
    assert "李二已勾选为参加党员" in exc.value.message_dict["absences"][0]
    services.activity_update(**update, attendees=people[:2], absences=[])
    assert activity.absences.count() == 0


def test_the_record_page_takes_absentees_and_a_row_left_half_empty_is_named(
    branch_a, secretary, secretary_client, people
):
    url = f"/activities/new/?organization={branch_a.pk}&date={DAY.isoformat()}"
    page = secretary_client.get(url).content.decode()
    assert "缺席党员及原因" in page and 'name="absences-TOTAL_FORMS"' in page
    data = {
        "organization": branch_a.pk,
        "kind": ActivityKind.GENERAL_MEETING,
        "date": DAY.isoformat(),
        "title": "支部党员大会",
        "expected_count": "3",
        "attendees": [people[0].pk, people[2].pk],
        "visits-TOTAL_FORMS": "0",
        "visits-INITIAL_FORMS": "0",
        "absences-TOTAL_FORMS": "2",
        "absences-INITIAL_FORMS": "0",
        "absences-0-member": people[1].pk,
        "absences-0-reason": "",
        "absences-0-note": "出差",
    }
    answer = secretary_client.post(url, data)
    assert answer.status_code == 200
    assert "请选择李二的缺席原因" in answer.content.decode()
    assert Activity.objects.count() == 0
    data["absences-0-reason"] = AbsenceReason.BUSINESS
    answer = secretary_client.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    activity = Activity.objects.get()
    assert activity.attended_count == 2
    assert [(a.member, a.reason, a.note) for a in activity.absences.all()] == [
        (people[1], "BUSINESS", "出差")
    ]
    edit = secretary_client.get(f"/activities/{activity.pk}/edit/").content.decode()
    assert 'name="absences-0-note"' in edit and 'value="出差"' in edit

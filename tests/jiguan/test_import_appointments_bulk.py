"""The 任职 sheet checked by appointment_create's rules and stored in bulk (AppointmentBatch): the
same appointments, holders and audit as the service row by row, the same refusals on the same rows,
and a number of queries that does not grow with the rows."""

import datetime

import pytest
from django.db import transaction

from jiguan.importing import import_workbook
from jiguan.models import AuditEntry
from members import services
from members.models import AppointmentHolder
from organizations.models import Appointment, Post
from organizations.services import appointment_create
from tests.factories import MemberFactory, OrganizationFactory
from tests.jiguan.test_importing import workbook_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = ["党组织", "姓名", "公民身份号码", "职务", "任职日期", "免职日期", "文号"]


def stored():
    """The appointments, their holders and the audit, as plain values (no keys, no times)."""
    appointments = sorted(
        (a.organization.name, a.person_name, a.post, a.start_on, a.end_on, a.document_number)
        for a in Appointment.objects.select_related("organization")
    )
    holders = sorted(
        (h.appointment.person_name, h.appointment.post, h.member.name)
        for h in AppointmentHolder.objects.select_related("appointment", "member")
    )
    entries = sorted(
        (e.action, e.content_type.model, e.object_repr, repr(sorted(e.changes.items())), e.actor_name)
        for e in AuditEntry.objects.select_related("content_type")
    )
    return appointments, holders, entries


@pytest.fixture
def on_file(branch_a, branch_b, staff):
    """A 书记 in office in 甲 since 2020; in 乙 one relieved in 2022."""
    appointment_create(
        actor=staff, organization=branch_a, person_name="老书记", post=Post.SECRETARY, start_on=D(2020, 1, 5)
    )
    appointment_create(
        actor=staff, organization=branch_b, person_name="乙前书记", post=Post.SECRETARY,
        start_on=D(2019, 1, 5), end_on=D(2022, 1, 5),
    )  # fmt: skip
    AuditEntry.objects.all().delete()
    return MemberFactory(name="甲书记", organization=branch_a)


def test_the_sheet_stores_what_the_service_stores_row_by_row(on_file, staff, branch_a, branch_b):
    member = on_file
    rows = [
        ["甲局机关党支部", "甲书记", member.id_number, "书记", "2024-01-05", None, "甲组〔2024〕1号"],
        ["甲局机关党支部", "张委员", None, "组织委员", "2024-01-05", None, None],
        ["乙局机关党支部", "乙书记", None, "书记", "2023-03-01", None, None],
        ["乙局机关党支部", "王委员", None, "宣传委员", "2021-02-01", "2023-02-01", None],
    ]
    with transaction.atomic():
        report = import_workbook(workbook_bytes({"任职": [HEADER, *rows]}), actor=staff)
        assert report.ok, [str(e) for e in report.errors]
        assert report.results["任职"].created == 4
        by_sheet = stored()
        transaction.set_rollback(True)
    organizations = {"甲局机关党支部": branch_a, "乙局机关党支部": branch_b}
    for name, person, id_number, post, start, end, number in sorted(rows, key=lambda r: r[4]):
        services.appointment_with_holder(
            actor=staff, organization=organizations[name], person_name=person,
            member=member if id_number else None, post=dict((label, value) for value, label in Post.choices)[post],
            start_on=D.fromisoformat(start), end_on=end and D.fromisoformat(end), document_number=number or "",
        )  # fmt: skip
    by_service = stored()
    assert by_sheet == by_service
    appointments, holders, entries = by_sheet
    assert ("甲局机关党支部", "老书记", "SECRETARY", D(2020, 1, 5), D(2024, 1, 5), "") in appointments
    assert holders == [("甲书记", "SECRETARY", "甲书记")]
    assert sum(1 for e in entries if e[0] == "UPDATE") == 1  # 老书记 relieved


def test_a_secretary_of_the_sheet_relieved_by_a_later_one_is_stored_ended(on_file, staff, branch_b):
    """One 书记 at a time within the sheet too: the earlier is created ended on the later's first day
    (one audit entry, as stored)."""
    rows = [
        ["乙局机关党支部", "乙二书记", None, "书记", "2024-03-01", None, None],
        ["乙局机关党支部", "乙一书记", None, "书记", "2023-03-01", None, None],
    ]
    assert import_workbook(workbook_bytes({"任职": [HEADER, *rows]}), actor=staff).ok
    first = Appointment.objects.get(person_name="乙一书记")
    assert first.end_on == D(2024, 3, 1)
    entries = AuditEntry.objects.filter(object_id=str(first.pk), content_type__model="appointment")
    assert [(e.action, e.changes["end_on"]["new"]) for e in entries] == [("CREATE", "2024-03-01")]


def test_the_services_refusals_on_their_rows(on_file, staff):
    rows = [
        ["甲局机关党支部", "早书记", None, "书记", "2019-06-01", None, None],  # a later 书记 on file
        ["乙局机关党支部", "乙书记", None, "书记", "2024-01-05", None, None],
        ["乙局机关党支部", "同日书记", None, "书记", "2024-01-05", None, None],  # the same day
        ["乙局机关党支部", "倒序", None, "组织委员", "2024-01-05", "2023-01-05", None],
    ]
    report = import_workbook(workbook_bytes({"任职": [HEADER, *rows]}), actor=staff)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "任职日期", "该组织在此日期之后已有书记任职记录，请核对任职日期。"),
        (4, "任职日期", "乙书记已于同日任书记。"),
        (5, "免职日期", "免职日期不能早于任职日期。"),
    ]
    assert Appointment.objects.count() == 2  # nothing stored


def test_the_queries_do_not_grow_with_the_rows(committee, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def sheet(branches, first):
        rows = [HEADER]
        for index, branch in enumerate(branches):
            member = MemberFactory(organization=branch)
            rows.append([branch.name, f"前任{first + index}", None, "书记", "2020-01-05", None, None])
            rows.append([branch.name, member.name, member.id_number, "书记", "2024-01-05", None, None])
            rows.append([branch.name, f"委员{first + index}", None, "组织委员", "2024-01-05", None, None])
        return workbook_bytes({"任职": rows})

    counts = []
    for size, first in ((2, 0), (8, 100)):
        branches = [OrganizationFactory(name=f"第{first + i}支部", parent=committee) for i in range(size)]
        workbook = sheet(branches, first)
        with CaptureQueriesContext(connection) as queries:
            report = import_workbook(workbook, actor=staff)
        assert report.ok and report.results["任职"].created == 3 * size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

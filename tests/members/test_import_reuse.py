"""The members a sheet names are read (and decrypted) once for the sheets after it that leave
members alone (jiguan.importing.ImportContext.reusable), and read again after a sheet that may
change them: a county's sheets of dues, grades and commitments name the same 12,000 members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiguan.importing import import_workbook
from tests.factories import MemberFactory
from tests.jiguan.test_importing import workbook_bytes

pytestmark = pytest.mark.django_db


def member_reads(queries):
    """The reads of members by ID number (members_by_id_number), one a chunk of numbers."""
    return sum(
        1
        for query in queries
        if query["sql"].startswith('SELECT "members_member"."id", "members_member"."name"')
        and '"members_member"."id_number_hash" IN' in query["sql"]
    )


@pytest.fixture
def members(branch_a):
    return [MemberFactory(organization=branch_a) for _ in range(3)]


def commitments(members):
    return [["公民身份号码", "年度", "签订日期"], *([m.id_number, 2024, "2024-03-01"] for m in members)]


def test_sheets_that_leave_members_alone_read_them_once(members, staff):
    risks = [["公民身份号码", "年度", "填报日期"], *([m.id_number, 2024, "2024-03-05"] for m in members)]
    book = workbook_bytes({"廉政承诺": commitments(members), "风险防控": risks})
    with CaptureQueriesContext(connection) as queries:
        report = import_workbook(book, actor=staff)
    assert report.ok, report.errors
    assert report.results["廉政承诺"].created == report.results["风险防控"].created == 3
    assert member_reads(queries) == 1


def test_members_are_read_again_after_a_sheet_that_may_change_them(members, staff, branch_a, committee):
    holder = members[0]
    appointments = [
        ["党组织", "姓名", "公民身份号码", "职务", "任职日期"],
        [branch_a.name, holder.name, holder.id_number, "书记", "2024-03-01"],
    ]
    commendations = [
        ["类别", "对象", "公民身份号码", "授予组织", "日期"],
        ["优秀共产党员", holder.name, holder.id_number, committee.name, "2024-06-28"],
    ]
    book = workbook_bytes({"廉政承诺": commitments(members), "任职": appointments, "表彰": commendations})
    with CaptureQueriesContext(connection) as queries:
        report = import_workbook(book, actor=staff)
    assert report.ok, report.errors
    assert report.results["任职"].created == report.results["表彰"].created == 1
    # 廉政承诺 reads them, 任职 reuses them (a commitment changes no member), 表彰 reads them again:
    # an appointment is recorded through the services, which may change a member.
    assert member_reads(queries) == 2

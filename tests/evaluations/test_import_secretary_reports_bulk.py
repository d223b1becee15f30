"""The 述职评议 sheet checked by secretary_report_record's rules and stored in bulk
(secretary_report_new, secretary_reports_store): the same reports, secretaries' names and audit as
the service row by row, and a number of queries that does not grow with the rows."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from activities.evaluations import services
from activities.evaluations.models import SecretaryReport
from jiguan.importing import import_workbook
from jiguan.models import AuditEntry
from organizations.models import Kind, Post
from organizations.services import appointment_create
from tests.evaluations.test_import import workbook
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = ["党组织", "年度", "述职日期", "等次", "书记姓名"]


def stored():
    reports = sorted(
        (r.organization.name, r.year, r.reported_on, r.grade, r.secretary_name)
        for r in SecretaryReport.objects.select_related("organization")
    )
    entries = sorted(
        (e.action, e.content_type.model, e.object_repr, repr(sorted(e.changes.items())))
        for e in AuditEntry.objects.select_related("content_type")
    )
    return reports, entries


def test_the_sheet_stores_what_the_service_stores(staff, committee, branch_a, branch_b):
    # 甲's secretary changed in 2023: a report without 书记姓名 names the one in office that day.
    appointment_create(
        actor=staff, organization=branch_a, person_name="张一", post=Post.SECRETARY, start_on=D(2020, 1, 1)
    )
    appointment_create(
        actor=staff, organization=branch_a, person_name="张二", post=Post.SECRETARY, start_on=D(2023, 6, 1)
    )
    AuditEntry.objects.all().delete()
    rows = [
        (branch_a, 2022, D(2023, 1, 10), "GOOD", ""),
        (branch_a, 2023, D(2023, 12, 20), "", ""),
        (branch_b, 2023, D(2024, 1, 5), "AVERAGE", "李书记"),
    ]
    label = {"GOOD": "好", "AVERAGE": "一般", "": ""}
    with transaction.atomic():
        sheet = [HEADER, *([o.name, y, d.isoformat(), label[g], n] for o, y, d, g, n in rows)]
        report = import_workbook(workbook({"述职评议": sheet}), actor=staff)
        assert report.ok, [str(e) for e in report.errors]
        imported = stored()
        transaction.set_rollback(True)
    with transaction.atomic():
        for organization, year, day, grade, name in rows:
            services.secretary_report_record(
                actor=staff,
                organization=organization,
                year=year,
                reported_on=day,
                grade=grade,
                secretary_name=name,
            )
        assert stored() == imported
        transaction.set_rollback(True)
    assert sorted(r[4] for r in imported[0]) == sorted(["张一", "张二", "李书记"])


def test_the_queries_do_not_grow_with_the_rows(committee, staff):
    counts = []
    for size in (2, 8):
        branches = [
            OrganizationFactory(kind=Kind.BRANCH, name=f"第{size}-{i}支部", parent=committee)
            for i in range(size)
        ]
        rows = [HEADER, *([b.name, 2023, "2023-12-20", "好", ""] for b in branches)]
        with CaptureQueriesContext(connection) as queries:
            report = import_workbook(workbook({"述职评议": rows}), actor=staff)
        assert report.ok and report.results["述职评议"].created == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

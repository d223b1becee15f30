"""The 民主评议 sheet checked by appraisal_record's rules and stored in bulk (AppraisalBatch): the same
appraisals, grades and audit as the service branch by branch, the same refusals in the same words,
and a number of queries that does not grow with the branches."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from activities.evaluations import services
from activities.evaluations.models import Appraisal, MemberGrade
from jiguan.importing import import_workbook
from jiguan.models import AuditEntry
from tests.evaluations.test_import import workbook
from tests.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = ["公民身份号码", "年度", "等次"]
LABEL = {"EXCELLENT": "优秀", "QUALIFIED": "合格", "BASICALLY_QUALIFIED": "基本合格"}


def stored():
    appraisals = sorted(
        (a.organization.name, a.year, a.held_on) for a in Appraisal.objects.select_related("organization")
    )
    grades = sorted(
        (g.appraisal.organization.name, g.member.name, g.year, g.grade)
        for g in MemberGrade.objects.select_related("appraisal__organization", "member")
    )
    entries = sorted(
        (e.action, e.content_type.model, e.object_repr, repr(sorted(e.changes.items())))
        for e in AuditEntry.objects.select_related("content_type")
    )
    return appraisals, grades, entries


@pytest.fixture
def branches(committee, branch_a, branch_b, staff):
    """甲 with six members, graded in 2023 for three of them (kept); 乙 with four."""
    a = [MemberFactory(name=f"甲{i}", organization=branch_a) for i in range(6)]
    b = [MemberFactory(name=f"乙{i}", organization=branch_b) for i in range(4)]
    services.appraisal_record(
        actor=staff, organization=branch_a, year=2023, held_on=D(2023, 12, 20),
        grades={a[0]: "EXCELLENT", a[1]: "QUALIFIED", a[2]: "QUALIFIED"},
    )  # fmt: skip
    AuditEntry.objects.all().delete()
    return {"甲": a, "乙": b}


def test_the_sheet_stores_what_the_service_stores(branches, staff, branch_a, branch_b):
    a, b = branches["甲"], branches["乙"]
    plan = {  # (organization, year) -> {member: grade}
        (branch_a, 2023): {a[3]: "QUALIFIED", a[4]: "QUALIFIED"},  # beside three on file
        (branch_a, 2024): {m: "QUALIFIED" for m in a},
        (branch_b, 2024): {b[0]: "EXCELLENT", b[1]: "QUALIFIED", b[2]: "QUALIFIED", b[3]: "BASICALLY_QUALIFIED"},
    }  # fmt: skip
    rows = [[m.id_number, year, LABEL[g]] for (_, year), grades in plan.items() for m, g in grades.items()]
    with transaction.atomic():
        report = import_workbook(workbook({"民主评议": [HEADER, *rows]}), actor=staff)
        assert report.ok, [str(e) for e in report.errors]
        by_sheet = stored()
        transaction.set_rollback(True)
    for (organization, year), grades in plan.items():
        held_on = (
            Appraisal.objects.filter(organization=organization, year=year)
            .values_list("held_on", flat=True)
            .first()
        )
        services.appraisal_record(
            actor=staff,
            organization=organization,
            year=year,
            held_on=held_on or D(year, 12, 31),
            grades=grades,
        )
    assert by_sheet == stored()
    assert ("甲局机关党支部", 2023, D(2023, 12, 20)) in by_sheet[0]  # the day on file kept
    assert len(by_sheet[1]) == 3 + 2 + 6 + 4


def test_the_services_refusals_on_their_rows(branches, staff, branch_b):
    a, b = branches["甲"], branches["乙"]
    probationary = MemberFactory(
        name="预备", organization=branch_b, status="PROBATIONARY", admitted_on=D(2024, 3, 1)
    )
    rows = [
        [a[0].id_number, 2024, "优秀"],  # 甲: two of three excellent
        [a[1].id_number, 2024, "优秀"],
        [a[2].id_number, 2024, "合格"],
        [b[0].id_number, 2024, "合格"],
        [probationary.id_number, 2024, "合格"],  # probationary: no grade
    ]
    report = import_workbook(workbook({"民主评议": [HEADER, *rows]}), actor=staff)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (
            2,
            "等次",
            "评为优秀的党员不能超过参加评定等次党员的三分之一：本次评定3人，优秀最多1人，现为2人。",
        ),
        (6, "公民身份号码", services.probationary_message(probationary)),
    ]
    assert Appraisal.objects.filter(year=2024).count() == 0


def test_the_queries_do_not_grow_with_the_branches(committee, staff):
    counts = []
    for size in (2, 6):
        branches = [OrganizationFactory(name=f"第{size}-{i}支部", parent=committee) for i in range(size)]
        rows = [HEADER]
        for branch in branches:
            rows += [[MemberFactory(organization=branch).id_number, 2024, "合格"] for _ in range(3)]
        book = workbook({"民主评议": rows})
        with CaptureQueriesContext(connection) as queries:
            report = import_workbook(book, actor=staff)
        assert report.ok and report.results["民主评议"].created == 3 * size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

"""A county whose integrity and evaluation numbers of 2021 and 2020 are counted by hand.

Built on the conftest tree (committee, branch_a, group_a, branch_b) through the services, so the
rules are exercised on the way: a probationary member refused a grade, a fourth 优秀 of nine refused.
Each record says whether it counts.

    committee (R)
    ├── branch_a   a1…a9 full (a9 retired), p1 probationary (admitted 2021-05-01)
    ├── branch_b   receives g1, g2, g3 when br_gone is dissolved
    ├── br_gone    dissolved 2021-09-01; g1, g2, g3 until then; its secretary reported on 2021-07-01
    └── pc         机关党委, no members
    outside_root → outside (another county): o1
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from activities.evaluations import services as evaluations
from members import services as member_services
from members.integrity import services as integrity
from members.models import Category
from organizations.models import Appointment, Kind, Organization, Post
from tests.factories import MemberFactory, OrganizationFactory

D = datetime.date

EXPECTED = {
    2021: {
        "commitments_signed": 6,  # a1 (signed 2020-12-28 for 2021), a2–a5, g1 (in br_gone); not a6's 2020 one, not o1
        "risk_forms_filed": 4,  # a1, a2, a3, p1 (every member files, probationary too)
        "secretary_reports": 3,  # branch_a, br_gone (reported before its dissolution), pc (in 2022); not branch_b
        "secretary_reports_good": 2,  # branch_a, br_gone; pc 较好
        "members_appraised": 12,  # a1–a9 in branch_a, g1–g3 in br_gone before its dissolution; not p1, not o1
        "members_appraised_excellent": 4,  # a1–a3, g1
        "members_appraised_unqualified": 1,  # a9
        "community_registered": 3,  # a1, a4, g1; not a2 (ended 2021-06-01), not a3 (retired 2021-07-01)
    },
    2020: {
        "commitments_signed": 1,  # a6
        "risk_forms_filed": 1,  # a1
        "secretary_reports": 2,  # branch_a, br_gone
        "secretary_reports_good": 1,  # br_gone; branch_a 一般
        "members_appraised": 6,  # a1–a6
        "members_appraised_excellent": 2,  # a1, a2
        "members_appraised_unqualified": 0,
        "community_registered": 3,  # a1, a2, a3 (all in service on 2020-12-31)
    },
}


def build(staff, committee, branch_a, branch_b) -> SimpleNamespace:
    c = SimpleNamespace(committee=committee, branch_a=branch_a, branch_b=branch_b)
    c.br_gone = OrganizationFactory(kind=Kind.BRANCH, name="撤销党支部", parent=committee)
    c.pc = OrganizationFactory(kind=Kind.PARTY_COMMITTEE, name="县法院机关党委", parent=committee)
    c.outside_root = OrganizationFactory(kind=Kind.WORKING_COMMITTEE, name="外县工委")
    c.outside = OrganizationFactory(kind=Kind.BRANCH, name="外县党支部", parent=c.outside_root)

    a = [MemberFactory(name=f"甲{i}", organization=branch_a) for i in range(1, 9)]
    a9 = MemberFactory(name="甲9", organization=branch_a, category=Category.RETIRED)
    a.append(a9)
    c.a = a
    c.p1 = MemberFactory(
        name="预备一", organization=branch_a, status="PROBATIONARY", admitted_on=D(2021, 5, 1)
    )
    c.g1 = MemberFactory(name="撤一", organization=c.br_gone)
    c.g2 = MemberFactory(name="撤二", organization=c.br_gone)
    c.g3 = MemberFactory(name="撤三", organization=c.br_gone)
    c.o1 = MemberFactory(name="外一", organization=c.outside)

    # --- br_gone dissolved on 2021-09-01 (its members move to branch_b): its past is entered after
    for m in (c.g1, c.g2, c.g3):
        member_services.member_move(actor=staff, member=m, to_organization=branch_b, date=D(2021, 9, 1))
    Organization.objects.filter(pk=c.br_gone.pk).update(dissolved_on=D(2021, 9, 1))
    c.br_gone.refresh_from_db()
    # --- community registrations (双报到) ------------------------------------------------------
    integrity.community_register(actor=staff, member=a[0], community="城东社区", registered_on=D(2020, 3, 1))
    integrity.community_register(
        actor=staff, member=a[1], community="城南社区", registered_on=D(2019, 5, 1), ended_on=D(2021, 6, 1)
    )  # ended in 2021
    integrity.community_register(actor=staff, member=a[2], community="城北社区", registered_on=D(2020, 4, 1))
    member_services.member_change_category(
        actor=staff, member=a[2], category=Category.RETIRED, date=D(2021, 7, 1)
    )
    integrity.community_register(actor=staff, member=a[3], community="城西社区", registered_on=D(2021, 3, 1))
    integrity.community_register(actor=staff, member=c.g1, community="城东社区", registered_on=D(2021, 2, 1))
    integrity.community_register(actor=staff, member=c.o1, community="外县社区", registered_on=D(2021, 2, 1))

    # --- commitments and risk forms ----------------------------------------------------------
    integrity.commitment_record(actor=staff, member=a[0], year=2021, signed_on=D(2020, 12, 28))
    for m in a[1:5]:
        integrity.commitment_record(actor=staff, member=m, year=2021, signed_on=D(2021, 1, 20))
    integrity.commitment_record(actor=staff, member=c.g1, year=2021, signed_on=D(2021, 2, 1))
    integrity.commitment_record(actor=staff, member=a[5], year=2020, signed_on=D(2020, 3, 1))
    integrity.commitment_record(actor=staff, member=c.o1, year=2021, signed_on=D(2021, 2, 1))
    integrity.risk_form_save(actor=staff, member=a[0], year=2020, filed_on=D(2020, 3, 1), level="MEDIUM")
    for m in (a[0], a[1], a[2], c.p1):
        integrity.risk_form_save(actor=staff, member=m, year=2021, filed_on=D(2021, 6, 1), level="LOW")

    # --- secretaries' reports ----------------------------------------------------------------
    Appointment.objects.create(
        organization=c.br_gone, person_name="撤书记", post=Post.SECRETARY, start_on=D(2018, 1, 1)
    )
    evaluations.secretary_report_record(
        actor=staff, organization=branch_a, year=2020, reported_on=D(2020, 12, 15), grade="AVERAGE"
    )
    evaluations.secretary_report_record(
        actor=staff, organization=c.br_gone, year=2020, reported_on=D(2021, 1, 10), grade="GOOD"
    )
    evaluations.secretary_report_record(
        actor=staff, organization=branch_a, year=2021, reported_on=D(2021, 12, 20), grade="GOOD"
    )
    evaluations.secretary_report_record(
        actor=staff, organization=c.br_gone, year=2021, reported_on=D(2021, 7, 1), grade="GOOD"
    )
    evaluations.secretary_report_record(
        actor=staff, organization=c.pc, year=2021, reported_on=D(2022, 1, 10), grade="FAIRLY_GOOD"
    )
    evaluations.secretary_report_record(
        actor=staff, organization=c.outside, year=2021, reported_on=D(2021, 7, 1), grade="GOOD"
    )

    # --- democratic appraisal ----------------------------------------------------------------
    grades_2021 = {m: "EXCELLENT" if i < 3 else "QUALIFIED" for i, m in enumerate(a)}
    grades_2021[a9] = "UNQUALIFIED"
    with pytest.raises(ValidationError, match="优秀最多3人，现为4人"):
        evaluations.appraisal_record(
            actor=staff,
            organization=branch_a,
            year=2021,
            held_on=D(2021, 12, 20),
            grades={**grades_2021, a[3]: "EXCELLENT"},
        )
    with pytest.raises(ValidationError, match="预备一是预备党员，参加民主评议但不评定等次"):
        evaluations.appraisal_record(
            actor=staff,
            organization=branch_a,
            year=2021,
            held_on=D(2021, 12, 20),
            grades={**grades_2021, c.p1: "QUALIFIED"},
        )
    evaluations.appraisal_record(
        actor=staff, organization=branch_a, year=2021, held_on=D(2021, 12, 20), grades=grades_2021
    )
    evaluations.appraisal_record(
        actor=staff,
        organization=branch_a,
        year=2020,
        held_on=D(2020, 12, 20),
        grades={m: "EXCELLENT" if i < 2 else "QUALIFIED" for i, m in enumerate(a[:6])},
    )
    evaluations.appraisal_record(
        actor=staff,
        organization=c.br_gone,
        year=2021,
        held_on=D(2021, 6, 30),
        grades={c.g1: "EXCELLENT", c.g2: "QUALIFIED", c.g3: "QUALIFIED"},
    )
    evaluations.appraisal_record(
        actor=staff, organization=c.outside, year=2021, held_on=D(2021, 6, 30), grades={c.o1: "QUALIFIED"}
    )

    with pytest.raises(ValidationError, match="已于2021年9月1日撤销"):
        evaluations.secretary_report_record(
            actor=staff, organization=c.br_gone, year=2021, reported_on=D(2021, 10, 1)
        )
    return c

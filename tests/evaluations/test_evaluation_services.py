"""The rules of the evaluations (activities.evaluations.services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from activities.evaluations import selectors, services
from activities.evaluations.models import Appraisal, MemberGrade, SecretaryReport
from activities.models import Activity, ActivityKind, LetterStatus, ReminderLetter
from members.integrity import services as integrity_services
from organizations.models import Appointment, Kind, Organization, Post
from tests.factories import MemberFactory, OrganizationFactory

D = datetime.date


@pytest.fixture
def nine(branch_a):
    return [MemberFactory(name=f"正式{i}", organization=branch_a) for i in range(9)]


def grades(members, excellent):
    return {m: ("EXCELLENT" if i < excellent else "QUALIFIED") for i, m in enumerate(members)}


def test_a_fourth_excellent_of_nine_is_refused(staff, branch_a, nine):
    with pytest.raises(ValidationError) as refused:
        services.appraisal_record(
            actor=staff, organization=branch_a, year=2021, held_on=D(2021, 12, 20), grades=grades(nine, 4)
        )
    assert refused.value.messages == [
        "评为优秀的党员不能超过参加评定等次党员的三分之一：本次评定9人，优秀最多3人，现为4人。"
    ]
    assert not Appraisal.objects.exists() and not MemberGrade.objects.exists()
    services.appraisal_record(
        actor=staff, organization=branch_a, year=2021, held_on=D(2021, 12, 20), grades=grades(nine, 3)
    )
    assert MemberGrade.objects.filter(grade="EXCELLENT").count() == 3


def test_changing_one_grade_to_excellent_counts_the_grades_kept(staff, branch_a, nine):
    services.appraisal_record(
        actor=staff, organization=branch_a, year=2021, held_on=D(2021, 12, 20), grades=grades(nine, 3)
    )
    with pytest.raises(ValidationError, match="现为4人"):
        services.appraisal_record(
            actor=staff,
            organization=branch_a,
            year=2021,
            grades={nine[8]: "EXCELLENT"},
            held_on=D(2021, 12, 20),
        )


def test_a_probationary_member_takes_part_but_gets_no_grade(staff, branch_a, nine):
    probationary = MemberFactory(
        name="预备甲", organization=branch_a, status="PROBATIONARY", admitted_on=D(2021, 6, 1)
    )
    with pytest.raises(ValidationError) as refused:
        services.appraisal_record(
            actor=staff,
            organization=branch_a,
            year=2021,
            held_on=D(2021, 12, 20),
            grades={probationary: "QUALIFIED"},
        )
    assert refused.value.messages == ["预备甲是预备党员，参加民主评议但不评定等次。"]
    roll = {m.name: m.status_then for m in selectors.appraisal_roll(branch_a, 2021, D(2021, 12, 20))}
    assert roll["预备甲"] == "PROBATIONARY" and len(roll) == 10


def test_a_member_of_another_branch_is_not_graded_here(staff, branch_a, branch_b):
    stranger = MemberFactory(name="乙局党员", organization=branch_b)
    with pytest.raises(ValidationError, match="不是“甲局机关党支部”的党员"):
        services.appraisal_record(
            actor=staff,
            organization=branch_a,
            year=2021,
            held_on=D(2021, 12, 20),
            grades={stranger: "QUALIFIED"},
        )


def test_the_appraisal_is_linked_to_the_branchs_activity(staff, branch_a, branch_b, nine):
    review = Activity.objects.create(
        organization=branch_a, kind=ActivityKind.DEMOCRATIC_REVIEW, date=D(2021, 12, 18), title="民主评议党员"
    )
    other = Activity.objects.create(
        organization=branch_b, kind=ActivityKind.DEMOCRATIC_REVIEW, date=D(2021, 12, 18), title="民主评议党员"
    )
    with pytest.raises(ValidationError, match="不是“甲局机关党支部”的民主评议党员活动"):
        services.appraisal_record(
            actor=staff, organization=branch_a, year=2021, activity=other, grades=grades(nine, 1)
        )
    appraisal = services.appraisal_record(
        actor=staff, organization=branch_a, year=2021, activity=review, grades=grades(nine, 1)
    )
    assert appraisal.held_on == D(2021, 12, 18) and appraisal.activity == review


def test_a_secretary_of_a_branch_dissolved_later_reported_before(staff, committee):
    branch = OrganizationFactory(kind=Kind.BRANCH, name="撤销支部", parent=committee)
    Appointment.objects.create(
        organization=branch, person_name="赵书记", post=Post.SECRETARY, start_on=D(2018, 1, 1)
    )
    Organization.objects.filter(pk=branch.pk).update(dissolved_on=D(2021, 9, 1))
    branch.refresh_from_db()
    report = services.secretary_report_record(
        actor=staff, organization=branch, year=2021, reported_on=D(2021, 7, 1), grade="GOOD"
    )
    assert report.secretary_name == "赵书记"
    with pytest.raises(ValidationError, match="已于2021年9月1日撤销"):
        services.secretary_report_record(
            actor=staff, organization=branch, year=2021, reported_on=D(2021, 10, 1)
        )
    assert SecretaryReport.objects.get().reported_on == D(2021, 7, 1)


def test_only_party_committees_general_branches_and_branches_report(staff, group_a):
    with pytest.raises(ValidationError, match="书记述职评议只适用于机关党委、党总支部和党支部"):
        services.secretary_report_record(
            actor=staff, organization=group_a, year=2021, reported_on=D(2021, 7, 1)
        )


def test_who_has_not_reported(staff, committee, branch_a, branch_b):
    services.secretary_report_record(
        actor=staff, organization=branch_a, year=2021, reported_on=D(2022, 1, 10), grade="GOOD"
    )
    within = Organization.objects.subtree_of(committee)
    assert [o.name for o in selectors.not_reported(2021, within=within)] == ["乙局机关党支部"]


def test_assessment_scores_stay_within_the_points_and_rank(staff, committee, branch_a, branch_b):
    sheet = services.assessment_sheet_create(
        actor=staff, issuer=committee, year=2021, title="党建考核", target_kind="ORGANIZATIONS"
    )
    first = services.assessment_item_add(actor=staff, sheet=sheet, name="三会一课", points=Decimal("60"))
    second = services.assessment_item_add(actor=staff, sheet=sheet, name="党费", points=Decimal("40"))
    a = services.assessment_target_add(actor=staff, sheet=sheet, organization=branch_a)
    b = services.assessment_target_add(actor=staff, sheet=sheet, organization=branch_b)
    with pytest.raises(ValidationError, match="得分应在0至60"):
        services.assessment_scores_enter(actor=staff, target=a, scores={first: Decimal("61")})
    services.assessment_scores_enter(
        actor=staff, target=a, scores={first: Decimal("50"), second: Decimal("30")}
    )
    services.assessment_scores_enter(
        actor=staff, target=b, scores={first: Decimal("58"), second: Decimal("35")}
    )
    table = selectors.assessment_table(sheet)
    assert [(r["name"], r["total"], r["rank"], r["grade"]) for r in table["rows"]] == [
        ("乙局机关党支部", Decimal("93.0"), 1, "优秀"),
        ("甲局机关党支部", Decimal("80.0"), 2, "良好"),
    ]


def test_reminders_go_to_organizations_with_members_who_have_not_signed(staff, committee, branch_a, branch_b):
    signed = MemberFactory(name="已签", organization=branch_a)
    MemberFactory(name="未签", organization=branch_a)
    MemberFactory(name="乙未签", organization=branch_b)
    integrity_services.commitment_record(actor=staff, member=signed, year=2026, signed_on=D(2026, 2, 1))
    letters = services.commitment_reminders_draft(actor=staff, sender=committee, year=2026)
    assert sorted(letter.addressee.name for letter in letters) == ["乙局机关党支部", "甲局机关党支部"]
    assert "未签共1名党员尚未签订2026年度廉政承诺书" in ReminderLetter.objects.get(addressee=branch_a).body
    assert services.commitment_reminders_draft(actor=staff, sender=committee, year=2026) == []
    assert ReminderLetter.objects.filter(status=LetterStatus.DRAFT).count() == 2

"""The definitions made exact (issue 9), each pinned at the edges of the year with numbers counted
by hand: E = 31 December; records on 1 January and 31 December; organizations dissolved or
founded on E; members leaving on E; imported members whose organization was founded later; the
stage of a trainee on the training's date; the money of condolence visits in 万元."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from activities.models import (
    ActivityKind,
    CondolenceVisit,
    DocumentKind,
    ListKind,
    ResponsibilityList,
    TrainingAttendance,
)
from members.models import Category, MemberVersion, Stage, Status
from organizations.models import EventKind, Kind, LiaisonAssignment, OrganizationEvent, OrganizationVersion
from reports.metrics import REGISTRY, ReportScope, compute_all
from reports.metrics.annual_summary import lists_issued_numbers, orgs_dissolved_names
from reports.metrics.breakdowns import activities_by_kind_and_month
from reports.outputs import build_summary, workbook_bytes
from reports.placeholders import render_plain
from tests.reports.county import activity, document, member, move_member, org, prospect, rename, reparent

D = datetime.date
Y = 2021


def imported(name, organization, *, admitted, confirmed=None):
    """A member as the import writes one: in their organization since 入党日期, or since the
    organization was founded when later (WORKBOOK.md)."""
    m = member(name, organization, admitted=admitted, confirmed=confirmed)
    MemberVersion.objects.filter(member=m).update(valid_from=max(admitted, organization.founded_on))
    return m


def values(root, year=Y, codes=None):
    return compute_all(root, year, codes=codes)


# --- probationary_admitted and members_confirmed -----------------------------------------------------


@pytest.fixture
def admissions(committee, branch_a, branch_b):
    c = {}
    c["outside_root"] = org(Kind.WORKING_COMMITTEE, "外县工委", None)
    c["outside"] = org(Kind.BRANCH, "外县党支部", c["outside_root"])
    c["late"] = org(Kind.BRANCH, "新成立党支部", committee, founded=D(2021, 6, 1))
    c["outside_late"] = org(Kind.BRANCH, "外县新党支部", c["outside_root"], founded=D(2021, 9, 1))
    # Imported, admitted before the organization existed: placed in it from its founding.
    c["imported_2021"] = imported("导入甲", c["late"], admitted=D(2021, 2, 1))  # counts in 2021
    c["imported_2020"] = imported("导入乙", c["late"], admitted=D(2020, 11, 1))  # counts in 2020
    imported("导入丙", c["outside_late"], admitted=D(2021, 3, 1))  # first organization outside S
    member("元旦", branch_a, admitted=D(2021, 1, 1))  # first day of Y
    member("除夕", branch_b, admitted=D(2021, 12, 31))  # E
    member("去年除夕", branch_b, admitted=D(2020, 12, 31))  # last day of Y - 1
    moved_out = member("调出", branch_a, admitted=D(2021, 5, 1))
    move_member(moved_out, c["outside"], D(2021, 8, 1))  # admitted in S: counts
    moved_in = member("调入", c["outside"], admitted=D(2021, 5, 1))
    move_member(moved_in, branch_b, D(2021, 8, 1))  # admitted outside S: does not
    # Confirmations: on E in S; imported and confirmed before its organization was founded; outside.
    member("转正甲", branch_a, admitted=D(2020, 12, 31), confirmed=D(2021, 12, 31))
    imported("转正乙", c["late"], admitted=D(2020, 3, 1), confirmed=D(2021, 3, 1))
    member("转正丙", c["outside"], admitted=D(2020, 4, 1), confirmed=D(2021, 4, 1))
    member("转正丁", branch_b, admitted=D(2021, 1, 1), confirmed=D(2022, 1, 1))  # next year
    # Confirmed on the day probation ended, and transferred out of the county that same day.
    member("转正戊", branch_b, admitted=D(2020, 6, 1), confirmed=D(2021, 6, 1), left=D(2021, 6, 1))
    return c


def test_the_admitting_organization_is_that_of_the_day_or_the_first(committee, branch_a, admissions):
    # 导入甲, 元旦, 除夕, 调出, 转正丁 (not 导入乙 of 2020, 导入丙 outside, 去年除夕, 调入).
    assert values(committee)["probationary_admitted"] == 5
    names = sorted(
        v.member.name for v in REGISTRY["probationary_admitted"].records(ReportScope(committee, Y))
    )
    assert names == ["元旦", "导入甲", "调出", "转正丁", "除夕"]
    # 2020: 导入乙 and 转正乙 (their organization was founded in 2021), 去年除夕 and 转正甲 (31 December),
    # 转正戊 (1 June).
    assert values(committee, 2020)["probationary_admitted"] == 5
    assert values(admissions["late"])["probationary_admitted"] == 1  # the new branch itself: 导入甲
    assert values(branch_a)["probationary_admitted"] == 2  # 元旦, 调出


def test_the_drill_down_names_the_admitting_organization_of_an_imported_member(committee, admissions):
    rows = REGISTRY["probationary_admitted"].records(ReportScope(committee, Y))
    assert {r.member.name: r.organization_then_name for r in rows}["导入甲"] == "新成立党支部"


def test_confirmations_place_members_the_same_way(committee, admissions):
    # 转正甲 on E, 转正乙 (imported, organization founded after the 转正日期), 转正戊 (left that day);
    # not 转正丙 (outside) nor 转正丁.
    assert values(committee)["members_confirmed"] == 3
    rows = REGISTRY["members_confirmed"].records(ReportScope(committee, Y))
    assert {r.member.name: r.organization_then_name for r in rows} == {
        "转正甲": "甲局机关党支部",
        "转正乙": "新成立党支部",
        "转正戊": "乙局机关党支部",
    }
    assert values(committee, 2022)["members_confirmed"] == 1


# --- activists_trained and candidates_trained --------------------------------------------------------


@pytest.fixture
def trainings(committee, branch_a):
    first = activity(branch_a, ActivityKind.TRAINING, D(2021, 1, 1), attended=5)
    april = activity(branch_a, ActivityKind.TRAINING, D(2021, 4, 1), attended=5)
    june = activity(committee, ActivityKind.TRAINING, D(2021, 6, 1), attended=5)
    october = activity(committee, ActivityKind.TRAINING, D(2021, 10, 1), attended=5)
    last = activity(branch_a, ActivityKind.TRAINING, D(2021, 12, 31), attended=5)
    # Activist from the training's very day: counts as activist.
    same_day = prospect("当日", branch_a, activist=D(2021, 4, 1))
    # Activist only the day after; stored as a candidate now (when the training was entered).
    day_after = prospect("次日", branch_a, activist=D(2021, 4, 2), candidate=D(2022, 4, 3))
    # Candidate from E, trained on E.
    on_e = prospect("年末", branch_a, activist=D(2020, 1, 1), candidate=D(2021, 12, 31))
    # An activist on 1 January, trained again on E as an activist.
    new_year = prospect("元旦", branch_a, activist=D(2020, 12, 31))
    # A candidate trained in June, admitted in September, trained again in October as a member.
    admitted = prospect("已入党", branch_a, activist=D(2019, 5, 1), candidate=D(2020, 6, 1))
    admitted.member = member("已入党", branch_a, admitted=D(2021, 9, 1))
    admitted.stage = Stage.PROBATIONARY
    admitted.save()
    for training, person in [
        (april, same_day),
        (april, day_after),
        (last, on_e),
        (first, new_year),
        (last, new_year),
        (june, admitted),
        (october, admitted),
    ]:
        TrainingAttendance.objects.create(activity=training, prospect=person)
    TrainingAttendance.objects.create(
        activity=june, member=member("老党员", branch_a, admitted=D(2000, 1, 1))
    )


def test_the_stage_is_that_of_the_training_date(committee, trainings):
    counted = values(committee, codes=["activists_trained", "candidates_trained"])
    assert counted == {"activists_trained": 2, "candidates_trained": 2}  # 当日, 元旦 / 年末, 已入党
    rows = REGISTRY["activists_trained"].records(ReportScope(committee, Y))
    assert sorted((r.prospect.name, r.activity.date.month) for r in rows) == [
        ("元旦", 1),
        ("元旦", 12),
        ("当日", 4),
    ]
    assert {r.stage_then_label for r in rows} == {"入党积极分子"}


def test_a_corrected_step_changes_the_count(committee, trainings):
    from members.models import DevelopmentStep

    DevelopmentStep.objects.filter(prospect__name="次日", number=3).update(done_on=D(2021, 3, 31))
    assert values(committee, codes=["activists_trained"])["activists_trained"] == 3


# --- condolence_amount_wan --------------------------------------------------------------------------


def test_condolence_money_is_exact_in_the_workbook_and_half_up_in_the_text(committee, branch_a, staff):
    visit = activity(branch_a, ActivityKind.CONDOLENCE_VISIT, D(2021, 6, 30))
    for name, amount in (("王大爷", "5000.00"), ("李奶奶", "4250.00"), ("张三", "3000.00")):
        CondolenceVisit.objects.create(activity=visit, person_name=name, amount=Decimal(amount))
    number = values(committee)["condolence_amount_wan"]
    assert number == Decimal("1.225")  # 12,250.00 yuan
    assert render_plain("发放慰问金{{ condolence_amount_wan }}万元", {"condolence_amount_wan": number}) == (
        "发放慰问金1.23万元"
    )
    summary = build_summary(committee, Y)
    assert "发放慰问金1.23万元" in "".join(p.text for b in summary.blocks for p in b.pieces)
    sheet = load_workbook(io.BytesIO(workbook_bytes(summary)))["指标"]
    row = next(r for r in sheet.iter_rows() if r[0].value == "condolence_amount_wan")
    assert row[2].value == 1.225


# --- lists_issued ----------------------------------------------------------------------------------


def test_lists_issued_leaves_out_the_work_points(committee, branch_a):
    for serial, day in ((2, D(2021, 1, 1)), (9, D(2021, 12, 31))):
        doc = document(committee, serial, DocumentKind.RESPONSIBILITY_LIST, day, f"责任清单{serial}")
        ResponsibilityList.objects.create(document=doc, kind=ListKind.RESPONSIBILITY, year=2021)
    points = document(committee, 1, DocumentKind.WORK_POINTS, D(2021, 2, 1), "2021年党建工作要点")
    ResponsibilityList.objects.create(document=points, kind=ListKind.WORK_POINTS, year=2021)
    # A list registered as a document only (its items not entered) is a list issued all the same.
    document(committee, 5, DocumentKind.RESPONSIBILITY_LIST, D(2021, 3, 1), "主体责任清单")
    document(committee, 1, DocumentKind.RESPONSIBILITY_LIST, D(2022, 1, 1), "明年的清单")
    document(committee, 9, DocumentKind.RESPONSIBILITY_LIST, D(2020, 12, 31), "去年的清单")
    document(branch_a, 1, DocumentKind.RESPONSIBILITY_LIST, D(2021, 5, 1), "支部清单", prefix="甲支通")
    assert values(committee)["lists_issued"] == 3
    assert lists_issued_numbers(ReportScope(committee, Y)) == [
        "党工通〔2021〕2号",
        "党工通〔2021〕5号",
        "党工通〔2021〕9号",
    ]


# --- liaison_orgs ----------------------------------------------------------------------------------


def test_liaison_organizations_are_those_of_s_at_any_depth(committee, branch_a, group_a):
    outside_root = org(Kind.WORKING_COMMITTEE, "外县工委", None)
    outside = org(Kind.BRANCH, "外县党支部", outside_root)
    leaving = org(Kind.BRANCH, "调出党支部", committee)
    reparent(leaving, outside_root, D(2021, 7, 1))
    joining = org(Kind.BRANCH, "调入党支部", outside_root)
    reparent(joining, committee, D(2021, 7, 1))

    def assign(leader, organization, start, end=None):
        LiaisonAssignment.objects.create(
            leader_name=leader, committee=committee, organization=organization, start_on=start, end_on=end
        )

    assign("张书记", branch_a, D(2020, 1, 1))  # a branch directly under R
    assign("张书记", group_a, D(2021, 12, 31))  # a party group two levels down, from E
    assign("李副书记", leaving, D(2021, 3, 1))  # while it was still in S
    assign("李副书记", joining, D(2021, 1, 1), D(2021, 5, 31))  # ended before it came into S
    assign("王委员", outside, D(2021, 1, 1))  # never in S
    counted = values(committee, codes=["liaison_leaders", "liaison_orgs"])
    assert counted == {"liaison_leaders": 3, "liaison_orgs": 3}  # branch_a, group_a, 调出党支部
    names = set(REGISTRY["liaison_orgs"].records(ReportScope(committee, Y)).values_list("name", flat=True))
    assert names == {"甲局机关党支部", "甲局第一党小组", "调出党支部"}


# --- organizations and members at the edges of the year --------------------------------------------------


def test_organizations_and_members_on_e(committee, branch_a, branch_b):
    org(Kind.BRANCH, "元旦成立党支部", committee, founded=D(2021, 1, 1))
    org(Kind.BRANCH, "除夕成立党支部", committee, founded=D(2021, 12, 31))  # exists on E
    org(Kind.BRANCH, "除夕撤销党支部", committee, dissolved=D(2021, 12, 31))  # gone on E
    org(Kind.BRANCH, "元旦撤销党支部", committee, dissolved=D(2021, 1, 1))
    org(Kind.BRANCH, "明年撤销党支部", committee, dissolved=D(2022, 1, 1))  # still there on E
    member("在册", branch_a, admitted=D(2010, 1, 1), confirmed=D(2011, 1, 1))
    member("除夕离开", branch_a, admitted=D(2010, 1, 1), confirmed=D(2011, 1, 1), left=D(2021, 12, 31))
    member("元旦离开", branch_b, admitted=D(2010, 1, 1), confirmed=D(2011, 1, 1), left=D(2022, 1, 1))
    member("离退休", branch_b, admitted=D(1970, 1, 1), confirmed=D(1971, 1, 1), category=Category.RETIRED)
    got = values(committee)
    # branch_a, branch_b, 元旦成立, 除夕成立, 明年撤销.
    assert got["orgs_branches"] == 5 and got["orgs_total"] == 5
    assert got["orgs_established_branches"] == 2  # 元旦成立, 除夕成立
    assert got["orgs_dissolved"] == 2  # 除夕撤销, 元旦撤销
    assert orgs_dissolved_names(ReportScope(committee, Y)) == ["元旦撤销党支部", "除夕撤销党支部"]
    # On the roster on E: 在册, 元旦离开 (leaves the next day), 离退休; not 除夕离开.
    assert got["members_total"] == 3 and got["members_in_service"] == 2 and got["members_retired"] == 1
    assert got["members_full"] == 3 and got["members_probationary"] == 0
    assert values(committee, 2022)["orgs_dissolved"] == 1  # 明年撤销


def test_changes_count_while_the_organization_is_in_s(committee):
    outside_root = org(Kind.WORKING_COMMITTEE, "外县工委", None)
    left = org(Kind.BRANCH, "调出党支部", committee)
    reparent(left, outside_root, D(2021, 7, 1))  # moving out of S is a change of S
    rename(left, "调出后更名党支部", D(2021, 9, 1))  # renamed after leaving: not a change of S
    same_day = org(Kind.BRANCH, "当日调出党支部", committee)
    rename(same_day, "当日更名党支部", D(2021, 7, 1))  # renamed on the day it left: counts
    OrganizationVersion.objects.filter(organization=same_day, valid_to__isnull=True).update(
        parent=outside_root
    )
    OrganizationEvent.objects.create(
        organization=same_day,
        kind=EventKind.REPARENTED,
        date=D(2021, 7, 1),
        old_parent=committee,
        new_parent=outside_root,
    )
    founded_outside = org(Kind.BRANCH, "外县新建党支部", outside_root, founded=D(2021, 3, 1))
    reparent(founded_outside, committee, D(2021, 8, 1))  # founded outside S, then moved in
    got = values(committee)
    assert got["orgs_reparented"] == 3  # 调出, 当日调出, 外县新建 (moved into S)
    assert got["orgs_renamed"] == 1  # 当日更名
    assert got["orgs_established_branches"] == 0  # 外县新建 was founded outside S


def test_records_on_the_first_and_last_day_of_the_year(committee, branch_a):
    from members.models import Commendation, CommendationKind
    from organizations.models import Appointment, Post

    for day in (D(2020, 12, 31), D(2021, 1, 1), D(2021, 12, 31), D(2022, 1, 1)):
        activity(committee, ActivityKind.CENTRAL_GROUP_STUDY, day)
        Appointment.objects.create(
            organization=branch_a, person_name=f"书记{day}", post=Post.SECRETARY, start_on=day
        )
        Commendation.objects.create(
            kind=CommendationKind.OUTSTANDING_MEMBER, granted_by=committee, date=day, person_name=f"甲{day}"
        )
    got = values(committee)
    assert got["central_group_study_sessions"] == 2
    assert got["leader_changes"] == 2
    assert got["commended_members"] == 2


def test_members_admitted_in_y_count_whatever_their_status_today(committee, branch_a):
    m = member("已转正", branch_a, admitted=D(2021, 3, 1), confirmed=D(2022, 3, 1))
    assert m.status == Status.FULL
    assert values(committee)["probationary_admitted"] == 1


# --- last year without records ------------------------------------------------------------------------


def test_last_year_has_no_records_of_a_kind_only_when_none_at_all(committee, branch_a):
    from reports.metrics import NO_RECORDS, compute_last_year
    from reports.metrics.sources import SOURCES, record_families

    assert set().union(*record_families().values()) == set(
        SOURCES
    )  # every source belongs to one kind of record
    member("老党员", branch_a, admitted=D(2000, 1, 1), confirmed=D(2001, 1, 1))
    activity(branch_a, ActivityKind.THEME_DAY, D(2021, 3, 5))
    last = compute_last_year(committee, 2022)  # 2021: one activity, members, no document, no commendation
    assert last["theme_days"] == 1 and last["joint_activity_orgs"] == 0  # activities were recorded
    assert last["probationary_admitted"] == 0 and last["members_in_service"] == 1  # so were members
    assert last["lists_issued"] is NO_RECORDS and last["reminder_letters"] is NO_RECORDS
    assert last["commended_members"] is NO_RECORDS and last["members_commended"] is NO_RECORDS
    assert last["orgs_branches"] == 1
    last = compute_last_year(committee, 2021)  # 2020: the member, no activity at all
    assert last["theme_days"] is NO_RECORDS and last["rhythm_missing"] is NO_RECORDS
    assert last["volunteer_services_per_member"] is NO_RECORDS  # half of it is activities
    assert last["members_in_service"] == 1


# --- the numbers of activities, read from the activities counted as they are written ------------------


@pytest.mark.parametrize("seed", range(3))
def test_the_counted_activities_give_the_numbers_the_activities_give(committee, branch_a, group_a, seed):
    """compute_all reads the activities' numbers from activities.held for the organizations in S
    all year and from the activities for the others: the same numbers, and the same "no records",
    as aggregating the source's rows, for the county, a branch and an organization in S part of
    the year (moved in, moved out)."""
    from django.db.models import Count, Sum

    from reports.metrics.sources import SOURCES

    rng = random.Random(seed)
    outside = org(Kind.WORKING_COMMITTEE, "外县工委", None)
    moved_in = org(Kind.BRANCH, "调入党支部", outside)
    reparent(moved_in, committee, D(2021, 5, 17))
    moved_out = org(Kind.BRANCH, "调出党支部", committee)
    reparent(moved_out, outside, D(2021, 9, 2))
    holders = [committee, branch_a, group_a, moved_in, moved_out]
    for _ in range(60):
        day = D(rng.choice((2020, 2021, 2021, 2022)), rng.randint(1, 12), rng.randint(1, 28))
        activity(
            rng.choice(holders),
            rng.choice(list(ActivityKind)),
            day,
            attended=rng.choice([None, 0, 8]),
        )
    metrics = [m for m in REGISTRY.values() if m.source == "activities"]
    for root in (committee, branch_a, moved_in):
        scope = ReportScope(root, Y)
        rows = SOURCES["activities"].rows(scope).order_by()
        expected = rows.aggregate(
            source_rows=Count("pk"),
            **{
                m.code: Count("pk", filter=m.condition(scope))
                if m.aggregate == "count"
                else Sum("attended_count", filter=m.condition(scope))
                for m in metrics
            },
        )
        counted = SOURCES["activities"].aggregate(scope, metrics)
        assert {k: v or 0 for k, v in counted.items()} == {k: v or 0 for k, v in expected.items()}, root
        assert counted["source_rows"] == expected["source_rows"] > 0
        got = values(root, codes=[m.code for m in metrics])
        assert got == {m.code: m.finish(expected[m.code]) for m in metrics}
        # The workbook's and the chart's activities by kind and month, read the same way.
        by_hand = {label: [0] * 12 for _, label in ActivityKind.choices}
        for a in rows:
            by_hand[a.get_kind_display()][a.date.month - 1] += 1
        assert dict(activities_by_kind_and_month(scope)) == by_hand
    # In S part of the year only: its activities count while it was in S.
    part = ReportScope(committee, Y).in_s_for_part("organization_id", "date")
    assert part is not None

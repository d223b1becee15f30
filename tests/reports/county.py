"""A small county whose 2021 numbers are known by hand (EXPECTED_2021), for the metrics tests.

Built on the conftest tree (committee, branch_a, group_a, branch_b) with direct model rows, so it
does not depend on the other apps' services. Each record is commented with whether it counts.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    CondolenceVisit,
    Document,
    DocumentKind,
    ListKind,
    ReminderLetter,
    ReminderReason,
    ResponsibilityItem,
    ResponsibilityList,
    TrainingAttendance,
)
from members.models import (
    Category,
    Commendation,
    CommendationKind,
    Gender,
    MedalAward,
    Member,
    MemberVersion,
    Stage,
    Status,
)
from organizations.models import (
    Appointment,
    EventKind,
    Kind,
    LiaisonAssignment,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
    Post,
)
from tests.factories import MemberFactory, OrganizationFactory, ProspectFactory

D = datetime.date
DEFAULT_FOUNDED = D(2010, 1, 1)
DEFAULT_BORN = D(1980, 5, 1)


def org(kind, name, parent, founded=DEFAULT_FOUNDED, dissolved=None):
    o = OrganizationFactory(kind=kind, name=name, parent=parent, founded_on=founded)
    if dissolved:
        o.dissolved_on = dissolved
        o.save(update_fields=["dissolved_on"])
    return o


def reparent(o, new_parent, day):
    old = OrganizationVersion.objects.get(organization=o, valid_to__isnull=True)
    OrganizationVersion.objects.filter(pk=old.pk).update(valid_to=day)
    OrganizationVersion.objects.create(organization=o, name=old.name, parent=new_parent, valid_from=day)
    OrganizationEvent.objects.create(
        organization=o, kind=EventKind.REPARENTED, date=day, old_parent=old.parent, new_parent=new_parent
    )
    Organization.objects.filter(pk=o.pk).update(parent=new_parent)


def rename(o, new_name, day):
    old = OrganizationVersion.objects.get(organization=o, valid_to__isnull=True)
    OrganizationVersion.objects.filter(pk=old.pk).update(valid_to=day)
    OrganizationVersion.objects.create(organization=o, name=new_name, parent=old.parent, valid_from=day)
    OrganizationEvent.objects.create(
        organization=o, kind=EventKind.RENAMED, date=day, old_name=old.name, new_name=new_name
    )
    Organization.objects.filter(pk=o.pk).update(name=new_name)


def member(
    name,
    organization,
    *,
    admitted,
    confirmed=None,
    category=Category.IN_SERVICE,
    born=DEFAULT_BORN,
    gender=Gender.MALE,
    left=None,
    education="大学本科",
    ethnicity="汉族",
):
    """A member (tests.factories.MemberFactory) on the roster from 入党日期 until `left`."""
    return MemberFactory(
        name=name,
        organization=organization,
        gender=gender,
        birth_date=born,
        ethnicity=ethnicity,
        education=education,
        category=category,
        status=Status.FULL if confirmed else Status.PROBATIONARY,
        admitted_on=admitted,
        confirmed_on=confirmed,
        left_on=left,
        version__valid_from=admitted,
    )


def move_member(m, new_organization, day):
    MemberVersion.objects.filter(member=m, valid_to__isnull=True).update(valid_to=day)
    MemberVersion.objects.create(member=m, organization=new_organization, category=m.category, valid_from=day)
    Member.objects.filter(pk=m.pk).update(organization=new_organization)


def activity(organization, kind, day, *, topics=(), joined=(), attended=None, title=None):
    a = Activity.objects.create(
        organization=organization,
        kind=kind,
        date=day,
        title=title or f"{organization.name}{kind}{day}",
        attended_count=attended,
        expected_count=attended,
    )
    for topic in topics:
        ActivityTopic.objects.create(activity=a, topic=topic)
    if joined:
        a.joined_organizations.set(joined)
    return a


DEFAULT_APPLIED = D(2019, 1, 1)


def prospect(name, organization, *, applied=DEFAULT_APPLIED, activist=None, candidate=None, stage=None):
    """A prospect (tests.factories.ProspectFactory) with the steps their stage follows from: 1
    (applied), 3 (activist), 7 (candidate). `stage` is what is stored now, which the metrics never read."""
    return ProspectFactory(
        name=name,
        organization=organization,
        stage=stage or (Stage.CANDIDATE if candidate else Stage.ACTIVIST if activist else Stage.APPLICANT),
        applied_on=applied,
        steps=[(number, day) for number, day in ((1, applied), (3, activist), (7, candidate)) if day],
    )


def document(issuer, serial, kind, day, title, prefix="党工通"):
    return Document.objects.create(
        issuer=issuer, prefix=prefix, year=day.year, serial=serial, kind=kind, title=title, issued_on=day
    )


EXPECTED_2021 = {
    "central_group_study_sessions": 3,
    "ideology_sessions": 2,
    "integrity_education_sessions": 2,
    "law_study_sessions": 4,
    "lists_issued": 2,
    "work_plan_key_tasks": 3,
    "party_member_training_person_times": 87,
    "red_site_joint_orgs": 2,
    "oath_date": D(2021, 6, 28),
    "commended_members": 3,
    "commended_workers": 1,
    "commended_orgs": 2,
    "recommended_individuals": 2,
    "recommended_collectives": 1,
    "condolence_persons": 3,
    "condolence_amount_wan": Decimal("0.414567"),  # exact; the text prints 0.41
    "medals_50_years": 1,
    "orgs_total": 6,
    "orgs_party_committees": 1,
    "orgs_general_branches": 1,
    "orgs_branches": 4,
    "members_in_service": 6,
    "volunteer_services_per_member": 7,
    "orgs_renamed": 1,
    "orgs_dissolved": 1,
    "orgs_established_party_committees": 1,
    "orgs_established_discipline_committees": 1,
    "orgs_established_general_branches": 0,
    "orgs_established_branches": 1,
    "orgs_dissolved_general_branches": 1,
    "orgs_reparented": 2,
    "leader_changes": 3,
    "probationary_admitted": 3,
    "activists_trained": 2,
    "candidates_trained": 1,
    "liaison_leaders": 2,
    "liaison_orgs": 3,
    "joint_activity_orgs": 3,
    "reminder_letters": 2,
    "regulations_revised": 2,
    "integrity_special_meetings": 1,
    # Beyond METRICS.md (docs/metrics-organizations.md).
    "members_total": 7,  # m1 m2 m3 m4 m5 m10 m12
    "members_full": 5,
    "members_probationary": 2,  # m4, m12 (admitted on E)
    "members_retired": 1,  # m3
    "members_confirmed": 1,  # m5 on 1 March
    "general_meetings": 0,
    "branch_committee_meetings": 0,
    "group_meetings": 0,
    "party_lectures": 0,
    "theme_days": 3,  # R's on 5 March and 5 September, branch_a's on 5 March
    "life_meetings": 0,
    "democratic_reviews": 0,
    # Branches of S on E and the required periods each missed in 2021 (none held but branch_a's theme
    # day in March): branch_a (with a group) 12+12+11+4+4+1+1 = 45; branch_b and br_moved 34 each
    # (no group); br_c, founded 1 June, owes June-December 7+7, Q2-Q4 3+3, the year 1+1 = 22.
    "rhythm_missing": 135,
    "members_commended": 3,  # m1, m2 (twice), m5; 王五 has no member record
    "orgs_commended": 2,  # branch_a, gb2
    # Beyond the seed's blanks: no dues recorded here (tests/dues/test_metrics.py counts them).
    "dues_due_yuan": Decimal("0.00"),
    "dues_paid_yuan": Decimal("0.00"),
    "dues_paid_percent": Decimal("0.0"),
    "dues_members_in_arrears": 0,
    "dues_members_six_months_unpaid": 0,
    # Beyond the seed's blanks: no integrity or evaluation records here (tests/evaluations/county.py
    # counts them).
    "commitments_signed": 0,
    "risk_forms_filed": 0,
    "secretary_reports": 0,
    "secretary_reports_good": 0,
    "members_appraised": 0,
    "members_appraised_excellent": 0,
    "members_appraised_unqualified": 0,
    "community_registered": 0,
}


def build(committee, branch_a, group_a, branch_b) -> SimpleNamespace:
    c = SimpleNamespace(committee=committee, branch_a=branch_a, group_a=group_a, branch_b=branch_b)
    K = ActivityKind

    # --- organizations ----------------------------------------------------------------------
    c.outside_root = org(Kind.WORKING_COMMITTEE, "外县工委", None)
    c.outside = org(Kind.BRANCH, "外县党支部", c.outside_root)
    c.pc1 = org(Kind.PARTY_COMMITTEE, "县人民法院机关党委", committee, founded=D(2021, 3, 1))  # new in Y
    c.dc1 = org(Kind.DISCIPLINE_COMMITTEE, "县人民法院机关纪委", c.pc1, founded=D(2021, 3, 1))  # new in Y
    # Dissolved on E: not on E, but dissolved in Y.
    c.gb1 = org(Kind.GENERAL_BRANCH, "县自然资源局党总支部", committee, dissolved=D(2021, 12, 31))
    c.gb2 = org(Kind.GENERAL_BRANCH, "县委机关党总支部", committee)
    c.br_c = org(Kind.BRANCH, "县委办党支部", c.gb2, founded=D(2021, 6, 1))  # new in Y
    c.br_next = org(Kind.BRANCH, "明年党支部", committee, founded=D(2022, 1, 1))  # founded 1 Jan of Y+1
    c.br_moved = org(Kind.BRANCH, "县自然资源局第一党支部", c.gb1)
    reparent(c.br_moved, committee, D(2021, 7, 1))  # within S: reparented, still counted on E
    c.br_out = org(Kind.BRANCH, "调出党支部", committee)
    reparent(c.br_out, c.outside_root, D(2021, 7, 1))  # leaves S mid-year: reparented, not on E
    rename(branch_b, "乙局机关第一党支部", D(2021, 5, 1))
    branch_b.refresh_from_db()
    # On E below R: pc1, dc1(not counted kind), gb2, branch_a, branch_b, br_c, br_moved, group_a.

    # --- members ------------------------------------------------------------------------------
    c.m1 = member("张一", branch_a, admitted=D(2000, 1, 1), confirmed=D(2001, 1, 1))
    c.m2 = member("张二", branch_a, admitted=D(2000, 1, 1), confirmed=D(2001, 1, 1), gender=Gender.FEMALE)
    c.m3 = member(
        "张三",
        branch_a,
        admitted=D(1965, 1, 1),
        confirmed=D(1966, 1, 1),
        category=Category.RETIRED,
        born=D(1940, 1, 1),
    )
    c.m4 = member("张四", branch_a, admitted=D(2021, 5, 1), born=D(1995, 1, 1))  # admitted in Y
    c.m5 = member("张五", branch_b, admitted=D(2020, 3, 1), confirmed=D(2021, 3, 1))  # confirmed in Y
    # Admitted in Y in S, transferred out of the county mid-year: admitted, not on E.
    c.m6 = member("张六", branch_b, admitted=D(2021, 2, 1), left=D(2021, 8, 1))
    c.m7 = member("张七", branch_b, admitted=D(2010, 1, 1), confirmed=D(2011, 1, 1))
    move_member(c.m7, c.outside, D(2021, 6, 30))  # moved out of S mid-year: not on E
    c.m8 = member("张八", branch_a, admitted=D(2022, 1, 5))  # next year
    c.m10 = member("张十", c.br_c, admitted=D(2015, 1, 1), confirmed=D(2016, 1, 1))
    c.m11 = member("张十一", branch_a, admitted=D(2010, 1, 1), confirmed=D(2011, 1, 1), left=D(2021, 12, 31))
    c.m12 = member("张十二", branch_b, admitted=D(2021, 12, 31), born=D(1999, 9, 9))  # admitted on E
    c.outsider = member("外一", c.outside, admitted=D(2021, 3, 1))  # not in S
    # In service on E: m1, m2, m4, m5, m10, m12 = 6.

    # --- activities held by R -----------------------------------------------------------------
    for day in (D(2021, 1, 10), D(2021, 6, 1), D(2021, 12, 31)):
        activity(committee, K.CENTRAL_GROUP_STUDY, day)
    activity(committee, K.CENTRAL_GROUP_STUDY, D(2020, 12, 31))  # last year
    activity(committee, K.CENTRAL_GROUP_STUDY, D(2022, 1, 1))  # next year
    activity(branch_a, K.CENTRAL_GROUP_STUDY, D(2021, 4, 1))  # not held by R
    activity(committee, K.THEME_DAY, D(2021, 3, 5), topics=["IDEOLOGY"], joined=[c.pc1])
    activity(committee, K.THEME_DAY, D(2021, 9, 5), topics=["IDEOLOGY", "INTEGRITY"])
    activity(committee, K.COMMITTEE_SESSION, D(2021, 10, 8), topics=["INTEGRITY"])
    activity(committee, K.COMMITTEE_SESSION, D(2021, 11, 8))  # no topic
    activity(branch_a, K.THEME_DAY, D(2021, 3, 5), topics=["IDEOLOGY", "INTEGRITY", "LAW_STUDY"])  # not R
    for month in (1, 2, 3, 4):
        activity(committee, K.OTHER, D(2021, month, 15), topics=["LAW_STUDY"])
    activity(
        committee,
        K.GUIDANCE_VISIT,
        D(2021, 4, 20),
        topics=["PARTY_HISTORY"],
        joined=[branch_a, branch_b, committee],
    )
    activity(committee, K.GUIDANCE_VISIT, D(2021, 5, 20), topics=["PARTY_HISTORY"], joined=[branch_a])
    activity(
        committee, K.GUIDANCE_VISIT, D(2022, 5, 20), topics=["PARTY_HISTORY"], joined=[c.gb2]
    )  # next year
    activity(committee, K.OATH, D(2021, 7, 1))
    activity(committee, K.OATH, D(2021, 6, 28))
    activity(branch_a, K.OATH, D(2021, 3, 1))  # not R

    # --- activities in S ----------------------------------------------------------------------
    training_a = activity(branch_a, K.TRAINING, D(2021, 12, 31), attended=30)  # last day of Y
    training_r = activity(committee, K.TRAINING, D(2021, 4, 1), attended=50)
    activity(committee, K.TRAINING, D(2021, 4, 2))  # attendance missing: adds 0
    activity(c.br_out, K.TRAINING, D(2021, 3, 1), attended=7)  # in S on that day
    activity(c.br_out, K.TRAINING, D(2021, 9, 1), attended=11)  # left S in July
    training_x = activity(c.outside, K.TRAINING, D(2021, 4, 1), attended=100)  # outside
    activity(branch_a, K.VOLUNTEER_SERVICE, D(2021, 5, 1), attended=20)
    activity(branch_b, K.VOLUNTEER_SERVICE, D(2021, 6, 1), attended=25)
    activity(c.outside, K.VOLUNTEER_SERVICE, D(2021, 6, 1), attended=99)
    visit_r = activity(committee, K.CONDOLENCE_VISIT, D(2021, 6, 30))
    visit_a = activity(branch_a, K.CONDOLENCE_VISIT, D(2021, 6, 29))
    visit_x = activity(c.outside, K.CONDOLENCE_VISIT, D(2021, 6, 29))
    CondolenceVisit.objects.create(activity=visit_r, person_name="张三", member=c.m3, amount=Decimal("500"))
    CondolenceVisit.objects.create(activity=visit_r, person_name="王大爷", amount=Decimal("1000"))
    CondolenceVisit.objects.create(activity=visit_a, person_name="张三", member=c.m3, amount=Decimal("300"))
    CondolenceVisit.objects.create(activity=visit_a, person_name="李奶奶", amount=Decimal("2345.67"))
    CondolenceVisit.objects.create(activity=visit_x, person_name="赵某", amount=Decimal("9999"))
    # 3 people; 4145.67 yuan = 0.41 万元.

    # --- trainees -----------------------------------------------------------------------------
    # The stage on each training's date follows from the steps' dates.
    p1 = prospect("李一", branch_a, activist=D(2020, 3, 1))
    p2 = prospect("李二", branch_a, activist=D(2020, 1, 1), candidate=D(2021, 6, 1))
    p3 = prospect("李三", c.outside, activist=D(2019, 3, 1), candidate=D(2020, 6, 1))
    TrainingAttendance.objects.create(activity=training_a, prospect=p1)  # activist on 31 Dec
    TrainingAttendance.objects.create(activity=training_r, prospect=p1)  # the same person on 1 Apr
    TrainingAttendance.objects.create(activity=training_r, prospect=p2)  # activist on 1 Apr
    TrainingAttendance.objects.create(activity=training_a, prospect=p2)  # candidate on 31 Dec
    TrainingAttendance.objects.create(activity=training_x, prospect=p3)  # outside

    # --- commendations and medals ---------------------------------------------------------------
    def commend(kind, day, *, by=committee, recommended=False, **kw):
        Commendation.objects.create(kind=kind, granted_by=by, date=day, recommended=recommended, **kw)

    CK = CommendationKind
    commend(CK.OUTSTANDING_MEMBER, D(2021, 6, 30), member=c.m1)
    commend(CK.OUTSTANDING_MEMBER, D(2021, 6, 30), member=c.m2)
    commend(CK.OUTSTANDING_MEMBER, D(2021, 12, 31), person_name="王五")
    commend(CK.OUTSTANDING_MEMBER, D(2020, 6, 30), member=c.m5)  # last year
    commend(CK.OUTSTANDING_WORKER, D(2021, 6, 30), member=c.m5)
    commend(CK.ADVANCED_ORGANIZATION, D(2021, 6, 30), recipient_organization=branch_a)
    commend(CK.ADVANCED_ORGANIZATION, D(2021, 6, 30), recipient_organization=c.gb2)
    commend(CK.OUTSTANDING_MEMBER, D(2021, 6, 1), member=c.m1, recommended=True, higher_body="县委")
    commend(CK.OUTSTANDING_WORKER, D(2021, 6, 1), member=c.m5, recommended=True, higher_body="县委")
    commend(CK.ADVANCED_ORGANIZATION, D(2021, 6, 1), recipient_organization=branch_a, recommended=True)
    commend(CK.OUTSTANDING_MEMBER, D(2021, 6, 30), member=c.m2, by=branch_a)  # not granted by R
    MedalAward.objects.create(member=c.m3, year=2021, awarded_on=D(2021, 6, 30), awarded_by=committee)
    MedalAward.objects.create(member=c.m2, year=2020, awarded_on=D(2020, 6, 30), awarded_by=committee)
    MedalAward.objects.create(
        member=c.outsider, year=2021, awarded_on=D(2021, 6, 30), awarded_by=c.outside_root
    )

    # --- leaders and liaison ------------------------------------------------------------------------
    Appointment.objects.create(
        organization=branch_a, person_name="甲", post=Post.SECRETARY, start_on=D(2021, 3, 1)
    )
    Appointment.objects.create(
        organization=branch_b, person_name="乙", post=Post.DEPUTY_SECRETARY, start_on=D(2021, 4, 1)
    )
    Appointment.objects.create(
        organization=c.pc1, person_name="丙", post=Post.FULL_TIME_DEPUTY_SECRETARY, start_on=D(2021, 3, 1)
    )
    Appointment.objects.create(
        organization=branch_a, person_name="丁", post=Post.COMMITTEE_MEMBER, start_on=D(2021, 3, 1)
    )  # not a leading post
    Appointment.objects.create(
        organization=committee, person_name="戊", post=Post.SECRETARY, start_on=D(2021, 1, 5)
    )
    Appointment.objects.create(
        organization=branch_b, person_name="己", post=Post.SECRETARY, start_on=D(2020, 3, 1)
    )
    Appointment.objects.create(
        organization=c.outside, person_name="庚", post=Post.SECRETARY, start_on=D(2021, 3, 1)
    )

    LiaisonAssignment.objects.create(
        leader_name="张书记", committee=committee, organization=branch_a, start_on=D(2020, 1, 1)
    )
    LiaisonAssignment.objects.create(
        leader_name="张书记", committee=committee, organization=branch_b, start_on=D(2020, 1, 1)
    )
    LiaisonAssignment.objects.create(
        leader_name="李副书记", committee=committee, organization=c.pc1, start_on=D(2021, 3, 1)
    )
    LiaisonAssignment.objects.create(
        leader_name="王委员",
        committee=committee,
        organization=c.gb2,
        start_on=D(2018, 1, 1),
        end_on=D(2020, 12, 31),
    )  # ended before Y

    # --- documents, lists, letters ------------------------------------------------------------------
    c.list1 = document(
        committee,
        3,
        DocumentKind.RESPONSIBILITY_LIST,
        D(2021, 3, 1),
        "2021年度工委班子成员抓基层党建工作责任清单",
    )
    c.list2 = document(
        committee, 5, DocumentKind.RESPONSIBILITY_LIST, D(2021, 3, 9), "2021年度全面从严治党主体责任清单"
    )
    ResponsibilityList.objects.create(document=c.list1, kind=ListKind.RESPONSIBILITY, year=2021)
    ResponsibilityList.objects.create(document=c.list2, kind=ListKind.RESPONSIBILITY, year=2021)
    old_list = document(committee, 4, DocumentKind.RESPONSIBILITY_LIST, D(2020, 3, 1), "2020年度清单")
    ResponsibilityList.objects.create(document=old_list, kind=ListKind.RESPONSIBILITY, year=2020)
    points = document(committee, 1, DocumentKind.WORK_POINTS, D(2021, 2, 1), "2021年党建工作要点")
    work_points = ResponsibilityList.objects.create(document=points, kind=ListKind.WORK_POINTS, year=2021)
    for number in range(1, 6):
        ResponsibilityItem.objects.create(
            responsibility_list=work_points, number=number, task=f"任务{number}", is_key_task=number <= 3
        )
    document(committee, 7, DocumentKind.REGULATION, D(2021, 5, 1), "廉政风险防控管理制度")
    document(committee, 8, DocumentKind.REGULATION, D(2021, 12, 31), "财务管理制度")
    document(committee, 1, DocumentKind.REGULATION, D(2022, 1, 2), "会议制度")  # next year
    document(branch_a, 1, DocumentKind.REGULATION, D(2021, 5, 1), "支部制度", prefix="甲支通")  # not R

    def letter(day, status="ISSUED"):
        ReminderLetter.objects.create(
            sender=committee,
            addressee=branch_a,
            reason=ReminderReason.TERM_EXPIRING,
            subject="提醒",
            body="请按期换届。",
            status=status,
            issued_on=day,
        )

    letter(D(2021, 4, 1))
    letter(D(2021, 12, 31), status="HANDLED")
    letter(None, status="DRAFT")
    letter(D(2022, 1, 1))
    return c

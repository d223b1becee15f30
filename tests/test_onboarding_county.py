"""Issue 15, done when: a county arriving entirely by one workbook (every sheet) gives the same
METRICS.md numbers as the same county entered through the services the forms call.

COUNTY holds the county as the rows of every sheet of the workbook. The test stores it once through
`import_workbook` and once through the services (ENTER: one function a sheet, written against the
services, not the importers), computes every metric of the registry for two years after each, and
compares. Nothing can escape: the county must have a sheet for every importer, ENTER a function for
every sheet, and the metrics compared are the registry's, whatever it holds.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import transaction
from openpyxl import Workbook

from activities import services as activity_services
from activities.evaluations import services as evaluation_services
from activities.models import ActivityKind, Topic
from jiguan.importing import import_workbook, importers
from jiguan.models import Role
from members import idnumber
from members import services as member_services
from members.dues import services as dues_services
from members.dues.models import DuesClass
from members.integrity import services as integrity_services
from members.integrity.models import RiskLevel
from members.models import Category, CommendationKind, Gender, Member, Prospect, Status
from organizations import services as organization_services
from organizations.models import Kind, Organization, Post
from reports.metrics.registry import compute_all, metric_codes
from tests.factories import UserFactory, id_number_for

pytestmark = pytest.mark.django_db
D = datetime.date
YEARS = (2024, 2025)

ROOT, PARTY_COMMITTEE, FIRST, SECOND, OTHER, GONE = (
    "中共示例县直机关工委",
    "示例局机关党委",
    "示例局第一党支部",
    "示例局第二党支部",
    "乙局机关党支部",
    "丙局机关党支部",
)


def _person(name, born, gender="M"):
    return {"name": name, "id": id_number_for(born, gender), "gender": gender}


PEOPLE = {
    "zhang": _person("张一", D(1975, 3, 1)),
    "wang": _person("王二", D(1980, 6, 1), "F"),
    "li": _person("李三", D(1985, 9, 1)),
    "zhao": _person("赵四", D(1990, 1, 1), "F"),
    "qian": _person("钱五", D(1962, 2, 1)),
    "sun": _person("孙六", D(1995, 5, 5)),
    "veteran": _person("周老", D(1945, 1, 1)),
    "applicant": _person("吴新", D(1998, 8, 8)),
    "activist": _person("郑新", D(2000, 2, 2), "F"),
}


def _id(key):
    return PEOPLE[key]["id"]


def _name(key):
    return PEOPLE[key]["name"]


def _member(key, organization, category, status, admitted, confirmed=None):
    person = PEOPLE[key]
    return {
        "姓名": person["name"],
        "性别": "男" if person["gender"] == "M" else "女",
        "公民身份号码": person["id"],
        "出生日期": None,
        "民族": "汉族",
        "学历": "大学本科",
        "所在党组织": organization,
        "人员类别": category,
        "党员类别": status,
        "入党日期": admitted,
        "转正日期": confirmed,
        "联系电话": None,
    }


# The development of 吴新 (admitted in 2025 through the 25 steps) and 郑新 (an activist in 2025).
ADMITTED_STEPS = {
    1: "2023-09-01", 2: "2023-09-20", 3: "2023-12-01", 4: "2023-12-10", 5: "2023-12-15",
    6: "2024-06-01", 7: "2024-12-10", 8: "2024-12-20", 9: "2025-01-05", 10: "2025-01-10",
    11: "2025-01-20", 12: "2025-02-01", 13: "2025-02-10", 14: "2025-02-15", 15: "2025-03-10",
    16: "2025-03-15", 17: "2025-04-01", 18: "2025-04-05", 19: "2025-04-10", 20: "2025-07-01",
}  # fmt: skip
ACTIVIST_STEPS = {1: "2025-01-10", 2: "2025-02-01", 3: "2025-05-01", 4: "2025-05-10"}
STEP_EXTRA = {5: {"培养联系人": "张一"}, 9: {"入党介绍人": "张一、王二"}, 11: {"培训天数": 3}}
STEP_EXTRA[15] = {"赞成票": 3, "有表决权的正式党员数": 4}


def _step(key, number, day):
    person = PEOPLE[key]
    row = {"姓名": person["name"], "公民身份号码": person["id"], "党组织": FIRST, "步骤": number, "日期": day}
    extra = {"培养联系人": None, "入党介绍人": None, "培训天数": None, "培训学时": None}
    extra |= {"赞成票": None, "有表决权的正式党员数": None}
    return row | extra | STEP_EXTRA.get(number, {})


def _activity(organization, kind, day, title, topics=None, joined=None, expected=None, attended=None):
    return {
        "党组织": organization,
        "活动类型": kind,
        "日期": day,
        "主题": title,
        "地点": "会议室",
        "应到人数": expected,
        "实到人数": attended,
        "专题": topics,
        "联合开展党组织": joined,
    }


COUNTY = {
    "党组织": [
        {
            "组织名称": ROOT,
            "组织类别": "机关工委",
            "上级组织": None,
            "所在单位": None,
            "成立日期": "2000-01-01",
        },
        {"组织名称": PARTY_COMMITTEE, "组织类别": "机关党委", "上级组织": ROOT, "所在单位": "示例局"},
        {"组织名称": FIRST, "组织类别": "党支部", "上级组织": PARTY_COMMITTEE, "所在单位": "示例局"},
        {"组织名称": SECOND, "组织类别": "党支部", "上级组织": PARTY_COMMITTEE, "所在单位": "示例局"},
        {"组织名称": OTHER, "组织类别": "党支部", "上级组织": ROOT, "所在单位": "乙局"},
        {"组织名称": GONE, "组织类别": "党支部", "上级组织": ROOT, "撤销日期": "2025-09-01"},
    ],
    "党员": [
        _member("zhang", FIRST, "在职", "正式党员", "2000-07-01", "2001-07-01"),
        _member("wang", FIRST, "在职", "正式党员", "2005-07-01", "2006-07-01"),
        _member("li", FIRST, "在职", "正式党员", "2010-07-01", "2011-07-01"),
        _member("zhao", SECOND, "在职", "正式党员", "2015-07-01", "2016-07-01"),
        _member("qian", OTHER, "离退休", "正式党员", "1990-07-01", "1991-07-01"),
        _member("sun", SECOND, "在职", "预备党员", "2025-02-01"),
        _member("veteran", OTHER, "离退休", "正式党员", "1970-03-01", "1971-03-01"),
    ],
    "活动": [
        _activity(FIRST, "支部党员大会", "2025-03-10", "讨论接收预备党员", expected=4, attended=4),
        _activity(FIRST, "党课", "2025-04-15", "书记讲党课", topics="党史学习教育"),
        _activity(FIRST, "主题党日", "2025-05-20", "五月主题党日", topics="第一议题、学法", joined=SECOND),
        _activity(SECOND, "支部委员会", "2025-06-03", "六月支委会"),
        _activity(ROOT, "理论学习中心组学习", "2025-02-18", "中心组学习", topics="第一议题"),
        _activity(ROOT, "工委会议", "2025-01-08", "工委会议"),
        _activity(OTHER, "组织生活会", "2025-12-10", "年度组织生活会"),
        _activity(FIRST, "民主评议党员", "2025-12-20", "民主评议党员"),
        _activity(OTHER, "志愿服务", "2025-03-05", "学雷锋志愿服务"),
        _activity(FIRST, "入党宣誓", "2025-07-01", "新党员入党宣誓"),
        _activity(GONE, "党课", "2025-05-08", "撤销前的党课"),
        _activity(FIRST, "主题党日", "2024-05-20", "去年的主题党日", topics="意识形态"),
    ],
    "党费基数": [
        {"公民身份号码": _id("zhang"), "起始月份": "2025-01", "缴费基数": 6000, "缴费类别": None},
        {"公民身份号码": _id("qian"), "起始月份": "2025-01", "缴费基数": 4000, "缴费类别": "离退休"},
    ],
    "党费": [
        {"公民身份号码": _id("zhang"), "所属月份": "2025-01", "实交金额": 60, "交纳日期": "2025-01-20"},
        {"公民身份号码": _id("zhang"), "所属月份": "2025-02", "实交金额": 60, "交纳日期": "2025-02-20"},
        {"公民身份号码": _id("qian"), "所属月份": "2025-01", "实交金额": 20, "交纳日期": None},
    ],
    "民主评议": [
        {"公民身份号码": _id("zhang"), "年度": 2025, "等次": "优秀"},
        {"公民身份号码": _id("wang"), "年度": 2025, "等次": "合格"},
        {"公民身份号码": _id("li"), "年度": 2025, "等次": "基本合格"},
    ],
    "述职评议": [
        {"党组织": FIRST, "年度": 2025, "述职日期": "2025-12-28", "等次": "好", "书记姓名": _name("zhang")},
        {"党组织": OTHER, "年度": 2025, "述职日期": "2025-12-28", "等次": None, "书记姓名": None},
    ],
    "廉政承诺": [
        {"公民身份号码": _id("zhang"), "年度": 2025, "签订日期": "2025-03-01"},
        {"公民身份号码": _id("wang"), "年度": 2025, "签订日期": "2025-03-02"},
    ],
    "风险防控": [
        {
            "公民身份号码": _id("zhang"),
            "年度": 2025,
            "填报日期": "2025-03-05",
            "风险等级": "中",
            "风险点": "审批",
        },
    ],
    "社区报到": [
        {"公民身份号码": _id("wang"), "社区": "城东社区", "报到日期": "2025-04-01", "结束日期": None},
        {"公民身份号码": _id("li"), "社区": "城西社区", "报到日期": "2024-04-01", "结束日期": "2025-03-01"},
    ],
    "任职": [
        {
            "党组织": FIRST,
            "姓名": _name("zhang"),
            "公民身份号码": _id("zhang"),
            "职务": "书记",
            "任职日期": "2025-03-01",
            "免职日期": None,
            "文号": "示党工通〔2025〕3号",
        },
        {
            "党组织": FIRST,
            "姓名": "前任书记",
            "公民身份号码": None,
            "职务": "书记",
            "任职日期": "2019-03-01",
            "免职日期": None,
            "文号": None,
        },
        {
            "党组织": SECOND,
            "姓名": _name("zhao"),
            "公民身份号码": _id("zhao"),
            "职务": "组织委员",
            "任职日期": "2025-06-01",
            "免职日期": None,
            "文号": None,
        },
    ],  # fmt: skip
    "表彰": [
        {
            "类别": "优秀共产党员",
            "对象": _name("wang"),
            "公民身份号码": _id("wang"),
            "授予组织": ROOT,
            "日期": "2025-06-28",
            "方式": None,
            "上级机关": None,
        },
        {
            "类别": "优秀党务工作者",
            "对象": _name("zhang"),
            "公民身份号码": None,
            "授予组织": ROOT,
            "日期": "2025-06-28",
            "方式": "向上推荐",
            "上级机关": "县委",
        },
        {
            "类别": "先进基层党组织",
            "对象": FIRST,
            "公民身份号码": None,
            "授予组织": ROOT,
            "日期": "2025-06-28",
            "方式": "授予",
            "上级机关": None,
        },
    ],  # fmt: skip
    "走访慰问": [
        {
            "党组织": OTHER,
            "日期": "2025-06-30",
            "对象姓名": _name("veteran"),
            "公民身份号码": _id("veteran"),
            "慰问金": 500,
        },
        {"党组织": OTHER, "日期": "2025-06-30", "对象姓名": "困难群众", "公民身份号码": None, "慰问金": 300},
    ],  # fmt: skip
    "发展党员": [_step("applicant", n, day) for n, day in ADMITTED_STEPS.items()]
    + [_step("activist", n, day) for n, day in ACTIVIST_STEPS.items()],
    "培训名单": [
        {
            "党组织": FIRST,
            "日期": "2025-06-10",
            "培训名称": "入党积极分子培训班",
            "姓名": _name("activist"),
            "公民身份号码": _id("activist"),
        },
        {
            "党组织": FIRST,
            "日期": "2025-06-10",
            "培训名称": "入党积极分子培训班",
            "姓名": _name("li"),
            "公民身份号码": _id("li"),
        },
    ],  # fmt: skip
    "纪念章": [{"公民身份号码": _id("veteran"), "颁发日期": "2025-07-01"}],
    "联系点": [{"班子成员": "刘主任", "党组织": FIRST, "开始日期": "2024-01-01", "结束日期": None}],
}
for _row in COUNTY["党组织"]:
    _row.setdefault("所在单位", None)
    _row.setdefault("成立日期", "2010-01-01")
    _row.setdefault("撤销日期", None)


def workbook():
    book = Workbook()
    book.remove(book.active)
    for sheet, rows in COUNTY.items():
        ws = book.create_sheet(sheet)
        header = list(rows[0])
        ws.append(header)
        for row in rows:
            ws.append([row[column] for column in header])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


# --- the same county through the services the forms call -------------------------------------------


def _day(text):
    return datetime.date.fromisoformat(text) if text else None


def _month(text):
    return datetime.date.fromisoformat(text + "-01")


def _choice(choices, label):
    return {str(lab): value for value, lab in choices.choices}[label] if label else ""


def _org(name):
    return Organization.objects.get(name=name)


def _person_of(id_number):
    return Member.objects.matching("id_number", id_number).get()


def enter_organizations(actor, rows):
    units = {}
    for row in rows:
        unit = None
        if row["所在单位"]:
            unit = units.get(row["所在单位"]) or organization_services.unit_create(
                actor=actor, name=row["所在单位"]
            )
            units[row["所在单位"]] = unit
        organization_services.organization_found(
            actor=actor,
            kind=_choice(Kind, row["组织类别"]),
            name=row["组织名称"],
            parent=_org(row["上级组织"]) if row["上级组织"] else None,
            unit=unit,
            founded_on=_day(row["成立日期"]),
        )
    for row in rows:
        if row["撤销日期"]:
            organization_services.organization_dissolve(
                actor=actor, organization=_org(row["组织名称"]), date=_day(row["撤销日期"])
            )


def enter_members(actor, rows):
    for row in rows:
        member_services.member_create(
            actor=actor,
            organization=_org(row["所在党组织"]),
            name=row["姓名"],
            gender=_choice(Gender, row["性别"]),
            id_number=row["公民身份号码"],
            admitted_on=_day(row["入党日期"]),
            confirmed_on=_day(row["转正日期"]) if row["党员类别"] == Status.FULL.label else None,
            ethnicity=row["民族"],
            education=row["学历"],
            category=_choice(Category, row["人员类别"]),
        )


def _topics(text):
    return [_choice(Topic, label) for label in (text or "").split("、") if label]


def enter_activities(actor, rows):
    for row in rows:
        activity_services.activity_create(
            actor=actor,
            organization=Organization.objects.get(versions__name=row["党组织"]),
            kind=_choice(ActivityKind, row["活动类型"]),
            date=_day(row["日期"]),
            title=row["主题"],
            place=row["地点"],
            expected_count=row["应到人数"],
            attended_count=row["实到人数"],
            topics=_topics(row["专题"]),
            joined_organizations=[_org(row["联合开展党组织"])] if row["联合开展党组织"] else [],
        )


def enter_dues_bases(actor, rows):
    for row in rows:
        member = _person_of(row["公民身份号码"])
        dues_services.base_set(
            actor=actor,
            member=member,
            start_month=_month(row["起始月份"]),
            base=Decimal(row["缴费基数"]),
            dues_class=_choice(DuesClass, row["缴费类别"]) or dues_services.default_class(member),
        )


def enter_dues_payments(actor, rows):
    for row in rows:
        month = _month(row["所属月份"])
        last_day = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
            days=1
        )
        dues_services.payment_record(
            actor=actor,
            member=_person_of(row["公民身份号码"]),
            months=[month],
            paid_on=_day(row["交纳日期"]) or last_day,
            amount=Decimal(row["实交金额"]),
        )


def enter_appraisals(actor, rows):
    grades = {_person_of(row["公民身份号码"]): _choice_grade(row["等次"]) for row in rows}
    evaluation_services.appraisal_record(
        actor=actor, organization=_org(FIRST), year=2025, held_on=D(2025, 12, 31), grades=grades
    )


def _choice_grade(label):
    from activities.evaluations.models import AppraisalGrade

    return _choice(AppraisalGrade, label)


def enter_secretary_reports(actor, rows):
    from activities.evaluations.models import ReportGrade

    for row in rows:
        evaluation_services.secretary_report_record(
            actor=actor,
            organization=_org(row["党组织"]),
            year=row["年度"],
            reported_on=_day(row["述职日期"]),
            grade=_choice(ReportGrade, row["等次"]),
            secretary_name=row["书记姓名"] or "",
        )


def enter_commitments(actor, rows):
    for row in rows:
        integrity_services.commitment_record(
            actor=actor,
            member=_person_of(row["公民身份号码"]),
            year=row["年度"],
            signed_on=_day(row["签订日期"]),
        )


def enter_risk_forms(actor, rows):
    for row in rows:
        integrity_services.risk_form_save(
            actor=actor,
            member=_person_of(row["公民身份号码"]),
            year=row["年度"],
            filed_on=_day(row["填报日期"]),
            level=_choice(RiskLevel, row["风险等级"]),
            risk_points=row["风险点"] or "",
        )


def enter_community(actor, rows):
    for row in rows:
        integrity_services.community_register(
            actor=actor,
            member=_person_of(row["公民身份号码"]),
            community=row["社区"],
            registered_on=_day(row["报到日期"]),
            ended_on=_day(row["结束日期"]),
        )


def enter_appointments(actor, rows):
    for row in sorted(rows, key=lambda r: r["任职日期"]):
        member_services.appointment_with_holder(
            actor=actor,
            organization=_org(row["党组织"]),
            person_name=row["姓名"],
            member=_person_of(row["公民身份号码"]) if row["公民身份号码"] else None,
            post=_choice(Post, row["职务"]),
            start_on=_day(row["任职日期"]),
            end_on=_day(row["免职日期"]),
            document_number=row["文号"] or "",
        )


def enter_commendations(actor, rows):
    for row in rows:
        kind = _choice(CommendationKind, row["类别"])
        organization = kind == CommendationKind.ADVANCED_ORGANIZATION
        member_services.commendation_create(
            actor=actor,
            kind=kind,
            granted_by=_org(row["授予组织"]),
            date=_day(row["日期"]),
            member=_person_of(row["公民身份号码"]) if row["公民身份号码"] else None,
            person_name="" if organization else row["对象"],
            recipient_organization=_org(row["对象"]) if organization else None,
            recommended=row["方式"] == "向上推荐",
            higher_body=row["上级机关"] or "",
        )


def enter_visits(actor, rows):
    activity_services.activity_create(
        actor=actor,
        organization=_org(OTHER),
        kind=ActivityKind.CONDOLENCE_VISIT,
        date=D(2025, 6, 30),
        title="走访慰问",
        condolence_visits=[
            activity_services.CondolenceEntry(
                person_name=row["对象姓名"],
                amount=Decimal(row["慰问金"]),
                id_number=row["公民身份号码"] or "",
            )
            for row in rows
        ],
    )


def enter_development(actor, rows):
    for row in rows:
        if row["步骤"] == 1:
            member_services.prospect_create(
                actor=actor,
                organization=_org(row["党组织"]),
                name=row["姓名"],
                gender=idnumber.gender_of(row["公民身份号码"]),
                id_number=row["公民身份号码"],
                applied_on=_day(row["日期"]),
            )
            continue
        member_services.prospect_record_step(
            actor=actor,
            prospect=Prospect.objects.matching("id_number", row["公民身份号码"]).get(),
            number=row["步骤"],
            done_on=_day(row["日期"]),
            mentors=row["培养联系人"] or "",
            sponsors=row["入党介绍人"] or "",
            days=row["培训天数"],
            hours=row["培训学时"],
            votes_for=row["赞成票"],
            voters_entitled=row["有表决权的正式党员数"],
        )


def enter_trainees(actor, rows):
    activist = Prospect.objects.matching("id_number", _id("activist")).get()
    activity_services.activity_create(
        actor=actor,
        organization=_org(FIRST),
        kind=ActivityKind.TRAINING,
        date=D(2025, 6, 10),
        title="入党积极分子培训班",
        trainees=[
            activity_services.TraineeEntry(prospect=activist),
            activity_services.TraineeEntry(member=_person_of(_id("li"))),
        ],
    )


def enter_medals(actor, rows):
    for row in rows:
        awarded_on = _day(row["颁发日期"])
        member_services.medal_award(
            actor=actor,
            member=_person_of(row["公民身份号码"]),
            year=awarded_on.year,
            awarded_on=awarded_on,
            awarded_by=_org(ROOT),
        )


def enter_liaisons(actor, rows):
    for row in rows:
        organization_services.liaison_assign(
            actor=actor,
            leader_name=row["班子成员"],
            committee=_org(ROOT),
            organization=_org(row["党组织"]),
            start_on=_day(row["开始日期"]),
            end_on=_day(row["结束日期"]),
        )


ENTER = {
    "党组织": enter_organizations,
    "党员": enter_members,
    "活动": enter_activities,
    "党费基数": enter_dues_bases,
    "党费": enter_dues_payments,
    "民主评议": enter_appraisals,
    "述职评议": enter_secretary_reports,
    "廉政承诺": enter_commitments,
    "风险防控": enter_risk_forms,
    "社区报到": enter_community,
    "任职": enter_appointments,
    "表彰": enter_commendations,
    "走访慰问": enter_visits,
    "发展党员": enter_development,
    "培训名单": enter_trainees,
    "纪念章": enter_medals,
    "联系点": enter_liaisons,
}


def every_metric():
    root = Organization.objects.root_committee()
    return {year: compute_all(root, year) for year in YEARS}


def test_a_county_by_one_workbook_has_the_numbers_of_the_same_county_entered_through_the_forms(clock):
    sheets = [importer.sheet_name for importer in importers()]
    assert list(COUNTY) == sheets  # every sheet, in the order the import reads them
    assert list(ENTER) == sheets
    actor = UserFactory(username="onboarding", role=Role.STAFF)

    with transaction.atomic():
        report = import_workbook(workbook(), actor=actor)
        assert report.ok, [str(e) for e in report.errors[:10]]
        assert all(report.results[sheet].created for sheet in sheets)  # every sheet stored something
        imported = every_metric()
        transaction.set_rollback(True)

    with transaction.atomic():
        for sheet in sheets:
            ENTER[sheet](actor, COUNTY[sheet])
        entered = every_metric()
        transaction.set_rollback(True)

    codes = metric_codes()
    assert set(imported[2025]) >= set(codes)
    differing = {
        (year, code): (imported[year][code], entered[year][code])
        for year in YEARS
        for code in imported[year]
        if imported[year][code] != entered[year][code]
    }
    assert differing == {}
    # The county is no empty one: most metrics of its year have something to count.
    counted = [code for code in codes if imported[2025][code] not in (0, None, Decimal(0))]
    assert len(counted) > len(codes) / 2, sorted(set(codes) - set(counted))

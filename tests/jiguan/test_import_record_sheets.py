"""The seven optional sheets of WORKBOOK.md recorded through the forms' services (issue 15): 任职,
表彰, 走访慰问, 发展党员, 培训名单, 纪念章, 联系点. All or nothing, every wrong row reported, the same
file twice changes nothing, a dated row names an organization as it was named then, a development
step out of order names both steps, a sheet the import does not know is named as not imported."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity, ActivityKind, CondolenceVisit, TrainingAttendance
from jiguan.importing import import_workbook
from members.idnumber import check_digit
from members.models import Commendation, DevelopmentStep, MedalAward, Member, Prospect, Stage, Status
from organizations.models import Appointment, LiaisonAssignment, Organization, OrganizationVersion
from tests.factories import MemberFactory, OrganizationFactory
from tests.jiguan.test_importing import workbook_bytes

pytestmark = pytest.mark.django_db
D = datetime.date


def id_of(first17):
    return first17 + check_digit(first17)


APPLICANT = id_of("11010119950101002")  # 李四, a man born in 1995
# The 25 steps of 李四, dated by the rules (a year as activist, training, majorities, probation).
STEP_DATES = {
    1: "2023-03-01", 2: "2023-03-20", 3: "2023-06-01", 4: "2023-06-10", 5: "2023-06-15",
    6: "2023-12-01", 7: "2024-06-10", 8: "2024-06-20", 9: "2024-07-01", 10: "2024-07-10",
    11: "2024-08-01", 12: "2024-09-01", 13: "2024-09-10", 14: "2024-09-15", 15: "2024-10-01",
    16: "2024-10-10", 17: "2024-11-01", 18: "2024-11-10", 19: "2024-11-15", 20: "2024-11-20",
    21: "2025-06-01", 22: "2025-09-01", 23: "2025-10-08", 24: "2025-10-10", 25: "2025-10-20",
}  # fmt: skip
DEVELOPMENT_HEADER = [
    "姓名", "公民身份号码", "党组织", "步骤", "日期",
    "培养联系人", "入党介绍人", "培训天数", "培训学时", "赞成票", "有表决权的正式党员数",
]  # fmt: skip


def step_row(number, branch="甲局机关党支部", day=None, name="李四", id_number=APPLICANT):
    extra = {5: ["王老师", None, None, None, None, None], 9: [None, "王老师、赵老师", None, None, None, None]}
    extra[11] = [None, None, 3, None, None, None]
    extra[15] = extra[23] = [None, None, None, None, 5, 6]
    return [name, id_number, branch, number, day or STEP_DATES[number], *extra.get(number, [None] * 6)]


@pytest.fixture
def county(committee, branch_a, branch_b):
    veteran = MemberFactory(
        name="老党员", organization=branch_a, birth_date=D(1940, 3, 1), admitted_on=D(1965, 7, 1)
    )
    secretary = MemberFactory(name="甲书记", organization=branch_a)
    # 老支部 was renamed 新名支部 in 2021 and dissolved in September 2021.
    old = OrganizationFactory(name="老支部", parent=committee)
    OrganizationVersion.objects.filter(organization=old).update(valid_to=D(2021, 3, 1))
    OrganizationVersion.objects.create(
        organization=old, name="新名支部", parent=committee, valid_from=D(2021, 3, 1)
    )
    Organization.objects.filter(pk=old.pk).update(name="新名支部", dissolved_on=D(2021, 9, 1))
    return {"veteran": veteran, "secretary": secretary, "old": old}


def good_sheets(county):
    veteran, secretary = county["veteran"], county["secretary"]
    return {
        "任职": [
            ["党组织", "姓名", "公民身份号码", "职务", "任职日期", "免职日期", "文号"],
            [
                "甲局机关党支部",
                "甲书记",
                secretary.id_number,
                "书记",
                "2024-01-05",
                None,
                "示党工通〔2024〕3号",
            ],
            ["甲局机关党支部", "前书记", None, "书记", "2019-01-05", None, "示党工通（2019）03号"],
            ["老支部", "老书记", None, "书记", "2019/3/1", None, None],  # named as it was then
            ["甲局机关党支部", "钱委员", None, "组织委员", "2024-01-05", None, None],
        ],
        "表彰": [
            ["类别", "对象", "公民身份号码", "授予组织", "日期", "方式", "上级机关"],
            [
                "优秀共产党员",
                "老党员",
                veteran.id_number,
                "中共测试县委县直机关工委",
                "2025-06-28",
                None,
                None,
            ],
            ["优秀党务工作者", "钱委员", None, "中共测试县委县直机关工委", "2025-06-28", "向上推荐", "县委"],
            [
                "先进基层党组织",
                "甲局机关党支部",
                None,
                "中共测试县委县直机关工委",
                "2025-06-28",
                "授予",
                None,
            ],
            ["先进基层党组织", "老支部", None, "中共测试县委县直机关工委", "2020-06-28", None, None],
        ],
        "走访慰问": [
            ["党组织", "日期", "对象姓名", "公民身份号码", "慰问金"],
            ["甲局机关党支部", "2025-07-01", "老党员", veteran.id_number, 500],
            ["甲局机关党支部", "2025-07-01", "困难群众", None, "300元"],
            ["乙局机关党支部", "2025-07-01", "困难群众", None, 200],
        ],
        "发展党员": [DEVELOPMENT_HEADER] + [step_row(n) for n in range(1, 26)],
        "培训名单": [
            ["党组织", "日期", "培训名称", "姓名", "公民身份号码"],
            ["甲局机关党支部", "2024-08-01", "发展对象培训班", "李四", APPLICANT],
            ["甲局机关党支部", "2025-05-01", "党员轮训", "老党员", veteran.id_number],
            ["甲局机关党支部", "2025-05-01", "党员轮训", "甲书记", secretary.id_number],
        ],
        "纪念章": [["公民身份号码", "颁发日期"], [veteran.id_number, "2025-07-01"]],
        "联系点": [
            ["班子成员", "党组织", "开始日期", "结束日期"],
            ["王主任", "甲局机关党支部", "2024-01-01", None],
            ["王主任", "老支部", "2020-01-01", "2021-08-31"],
        ],
    }


def counts():
    return {
        "任职": Appointment.objects.count(),
        "表彰": Commendation.objects.count(),
        "走访慰问": CondolenceVisit.objects.count(),
        "发展党员": DevelopmentStep.objects.count(),
        "培训名单": TrainingAttendance.objects.count(),
        "纪念章": MedalAward.objects.count(),
        "联系点": LiaisonAssignment.objects.count(),
        "活动": Activity.objects.count(),
        "党员": Member.objects.count(),
    }


def test_the_seven_sheets_import_through_the_services_and_twice_change_nothing(county, staff):
    report = import_workbook(workbook_bytes(good_sheets(county)), actor=staff)
    assert report.ok, [str(e) for e in report.errors]
    assert {sheet: result.created for sheet, result in report.results.items()} == {
        "任职": 4, "表彰": 4, "走访慰问": 3, "发展党员": 25, "培训名单": 3, "纪念章": 1, "联系点": 2,
    }  # fmt: skip
    # 任职: the second 书记 relieved the first on her first day, as the form does; 文号 in GB/T 9704 form.
    first = Appointment.objects.get(person_name="前书记")
    assert first.end_on == D(2024, 1, 5) and first.document_number == "示党工通〔2019〕3号"
    assert Appointment.objects.get(person_name="甲书记").holder.member == county["secretary"]
    assert Appointment.objects.get(person_name="老书记").organization == county["old"]
    # 表彰: a member linked, a recommendation, an organization (the dissolved one by its name then).
    assert Commendation.objects.get(person_name="老党员").member == county["veteran"]
    assert Commendation.objects.get(person_name="钱委员").recommended
    assert Commendation.objects.get(date=D(2020, 6, 28)).recipient_organization == county["old"]
    # 走访慰问: one activity per organization and day, the member on the roster linked.
    visits = Activity.objects.filter(kind=ActivityKind.CONDOLENCE_VISIT)
    assert visits.count() == 2
    assert CondolenceVisit.objects.get(person_name="老党员").member == county["veteran"]
    assert sum(v.amount for v in CondolenceVisit.objects.all()) == 1000
    # 发展党员: 李四 went through the 25 steps and is a full member, admitted on the 支部大会's day.
    prospect = Prospect.objects.get(name="李四")
    assert prospect.stage == Stage.FULL
    assert prospect.member.admitted_on == D(2024, 10, 1) and prospect.member.status == Status.FULL
    # 培训名单: 李四 trained as a candidate (a prospect), the others as members.
    assert TrainingAttendance.objects.get(prospect=prospect).activity.title == "发展对象培训班"
    assert Activity.objects.get(title="党员轮训").trainees.count() == 2
    assert MedalAward.objects.get().member == county["veteran"]
    assert LiaisonAssignment.objects.get(organization=county["old"]).end_on == D(2021, 8, 31)

    before = counts()
    again = import_workbook(workbook_bytes(good_sheets(county)), actor=staff)
    assert again.ok, [str(e) for e in again.errors]
    assert all(result.created == 0 and result.updated == 0 for result in again.results.values())
    assert again.results["发展党员"].unchanged == 25
    assert counts() == before


def test_one_wrong_row_anywhere_stores_nothing_and_every_wrong_row_is_reported(county, staff):
    sheets = good_sheets(county)
    sheets["任职"].append(["甲局机关党支部", "孙某", None, "主任", "2024-01-05", None, None])  # no such post
    sheets["表彰"].append(
        ["优秀共产党员", "某人", None, "新名支部", "2021-12-01", None, None]
    )  # dissolved then
    sheets["走访慰问"].append(["不存在的支部", "2025-07-01", "某人", None, 100])
    sheets["纪念章"].append([county["secretary"].id_number, "2025-07-01"])  # not 50 years in the party
    sheets["联系点"].append(["王主任", "甲局机关党支部", "2024-06-01", None])  # overlaps the first
    sheets["培训名单"].append(
        ["甲局机关党支部", "2025-05-01", "党员轮训", "张冠李戴", county["veteran"].id_number]
    )
    report = import_workbook(workbook_bytes(sheets), actor=staff)
    assert not report.stored
    wrong = {(e.sheet, e.row, e.column) for e in report.errors}
    assert wrong == {
        ("任职", 6, "职务"),
        ("表彰", 6, "授予组织"),
        ("走访慰问", 5, "党组织"),
        ("纪念章", 3, "公民身份号码"),
        ("联系点", 4, "党组织"),
        ("培训名单", 5, "姓名"),
    }, [str(e) for e in report.errors]
    messages = {(e.sheet, e.row): e.message for e in report.errors}
    assert "已撤销" in messages[("表彰", 6)] or "撤销" in messages[("表彰", 6)]
    assert "不符合" in messages[("纪念章", 3)]
    assert "老党员" in messages[("培训名单", 5)]
    assert counts() == {k: 0 for k in counts()} | {"党员": 2}


def test_a_development_step_out_of_order_names_both_steps(county, staff):
    rows = [DEVELOPMENT_HEADER, step_row(1), step_row(2), step_row(4), step_row(5)]
    report = import_workbook(workbook_bytes({"发展党员": rows}), actor=staff)
    assert not report.stored
    assert [(e.row, e.column) for e in report.errors] == [(4, "步骤"), (5, "步骤")]
    skipped, after = report.errors[0].message, report.errors[1].message
    assert "第4步“报上级党委备案”" in skipped and "第3步“推荐和确定入党积极分子”" in skipped
    assert "第5步" in after and "本表第4行" in after  # the person's later rows name the wrong one
    assert Prospect.objects.count() == 0


def test_a_step_dated_before_the_one_before_names_both_and_a_shared_name_asks_for_the_number(county, staff):
    rows = [
        DEVELOPMENT_HEADER,
        step_row(1),
        step_row(2, day="2023-02-01"),
        step_row("报上级党委备案", day="2023-06-10"),
        step_row("党组织派人谈话", day="2023-03-20", name="王五", id_number=id_of("11010119960101004")),
    ]
    report = import_workbook(workbook_bytes({"发展党员": rows}), actor=staff)
    messages = {e.row: e.message for e in report.errors}
    assert "第2步“党组织派人谈话”" in messages[3] and "第1步“递交入党申请书”" in messages[3]
    assert messages[4] == "“报上级党委备案”是第4步和第8步的名称，请填写步骤编号。"
    assert "第2步" in messages[5] and "第1步“递交入党申请书”尚未完成" in messages[5]


def test_the_approval_names_a_member_already_on_the_roster(county, staff, branch_a):
    """A county's probationary member arrives on the 党员 sheet and with their development steps."""
    MemberFactory(
        name="李四",
        organization=branch_a,
        birth_date=D(1995, 1, 1),
        id_number=APPLICANT,
        status="PROBATIONARY",
        admitted_on=D(2024, 10, 1),
    )
    rows = [DEVELOPMENT_HEADER] + [step_row(n) for n in range(1, 20)]
    report = import_workbook(workbook_bytes({"发展党员": rows}), actor=staff)
    assert report.ok, [str(e) for e in report.errors]
    assert Member.objects.filter(name="李四").count() == 1
    assert Prospect.objects.get().member.admitted_on == D(2024, 10, 1)


def test_an_appointment_ended_later_is_ended_by_the_next_import(county, staff):
    header = ["党组织", "姓名", "公民身份号码", "职务", "任职日期", "免职日期", "文号"]
    first = [header, ["甲局机关党支部", "钱委员", None, "组织委员", "2024-01-05", None, None]]
    assert import_workbook(workbook_bytes({"任职": first}), actor=staff).ok
    later = [header, ["甲局机关党支部", "钱委员", None, "组织委员", "2024-01-05", "2025-03-01", None]]
    report = import_workbook(workbook_bytes({"任职": later}), actor=staff)
    assert report.results["任职"].updated == 1
    assert Appointment.objects.get().end_on == D(2025, 3, 1)


def test_a_sheet_the_import_does_not_know_is_named_as_not_imported(county, staff_client):
    sheets = {"联系点": good_sheets(county)["联系点"], "联络点": [["班子成员"]], "填表说明": [["说明"]]}
    report = import_workbook(workbook_bytes(sheets), dry_run=True)
    assert report.ok and report.ignored_sheets == ["联络点", "填表说明"]
    assert report.ignored_note == "工作表“联络点”、“填表说明”不是可导入的工作表（名称须与模板一致），未导入。"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("county.xlsx", workbook_bytes(sheets).getvalue())
    html = staff_client.post(reverse("import_workbook"), {"file": upload}).content.decode()
    assert "“联络点”、“填表说明”不是可导入的工作表" in html
    only_notes = import_workbook(workbook_bytes({"填表说明": [["说明"]]}), dry_run=True)
    assert not only_notes.ok and only_notes.ignored_sheets == ["填表说明"]


def test_a_training_is_recorded_at_once_and_a_refused_trainee_is_named_on_their_row(county, staff):
    """The rows of one training go to the activity services together; when the services refuse
    one trainee, the rows are recorded one by one and only that trainee's row is reported."""
    sheets = good_sheets(county)
    training = ["甲局机关党支部", "2023-01-05", "春季轮训"]
    sheets["培训名单"] = [
        ["党组织", "日期", "培训名称", "姓名", "公民身份号码"],
        [*training, "老党员", county["veteran"].id_number],
        [*training, "李四", APPLICANT],  # not yet an activist that day (applied in March 2023)
        [*training, "甲书记", county["secretary"].id_number],
    ]
    report = import_workbook(workbook_bytes(sheets), actor=staff)
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("培训名单", 3, "公民身份号码")]
    assert report.errors[0].message.startswith("李四在2023年1月5日不是入党积极分子或发展对象")

    sheets["培训名单"].pop(2)
    report = import_workbook(workbook_bytes(sheets), actor=staff)
    assert report.ok, [str(e) for e in report.errors]
    assert report.results["培训名单"].created == 2
    assert Activity.objects.get(title="春季轮训").trainees.count() == 2

"""Bounds on every import sheet (issue 12): each column of each sheet, given what no field can hold,
is refused on its row and column with a Chinese message, and nothing is stored, the same on SQLite
and PostgreSQL. A sheet registered with jiguan.importing.register must add its good row here."""

import datetime

import pytest

from jiguan import importing
from members.idnumber import check_digit
from members.models import Member
from organizations.models import Organization
from tests.jiguan.test_importing import workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_day_of_2026(clock):
    """The dates and bounds below are written for 24 November 2026 (ten years ahead: 2036), whatever
    day JIGUAN_TEST_NOW runs the rest of the suite on."""
    clock.move_to(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))


ID_NUMBER = "11010119800101001" + check_digit("11010119800101001")
LONG = "长" * 10_000


def dues_member(branch_a):
    """The member the sheets naming a member name (already on the roster; in the party since 1970,
    so that the 纪念章 sheet may award them the medal)."""
    from tests.factories import MemberFactory

    return Member.objects.filter(name="党费党员").first() or MemberFactory(
        organization=branch_a,
        name="党费党员",
        birth_date=datetime.date(1945, 5, 1),
        admitted_on=datetime.date(1970, 3, 1),
    )


APPLICANT_ID = "11010119900101003" + check_digit("11010119900101003")


def good_rows(committee, branch_a):
    """One good row for every sheet, as column -> value."""
    payer = dues_member(branch_a).id_number
    return {
        "党组织": {
            "组织名称": "新设党支部",
            "组织类别": "党支部",
            "上级组织": committee.name,
            "所在单位": "新设单位",
            "成立日期": "2020-01-01",
            "撤销日期": None,
        },
        "党员": {
            "姓名": "张三",
            "性别": "男",
            "公民身份号码": ID_NUMBER,
            "出生日期": "1980-01-01",
            "民族": "汉族",
            "学历": "大学本科",
            "所在党组织": branch_a.name,
            "人员类别": "在职",
            "党员类别": "正式党员",
            "入党日期": "2015-03-01",
            "转正日期": "2016-03-01",
            "联系电话": "13900000000",
            "学位": "学士",
            "籍贯": "广西桂林",
            "工作岗位": "在岗职工",
            "现居住地": "城东社区",
            "是否失联党员": "否",
            "是否流动党员": "是",
        },
        "活动": {
            "党组织": branch_a.name,
            "活动类型": "主题党日",
            "日期": "2025-05-20",
            "主题": "五月主题党日",
            "地点": "会议室",
            "应到人数": 5,
            "实到人数": 5,
            "专题": "学法",
            "联合开展党组织": None,
        },
        "党费基数": {"公民身份号码": payer, "起始月份": "2025-01", "缴费基数": 3000, "缴费类别": "在职"},
        "党费": {"公民身份号码": payer, "所属月份": "2025-05", "实交金额": 15, "交纳日期": "2025-05-20"},
        "民主评议": {"公民身份号码": payer, "年度": 2025, "等次": "合格"},
        "述职评议": {
            "党组织": branch_a.name,
            "年度": 2025,
            "述职日期": "2025-12-20",
            "等次": "好",
            "书记姓名": "李书记",
        },
        "廉政承诺": {"公民身份号码": payer, "年度": 2025, "签订日期": "2025-03-01"},
        "风险防控": {
            "公民身份号码": payer,
            "年度": 2025,
            "填报日期": "2025-03-01",
            "风险等级": "中",
            "风险点": "审批权",
        },
        "社区报到": {"公民身份号码": payer, "社区": "城东社区", "报到日期": "2025-03-01", "结束日期": None},
        "任职": {
            "党组织": branch_a.name,
            "姓名": "党费党员",
            "公民身份号码": payer,
            "职务": "书记",
            "任职日期": "2025-01-01",
            "免职日期": "2025-12-31",
            "文号": "示党工通〔2025〕3号",
        },
        "表彰": {
            "类别": "优秀共产党员",
            "对象": "党费党员",
            "公民身份号码": payer,
            "授予组织": committee.name,
            "日期": "2025-07-01",
            "方式": "向上推荐",
            "上级机关": "县委",
        },
        "走访慰问": {
            "党组织": branch_a.name,
            "日期": "2025-07-01",
            "对象姓名": "王五",
            "公民身份号码": ID_NUMBER,
            "慰问金": 500,
        },
        "发展党员": {
            "姓名": "李四",
            "公民身份号码": APPLICANT_ID,
            "党组织": branch_a.name,
            "步骤": 1,
            "日期": "2025-03-01",
            "培养联系人": "张三",
            "入党介绍人": "张三、李四",
            "培训天数": 3,
            "培训学时": 24,
            "赞成票": 5,
            "有表决权的正式党员数": 6,
        },
        "培训名单": {
            "党组织": branch_a.name,
            "日期": "2025-06-01",
            "培训名称": "党员轮训",
            "姓名": "党费党员",
            "公民身份号码": payer,
        },
        "纪念章": {"公民身份号码": payer, "颁发日期": "2025-07-01"},
        "联系点": {"班子成员": "王主任", "党组织": branch_a.name, "开始日期": "2025-01-01", "结束日期": None},
    }


# Columns that hold a whole number or a date, by sheet.
NUMBER_COLUMNS = {
    "活动": ["应到人数", "实到人数"],
    "党费基数": ["缴费基数"],
    "党费": ["实交金额"],
    "民主评议": ["年度"],
    "述职评议": ["年度"],
    "廉政承诺": ["年度"],
    "风险防控": ["年度"],
    "走访慰问": ["慰问金"],
    "发展党员": ["培训天数", "培训学时", "赞成票", "有表决权的正式党员数"],
}
DATE_COLUMNS = {
    "党组织": ["成立日期", "撤销日期"],
    "党员": ["出生日期", "入党日期", "转正日期"],
    "活动": ["日期"],
    "党费": ["交纳日期"],
    "述职评议": ["述职日期"],
    "廉政承诺": ["签订日期"],
    "风险防控": ["填报日期"],
    "社区报到": ["报到日期", "结束日期"],
    "任职": ["任职日期", "免职日期"],
    "表彰": ["日期"],
    "走访慰问": ["日期"],
    "发展党员": ["日期"],
    "培训名单": ["日期"],
    "纪念章": ["颁发日期"],
    "联系点": ["开始日期", "结束日期"],
}


def one_row_workbook(sheet, row):
    return workbook_bytes({sheet: [list(row), list(row.values())]})


def cases():
    for importer in importing.importers():
        for column in importer.columns:
            yield importer.sheet_name, column


def test_every_sheet_has_a_good_row_here(committee, branch_a):
    rows = good_rows(committee, branch_a)
    assert sorted(rows) == sorted(i.sheet_name for i in importing.importers())
    for importer in importing.importers():
        assert list(rows[importer.sheet_name]) == list(importer.columns)
        report = importing.import_workbook(one_row_workbook(importer.sheet_name, rows[importer.sheet_name]))
        assert report.ok, [str(e) for e in report.errors]


@pytest.mark.parametrize("sheet, column", list(cases()))
def test_ten_thousand_characters_are_refused_in_every_column(committee, branch_a, sheet, column):
    row = good_rows(committee, branch_a)[sheet]
    row[column] = LONG
    report = importing.import_workbook(one_row_workbook(sheet, row))
    assert not report.stored
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [(sheet, 2, column)]
    assert all(not any(w in e.message for w in ("Error", "Exception")) for e in report.errors)
    # Nothing stored (the dues sheets' member was on the roster before).
    assert Organization.objects.filter(name="新设党支部").count() == 0
    assert list(Member.objects.values_list("name", flat=True)) == ["党费党员"]


@pytest.mark.parametrize(
    "sheet, column", [(sheet, column) for sheet, columns in NUMBER_COLUMNS.items() for column in columns]
)
@pytest.mark.parametrize("value", [10**30, 3_000_000_000, "1e400", "NaN"])
def test_numbers_no_column_can_hold_are_refused(committee, branch_a, sheet, column, value):
    row = good_rows(committee, branch_a)[sheet]
    row[column] = value
    if column == "应到人数":
        row["实到人数"] = None
    report = importing.import_workbook(one_row_workbook(sheet, row))
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert not report.stored


@pytest.mark.parametrize(
    "sheet, column", [(sheet, column) for sheet, columns in DATE_COLUMNS.items() for column in columns]
)
def test_dates_far_in_the_future_are_refused(committee, branch_a, sheet, column):
    row = good_rows(committee, branch_a)[sheet]
    row[column] = "2200-01-01"
    report = importing.import_workbook(one_row_workbook(sheet, row))
    assert not report.stored
    assert (2, column, f"“{column}”不能晚于2036年12月31日。") in {
        (e.row, e.column, e.message) for e in report.errors
    }

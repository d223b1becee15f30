"""The 活动 sheet of the import workbook: all or nothing, idempotent by organization + kind + date + title."""

import datetime
import io

from openpyxl import Workbook

from activities.models import Activity
from jiguan.importing import import_workbook

HEADER = ["党组织", "活动类型", "日期", "主题", "地点", "应到人数", "实到人数", "专题", "联合开展党组织"]


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "活动"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = [
    ["甲局机关党支部", "主题党日", "2025-03-05", "学习全国两会精神", "会议室", 10, 9, "第一议题、学法", ""],
    [
        "中共测试县委县直机关工委",
        "工委会议",
        datetime.datetime(2025, 4, 2),
        "研究党风廉政建设",
        "",
        7,
        7,
        "党风廉政",
        "",
    ],
    [
        "中共测试县委县直机关工委",
        "主题党日",
        "2025年6月18日",
        "参观红色教育基地",
        "",
        "",
        "",
        "党史学习教育",
        "甲局机关党支部,乙局机关党支部",
    ],
]


def test_rows_are_imported_with_topics_and_joined_organizations(branch_a, branch_b, staff):
    report = import_workbook(workbook(GOOD), actor=staff)
    assert report.ok, [str(e) for e in report.errors]
    assert report.results["活动"].created == 3
    theme = Activity.objects.get(title="学习全国两会精神")
    assert sorted(t.topic for t in theme.topics.all()) == ["FIRST_TOPIC", "LAW_STUDY"]
    visit = Activity.objects.get(title="参观红色教育基地")
    assert sorted(o.name for o in visit.joined_organizations.all()) == ["乙局机关党支部", "甲局机关党支部"]


def test_importing_the_same_file_twice_changes_nothing(branch_a, branch_b, staff):
    import_workbook(workbook(GOOD), actor=staff)
    report = import_workbook(workbook(GOOD), actor=staff)
    assert report.ok
    assert report.results["活动"].created == 0
    assert report.results["活动"].unchanged == 3
    assert Activity.objects.count() == 3


def test_any_wrong_row_stores_nothing_and_each_is_reported(branch_a, branch_b, staff):
    rows = [
        *GOOD,
        ["不存在的支部", "主题党日", "2025-03-05", "甲", "", "", "", "", ""],
        ["甲局机关党支部", "茶话会", "2025-03-05", "乙", "", "", "", "", ""],
        ["甲局机关党支部", "党课", "2009-03-05", "丙", "", "", "", "", ""],
        ["甲局机关党支部", "党课", "2025-03-05", "丁", "", 5, 6, "", ""],
        ["甲局机关党支部", "党课", "2025-03-05", "戊", "", "", "", "廉政", ""],
    ]
    report = import_workbook(workbook(rows), actor=staff)
    assert not report.stored
    assert Activity.objects.count() == 0
    messages = {(e.row, e.column) for e in report.errors}
    assert messages == {(5, "党组织"), (6, "活动类型"), (7, "日期"), (8, "实到人数"), (9, "专题")}
    assert "实到人数（6）不能多于应到人数（5）" in next(str(e) for e in report.errors if e.row == 8)

"""The 党组织 sheet: every row's error before anything is stored, and importing twice changes nothing."""

import datetime
import io

import pytest
from openpyxl import Workbook

from jiguan.importing import import_workbook
from organizations.models import EventKind, Organization, OrganizationEvent

pytestmark = pytest.mark.django_db

HEADER = ["组织名称*", "组织类别*", "上级组织", "所在单位", "成立日期*", "撤销日期"]


def workbook(*rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "党组织"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = [
    # A child before its parent: rows are stored parents first.
    ("法院机关第一党支部", "党支部", "中共县人民法院机关党委", "县人民法院", "2012-03-01", None),
    (
        "中共县人民法院机关党委",
        "机关党委",
        "中共测试县委县直机关工委",
        "县人民法院",
        datetime.datetime(2012, 1, 1),
        None,
    ),
    ("中共县人民法院机关纪委", "机关纪委", "中共县人民法院机关党委", "县人民法院", "2012年1月1日", None),
    ("法院第一党小组", "党小组", "法院机关第一党支部", "", "2012/3/1", None),
    ("法院旧支部", "党支部", "中共县人民法院机关党委", "县人民法院", "2012-03-01", "2020-01-01"),
]


def test_import_stores_the_tree(staff, committee):
    report = import_workbook(workbook(*GOOD), actor=staff)
    assert report.ok, [str(e) for e in report.errors]
    assert report.results["党组织"].created == 5
    branch = Organization.objects.get(name="法院机关第一党支部")
    assert branch.parent.name == "中共县人民法院机关党委" and branch.unit.name == "县人民法院"
    assert Organization.objects.get(name="法院旧支部").dissolved_on == datetime.date(2020, 1, 1)
    assert OrganizationEvent.objects.filter(kind=EventKind.FOUNDED).count() == 5


def test_importing_twice_changes_nothing(staff, committee):
    import_workbook(workbook(*GOOD), actor=staff)
    count, events = Organization.objects.count(), OrganizationEvent.objects.count()
    report = import_workbook(workbook(*GOOD), actor=staff)
    assert report.ok, [str(e) for e in report.errors]
    assert report.results["党组织"].created == 0 and report.results["党组织"].unchanged == 5
    assert (Organization.objects.count(), OrganizationEvent.objects.count()) == (count, events)


def test_every_wrong_row_is_reported_and_nothing_stored(staff, committee, branch_a):
    report = import_workbook(
        workbook(
            ("好支部", "党支部", "中共测试县委县直机关工委", "", "2015-01-01", None),
            ("坏类别", "党委会", "中共测试县委县直机关工委", "", "2015-01-01", None),
            ("无上级", "党支部", "不存在的组织", "", "2015-01-01", None),
            ("错挂纪委", "机关纪委", "甲局机关党支部", "", "2015-01-01", None),
            ("坏日期", "党支部", "中共测试县委县直机关工委", "", "去年", None),
            ("倒序", "党支部", "中共测试县委县直机关工委", "", "2015-01-01", "2014-01-01"),
            ("好支部", "党支部", "中共测试县委县直机关工委", "", "2015-01-01", None),
            ("甲局机关党支部", "党总支部", "中共测试县委县直机关工委", "", "2015-01-01", None),
        ),
        actor=staff,
    )
    assert not report.stored
    where = {(e.row, e.column) for e in report.errors}
    assert {
        (3, "组织类别"),
        (4, "上级组织"),
        (5, "上级组织"),
        (6, "成立日期"),
        (7, "撤销日期"),
        (8, "组织名称"),
        (9, "组织类别"),
    } <= where
    messages = " ".join(str(e) for e in report.errors)
    assert "机关纪委只能设在机关党委之下" in messages and "“党组织”表第4行“上级组织”列" in messages
    assert not Organization.objects.filter(name="好支部").exists()


def test_a_rule_checked_by_the_service_is_reported_on_its_row(staff, committee):
    # The parent is founded after the child: caught by the sheet check, on the child's row.
    report = import_workbook(
        workbook(
            ("新总支", "党总支部", "中共测试县委县直机关工委", "", "2020-01-01", None),
            ("早支部", "党支部", "新总支", "", "2019-01-01", None),
        ),
        actor=staff,
    )
    assert not report.stored
    assert [(e.row, e.column) for e in report.errors] == [(3, "成立日期")]

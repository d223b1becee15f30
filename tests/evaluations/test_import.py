"""The five sheets of integrity work and evaluations (WORKBOOK.md): all or nothing, the same rules as
the forms, the same file twice changes nothing."""

import datetime
import io

import pytest
from openpyxl import Workbook

from activities.evaluations.models import MemberGrade, SecretaryReport
from jiguan.importing import import_workbook
from members.integrity.models import CommunityRegistration, IntegrityCommitment, RiskForm
from organizations.models import Kind, Organization, OrganizationVersion
from tests.factories import MemberFactory, OrganizationFactory

D = datetime.date


def workbook(sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def county(committee, branch_a):
    nine = [MemberFactory(name=f"正式{i}", organization=branch_a) for i in range(9)]
    probationary = MemberFactory(
        name="预备甲", organization=branch_a, status="PROBATIONARY", admitted_on=D(2021, 5, 1)
    )
    old = OrganizationFactory(kind=Kind.BRANCH, name="老支部", parent=committee)
    # Renamed in 2021, dissolved later: a 2020 row names it by its name then.
    OrganizationVersion.objects.filter(organization=old).update(valid_to=D(2021, 3, 1))
    OrganizationVersion.objects.create(
        organization=old, name="新名支部", parent=committee, valid_from=D(2021, 3, 1)
    )
    Organization.objects.filter(pk=old.pk).update(name="新名支部", dissolved_on=D(2021, 9, 1))
    return {"nine": nine, "probationary": probationary, "old": old}


def good_sheets(county):
    nine = county["nine"]
    return {
        "民主评议": [["公民身份号码", "年度", "等次"]]
        + [[m.id_number, 2021, "优秀" if i < 3 else "合格"] for i, m in enumerate(nine)],
        "述职评议": [
            ["党组织", "年度", "述职日期", "等次", "书记姓名"],
            ["老支部", 2020, "2020-12-20", "好", "老书记"],
            ["新名支部", 2021, "2021/7/1", "较好", ""],
            ["甲局机关党支部", 2021, "2022年1月10日", "", ""],
        ],
        "廉政承诺": [["公民身份号码", "年度", "签订日期"], [nine[0].id_number, 2021, "2020-12-30"]],
        "风险防控": [
            ["公民身份号码", "年度", "填报日期", "风险等级", "风险点"],
            [nine[0].id_number, 2021, "2021-03-01", "高", "审批"],
        ],
        "社区报到": [
            ["公民身份号码", "社区", "报到日期", "结束日期"],
            [nine[1].id_number, "城东社区", "2020-03-01", "2021-05-01"],
            [nine[1].id_number, "城西社区", "2021-05-01", ""],
        ],
    }


def test_the_five_sheets_import_once(staff, county):
    report = import_workbook(workbook(good_sheets(county)), actor=staff)
    assert report.ok, [str(e) for e in report.errors]
    assert MemberGrade.objects.count() == 9 and MemberGrade.objects.filter(grade="EXCELLENT").count() == 3
    assert SecretaryReport.objects.count() == 3
    assert SecretaryReport.objects.get(year=2020).organization == county["old"]
    assert IntegrityCommitment.objects.count() == 1 and RiskForm.objects.get().level == "HIGH"
    assert CommunityRegistration.objects.count() == 2
    again = import_workbook(workbook(good_sheets(county)), actor=staff)
    assert again.ok and all(r.created == 0 for r in again.results.values())
    assert again.results["民主评议"].unchanged == 9
    assert MemberGrade.objects.count() == 9 and CommunityRegistration.objects.count() == 2


def test_a_probationary_member_and_a_fourth_excellent_are_refused_and_nothing_is_stored(staff, county):
    sheets = good_sheets(county)
    sheets["民主评议"][4][2] = "优秀"  # the fourth of nine
    sheets["民主评议"].append([county["probationary"].id_number, 2021, "合格"])
    report = import_workbook(workbook(sheets), actor=staff)
    messages = [str(e) for e in report.errors]
    assert messages == ["“民主评议”表第11行“公民身份号码”列：预备甲是预备党员，参加民主评议但不评定等次。"]
    assert not report.stored and not MemberGrade.objects.exists() and not SecretaryReport.objects.exists()

    sheets["民主评议"].pop()
    report = import_workbook(workbook(sheets), actor=staff)
    assert [str(e) for e in report.errors] == [
        "“民主评议”表第2行“等次”列：评为优秀的党员不能超过参加评定等次党员的三分之一：本次评定9人，优秀最多3人，现为4人。"
    ]
    assert not IntegrityCommitment.objects.exists()


def test_rows_are_refused_like_the_forms(staff, county):
    nine = county["nine"]
    sheets = {
        "述职评议": [
            ["党组织", "年度", "述职日期"],
            ["新名支部", 2021, "2021-10-01"],
            ["没有的支部", 2021, "2021-10-01"],
        ],
        "社区报到": [
            ["公民身份号码", "社区", "报到日期"],
            [nine[2].id_number, "城东社区", "2021-03-01"],
            [nine[2].id_number, "城西社区", "2021-06-01"],
        ],
        "廉政承诺": [["公民身份号码", "年度", "签订日期"], ["110101199001011234", 2021, "2021-01-01"]],
    }
    report = import_workbook(workbook(sheets), actor=staff)
    messages = [str(e) for e in report.errors]
    assert any("第2行“述职日期”列：“新名支部”已于2021年9月1日撤销" in m for m in messages)
    assert "“述职评议”表第3行“党组织”列：没有名为“没有的支部”的党组织。" in messages
    assert any(
        m.startswith("“社区报到”表第3行“报到日期”列：") and "请先登记上一次报到的结束日期" in m
        for m in messages
    )
    assert "“廉政承诺”表第2行“公民身份号码”列：党员名册中没有该公民身份号码。" in messages
    assert not CommunityRegistration.objects.exists()

"""The national roster (issue 15): the 党员 sheet reads the national system's column names and
values, keeps its extra columns on the member, asks before leaving unknown columns out; the export
writes the roster in the national column order; the reconciliation lists the differences without
changing anything and applies those chosen, each audited."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jiguan import jobs
from jiguan.importing import COMMAND_LIMITS, import_workbook
from jiguan.models import AuditEntry, Job
from members import national, reconciliation
from members.models import Category, Member, Status
from tests.factories import MemberFactory, id_number_for

pytestmark = pytest.mark.django_db
D = datetime.date

HEADER = ["姓名", "性别", "身份证号码", "民族", "籍贯", "学历", "学位", "所在党支部", "人员类别", "入党时间",
          "转正时间", "工作岗位", "现居住地", "是否失联党员", "是否流动党员", "党员编号"]  # fmt: skip


def book(rows, title="党员"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


@pytest.fixture
def roster(branch_a):
    one, two = id_number_for(D(1980, 1, 1), "M"), id_number_for(D(1950, 2, 1), "F")
    return [
        HEADER,
        ["陈一", "男", one, "汉族", "广西桂林", "大学本科", "学士", branch_a.name, "正式党员", "2005-07-01",
         "2006-07-01", "在岗职工", "城东社区", "否", "是", "A001"],
        ["林二", "女", two, "壮族", "广西南宁", "中专", None, branch_a.name, "预备党员", "2026-03-01",
         None, "离退休人员", None, "是", None, "A002"],
    ]  # fmt: skip


def test_a_national_roster_imports_once_its_unknown_columns_are_confirmed(roster, staff):
    first = import_workbook(book(roster), actor=staff)
    assert not first.stored and first.only_doubts
    assert [(e.sheet, e.row, e.message) for e in first.errors] == [
        ("党员", 1, "以下列本系统不认识：“党员编号”。确认后只导入可识别的列，这些列不导入。")
    ]
    report = import_workbook(book(roster), actor=staff, accept_similar=True)
    assert report.ok, [str(e) for e in report.errors]
    assert any(
        "“身份证号码”列作“公民身份号码”" in note and "“人员类别”列作“党员类别”" in note
        for note in report.notes
    )
    assert any("“党员编号”列本系统不保存" in note for note in report.notes)
    chen = Member.objects.get(name="陈一")
    assert (chen.status, chen.category, chen.admitted_on) == (Status.FULL, Category.IN_SERVICE, D(2005, 7, 1))
    assert (chen.degree, chen.native_place, chen.work_post, chen.residence) == (
        "学士",
        "广西桂林",
        "在岗职工",
        "城东社区",
    )
    assert (chen.lost_contact, chen.floating) == (False, True)
    lin = Member.objects.get(name="林二")
    assert (lin.status, lin.category, lin.lost_contact) == (Status.PROBATIONARY, Category.RETIRED, True)


def test_a_column_holding_both_kinds_of_category_is_ambiguous_and_said_once(roster, staff):
    roster[2][8] = "离退休"  # 人员类别: 正式党员 on one row, 离退休 on the other
    report = import_workbook(book(roster), actor=staff, accept_similar=True)
    assert not report.stored
    assert [(e.row, e.column) for e in report.errors] == [(1, "人员类别")]
    assert "无法判断本列的含义" in report.errors[0].message


def test_a_flag_is_yes_or_no(roster, staff):
    roster[1][13] = "也许"
    report = import_workbook(book(roster), actor=staff, accept_similar=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "是否失联党员", "应为“是”或“否”，现为“也许”。")
    ]


def test_the_member_page_shows_the_national_details(roster, staff, staff_client):
    import_workbook(book(roster), actor=staff, accept_similar=True)
    chen = Member.objects.get(name="陈一")
    html = staff_client.get(reverse("members:detail", args=[chen.pk])).content.decode()
    assert "学士" in html and "广西桂林" in html and "城东社区" in html and "流动党员" in html
    assert "工作岗位：在岗职工" in html


def test_the_export_writes_the_national_order_and_reconciles_with_itself(branch_a, staff_client):
    MemberFactory(name="甲", organization=branch_a, residence="城东", floating=True)
    MemberFactory(name="乙", organization=branch_a, category="RETIRED")
    response = staff_client.get(reverse("members:national_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["党员"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(national.NATIONAL_COLUMNS)
    assert {row[0]: (row[12], row[16]) for row in rows[1:]} == {
        "甲": ("在岗职工", "是"),
        "乙": ("离退休人员", "否"),
    }
    result = reconciliation.reconcile(io.BytesIO(response.content), limits=COMMAND_LIMITS)
    assert result.errors == [] and result.national_count == 2
    assert (result.only_national, result.only_here, result.differences) == ([], [], [])


def test_the_reconciliation_lists_without_changing_and_applies_what_staff_choose(
    branch_a, staff, staff_client
):
    kept = MemberFactory(name="甲", organization=branch_a, residence="城东")
    MemberFactory(name="只在本系统", organization=branch_a)
    outsider = id_number_for(D(1985, 5, 5), "M")
    rows = [
        ["姓名", "性别", "身份证号码", "所在党支部", "人员类别", "入党时间", "转正时间", "现居住地", "学位"],
        ["甲乙", "男", kept.id_number, "别的支部", "正式党员", "2005-07-01", "2006-07-01", "城西", "硕士"],
        ["只在全国", "男", outsider, branch_a.name, "正式党员", "2010-07-01", "2011-07-01", None, None],
    ]
    upload = SimpleUploadedFile("national.xlsx", book(rows, title="Sheet1").getvalue())
    response = staff_client.post(reverse("members:reconcile"), {"file": upload}, follow=True)
    html = response.content.decode()
    result = Job.objects.get(kind="reconcile").result
    assert [m["name"] for m in result["only_national"]] == ["只在全国"]
    assert [m["name"] for m in result["only_here"]] == ["只在本系统"]
    assert {(d["column"], d["ours"], d["theirs"], d["applicable"]) for d in result["differences"]} == {
        ("姓名", "甲", "甲乙", True),
        ("现居住地", "城东", "城西", True),
        ("学位", "（空）", "硕士", True),
        ("所在党组织", branch_a.name, "别的支部", False),
    }
    assert "只在全国系统中 1 人" in html and "请办理手续" in html
    kept.refresh_from_db()
    assert (kept.name, kept.residence, kept.degree) == ("甲", "城东", "")  # nothing changed by the comparison
    chosen = [d["key"] for d in result["differences"] if d["column"] in ("现居住地", "学位")]
    job = Job.objects.get(kind="reconcile")
    response = staff_client.post(
        reverse("members:reconcile_apply", args=[job.pk]), {"difference": chosen}, follow=True
    )
    assert "已按全国党员管理系统名册更新2项信息" in response.content.decode()
    kept.refresh_from_db()
    assert (kept.name, kept.residence, kept.degree) == ("甲", "城西", "硕士")
    entry = AuditEntry.objects.filter(object_id=str(kept.pk)).latest("pk")
    assert set(entry.changes) == {"residence", "degree"} and entry.actor == staff
    # The page marks what was applied; compared again, only the rest still differs.
    assert response.content.decode().count("已更新") == 2
    with open(jobs.input_path(job), "rb") as file:
        again = reconciliation.reconcile(file, limits=COMMAND_LIMITS)
    assert {d.column for d in again.differences} == {"姓名", "所在党组织"}


def test_the_reconciliation_is_for_staff(secretary_client, leader_client):
    assert secretary_client.get(reverse("members:reconcile")).status_code == 403
    assert leader_client.get(reverse("members:reconcile")).status_code == 403
    assert secretary_client.get(reverse("members:national_export")).status_code == 403

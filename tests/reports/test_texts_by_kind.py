"""The report of any organization (issue 9): a 党支部, a 党总支部 or a 机关党委 starts from a default text
written for its kind; an empty list reads naturally; the readiness check lists the sentences whose
numbers are all zero; comparisons with a year without records say 上年无记录. Numbers hand-counted
from tests/reports/county.py."""

import importlib
import io
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from organizations.models import Kind
from reports.default_text import default_text
from reports.metrics import REGISTRY, metric_codes
from reports.models import AnnualReport
from reports.outputs import build_summary, workbook_bytes
from reports.placeholders import ANY_PLACEHOLDER, unknown_placeholders
from tests.factories import OrganizationFactory
from tests.reports import county

YEAR = 2021


@pytest.fixture
def built(committee, branch_a, group_a, branch_b):
    return county.build(committee, branch_a, group_a, branch_b)


def plain(summary):
    """The text as printed (the PDF's words), one line per paragraph."""
    return "\n".join("".join(p.text for p in [*b.head, *b.pieces]) for b in summary.blocks)


# Numbers a branch has no business reporting: the committee's own work.
COMMITTEE_ONLY = {
    "central_group_study_sessions",
    "lists_issued",
    "work_plan_key_tasks",
    "red_site_joint_orgs",
    "oath_date",
    "orgs_total",
    "orgs_party_committees",
    "orgs_general_branches",
    "orgs_branches",
    "orgs_renamed",
    "orgs_dissolved",
    "liaison_leaders",
    "liaison_orgs",
    "joint_activity_orgs",
    "reminder_letters",
    "regulations_revised",
    "integrity_special_meetings",
}


@pytest.mark.parametrize(
    ("kind", "sections"),
    [
        (Kind.BRANCH, ["党员队伍建设", "发展党员", "“三会一课”", "主题活动", "表彰"]),
        (Kind.GENERAL_BRANCH, ["组织建设", "发展党员", "“三会一课”", "主题活动", "表彰"]),
        (Kind.PARTY_COMMITTEE, ["组织建设", "发展党员", "“三会一课”", "主题活动", "表彰"]),
    ],
)
def test_each_kind_has_its_own_default_text(db, kind, sections):
    organization = OrganizationFactory(kind=kind, name="县财政局机关党组织")
    text = default_text(organization)
    assert unknown_placeholders(text) == []
    headings = [
        line[2:].removesuffix("方面") for line in text.splitlines() if re.match("[一二三四五]、", line)
    ]
    assert headings == sections
    assert text.startswith("{{ year }}年，县财政局机关党组织在上级党组织的坚强领导下")
    used = {m.group(1).strip() for m in ANY_PLACEHOLDER.finditer(text)}
    assert {
        "members_total",
        "probationary_admitted",
        "theme_days",
        "rhythm_missing",
        "members_commended",
    } <= used
    wrong = used & COMMITTEE_ONLY - (
        {"orgs_branches", "orgs_general_branches"} if kind != Kind.BRANCH else set()
    )
    assert not wrong, wrong
    assert "工委" not in text and "履职尽责" not in text
    assert used - {"year"} <= set(metric_codes())


def test_a_secretary_reads_the_branch_text_with_the_branchs_numbers(built, secretary_client):
    response = secretary_client.get(reverse("reports:report", args=[built.branch_a.pk, YEAR]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "一、党员队伍建设方面" in html and "履职尽责" not in html
    text = plain(response.context["summary"])
    # On E: 张一, 张二 (full, in service), 张三 (full, retired), 张四 (probationary, admitted 1 May).
    assert "支部共有党员4名，其中正式党员3名、预备党员1名；在职党员3名、离退休党员1名。" in text
    # 李一 an activist and 李二 a candidate at branch_a's training on 31 December.
    assert "全年吸收预备党员1名，办理预备党员转正0名；选派入党积极分子1名、发展对象1名参加培训" in text
    # The theme day of 5 March; nothing else of 三会一课: 45 periods missed (county.py).
    assert (
        "开展主题党日活动1次，召开组织生活会0次，开展民主评议党员0次。对照规定频次，组织生活缺项45次。"
        in text
    )
    assert "支部结合主题党日研究安排意识形态工作1次，开展党风廉政教育1次、“每月一法”学习1次。" in text
    # Training 30; volunteer 20 attended / 3 in service = 6; 张三 and 李奶奶, 2,645.67 yuan; 张三's medal.
    assert "累计培训党员30人次" in text and "人均在6次以上" in text
    assert "走访慰问2人、发放慰问金0.26万元；申报发放“光荣在党50年”纪念章1名。" in text
    # 张一, 张二 commended (张二 twice); branch_a an 先进基层党组织.
    assert "全年2名党员受到表彰，1个党组织获评“先进基层党组织”。" in text


def test_a_general_branch_counts_its_branches(built, staff_client):
    text = plain(build_summary(built.gb2, YEAR))
    # gb2: 县委办党支部 (founded 1 June 2021) with 张十.
    assert "总支部下设党支部1个" in text
    assert "共有党员1名，其中正式党员1名、预备党员0名" in text
    assert "表彰优秀共产党员0名" in text  # zero still prints


def test_an_empty_list_reads_naturally_in_the_committees_text(built):
    text = plain(build_summary(built.committee, 2022))  # no organization dissolved, no list issued
    assert "撤销党组织0个，新设立了" in text
    assert "下发抓基层党建工作责任清单0个，进一步明确了" in text
    assert "（）" not in text and "无（" not in text and "了无" not in text
    text = plain(build_summary(built.committee, YEAR))
    assert "撤销党组织1个（县自然资源局党总支部）" in text
    assert "下发抓基层党建工作责任清单2个（党工通〔2021〕3号、党工通〔2021〕5号）" in text


def test_readiness_lists_the_sentences_whose_numbers_are_all_zero(built, staff_client, secretary):
    url = reverse("reports:readiness", args=[built.br_c.pk, YEAR])
    html = staff_client.get(url).content.decode()
    section = html.split('id="check-zero_sentences"')[1].split("</section>")[0]
    found = re.findall(r"<span>(.*?)</span>", section, re.S)
    # 县委办党支部 in 2021: 张十 alone, no activity; the sentences with a number that is not 0 stay off.
    starts = [
        "认真贯彻落实《中国共产党发展党员工作细则》",
        "选派入党积极分子0名、发展对象0名",
        "严格执行“三会一课”制度",
        "支部结合主题党日研究安排意识形态工作0次",
        "组织党员参加各类培训，累计培训党员0人次",
        "落实“双报到双服务双报告”",
        "开展“七·一”走访慰问0人",
        "申报发放“光荣在党50年”纪念章0名",
        "坚持以先进典型引领党员队伍建设，全年0名",
    ]
    assert len(found) == len(starts)
    assert all(sentence.startswith(start) for sentence, start in zip(found, starts, strict=True)), found
    assert "发放慰问金0.00万元" in section and "缺项22次" not in section and "共有党员1名" not in section
    assert reverse("reports:edit", args=[built.br_c.pk, YEAR]) in section  # staff may change the text
    # A secretary sees the sentences too, without a link to an editor they may not use.
    secretary_client = Client()
    secretary_client.force_login(secretary)
    other = secretary_client.get(
        reverse("reports:readiness", args=[built.branch_a.pk, YEAR])
    ).content.decode()
    assert reverse("reports:edit", args=[built.branch_a.pk, YEAR]) not in other


def test_a_year_after_no_records_says_so(built, leader_client):
    """The county's records begin in 2020; 2019 has no activity, document or letter at all."""
    response = leader_client.get(reverse("reports:report", args=[built.committee.pk, 2020]))
    html = response.content.decode()
    body = html[html.index('id="report-body"') : html.index("</article>")]
    assert "（上年无记录）" in body and "+" not in body
    # 31 December 2020: R's central group study; no record in 2019 to compare with, nor to link to.
    row = html[html.index('data-code="central_group_study_sessions"') :].split("</tr>")[0]
    assert (
        "无记录" in row
        and reverse("reports:records", args=[built.committee.pk, 2019, "central_group_study_sessions"])
        not in row
    )
    sheet = load_workbook(io.BytesIO(workbook_bytes(build_summary(built.committee, 2020))))["指标"]
    last_year = {row[0]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert last_year["central_group_study_sessions"] == "无记录"
    assert isinstance(last_year["members_in_service"], int)  # members were on the roster on E of 2019


def test_the_old_default_sentences_of_saved_texts_are_rewritten(committee, staff):
    old = (
        "下发了《{{ year }}年度工委班子成员抓基层党建工作责任清单》等{{ lists_issued }}个清单（{{ lists_issued_numbers }}），"
        "进一步明确了任务。撤销了{{ orgs_dissolved_names }}（共{{ orgs_dissolved }}个），新设立了……"
    )
    report = AnnualReport.objects.create(organization=committee, year=2021, title="总结", text=old)
    untouched = AnnualReport.objects.create(organization=committee, year=2020, title="总结", text="撤销了A。")
    migration = importlib.import_module("reports.migrations.0003_default_text_lists_read_naturally")
    migration.forwards(apps, None)
    report.refresh_from_db()
    assert report.text == (
        "下发抓基层党建工作责任清单{{ lists_issued }}个（{{ lists_issued_numbers }}），进一步明确了任务。"
        "撤销党组织{{ orgs_dissolved }}个（{{ orgs_dissolved_names }}），新设立了……"
    )
    untouched.refresh_from_db()
    assert untouched.text == "撤销了A。"


def test_every_metric_of_a_branch_text_has_records_to_show(built):
    """Each number of the branch text links to a drill-down (the registry's records)."""
    from reports.metrics import ReportScope

    scope = ReportScope(built.branch_a, YEAR)
    used = {m.group(1).strip() for m in ANY_PLACEHOLDER.finditer(default_text(built.branch_a))} - {"year"}
    for code in used:
        assert REGISTRY[code].records(scope) is not None, code
    rows = REGISTRY["rhythm_missing"].records(scope)
    assert list(rows.values_list("name", flat=True)) == ["甲局机关党支部"]


def test_a_long_title_breaks_before_the_year_in_the_pdf(db):
    from pypdf import PdfReader

    from reports.outputs import pdf_bytes, title_lines

    assert title_lines("县卫生健康局机关第一党支部2021年工作总结") == [
        "县卫生健康局机关第一党支部",
        "2021年工作总结",
    ]
    assert title_lines("甲局机关党支部2021年工作总结") == ["甲局机关党支部2021年工作总结"]  # fits one line
    assert title_lines("一个没有年份却很长很长很长很长很长很长的标题") == [
        "一个没有年份却很长很长很长很长很长很长的标题"
    ]
    branch = OrganizationFactory(kind=Kind.BRANCH, name="县卫生健康局机关第一党支部")
    first_page = PdfReader(io.BytesIO(pdf_bytes(build_summary(branch, YEAR)))).pages[0].extract_text()
    assert first_page.startswith("县卫生健康局机关第一党支部\n2021年工作总结\n")

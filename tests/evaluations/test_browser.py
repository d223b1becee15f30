"""In Chromium: a branch secretary enters the branch's 民主评议党员 on a phone (a fourth 优秀 refused,
then saved), and staff print the assessment sheet, looked at as images (pdftoppm)."""

import datetime
import subprocess
from decimal import Decimal

import pytest

from activities.evaluations import services
from activities.evaluations.models import MemberGrade
from activities.models import Activity, ActivityKind
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def test_a_secretary_enters_the_appraisal_on_a_phone(phone_page, signed_in, secretary, branch_a, tmp_path):
    members = [MemberFactory(name=f"党员{i}", organization=branch_a) for i in range(1, 10)]
    MemberFactory(name="预备党员甲", organization=branch_a, status="PROBATIONARY", admitted_on=D(2026, 5, 1))
    Activity.objects.create(
        organization=branch_a,
        kind=ActivityKind.DEMOCRATIC_REVIEW,
        date=D(2026, 11, 20),
        title="2026年度民主评议党员",
    )
    page = phone_page
    signed_in(page, "secretary")
    page.goto("/evaluations/appraisals/?year=2026")
    page.click(f"#appraisal-organizations a[href*='/organization/{branch_a.pk}/']")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert "预备党员 · 不评定等次" in page.inner_text("#appraisal-members")
    page.select_option("#id_activity", label="2026-11-20 2026年度民主评议党员")
    for index, member in enumerate(members):
        page.select_option(f"#id_grade_{member.pk}", "EXCELLENT" if index < 4 else "QUALIFIED")
    page.click("#appraisal-form button[type=submit]")
    assert "优秀最多3人，现为4人" in page.inner_text("#appraisal-errors")
    page.screenshot(path=tmp_path / "appraisal-refused.png", full_page=True)
    assert not MemberGrade.objects.exists()

    page.select_option(f"#id_grade_{members[3].pk}", "QUALIFIED")
    page.click("#appraisal-form button[type=submit]")
    page.wait_for_url("**/evaluations/appraisals/**")
    assert "评定9人，优秀3人" in page.inner_text("#appraisal-organizations")
    page.screenshot(path=tmp_path / "appraisal-saved.png", full_page=True)
    assert MemberGrade.objects.filter(grade="EXCELLENT").count() == 3
    assert MemberGrade.objects.first().appraisal.activity.title == "2026年度民主评议党员"


def test_staff_print_the_assessment_sheet(page, signed_in, staff, committee, branch_a, branch_b, tmp_path):
    sheet = services.assessment_sheet_create(
        actor=staff, issuer=committee, year=2026, title="基层党建工作考核量化表", target_kind="ORGANIZATIONS"
    )
    items = [
        services.assessment_item_add(
            actor=staff, sheet=sheet, name=name, points=Decimal(points), criteria=criteria
        )
        for name, points, criteria in (
            ("“三会一课”落实情况", "30", "缺一次扣2分"),
            ("党员发展与教育管理", "25", "程序不规范扣5分"),
            ("党风廉政建设", "25", "未签订承诺书每人扣1分"),
            ("双报到及志愿服务", "20", "未报到每人扣1分"),
        )
    ]
    for organization, scores in ((branch_a, ("28", "22", "24", "18")), (branch_b, ("25", "20", "21", "15"))):
        target = services.assessment_target_add(actor=staff, sheet=sheet, organization=organization)
        services.assessment_scores_enter(
            actor=staff, target=target, scores=dict(zip(items, map(Decimal, scores), strict=True))
        )

    signed_in(page, "staff")
    page.goto(f"/evaluations/sheets/{sheet.pk}/")
    assert [c.strip() for c in page.locator("#ranking tbody tr").first.locator("td").all_inner_texts()][
        :2
    ] == [
        "1",
        "甲局机关党支部",
    ]
    page.screenshot(path=tmp_path / "page.png", full_page=True)
    with page.expect_download() as download:
        page.click("#print-pdf")
    pdf = tmp_path / "sheet.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(tmp_path / "sheet")], check=True)
    images = sorted(tmp_path.glob("sheet-*.png"))
    assert len(images) == 1 and images[0].stat().st_size > 10_000
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "中共测试县委县直机关工委" in text and "2026年度基层党建工作考核量化表" in text
    ranking = text.split("二、考核得分及排名")[1]
    header, first, second = [line.split() for line in ranking.splitlines() if line.strip()][:3]
    assert header == ["名次", "考核对象", "1", "2", "3", "4", "总分", "等次"]
    assert first == ["1", "甲局机关党支部", "28", "22", "24", "18", "92", "优秀"]
    assert second[:2] == ["2", "乙局机关党支部"] and second[-2:] == ["81", "良好"]

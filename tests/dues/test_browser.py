"""A secretary records a month's dues on a 390-px phone; staff download the publicity PDF and look
at it (the PDF is turned into a PNG with pdftoppm, as a person would open it)."""

import datetime
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from members.dues import services
from members.dues.models import DuesPayment
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

M = datetime.date
SHOTS = Path("var/screenshots")


@pytest.fixture
def branch_members(branch_a, staff):
    members = {}
    for name, base in (("王一", "3000"), ("李二", "5000.01"), ("张三", "12000"), ("赵四", None)):
        member = MemberFactory(organization=branch_a, name=name, admitted_on=M(2012, 5, 1))
        if base:
            services.base_set(actor=staff, member=member, start_month=M(2026, 1, 1), base=base)
        members[name] = member
    return members


def test_secretary_records_the_month_on_a_phone(phone_page, signed_in, secretary, branch_a, branch_members):
    page = phone_page
    signed_in(page, "secretary")
    page.goto("/dues/")  # a secretary lands on the branch's month
    assert page.inner_text("#month-label") == "2026年11月党费"
    assert "1 名党员没有缴费基数" in page.inner_text("#no-base-note")
    # One tap: 张三 paid November as due.
    page.locator(f'[data-member="{branch_members["张三"].pk}"] .pay-one').click()
    page.wait_for_load_state()
    assert "张三2026年11月党费240.00元" in page.inner_text("main")
    # One more tap: the rest of the branch paid as due (赵四 has no base and stays for later).
    page.click("#pay-all")
    page.wait_for_load_state()
    assert "已记录2名党员2026年11月的党费" in page.inner_text("main")
    assert page.inner_text("#total-paid") == "330.00"  # 15 + 75 + 240
    assert page.inner_text("#members-paid") == "3"
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dues-month-390.png"), full_page=True)
    # Several months at once, in advance: 王一 pays December and January.
    page.goto(f"/dues/member/{branch_members['王一'].pk}/pay/?month=2026-12")
    page.fill("#id_last_month", "2027-01")
    page.click("#dues-form button[type=submit]")
    page.wait_for_load_state()
    assert "2026年12月、2027年1月" in page.inner_text("main")
    months = DuesPayment.objects.filter(member=branch_members["王一"]).values_list("month", flat=True)
    assert sorted(months) == [M(2026, 11, 1), M(2026, 12, 1), M(2027, 1, 1)]
    # A month's payment ten times the due asks for confirmation first.
    page.goto(f"/dues/member/{branch_members['李二'].pk}/pay/?month=2026-10")
    page.fill("#id_amount", "800")
    page.click("#dues-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#confirm-note").is_visible()
    assert "每月实交金额（元）：2026年10月实交800.00元，超过应交75.00元的10倍" in page.inner_text("main")
    page.check("#id_confirmed")
    page.click("#dues-form button[type=submit]")
    page.wait_for_load_state()
    assert DuesPayment.objects.get(member=branch_members["李二"], month=M(2026, 10, 1)).amount == Decimal(
        "800.00"
    )


def test_staff_download_the_publicity_and_look_at_it(page, signed_in, staff, branch_a, branch_members):
    for member in branch_members.values():
        if member.name != "赵四":
            services.payment_record(
                actor=staff, member=member, months=[M(2026, 10, 1), M(2026, 11, 1)], paid_on=M(2026, 11, 20)
            )
    signed_in(page, "staff")
    page.goto(f"/dues/{branch_a.pk}/2026/11/")
    with page.expect_download() as download:
        page.click("#publicity-quarter-pdf")
    assert download.value.suggested_filename == "甲局机关党支部2026年第四季度党费收缴公示.pdf"
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SHOTS / "dues-publicity.pdf"
    shutil.copy(download.value.path(), pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "甲局机关党支部2026年第四季度党费收缴公示" in text.replace(" ", "").replace("\n", "")
    assert (
        "王一" in text and "240.00" in text and "未交" not in text
    )  # 赵四 has no base: owes nothing counted
    assert "11月实交" in text and "12月实交" not in text  # December has not begun on 24 November
    for member in branch_members.values():
        assert member.id_number not in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(SHOTS / "dues-publicity")], check=True
    )
    image = SHOTS / "dues-publicity.png"
    assert image.stat().st_size > 5000  # a drawn page, not a blank one

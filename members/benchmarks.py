"""Benchmarks of the members app (run by hand or by a `benchmark` command; never a timed test).

bench_import(12000) -> seconds to check and store a 12,000-row 党员 sheet (rolled back afterwards)
"""

import datetime
import io
import random
import time

from django.db import transaction

from members.idnumber import check_digit


def _sheet(rows, organization_names, seed=7):
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("党员")
    sheet.append(
        [
            "姓名",
            "性别",
            "公民身份号码",
            "民族",
            "学历",
            "所在党组织",
            "人员类别",
            "党员类别",
            "入党日期",
            "转正日期",
        ]
    )
    used = set()
    while len(used) < rows:
        birth = datetime.date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
        first17 = f"450322{birth:%Y%m%d}{rng.randint(0, 999):03d}"
        if first17 in used:
            continue
        used.add(first17)
        gender = "男" if int(first17[16]) % 2 else "女"
        admitted = birth.replace(year=birth.year + 25)
        sheet.append([
            f"测试{len(used)}", gender, first17 + check_digit(first17), "汉族", "大学本科",
            rng.choice(organization_names), "在职", "正式党员", admitted.isoformat(),
            admitted.replace(year=admitted.year + 1).isoformat(),
        ])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def bench_import(rows=12000):
    """Seconds to import `rows` members into the existing branches; nothing stays stored."""
    from jiguan.importing import import_workbook
    from organizations.models import Kind, Organization

    names = list(Organization.objects.active().filter(kind=Kind.BRANCH).values_list("name", flat=True))
    if not names:
        raise RuntimeError("no branch to import into: run seed_demo first")
    workbook = _sheet(rows, names)
    with transaction.atomic():
        started = time.perf_counter()
        report = import_workbook(workbook)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    if not report.ok:
        raise RuntimeError(f"benchmark sheet has errors: {report.errors[:3]}")
    return seconds

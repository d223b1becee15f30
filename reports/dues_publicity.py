"""党费收缴公示: a branch's dues of a month or a quarter, as a one-page official document (PDF, in the
project's GB/T 9704 layout, jiguan.pdf) and as a workbook sheet (reports.outputs.write_workbook).

Who paid how much for which months: each member of the branch at the end of a month of the period,
the amount paid for each month (whenever paid), the due and the total. ID numbers are never shown.
The rows come from the member-months of members.dues.selectors (one query).
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.template.loader import render_to_string

from jiguan import dates
from jiguan.dates import chinese_date
from jiguan.xlsx_writer import Sheet, write_workbook
from members.dues import selectors as dues
from members.dues.months import label, month_of, months_between
from members.models import Member
from organizations.models import Organization
from reports.outputs import title_lines

# The text block of GB/T 9704 is 225 mm high; what the title, the opening sentence and the
# signature leave for the table, and the table's font size between these bounds.
TABLE_HEIGHT_MM = 150
LARGEST_PT = 12
SMALLEST_PT = 7


@dataclasses.dataclass
class Period:
    year: int
    month: int | None = None
    quarter: int | None = None

    @property
    def months(self) -> list[datetime.date]:
        """The months of the period up to this month (a quarter in progress shows what has begun)."""
        if self.month:
            return [datetime.date(self.year, self.month, 1)]
        first = datetime.date(self.year, 3 * self.quarter - 2, 1)
        last = min(datetime.date(self.year, 3 * self.quarter, 1), month_of(dates.today()))
        return months_between(first, last) or [first]

    @property
    def label(self) -> str:
        if self.month:
            return f"{self.year}年{self.month}月"
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"


@dataclasses.dataclass
class Row:
    name: str
    paid: list  # per month: Decimal, or None when the member was not on the roster that month
    due: Decimal
    total: Decimal


@dataclasses.dataclass
class Publicity:
    organization: Organization
    period: Period
    rows: list[Row]
    due: Decimal
    paid: Decimal

    @property
    def title(self) -> str:
        return f"{self.organization.name}{self.period.label}党费收缴公示"


def publicity(organization: Organization, period: Period) -> Publicity:
    """The branch's members of each month of the period with what they paid. One query."""
    months = period.months
    sql, params = dues.facts_sql(months, in_s=([organization.pk], []))
    rows = dues._run(
        sql + f" SELECT f.member_id, f.m, f.due_cents, f.paid_cents, f.settled, mb.name AS name FROM f"
        f" JOIN {Member._meta.db_table} mb ON mb.id = f.member_id WHERE f.in_s = 1 ORDER BY mb.name, f.member_id",
        params,
    )
    by_member: dict[int, Row] = {}
    index = {m: i for i, m in enumerate(months)}
    for r in rows:
        row = by_member.setdefault(
            r["member_id"], Row(r["name"], [None] * len(months), Decimal("0.00"), Decimal("0.00"))
        )
        paid, due = dues.from_cents(r["paid_cents"]), dues.from_cents(r["due_cents"])
        if r["settled"]:
            cell = "转入前已交"
        elif not paid:
            cell = "未交" if due else "—"  # nothing due (no base): nothing owed either
        else:
            cell = paid
        row.paid[index[dues._as_date(r["m"])]] = cell
        row.due += due
        row.total += paid
    members = list(by_member.values())
    return Publicity(
        organization=organization,
        period=period,
        rows=members,
        due=sum((r.due for r in members), Decimal("0.00")),
        paid=sum((r.total for r in members), Decimal("0.00")),
    )


def _cell(value):
    if value is None:
        return "—"
    return value


def table_font_pt(rows: int) -> float:
    """The table's font size for one page: 12 pt for a small branch, smaller for a large one."""
    row_mm = TABLE_HEIGHT_MM / (rows + 2)  # header and total rows
    size = (row_mm - 1.2) / (0.3528 * 1.35)
    return round(max(SMALLEST_PT, min(LARGEST_PT, size)), 1)


def pdf_bytes(item: Publicity) -> bytes:
    from jiguan.pdf import official_css, render_pdf

    today = dates.today()
    html = render_to_string(
        "reports/pdf/dues_publicity.html",
        {
            "css": official_css(),
            "title": item.title,
            "title_lines": title_lines(item.title),
            "item": item,
            "month_labels": [f"{m.month}月" for m in item.period.months],
            "rows": [[_cell(p) for p in r.paid] for r in item.rows],
            "members": item.rows,
            "font_pt": table_font_pt(len(item.rows)),
            "today": chinese_date(today),
            "until": chinese_date(today + datetime.timedelta(days=7)),
        },
    )
    return render_pdf(html)


def sheet(item: Publicity) -> Sheet:
    """The same table as a workbook sheet."""
    months = [label(m) for m in item.period.months]
    rows = [
        [
            number,
            r.name,
            *[_cell(p) if not isinstance(p, Decimal) or not p else p for p in r.paid],
            r.due,
            r.total,
        ]
        for number, r in enumerate(item.rows, start=1)
    ]
    rows.append(["", "合计", *[""] * len(months), item.due, item.paid])
    return Sheet(
        "党费收缴公示",
        ["序号", "姓名", *[f"{m}实交（元）" for m in months], "应交（元）", "实交合计（元）"],
        rows,
    )


def workbook_bytes(item: Publicity) -> bytes:
    return write_workbook([sheet(item)])

"""The dues metrics of METRICS.md ("Beyond the seed's blanks"): registered with the registry of
reports.metrics (imported by the package after the seed's and the organizations' sections), computed
from the member-months of members.dues.selectors in ONE query per scope (``dues_summary``, which
also gives the months and the organizations the dashboard and the workbook show, and is stored
like the 三会一课 record), so ``compute_all`` keeps a fixed number of queries.

The drill-down lists the members behind each number; its table reads, for the members of the page
only, their due and paid months of Y (one query per page).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.db.models.expressions import RawSQL
from django.urls import reverse

from members.dues import facts
from members.dues import selectors as dues
from members.dues.months import months_of_year
from members.models import Member
from organizations.models import Organization
from reports.metrics.cache import per_scope
from reports.metrics.registry import Percent, from_scope
from reports.metrics.scope import ReportScope


def _in_s(scope: ReportScope):
    whole, parts = scope._whole_year_and_parts
    return whole, parts


def _year_sql(scope: ReportScope):
    """The scope's year summed per member (`per`) and per organization-month (`om`): see
    members.dues.facts.live_year_sql for the columns."""
    return dues.year_sql(scope.year, in_s=_in_s(scope))


# Which members each metric stands on (a condition on `per`).
CONDITIONS = {
    "dues_due_yuan": "ever_in_s = 1 AND due_s > 0",
    "dues_paid_yuan": "ever_in_s = 1 AND paid_s > 0",
    "dues_paid_percent": "ever_in_s = 1 AND (due_s > 0 OR paid_s > 0)",
    "dues_members_in_arrears": "on_e = 1 AND short_months > 0",
    "dues_members_six_months_unpaid": "on_e = 1 AND h2_unpaid = 6",
}


def dues_summary(scope: ReportScope) -> dict:
    """Everything the report, its workbook and the dashboard read of the scope's dues, from ONE
    query over the year's sums per member and per organization-month (shared through the cache like
    the metrics): the totals and the counts of the five numbers, the due and paid of each month, and
    for each organization of S its due and paid and its members in arrears on E (ordered by name)."""
    held = scope.__dict__.get("_dues_summary")  # the five numbers read it five times
    if held is None:
        held = scope.__dict__["_dues_summary"] = _stored_summary(scope)
    return held


@per_scope("dues:summary")
def _stored_summary(scope: ReportScope) -> dict:
    sql, params = _year_sql(scope)
    table = Organization._meta.db_table
    # The members in arrears and six months unpaid are summed per member among those with a month
    # short only (`owing`, a few of the year's members: grouping every member was the query's
    # largest part); the totals are the sums of the months (`om`, the organizations' months in S:
    # the same cents as the members' rows in S, which the query read twice more for them, 36 of
    # its 240 ms at 10x). Each organization's due and paid (its months in S) and its members in
    # arrears on E in one grouping of both: joined, SQLite read the members in arrears again for
    # each organization (2,400 x 2,000 rows at 4x, 85 ms).
    arrears, six = CONDITIONS["dues_members_in_arrears"], CONDITIONS["dues_members_six_months_unpaid"]
    sql += (
        f",{facts.per_cte('owing', owing_only=True)},"
        " by_org AS (SELECT org, SUM(due) AS due, SUM(paid) AS paid, SUM(n) AS n FROM ("
        "SELECT org, due_cents AS due, paid_cents AS paid, 0 AS n, 1 AS in_om FROM om"
        f" UNION ALL SELECT org_e, 0, 0, 1, 0 FROM owing WHERE {arrears}"
        ") AS rows GROUP BY org HAVING MAX(in_om) = 1)"
    )
    rows = dues._run(
        sql + " SELECT 0 AS part, CAST(NULL AS DATE) AS m, CAST(NULL AS TEXT) AS name,"
        " CAST(NULL AS BIGINT) AS due, CAST(NULL AS BIGINT) AS paid,"
        f" SUM(CASE WHEN {arrears} THEN 1 ELSE 0 END) AS n,"
        f" SUM(CASE WHEN {six} THEN 1 ELSE 0 END) AS six,"
        " CAST(NULL AS BIGINT) AS pk FROM owing"
        " UNION ALL SELECT 1, m, NULL, SUM(due_cents), SUM(paid_cents), NULL, NULL, NULL FROM om GROUP BY m"
        " UNION ALL SELECT 2, NULL, o.name, by_org.due, by_org.paid, by_org.n, NULL, o.id"
        f" FROM by_org JOIN {table} o ON o.id = by_org.org"
        " ORDER BY 1, 2, 3",
        params,
    )
    total = next(r for r in rows if r["part"] == 0)
    by_month = {
        dues._as_date(r["m"]): (dues.from_cents(r["due"]), dues.from_cents(r["paid"]))
        for r in rows
        if r["part"] == 1
    }
    return {
        # The year's due and paid in S: the sums of its months (each organization's months in S).
        "due": sum((due for due, _ in by_month.values()), Decimal("0.00")),
        "paid": sum((paid for _, paid in by_month.values()), Decimal("0.00")),
        "arrears": int(total["n"] or 0),
        "six": int(total["six"] or 0),
        "by_month": [
            (m, *by_month.get(m, (Decimal("0.00"), Decimal("0.00")))) for m in months_of_year(scope.year)
        ],
        "by_organization": [
            (r["pk"], r["name"], dues.from_cents(r["due"]), dues.from_cents(r["paid"]), int(r["n"]))
            for r in rows
            if r["part"] == 2
        ],
    }


def dues_values(scope: ReportScope) -> dict:
    """The five numbers for the scope (from the summary)."""
    summary = dues_summary(scope)
    due, paid = summary["due"], summary["paid"]
    return {
        "dues_due_yuan": due,
        "dues_paid_yuan": paid,
        "dues_paid_percent": percent(paid, due),
        "dues_members_in_arrears": summary["arrears"],
        "dues_members_six_months_unpaid": summary["six"],
    }


def percent(paid: Decimal, due: Decimal) -> Percent:
    """paid / due × 100, one decimal, rounded half up; 0 when nothing is due."""
    if not due:
        return Percent("0.0")
    return Percent((paid * 100 / due).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def dues_by_month(scope: ReportScope) -> list[tuple[datetime.date, Decimal, Decimal]]:
    """(month, due, paid) of each month of Y for the members of S that month (from the summary)."""
    return dues_summary(scope)["by_month"]


def member_year_rows(scope: ReportScope, member_ids) -> dict[int, dict]:
    """For the members of a drill-down page: due and paid in S in Y, and the months short by E."""
    member_ids = list(member_ids)
    result = {pk: {"due": Decimal("0.00"), "paid": Decimal("0.00"), "short": []} for pk in member_ids}
    if not member_ids:
        return result
    sql, params = dues.facts_sql(
        months_of_year(scope.year), end=scope.end, in_s=_in_s(scope), member_ids=member_ids
    )
    rows = dues._run(
        sql + " SELECT member_id, m, in_s, due_cents, paid_cents,"
        " CASE WHEN due_cents > paid_by_cents THEN 1 ELSE 0 END AS short FROM f ORDER BY member_id, m",
        params,
    )
    for row in rows:
        entry = result[row["member_id"]]
        if row["in_s"]:
            entry["due"] += dues.from_cents(row["due_cents"])
            entry["paid"] += dues.from_cents(row["paid_cents"])
        if row["short"]:
            entry["short"].append(dues._as_date(row["m"]))
    return result


def _records(code):
    def records(scope: ReportScope, rows=None):
        sql, params = _year_sql(scope)
        ids = RawSQL(sql + f" SELECT member_id FROM per WHERE {CONDITIONS[code]}", params)
        queryset = (
            Member.objects.filter(pk__in=ids)
            .select_related("organization")
            .order_by("organization_id", "name_order", "name", "pk")
        )
        queryset.dues_scope = scope  # read by reports.tables.DuesMemberRecords
        return queryset

    return records


# Each definition (口径) as users read it.
DEFINITIONS = {
    "dues_due_yuan": "当年每个月月底在本组织及下级党组织在册的党员，按当月有效的缴费基数和缴费类别、"
    "依规定比例（学生、下岗失业、低保党员每月0.2元）计算的应交党费之和，精确到分；没有缴费基数的党员不计"
    "（准备情况核对中列出）。",
    "dues_paid_yuan": "上述党员为当年各月交纳的党费之和（按所属月份计，不论何时交纳；已作废的记录不计）。",
    "dues_paid_percent": "全年实交党费 ÷ 全年应交党费 × 100，保留一位小数、四舍五入；无应交时为0。",
    "dues_members_in_arrears": "12月31日在册的本组织及下级党员中，当年有某个月到12月31日仍少交或未交党费的人数。",
    "dues_members_six_months_unpaid": "12月31日在册的本组织及下级党员中，当年7月至12月每月均应交纳、"
    "到12月31日分文未交的人数（仅作提醒，是否按自行脱党处理由党支部决定）。",
}


def _register(code, label, kind, doc):
    def value(scope):
        return dues_values(scope)[code]

    value.__doc__ = doc
    from_scope(
        code,
        label,
        definition=DEFINITIONS[code],
        presence="members_on_end",
        records=_records(code),
        kind=kind,
    )(value)


_register(
    "dues_due_yuan",
    "全年应交党费（元）",
    Decimal,
    """for every month M of Y and every member of S in M: the due for M by the rates of DOMAIN.md
    from the base in force in M and the member's dues class in M; summed, to 0.01 yuan (a member
    with no base in force adds nothing, and the readiness check lists them)""",
)
_register(
    "dues_paid_yuan",
    "全年实交党费（元）",
    Decimal,
    """payments for months of Y by members of S in that month, whenever paid""",
)
_register(
    "dues_paid_percent",
    "党费交纳率（%）",
    Decimal,
    """`dues_paid_yuan` / `dues_due_yuan` × 100, one decimal, rounded half up; 0 when nothing is
    due""",
)
_register(
    "dues_members_in_arrears",
    "欠交党费党员人数",
    int,
    """members of S on E with a month of Y for which less than the due was paid by E""",
)
_register(
    "dues_members_six_months_unpaid",
    "连续6个月未交党费党员人数",
    int,
    """members of S on E for whom each of July–December of Y was due and nothing at all had been
    paid for it by E""",
)

DUES_CODES = list(CONDITIONS)


# ---- readiness ----------------------------------------------------------------------------------


def _first_members(records, limit: int) -> list:
    """The first `limit` of `records` (members ordered by their own fields), their organizations
    joined to those alone: the pks are chosen in a subquery, in the same order.

    Joined to every member of the county before the limit, PostgreSQL planned from its estimates,
    which these conditions defeat: a condition on sums (连续6个月未交党费) is taken for one member, and
    it joined each organization to every member found by a loop (4x, all 46,812 unpaid in 2026:
    2,400 x 46,812 comparisons, 47 s of the readiness's 49 s); the members without a base, estimated
    at 1,529 of 46,770, were sorted whole on disk to be merged with the organizations (4x: 0.5 s)."""
    return list(
        Member.objects.filter(pk__in=records.values("pk")[:limit])
        .select_related("organization")
        .order_by(*records.query.order_by)  # the order they were chosen in
    )


def readiness_checks(
    scope: ReportScope, limit: int, check_class, finding_class, check_day, *, may_write=True
) -> list:
    """The dues checks of the readiness page: members with no base in force (they add nothing to
    dues_due_yuan), and members of S on E with July–December unpaid (自行脱党 is the branch's
    decision; the system only warns). Two queries."""
    from jiguan.dates import chinese_date

    day = check_day(scope)
    subtree = Organization.objects.subtree_of(scope.root, day).values("pk")
    no_base = _first_members(dues.members_without_base(subtree, day), limit)
    unpaid = _first_members(REGISTRY_RECORDS["dues_members_six_months_unpaid"](scope), limit)
    return [
        check_class(
            "dues_no_base",
            "没有缴费基数的党员",
            f"{chinese_date(day)}所在月份没有有效缴费基数的在册党员，其应交党费不计入全年应交党费。",
            [
                finding_class(
                    f"{m.name}（{m.organization.name}）",
                    reverse("dues:base_create", args=[m.pk]) if may_write else "",
                    "核定缴费基数",
                )
                for m in no_base
            ],
        ),
        check_class(
            "dues_six_months_unpaid",
            "连续6个月未交党费的党员",
            "当年7月至12月每月均应交纳而分文未交。按规定可视为自行脱党，须由党支部研究决定，系统不会自动除名。",
            [
                finding_class(
                    f"{m.name}（{m.organization.name}）", reverse("dues:member", args=[m.pk]), "查看交纳情况"
                )
                for m in unpaid
            ],
        ),
    ]


REGISTRY_RECORDS = {code: _records(code) for code in CONDITIONS}


# ---- the dashboard ------------------------------------------------------------------------------


def arrears_by_organization(scope: ReportScope) -> list[tuple[SimpleNamespace, int]]:
    """(organization on E (pk, name), members of S on E in arrears for Y), most first (from the
    summary: a member in arrears on E is counted in the organization of their December, which has
    their December among its member-months)."""
    by_name = [row for row in dues_summary(scope)["by_organization"] if row[4]]
    by_name.sort(key=lambda row: -row[4])  # stable: the same count stays in name order
    return [(SimpleNamespace(pk=pk, name=name), n) for pk, name, _, _, n in by_name]


def dues_by_month_chart(rows, *, title="各月应交与实交党费（元）", **options):
    import pygal

    from reports import charts

    chart = pygal.Bar(**charts._config(title=title, print_values=False, **options))
    chart.x_labels = charts.MONTH_LABELS
    chart.add("应交", [float(due) for _, due, _ in rows])
    chart.add("实交", [float(paid) for _, _, paid in rows])
    return charts.render(chart)


ARREARS_BRANCHES_SHOWN = 20


def dashboard_context(scope: ReportScope) -> dict:
    """The dashboard's dues: due and paid by month (chart), arrears by branch (the summary)."""
    by_branch = arrears_by_organization(scope)
    return {
        "chart": dues_by_month_chart(dues_by_month(scope)),
        "by_branch": by_branch[:ARREARS_BRANCHES_SHOWN],
        "branches_in_arrears": len(by_branch),
    }


# ---- the report workbook ------------------------------------------------------------------------

WORKBOOK_HEADERS = ["党组织", "应交（元）", "实交（元）", "交纳率（%）", "年底欠交党员人数"]


def rows_by_organization(scope: ReportScope) -> list[list]:
    """The 党费收缴 sheet: for each organization of S, the due and paid of the months its members
    belonged to it, the rate, and its members in arrears on E (from the summary)."""
    return [
        [name, due, paid, percent(paid, due), n]
        for _, name, due, paid, n in dues_summary(scope)["by_organization"]
    ]

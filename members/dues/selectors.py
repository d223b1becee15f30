"""Reads of the dues: the month of a branch, a member's months, arrears and the six-month warning.

Everything that needs "the due of every member in every month" reads it from ``month_facts``: one
SQL statement that builds the member-months (each month whose last day the member spends on the
roster, in the organization of that day) with the base in force and what was paid for the month,
and aggregates them in the database. Pages and metrics never loop over rows to count.
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from jiguan import data_version, dates
from jiguan.dated import in_force_q
from jiguan.dates import add_months
from members.dues import rules
from members.dues.models import DuesBase, DuesPayment, PaymentKind
from members.dues.months import month_end, month_of, months_between
from members.models import Member, MemberEvent, MemberEventKind, MemberVersion
from organizations.models import Kind
from organizations.scoping import organization_of

CENT = Decimal("0.01")


def yuan(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def from_cents(value) -> Decimal:
    """Yuan from a whole number of cents (the member-months' money, see ``facts_sql``)."""
    return (Decimal(int(value or 0)) / 100).quantize(CENT)


def _cents_sql(column: str) -> str:
    """`column` (yuan, two decimals) as whole cents: the member-months add and compare integers,
    exact on both databases (SQLite stores a decimal as a float, so sums of yuan came out a
    fraction of a cent off), and faster than numeric on PostgreSQL (the county's year at 1x:
    about a sixth of its time)."""
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


# ---- one member, one month ----------------------------------------------------------------------


def base_in_force(member_ref, month) -> "DuesBase.objects":
    """The base of `member_ref` (a pk or an OuterRef) in force in `month` (at most one row)."""
    return DuesBase.objects.filter(member=member_ref).filter(
        in_force_q(month, start="start_month", end="until_month")
    )


def live_payments():
    return DuesPayment.objects.filter(voided_on__isnull=True)


def _paid_sum(member_ref, month):
    paid = (
        live_payments()
        .filter(member=member_ref, month=month, kind=PaymentKind.PAID)
        .values("member")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(paid, output_field=DecimalField(max_digits=10, decimal_places=2)),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=10, decimal_places=2),
    )


def month_sheet(organization, month: datetime.date):
    """The members of `organization` on the last day of `month` (those who owe dues that month),
    each with `due` (None: no base), `dues_class`, `paid`, `settled` (paid before a transfer in)
    and `last_paid_on`. One query."""
    month = month_of(month)
    base = base_in_force(OuterRef("pk"), month)
    payments = live_payments().filter(member=OuterRef("pk"), month=month)
    return (
        Member.objects.as_of(month_end(month), within=organization.pk)
        .annotate(
            due=Subquery(base.values("due")[:1]),
            dues_class=Subquery(base.values("dues_class")[:1]),
            paid=_paid_sum(OuterRef("pk"), month),
            settled=Exists(payments.filter(kind=PaymentKind.CARRIED)),
            last_paid_on=Subquery(
                payments.filter(kind=PaymentKind.PAID).order_by("-paid_on").values("paid_on")[:1]
            ),
        )
        .order_by("name_order", "name", "pk")
    )


@dataclass
class SheetTotals:
    members: int
    due: Decimal
    paid: Decimal
    members_paid: int
    no_base: int


def sheet_totals(sheet) -> SheetTotals:
    """The month's totals, aggregated in the database (one query)."""
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=10, decimal_places=2))
    raw = sheet.order_by().aggregate(
        total_members=Count("pk"),
        total_due=Sum(Case(When(settled=True, then=zero), default=Coalesce("due", zero))),
        total_paid=Sum("paid"),
        total_members_paid=Count("pk", filter=Q(settled=True) | Q(due__isnull=False, paid__gte=F("due"))),
        total_no_base=Count("pk", filter=Q(due__isnull=True, settled=False)),
    )
    return SheetTotals(
        members=raw["total_members"],
        due=yuan(raw["total_due"]),
        paid=yuan(raw["total_paid"]),
        members_paid=raw["total_members_paid"],
        no_base=raw["total_no_base"],
    )


def member_bases(member):
    return DuesBase.objects.filter(member=member).order_by("-start_month")


def member_payments(member):
    """Every payment of the member, voided ones included (they stay, marked), newest month first."""
    return (
        DuesPayment.objects.filter(member=member)
        .select_related("organization")
        .order_by("-month", "-paid_on", "-id")
    )


def paid_up_to(member) -> datetime.date | None:
    """交至年月: the last month of the unbroken run of settled months that ends the member's dues
    record (each month from the first due month on, paid in full or settled before a transfer);
    None when no month is settled. Read from ``member_month_rows`` (one query)."""
    last = None
    for row in member_month_rows(member, first=None, last=None):
        if row.settled_in_full:
            last = row.month
        elif row.due:
            break
    return last


@dataclass
class MemberMonth:
    month: datetime.date
    organization_id: int | None
    due: Decimal | None
    paid: Decimal
    settled: bool

    @property
    def settled_in_full(self):
        return self.settled or (self.due is not None and self.paid >= self.due)

    @property
    def owed(self) -> Decimal:
        if self.settled or self.due is None:
            return Decimal(0)
        return max(self.due - self.paid, Decimal(0))


def member_month_rows(member, *, first=None, last=None) -> list[MemberMonth]:
    """The member's months from `first` (default: the month of 入党日期) to `last` (default: the
    later of this month and the last month paid for), with the due and what was paid. Months off
    the roster are left out. One query."""
    first = month_of(first or member.admitted_on)
    if last is None:
        latest = live_payments().filter(member=member).order_by("-month").values_list("month", flat=True)
        today = month_of(dates.today())
        last = max([today, *latest[:1]])
    months = months_between(first, last)
    if not months:
        return []
    rows = month_facts(months, member_ids=[member.pk], end=None)
    return [
        MemberMonth(
            month=row["month"],
            organization_id=row["organization_id"],
            due=row["due"],
            paid=row["paid"],
            settled=row["settled"],
        )
        for row in rows
    ]


# ---- member-months in SQL -----------------------------------------------------------------------


def _date_sql():
    return "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"


def _months_cte(months):
    """The months as a VALUES list (not a UNION: SQLite caps compound selects at 500 terms, and a
    member admitted in 1980 has more months than that)."""
    date = _date_sql()
    params = []
    for month in months:
        params.extend([month, month_end(month)])
    values = ", ".join([f"({date}, {date})"] * len(months))
    return f"months(m, e) AS (VALUES {values})", params


def _tables():
    return {
        "version": MemberVersion._meta.db_table,
        "member": Member._meta.db_table,
        "base": DuesBase._meta.db_table,
        "payment": DuesPayment._meta.db_table,
    }


# Up to this many organizations, PostgreSQL is given the members as an array (see _member_among).
ARRAY_UP_TO_ORGANIZATIONS = 200


def _member_among(subquery, organizations: int):
    """`` AND v.member_id`` among the members of `subquery`, the members of `organizations`
    organizations (facts_sql puts it on the bases and payments too).

    On PostgreSQL, for a few organizations, as an array computed first: given IN (subquery), it
    guesses several times as many members as a 机关党委 has and reads the whole county's payments
    of the window to hash-join them (a 机关党委 at 1x: 0.11 s -> 0.04 s); with the array it looks
    each member's months up in the index on (member, month). Not for many: an array is searched
    element by element wherever a row is checked against it (a bitmap's recheck, a filter), so the
    county's 120,000 members at 10x made each of its 1.4 million payments of the year a search of
    120,000 ids (the dues numbers took 521 s); there the semi-join hashes them once."""
    if connection.vendor == "postgresql" and organizations <= ARRAY_UP_TO_ORGANIZATIONS:
        return f" AND v.member_id = ANY(ARRAY({subquery}))"
    return f" AND v.member_id IN ({subquery})"


def facts_sql(months, *, end=None, member_ids=None, in_s=None, on_roster_in=None):
    """SQL (and params) of the member-months `f(member_id, m, e, org, in_s, due_cents, paid_cents,
    paid_by_cents, settled, has_base)` for `months`, the money in whole cents (``from_cents``):

    - a row for each month whose last day the member spent on the roster (入党日期 on or before it,
      a membership stretch covering it), `org` the organization of that day;
    - `due_cents` the due of the base in force in the month (0 when none, `has_base` 0; 0 when the
      month was settled before a transfer in, `settled` 1);
    - `paid_cents` what was paid for the month (voided payments left out), `paid_by_cents` what of
      it was paid on or before `end` (all of it when `end` is None);
    - `in_s` 1 when `in_s` (a pair: organization ids in S all the time, and (id, from, to)
      stretches) places `org` in S on the month's last day (1 for every row when `in_s` is None);
    - with `on_roster_in` (organization ids), only the members whose membership stretch covering
      the last month's last day is with one of them: the others' months are never expanded (a
      branch's warning reads its own members' months, not the county's);
    - with `in_s` (and no `member_ids`), only the members with a membership stretch in one of its
      organizations at some month's last day: a member with no month in S has only `in_s` 0 rows,
      which no reader of `in_s` counts, so a subtree's numbers read its own members' months (and
      payments), not the county's.
    """
    t = _tables()
    date = _date_sql()
    months_cte, params = _months_cte(months)
    member_filter = ""
    member_params = []
    if member_ids is not None:
        member_filter = (
            f" AND v.member_id IN ({', '.join(['%s'] * len(member_ids))})" if member_ids else " AND 1=0"
        )
        member_params = list(member_ids)
    if on_roster_in is not None:
        on_roster_in = list(on_roster_in)
        if not on_roster_in:
            member_filter += " AND 1=0"
        else:
            last_day = month_end(months[-1])
            member_filter += _member_among(
                f"SELECT w.member_id FROM {t['version']} w"
                f" WHERE w.organization_id IN ({', '.join(['%s'] * len(on_roster_in))})"
                f" AND w.valid_from <= {date} AND (w.valid_to IS NULL OR w.valid_to > {date})",
                len(on_roster_in),
            )
            member_params += [*on_roster_in, last_day, last_day]
    if in_s is not None and member_ids is None:
        organizations = sorted({*in_s[0], *(org_id for org_id, _, _ in in_s[1])})
        if not organizations:
            member_filter += " AND 1=0"
        else:
            # From the organizations' stretches (index on organization, valid_from), not the county's.
            member_filter += _member_among(
                f"SELECT w.member_id FROM {t['version']} w"
                f" WHERE w.organization_id IN ({', '.join(['%s'] * len(organizations))})"
                f" AND w.valid_from <= {date} AND (w.valid_to IS NULL OR w.valid_to > {date})",
                len(organizations),
            )
            member_params += [*organizations, month_end(months[-1]), month_end(months[0])]
    in_s_sql, in_s_params = "1", []
    if in_s is not None:
        whole, parts = in_s
        conditions = []
        if whole:
            conditions.append(f"v.organization_id IN ({', '.join(['%s'] * len(whole))})")
            in_s_params.extend(whole)
        for org_id, f, t_ in parts:
            conditions.append(f"(v.organization_id = %s AND months.e >= {date} AND months.e < {date})")
            in_s_params.extend([org_id, f, t_])
        in_s_sql = ("CASE WHEN " + " OR ".join(conditions) + " THEN 1 ELSE 0 END") if conditions else "0"
    # The member-months on the roster, each with the base in force joined (a member has at most one
    # base in a month, so whatever plan a database picks pairs a month with one base), then with
    # what was paid for it (see _paid_sql).
    sql = (
        f"WITH {months_cte},"
        f" mm AS (SELECT v.member_id AS member_id, months.m AS m, months.e AS e,"
        f"  v.organization_id AS org, {in_s_sql} AS in_s,"
        f"  COALESCE({_cents_sql('b.due')}, 0) AS due, CASE WHEN b.id IS NULL THEN 0 ELSE 1 END AS has_base"
        f"  FROM months JOIN {t['version']} v ON v.valid_from <= months.e"
        f"   AND (v.valid_to IS NULL OR v.valid_to > months.e)"
        f"  JOIN {t['member']} mb ON mb.id = v.member_id AND mb.admitted_on <= months.e"
        f"  LEFT JOIN {t['base']} b ON b.member_id = v.member_id AND b.start_month <= months.m"
        f"   AND (b.until_month IS NULL OR b.until_month > months.m)"
        f"  WHERE 1=1{member_filter}),"
    )
    paid_sql, paid_params = _paid_sql(
        months, end, member_filter.replace("v.member_id", "p.member_id"), member_params
    )
    return sql + paid_sql, [*params, *in_s_params, *member_params, *paid_params]


def _paid_sql(months, end, payment_filter, filter_params):
    """The `f` of facts_sql from its member-months `mm` and the payments of the window: summed by
    (member, month), voided payments left out, a month settled before a transfer in owing nothing,
    `paid_by_cents` what was paid on or before `end` (all of it when `end` is None).

    PostgreSQL joins the payments to the member-months by member and month (a hash join; the
    county's dues at 4x 4.0-4.2 -> 2.7-2.9 s, at 1x 0.72-0.75 -> 0.68-0.72 s). SQLite, given that
    join, looks each member-month's payments up in the index, slower than one pass over the
    window's payments added to the member-months as a stream and summed by (member, month)
    (0.87 s at 1x against 1.08 s), so it gets the stream."""
    t = _tables()
    date = _date_sql()
    amount = _cents_sql("p.amount")
    paid_by, paid_by_params = amount, []
    if end is not None:
        paid_by, paid_by_params = f"CASE WHEN p.paid_on <= {date} THEN {amount} ELSE 0 END", [end]
    window = [months[0], months[-1]]
    if connection.vendor == "postgresql":
        sql = (
            " f AS (SELECT mm.member_id AS member_id, mm.m AS m, MAX(mm.e) AS e, MAX(mm.org) AS org,"
            "  MAX(mm.in_s) AS in_s,"
            "  CASE WHEN MAX(CASE WHEN p.kind = 'CARRIED' THEN 1 ELSE 0 END) = 1 THEN 0 ELSE MAX(mm.due) END"
            "  AS due_cents,"
            f"  SUM(CASE WHEN p.kind = 'PAID' THEN {amount} ELSE 0 END) AS paid_cents,"
            f"  SUM(CASE WHEN p.kind = 'PAID' THEN {paid_by} ELSE 0 END) AS paid_by_cents,"
            "  MAX(CASE WHEN p.kind = 'CARRIED' THEN 1 ELSE 0 END) AS settled, MAX(mm.has_base) AS has_base"
            f"  FROM mm LEFT JOIN {t['payment']} p ON p.member_id = mm.member_id AND p.month = mm.m"
            f"   AND p.voided_on IS NULL AND p.month >= {date} AND p.month <= {date}"
            "  GROUP BY mm.member_id, mm.m)"
        )
        return sql, [*paid_by_params, *window]
    sql = (
        " pm AS (SELECT p.member_id AS member_id, p.month AS m,"
        f"  CASE WHEN p.kind = 'PAID' THEN {amount} ELSE 0 END AS paid,"
        f"  CASE WHEN p.kind = 'PAID' THEN {paid_by} ELSE 0 END AS paid_by,"
        "  CASE WHEN p.kind = 'CARRIED' THEN 1 ELSE 0 END AS settled"
        f"  FROM {t['payment']} p WHERE p.voided_on IS NULL AND p.month >= {date} AND p.month <= {date}"
        f"{payment_filter}),"
        " u AS (SELECT member_id, m, e, org, in_s, 1 AS on_roster, due, has_base,"
        "  0 AS paid, 0 AS paid_by, 0 AS settled FROM mm"
        "  UNION ALL SELECT member_id, m, NULL, NULL, 0, 0, 0, 0, paid, paid_by, settled FROM pm),"
        " f AS (SELECT member_id, m, MAX(e) AS e, MAX(org) AS org, MAX(in_s) AS in_s,"
        "  CASE WHEN MAX(settled) = 1 THEN 0 ELSE SUM(due) END AS due_cents,"
        "  SUM(paid) AS paid_cents, SUM(paid_by) AS paid_by_cents, MAX(settled) AS settled,"
        "  MAX(has_base) AS has_base"
        "  FROM u GROUP BY member_id, m HAVING MAX(on_roster) = 1)"
    )
    return sql, [*paid_by_params, *window, *filter_params]


def _run(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def month_facts(months, *, member_ids=None, end=None) -> list[dict]:
    """The member-months of ``facts_sql`` as dicts (month, member_id, organization_id, due (None
    without a base), paid, settled), ordered by member and month."""
    sql, params = facts_sql(months, end=end, member_ids=member_ids)
    rows = _run(
        sql
        + " SELECT member_id, m, org, due_cents, paid_cents, settled, has_base FROM f ORDER BY member_id, m",
        params,
    )
    return [
        {
            "member_id": row["member_id"],
            "month": _as_date(row["m"]),
            "organization_id": row["org"],
            "due": from_cents(row["due_cents"]) if row["has_base"] or row["settled"] else None,
            "paid": from_cents(row["paid_cents"]),
            "settled": bool(row["settled"]),
        }
        for row in rows
    ]


# ---- arrears and the warning --------------------------------------------------------------------


def arrears_window(today=None) -> list[datetime.date]:
    """The complete months the arrears list looks at: the ARREARS_WINDOW_MONTHS before this one."""
    this_month = month_of(today or dates.today())
    count = int(rules.rules()["ARREARS_WINDOW_MONTHS"])
    return months_between(add_months(this_month, -count), add_months(this_month, -1))


def warning_window(today=None) -> list[datetime.date]:
    """The complete months the six-months-unpaid warning looks at: the last UNPAID_WARNING_MONTHS."""
    this_month = month_of(today or dates.today())
    return months_between(add_months(this_month, -rules.warning_months()), add_months(this_month, -1))


def _per_member_sql(months, *, organization_ids=None, end=None):
    """Per member on the roster at the end of the last of `months` (in `organization_ids` then,
    when given): months short (less than the due paid), amount owed, months unpaid with nothing
    paid at all, months owed something (due > 0), and their organization on that day."""
    sql, params = facts_sql(months, end=end, on_roster_in=organization_ids)
    last = months[-1]
    date = _date_sql()
    organization_filter = ""
    organization_params = []
    if organization_ids is not None:
        organization_ids = list(organization_ids)
        if not organization_ids:
            organization_filter = " AND 1=0"
        else:
            organization_filter = f" AND org IN ({', '.join(['%s'] * len(organization_ids))})"
            organization_params = organization_ids
    sql += (
        ", per AS (SELECT member_id,"
        " SUM(CASE WHEN due_cents > paid_by_cents THEN 1 ELSE 0 END) AS short_months,"
        " SUM(CASE WHEN due_cents > paid_by_cents THEN due_cents - paid_by_cents ELSE 0 END) AS owed_cents,"
        " SUM(CASE WHEN due_cents > 0 AND paid_by_cents <= 0 THEN 1 ELSE 0 END) AS unpaid_months,"
        f" MAX(CASE WHEN m = {date} THEN org ELSE NULL END) AS org_then"
        " FROM f GROUP BY member_id)"
    )
    params = [*params, last]
    where = f" WHERE org_then IS NOT NULL{organization_filter.replace('org IN', 'org_then IN')}"
    return sql, params, where, organization_params


def arrears_counts(organization_ids=None, today=None) -> dict:
    """{"members": members in arrears (a month of the window short), "warned": members with every
    month of the warning window owed and unpaid}, among members on the roster at the end of the
    window (in `organization_ids`). One query."""
    window = arrears_window(today)
    warning = warning_window(today)
    sql, params, where, org_params = _per_member_sql(window, organization_ids=organization_ids)
    # The warning months are the last months of the arrears window (it is at least as long).
    sql = sql.replace(
        " FROM f GROUP BY member_id)",
        f", SUM(CASE WHEN m >= {_date_sql()} AND due_cents > 0 AND paid_by_cents <= 0 THEN 1 ELSE 0 END)"
        " AS warned_months"
        " FROM f GROUP BY member_id)",
    )
    params = [*params, warning[0]]
    rows = _run(
        sql + " SELECT SUM(CASE WHEN short_months > 0 THEN 1 ELSE 0 END) AS members,"
        f" SUM(CASE WHEN warned_months >= %s THEN 1 ELSE 0 END) AS warned FROM per{where}",
        [*params, len(warning), *org_params],
    )
    return {"members": int(rows[0]["members"] or 0), "warned": int(rows[0]["warned"] or 0)}


def arrears_by_organization(organization_ids=None, today=None) -> dict[int, int]:
    """{organization id: members in arrears} on the last day of the window. One query."""
    sql, params, where, org_params = _per_member_sql(arrears_window(today), organization_ids=organization_ids)
    rows = _run(
        sql + f" SELECT org_then, COUNT(*) AS n FROM per{where} AND short_months > 0 GROUP BY org_then",
        [*params, *org_params],
    )
    return {row["org_then"]: int(row["n"]) for row in rows}


def arrears_members(organization_ids=None, today=None, *, warned_only=False, offset=0, limit=20):
    """(count, rows) of the members in arrears in the window (or, `warned_only`, with every month
    of the warning window owed and unpaid), most months short first: each row has member_id,
    short_months, owed (yuan) and unpaid_months. The whole ranking is one query over the
    member-months of the window (half a second for the 1x county), stored for the records' version
    and the day as tuples of integers (the county's 12,000 members in arrears are read back in
    milliseconds): the list's next pages, and the same list again, are read from the cache."""
    today = today or dates.today()
    ranking = data_version.cached(
        _arrears_key(organization_ids, warned_only, today),
        lambda: _arrears_ranking(organization_ids, today, warned_only=warned_only),
        year=today.year,
    )
    if offset >= len(ranking):
        offset = 0
    page = [
        {"member_id": member_id, "short_months": short, "owed": from_cents(owed), "unpaid_months": unpaid}
        for member_id, short, owed, unpaid in ranking[offset : offset + limit]
    ]
    return len(ranking), page


def _arrears_key(organization_ids, warned_only, today) -> str:
    """The stored ranking's key: the organizations, the list, and the day its window is counted
    back from (a caller may ask for another day than today)."""
    among = "all" if organization_ids is None else ",".join(str(pk) for pk in sorted(organization_ids))
    digest = hashlib.sha256(among.encode()).hexdigest()[:32]
    return f"dues:arrears:{'warned' if warned_only else 'short'}:{today.isoformat()}:{digest}"


def _arrears_ranking(organization_ids, today, *, warned_only) -> list[tuple[int, int, int, int]]:
    """(member_id, months short, cents owed, months unpaid) of each member in arrears, ranked."""
    window = warning_window(today) if warned_only else arrears_window(today)
    sql, params, where, org_params = _per_member_sql(window, organization_ids=organization_ids)
    condition = " AND unpaid_months >= %s" if warned_only else " AND short_months > 0"
    extra = [len(window)] if warned_only else []
    with connection.cursor() as cursor:
        cursor.execute(
            sql + " SELECT member_id, short_months, owed_cents, unpaid_months"
            f" FROM per{where}{condition} ORDER BY short_months DESC, member_id",
            [*params, *org_params, *extra],
        )
        return [tuple(int(value or 0) for value in row) for row in cursor.fetchall()]


def member_owed_months(member_ids, months, *, end=None) -> dict[int, list]:
    """For each member of `member_ids`: the months of `months` short of the due, with the amount
    owed (for the members of one page). One query."""
    result: dict[int, list] = {pk: [] for pk in member_ids}
    if not member_ids:
        return result
    sql, params = facts_sql(months, end=end, member_ids=list(member_ids))
    rows = _run(
        sql + " SELECT member_id, m, due_cents - paid_by_cents AS owed_cents FROM f"
        " WHERE due_cents > paid_by_cents ORDER BY member_id, m",
        params,
    )
    for row in rows:
        result[row["member_id"]].append((_as_date(row["m"]), from_cents(row["owed_cents"])))
    return result


def transfer_paid_until(member):
    """The 交至年月 the member's last transfer carried (in or out), or None."""
    return (
        MemberEvent.objects.filter(
            member=member, kind__in=[MemberEventKind.TRANSFERRED_IN, MemberEventKind.TRANSFERRED_OUT]
        )
        .exclude(dues_paid_until__isnull=True)
        .order_by("-date", "-id")
        .values_list("dues_paid_until", flat=True)
        .first()
    )


def members_without_base(organization_ids, day):
    """Members on the roster on `day` in `organization_ids` with no base in force that month."""
    month = month_of(day)
    return (
        Member.objects.as_of(day, within=organization_ids)
        .filter(~Exists(base_in_force(OuterRef("pk"), month)))
        .select_related("organization")
        .order_by("organization_id", "name_order", "name", "pk")
    )


# ---- the home page -------------------------------------------------------------------------------


def home_panel(user, organizations, today):
    """The dues panel of the home page (branch secretary and committee): members with every month
    of the warning window unpaid (a warning only: the branch decides, nothing is removed), and for a
    branch this month's members paid in full. Two queries (one without a branch)."""
    ids = list(organizations.values_list("pk", flat=True)) if not user.is_committee_staff else None
    window = warning_window(today)
    sql, params, where, org_params = _per_member_sql(window, organization_ids=ids)
    rows = _run(
        sql + " SELECT COUNT(*) AS warned FROM per" + where + " AND unpaid_months >= %s",
        [*params, *org_params, len(window)],
    )
    panel = {
        "template": "dues/_home_panel.html",
        "warned": int(rows[0]["warned"] or 0),
        "window": (window[0], window[-1]),
        "months": len(window),
        "month": month_of(today),
    }
    organization = organization_of(user) if user.is_secretary else None
    if organization is not None and organization.kind == Kind.BRANCH:
        panel["organization"] = organization
        panel["totals"] = sheet_totals(month_sheet(organization, today))
    return panel

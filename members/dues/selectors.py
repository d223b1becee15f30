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
from members.dues import facts, ledger, rules
from members.dues.models import DuesBase, DuesPayment, PaymentKind
from members.dues.months import month_end, month_of, months_between
from members.models import Member, MemberEvent, MemberEventKind
from organizations.models import Kind
from organizations.scoping import organization_of

CENT = Decimal("0.01")


def yuan(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def from_cents(value) -> Decimal:
    """Yuan from a whole number of cents (the member-months' money, see ``facts_sql``)."""
    return (Decimal(int(value or 0)) / 100).quantize(CENT)


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


def facts_sql(months, *, end=None, member_ids=None, in_s=None, on_roster_in=None):
    """SQL (and params) of the member-months `f` of members.dues.facts for `months` (its
    ``live_sql`` says what each column is): read from the dues ledger for a scope's contiguous months
    (brought up to date first), built from the records for a few members' own months."""
    if facts.ledger_can_read(months, end=end, member_ids=member_ids):
        ledger.bring_up_to_date({month.year for month in months})
        return facts.ledger_sql(months, end=end, in_s=in_s, on_roster_in=on_roster_in)
    return facts.live_sql(months, end=end, member_ids=member_ids, in_s=in_s, on_roster_in=on_roster_in)


def year_sql(year: int, *, in_s):
    """SQL (and params) of the sums `per` and `om` of members.dues.facts for a scope's year (its
    ``live_year_sql`` says what each column is), read from the dues ledger brought up to date."""
    ledger.bring_up_to_date([year])
    return facts.ledger_year_sql(year, in_s=in_s)


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


def _per_member_sql(months, *, organization_ids=None, end=None, warned_from=None):
    """Per member on the roster at the end of the last of `months` (in `organization_ids` then,
    when given): months short (less than the due paid), amount owed, months unpaid with nothing
    paid at all, months owed something (due > 0), and their organization on that day; with
    `warned_from` (a month of `months`), also the months unpaid from it on (``warned_months``)."""
    sql, params = facts_sql(months, end=end, on_roster_in=organization_ids)
    last = months[-1]
    date = facts.date_sql()
    organization_filter = ""
    organization_params = []
    if organization_ids is not None:
        organization_ids = list(organization_ids)
        if not organization_ids:
            organization_filter = " AND 1=0"
        else:
            organization_filter = f" AND org IN ({', '.join(['%s'] * len(organization_ids))})"
            organization_params = organization_ids
    # Only the months short (every sum below counts those alone: a month unpaid is short too) and
    # the last month (the organization then) are grouped: the window's other months, most of its
    # 140,000 at 1x, add nothing, and grouping them was most of the list's time on SQLite.
    warned, warned_params = "", []
    if warned_from is not None:
        warned = (
            f", SUM(CASE WHEN m >= {date} AND due_cents > 0 AND paid_by_cents <= 0 THEN 1 ELSE 0 END)"
            " AS warned_months"
        )
        warned_params = [warned_from]
    sql += (
        ", per AS (SELECT member_id,"
        " SUM(CASE WHEN due_cents > paid_by_cents THEN 1 ELSE 0 END) AS short_months,"
        " SUM(CASE WHEN due_cents > paid_by_cents THEN due_cents - paid_by_cents ELSE 0 END) AS owed_cents,"
        " SUM(CASE WHEN due_cents > 0 AND paid_by_cents <= 0 THEN 1 ELSE 0 END) AS unpaid_months,"
        f" MAX(CASE WHEN m = {date} THEN org ELSE NULL END) AS org_then{warned}"
        f" FROM f WHERE due_cents > paid_by_cents OR m = {date} GROUP BY member_id)"
    )
    params = [*params, last, *warned_params, last]
    where = f" WHERE org_then IS NOT NULL{organization_filter.replace('org IN', 'org_then IN')}"
    return sql, params, where, organization_params


def arrears_counts(organization_ids=None, today=None) -> dict:
    """{"members": members in arrears (a month of the window short), "warned": members with every
    month of the warning window owed and unpaid}, among members on the roster at the end of the
    window (in `organization_ids`). One query."""
    window = arrears_window(today)
    warning = warning_window(today)
    # The warning months are the last months of the arrears window (it is at least as long).
    sql, params, where, org_params = _per_member_sql(
        window, organization_ids=organization_ids, warned_from=warning[0]
    )
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

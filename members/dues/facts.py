"""The member-months in SQL: the statement every reader of "the due of every member in every month"
builds on, `f(member_id, m, e, org, in_s, due_cents, paid_cents, paid_by_cents, settled, has_base)`.

Two ways to the same rows:

- ``live_sql`` builds them from the records (the membership stretches, the bases in force, the
  payments): the definition;
- ``ledger_sql`` reads them from the dues ledger (``DuesLedgerMonth``, members.dues.ledger), where
  ``live_sql`` stored them and the writes keep them: what the scope-wide readers use (a county's
  year is a sum over its member-months instead of a join of its stretches, bases and payments).

A year's report reads less: the member-months summed per member and per organization-month
(``live_year_sql`` the definition, ``ledger_year_sql`` the ledger's sums of them).

The money is in whole cents (``_cents_sql``); members.dues.selectors turns it back into yuan.
"""

import datetime

from django.db import connection

# Ids are written into the statements as integers (``numbers``), as jiguan.among does for the ORM:
# the 4x county's 2,400 organizations were 7,000 parameters for psycopg to quote one by one, a third
# of the dues summary's time (0.15-0.23 -> 0.10 s).
from jiguan.among import numbers
from members.dues.models import (
    DuesBase,
    DuesLedgerMemberYear,
    DuesLedgerMonth,
    DuesLedgerOrganizationMonth,
    DuesPayment,
)
from members.dues.months import month_end, months_between, months_of_year
from members.models import Member, MemberVersion

# `end` of live_sql: what was paid on or before 31 December of each month's own year (the ledger's
# paid_in_year_cents), whatever the months.
YEAR_END = "year-end"


def date_sql():
    return "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"


def _cents_sql(column: str) -> str:
    """`column` (yuan, two decimals) as whole cents: the member-months add and compare integers,
    exact on both databases (SQLite stores a decimal as a float, so sums of yuan came out a
    fraction of a cent off), and faster than numeric on PostgreSQL (the county's year at 1x:
    about a sixth of its time)."""
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def _year_end_sql(column: str) -> str:
    """31 December of the year of `column` (a date), compared with dates as the database stores them."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('year', {column}) + interval '1 year - 1 day' AS DATE)"
    return f"(strftime('%%Y', {column}) || '-12-31')"  # %% : the statement has parameters


def _months_cte(months):
    """The months as a VALUES list (not a UNION: SQLite caps compound selects at 500 terms, and a
    member admitted in 1980 has more months than that)."""
    date = date_sql()
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
        "ledger": DuesLedgerMonth._meta.db_table,
        "member_year": DuesLedgerMemberYear._meta.db_table,
        "organization_month": DuesLedgerOrganizationMonth._meta.db_table,
    }


# Up to this many organizations, PostgreSQL is given the members as an array (see _member_among).
ARRAY_UP_TO_ORGANIZATIONS = 200


def _member_among(column, subquery, organizations: int):
    """`` AND <column>`` among the members of `subquery`, the members of `organizations`
    organizations (live_sql puts it on the bases and payments too).

    On PostgreSQL, for a few organizations, as an array computed first: given IN (subquery), it
    guesses several times as many members as a 机关党委 has and reads the whole county's payments
    of the window to hash-join them (a 机关党委 at 1x: 0.11 s -> 0.04 s); with the array it looks
    each member's months up in the index on (member, month). Not for many: an array is searched
    element by element wherever a row is checked against it (a bitmap's recheck, a filter), so the
    county's 120,000 members at 10x made each of its 1.4 million payments of the year a search of
    120,000 ids (the dues numbers took 521 s); there the semi-join hashes them once."""
    if connection.vendor == "postgresql" and organizations <= ARRAY_UP_TO_ORGANIZATIONS:
        return f" AND {column} = ANY(ARRAY({subquery}))"
    return f" AND {column} IN ({subquery})"


def _organizations_of(in_s) -> list[int]:
    """Every organization `in_s` names, in S all the time or for a stretch."""
    return sorted({*in_s[0], *(org_id for org_id, _, _ in in_s[1])})


def _small(in_s) -> bool:
    """Whether the scope `in_s` is small enough that its own members are found first (a 机关党委
    reads its members' rows in the index on member): a large one reads the rows as they are."""
    return in_s is not None and len(_organizations_of(in_s)) <= ARRAY_UP_TO_ORGANIZATIONS


def _member_of(column, organizations, first_day, last_day):
    """`` AND <column>`` among the members with a membership stretch in one of `organizations`
    covering some day of [first_day, last_day] (index on organization, valid_from: the
    organizations' stretches, not the county's), and its params."""
    if not organizations:
        return " AND 1=0", []
    date = date_sql()
    subquery = (
        f"SELECT w.member_id FROM {_tables()['version']} w"
        f" WHERE w.organization_id IN ({numbers(organizations)})"
        f" AND w.valid_from <= {date} AND (w.valid_to IS NULL OR w.valid_to > {date})"
    )
    return _member_among(column, subquery, len(organizations)), [last_day, first_day]


def _member_filter(column, months, *, member_ids, in_s, on_roster_in):
    """The members whose months are read (see live_sql), as a condition on `column` and its params."""
    member_filter = ""
    member_params = []
    if member_ids is not None:
        member_filter = f" AND {column} IN ({numbers(member_ids)})" if member_ids else " AND 1=0"
    if on_roster_in is not None:
        last_day = month_end(months[-1])
        sql, params = _member_of(column, list(on_roster_in), last_day, last_day)
        member_filter += sql
        member_params += params
    if in_s is not None and member_ids is None:
        sql, params = _member_of(column, _organizations_of(in_s), month_end(months[0]), month_end(months[-1]))
        member_filter += sql
        member_params += params
    return member_filter, member_params


def _in_s_sql(in_s, *, organization, month_end_column):
    """`in_s` of the rows: 1 when `organization` is in S on the month's last day (see live_sql)."""
    if in_s is None:
        return "1", []
    date = date_sql()
    whole, parts = in_s
    conditions, params = [], []
    if whole:
        conditions.append(f"{organization} IN ({numbers(whole)})")
    for org_id, f, t in parts:
        conditions.append(
            f"({organization} = {int(org_id)} AND {month_end_column} >= {date} AND {month_end_column} < {date})"
        )
        params.extend([f, t])
    if not conditions:
        return "0", []
    return "CASE WHEN " + " OR ".join(conditions) + " THEN 1 ELSE 0 END", params


def live_sql(months, *, end=None, member_ids=None, in_s=None, on_roster_in=None):
    """SQL (and params) of the member-months `f(member_id, m, e, org, in_s, due_cents, paid_cents,
    paid_by_cents, settled, has_base)` for `months`, built from the records, the money in whole
    cents:

    - a row for each month whose last day the member spent on the roster (入党日期 on or before it,
      a membership stretch covering it), `org` the organization of that day;
    - `due_cents` the due of the base in force in the month (0 when none, `has_base` 0; 0 when the
      month was settled before a transfer in, `settled` 1);
    - `paid_cents` what was paid for the month (voided payments left out), `paid_by_cents` what of
      it was paid on or before `end` (all of it when `end` is None; on or before 31 December of the
      month's year when `end` is YEAR_END);
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
    months_cte, params = _months_cte(months)
    member_filter, member_params = _member_filter(
        "v.member_id", months, member_ids=member_ids, in_s=in_s, on_roster_in=on_roster_in
    )
    in_s_sql, in_s_params = _in_s_sql(in_s, organization="v.organization_id", month_end_column="months.e")
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
    """The `f` of live_sql from its member-months `mm` and the payments of the window: summed by
    (member, month), voided payments left out, a month settled before a transfer in owing nothing,
    `paid_by_cents` what was paid on or before `end` (all of it when `end` is None).

    PostgreSQL joins the payments to the member-months by member and month (a hash join; the
    county's dues at 4x 4.0-4.2 -> 2.7-2.9 s, at 1x 0.72-0.75 -> 0.68-0.72 s). SQLite, given that
    join, looks each member-month's payments up in the index, slower than one pass over the
    window's payments added to the member-months as a stream and summed by (member, month)
    (0.87 s at 1x against 1.08 s), so it gets the stream."""
    t = _tables()
    date = date_sql()
    amount = _cents_sql("p.amount")
    paid_by, paid_by_params = amount, []
    if end == YEAR_END:
        paid_by = f"CASE WHEN p.paid_on <= {_year_end_sql('p.month')} THEN {amount} ELSE 0 END"
    elif end is not None:
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


def ledger_paid_by(months, end) -> str | None:
    """The ledger's column that is `paid_by_cents` for `months` and `end`, or None when it has none:
    `paid_cents` (end None) or `paid_in_year_cents` (end 31 December of the months' one year)."""
    if end is None:
        return "paid_cents"
    years = {month.year for month in months}
    if len(years) == 1 and end == datetime.date(years.pop(), 12, 31):
        return "paid_in_year_cents"
    return None


def ledger_can_read(months, *, end=None, member_ids=None) -> bool:
    """Whether ``ledger_sql`` gives these member-months: a scope's (not a few members' own: those
    are read from the records, one member's months since 1980 would fill the ledger with the
    county's), contiguous months, and an `end` the ledger keeps."""
    return (
        member_ids is None
        and bool(months)
        and list(months) == months_between(months[0], months[-1])
        and ledger_paid_by(months, end) is not None
    )


def ledger_sql(months, *, end=None, in_s=None, on_roster_in=None):
    """The rows of ``live_sql`` (same columns, same members) read from the dues ledger, which must
    hold the months' years (members.dues.ledger.bring_up_to_date) and cover them (ledger_can_read)."""
    t = _tables()
    date = date_sql()
    # A scope's members are found first when it is small (a 机关党委 reads its own members' rows in
    # the index on (member, month)). A large one reads the months' rows as they are: the semi-join
    # would keep nearly all of them (the county's) at the cost of a hash of every member, and a row
    # outside S is one no reader counts (in_s 0; a member with no month in S is counted by none).
    member_filter, member_params = _member_filter(
        "l.member_id", months, member_ids=None, in_s=in_s if _small(in_s) else None, on_roster_in=on_roster_in
    )
    in_s_sql, in_s_params = _in_s_sql(in_s, organization="l.organization_id", month_end_column="l.month_end")
    sql = (
        "WITH f AS (SELECT l.member_id AS member_id, l.month AS m, l.month_end AS e,"
        f" l.organization_id AS org, {in_s_sql} AS in_s, l.due_cents AS due_cents,"
        f" l.paid_cents AS paid_cents, l.{ledger_paid_by(months, end)} AS paid_by_cents,"
        " l.settled AS settled, l.has_base AS has_base"
        f" FROM {t['ledger']} l WHERE l.month >= {date} AND l.month <= {date}{member_filter})"
    )
    return sql, [*in_s_params, months[0], months[-1], *member_params]


def ledger_fill_sql(months, *, member_ids=None):
    """INSERT into the ledger the member-months of `months` (of every member, or of `member_ids`)."""
    sql, params = live_sql(months, end=YEAR_END, member_ids=member_ids)
    t = _tables()
    return (
        sql + f" INSERT INTO {t['ledger']} (member_id, month, month_end, organization_id, due_cents,"
        " has_base, paid_cents, paid_in_year_cents, settled)"
        " SELECT member_id, m, e, org, due_cents, has_base, paid_cents, paid_by_cents, settled FROM f",
        params,
    )


# ---- a year's sums: per member and per organization-month -------------------------------------
#
# What a year's report reads of its member-months, summed per member (`per`) and per organization
# and month (`om`). ``live_year_sql`` sums them from the member-months (the definition);
# ``ledger_year_sql`` reads the ledger's sums (DuesLedgerMemberYear, DuesLedgerOrganizationMonth),
# some 12,600 and 7,200 rows for the 1x county's year instead of its 137,830 member-months.
#
#   per(member_id, due_s, paid_s, short_months, h2_unpaid, on_e, org_e, ever_in_s):
#     due_s, paid_s   due and paid (cents) in the member's months in S;
#     short_months    months of the year whose due was not paid in full by 31 December;
#     h2_unpaid       months of July–December with a due and nothing paid by 31 December;
#     on_e, org_e     1 and the organization when the member's December is in S (in S on E);
#     ever_in_s       1 when some month of the member's is in S.
#   om(org, m, due_cents, paid_cents): the due and paid of each organization of S in each month it
#     is in S.


def _month_number_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(MONTH FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%%m', {column}) AS INTEGER)"


def _year_number_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"


# A member-month's share of `per`'s counts (paid by the end of its year: a year's report's E).
_SHORT = "CASE WHEN due_cents > {paid_by} THEN 1 ELSE 0 END"
_H2_UNPAID = "CASE WHEN {month_number} >= 7 AND due_cents > 0 AND {paid_by} <= 0 THEN 1 ELSE 0 END"
_DECEMBER = "CASE WHEN {month_number} = 12 THEN 1 ELSE 0 END"


def per_cte(name: str = "per", *, owing_only: bool = False) -> str:
    """The CTE `per` (see above) summed from `y`; `owing_only`, of the members with a month short
    alone (a month of July–December unpaid is short too): those the members in arrears and six
    months unpaid are counted among, a few of the year's members."""
    where = " WHERE member_id IN (SELECT member_id FROM y WHERE short > 0)" if owing_only else ""
    return (
        f" {name} AS (SELECT member_id,"
        " SUM(CASE WHEN in_s = 1 THEN due_cents ELSE 0 END) AS due_s,"
        " SUM(CASE WHEN in_s = 1 THEN paid_cents ELSE 0 END) AS paid_s,"
        " SUM(short) AS short_months, SUM(h2) AS h2_unpaid,"
        " MAX(CASE WHEN december = 1 AND in_s = 1 THEN 1 ELSE 0 END) AS on_e,"
        " MAX(CASE WHEN december = 1 AND in_s = 1 THEN org ELSE NULL END) AS org_e,"
        " MAX(in_s) AS ever_in_s"
        f" FROM y{where} GROUP BY member_id)"
    )


_PER = per_cte()


def _month_counts(month_column: str, paid_by: str) -> str:
    """The short, h2 and december columns of one member-month."""
    month_number = _month_number_sql(month_column)
    return (
        f"{_SHORT.format(paid_by=paid_by)} AS short,"
        f" {_H2_UNPAID.format(month_number=month_number, paid_by=paid_by)} AS h2,"
        f" {_DECEMBER.format(month_number=month_number)} AS december"
    )


def live_year_sql(year: int, *, in_s):
    """`per` and `om` of `year` for the scope `in_s` summed from live_sql's member-months (paid by
    31 December of the year): the definition ``ledger_year_sql`` is checked against."""
    months = months_of_year(year)
    sql, params = live_sql(months, end=datetime.date(year, 12, 31), in_s=in_s)
    sql += (
        ", y AS (SELECT member_id, org, in_s, due_cents, paid_cents,"
        f" {_month_counts('m', 'paid_by_cents')} FROM f),"
        f"{_PER},"
        " om AS (SELECT org, m, SUM(due_cents) AS due_cents, SUM(paid_cents) AS paid_cents FROM f"
        " WHERE in_s = 1 GROUP BY org, m)"
    )
    return sql, params


def ledger_year_sql(year: int, *, in_s):
    """`per` and `om` of `year` for the scope `in_s` read from the ledger's sums, which must hold
    the year (members.dues.ledger.bring_up_to_date). An organization in S for part of the year is
    read from its member-months (whose month-ends say which are in S); the others from the members'
    sums of the year, in S or not as a whole."""
    t = _tables()
    date = date_sql()
    whole, parts = in_s
    partial = sorted({org_id for org_id, _, _ in parts})
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 1)
    member_filter, member_params = "", []
    if _small(in_s):
        # A small scope's own members: those with a month of the year in one of its organizations.
        organizations = _organizations_of(in_s)
        if organizations:
            member_filter = (
                f" AND member_id IN (SELECT s.member_id FROM {t['member_year']} s WHERE s.year = %s"
                f" AND s.organization_id IN ({numbers(organizations)}))"
            )
            member_params = [year]
        else:
            member_filter = " AND 1=0"
    whole_sql, whole_params = _in_s_sql((whole, []), organization="organization_id", month_end_column="")
    sums = (
        f"SELECT member_id, organization_id AS org, {whole_sql} AS in_s, due_cents, paid_cents,"
        " short_months AS short, unpaid_second_half AS h2, december"
        f" FROM {t['member_year']} WHERE year = %s{member_filter}"
    )
    sums_params = [*whole_params, year, *member_params]
    # In S on a month's last day, for the rows of single months (the ledger's, and its organizations').
    in_s_sql, in_s_params = _in_s_sql(in_s, organization="organization_id", month_end_column="month_end")
    if partial:
        marks = numbers(partial)
        sums += f" AND organization_id NOT IN ({marks})"
        sums += (
            f" UNION ALL SELECT member_id, organization_id, {in_s_sql}, due_cents, paid_cents,"
            f" {_month_counts('month', 'paid_in_year_cents')}"
            f" FROM {t['ledger']} WHERE month >= {date} AND month <= {date}"
            f" AND organization_id IN ({marks}){member_filter}"
        )
        sums_params += [*in_s_params, first, last, *member_params]
    sql = (
        f"WITH y AS ({sums}),{_PER},"
        " om AS (SELECT organization_id AS org, month AS m, due_cents, paid_cents"
        f" FROM {t['organization_month']} WHERE month >= {date} AND month <= {date} AND {in_s_sql} = 1)"
    )
    return sql, [*sums_params, first, last, *in_s_params]


def _sums_of(column, ids, year):
    """The WHERE of the ledger's months summed: those of `ids` in `column` (all when None), of
    `year` (every year held when None)."""
    conditions, params = [], []
    if ids is not None:
        conditions.append(f"{column} IN ({numbers(ids)})")
    if year is not None:
        date = date_sql()
        conditions.append(f"month >= {date} AND month <= {date}")
        params.extend([datetime.date(year, 1, 1), datetime.date(year, 12, 1)])
    return (" WHERE " + " AND ".join(conditions) if conditions else ""), params


def member_year_fill_sql(*, member_ids=None, year=None):
    """INSERT into the ledger's member-years the sums of its months (every member's, or those of
    `member_ids`; of `year`, or of every year it holds)."""
    t = _tables()
    where, params = _sums_of("member_id", member_ids, year)
    year = _year_number_sql("month")
    month_number = _month_number_sql("month")
    paid_by = "paid_in_year_cents"
    return (
        f"INSERT INTO {t['member_year']} (member_id, year, organization_id, due_cents, paid_cents,"
        " short_months, unpaid_second_half, december)"
        f" SELECT member_id, {year}, organization_id, SUM(due_cents), SUM(paid_cents),"
        f" SUM({_SHORT.format(paid_by=paid_by)}),"
        f" SUM({_H2_UNPAID.format(month_number=month_number, paid_by=paid_by)}),"
        f" MAX({_DECEMBER.format(month_number=month_number)})"
        f" FROM {t['ledger']}{where} GROUP BY member_id, {year}, organization_id",
        params,
    )


def organization_month_fill_sql(*, organization_ids=None, year=None):
    """INSERT into the ledger's organization-months the sums of its months (every organization's,
    or those of `organization_ids`; of `year`, or of every year it holds)."""
    t = _tables()
    where, params = _sums_of("organization_id", organization_ids, year)
    return (
        f"INSERT INTO {t['organization_month']} (organization_id, month, month_end, due_cents, paid_cents)"
        " SELECT organization_id, month, MAX(month_end), SUM(due_cents), SUM(paid_cents)"
        f" FROM {t['ledger']}{where} GROUP BY organization_id, month",
        params,
    )

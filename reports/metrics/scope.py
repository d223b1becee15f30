"""The report's scope: R and Y, and which organizations are "S" on each day.

Which organizations are "S"
---------------------------
METRICS.md says S is R and everything below it "as the tree stood at the time of each record".
``ReportScope.intervals`` computes, with one recursive query over ``OrganizationVersion``, for every
organization that was below R at some day of Y the stretch of Y during which it was (the
intersection of its own version with its parent's stretch, down the tree). Then:

- dated records (activities, visits, trainings, appointments, admissions, medals) count when their
  organization was in S *on the record's date* (``ReportScope.in_s``);
- the year's organization changes (renamed, reparented, founded, dissolved) count organizations that
  were in S at some day of Y;
- counts "on E" (organizations, members in service, the breakdowns) use the tree and the roster as
  they stood on 31 December: ``Organization.objects.subtree_of(root, E)``, ``existing_on(E)`` and
  ``Member.objects.as_of(E)``. An organization dissolved on E no longer exists on E.

So a later reorganization, transfer or record of a later year never changes a past year; only a
correction of a past record does.
"""

from __future__ import annotations

import dataclasses
import datetime
from functools import cached_property

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, QuerySet

from jiguan import bounds, dates
from jiguan.among import among
from organizations.models import Organization, OrganizationVersion
from reports.metrics.cache import cached

# Years a report can be made for: the Party's founding to the current year.
FIRST_YEAR = 1921
# The open end of a stretch of time in the recursive query (valid_to IS NULL: still so).
NO_END = datetime.date(9999, 12, 31)


def year_range() -> range:
    return range(FIRST_YEAR, dates.today().year + 1)


def year_out_of_range_message(year: int) -> str:
    """A report year outside year_range() (report pages, the dashboard): the base's one message."""
    return bounds.year_out_of_range_message(years=year_range(), year=year)


# ---- the scope ----------------------------------------------------------------------------------


@dataclasses.dataclass(eq=False)
class ReportScope:
    """R and Y, with what every metric needs computed once and cached."""

    root: Organization
    year: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        """E: 31 December of Y."""
        return datetime.date(self.year, 12, 31)

    @property
    def after(self) -> datetime.date:
        """1 January of Y + 1 (interval ends are exclusive)."""
        return datetime.date(self.year + 1, 1, 1)

    def year_q(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})

    def _stretches(self, start: datetime.date, stop: datetime.date) -> dict[int, list[tuple]]:
        """For each organization that was R or below R at some day of [start, stop): those stretches
        (from inclusive, to exclusive), clipped to the window. One recursive query."""
        table = OrganizationVersion._meta.db_table
        date = "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"
        sql = (
            "WITH RECURSIVE sub(id, f, t) AS ("
            # The id as BIGINT: PostgreSQL wants the first term's types to match the recursive one's.
            f" SELECT CAST(%s AS BIGINT), {date}, {date}"
            " UNION"
            " SELECT v.organization_id,"
            "  CASE WHEN v.valid_from > s.f THEN v.valid_from ELSE s.f END,"
            "  CASE WHEN v.valid_to IS NULL OR v.valid_to > s.t THEN s.t ELSE v.valid_to END"
            f" FROM {table} v JOIN sub s ON v.parent_id = s.id"
            " WHERE v.valid_from < s.t AND (v.valid_to IS NULL OR v.valid_to > s.f)"
            ") SELECT id, f, t FROM sub"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.root.pk, start, stop])
            rows = cursor.fetchall()
        result: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
        for org_id, f, t in rows:
            result.setdefault(org_id, []).append((_as_date(f), _as_date(t)))
        return result

    @cached_property
    def intervals(self) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
        """For each organization in S at some day of Y: the stretches of Y (from inclusive, to
        exclusive) during which it was R or below R. One recursive query."""
        return self._stretches(self.start, self.after)

    @cached_property
    def intervals_onwards(self) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
        """As ``intervals``, from 1 January of Y on without end: where an organization founded after
        Y stood (the admitting organization of an imported member, see ``membership_on``)."""
        return self._stretches(self.start, NO_END)

    @cached_property
    def year_organization_ids(self) -> list[int]:
        """Organizations that were in S at some day of Y."""
        return sorted(self.intervals)

    def in_s_some_day(self, organization_field: str) -> Q:
        """Records whose organization was in S at some day of Y (``year_organization_ids``)."""
        return among(organization_field, self.year_organization_ids)

    def in_s(
        self, organization_field: str, date_field: str, *, in_year: bool = True, closed: bool = False
    ) -> Q:
        """Records whose organization was in S on the record's date (and, by default, the date in Y).

        `closed` counts the day an organization left S too: a change dated that day (the move out of
        S, a rename the same day) still happened to an organization of S."""
        whole_year, parts = self._whole_year_and_parts
        q = among(organization_field, whole_year)
        if parts:
            q |= Q(InStretches(organization_field, date_field, parts, closed=closed))
        return q & self.year_q(date_field) if in_year else q

    @property
    def whole_year_organization_ids(self) -> list[int]:
        """The organizations in S every day of Y: their records of Y are all in S (what is counted of
        them in advance can be read whole, activities.held)."""
        return self._whole_year_and_parts[0]

    def in_s_for_part(self, organization_field: str, date_field: str) -> Q | None:
        """Records of Y whose organization was in S for part of Y only, dated in a stretch it was in
        S: ``in_s`` without the organizations of ``whole_year_organization_ids`` (None when there is
        no other)."""
        parts = self._whole_year_and_parts[1]
        if not parts:
            return None
        # Their ids said apart too: the records are found by their organizations (the county's
        # activities of the year read by date and checked against 147 stretches: 38 ms at 10x).
        return (
            among(organization_field, sorted({org_id for org_id, _, _ in parts}))
            & Q(InStretches(organization_field, date_field, parts))
            & self.year_q(date_field)
        )

    def in_s_while(self, organization_field: str, start_field: str, end_field: str) -> Q:
        """Records running from `start_field` to `end_field` (both inclusive; no end: still
        running) whose organization was in S at some day of Y while they ran."""
        whole_year, parts = self._whole_year_and_parts
        running = Q(**{f"{start_field}__lte": self.end}) & (
            Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": self.start})
        )
        q = among(organization_field, whole_year) & running
        if parts:
            q |= Q(InStretches(organization_field, start_field, parts, end_field=end_field))
        return q

    @cached_property
    def _whole_year_and_parts(self) -> tuple[list[int], list[tuple]]:
        """Organizations in S all year, and the (organization, from, to) stretches of the others:
        the whole-year ones go in one IN (), so the SQL stays short however large the tree."""
        whole_year, parts = [], []
        for org_id, stretches in self.intervals.items():
            if any(f <= self.start and t >= self.after for f, t in stretches):
                whole_year.append(org_id)
            else:
                parts.extend((org_id, f, t) for f, t in stretches)
        return whole_year, parts

    def was_in_s(self, organization_id: int, day: datetime.date) -> bool:
        """Whether the organization was in S on `day` (on or after 1 January of Y)."""
        stretches = (self.intervals if day < self.after else self.intervals_onwards).get(organization_id, ())
        return any(f <= day < t for f, t in stretches)

    @property
    def rhythm_day(self) -> datetime.date:
        """The day the 三会一课 record is read on: today in the current year; for a past year the
        day after it ended, so every period of Y has ended (held or missing, none still due)."""
        today = dates.today()
        return today if self.year >= today.year else self.after

    @cached_property
    def rhythm(self) -> list:
        """activities.rhythm.rhythm_table of the branches of S on E, on ``rhythm_day`` (two
        queries, once per scope): the one definition of held / missing / not yet due."""
        from activities.rhythm import rhythm_table

        return cached(
            "rhythm",
            self.root.pk,
            self.year,
            lambda: rhythm_table(
                Organization.objects.subtree_of(self.root, self.end), self.year, self.rhythm_day
            ),
        )

    @cached_property
    def organizations_on_end(self) -> list[int]:
        """R and everything below it on E, for Member.objects.as_of(within=…): the organizations of
        ``intervals`` with a stretch of Y that contains E, as a list (read with the intervals, one
        query per scope, when the numbers came from the cache; made once per scope: the workbook
        asks five times, 30,000 stretches at 10x). The list matters on PostgreSQL:
        from the recursive subtree subquery it guesses hundreds of organizations and reads the
        county's membership stretches to find a committee's (the workbook's and the charts' five
        breakdowns of the members: 0.5 s each at 10x instead of 0.12)."""
        return sorted(
            org_id
            for org_id, stretches in self.intervals.items()
            if any(f <= self.end < t for f, t in stretches)
        )

    def subtree_on_end(self) -> QuerySet:
        """R and everything below it on E (ids as a subquery: no query of its own)."""
        return Organization.objects.subtree_of(self.root, self.end).values("pk")

    def __str__(self):
        return f"{self.root} {self.year}"


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


class InStretches(Expression):
    """Whether a record's organization was in S on its date, for the organizations in S for part of
    Y: ``CASE org WHEN 7 THEN (date >= from AND date < to) OR … ELSE FALSE END``, one WHEN per
    organization and one term per stretch (`parts`: (id, from, to)), with the record's date on the
    day it left S too when `closed`. With `end_field`, a record running from the date to
    `end_field` (no end: still running) that overlapped a stretch: ``(start < to AND (end IS NULL
    OR end >= from))``. A record with no organization is not in S.

    Written as an OR of ``(org = 7 AND date >= from AND date < to)`` terms, PostgreSQL's planner
    estimated every term of it wherever it appeared: at ten times the benchmark's county, 147
    stretches in the statements of the year's numbers, 68 of their 660 ms were planning; as a CASE,
    whose branches it does not estimate, 42. The SQL is written at once, not as the Q of each
    stretch's lookups: those were 9,000 lookups for Django to build and hash for every computation
    of the year (a third of a second at 10x)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, organization_field, date_field, parts, *, closed=False, end_field=None):
        super().__init__()
        self.organization = F(organization_field)
        self.date = F(date_field)
        self.end = F(end_field) if end_field else None
        self.parts = tuple(parts)
        self.closed = closed

    def get_source_expressions(self):
        return [self.organization, self.date, self.end]

    def set_source_expressions(self, expressions):
        self.organization, self.date, self.end = expressions

    def as_sql(self, compiler, connection):
        organization, organization_params = compiler.compile(self.organization)
        date, date_params = compiler.compile(self.date)
        if self.end is not None:
            end, end_params = compiler.compile(self.end)
        before = "<=" if self.closed else "<"
        by_organization: dict[int, list[tuple]] = {}
        for org_id, f, t in self.parts:
            by_organization.setdefault(int(org_id), []).append(
                (connection.ops.adapt_datefield_value(f), connection.ops.adapt_datefield_value(t))
            )
        whens, params = [], [*organization_params]
        for org_id, stretches in by_organization.items():
            terms = []
            for f, t in stretches:
                if self.end is None:
                    terms.append(f"({date} >= %s AND {date} {before} %s)")
                    params += [*date_params, f, *date_params, t]
                else:
                    terms.append(f"({date} < %s AND ({end} IS NULL OR {end} >= %s))")
                    params += [*date_params, t, *end_params, *end_params, f]
            whens.append(f"WHEN {org_id} THEN ({' OR '.join(terms)})")
        return f"(CASE {organization} {' '.join(whens)} ELSE FALSE END)", params

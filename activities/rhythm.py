"""The rhythm of branch life: for every branch and a year, which required activities were held.

DOMAIN.md, "Activities": 支委会, 党小组会 and 主题党日 monthly; 支部党员大会 and 党课 quarterly; 组织生活会
and 民主评议党员 yearly. 党小组会 are held by the branch's 党小组 and are counted for the branch; they are
required only of a branch that has groups.

A period (month, quarter, year) is required of a branch when the branch existed on its last day
(founded on or before it, not dissolved on or before it): a branch founded on 10 June owes June,
not May. A period that has ended without the activity is missing; the period containing today is
due; later periods are not yet due.

Everything is read with two queries whatever the number of branches or activities: the branches,
and their activities held by month (activities.held keeps them as activities are written).
"""

import bisect
import calendar
import datetime
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, When

from activities.models import ActivityKind, HeldByMonth
from jiguan import data_version, dates
from jiguan.among import among
from organizations.models import Kind, Organization

MONTHLY = "MONTHLY"
QUARTERLY = "QUARTERLY"
YEARLY = "YEARLY"

HELD = "HELD"
MISSING = "MISSING"
DUE = "DUE"
NOT_DUE = "NOT_DUE"
NOT_REQUIRED = "NOT_REQUIRED"

STATUS_LABELS = {
    HELD: "已开展",
    MISSING: "缺项",
    DUE: "待完成",
    NOT_DUE: "未到期",
    NOT_REQUIRED: "—",
}
FREQUENCY_LABELS = {MONTHLY: "每月", QUARTERLY: "每季度", YEARLY: "每年"}


@dataclass(frozen=True)
class Requirement:
    kind: str
    frequency: str
    needs_groups: bool = False

    @property
    def label(self):
        return ActivityKind(self.kind).label


REQUIREMENTS = (
    Requirement(ActivityKind.COMMITTEE_MEETING, MONTHLY),
    Requirement(ActivityKind.GROUP_MEETING, MONTHLY, needs_groups=True),
    Requirement(ActivityKind.THEME_DAY, MONTHLY),
    Requirement(ActivityKind.GENERAL_MEETING, QUARTERLY),
    Requirement(ActivityKind.PARTY_LECTURE, QUARTERLY),
    Requirement(ActivityKind.LIFE_MEETING, YEARLY),
    Requirement(ActivityKind.DEMOCRATIC_REVIEW, YEARLY),
)
REQUIRED_KINDS = tuple(r.kind for r in REQUIREMENTS)


@dataclass(frozen=True)
class Period:
    label: str
    short_label: str
    start: datetime.date
    end: datetime.date
    months: tuple


@lru_cache(maxsize=64)
def periods(frequency, year):
    """The periods of `year` at `frequency` (cached: the same for every branch)."""
    return tuple(_periods(frequency, year))


def _periods(frequency, year):
    if frequency == MONTHLY:
        return [
            Period(
                f"{m}月",
                str(m),
                datetime.date(year, m, 1),
                datetime.date(year, m, calendar.monthrange(year, m)[1]),
                (m,),
            )
            for m in range(1, 13)
        ]
    if frequency == QUARTERLY:
        result = []
        for q in range(1, 5):
            first, last = 3 * q - 2, 3 * q
            result.append(
                Period(
                    f"第{'一二三四'[q - 1]}季度",
                    f"Q{q}",
                    datetime.date(year, first, 1),
                    datetime.date(year, last, calendar.monthrange(year, last)[1]),
                    (first, first + 1, last),
                )
            )
        return result
    return [
        Period(
            f"{year}年",
            str(year),
            datetime.date(year, 1, 1),
            datetime.date(year, 12, 31),
            tuple(range(1, 13)),
        )
    ]


@dataclass
class Cell:
    period: Period
    status: str
    count: int

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def css_class(self):
        return STATUS_CLASSES[self.status]


def _span(organization, frequency, year, today) -> tuple:
    """Where `organization` stands in the periods of `year` at `frequency`, as four indexes into
    them: (first, last) the periods it owes (those whose last day it existed on: a contiguous run,
    as the periods follow each other), `ended` how many periods ended before today, and `due` the
    index of the period containing today, or None. The one reading of the rules of the module's
    docstring, from which every status and count follows (``_statuses``)."""
    return _span_of(organization.founded_on, organization.dissolved_on, frequency, year, today)


@lru_cache(maxsize=4096)
def _span_of(founded_on, dissolved_on, frequency, year, today) -> tuple:
    # Cached: most branches of a county were founded before the year and are still there.
    required = periods(frequency, year)
    ends = [period.end for period in required]
    first = bisect.bisect_left(ends, founded_on)
    last = len(required) if dissolved_on is None else bisect.bisect_left(ends, dissolved_on)
    ended = bisect.bisect_left(ends, today)
    due = ended if ended < len(required) and required[ended].start <= today else None
    return first, max(first, last), ended, due


@lru_cache(maxsize=1024)
def _unheld(size, span) -> tuple:
    """The status of each of `size` periods where nothing was held, for a `span` (``_span``)."""
    first, last, ended, due = span
    return tuple(
        NOT_REQUIRED if not first <= i < last else MISSING if i < ended else DUE if i == due else NOT_DUE
        for i in range(size)
    )


def _statuses(counts, span) -> tuple:
    """The status of each period: held when an activity was, else as its place in `span` says."""
    return tuple(
        [HELD if count else status for count, status in zip(counts, _unheld(len(counts), span), strict=True)]
    )


def _period_counts(months, frequency) -> tuple:
    """The activities of each period from those of each month (1..12)."""
    if frequency == MONTHLY:
        return months
    if frequency == QUARTERLY:
        return (
            months[0] + months[1] + months[2],
            months[3] + months[4] + months[5],
            months[6] + months[7] + months[8],
            months[9] + months[10] + months[11],
        )
    return (sum(months),)


class RequirementRow:
    """One required kind of a branch: how many of its activities were held in each month and in
    each period, and the status of each period, made when read."""

    __slots__ = ("requirement", "year", "months", "span", "periods", "counts")

    def __init__(self, requirement: Requirement, year: int, months: tuple, span: tuple):
        self.requirement = requirement
        self.year = year
        # Activities of the kind held in each month (1..12), whatever the period's status.
        self.months = months
        self.span = span
        self.periods = periods(requirement.frequency, year)
        self.counts = _period_counts(months, requirement.frequency)

    @property
    def statuses(self) -> tuple:
        return _statuses(self.counts, self.span)

    @property
    def cells(self) -> list[Cell]:
        return [Cell(*cell) for cell in zip(self.periods, self.statuses, self.counts, strict=True)]

    @property
    def held(self) -> int:
        return len(self.counts) - self.counts.count(0)

    @property
    def missing_periods(self) -> list[Period]:
        """The periods owed that ended with nothing held (as ``periods_with(MISSING)``)."""
        first, last, ended, _ = self.span
        stop = min(last, ended)
        return [
            period
            for period, count in zip(self.periods[first:stop], self.counts[first:stop], strict=True)
            if not count
        ]

    def periods_with(self, status) -> list[Period]:
        return [period for period, own in zip(self.periods, self.statuses, strict=True) if own == status]


@dataclass
class BranchRhythm:
    """One branch's record of a year, read on `today`. What is kept is what it is made from, the
    activities of each month of each of its required kinds (``months``), with the counts the table
    sorts by (held, missing, the rate); its rows (the statuses of each period) are made when read.
    The county's table is stored in the cache and read back by the report's charts and workbook:
    at ten times the benchmark's county, 4,412 branches whose 28,000 rows with their statuses took
    about 0.1 s to pickle."""

    organization: Organization
    year: int
    today: datetime.date
    # ((index in REQUIREMENTS, activities of each month), …) of the kinds required of it.
    months: tuple
    held: int
    missing: int
    # Share of ended required periods that were held (None before anything fell due).
    rate: float | None

    @cached_property
    def rows(self) -> list[RequirementRow]:
        spans = {}
        rows = []
        for index, months in self.months:
            requirement = REQUIREMENTS[index]
            frequency = requirement.frequency
            if frequency not in spans:
                spans[frequency] = _span(self.organization, frequency, self.year, self.today)
            rows.append(RequirementRow(requirement, self.year, months, spans[frequency]))
        return rows

    def __getstate__(self):
        # The rows are made again when read: they are most of what pickling would write.
        state = dict(self.__dict__)
        state.pop("rows", None)
        return state

    def month_statuses(self) -> list[str]:
        """Each month (1..12) of its monthly requirements (支委会, 党小组会, 主题党日) taken together:
        HELD when each was held or not required, MISSING when one was required and missed, DUE or
        NOT_DUE when one is not held yet, NOT_REQUIRED when none was required nor held. Read from
        the months and the span, without making the rows (the report's chart reads it for every
        branch of the county)."""
        monthly = [months for index, months in self.months if REQUIREMENTS[index].frequency == MONTHLY]
        if not monthly:
            return [NOT_REQUIRED] * 12
        unheld = _unheld(12, _span(self.organization, MONTHLY, self.year, self.today))
        return [
            HELD if all(month) or (status == NOT_REQUIRED and any(month)) else status
            for month, status in zip(zip(*monthly, strict=True), unheld, strict=True)
        ]

    def _periods(self, status):
        """(requirement, period) pairs of the periods with `status`."""
        return [(row.requirement, period) for row in self.rows for period in row.periods_with(status)]

    @property
    def due_now(self):
        """(requirement, period) pairs of the current periods not yet held: what the branch still owes."""
        return self._periods(DUE)

    @property
    def missing_items(self):
        return self._periods(MISSING)


def branches_for(organizations, year):
    """The branches among `organizations` that existed at some time in `year`, with `has_groups`."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    groups = Organization.objects.existing_during(start, end).filter(
        parent=OuterRef("pk"), kind=Kind.PARTY_GROUP
    )
    return (
        organizations.existing_during(start, end)
        .filter(kind=Kind.BRANCH)
        .annotate(has_groups=Exists(groups))
        .order_by("name_order", "name")
    )


def activity_counts(branch_ids, year):
    """{(branch_id, kind): (count in January, ..., count in December)} of the branches `branch_ids`
    in `year`, in one query, read from the activities held by month (activities.held keeps them as
    activities are written: some 3,000 rows a year at the benchmark's county, where counting the
    year's activities again read 25,000). A 党小组会 held by a 党小组 counts for the group's branch
    (its branch now, read with the rows)."""
    branch_ids = list(branch_ids)
    if not branch_ids:
        return {}
    # The rows are looked up by their organizations (the branches and their groups), so a subtree's
    # branches read their own rows, not the county's year.
    holders = Organization.objects.filter(
        among("pk", branch_ids) | (Q(kind=Kind.PARTY_GROUP) & among("parent_id", branch_ids))
    )
    rows = (
        HeldByMonth.objects.filter(
            year=year, kind__in=REQUIRED_KINDS, organization_id__in=holders.values("pk")
        )
        .filter(
            Q(organization__kind=Kind.BRANCH)
            | Q(organization__kind=Kind.PARTY_GROUP, kind=ActivityKind.GROUP_MEETING)
        )
        .annotate(
            branch_id=Case(
                When(organization__kind=Kind.PARTY_GROUP, then=F("organization__parent_id")),
                default=F("organization_id"),
            ),
        )
        .values_list("branch_id", "kind", *HeldByMonth.MONTHS)
        .order_by()
    )
    # An organization has one row a kind and year, so only a branch's 党小组会 (its own and its
    # groups') can come in more than one: those are added up here, not grouped by the database
    # (at ten times the benchmark's county it grouped 28,700 rows by a CASE with twelve sums, and
    # spilled to disk: 95 ms, where reading them is 40). Read as the database returns them: the
    # months are integers on both databases, and Django's conversion of each (36,000 values at the
    # benchmark's county) took twice the query.
    sql, params = rows.query.sql_with_params()
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            key, months = row[:2], row[2:]
            held = counts.get(key)
            counts[key] = months if held is None else tuple(a + b for a, b in zip(held, months, strict=True))
    return counts


def month_bounds(year):
    """(first day, first day of the next month) of each month of `year`."""
    firsts = [datetime.date(year, month, 1) for month in range(1, 13)] + [datetime.date(year + 1, 1, 1)]
    return list(zip(firsts, firsts[1:], strict=False))


NO_ACTIVITIES = (0,) * 12
# (index in REQUIREMENTS, kind, frequency) of what a branch owes, with groups and without.
_OWED = {
    has_groups: tuple(
        (index, requirement.kind, requirement.frequency)
        for index, requirement in enumerate(REQUIREMENTS)
        if has_groups or not requirement.needs_groups
    )
    for has_groups in (False, True)
}


@lru_cache(maxsize=4096)
def _spans_of(founded_on, dissolved_on, year, today) -> dict:
    """{frequency: span} (``_span``) of an organization of those dates."""
    return {
        frequency: _span_of(founded_on, dissolved_on, frequency, year, today)
        for frequency in (MONTHLY, QUARTERLY, YEARLY)
    }


def branch_rhythm(organization, year, counts, today):
    """One branch's record: the activities of each month of its required kinds, and the counts the
    table sorts by (held, missing, the rate), counted from its spans (``_span``) without making the
    statuses of its periods: at ten times the benchmark's county the table is 4,412 branches."""
    pk = organization.pk
    spans = _spans_of(organization.founded_on, organization.dissolved_on, year, today)
    months = []
    held = missing = held_ended = 0
    for index, kind, frequency in _OWED[bool(getattr(organization, "has_groups", False))]:
        first, last, ended, _ = spans[frequency]
        own = counts.get((pk, kind), NO_ACTIVITIES)
        months.append((index, own))
        if own is NO_ACTIVITIES:  # nothing held: every ended period owed is missing
            missing += max(0, min(last, ended) - first)
            continue
        period_counts = _period_counts(own, frequency)
        held += len(period_counts) - period_counts.count(0)
        held_ended += ended - period_counts[:ended].count(0)
        missing += period_counts[first : min(last, ended)].count(0)
    owed = held_ended + missing
    return BranchRhythm(
        organization=organization,
        year=year,
        today=today,
        months=tuple(months),
        held=held,
        missing=missing,
        rate=None if owed == 0 else held_ended / owed,
    )


def rhythm_table(organizations, year, today=None):
    """The rhythm of every branch among `organizations` (a queryset) in `year`, worst first:
    most missing periods, then lowest share held, then by name. Two queries."""
    today = today or dates.today()
    branches = list(branches_for(organizations, year))
    counts = activity_counts([b.pk for b in branches], year)
    table = [branch_rhythm(b, year, counts, today) for b in branches]
    table.sort(key=lambda r: (-r.missing, r.rate if r.rate is not None else 1.0, r.organization.name_order))
    return table


def worst_first(organizations, year, today) -> list[int]:
    """The ids of the branches of ``rhythm_table(organizations, year, today)``, in its order."""
    return [row.organization.pk for row in rhythm_table(organizations, year, today)]


def county_order(year, today) -> list[int]:
    """Every branch of the county in `year`, worst first, as on `today`: stored for the records'
    version (and the day), so the rhythm page of those who see the whole county (4,412 branches at
    ten times the benchmark's county) makes only its own page of branches; the background warm run
    makes it again after a write."""
    return data_version.cached(
        f"activities:rhythm-order:{year}",
        lambda: worst_first(Organization.objects.all(), year, today),
        year=year,
    )


def rows_of(branch_ids, year, today) -> list:
    """The rhythm of the branches `branch_ids`, in that order (a page of ``county_order``)."""
    rows = {
        row.organization.pk: row
        for row in rhythm_table(Organization.objects.filter(pk__in=branch_ids), year, today)
    }
    return [rows[pk] for pk in branch_ids if pk in rows]


def owed_this_month(branch, today=None):
    """What `branch` still owes in the periods containing today (empty for a non-branch)."""
    today = today or dates.today()
    table = rhythm_table(Organization.objects.filter(pk=branch.pk), today.year, today)
    return table[0].due_now if table else []


STATUS_CLASSES = {
    HELD: "rhythm-held",
    MISSING: "rhythm-missing",
    DUE: "rhythm-due",
    NOT_DUE: "rhythm-not-due",
    NOT_REQUIRED: "rhythm-not-required",
}

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

import calendar
import datetime
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, Sum, When

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


@dataclass
class RequirementRow:
    """One required kind of a branch: the status and count of each period, kept as plain tuples (the
    cells are made when read): the county's table is stored in the cache and read back by the
    report's charts and workbook, and at four times the benchmark's county its 80,000 cell objects
    took 0.7 s to unpickle."""

    requirement: Requirement
    periods: tuple
    statuses: tuple
    counts: tuple
    # Activities of the kind held in each month (1..12), whatever the period's status.
    months: list = field(default_factory=list)

    @property
    def cells(self) -> list[Cell]:
        return [Cell(*cell) for cell in zip(self.periods, self.statuses, self.counts, strict=True)]

    def periods_with(self, status) -> list[Period]:
        return [period for period, own in zip(self.periods, self.statuses, strict=True) if own == status]


@dataclass
class BranchRhythm:
    organization: Organization
    year: int
    today: datetime.date
    rows: list = field(default_factory=list)

    def _periods(self, status):
        """(requirement, period) pairs of the periods with `status`."""
        return [(row.requirement, period) for row in self.rows for period in row.periods_with(status)]

    # Cached (rows are complete once made; branch_rhythm fills these as it makes the rows).
    @cached_property
    def held(self):
        return len(self._periods(HELD))

    @cached_property
    def missing(self):
        return len(self._periods(MISSING))

    @property
    def due_now(self):
        """(requirement, period) pairs of the current periods not yet held: what the branch still owes."""
        return self._periods(DUE)

    @property
    def missing_items(self):
        return self._periods(MISSING)

    @cached_property
    def rate(self):
        """Share of ended required periods that were held (None before anything fell due)."""
        done = sum(1 for _, period in self._periods(HELD) if period.end < self.today)
        owed = done + self.missing
        return None if owed == 0 else done / owed


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
    """{(branch_id, kind): [count in January, ..., count in December]} of the branches `branch_ids`
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
        .values("branch_id", "kind")
        .annotate(**{month: Sum(month) for month in HeldByMonth.MONTHS})
        .values_list("branch_id", "kind", *HeldByMonth.MONTHS)
        .order_by()
    )
    # Read as the database returns them: the twelve sums are integers on both databases, and
    # Django's conversion of each (36,000 values at the benchmark's county) took twice the query.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(branch_id, kind): list(months) for branch_id, kind, *months in cursor.fetchall()}


def month_bounds(year):
    """(first day, first day of the next month) of each month of `year`."""
    firsts = [datetime.date(year, month, 1) for month in range(1, 13)] + [datetime.date(year + 1, 1, 1)]
    return list(zip(firsts, firsts[1:], strict=False))


def _status(organization, period, count, today):
    if count:
        return HELD
    if not organization.exists_on(period.end):
        return NOT_REQUIRED
    if period.end < today:
        return MISSING
    if period.start <= today:
        return DUE
    return NOT_DUE


def branch_rhythm(organization, year, counts, today):
    """One branch's rows. The counts the table sorts by (held, missing, the rate) are kept while
    the cells are made: at county scale 440 branches × 40 cells are made for every table."""
    result = BranchRhythm(organization=organization, year=year, today=today)
    pk = organization.pk
    held = missing = held_ended = 0
    for requirement in REQUIREMENTS:
        if requirement.needs_groups and not getattr(organization, "has_groups", False):
            continue
        kind = requirement.kind
        months = counts.get((pk, kind)) or [0] * 12
        required = periods(requirement.frequency, year)
        statuses, period_counts = [], []
        for period in required:
            count = sum(months[m - 1] for m in period.months)
            status = _status(organization, period, count, today)
            if status == HELD:
                held += 1
                held_ended += period.end < today
            elif status == MISSING:
                missing += 1
            statuses.append(status)
            period_counts.append(count)
        result.rows.append(
            RequirementRow(requirement, required, tuple(statuses), tuple(period_counts), months)
        )
    # The cached properties, known now.
    owed = held_ended + missing
    result.__dict__.update(held=held, missing=missing, rate=None if owed == 0 else held_ended / owed)
    return result


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

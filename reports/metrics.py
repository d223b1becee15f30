"""The numbers of the annual summary (METRICS.md): one registry, read by everything that shows one.

Each metric is a small named function registered with ``@metric``: its code, its Chinese label and
its definition (the docstring). A metric answers with a ``Q`` over the rows of a *source* (a named
queryset for the scope: the year's activities in S, the organizations of S on E, …) and an
aggregate (count, distinct count, sum, minimum). So the number and the list of records behind it
(the drill-down, ``Metric.records``) come from the same filter and cannot disagree.

``compute_all(root, year)`` runs ONE aggregate query per source, whatever the data size, plus one
query for the subtree (see ``ReportScope.intervals``): a fixed number of queries (pinned in
tests/reports/test_metrics.py).

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
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, ExtractMonth, ExtractYear

from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    CondolenceVisit,
    Document,
    DocumentKind,
    ListKind,
    ReminderLetter,
    ResponsibilityItem,
    Topic,
    TrainingAttendance,
)
from activities.selectors import trainees_with_stage
from jiguan import dates
from members.models import (
    INDIVIDUAL_COMMENDATIONS,
    Category,
    Commendation,
    CommendationKind,
    Gender,
    MedalAward,
    Member,
    MemberVersion,
    Stage,
    Status,
)
from organizations.models import (
    LEADING_POSTS,
    Appointment,
    EventKind,
    Kind,
    LiaisonAssignment,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from reports.definitions import DEFINITIONS

# Years a report can be made for: the Party's founding to the current year.
FIRST_YEAR = 1921
# The open end of a stretch of time in the recursive query (valid_to IS NULL: still so).
NO_END = datetime.date(9999, 12, 31)


def year_range() -> range:
    return range(FIRST_YEAR, dates.today().year + 1)


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

    def in_s(
        self, organization_field: str, date_field: str, *, in_year: bool = True, closed: bool = False
    ) -> Q:
        """Records whose organization was in S on the record's date (and, by default, the date in Y).

        `closed` counts the day an organization left S too: a change dated that day (the move out of
        S, a rename the same day) still happened to an organization of S."""
        whole_year, parts = self._whole_year_and_parts
        q = Q(**{f"{organization_field}__in": whole_year})
        before = "lte" if closed else "lt"
        for org_id, f, t in parts:
            q |= Q(**{organization_field: org_id, f"{date_field}__gte": f, f"{date_field}__{before}": t})
        return q & self.year_q(date_field) if in_year else q

    def in_s_while(self, organization_field: str, start_field: str, end_field: str) -> Q:
        """Records running from `start_field` to `end_field` (both inclusive; no end: still
        running) whose organization was in S at some day of Y while they ran."""
        whole_year, parts = self._whole_year_and_parts
        running = Q(**{f"{start_field}__lte": self.end}) & (
            Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": self.start})
        )
        q = Q(**{f"{organization_field}__in": whole_year}) & running
        for org_id, f, t in parts:
            q |= Q(**{organization_field: org_id, f"{start_field}__lt": t}) & (
                Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": f})
            )
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

        return rhythm_table(Organization.objects.subtree_of(self.root, self.end), self.year, self.rhythm_day)

    def subtree_on_end(self) -> QuerySet:
        """R and everything below it on E (ids as a subquery: no query of its own)."""
        return Organization.objects.subtree_of(self.root, self.end).values("pk")

    def __str__(self):
        return f"{self.root} {self.year}"


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


# ---- sources: the querysets metrics aggregate over ----------------------------------------------

SOURCES: dict[str, Callable[[ReportScope], QuerySet]] = {}


def source(name: str):
    def register(function):
        SOURCES[name] = function
        return function

    return register


def _topic(topic: str):
    return Exists(ActivityTopic.objects.filter(activity=OuterRef("pk"), topic=topic))


@source("activities")
def activities_in_s(scope: ReportScope) -> QuerySet:
    """Activities organized in S in Y, flagged by who held them and their topics."""
    return (
        Activity.objects.filter(scope.in_s("organization_id", "date"))
        .annotate(
            held_by_root=Case(
                When(organization_id=scope.root.pk, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            topic_ideology=_topic(Topic.IDEOLOGY),
            topic_integrity=_topic(Topic.INTEGRITY),
            topic_law=_topic(Topic.LAW_STUDY),
            topic_history=_topic(Topic.PARTY_HISTORY),
        )
        .select_related("organization")
    )


@source("joined")
def joined_organizations(scope: ReportScope) -> QuerySet:
    """(activity, joining organization) pairs of activities held by R in Y, R itself left out."""
    through = Activity.joined_organizations.through
    return (
        through.objects.filter(activity__organization_id=scope.root.pk)
        .filter(scope.year_q("activity__date"))
        .exclude(organization_id=scope.root.pk)
        .annotate(
            topic_history=Exists(
                ActivityTopic.objects.filter(activity=OuterRef("activity_id"), topic=Topic.PARTY_HISTORY)
            )
        )
    )


@source("documents")
def documents_of_root(scope: ReportScope) -> QuerySet:
    return Document.objects.filter(issuer_id=scope.root.pk).filter(scope.year_q("issued_on"))


@source("key_tasks")
def work_plan_items(scope: ReportScope) -> QuerySet:
    return ResponsibilityItem.objects.filter(
        responsibility_list__kind=ListKind.WORK_POINTS,
        responsibility_list__year=scope.year,
        responsibility_list__document__issuer_id=scope.root.pk,
    ).select_related("responsibility_list__document", "responsible_organization")


@source("letters")
def letters_of_root(scope: ReportScope) -> QuerySet:
    return ReminderLetter.objects.filter(sender_id=scope.root.pk).filter(scope.year_q("issued_on"))


@source("commendations")
def commendations_of_root(scope: ReportScope) -> QuerySet:
    return (
        Commendation.objects.filter(granted_by_id=scope.root.pk)
        .filter(scope.year_q("date"))
        .select_related("member", "recipient_organization")
    )


@source("condolence_visits")
def condolence_visits(scope: ReportScope) -> QuerySet:
    return (
        CondolenceVisit.objects.filter(activity__kind=ActivityKind.CONDOLENCE_VISIT)
        .filter(scope.in_s("activity__organization_id", "activity__date"))
        .annotate(
            # One person, one key: a member by the roster, someone else by their ID number; without
            # one, each visit is its own person (two people of one name stay two people).
            person_key=Case(
                When(member__isnull=False, then=Concat(Value("m"), "member_id", output_field=CharField())),
                When(
                    id_number_hash__isnull=False,
                    then=Concat(Value("i"), "id_number_hash", output_field=CharField()),
                ),
                default=Concat(Value("v"), "pk", output_field=CharField()),
                output_field=CharField(),
            )
        )
        .select_related("activity__organization")
    )


@source("medals")
def medals_in_s(scope: ReportScope) -> QuerySet:
    """Medals of Y whose member belonged to S on the day of the award."""
    return (
        MedalAward.objects.filter(year=scope.year)
        .filter(
            # One filter() call, so the three conditions apply to the same membership stretch.
            scope.in_s("member__versions__organization_id", "awarded_on", in_year=False)
            & Q(member__versions__valid_from__lte=F("awarded_on"))
            & (Q(member__versions__valid_to__isnull=True) | Q(member__versions__valid_to__gt=F("awarded_on")))
        )
        .select_related("member", "awarded_by")
    )


@source("commendations_received")
def commendations_received(scope: ReportScope) -> QuerySet:
    """Commendations granted in Y (by any organization; a recommendation upward is not one yet) to an
    organization of S, or to a member who belonged to S on the commendation's date."""
    to_an_organization = scope.in_s("recipient_organization_id", "date")
    # One filter() call, so the three conditions apply to the same membership stretch.
    to_a_member = (
        scope.in_s("member__versions__organization_id", "date")
        & Q(member__versions__valid_from__lte=F("date"))
        & (Q(member__versions__valid_to__isnull=True) | Q(member__versions__valid_to__gt=F("date")))
    )
    return (
        Commendation.objects.filter(recommended=False)
        .filter(to_an_organization | to_a_member)
        .select_related("member", "recipient_organization")
    )


@source("organizations_on_end")
def organizations_on_end(scope: ReportScope) -> QuerySet:
    """Organizations of S existing on E, R left out (the kinds are filtered by each metric)."""
    return (
        Organization.objects.as_of(scope.end)
        .filter(pk__in=scope.subtree_on_end())
        .exclude(pk=scope.root.pk)
        .select_related("unit")
    )


@source("members_on_end")
def members_on_end(scope: ReportScope) -> QuerySet:
    """Members (full and probationary) on the roster on E in an organization of S on E."""
    return Member.objects.as_of(scope.end).filter(organization_then_id__in=scope.subtree_on_end())


def organization_events(scope: ReportScope) -> QuerySet:
    """Events of Y that happened to an organization of S: in S on the event's day, or leaving S
    that day (a move out of S is a change of S; a rename after leaving is not)."""
    return OrganizationEvent.objects.filter(scope.in_s("organization_id", "date", closed=True))


@source("organizations_changed")
def organizations_changed(scope: ReportScope) -> QuerySet:
    """Organizations that were in S at some day of Y, with what happened to them in Y while they
    were in S (``organization_events``): founded within S, dissolved while in S."""

    def happened(kind):
        return Exists(organization_events(scope).filter(organization_id=OuterRef("pk"), kind=kind))

    def on_a_day_in_s(field):
        return Case(
            When(scope.in_s("pk", field, closed=True), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )

    return Organization.objects.filter(pk__in=scope.year_organization_ids).annotate(
        renamed=happened(EventKind.RENAMED),
        reparented=happened(EventKind.REPARENTED),
        founded_in_year=on_a_day_in_s("founded_on"),
        dissolved_in_year=on_a_day_in_s("dissolved_on"),
    )


@source("appointments")
def leader_appointments(scope: ReportScope) -> QuerySet:
    return (
        Appointment.objects.filter(post__in=LEADING_POSTS)
        .filter(scope.in_s("organization_id", "start_on"))
        .exclude(organization_id=scope.root.pk)
        .select_related("organization")
    )


def membership_on(scope: ReportScope, date_field: str) -> QuerySet:
    """For members whose `date_field` (入党日期, 转正日期) falls in Y: the membership stretch that
    places them in an organization of S that day, one per member.

    That is the stretch covering the day, when its organization was in S on the day. Where the
    records place the member in no organization that day:

    - an imported member whose organization was founded later (their membership starts on its
      founding): their first stretch, when its organization was in S on the day it began;
    - a member who left the roster that very day (confirmed on the day they transferred out): the
      stretch that ended that day, when its organization was in S on the day.

    Those are found with one query (and, when an organization founded after Y is involved, one more
    for where it stood): usually none.
    """
    day = f"member__{date_field}"
    covering = Q(valid_from__lte=F(day)) & (Q(valid_to__isnull=True) | Q(valid_to__gt=F(day)))
    placed = scope.in_s("organization_id", day) & covering
    return MemberVersion.objects.filter(placed | Q(pk__in=_stretches_of_unplaced(scope, date_field)))


MEMBERSHIP_DATES = ("admitted_on", "confirmed_on")


def _stretches_of_unplaced(scope: ReportScope, date_field: str) -> list[int]:
    """The stretches ``membership_on`` takes for members no stretch places on their `date_field`
    in Y. One query for both dates of MEMBERSHIP_DATES (cached on the scope)."""
    cache = scope.__dict__.get("_unplaced")
    if cache is None:
        earlier = MemberVersion.objects.filter(
            member_id=OuterRef("member_id"), valid_from__lt=OuterRef("valid_from")
        )
        flags, any_kind = {}, Q(pk__in=[])
        for field in MEMBERSHIP_DATES:
            day = f"member__{field}"
            on_the_day = MemberVersion.objects.filter(
                member_id=OuterRef("member_id"), valid_from__lte=OuterRef(day)
            )
            on_the_day = on_the_day.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef(day)))
            unplaced = scope.year_q(day) & ~Exists(on_the_day)
            kinds = {
                "first": unplaced & Q(valid_from__gt=F(day)) & ~Exists(earlier),
                "ended": unplaced & Q(valid_to=F(day)),
            }
            for kind, condition in kinds.items():
                flags[f"{kind}_{field}"] = Case(
                    When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
                )
                any_kind |= condition
        rows = (
            MemberVersion.objects.filter(any_kind)
            .annotate(**flags)
            .values(
                "pk", "organization_id", "valid_from", *(f"member__{f}" for f in MEMBERSHIP_DATES), *flags
            )
        )
        cache = {field: [] for field in MEMBERSHIP_DATES}
        for row in rows:
            for field in MEMBERSHIP_DATES:
                if row[f"first_{field}"]:
                    judged_on = row["valid_from"]
                elif row[f"ended_{field}"]:
                    judged_on = row[f"member__{field}"]
                else:
                    continue
                if scope.was_in_s(row["organization_id"], judged_on):
                    cache[field].append(row["pk"])
        scope.__dict__["_unplaced"] = cache
    return cache[date_field]


@source("admissions")
def admissions(scope: ReportScope) -> QuerySet:
    """Membership stretches placing each member admitted (入党日期) in Y in the admitting
    organization, in S (``membership_on``)."""
    return membership_on(scope, "admitted_on").select_related("member", "organization")


@source("confirmations")
def confirmations(scope: ReportScope) -> QuerySet:
    """As ``admissions``, for the members confirmed (转正日期) in Y."""
    return membership_on(scope, "confirmed_on").select_related("member", "organization")


@source("trainees")
def trainees(scope: ReportScope) -> QuerySet:
    """Trainees of trainings in S in Y, with `stage_then`, their stage on the training's date."""
    return (
        trainees_with_stage(
            TrainingAttendance.objects.filter(scope.in_s("activity__organization_id", "activity__date"))
        )
        .annotate(
            person_key=Case(
                When(
                    prospect__isnull=False, then=Concat(Value("p"), "prospect_id", output_field=CharField())
                ),
                default=Concat(Value("m"), "member_id", output_field=CharField()),
                output_field=CharField(),
            )
        )
        .select_related("activity__organization", "prospect", "member")
    )


@source("liaisons")
def liaisons(scope: ReportScope) -> QuerySet:
    """Liaison assignments of R's leadership active at some day of Y (end day inclusive)."""
    return (
        LiaisonAssignment.objects.filter(committee_id=scope.root.pk, start_on__lte=scope.end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=scope.start))
        .select_related("organization")
    )


# ---- what the drill-down shows besides the counted rows -------------------------------------------


def _organization_name_on(organization_ref, day_ref):
    """The name the organization bore on the day (both outer references or values)."""
    version = OrganizationVersion.objects.filter(
        organization=organization_ref, valid_from__lte=day_ref
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day_ref))
    return Subquery(version.values("name")[:1], output_field=CharField())


def _members_on_end_details(scope: ReportScope, qs: QuerySet) -> QuerySet:
    """Each member's organization on E, under the name it bore on E (not the member's organization now)."""
    return qs.annotate(
        organization_then_name=_organization_name_on(OuterRef("organization_then_id"), scope.end)
    )


def _membership_details(date_field: str):
    def details(scope: ReportScope, qs: QuerySet) -> QuerySet:
        """The organization under the name it bore on the day (or, for a member placed in it from
        its founding, on that day)."""
        return qs.annotate(
            organization_then_name=Coalesce(
                _organization_name_on(OuterRef("organization_id"), OuterRef(f"member__{date_field}")),
                _organization_name_on(OuterRef("organization_id"), OuterRef("valid_from")),
            )
        )

    return details


# Per source: annotations the records tables read (kept out of compute_all's aggregate queries).
RECORD_DETAILS: dict[str, Callable[[ReportScope, QuerySet], QuerySet]] = {
    "members_on_end": _members_on_end_details,
    "admissions": _membership_details("admitted_on"),
    "confirmations": _membership_details("confirmed_on"),
}


# ---- the registry -------------------------------------------------------------------------------


@dataclasses.dataclass
class Metric:
    code: str
    label: str
    doc: str
    kind: type  # int, Decimal or datetime.date
    source: str | None
    condition: Callable[[ReportScope], Q] | None
    aggregate: str = "count"  # count | distinct:<field> | sum:<field> | min:<field>
    convert: Callable[[Any], Any] | None = None
    derive: Callable[[dict], Any] | None = None
    records_function: Callable[[ReportScope], Any] | None = None
    # Read from what the scope computed once (the 三会一课 record), not from a source.
    scope_function: Callable[[ReportScope], Any] | None = None
    # The sources whose records the number stands on, when it has no source of its own.
    presence: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources whose records the number stands on (for "上年无记录")."""
        if self.source:
            return (self.source,)
        if self.derive:
            return tuple(sorted({REGISTRY[c].source for c in _DERIVED_NEEDS.get(self.code, ())}))
        return self.presence

    @property
    def definition(self) -> str:
        """The definition in Chinese, as users read it (reports.definitions)."""
        return DEFINITIONS[self.code]

    def expression(self, scope: ReportScope):
        condition = self.condition(scope)
        how, _, field = self.aggregate.partition(":")
        if how == "count":
            return Count("pk", filter=condition)
        if how == "distinct":
            return Count(field, filter=condition, distinct=True)
        if how == "sum":
            return Sum(field, filter=condition)
        if how == "min":
            return Min(field, filter=condition)
        raise ValueError(self.aggregate)

    def finish(self, raw):
        if self.convert:
            return self.convert(raw)
        if self.kind is int:
            return int(raw or 0)
        return raw

    def compute(self, scope: ReportScope):
        """This metric alone (compute_all computes every metric of a source in one query)."""
        return compute_all(scope.root, scope.year, codes=[self.code], scope=scope)[self.code]

    def records(self, scope: ReportScope):
        """The records behind the number (a queryset), for the drill-down."""
        if self.records_function:
            return self.records_function(scope)
        if self.source is None:
            raise ValueError(f"{self.code} has no records")
        qs = SOURCES[self.source](scope).filter(self.condition(scope))
        if self.source in RECORD_DETAILS:
            qs = RECORD_DETAILS[self.source](scope, qs)
        how, _, field = self.aggregate.partition(":")
        if how == "min":
            # The rows on the first date (a filter, not a slice: the drill-down table sorts it).
            first = qs.order_by(field).values(field)[:1]
            return qs.filter(**{field: Subquery(first)})
        return qs

    def records_with(self, function):
        """Decorator: a records function for a metric whose rows are not the source's."""
        self.records_function = function
        return function


REGISTRY: OrderedDict[str, Metric] = OrderedDict()


def metric(code: str, label: str, *, source: str, aggregate: str = "count", kind: type = int, convert=None):
    """Register a metric: the function returns the Q selecting its rows of `source`."""

    def register(function):
        REGISTRY[code] = Metric(
            code=code,
            label=label,
            doc=(function.__doc__ or "").strip(),
            kind=kind,
            source=source,
            condition=function,
            aggregate=aggregate,
            convert=convert,
        )
        return REGISTRY[code]

    return register


def derived(code: str, label: str, *, kind: type = int, records=None):
    """Register a metric computed from other metrics' values."""

    def register(function):
        REGISTRY[code] = Metric(
            code=code,
            label=label,
            doc=(function.__doc__ or "").strip(),
            kind=kind,
            source=None,
            condition=None,
            derive=function,
            records_function=records,
        )
        return REGISTRY[code]

    return register


def from_scope(code: str, label: str, *, presence: str, records, kind: type = int):
    """Register a metric read from what the scope computes once (`presence`: the source whose
    records it stands on)."""

    def register(function):
        REGISTRY[code] = Metric(
            code=code,
            label=label,
            doc=(function.__doc__ or "").strip(),
            kind=kind,
            source=None,
            condition=None,
            records_function=records,
            scope_function=function,
            presence=(presence,),
        )
        return REGISTRY[code]

    return register


def held_by_root() -> Q:
    return Q(held_by_root=1)


# The metrics, in METRICS.md order (the 指标 sheet and the tests rely on it).


@metric("central_group_study_sessions", "工委理论学习中心组学习次数", source="activities")
def central_group_study_sessions(scope):
    """activities of kind 理论学习中心组学习 held by R in Y"""
    return held_by_root() & Q(kind=ActivityKind.CENTRAL_GROUP_STUDY)


@metric("ideology_sessions", "研究安排意识形态工作次数", source="activities")
def ideology_sessions(scope):
    """activities held by R in Y with topic 意识形态"""
    return held_by_root() & Q(topic_ideology=True)


@metric("integrity_education_sessions", "党风廉政教育及安排次数", source="activities")
def integrity_education_sessions(scope):
    """activities held by R in Y with topic 党风廉政"""
    return held_by_root() & Q(topic_integrity=True)


@metric("law_study_sessions", "每月一法学习活动次数", source="activities")
def law_study_sessions(scope):
    """activities held by R in Y with topic 学法"""
    return held_by_root() & Q(topic_law=True)


@metric("lists_issued", "下发责任清单个数", source="documents")
def lists_issued(scope):
    """responsibility lists issued by R in Y (the annual work points 党建工作要点 are not counted here:
    they have their own sentence); the report also prints their document numbers"""
    # Documents of kind 责任清单, with or without their items entered: the work points are issued
    # as documents of kind 工作要点 (activities.services.responsibility_list_issue).
    return Q(kind=DocumentKind.RESPONSIBILITY_LIST)


@metric("work_plan_key_tasks", "党建工作要点重点任务项数", source="key_tasks")
def work_plan_key_tasks(scope):
    """key tasks in R's annual work points (党建工作要点) for Y"""
    return Q(is_key_task=True)


@metric(
    "party_member_training_person_times",
    "培训党员人次",
    source="activities",
    aggregate="sum:attended_count",
)
def party_member_training_person_times(scope):
    """sum of attendance (实到人数) of activities of kind 培训 in S in Y"""
    return Q(kind=ActivityKind.TRAINING)


@metric(
    "red_site_joint_orgs",
    "共同开展党史学习教育活动的党组织数",
    source="joined",
    aggregate="distinct:organization",
)
def red_site_joint_orgs(scope):
    """distinct organizations other than R that joined activities held by R in Y with topic 党史学习教育"""
    return Q(topic_history=True)


@metric("oath_date", "纳新党员集中宣誓日期", source="activities", aggregate="min:date", kind=datetime.date)
def oath_date(scope):
    """date of the first activity of kind 入党宣誓 held by R in Y"""
    return held_by_root() & Q(kind=ActivityKind.OATH)


@metric("commended_members", "表彰优秀共产党员人数", source="commendations")
def commended_members(scope):
    """优秀共产党员 commendations granted by R in Y"""
    return Q(kind=CommendationKind.OUTSTANDING_MEMBER, recommended=False)


@metric("commended_workers", "表彰优秀党务工作者人数", source="commendations")
def commended_workers(scope):
    """优秀党务工作者 commendations granted by R in Y"""
    return Q(kind=CommendationKind.OUTSTANDING_WORKER, recommended=False)


@metric("commended_orgs", "表彰先进基层党组织个数", source="commendations")
def commended_orgs(scope):
    """先进基层党组织 commendations granted by R in Y"""
    return Q(kind=CommendationKind.ADVANCED_ORGANIZATION, recommended=False)


@metric("recommended_individuals", "向上推荐表彰个人数", source="commendations")
def recommended_individuals(scope):
    """individual commendations R recommended to a higher body in Y"""
    return Q(recommended=True) & ~Q(kind=CommendationKind.ADVANCED_ORGANIZATION)


@metric("recommended_collectives", "向上推荐表彰集体数", source="commendations")
def recommended_collectives(scope):
    """collective commendations R recommended to a higher body in Y"""
    return Q(recommended=True, kind=CommendationKind.ADVANCED_ORGANIZATION)


@metric("condolence_persons", "走访慰问人数", source="condolence_visits", aggregate="distinct:person_key")
def condolence_persons(scope):
    """distinct people visited (走访慰问) by organizations of S in Y"""
    return Q()


# Yuan have two decimals, so 万元 have six: exact.
WAN_EXACT = Decimal("0.000001")


def _wan(raw) -> Decimal:
    """Yuan to 万元, exactly (12,250.00 yuan → 1.225): the workbook holds this value; the text prints
    it with two decimals rounded half up (reports.placeholders.format_value: 1.23)."""
    exact = (Decimal(raw or 0) / Decimal(10000)).quantize(WAN_EXACT).normalize()
    return exact if exact.as_tuple().exponent < -2 else exact.quantize(Decimal("0.01"))


@metric(
    "condolence_amount_wan",
    "发放慰问金（万元）",
    source="condolence_visits",
    aggregate="sum:amount",
    kind=Decimal,
    convert=_wan,
)
def condolence_amount_wan(scope):
    """sum of condolence money paid in those visits, in 万元: the workbook holds the exact value
    (12,250.00 yuan → 1.225), the text prints two decimals rounded half up (1.23)"""
    return Q()


@metric("medals_50_years", "“光荣在党50年”纪念章人数", source="medals")
def medals_50_years(scope):
    """光荣在党50年 medals awarded in Y to members of S"""
    return Q()


@metric("orgs_total", "机关基层党组织总数", source="organizations_on_end")
def orgs_total(scope):
    """organizations of S other than R, existing on E, of kind 机关党委, 党总支部 or 党支部"""
    return Q(kind__in=[Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH])


@metric("orgs_party_committees", "机关党委个数", source="organizations_on_end")
def orgs_party_committees(scope):
    """of those, kind 机关党委"""
    return Q(kind=Kind.PARTY_COMMITTEE)


@metric("orgs_general_branches", "党总支部个数", source="organizations_on_end")
def orgs_general_branches(scope):
    """of those, kind 党总支部"""
    return Q(kind=Kind.GENERAL_BRANCH)


@metric("orgs_branches", "党支部个数", source="organizations_on_end")
def orgs_branches(scope):
    """of those, kind 党支部"""
    return Q(kind=Kind.BRANCH)


@metric("members_in_service", "在职党员人数", source="members_on_end")
def members_in_service(scope):
    """members (full and probationary) of S on E whose category is 在职"""
    return Q(category_then=Category.IN_SERVICE)


@metric("volunteer_attendance", "志愿服务参加人次", source="activities", aggregate="sum:attended_count")
def volunteer_attendance(scope):
    """sum of attendance of activities of kind 志愿服务 in S in Y (helper of the next metric)"""
    return Q(kind=ActivityKind.VOLUNTEER_SERVICE)


def _volunteer_records(scope):
    return REGISTRY["volunteer_attendance"].records(scope)


@derived("volunteer_services_per_member", "在职党员人均志愿服务次数", records=_volunteer_records)
def volunteer_services_per_member(values):
    """sum of attendance of activities of kind 志愿服务 in S in Y, divided by `members_in_service`, rounded down"""
    if not values["members_in_service"]:
        return 0
    return values["volunteer_attendance"] // values["members_in_service"]


@metric("orgs_renamed", "更名党组织个数", source="organizations_changed")
def orgs_renamed(scope):
    """distinct organizations of S renamed in Y"""
    return Q(renamed=True)


@metric("orgs_dissolved", "撤销党组织个数", source="organizations_changed")
def orgs_dissolved(scope):
    """organizations of S dissolved in Y; the report also prints their names"""
    return Q(dissolved_in_year=1)


@metric("orgs_established_party_committees", "新设立机关党委个数", source="organizations_changed")
def orgs_established_party_committees(scope):
    """organizations of kind 机关党委 founded in Y within S"""
    return Q(founded_in_year=1, kind=Kind.PARTY_COMMITTEE)


@metric("orgs_established_discipline_committees", "新设立机关纪委个数", source="organizations_changed")
def orgs_established_discipline_committees(scope):
    """kind 机关纪委, founded in Y within S"""
    return Q(founded_in_year=1, kind=Kind.DISCIPLINE_COMMITTEE)


@metric("orgs_established_general_branches", "新设立党总支部个数", source="organizations_changed")
def orgs_established_general_branches(scope):
    """kind 党总支部, founded in Y within S"""
    return Q(founded_in_year=1, kind=Kind.GENERAL_BRANCH)


@metric("orgs_established_branches", "新设立党支部个数", source="organizations_changed")
def orgs_established_branches(scope):
    """kind 党支部, founded in Y within S"""
    return Q(founded_in_year=1, kind=Kind.BRANCH)


@metric("orgs_dissolved_general_branches", "撤销党总支部个数", source="organizations_changed")
def orgs_dissolved_general_branches(scope):
    """organizations of kind 党总支部 of S dissolved in Y"""
    return Q(dissolved_in_year=1, kind=Kind.GENERAL_BRANCH)


@metric("orgs_reparented", "调整隶属关系党组织个数", source="organizations_changed")
def orgs_reparented(scope):
    """distinct organizations of S moved under another parent in Y"""
    return Q(reparented=True)


@metric("leader_changes", "调整下属党组织负责人人次", source="appointments")
def leader_changes(scope):
    """appointments to the posts 书记 or 副书记 (专职副书记 included) that start in Y, in organizations of S other than R"""
    return Q()


@metric("probationary_admitted", "吸收预备党员人数", source="admissions", aggregate="distinct:member")
def probationary_admitted(scope):
    """members whose 入党日期 falls in Y and whose admitting organization was in S: the organization
    they belonged to on 入党日期, or, where the records place them in none that day (an imported
    member whose organization was founded later), the first organization they belonged to"""
    return Q()


@metric("activists_trained", "培训入党积极分子人数", source="trainees", aggregate="distinct:person_key")
def activists_trained(scope):
    """distinct people trained in Y who were 入党积极分子 on the training's date (the stage follows
    from the dates of their development steps, not from the stage they have when the training is
    entered), in organizations of S"""
    return Q(stage_then=Stage.ACTIVIST, activity__kind=ActivityKind.TRAINING)


@metric("candidates_trained", "培训发展对象人数", source="trainees", aggregate="distinct:person_key")
def candidates_trained(scope):
    """distinct people trained in Y who were 发展对象 on the training's date (as above)"""
    return Q(stage_then=Stage.CANDIDATE, activity__kind=ActivityKind.TRAINING)


@metric("liaison_leaders", "联系指导的班子成员人数", source="liaisons", aggregate="distinct:leader_name")
def liaison_leaders(scope):
    """members of R's leadership with a liaison assignment (联系点) active in Y"""
    return Q()


@metric("liaison_orgs", "班子成员联系指导的党组织数", source="liaisons", aggregate="distinct:organization")
def liaison_orgs(scope):
    """distinct organizations of S assigned to them, wherever they stand in the tree"""
    # In S at some day of Y while the assignment ran (end day inclusive), at any depth below R.
    return scope.in_s_while("organization_id", "start_on", "end_on")


@metric(
    "joint_activity_orgs", "与工委共同开展活动的党组织数", source="joined", aggregate="distinct:organization"
)
def joint_activity_orgs(scope):
    """distinct organizations other than R that joined any activity held by R in Y"""
    return Q()


@metric("reminder_letters", "发放工作提醒函份数", source="letters")
def reminder_letters(scope):
    """reminder letters issued by R in Y"""
    return Q(issued_on__isnull=False)


@metric("regulations_revised", "修订完善工委内部制度项数", source="documents")
def regulations_revised(scope):
    """internal regulations (内部制度) of R issued or revised in Y"""
    return Q(kind=DocumentKind.REGULATION)


@metric("integrity_special_meetings", "工委专题研究党风廉政建设次数", source="activities")
def integrity_special_meetings(scope):
    """meetings of R's own committee (工委会议) in Y with topic 党风廉政"""
    return held_by_root() & Q(kind=ActivityKind.COMMITTEE_SESSION, topic_integrity=True)


# ---- beyond METRICS.md: the report of a 机关党委, 党总支部 or 党支部 ------------------------------
# Definitions in docs/metrics-organizations.md, in the same notation (R, Y, S, E).


@metric("members_total", "党员总数", source="members_on_end")
def members_total(scope):
    """members (full and probationary) of S on E"""
    return Q()


@metric("members_full", "正式党员人数", source="members_on_end")
def members_full(scope):
    """of those, full members (正式党员) on E"""
    return Q(status_then=Status.FULL)


@metric("members_probationary", "预备党员人数", source="members_on_end")
def members_probationary(scope):
    """of those, probationary members (预备党员) on E"""
    return Q(status_then=Status.PROBATIONARY)


@metric("members_retired", "离退休党员人数", source="members_on_end")
def members_retired(scope):
    """of those, members whose category on E is 离退休"""
    return Q(category_then=Category.RETIRED)


@metric("members_confirmed", "预备党员转正人数", source="confirmations", aggregate="distinct:member")
def members_confirmed(scope):
    """members whose 转正日期 falls in Y and whose organization was in S: the organization they belonged
    to on 转正日期, or, where the records place them in none that day, the first organization they
    belonged to (as for `probationary_admitted`)"""
    return Q()


@metric("general_meetings", "召开支部党员大会次数", source="activities")
def general_meetings(scope):
    """activities of kind 支部党员大会 in S in Y"""
    return Q(kind=ActivityKind.GENERAL_MEETING)


@metric("branch_committee_meetings", "召开支部委员会次数", source="activities")
def branch_committee_meetings(scope):
    """activities of kind 支部委员会 in S in Y"""
    return Q(kind=ActivityKind.COMMITTEE_MEETING)


@metric("group_meetings", "召开党小组会次数", source="activities")
def group_meetings(scope):
    """activities of kind 党小组会 in S in Y (held by the 党小组 of S)"""
    return Q(kind=ActivityKind.GROUP_MEETING)


@metric("party_lectures", "讲党课次数", source="activities")
def party_lectures(scope):
    """activities of kind 党课 in S in Y"""
    return Q(kind=ActivityKind.PARTY_LECTURE)


@metric("theme_days", "开展主题党日次数", source="activities")
def theme_days(scope):
    """activities of kind 主题党日 in S in Y"""
    return Q(kind=ActivityKind.THEME_DAY)


@metric("life_meetings", "召开组织生活会次数", source="activities")
def life_meetings(scope):
    """activities of kind 组织生活会 in S in Y"""
    return Q(kind=ActivityKind.LIFE_MEETING)


@metric("democratic_reviews", "开展民主评议党员次数", source="activities")
def democratic_reviews(scope):
    """activities of kind 民主评议党员 in S in Y"""
    return Q(kind=ActivityKind.DEMOCRATIC_REVIEW)


def _branches_with_missing_periods(scope):
    ids = [branch.organization.pk for branch in scope.rhythm if branch.missing]
    return Organization.objects.filter(pk__in=ids)


@from_scope(
    "rhythm_missing",
    "三会一课等组织生活缺项次数",
    presence="activities",
    records=_branches_with_missing_periods,
)
def rhythm_missing(scope):
    """required periods (DOMAIN.md frequencies) that ended without their activity, summed over the
    branches of S: the 三会一课 record of activities.rhythm, read after Y ended (today in the current
    year); the drill-down lists the branches with a missing period"""
    return sum(branch.missing for branch in scope.rhythm)


@metric(
    "members_commended",
    "受表彰党员人数",
    source="commendations_received",
    aggregate="distinct:member",
)
def members_commended(scope):
    """distinct members of S (on the commendation's date) granted 优秀共产党员 or 优秀党务工作者 in Y,
    by any organization (a recommendation upward is not counted)"""
    return Q(kind__in=INDIVIDUAL_COMMENDATIONS, member__isnull=False)


@metric(
    "orgs_commended",
    "获评先进基层党组织个数",
    source="commendations_received",
    aggregate="distinct:recipient_organization",
)
def orgs_commended(scope):
    """distinct organizations of S (on the commendation's date) granted 先进基层党组织 in Y, by any
    organization (a recommendation upward is not counted)"""
    return Q(kind=CommendationKind.ADVANCED_ORGANIZATION, recipient_organization__isnull=False)


def _joined_organizations_records(metric_code):
    def records(scope):
        pairs = REGISTRY[metric_code].condition(scope)
        ids = joined_organizations(scope).filter(pairs).values("organization_id")
        return Organization.objects.filter(pk__in=ids)

    return records


for _code in ("red_site_joint_orgs", "joint_activity_orgs"):
    REGISTRY[_code].records_function = _joined_organizations_records(_code)


@REGISTRY["liaison_orgs"].records_with
def _liaison_orgs_records(scope):
    assigned = liaisons(scope).filter(REGISTRY["liaison_orgs"].condition(scope)).values("organization_id")
    return Organization.objects.filter(pk__in=assigned)


# Helper metrics (not in METRICS.md) that other metrics derive from; not shown on their own.
HELPER_CODES = {"volunteer_attendance"}


def metric_codes() -> list[str]:
    """The codes of METRICS.md, in its order."""
    return [code for code in REGISTRY if code not in HELPER_CODES]


# ---- computing ----------------------------------------------------------------------------------


def compute_all(root: Organization, year: int, *, codes=None, scope: ReportScope | None = None) -> dict:
    """Every metric (or those of `codes`) for R and Y: one aggregate query per source, plus one for
    the subtree's stretches, one for members placed by their first organization (``membership_on``)
    and the two of the 三会一课 record. Returns {code: value} in registry order (helpers left out)."""
    return _compute(scope or ReportScope(root, year), codes)[0]


def compute_last_year(root: Organization, year: int) -> dict:
    """Last year's values beside the report of `year`: compute_all for year − 1, where a metric whose
    records are all missing that year (no activity, no document, no member … at all, as before a
    county started using the system) is NO_RECORDS, so comparisons say 上年无记录, not "+388"."""
    values, empty = _compute(ReportScope(root, year - 1), None)
    unrecorded = {name for family in RECORD_FAMILIES for name in family if family <= empty}
    return {
        code: NO_RECORDS if any(name in unrecorded for name in REGISTRY[code].sources) else value
        for code, value in values.items()
    }


# Sources that read the same kind of record: a year "has no records" of a kind when all of them
# are empty. So a year with members on the roster compares its 0 admissions (a real 0), and a year
# with no activity at all says 无记录 for every number read from activities.
RECORD_FAMILIES = [
    frozenset({"activities", "joined", "trainees", "condolence_visits"}),
    frozenset({"documents", "key_tasks", "letters"}),
    frozenset({"members_on_end", "admissions", "confirmations", "medals"}),
    frozenset({"commendations", "commendations_received"}),
    frozenset({"organizations_on_end", "organizations_changed", "appointments", "liaisons"}),
]


class NoRecords:
    """The value of a year with no records at all of the kind a metric counts."""

    def __str__(self):
        return "无记录"

    def __repr__(self):
        return "NO_RECORDS"


NO_RECORDS = NoRecords()


def _compute(scope: ReportScope, codes) -> tuple[dict, set[str]]:
    """(values, the sources with no rows at all in Y)."""
    wanted = list(codes) if codes is not None else list(REGISTRY)
    needed = set(wanted)
    for code in wanted:
        if REGISTRY[code].derive is not None:
            needed |= _DERIVED_NEEDS.get(code, set())
    by_source: dict[str, list[Metric]] = {}
    for code in REGISTRY:
        m = REGISTRY[code]
        if code in needed and m.source:
            by_source.setdefault(m.source, []).append(m)
    values: dict[str, Any] = {}
    empty: set[str] = set()
    for name, metrics in by_source.items():
        aggregates = {m.code: m.expression(scope) for m in metrics}
        raw = SOURCES[name](scope).order_by().aggregate(source_rows=Count("pk"), **aggregates)
        if not raw["source_rows"]:
            empty.add(name)
        for m in metrics:
            values[m.code] = m.finish(raw[m.code])
    for code in REGISTRY:
        m = REGISTRY[code]
        if code in needed and m.derive:
            values[code] = m.derive(values)
        elif code in needed and m.scope_function:
            values[code] = m.scope_function(scope)
    result = {
        code: values[code] for code in REGISTRY if code in wanted and (code not in HELPER_CODES or codes)
    }
    return result, empty


_DERIVED_NEEDS = {"volunteer_services_per_member": {"members_in_service", "volunteer_attendance"}}


def metric_records(code: str, root: Organization, year: int):
    """The records behind one metric for R and Y (queryset)."""
    return REGISTRY[code].records(ReportScope(root, year))


# ---- list placeholders: names and numbers the text prints -----------------------------------------


def lists_issued_numbers(scope: ReportScope) -> list[str]:
    """Document numbers of the responsibility lists counted by lists_issued, in issue order."""
    documents = REGISTRY["lists_issued"].records(scope).order_by("issued_on", "serial")
    return [d.number for d in documents]


def orgs_dissolved_names(scope: ReportScope) -> list[str]:
    """Names (as they were when dissolved) of the organizations counted by orgs_dissolved."""
    names_then = OrganizationVersion.objects.filter(
        organization_id=OuterRef("pk"), valid_from__lte=OuterRef("dissolved_on")
    ).order_by("-valid_from")
    rows = (
        REGISTRY["orgs_dissolved"]
        .records(scope)
        .annotate(name_then=Coalesce(Subquery(names_then.values("name")[:1]), F("name")))
        .order_by("dissolved_on", "name")
    )
    return [row.name_then for row in rows]


LIST_PLACEHOLDERS: OrderedDict[str, tuple[str, Callable[[ReportScope], list[str]]]] = OrderedDict(
    [
        ("lists_issued_numbers", ("下发责任清单的文号", lists_issued_numbers)),
        ("orgs_dissolved_names", ("撤销党组织的名称", orgs_dissolved_names)),
    ]
)


# ---- breakdowns beyond the seed (workbook, dashboard) ------------------------------------------

AGE_BANDS = [
    (None, 30, "30岁及以下"),
    (31, 40, "31至40岁"),
    (41, 50, "41至50岁"),
    (51, 60, "51至60岁"),
    (61, None, "61岁及以上"),
]


def _age_band_expression(year: int):
    # E is 31 December, so the age on E is Y minus the year of birth.
    whens = []
    for low, high, label in AGE_BANDS:
        condition = Q()
        if low is not None:
            condition &= Q(birth_year__lte=year - low)
        if high is not None:
            condition &= Q(birth_year__gte=year - high)
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, output_field=CharField())


MEMBER_BREAKDOWNS = {
    "status": ("党员类别", dict(Status.choices)),
    "category": ("人员类别", dict(Category.choices)),
    "gender": ("性别", dict(Gender.choices)),
    "age_band": ("年龄段", {label: label for _, _, label in AGE_BANDS}),
    "education": ("学历", {}),
    "ethnicity": ("民族", {}),
}


def members_by(scope: ReportScope, dimension: str) -> list[tuple[str, int]]:
    """Members of S on E counted by one dimension (one grouped query): [(label, count)]."""
    qs = members_on_end(scope).order_by()
    field = {"status": "status_then", "category": "category_then"}.get(dimension, dimension)
    if dimension == "age_band":
        qs = qs.annotate(birth_year=ExtractYear("birth_date")).annotate(
            age_band=_age_band_expression(scope.year)
        )
    labels = MEMBER_BREAKDOWNS[dimension][1]
    rows = qs.values(field).annotate(n=Count("pk")).order_by(field)
    counted = {row[field]: row["n"] for row in rows}
    if dimension == "age_band":
        return [(label, counted.get(label, 0)) for _, _, label in AGE_BANDS]
    if labels:
        return [(labels[key], counted.get(key, 0)) for key in labels]
    return sorted(((key or "未填写", n) for key, n in counted.items()), key=lambda kv: -kv[1])


def members_by_category_and_status(scope: ReportScope) -> list[tuple[str, str, int]]:
    rows = members_on_end(scope).order_by().values("category_then", "status_then").annotate(n=Count("pk"))
    counted = {(r["category_then"], r["status_then"]): r["n"] for r in rows}
    return [
        (category_label, status_label, counted.get((category, status), 0))
        for category, category_label in Category.choices
        for status, status_label in Status.choices
    ]


def organizations_by_kind(scope: ReportScope) -> list[tuple[str, int]]:
    """Organizations of S on E (R left out) by kind, every kind listed."""
    rows = organizations_on_end(scope).order_by().values("kind").annotate(n=Count("pk"))
    counted = {r["kind"]: r["n"] for r in rows}
    return [(label, counted.get(kind, 0)) for kind, label in Kind.choices if kind != Kind.WORKING_COMMITTEE]


def activities_by_kind_and_month(scope: ReportScope) -> list[tuple[str, list[int]]]:
    """Activities in S in Y: [(kind label, [count of month 1..12])], every kind listed."""
    rows = (
        activities_in_s(scope)
        .order_by()
        .annotate(month=ExtractMonth("date"))
        .values("kind", "month")
        .annotate(n=Count("pk"))
    )
    counted = {(r["kind"], r["month"]): r["n"] for r in rows}
    return [
        (label, [counted.get((kind, m), 0) for m in range(1, 13)]) for kind, label in ActivityKind.choices
    ]

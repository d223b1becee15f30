"""Sources: the named querysets metrics aggregate over, for a scope (the year's activities in S, the
organizations of S on E, …). A metric answers with a ``Q`` over the rows of one source and an
aggregate, so the number and the list of records behind it cannot disagree.

Each source is registered with ``@source(name, family=…)``: the family is the kind of record it reads
(a year "has no records" of a kind when all the sources of that family are empty: 上年无记录), and
``details`` annotates what the drill-down table shows besides the counted rows (kept out of
compute_all's aggregate queries). A new domain registers its sources in its own module of this
package, next to its metrics.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    CondolenceVisit,
    Document,
    HeldByMonth,
    ListKind,
    ReminderLetter,
    ResponsibilityItem,
    Topic,
    TrainingAttendance,
)
from activities.selectors import trainees_with_stage
from jiguan.among import among
from jiguan.dated import in_force_q
from members.models import Commendation, MedalAward, Member, MemberVersion
from organizations.models import (
    LEADING_POSTS,
    Appointment,
    EventKind,
    LiaisonAssignment,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from reports.metrics.scope import ReportScope


@dataclasses.dataclass
class Source:
    name: str
    rows: Callable[[ReportScope], QuerySet]
    # The kind of record it reads (上年无记录 when every source of the family is empty that year).
    family: str
    # Annotations the records tables read (kept out of compute_all's aggregate queries).
    details: Callable[[ReportScope, QuerySet], QuerySet] | None = None
    # compute_all's aggregate of the rows, read from what is kept of them as they are written:
    # (scope, the metrics) → {"source_rows": …, code: raw value}, what aggregating the rows gives.
    counted: Callable[[ReportScope, list], dict] | None = None

    def aggregate(self, scope: ReportScope, metrics: list) -> dict:
        """The number of rows (``source_rows``) and each metric's raw value, in one aggregate."""
        if self.counted:
            return self.counted(scope, metrics)
        aggregates = {m.code: m.expression(scope) for m in metrics}
        return self.rows(scope).order_by().aggregate(source_rows=Count("pk"), **aggregates)


SOURCES: dict[str, Source] = {}


def source(
    name: str,
    *,
    family: str,
    details: Callable[[ReportScope, QuerySet], QuerySet] | None = None,
    counted: Callable[[ReportScope, list], dict] | None = None,
):
    """Register a source: the function returns the queryset of its rows for a scope."""

    def register(function):
        SOURCES[name] = Source(name=name, rows=function, family=family, details=details, counted=counted)
        return function

    return register


def record_families() -> dict[str, set[str]]:
    """{family: the names of its sources}."""
    families: dict[str, set[str]] = {}
    for s in SOURCES.values():
        families.setdefault(s.family, set()).add(s.name)
    return families


# ---- what the drill-down shows besides the counted rows -------------------------------------------


def _organization_name_on(organization_ref, day_ref):
    """The name the organization bore on the day (both outer references or values)."""
    version = OrganizationVersion.objects.filter(organization=organization_ref).valid_on(day_ref)
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


def _topic(topic: str):
    return Exists(ActivityTopic.objects.filter(activity=OuterRef("pk"), topic=topic))


def _held_aggregate(scope: ReportScope, metric):
    """A metric of the activities (a condition on their kind) over HeldByMonth's rows: a count is
    their ``held`` summed, 实到人数 summed their ``attended``."""
    condition = metric.condition(scope)
    if metric.aggregate == "count":
        return Sum("held", filter=condition)
    if metric.aggregate == "sum:attended_count":
        return Sum("attended", filter=condition)
    raise ValueError(f"{metric.code}: {metric.aggregate} is not kept in HeldByMonth")


def held_in_s_all_year(scope: ReportScope) -> QuerySet:
    """The activities counted as they are written (activities.held) of the organizations in S all
    year, whose activities of Y are all in S: read in place of those activities by compute_all
    (``_activities_counted``) and the activities by kind and month (reports.metrics.breakdowns);
    the other organizations' are counted from the activities (``ReportScope.in_s_for_part``)."""
    return HeldByMonth.objects.filter(year=scope.year).filter(
        among("organization_id", scope.whole_year_organization_ids)
    )


def _activities_counted(scope: ReportScope, metrics) -> dict:
    """``activities_in_s``'s aggregate, read from the activities counted as they are written
    (activities.held) for the organizations in S all year, whose activities of Y all count; from
    the activities themselves for the organizations in S part of the year (a few, usually none), in
    a second query. The activities of the year are 30,000 at the benchmark's county (300,000 at
    10x); their counted rows some 5,000."""
    raw = held_in_s_all_year(scope).aggregate(
        source_rows=Sum("held"), **{m.code: _held_aggregate(scope, m) for m in metrics}
    )
    for_part = scope.in_s_for_part("organization_id", "date")
    if for_part is not None:
        rest = Activity.objects.filter(for_part).aggregate(
            source_rows=Count("pk"), **{m.code: m.expression(scope) for m in metrics}
        )
        raw = {key: _plus(value, rest[key]) for key, value in raw.items()}
    return raw


def _plus(a, b):
    """Two sums of one metric, either None when it had no row to sum."""
    return a if b is None else b if a is None else a + b


@source("activities", family="activities", counted=_activities_counted)
def activities_in_s(scope: ReportScope) -> QuerySet:
    """Activities organized in S in Y (compute_all reads their numbers from ``_activities_counted``:
    its metrics are conditions on the kind, counted or attendance summed)."""
    return Activity.objects.filter(scope.in_s("organization_id", "date")).select_related("organization")


@source("root_activities", family="activities")
def root_activities(scope: ReportScope) -> QuerySet:
    """Activities held by R itself in Y, flagged by their topics. A source of their own: a topic is
    a subquery per row, asked of R's few activities (tens a year), not of every activity in S, which
    Django would read through a subquery flagging each (the county's 300,000 a year at 10x)."""
    return (
        Activity.objects.filter(organization_id=scope.root.pk)
        .filter(scope.in_s("organization_id", "date"))
        .annotate(
            topic_ideology=_topic(Topic.IDEOLOGY),
            topic_integrity=_topic(Topic.INTEGRITY),
            topic_law=_topic(Topic.LAW_STUDY),
        )
        .select_related("organization")
    )


@source("joined", family="activities")
def joined_organizations(scope: ReportScope) -> QuerySet:
    """(activity, joining organization) pairs of activities held by R in Y, R itself left out.

    R's activities of Y are read first, as ids (a query of their own). Joined to the pairs in one
    statement, PostgreSQL walked the activities in id order to meet the pairs, expecting R's of the
    year to be spread among them: where they all came early, it read the rest of the county's
    activities for nothing (1.5 million at 10x, 0.27 s)."""
    held = Activity.objects.filter(organization_id=scope.root.pk).filter(scope.year_q("date"))
    through = Activity.joined_organizations.through
    return (
        through.objects.filter(among("activity_id", held.values_list("pk", flat=True)))
        .exclude(organization_id=scope.root.pk)
        .annotate(
            topic_history=Exists(
                ActivityTopic.objects.filter(activity=OuterRef("activity_id"), topic=Topic.PARTY_HISTORY)
            )
        )
    )


@source("documents", family="documents")
def documents_of_root(scope: ReportScope) -> QuerySet:
    return Document.objects.filter(issuer_id=scope.root.pk).filter(scope.year_q("issued_on"))


@source("key_tasks", family="documents")
def work_plan_items(scope: ReportScope) -> QuerySet:
    return ResponsibilityItem.objects.filter(
        responsibility_list__kind=ListKind.WORK_POINTS,
        responsibility_list__year=scope.year,
        responsibility_list__document__issuer_id=scope.root.pk,
    ).select_related("responsibility_list__document", "responsible_organization")


@source("letters", family="documents")
def letters_of_root(scope: ReportScope) -> QuerySet:
    return ReminderLetter.objects.filter(sender_id=scope.root.pk).filter(scope.year_q("issued_on"))


@source("commendations", family="commendations")
def commendations_of_root(scope: ReportScope) -> QuerySet:
    return (
        Commendation.objects.filter(granted_by_id=scope.root.pk)
        .filter(scope.year_q("date"))
        .select_related("member", "recipient_organization")
    )


@source("condolence_visits", family="activities")
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


@source("medals", family="members")
def medals_in_s(scope: ReportScope) -> QuerySet:
    """Medals of Y whose member belonged to S on the day of the award."""
    return (
        MedalAward.objects.filter(year=scope.year)
        .filter(
            # One filter() call, so the three conditions apply to the same membership stretch.
            scope.in_s("member__versions__organization_id", "awarded_on", in_year=False)
            & in_force_q(F("awarded_on"), start="valid_from", end="valid_to", prefix="member__versions__")
        )
        .select_related("member", "awarded_by")
    )


@source("commendations_received", family="commendations")
def commendations_received(scope: ReportScope) -> QuerySet:
    """Commendations granted in Y (by any organization; a recommendation upward is not one yet) to an
    organization of S, or to a member who belonged to S on the commendation's date."""
    to_an_organization = scope.in_s("recipient_organization_id", "date")
    # One filter() call, so the three conditions apply to the same membership stretch.
    to_a_member = scope.in_s("member__versions__organization_id", "date") & in_force_q(
        F("date"), start="valid_from", end="valid_to", prefix="member__versions__"
    )
    return (
        Commendation.objects.filter(recommended=False)
        .filter(to_an_organization | to_a_member)
        .select_related("member", "recipient_organization")
    )


@source("organizations_on_end", family="organizations")
def organizations_on_end(scope: ReportScope) -> QuerySet:
    """Organizations of S existing on E, R left out (the kinds are filtered by each metric)."""
    return (
        Organization.objects.as_of(scope.end)
        .filter(pk__in=scope.subtree_on_end())
        .exclude(pk=scope.root.pk)
        .select_related("unit")
    )


@source("members_on_end", family="members", details=_members_on_end_details)
def members_on_end(scope: ReportScope) -> QuerySet:
    """Members (full and probationary) on the roster on E in an organization of S on E."""
    return Member.objects.as_of(scope.end, within=scope.organizations_on_end)


def organization_events(scope: ReportScope) -> QuerySet:
    """Events of Y that happened to an organization of S: in S on the event's day, or leaving S
    that day (a move out of S is a change of S; a rename after leaving is not)."""
    return OrganizationEvent.objects.filter(scope.in_s("organization_id", "date", closed=True))


@source("organizations_changed", family="organizations")
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

    return Organization.objects.filter(scope.in_s_some_day("pk")).annotate(
        renamed=happened(EventKind.RENAMED),
        reparented=happened(EventKind.REPARENTED),
        founded_in_year=on_a_day_in_s("founded_on"),
        dissolved_in_year=on_a_day_in_s("dissolved_on"),
    )


@source("appointments", family="organizations")
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
    covering = in_force_q(F(day), start="valid_from", end="valid_to")
    placed = scope.in_s("organization_id", day) & covering
    # Placed or not, the member's date is in Y: said once outside the OR too, so the database reads
    # the year's members by the date's index even when a few unplaced stretches are added by id
    # (the 4x county's three: 41 ms instead of 2.6 ms at 1x, every member of the county joined).
    unplaced = Q(pk__in=_stretches_of_unplaced(scope, date_field))
    return MemberVersion.objects.filter(scope.year_q(day) & (placed | unplaced))


MEMBERSHIP_DATES = ("admitted_on", "confirmed_on")


def _stretches_of_unplaced(scope: ReportScope, date_field: str) -> list[int]:
    """The stretches ``membership_on`` takes for members no stretch places on their `date_field`
    in Y. One query for both dates of MEMBERSHIP_DATES, finding such members (usually none), and
    one more for their stretches when there are (cached on the scope)."""
    cache = scope.__dict__.get("_unplaced")
    if cache is None:
        cache = scope.__dict__["_unplaced"] = _unplaced_stretches(scope)
    return cache[date_field]


def _unplaced_stretches(scope: ReportScope) -> dict[str, list[int]]:
    # The members first: one look for a stretch on each date of the year's members (1,000 at 1x),
    # instead of asking it of each of their stretches, for each way of being unplaced (4,400).
    unplaced_members = Q(pk__in=[])
    for field in MEMBERSHIP_DATES:
        on_the_day = MemberVersion.objects.filter(member_id=OuterRef("pk")).valid_on(OuterRef(field))
        unplaced_members |= scope.year_q(field) & ~Exists(on_the_day)
    members = list(Member.objects.filter(unplaced_members).values_list("pk", flat=True))
    cache = {field: [] for field in MEMBERSHIP_DATES}
    if members:
        earlier = MemberVersion.objects.filter(
            member_id=OuterRef("member_id"), valid_from__lt=OuterRef("valid_from")
        )
        flags, any_kind = {}, Q(pk__in=[])
        for field in MEMBERSHIP_DATES:
            day = f"member__{field}"
            on_the_day = MemberVersion.objects.filter(member_id=OuterRef("member_id")).valid_on(OuterRef(day))
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
            MemberVersion.objects.filter(among("member_id", members) & any_kind)
            .annotate(**flags)
            .values(
                "pk", "organization_id", "valid_from", *(f"member__{f}" for f in MEMBERSHIP_DATES), *flags
            )
        )
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
    return cache


@source("admissions", family="members", details=_membership_details("admitted_on"))
def admissions(scope: ReportScope) -> QuerySet:
    """Membership stretches placing each member admitted (入党日期) in Y in the admitting
    organization, in S (``membership_on``)."""
    return membership_on(scope, "admitted_on").select_related("member", "organization")


@source("confirmations", family="members", details=_membership_details("confirmed_on"))
def confirmations(scope: ReportScope) -> QuerySet:
    """As ``admissions``, for the members confirmed (转正日期) in Y."""
    return membership_on(scope, "confirmed_on").select_related("member", "organization")


@source("trainees", family="activities")
def trainees(scope: ReportScope) -> QuerySet:
    """Trainees of trainings (培训) in S in Y, with `stage_then`, their stage on the training's date.
    The kind is said here, not only in the metrics: the database then finds the year's trainings by
    their kind and date (a few hundred) instead of every activity of the year in S (120,000 at 4x,
    0.15 s)."""
    return (
        trainees_with_stage(
            TrainingAttendance.objects.filter(
                scope.in_s("activity__organization_id", "activity__date"),
                activity__kind=ActivityKind.TRAINING,
            )
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


@source("liaisons", family="organizations")
def liaisons(scope: ReportScope) -> QuerySet:
    """Liaison assignments of R's leadership active at some day of Y (end day inclusive)."""
    return (
        LiaisonAssignment.objects.filter(committee_id=scope.root.pk, start_on__lte=scope.end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=scope.start))
        .select_related("organization")
    )

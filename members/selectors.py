"""Reads of the members app, as querysets. Every "on a day" question goes through Member.objects.as_of."""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Length

from jiguan import dates
from members import development
from members.models import Commendation, MedalAward, Member, Prospect, Stage, Status
from organizations.models import Organization
from organizations.scoping import scoped, visible_organizations

# The columns of the development board, in the order a person passes through them.
BOARD_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


def board_prospects(organization):
    """The people on the development board of `organization`'s subtree, with their steps."""
    return (
        Prospect.objects.filter(
            organization__in=Organization.objects.subtree_of(organization), stage__in=BOARD_STAGES
        )
        .select_related("organization", "member")
        .prefetch_related("steps")
        .order_by("applied_on", "name_order", "name")
    )


def roster(user, *, day=None):
    """Members on the roster (today, or on `day`) that `user` may see, ready for the roster table."""
    queryset = Member.objects.on_roster() if day is None else Member.objects.as_of(day)
    # By organization, then by name as people read them (NameOrderField), in the database.
    return (
        scoped(queryset, user)
        .select_related("organization")
        .order_by("organization__name_order", "organization_id", "name_order", "name", "pk")
    )


def members_on(day, *, within=None):
    """Members on the roster on `day`; `within` restricts to those organizations (as of that day)."""
    if within is None or not _restricts(within):
        return Member.objects.as_of(day)
    return Member.objects.as_of(day, within=within.values("pk"))


def _restricts(organizations) -> bool:
    """Whether a queryset of organizations leaves any out. Every organization (what a user who sees
    everything sees) restricts nothing, and asking the database for members "in any organization"
    reads every membership version of the county: the medals page's eligible members took 33 ms
    that way, 8 ms without."""
    query = organizations.query
    return bool(query.where) or query.is_sliced or query.combinator is not None


def prospects_on(day):
    """Every prospect with `stage_then`, the stage they were in on `day` (NULL before applying),
    by the one rule of members.development.stage_on."""
    return Prospect.objects.annotate(stage_then=development.stage_on(day))


def counts_on(day, *, within=None):
    """How many members on `day`, by status and category (one query)."""
    return members_on(day, within=within).aggregate(
        total=Count("pk"),
        full=Count("pk", filter=Q(confirmed_on__lte=day)),
        in_service=Count("pk", filter=Q(category_then="IN_SERVICE")),
        retired=Count("pk", filter=Q(category_then="RETIRED")),
    )


def medal_cutoff(year):
    """转正日期 on or before this day makes a member's 党龄 reach 50 years by 1 July of `year`."""
    return datetime.date(year - settings.MEDAL_YEARS, 7, 1)


def medal_eligible(year, *, within=None):
    """Members eligible for the 光荣在党50年 medal in `year`: on the roster (and so alive) on 1 July
    of `year`, 转正日期 on or before 1 July of year − 50, not awarded the medal yet."""
    day = datetime.date(year, 7, 1)
    queryset = (
        members_on(day, within=within)
        .filter(confirmed_on__lte=medal_cutoff(year))
        .exclude(Exists(MedalAward.objects.filter(member=OuterRef("pk"))))
    )
    return queryset.select_related("organization").order_by("confirmed_on", "name_order", "name")


def medal_awards(user, *, year=None):
    queryset = scoped(MedalAward.objects.all(), user, "member__organization").select_related(
        "member", "member__organization", "awarded_by"
    )
    if year:
        queryset = queryset.filter(year=year)
    return queryset


def commendations(user):
    return scoped(Commendation.objects.all(), user, "granted_by").select_related(
        "member", "recipient_organization", "granted_by"
    )


def member_timeline(member):
    return member.events.select_related("from_organization", "to_organization").order_by("date", "id")


def member_history(member):
    """(events, versions) of a member's page, each organization named as it was then: an event's
    organizations on its day (the one left as it was up to the day before), a stretch's organization
    on its first day, with `name_now` when it has been renamed since. Three queries."""
    import datetime

    from organizations.selectors import NamesThen

    events = list(member_timeline(member))
    versions = list(member.versions.select_related("organization"))
    names = NamesThen(
        {e.from_organization for e in events}
        | {e.to_organization for e in events}
        | {v.organization for v in versions}
    )
    for event in events:
        event.from_name = names(event.from_organization, event.date - datetime.timedelta(days=1))
        event.to_name = names(event.to_organization, event.date)
    for version in versions:
        version.name_then = names(version.organization, version.valid_from)
        version.name_now = version.organization.name if version.organization.name != version.name_then else ""
    return events, versions


def prospects(user, *, active_only=False):
    queryset = scoped(Prospect.objects.all(), user).select_related("organization", "member")
    if active_only:
        queryset = queryset.exclude(stage__in=[Stage.FULL, Stage.WITHDRAWN])
    return queryset


PICKER_LIMIT = 20


def member_choices(user, *, text="", day=None, ids=None, limit=PICKER_LIMIT):
    """What a member picker offers (jiguan.widgets): members on the roster on `day` (default today)
    in organizations the user may see, whose name contains `text`, each with their organization as
    named that day; with `ids`, those members, each with `exists` (on the roster that day).
    Returns (rows, more); one query."""
    from organizations.models import OrganizationVersion

    day = day or dates.today()
    visible = visible_organizations(user).values("pk")
    organization_then = OrganizationVersion.objects.valid_on(day).filter(
        organization=OuterRef("organization_then_id")
    )
    on_roster = Member.objects.as_of(day, within=visible)
    if ids is not None:
        present = set(on_roster.filter(pk__in=ids).values_list("pk", flat=True))
        members = scoped(Member.objects.filter(pk__in=ids), user).select_related("organization")
        return [
            {"id": m.pk, "name": m.name, "detail": m.organization.name, "exists": m.pk in present}
            for m in members
        ], False
    text = (text or "").strip()
    if text:
        on_roster = on_roster.filter(name__icontains=text)
    rows = list(
        on_roster.annotate(organization_name=Subquery(organization_then.values("name")[:1]))
        .order_by(Length("name"), "name_order", "name", "pk")
        .values("pk", "name", "birth_date", "organization_name", "status_then")[: limit + 1]
    )
    return [
        {
            "id": r["pk"],
            "name": r["name"],
            "detail": " · ".join(
                filter(
                    None,
                    [r["organization_name"], f"{r['birth_date'].year}年生", Status(r["status_then"]).label],
                )
            ),
        }
        for r in rows[:limit]
    ], len(rows) > limit


def pickable_members(user):
    """Members a record of the user's may name: those who belonged at some time to an organization
    the user may see (a record of the past names them as they were then)."""
    from members.models import MemberVersion

    if user.sees_everything:
        return Member.objects.all()
    versions = MemberVersion.objects.filter(
        member=OuterRef("pk"), organization__in=visible_organizations(user)
    )
    return Member.objects.filter(Exists(versions))

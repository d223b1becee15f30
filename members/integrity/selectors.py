"""Reads of the member-level integrity records, as querysets (one query each, whatever the size)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from jiguan import dates
from members.integrity.models import CommitmentRule, CommunityRegistration, IntegrityCommitment, RiskForm
from members.models import AppointmentHolder, Category, Member
from organizations.scoping import scoped


def roll_day(year: int) -> datetime.date:
    """The day whose roster a year's lists are read on: 31 December, or today within the year."""
    return min(datetime.date(year, 12, 31), dates.today())


def commitment_rule(year: int) -> CommitmentRule | None:
    return CommitmentRule.objects.filter(year=year).first()


def _members_on(year, within):
    day = roll_day(year)
    return Member.objects.as_of(day, within=within.values("pk")), day


def commitment_required(year: int, *, within):
    """Members who must sign the 廉政承诺书 of `year`: on the roster on the year's roll day in an
    organization of `within`, holding one of the rule's posts in the year when the rule names posts;
    each with `signed_on` (None when not yet signed)."""
    members, day = _members_on(year, within)
    rule = commitment_rule(year)
    if rule is not None and not rule.everyone:
        holding = AppointmentHolder.objects.filter(
            member=OuterRef("pk"), appointment__post__in=rule.post_list
        ).filter(
            Q(appointment__start_on__lte=day),
            Q(appointment__end_on__isnull=True) | Q(appointment__end_on__gte=datetime.date(year, 1, 1)),
        )
        members = members.filter(Exists(holding))
    signed = IntegrityCommitment.objects.filter(member=OuterRef("pk"), year=year)
    return members.annotate(
        signed_on=Subquery(signed.values("signed_on")[:1]),
        commitment_id=Subquery(signed.values("pk")[:1]),
    ).order_by("organization_then_id", "name_order", "name")


def risk_form_required(year: int, *, within):
    """Every member on the roster on the year's roll day files a 廉政风险防控表 (全体党员), each with
    `filed_on` (None when not yet filed)."""
    members, _ = _members_on(year, within)
    filed = RiskForm.objects.filter(member=OuterRef("pk"), year=year)
    return members.annotate(
        filed_on=Subquery(filed.values("filed_on")[:1]),
        level=Subquery(filed.values("level")[:1]),
        risk_form_id=Subquery(filed.values("pk")[:1]),
    ).order_by("organization_then_id", "name_order", "name")


def completion_by_organization(required, done_field: str) -> list[dict]:
    """Per organization: how many must, how many did (one query over `required`)."""
    rows = (
        required.order_by()
        .values("organization_then_id")
        .annotate(required=Count("pk"), done=Count("pk", filter=Q(**{f"{done_field}__isnull": False})))
        .order_by("organization_then_id")
    )
    return list(rows)


def commitments(user, *, year=None):
    queryset = scoped(IntegrityCommitment.objects.all(), user).select_related("member", "organization")
    return queryset.filter(year=year) if year else queryset


def risk_forms(user, *, year=None):
    queryset = scoped(RiskForm.objects.all(), user).select_related("member", "organization")
    return queryset.filter(year=year) if year else queryset


def member_risk_forms(member):
    """A member's forms over the years, newest first."""
    return member.risk_forms.select_related("organization").order_by("-year")


def member_commitments(member):
    return member.integrity_commitments.select_related("organization").order_by("-year")


def registrations(user):
    return scoped(CommunityRegistration.objects.all(), user).select_related("member", "organization")


def in_service_registration(day: datetime.date, *, within):
    """In-service members on the roster on `day` in `within`, each with the community they are
    registered with that day (`community`, None when not registered)."""
    active = CommunityRegistration.objects.active_on(day).filter(member=OuterRef("pk"))
    return (
        Member.objects.as_of(day, within=within.values("pk"))
        .filter(category_then=Category.IN_SERVICE)
        .annotate(community=Subquery(active.values("community")[:1]))
        .order_by("organization_then_id", "name_order", "name")
    )


def member_registrations(member):
    return member.community_registrations.order_by("-registered_on")


def communities(user):
    """The community names registered so far in the user's scope, for the volunteer activity's field."""
    return list(
        registrations(user).order_by("community").values_list("community", flat=True).distinct()[:200]
    )

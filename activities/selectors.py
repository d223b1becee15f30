"""Reads of the activities app. Each returns a queryset (or plain values) scoped to the user."""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityTopic,
    Document,
    ItemStatus,
    LetterStatus,
    ReminderLetter,
    ResponsibilityItem,
    ResponsibilityList,
)
from jiguan.scoping import scoped


def activity_list(user):
    """Activities the user may see, with what the list shows read in two queries (rows, topics)."""
    return (
        scoped(Activity.objects.all(), user)
        .select_related("organization")
        .prefetch_related(Prefetch("topics", queryset=ActivityTopic.objects.order_by("topic")))
        .order_by("-date", "-id")
    )


def activity_detail_queryset():
    return Activity.objects.select_related("organization", "created_by").prefetch_related(
        "topics",
        "attendees",
        "joined_organizations",
        "attachments",
        "condolence_visits",
        "trainees__prospect",
        "trainees__member",
    )


def document_list(user):
    return (
        scoped(Document.objects.all(), user, "issuer")
        .select_related("issuer")
        .order_by("-issued_on", "-serial")
    )


def responsibility_lists(user):
    """Lists with their progress: `total`, `done` and `overdue` items (one query)."""
    today = timezone.localdate()
    return (
        scoped(ResponsibilityList.objects.all(), user, "document__issuer")
        .select_related("document")
        .annotate(
            total=Count("items"),
            done=Count("items", filter=Q(items__status=ItemStatus.DONE)),
            overdue=Count("items", filter=Q(items__deadline__lt=today) & ~Q(items__status=ItemStatus.DONE)),
        )
        .order_by("-year", "-document__issued_on", "-id")
    )


def list_progress(responsibility_list, today=None):
    today = today or timezone.localdate()
    return ResponsibilityItem.objects.filter(responsibility_list=responsibility_list).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=ItemStatus.DONE)),
        overdue=Count("id", filter=Q(deadline__lt=today) & ~Q(status=ItemStatus.DONE)),
    )


def open_items(user, today=None):
    """Items not done, of lists the user may see or that an organization of theirs answers for,
    overdue first, then by deadline."""
    today = today or timezone.localdate()
    items = ResponsibilityItem.objects.exclude(status=ItemStatus.DONE)
    if not (user.is_committee_staff or user.is_leadership):
        items = scoped(items, user, "responsible_organization")
    return (
        items.select_related("responsible_organization", "responsibility_list__document")
        .annotate(
            is_overdue=Case(
                When(deadline__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-is_overdue", "deadline", "responsible_organization__name", "number")
    )


def letters_for(user):
    return scoped(ReminderLetter.objects.all(), user, "addressee").select_related(
        "addressee", "sender", "document"
    )


def unhandled_letters(user):
    """Issued letters to the user's organizations not yet marked handled (the secretary's home)."""
    return letters_for(user).filter(status=LetterStatus.ISSUED).order_by("-issued_on", "-id")

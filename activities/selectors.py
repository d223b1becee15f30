"""Reads of the activities app. Each returns a queryset (or plain values) scoped to the user."""

from django.db.models import BooleanField, Case, Count, Max, Prefetch, Q, Value, When

from activities.models import (
    Absence,
    Activity,
    ActivityTopic,
    Document,
    DocumentKind,
    ItemStatus,
    LetterStatus,
    ReminderLetter,
    ResponsibilityItem,
    ResponsibilityList,
    TrainingAttendance,
    overdue_q,
)
from jiguan import dates
from jiguan.numbers import normalize_number
from members.development import TRAINED_STAGES, stage_on
from members.models import Member, Stage
from members.selectors import prospects_on
from organizations.models import Kind, Organization
from organizations.scoping import scoped, visible_organizations


def people_for(organization, day=None, *, trainees=()):
    """Members and prospects of an organization's subtree, for checkboxes: the members on the roster
    on `day` (an activity of the past, of a dissolved organization too). The prospects are those
    who were activists or candidates on `day` (the training's date), each with `stage_then`, their
    stage that day; `trainees` (prospects already recorded on the training) stay offered whatever
    their stage, so that saving the form never drops them silently."""
    day = day or dates.today()
    subtree = Organization.objects.subtree_of(organization, day)
    members = Member.objects.as_of(day, within=subtree.values("pk")).order_by("name_order", "name")
    offered = Q(organization__in=subtree, stage_then__in=TRAINED_STAGES) & ~Q(stage=Stage.WITHDRAWN)
    prospects = (
        prospects_on(day).filter(offered | Q(pk__in=[p.pk for p in trainees])).order_by("name_order", "name")
    )
    return members, prospects


def recent_activities(organization):
    """The activities of `organization` itself, newest first."""
    return Activity.objects.filter(organization=organization).order_by("-date", "-id")


def organization_page_part(organization, user):
    """近期活动 on the organization's page (organizations.contributions)."""
    return {"activities": list(recent_activities(organization)[:10])}


def activity_list(user):
    """Activities the user may see, with what the list shows read in two queries (rows, topics)."""
    return (
        scoped(Activity.objects.all(), user)
        .select_related("organization")
        .prefetch_related(Prefetch("topics", queryset=ActivityTopic.objects.order_by("topic")))
        .order_by("-date", "-id")
    )


def trainees_with_stage(queryset=None):
    """Training attendances with `stage_then`: the trainee's stage on the training's date
    (members.development.stage_on; a prospect admitted since is a member on later days)."""
    queryset = TrainingAttendance.objects.all() if queryset is None else queryset
    return queryset.annotate(
        stage_then=stage_on("activity__date", prospect="prospect_id", members=("member", "prospect__member"))
    )


def activity_detail_queryset():
    trainees = trainees_with_stage().select_related("prospect", "member").order_by("id")
    return Activity.objects.select_related("organization", "created_by").prefetch_related(
        "topics",
        "attendees",
        "joined_organizations",
        "attachments",
        "condolence_visits",
        Prefetch("absences", queryset=Absence.objects.select_related("member").order_by("id")),
        Prefetch("trainees", queryset=trainees),
    )


def readable_documents(user):
    """Documents the user may read: staff and leadership all; a secretary those issued in their
    subtree and the committee's own documents, which are sent to every organization (its reminder
    letters excepted: each is for one addressee, who reads it on the letters pages)."""
    documents = Document.objects.all()
    if user.sees_everything:
        return documents
    committee_wide = Q(issuer__kind=Kind.WORKING_COMMITTEE, issuer__parent__isnull=True) & ~Q(
        kind=DocumentKind.REMINDER
    )
    return documents.filter(Q(issuer__in=visible_organizations(user)) | committee_wide)


def regulations(user):
    """The internal regulations (内部制度) the user may read, newest first: what a new one revises."""
    return readable_documents(user).filter(kind=DocumentKind.REGULATION).order_by("-issued_on", "-serial")


def document_list(user):
    return readable_documents(user).select_related("issuer").order_by("-issued_on", "-serial")


def responsibility_lists(user):
    """Lists with their progress: `total`, `done` and `overdue` items (one query)."""
    today = dates.today()
    return (
        ResponsibilityList.objects.filter(document__in=readable_documents(user))
        .select_related("document")
        .annotate(
            total=Count("items"),
            done=Count("items", filter=Q(items__status=ItemStatus.DONE)),
            overdue=Count("items", filter=overdue_q(today, prefix="items__")),
        )
        .order_by("-year", "-document__issued_on", "-id")
    )


def list_detail_queryset(user):
    """Lists the user may open: staff and leadership every list; a secretary the lists issued in
    their subtree or with an item their subtree answers for."""
    lists = ResponsibilityList.objects.select_related("document__issuer")
    if user.sees_everything:
        return lists
    visible = visible_organizations(user)
    return lists.filter(
        Q(document__in=readable_documents(user)) | Q(items__responsible_organization__in=visible)
    ).distinct()


def list_items(responsibility_list, user, today=None):
    """The items of a list the user may see (a secretary: those their subtree answers for), with
    their responsible organization, evidence activities (three queries: items, activities) and
    `is_overdue` on `today`."""
    today = today or dates.today()
    items = ResponsibilityItem.objects.filter(responsibility_list=responsibility_list).annotate(
        is_overdue=Case(
            When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )
    if not user.sees_everything:
        items = scoped(items, user, "responsible_organization")
    return (
        items.select_related("responsible_organization")
        .prefetch_related(Prefetch("evidence_activities", queryset=Activity.objects.order_by("-date", "-id")))
        .order_by("number")
    )


def items_for_progress(user):
    """Items whose progress the user may record: staff every item, a secretary the items an
    organization of their subtree answers for (leadership see them all but are refused writes)."""
    items = ResponsibilityItem.objects.select_related(
        "responsibility_list__document", "responsible_organization"
    )
    if user.sees_everything:
        return items
    return scoped(items, user, "responsible_organization")


def evidence_activity_choices(item, user):
    """Activities that may be linked as evidence of `item`: those of the responsible organization's
    subtree (the user's scope when no organization answers for it) in the list's year, most recent
    first."""
    if item.responsible_organization_id:
        organizations = Organization.objects.subtree_of(item.responsible_organization_id)
    else:
        organizations = visible_organizations(user)
    return (
        Activity.objects.filter(organization__in=organizations, date__year=item.responsibility_list.year)
        .select_related("organization")
        .order_by("-date", "-id")
    )


EVIDENCE_SHOWN = 30


def evidence_activities_shown(item, user, *, kind="", until=None, keep=(), limit=EVIDENCE_SHOWN):
    """The part of `evidence_activity_choices` the progress form lists, most recent first: the latest
    `limit` (of `kind`, on or before `until` when given) plus those in `keep` (linked or ticked ids),
    and how many match the filter. A list of the whole year runs to thousands of rows on a phone."""
    choices = evidence_activity_choices(item, user)
    matching = choices
    if kind:
        matching = matching.filter(kind=kind)
    if until:
        matching = matching.filter(date__lte=until)
    shown = choices.filter(Q(pk__in=matching.values("pk")[:limit]) | Q(pk__in=list(keep)))
    return shown, matching.count()


def list_progress(responsibility_list, today=None, items=None):
    """`total`, `done` and `overdue` of a list's items (or of `items`, the part a user sees)."""
    today = today or dates.today()
    if items is None:
        items = ResponsibilityItem.objects.filter(responsibility_list=responsibility_list)
    return items.order_by().aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=ItemStatus.DONE)),
        overdue=Count("id", filter=overdue_q(today)),
    )


def live_items_q(day):
    """Items someone still answers for on `day`: none of an organization dissolved by then (the home
    page, the dashboard, the open items and the reminder letters drop them from that day)."""
    return (
        Q(responsible_organization__isnull=True)
        | Q(responsible_organization__dissolved_on__isnull=True)
        | Q(responsible_organization__dissolved_on__gt=day)
    )


def overdue_items_q(day):
    """Items past their deadline on `day`, not done, that someone still answers for."""
    return live_items_q(day) & overdue_q(day)


def open_items(user, today=None):
    """Items not done, of lists the user may see or that an organization of theirs answers for
    (still existing today), overdue first, then by deadline."""
    today = today or dates.today()
    items = ResponsibilityItem.objects.exclude(status=ItemStatus.DONE).filter(live_items_q(today))
    if not user.sees_everything:
        items = scoped(items, user, "responsible_organization")
    return (
        items.select_related("responsible_organization", "responsibility_list__document")
        .annotate(
            is_overdue=Case(
                When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
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


# The prefix (发文字号) a new document starts with when its issuer has used none yet.
DEFAULT_PREFIXES = {"letter": "党工提", "document": "党工通"}


def last_prefix(issuer, *, letter: bool = False) -> str:
    """The prefix the issuer used last for a reminder letter (`letter`) or for its other documents,
    so that a new document continues the register's series (示党工通, not a new 党工通)."""
    documents = Document.objects.filter(issuer=issuer)
    documents = (
        documents.filter(kind=DocumentKind.REMINDER)
        if letter
        else documents.exclude(kind=DocumentKind.REMINDER)
    )
    latest = documents.order_by("-issued_on", "-created_at", "-pk").values_list("prefix", flat=True).first()
    return latest or DEFAULT_PREFIXES["letter" if letter else "document"]


def next_number(prefix: str, year: int) -> str:
    """The number the next document of (prefix, year) will be given, as services.document_issue gives it."""
    prefix = normalize_number(prefix)
    return Document(prefix=prefix, year=year, serial=next_serial(prefix=prefix, year=year)).number


def next_serial(*, prefix: str, year: int) -> int:
    """The next serial of (prefix, year): the highest given + 1 (the unique constraint settles races)."""
    latest = Document.objects.filter(prefix=prefix, year=year).aggregate(m=Max("serial"))["m"]
    return (latest or 0) + 1


REGISTER_SUGGESTIONS = 20


def register_numbers(user, text: str = "") -> list[str]:
    """Numbers of the register readable by `user` that contain `text` (as typed: digits, prefix),
    each with its title, latest first: what a 文号 field offers to choose."""
    documents = readable_documents(user).order_by("-issued_on", "-serial")
    text = normalize_number(text)
    digits = "".join(c for c in text if c.isdigit())
    letters = "".join(c for c in text if not c.isdigit() and c not in "〔〕[]()号第")
    if letters:
        documents = documents.filter(prefix__contains=letters)
    if len(digits) == 4:
        documents = documents.filter(Q(year=int(digits)) | Q(serial=int(digits)))
    elif digits:
        documents = (
            documents.filter(serial=int(digits[-6:]))
            if len(digits) < 4
            else documents.filter(year=int(digits[:4]), serial=int(digits[4:10]))
        )
    return [
        {"number": d.number, "title": d.title}
        for d in documents.only("prefix", "year", "serial", "title")[:REGISTER_SUGGESTIONS]
    ]

"""Reads of the organization tree. Each answers with a fixed number of queries, whatever the tree's size."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from jiguan import dates
from jiguan.dated import in_force_q
from jiguan.dates import add_months, chinese_date
from jiguan.models import User
from jiguan.pinyin import sort_key, typed_key
from organizations.models import (
    ELECTED_KINDS,
    Appointment,
    Election,
    Kind,
    LiaisonAssignment,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
    Post,
    Unit,
)
from organizations.scoping import get_scoped_or_404, scoped, visible_organizations

KIND_ORDER = {kind: index for index, kind in enumerate(Kind.values)}
# Kinds that should always have a 书记 in office.
SECRETARY_KINDS = (*ELECTED_KINDS, Kind.DISCIPLINE_COMMITTEE, Kind.WORKING_COMMITTEE)


class TermState:
    NORMAL = "normal"
    EXPIRING = "expiring"
    OVERDUE = "overdue"
    UNKNOWN = "unknown"
    CHOICES = [(NORMAL, "正常"), (EXPIRING, "即将届满"), (OVERDUE, "已逾期"), (UNKNOWN, "未录入换届")]


def members_on_roster(organization):
    """The members on the roster of `organization` itself (not of the organizations below), by name."""
    return organization.members.filter(left_on__isnull=True).order_by("name_order", "name")


def reminder_horizon(day: datetime.date) -> datetime.date:
    """The last day counted as "expiring soon" (settings.TERM_REMINDER_MONTHS after `day`)."""
    return add_months(day, settings.TERM_REMINDER_MONTHS)


def _latest_election(day):
    return Election.objects.filter(organization=OuterRef("pk"), elected_on__lte=day).order_by("-elected_on")


def with_term(queryset, day: datetime.date):
    """Annotate `term_expires_on` and `term_number` of the term running on `day`."""
    latest = _latest_election(day)
    return queryset.annotate(
        term_expires_on=Subquery(latest.values("expires_on")[:1], output_field=DateField()),
        term_number=Subquery(latest.values("term_number")[:1], output_field=IntegerField()),
    )


def with_member_count(queryset):
    """Members on the roster today (`member_count`): a count per organization (a subquery reading
    its members by the organization's index), not a join of every member grouped by organization,
    which cost 30 ms before a page of 50 organizations could be cut from a county's 600."""
    counted = (
        Organization.objects.filter(pk=OuterRef("pk"))
        .annotate(n=Count("members", filter=Q(members__left_on__isnull=True)))
        .values("n")
    )
    return queryset.annotate(member_count=Subquery(counted, output_field=IntegerField()))


def with_member_count_on(queryset, day: datetime.date):
    """Members belonging to each organization on `day`, from the membership versions (`member_versions`)."""
    in_force = in_force_q(day, start="valid_from", end="valid_to", prefix="member_versions__")
    on_roster = in_force_q(day, start="admitted_on", end="left_on", prefix="member_versions__member__")
    return queryset.annotate(
        member_count=Count("member_versions__member", filter=in_force & on_roster, distinct=True)
    )


def with_secretary_name(queryset, day: datetime.date):
    secretary = Appointment.objects.active_on(day).filter(organization=OuterRef("pk"), post=Post.SECRETARY)
    return queryset.annotate(
        secretary_name=Subquery(secretary.order_by("-start_on").values("person_name")[:1])
    )


def terms_expiring(day: datetime.date):
    """Organizations existing on `day` whose term ends within TERM_REMINDER_MONTHS of it."""
    return (
        with_term(Organization.objects.existing_on(day).filter(kind__in=ELECTED_KINDS), day)
        .filter(term_expires_on__gte=day, term_expires_on__lte=reminder_horizon(day))
        .order_by("term_expires_on", "name_order", "name")
    )


def terms_overdue(day: datetime.date):
    """Organizations existing on `day` whose term ended before it without a new election (one
    dissolved is dropped from its dissolution day on)."""
    return (
        with_term(Organization.objects.existing_on(day).filter(kind__in=ELECTED_KINDS), day)
        .filter(term_expires_on__lt=day)
        .order_by("term_expires_on", "name_order", "name")
    )


def filter_term_state(queryset, state: str, day: datetime.date):
    """Filter a queryset annotated by `with_term` by the state of its term on `day`."""
    elected = queryset.filter(kind__in=ELECTED_KINDS)
    if state == TermState.OVERDUE:
        return elected.filter(term_expires_on__lt=day)
    if state == TermState.EXPIRING:
        return elected.filter(term_expires_on__gte=day, term_expires_on__lte=reminder_horizon(day))
    if state == TermState.NORMAL:
        return elected.filter(term_expires_on__gt=reminder_horizon(day))
    if state == TermState.UNKNOWN:
        return elected.filter(term_expires_on__isnull=True)
    return queryset


def term_state(expires_on, day):
    if expires_on is None:
        return TermState.UNKNOWN
    if expires_on < day:
        return TermState.OVERDUE
    if expires_on <= reminder_horizon(day):
        return TermState.EXPIRING
    return TermState.NORMAL


# --- the tree -------------------------------------------------------------------------------------


@dataclass
class TreeNode:
    organization: Organization
    name: str
    member_count: int
    secretaries: list
    term_expires_on: datetime.date | None
    warnings: list = field(default_factory=list)
    children: list = field(default_factory=list)
    # Members of the organization and everything below it: a 机关党委's members belong to its
    # branches. Filled by `_sum_members` once the tree is nested.
    total_member_count: int = 0

    @property
    def pk(self):
        return self.organization.pk

    @property
    def subtree_size(self):
        return 1 + sum(child.subtree_size for child in self.children)


def _warnings(organization, secretaries, expires_on, day):
    warnings = []
    if organization.kind in ELECTED_KINDS:
        state = term_state(expires_on, day)
        if state == TermState.OVERDUE:
            warnings.append(("danger", f"换届已逾期（{chinese_date(expires_on)}届满）"))
        elif state == TermState.EXPIRING:
            warnings.append(("warning", f"即将届满（{chinese_date(expires_on)}）"))
        elif state == TermState.UNKNOWN:
            warnings.append(("secondary", "未录入换届"))
    if organization.kind in SECRETARY_KINDS and not secretaries:
        warnings.append(("danger", "缺书记"))
    return warnings


def tree_organizations(user, day: datetime.date):
    """The organizations `user` may see that existed on `day`, with everything a tree node shows.

    Two queries: the organizations with their names, parents, member counts and terms as of
    `day`, and the 书记 in office on `day`.
    """
    queryset = visible_organizations(user).as_of(day).select_related("unit")
    if day >= dates.today():
        queryset = with_member_count(queryset)
    else:
        queryset = with_member_count_on(queryset, day)
    queryset = with_term(queryset, day).prefetch_related(
        Prefetch(
            "appointments",
            queryset=Appointment.objects.active_on(day).filter(post=Post.SECRETARY).order_by("start_on"),
            to_attr="secretaries_then",
        )
    )
    return queryset


def organization_tree(user, day: datetime.date | None = None) -> list[TreeNode]:
    """The tree as it stood on `day` (default today), nested in Python from one fetch."""
    day = day or dates.today()
    nodes = {}
    for organization in tree_organizations(user, day):
        nodes[organization.pk] = TreeNode(
            organization=organization,
            name=organization.name_then or organization.name,
            member_count=organization.member_count,
            secretaries=organization.secretaries_then,
            term_expires_on=organization.term_expires_on,
            warnings=_warnings(
                organization, organization.secretaries_then, organization.term_expires_on, day
            ),
        )
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.organization.parent_then_id)
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=_node_order)
    roots.sort(key=_node_order)
    for root in roots:
        _sum_members(root)
    return roots


@dataclass
class TreeEntry:
    """One step of the tree read in order, for a template without recursion: a node (`leaf` or
    not; `in_item`: a child, in its own <li>) or, after a node's children, the close of its list."""

    node: TreeNode | None
    depth: int
    in_item: bool
    leaf: bool = False
    close: bool = False


def tree_entries(roots: list[TreeNode]) -> list[TreeEntry]:
    """The nested tree as a flat list: 600 organizations were 600 nested template includes, most of
    the tree page's time."""
    entries = []

    def walk(node, depth, in_item):
        entries.append(TreeEntry(node, depth, in_item, leaf=not node.children))
        for child in node.children:
            walk(child, depth + 1, True)
        if node.children:
            entries.append(TreeEntry(None, depth, in_item, close=True))

    for root in roots:
        walk(root, 0, False)
    return entries


def _sum_members(node: TreeNode) -> int:
    node.total_member_count = node.member_count + sum(_sum_members(child) for child in node.children)
    return node.total_member_count


def _node_order(node):
    """By kind, then as people read names: 第二 before 第十一, by pinyin (jiguan.pinyin.sort_key)."""
    return (KIND_ORDER[node.organization.kind], sort_key(node.name))


# --- lists ----------------------------------------------------------------------------------------


def organization_list(user, day: datetime.date | None = None):
    """Every organization `user` may see, dissolved ones included, with counts, secretary and term."""
    day = day or dates.today()
    queryset = visible_organizations(user).select_related("parent", "unit")
    return with_secretary_name(with_term(with_member_count(queryset), day), day).order_by(
        "name_order", "name"
    )


def unit_list(user):
    visible = visible_organizations(user)
    units = Unit.objects.all()
    if not user.sees_everything:
        units = units.filter(organizations__in=visible).distinct()
    return units.annotate(
        organization_count=Count(
            "organizations", filter=Q(organizations__dissolved_on__isnull=True), distinct=True
        )
    ).order_by("name_order", "name")


def liaison_list(user, day: datetime.date | None = None):
    return scoped(LiaisonAssignment.objects.select_related("organization", "committee"), user).order_by(
        "leader_name", "start_on"
    )


# --- one organization -----------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    date: datetime.date
    label: str
    text: str
    document_number: str = ""


class NamesThen:
    """The names organizations had on given days, from their versions read in one query: the version
    in force that day, else (dissolved by then) the last one begun by then, else the name now."""

    def __init__(self, organizations):
        self.current = {o.pk: o.name for o in organizations if o is not None}
        self.versions = {}
        for version in OrganizationVersion.objects.filter(organization_id__in=self.current).order_by(
            "valid_from"
        ):
            self.versions.setdefault(version.organization_id, []).append(version)

    def __call__(self, organization, day) -> str:
        if organization is None:
            return ""
        name = self.current.get(organization.pk, organization.name)
        for version in self.versions.get(organization.pk, ()):
            if version.valid_from > day:
                break
            name = version.name
            if version.valid_to is None or version.valid_to > day:
                break
        return name


def organization_timeline(organization: Organization) -> list[TimelineEntry]:
    """Every dated event of one organization, newest first (four queries). The organizations an
    event names are named as they were on its day (organization history reads as it happened)."""
    entries = []
    events = list(
        OrganizationEvent.objects.filter(
            Q(organization=organization) | Q(merged_into=organization) | Q(new_parent=organization)
        ).select_related("organization", "old_parent", "new_parent", "merged_into")
    )
    names = NamesThen(
        {
            o
            for e in events
            for o in (e.organization, e.old_parent, e.new_parent, e.merged_into)
            if o is not None
        }
    )
    for event in events:
        entries.append(
            TimelineEntry(
                event.date,
                event.get_kind_display(),
                _event_text(event, organization, names),
                event.document_number,
            )
        )
    for appointment in organization.appointments.all():
        entries.append(
            TimelineEntry(
                appointment.start_on,
                "任职",
                f"{appointment.person_name}任{appointment.get_post_display()}",
                appointment.document_number,
            )
        )
        if appointment.end_on:
            entries.append(
                TimelineEntry(
                    appointment.end_on,
                    "免职",
                    f"{appointment.person_name}不再任{appointment.get_post_display()}",
                )
            )
    for election in organization.elections.all():
        entries.append(
            TimelineEntry(
                election.elected_on,
                "换届",
                f"选举产生第{election.term_number}届委员会，任期至{chinese_date(election.expires_on)}",
                election.document_number,
            )
        )
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries


def _event_text(event, organization, names):
    day, before = event.date, event.date - datetime.timedelta(days=1)
    if event.organization_id != organization.pk:
        if event.merged_into_id == organization.pk:
            # The organization merged in ends on that day: named as it was up to then.
            return f"“{names(event.organization, before)}”党员整体划入本组织"
        return f"“{names(event.organization, day)}”调整到本组织之下"
    if event.kind == "FOUNDED":
        parent = f"，隶属{names(event.new_parent, day)}" if event.new_parent else ""
        return f"成立“{event.new_name}”{parent}"
    if event.kind == "RENAMED":
        return f"由“{event.old_name}”更名为“{event.new_name}”"
    if event.kind == "REPARENTED":
        old = names(event.old_parent, day) if event.old_parent else "（无）"
        return f"隶属关系由“{old}”调整为“{names(event.new_parent, day)}”"
    if event.kind == "MERGED":
        return event.note or f"整体划入“{names(event.merged_into, day)}”"
    return f"撤销{('（' + event.note + '）') if event.note else ''}"


def current_leaders(organization: Organization, day: datetime.date | None = None):
    day = day or dates.today()
    return organization.appointments.active_on(day).order_by("post", "start_on")


def current_term(organization: Organization):
    return organization.elections.order_by("-elected_on").first()


def organization_children(organization: Organization, user) -> list[Organization]:
    """The organizations right below, existing first, by kind, then names as people read them."""
    children = with_member_count(visible_organizations(user).filter(parent=organization))
    return sorted(
        children, key=lambda o: (o.dissolved_on is not None, KIND_ORDER.get(o.kind, 99), sort_key(o.name))
    )


def organization_history(organization: Organization):
    """The audit of one organization and of the records kept on its page (its appointments,
    elections and liaisons), newest first: one query."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from jiguan.models import AuditEntry

    def keys(queryset):
        return queryset.annotate(key=Cast("pk", CharField())).values("key")

    types = ContentType.objects.get_for_models(Organization, Appointment, Election, LiaisonAssignment)
    return AuditEntry.objects.filter(
        Q(content_type=types[Organization], object_id=str(organization.pk))
        | Q(content_type=types[Appointment], object_id__in=keys(organization.appointments.all()))
        | Q(content_type=types[Election], object_id__in=keys(organization.elections.all()))
        | Q(content_type=types[LiaisonAssignment], object_id__in=keys(organization.liaisons.all()))
    ).select_related("actor", "content_type")


# --- the organization picker ------------------------------------------------------------------------

PICKER_LIMIT = 20


def _kind_rank():
    return Case(*(When(kind=kind, then=Value(rank)) for kind, rank in KIND_ORDER.items()), default=Value(99))


def organization_choices(
    organizations,
    *,
    text: str = "",
    day: datetime.date | None = None,
    since: bool = False,
    ids: list[int] | None = None,
    limit: int = PICKER_LIMIT,
) -> tuple[list[dict], bool]:
    """What an organization picker offers (jiguan.widgets): the organizations of `organizations`
    (the user's scope, already narrowed by the field) whose name, pinyin initials or pinyin contains
    `text`, best matches first; and whether there are more than `limit`.

    With `day`, those that existed that day named as they were then (`since`: those not dissolved
    by that day, founded then or later, named as today). Without it, every organization ever in the
    scope, found by any of its names, named as today. With `ids`, those organizations whatever
    `text`, each with `exists` on `day`: the picker asks this when the record's day changes.
    Two queries at most, on the stored search keys (OrganizationVersion.name_initials, name_pinyin).
    """
    text = (text or "").strip()
    key = typed_key(text)
    match = Q(name__icontains=text)
    if key:
        match |= Q(name_initials__contains=key) | Q(name_pinyin__contains=key)
    then = day is not None and not since
    if ids is not None:
        rows = organizations.filter(pk__in=ids)
        if then:
            rows = rows.as_of(day)

        def exists(o):
            if day is None:
                return True
            return o.dissolved_on is None or o.dissolved_on > day if since else o.exists_on(day)

        result = [
            {**_choice(o, getattr(o, "name_then", None) or o.name), "exists": exists(o)}
            for o in rows.select_related("parent")
        ]
        missing = {o["id"] for o in result} ^ set(ids)
        if then and missing:
            # Not existing that day: as_of left them out; name them as today, flagged.
            for o in organizations.filter(pk__in=missing).select_related("parent"):
                result.append({**_choice(o, o.name), "exists": False})
        return result, False
    if then:
        organizations = organizations.as_of(day)
        versions = OrganizationVersion.objects.valid_on(day).filter(organization=OuterRef("pk"))
        if text:
            organizations = organizations.filter(Exists(versions.filter(match)))
        name = F("name_then")
        # As people read names (第二 before 第十一, by pinyin), the name of that day.
        order = Subquery(
            OrganizationVersion.objects.valid_on(day)
            .filter(organization=OuterRef("pk"))
            .values("name_order")[:1]
        )
        parent_name = Subquery(
            OrganizationVersion.objects.valid_on(day)
            .filter(organization=OuterRef("parent_then_id"))
            .values("name")[:1]
        )
    else:
        if since and day is not None:
            organizations = organizations.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))
        if text:
            versions = OrganizationVersion.objects.filter(organization=OuterRef("pk"))
            organizations = organizations.filter(Exists(versions.filter(match)))
        name = F("name")
        order = F("name_order")
        parent_name = F("parent__name")
    rank = Value(0)
    if text:
        starts = [When(Q(label__startswith=text), then=Value(0))]
        if key:
            initials = OrganizationVersion.objects.filter(
                organization=OuterRef("pk"), name_initials__startswith=key
            )
            starts.append(When(Exists(initials), then=Value(1)))
        rank = Case(*starts, default=Value(2))
    rows = list(
        organizations.annotate(label=name, parent_label=parent_name)
        .annotate(rank=rank, kind_rank=_kind_rank(), order=order)
        .order_by("rank", "kind_rank", "order", "label", "pk")
        .values("pk", "label", "kind", "parent_label", "founded_on", "dissolved_on")[: limit + 1]
    )
    return [_row(r) for r in rows[:limit]], len(rows) > limit


def _choice(organization, name):
    return _row(
        {
            "pk": organization.pk,
            "label": name,
            "kind": organization.kind,
            "parent_label": organization.parent.name if organization.parent else "",
            "founded_on": organization.founded_on,
            "dissolved_on": organization.dissolved_on,
        }
    )


def _row(row):
    dissolved = row["dissolved_on"]
    kind, parent = Kind(row["kind"]).label, row["parent_label"] or ""
    note = f"{chinese_date(dissolved)}撤销" if dissolved else ""
    return {
        "id": row["pk"],
        "name": row["label"],
        "kind": kind,
        "parent": parent,
        "note": note,
        "detail": " · ".join(filter(None, [kind, f"上级：{parent}" if parent else "", note])),
    }


def organizations_named(organizations, names, day: datetime.date) -> dict[str, list[Organization]]:
    """For each of `names` (normalised as organizations.names.normalize_name), the organizations of
    `organizations` existing on `day` that bore exactly that name then. One query."""
    names = {n for n in names if n}
    found: dict[str, list[Organization]] = {}
    if not names:
        return found
    rows = organizations.existing_on(day).as_of(day).filter(name_then__in=names).order_by("pk")
    for organization in rows:
        found.setdefault(organization.name_then, []).append(organization)
    return found


def visible_record(user, model, pk):
    """A record of any audited model, if `user` may see it; 404 otherwise."""
    if model is Organization:
        try:
            return visible_organizations(user).get(pk=pk)
        except (Organization.DoesNotExist, ValueError) as exc:
            raise Http404("没有找到该记录，或您无权查看。") from exc
    if model is Unit:
        try:
            return unit_list(user).get(pk=pk)
        except (Unit.DoesNotExist, ValueError) as exc:
            raise Http404("没有找到该记录，或您无权查看。") from exc
    if model is User:
        if not user.is_committee_staff:
            raise PermissionDenied("只有工委工作人员可以查看账号记录。")
        try:
            return User.objects.get(pk=pk)
        except (User.DoesNotExist, ValueError) as exc:
            raise Http404("没有找到该记录。") from exc
    # How a record reaches the organization that decides who may see it: its `organization`, or the
    # path its model declares (`scope_path = "issuer"`) when it has no plain `organization` field.
    path = getattr(model, "scope_path", None)
    if path is None:
        if not any(f.name == "organization" for f in model._meta.get_fields()):
            raise Http404("没有找到该记录。")
        path = "organization"
    return get_scoped_or_404(model.objects.all(), user, organization_field=path, pk=pk)

"""Writes of the organization tree: founding, renaming, moving, merging, dissolving, leaders, terms.

Every change of name or parent closes the open `OrganizationVersion` on the event's date and opens
a new one, so `Organization.objects.as_of(day)` keeps answering for past days. Each function checks
the rules of DOMAIN.md and raises a ValidationError naming the field, in Chinese; nothing is
stored when a rule is broken.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from jiguan import audit, data_version
from jiguan.dated import holds_on
from jiguan.dates import add_years, chinese_date
from jiguan.integrity import lock_row, refuse_duplicate
from jiguan.versions import version_change
from organizations import contributions
from organizations.models import (
    ELECTED_KINDS,
    AccountOrganization,
    Appointment,
    Election,
    EventKind,
    Kind,
    LiaisonAssignment,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
    Post,
    Unit,
)

# Which kinds of organization may stand directly above each kind (DOMAIN.md, "The organization tree").
ALLOWED_PARENT_KINDS = {
    Kind.WORKING_COMMITTEE: (),
    Kind.PARTY_COMMITTEE: (Kind.WORKING_COMMITTEE,),
    Kind.DISCIPLINE_COMMITTEE: (Kind.PARTY_COMMITTEE,),
    Kind.GENERAL_BRANCH: (Kind.WORKING_COMMITTEE, Kind.PARTY_COMMITTEE),
    Kind.BRANCH: (Kind.WORKING_COMMITTEE, Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH),
    Kind.PARTY_GROUP: (Kind.BRANCH,),
}

# Kinds that hold members and so may receive a merged organization's members.
MEMBER_HOLDING_KINDS = (Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)

HAS_HISTORY_MESSAGE = "有历史记录的党组织不能删除，请撤销。"


def _kind_label(kind):
    return Kind(kind).label


# --- checks shared by the events ------------------------------------------------------------------


def _check_parent(*, kind, parent, date, field="parent", has_root=None, refresh=True):
    """The parent suits the kind and exists on `date`. A batch says whether the tree `has_root`
    already and whether the parent needs reading again (`refresh`: once, not for each child)."""
    allowed = ALLOWED_PARENT_KINDS[Kind(kind)]
    if not allowed:
        if parent is not None:
            raise ValidationError({field: "机关工委是组织树的根，不能有上级组织。"})
        if has_root is None:
            has_root = _has_root()
        if has_root:
            raise ValidationError({"kind": "已有一个机关工委，组织树只能有一个根。"})
        return
    if parent is not None and refresh:
        parent.refresh_from_db(fields=["kind", "founded_on", "dissolved_on"])
    if parent is None:
        raise ValidationError({field: f"请选择上级组织：{_kind_label(kind)}必须有上级组织。"})
    if parent.kind not in allowed:
        if kind == Kind.DISCIPLINE_COMMITTEE:
            message = "机关纪委只能设在机关党委之下。"
        elif kind == Kind.PARTY_GROUP:
            message = "党小组只能设在党支部之下。"
        else:
            names = "、".join(_kind_label(k) for k in allowed)
            message = (
                f"{_kind_label(kind)}的上级组织应为{names}，“{parent.name}”是{parent.get_kind_display()}。"
            )
        raise ValidationError({field: message})
    check_exists_on(parent, date, field=field, what="在其下设立或调整组织")


def _has_root():
    return Organization.objects.filter(kind=Kind.WORKING_COMMITTEE, dissolved_on__isnull=True).exists()


def _check_name_free(name, *, exclude=None, field="name", taken=None):
    """The name, stripped, unless an organization not dissolved bears it (a batch passes the names
    `taken`, read once)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({field: "请填写组织名称。"})
    if taken is not None:
        is_taken = name in taken
    else:
        others = Organization.objects.active().filter(name=name)
        if exclude is not None:
            others = others.exclude(pk=exclude.pk)
        is_taken = others.exists()
    if is_taken:
        raise ValidationError({field: f"已有名为“{name}”的党组织（未撤销），组织名称不能重复。"})
    return name


def _check_name_free_between(name, *, exclude, start, end, field="new_name"):
    """A dissolved organization renamed before its dissolution: the name must not be another
    organization's during the stretch [start, end) it would carry it (today's names do not matter)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({field: "请填写组织名称。"})
    versions = OrganizationVersion.objects.filter(name=name, valid_from__lt=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    )
    taken = (
        Organization.objects.filter(pk__in=versions.values("organization"), founded_on__lt=end)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=start))
        .exclude(pk=exclude.pk)
    )
    if taken.exists():
        raise ValidationError(
            {
                field: f"{chinese_date(start)}至{chinese_date(end)}之间已有名为“{name}”的党组织，组织名称不能重复。"
            }
        )
    return name


def check_exists_on(organization, day, *, field, what="记录"):
    """Refuse a record dated `day` of an organization that did not exist that day (before its
    founding, on or after its dissolution). Every service recording a dated fact calls this."""
    problem = organization.existence_problem(day, what)
    if problem:
        raise ValidationError({field: problem})


def _check_alive(organization, date, *, field="date", what="变动"):
    """Nothing happens to an organization before its founding or after its dissolution."""
    organization.refresh_from_db(fields=["name", "founded_on", "dissolved_on"])
    check_exists_on(organization, date, field=field, what=what)


def _open_version(organization):
    return OrganizationVersion.objects.select_for_update().get(
        organization=organization, valid_to__isnull=True
    )


def _new_version(organization, *, date, name, parent, field="date"):
    """Close the open version on `date` and open one with the new name and parent."""
    current = _open_version(organization)
    return version_change(
        current,
        date=date,
        changes={"name": name, "parent": parent},
        too_early_message=f"日期不能早于该组织上一次变动的日期（{chinese_date(current.valid_from)}），历史记录不能倒改。",
        field=field,
    )


def _check_no_cycle(organization, new_parent, date):
    if new_parent.pk == organization.pk:
        raise ValidationError({"new_parent": "不能把党组织调整到它自己之下。"})
    below = Organization.objects.subtree_of(organization, date).filter(pk=new_parent.pk)
    below_now = Organization.objects.filter(pk=new_parent.pk, pk__in=_current_subtree_ids(organization))
    if below.exists() or below_now.exists():
        raise ValidationError(
            {"new_parent": f"“{new_parent.name}”是“{organization.name}”的下级组织，调整后会形成循环。"}
        )


def _current_subtree_ids(organization):
    """Ids below `organization` by the current parent links (the open versions)."""
    ids, frontier = set(), {organization.pk}
    while frontier:
        children = set(
            Organization.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids |= children
        frontier = children
    return ids


def _event(organization, kind, date, **fields):
    event = OrganizationEvent(organization=organization, kind=kind, date=date, **fields)
    event.full_clean()
    event.save()
    return event


# --- who may do what -------------------------------------------------------------------------------
# One check per action, used by the view that refuses and by every page that offers the action.


def can_change_structure(user) -> bool:
    """Found, rename, move, merge, dissolve, delete organizations and record elections: staff."""
    return user.is_authenticated and user.is_committee_staff


def can_elect(user, organization=None) -> bool:
    return can_change_structure(user) and (organization is None or organization.kind in ELECTED_KINDS)


def founding_choices(user):
    """(parent kinds, kinds) `user` may found: staff any (None, None); whoever else may write (a
    secretary) a 党小组 below a 党支部 of their subtree only."""
    if can_change_structure(user):
        return None, None
    return [Kind.BRANCH], [Kind.PARTY_GROUP]


def can_found_group_below(user, organization) -> bool:
    """The 新设党小组 of an organization's page, for whoever may write but not change structure."""
    parent_kinds, _ = founding_choices(user)
    return (
        user.is_authenticated
        and user.can_write
        and parent_kinds is not None
        and organization.kind in parent_kinds
        and not organization.is_dissolved
    )


def can_appoint(user) -> bool:
    """Record appointments (within the user's scope): whoever may write."""
    return user.is_authenticated and user.can_write


# --- units ----------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(*, actor, name: str, leading_group_name: str = "", leading_group_secretary: str = "") -> Unit:
    unit = Unit(
        name=(name or "").strip(),
        leading_group_name=leading_group_name.strip(),
        leading_group_secretary=leading_group_secretary.strip(),
    )
    unit.full_clean()
    with refuse_duplicate(unit.validate_unique):  # the same unit entered twice at once
        unit.save()
    audit.record_create(actor, unit)
    return unit


@transaction.atomic
def unit_update(
    *, actor, unit: Unit, name: str, leading_group_name: str, leading_group_secretary: str
) -> Unit:
    changes = {
        "name": (name or "").strip(),
        "leading_group_name": leading_group_name.strip(),
        "leading_group_secretary": leading_group_secretary.strip(),
    }
    return audit.update(actor, unit, changes, unique=unit.validate_unique)


# --- the events of an organization's life ---------------------------------------------------------


def _to_found(
    *, actor, kind, name, parent, founded_on, unit, term_years, taken=None, has_root=None, refresh=True
) -> Organization:
    """The organization organization_found founds, checked by its rules and not yet stored (a
    FoundingBatch passes the names `taken`, whether the tree `has_root` and whether the parent
    needs reading again, each read once for the batch)."""
    if founded_on is None:
        raise ValidationError({"founded_on": "请填写成立日期。"})
    if kind not in Kind.values:
        raise ValidationError({"kind": "请选择组织类别。"})
    _, kinds = founding_choices(actor) if actor is not None else (None, None)
    if kinds is not None and kind not in kinds:
        raise ValidationError({"kind": "党组织书记只能在本组织的党支部下设立党小组。"})
    name = _check_name_free(name, taken=taken)
    _check_parent(kind=kind, parent=parent, date=founded_on, has_root=has_root, refresh=refresh)
    if unit is None and parent is not None and kind in (Kind.DISCIPLINE_COMMITTEE, Kind.PARTY_GROUP):
        unit = parent.unit
    return Organization(
        kind=kind, name=name, parent=parent, unit=unit, founded_on=founded_on, term_years=term_years
    )


@transaction.atomic
def organization_found(
    *,
    actor,
    kind: str,
    name: str,
    parent: Organization | None,
    founded_on: datetime.date,
    unit: Unit | None = None,
    term_years: int | None = None,
    document_number: str = "",
) -> Organization:
    """Found (新设立) an organization under `parent` on `founded_on`."""
    organization = _to_found(
        actor=actor,
        kind=kind,
        name=name,
        parent=parent,
        founded_on=founded_on,
        unit=unit,
        term_years=term_years,
    )
    name = organization.name
    organization.full_clean()
    # Founded twice at once: the name check the other request passed now says the name is taken.
    with refuse_duplicate(lambda: _check_name_free(name)):
        organization.save()
    OrganizationVersion.objects.create(
        organization=organization, name=name, parent=parent, valid_from=founded_on
    )
    _event(
        organization,
        EventKind.FOUNDED,
        founded_on,
        new_name=name,
        new_parent=parent,
        document_number=document_number,
    )
    audit.record_create(actor, organization)
    return organization


class FoundingBatch:
    """organization_found for the many organizations of an import (the 党组织 sheet): each checked by
    the same rules, in the same words, when `found`; what those checks read is read once (the names
    taken, whether the tree has its root, each stored parent), not once an organization. `store`
    then stores them all in a few statements, parents first, with the same versions, events and
    audit entries as organization_found. Call both inside the caller's transaction."""

    def __init__(self, actor):
        self.actor = actor
        self.taken = set(Organization.objects.active().values_list("name", flat=True))
        self.has_root = _has_root()
        self.refreshed = set()  # the stored parents read again already
        self.founded = []  # (organization, its event), in the order founded: parents first

    def found(
        self,
        *,
        kind: str,
        name: str,
        parent: Organization | None,
        founded_on: datetime.date,
        unit: Unit | None = None,
        term_years: int | None = None,
        document_number: str = "",
    ) -> Organization:
        """Check an organization as organization_found does (raising the same ValidationError); it
        is stored by `store`. `parent` is stored or founded in this batch."""
        refresh = parent is not None and parent.pk is not None and parent.pk not in self.refreshed
        organization = _to_found(
            actor=self.actor,
            kind=kind,
            name=name,
            parent=parent,
            founded_on=founded_on,
            unit=unit,
            term_years=term_years,
            taken=self.taken,
            has_root=self.has_root,
            refresh=refresh,
        )
        if refresh:
            self.refreshed.add(parent.pk)
        name = organization.name
        # organization_found's full_clean, less what costs a query an organization and is known
        # here: the parent and the unit are on file or founded in this batch, the name was found
        # free just above (the unique constraint's rule) and a new organization is not dissolved.
        organization.full_clean(exclude=["parent", "unit"], validate_unique=False, validate_constraints=False)
        event = OrganizationEvent(
            organization=organization,
            kind=EventKind.FOUNDED,
            date=founded_on,
            new_name=name,
            new_parent=parent,
            document_number=document_number,
        )
        event.full_clean(exclude=["organization", "new_parent"])  # as _event's, the same known
        self.taken.add(name)
        self.has_root = self.has_root or kind == Kind.WORKING_COMMITTEE
        self.founded.append((organization, event))
        return organization

    def store(self):
        """Store what `found` checked: the organizations level by level (a parent's key before its
        children), their first versions, their founding events, one audit entry each."""
        levels, level_of = [], {}
        for organization, _ in self.founded:
            parent = organization.parent
            level = level_of[id(parent)] + 1 if parent is not None and id(parent) in level_of else 0
            level_of[id(organization)] = level
            if level == len(levels):
                levels.append([])
            levels[level].append(organization)
        for organizations in levels:
            Organization.objects.bulk_create(organizations)
        organizations = [organization for organization, _ in self.founded]
        OrganizationVersion.objects.bulk_create(
            OrganizationVersion(
                organization=o, name=o.name, parent=o.parent, valid_from=o.founded_on
            ).with_search_keys()
            for o in organizations
        )
        OrganizationEvent.objects.bulk_create(event for _, event in self.founded)
        audit.record_bulk_create(self.actor, organizations)
        self.founded = []


@transaction.atomic
def organization_update(
    *, actor, organization: Organization, unit: Unit | None, term_years: int | None
) -> Organization:
    """Change the attributes that carry no history: the unit and a term length other than the rule's."""
    return audit.update(actor, organization, {"unit": unit, "term_years": term_years})


@transaction.atomic
def organization_rename(
    *, actor, organization: Organization, new_name: str, date: datetime.date, document_number: str = ""
) -> Organization:
    """Rename (更名) from `date` on; reports on earlier days keep the old name."""
    lock_row(organization)
    if date is None:
        raise ValidationError({"date": "请填写更名日期。"})
    if organization.is_dissolved:
        # Renamed before its dissolution: the name it carries until then must be free then.
        end = organization.dissolved_on
        new_name = _check_name_free_between(new_name, exclude=organization, start=min(date, end), end=end)
    else:
        new_name = _check_name_free(new_name, exclude=organization, field="new_name")
    if new_name == organization.name:
        raise ValidationError({"new_name": "新名称与现名称相同。"})
    _check_alive(organization, date, what="更名")
    old_name = organization.name
    _new_version(organization, date=date, name=new_name, parent=organization.parent)
    audit.update(
        actor,
        organization,
        {"name": new_name},
        unique=lambda: _check_name_free(new_name, exclude=organization, field="new_name"),
    )
    _event(
        organization,
        EventKind.RENAMED,
        date,
        old_name=old_name,
        new_name=new_name,
        document_number=document_number,
    )
    return organization


@transaction.atomic
def organization_move(
    *,
    actor,
    organization: Organization,
    new_parent: Organization,
    date: datetime.date,
    document_number: str = "",
) -> Organization:
    """Move under another parent (调整隶属关系) from `date` on."""
    lock_row(organization)
    if date is None:
        raise ValidationError({"date": "请填写调整日期。"})
    if new_parent is None:
        raise ValidationError({"new_parent": "请选择新的上级组织。"})
    if new_parent.pk == organization.parent_id:
        raise ValidationError({"new_parent": "新的上级组织与现上级组织相同。"})
    _check_alive(organization, date, what="调整隶属关系")
    _check_parent(kind=organization.kind, parent=new_parent, date=date, field="new_parent")
    _check_no_cycle(organization, new_parent, date)
    old_parent = organization.parent
    _new_version(organization, date=date, name=organization.name, parent=new_parent)
    audit.update(actor, organization, {"parent": new_parent})
    _event(
        organization,
        EventKind.REPARENTED,
        date,
        old_parent=old_parent,
        new_parent=new_parent,
        document_number=document_number,
    )
    return organization


@transaction.atomic
def organization_dissolve(
    *, actor, organization: Organization, date: datetime.date, document_number: str = "", note: str = ""
) -> Organization:
    """Dissolve (撤销) on `date`. Refused while organizations below it or members on its roster remain."""
    lock_row(organization)
    if date is None:
        raise ValidationError({"date": "请填写撤销日期。"})
    if organization.is_dissolved:
        raise ValidationError({"date": f"该党组织已于{chinese_date(organization.dissolved_on)}撤销。"})
    if date < organization.founded_on:
        raise ValidationError(
            {"date": f"撤销日期不能早于成立日期（{chinese_date(organization.founded_on)}）。"}
        )
    last_change = (
        OrganizationVersion.objects.filter(organization=organization).order_by("-valid_from").first()
    )
    if last_change and date < last_change.valid_from:
        raise ValidationError(
            {"date": f"撤销日期不能早于该组织上一次变动的日期（{chinese_date(last_change.valid_from)}）。"}
        )
    children = list(
        organization.children.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=date)).values_list(
            "name", flat=True
        )
    )
    if children:
        raise ValidationError(
            {
                "date": f"“{organization.name}”下还有{len(children)}个未撤销的下级组织："
                f"{'、'.join(children[:10])}{'等' if len(children) > 10 else ''}。"
                "请先撤销或调整这些组织的隶属关系。"
            }
        )
    for check in contributions.dissolve_checks:  # e.g. members still on its roster
        refusal = check(organization, date)
        if refusal:
            raise ValidationError({"date": refusal})
    audit.update(actor, organization, {"dissolved_on": date})
    # Posts and liaisons end with the organization.
    for appointment in Appointment.objects.filter(organization=organization, end_on__isnull=True):
        appointment_end(actor=actor, appointment=appointment, end_on=max(date, appointment.start_on))
    for assignment in LiaisonAssignment.objects.filter(organization=organization, end_on__isnull=True):
        liaison_end(actor=actor, assignment=assignment, end_on=max(date, assignment.start_on))
    _event(
        organization,
        EventKind.DISSOLVED,
        date,
        old_name=organization.name,
        document_number=document_number,
        note=note,
    )
    return organization


@transaction.atomic
def organization_merge(
    *,
    actor,
    organization: Organization,
    into: Organization,
    date: datetime.date,
    document_number: str = "",
) -> Organization:
    """Merge (整体划入): move every member on the roster into `into` on `date`, then dissolve.

    Each move is a dated change written by the app owning the record (members registers the move of
    its members, organizations.contributions).
    """
    lock_row(organization)
    if date is None:
        raise ValidationError({"date": "请填写划入日期。"})
    if into is None:
        raise ValidationError({"into": "请选择划入的党组织。"})
    if into.pk == organization.pk:
        raise ValidationError({"into": "不能划入自己。"})
    if into.kind not in MEMBER_HOLDING_KINDS:
        raise ValidationError(
            {"into": f"党员只能划入机关党委、党总支部或党支部，“{into.name}”是{into.get_kind_display()}。"}
        )
    _check_alive(organization, date, what="整体划入")
    into.refresh_from_db(fields=["name", "founded_on", "dissolved_on"])
    check_exists_on(into, date, field="into", what="划入")
    if organization.children.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=date)).exists():
        names = "、".join(
            organization.children.filter(dissolved_on__isnull=True).values_list("name", flat=True)
        )
        raise ValidationError(
            {"into": f"“{organization.name}”下还有未撤销的下级组织：{names}。请先撤销或调整。"}
        )
    notes = [
        step(actor=actor, organization=organization, into=into, date=date)
        for step in contributions.merge_steps
    ]
    _event(
        organization,
        EventKind.MERGED,
        date,
        merged_into=into,
        note="；".join(note for note in notes if note),
        document_number=document_number,
    )
    return organization_dissolve(
        actor=actor,
        organization=organization,
        date=date,
        document_number=document_number,
        note=f"整体划入{into.name}",
    )


def organization_history_reasons(organization: Organization) -> list[str]:
    """What makes an organization part of the record (and so not deletable): its own changes, posts,
    elections, liaisons and organizations below it, and any record of any app pointing at it (read
    from the models' relations, so a new model is counted without being listed here)."""
    own = [
        (
            "组织变动",
            OrganizationEvent.objects.filter(organization=organization).exclude(kind=EventKind.FOUNDED),
        ),
        ("下级组织", OrganizationVersion.objects.filter(parent=organization)),
        ("账号", AccountOrganization.objects.filter(organization=organization)),
        (
            "变动记录",
            OrganizationEvent.objects.filter(Q(merged_into=organization) | Q(old_parent=organization)),
        ),
    ]
    # Counted above (children as 下级组织, accounts as 账号), or deleted with it (its own versions and
    # its founding event).
    counted = {OrganizationVersion, OrganizationEvent, Organization, AccountOrganization}
    pointing = [
        (relation.related_model._meta.verbose_name, _records_pointing(relation, organization))
        for relation in Organization._meta.related_objects
        if relation.related_model not in counted
    ]
    reasons = [label for label, queryset in own + pointing if queryset.exists()]
    return list(dict.fromkeys(reasons))


def _records_pointing(relation, organization):
    """The records of `relation` (a ForeignKey or ManyToManyField to Organization) naming `organization`."""
    return relation.related_model._default_manager.filter(**{relation.field.name: organization})


@transaction.atomic
def organization_delete(*, actor, organization: Organization) -> None:
    """Delete an organization entered by mistake. One with any history is dissolved instead."""
    reasons = organization_history_reasons(organization)
    if reasons:
        raise ValidationError(f"{HAS_HISTORY_MESSAGE[:-1]}（已有{'、'.join(reasons)}）。")
    audit.record_delete(actor, organization)
    organization.events.all().delete()
    organization.versions.all().delete()
    organization.delete()


# --- leaders, terms and liaison -------------------------------------------------------------------


def _checked_appointment(organization, person_name, post, start_on, end_on, document_number, secretaries):
    """appointment_create's rules for one appointment: the unsaved Appointment, and the 书记 in
    office it relieves on its first day (one 书记 at a time). `secretaries`: the organization's 书记
    appointments on file (and, in a batch, those appointed before it). Raises ValidationError."""
    person_name = (person_name or "").strip()
    if not person_name:
        raise ValidationError({"person_name": "请填写姓名。"})
    if post not in Post.values:
        raise ValidationError({"post": "请选择职务。"})
    if start_on is None:
        raise ValidationError({"start_on": "请填写任职日期。"})
    check_exists_on(organization, start_on, field="start_on", what="任职")
    if end_on is not None and end_on < start_on:
        raise ValidationError({"end_on": "免职日期不能早于任职日期。"})
    open_ended = end_on is None
    if open_ended and organization.dissolved_on is not None:
        end_on = organization.dissolved_on  # a post of a dissolved organization ended with it
    relieved = []
    if post == Post.SECRETARY and open_ended:
        if any(other.start_on > start_on for other in secretaries):
            raise ValidationError({"start_on": "该组织在此日期之后已有书记任职记录，请核对任职日期。"})
        for current in secretaries:
            if not holds_on(start_on, current.start_on, current.end_on):
                continue
            if current.start_on == start_on:
                raise ValidationError({"start_on": f"{current.person_name}已于同日任书记。"})
            relieved.append(current)
    appointment = Appointment(
        organization=organization,
        person_name=person_name,
        post=post,
        start_on=start_on,
        end_on=end_on,
        document_number=document_number,
    )
    return appointment, relieved


@transaction.atomic
def appointment_create(
    *,
    actor,
    organization: Organization,
    person_name: str,
    post: str,
    start_on: datetime.date,
    end_on: datetime.date | None = None,
    document_number: str = "",
) -> Appointment:
    """Appoint (任职) a person to a post. A new 书记 relieves the one in office on the same day."""
    if (person_name or "").strip() and post in Post.values and start_on is not None:
        lock_row(organization)  # two secretaries appointed at once: the second sees the first
        organization.refresh_from_db(fields=["name", "founded_on", "dissolved_on"])
    secretaries = (
        list(Appointment.objects.filter(organization=organization, post=Post.SECRETARY))
        if post == Post.SECRETARY and end_on is None
        else []
    )
    appointment, relieved = _checked_appointment(
        organization, person_name, post, start_on, end_on, document_number, secretaries
    )
    for current in relieved:
        if current.end_on is None:
            appointment_end(actor=actor, appointment=current, end_on=start_on)
        else:
            # Recorded as lasting past the new 书记's first day (e.g. ended with a dissolution
            # entered before this appointment of the past): one 书记 at a time, so it ends then.
            audit.update(actor, current, {"end_on": start_on})
    appointment.full_clean()
    appointment.save()
    audit.record_create(actor, appointment)
    return appointment


class AppointmentBatch:
    """Many appointments (an import's 任职 sheet) checked one after another by appointment_create's
    own rules and stored at once. The organizations named are locked and read once, with their 书记
    appointments; `add` checks an appointment against those on file and those added before it (add
    them in the order of their 任职日期), a new 书记 relieving the one in office in memory; `store`
    writes the new appointments and the relieved ones, each audited: one entry per new appointment
    (as stored: a 书记 of the batch relieved by a later one of the batch is created ended), an
    update entry per appointment on file relieved."""

    def __init__(self, organizations):
        self.organizations = {organization.pk: organization for organization in organizations}
        pks = sorted(self.organizations)
        fresh = {}
        for start in range(0, len(pks), 900):
            chunk = pks[start : start + 900]
            # Locked as appointment_create locks its one organization, and brought up to date.
            for pk, name, founded_on, dissolved_on in (
                Organization.objects.select_for_update()
                .filter(pk__in=chunk)
                .values_list("pk", "name", "founded_on", "dissolved_on")
            ):
                fresh[pk] = (name, founded_on, dissolved_on)
        for pk, organization in self.organizations.items():
            organization.name, organization.founded_on, organization.dissolved_on = fresh[pk]
        self.secretaries = {pk: [] for pk in pks}
        for start in range(0, len(pks), 900):
            for appointment in Appointment.objects.filter(
                organization_id__in=pks[start : start + 900], post=Post.SECRETARY
            ):
                self.secretaries[appointment.organization_id].append(appointment)
        self.new = []
        self.relieved = {}  # pk -> (an appointment on file relieved, its snapshot before)

    def add(
        self,
        *,
        organization: Organization,
        person_name: str,
        post: str,
        start_on: datetime.date,
        end_on: datetime.date | None = None,
        document_number: str = "",
    ) -> Appointment:
        """The appointment checked (ValidationError as appointment_create), not stored yet."""
        organization = self.organizations[organization.pk]
        held = self.secretaries[organization.pk]
        appointment, relieved = _checked_appointment(
            organization, person_name, post, start_on, end_on, document_number, held
        )
        for current in relieved:
            if current.pk is not None and current.pk not in self.relieved:
                self.relieved[current.pk] = (current, audit.snapshot(current))
            current.end_on = start_on
        # The database's own checks (the organization is one read above; ends after start, above).
        appointment.full_clean(exclude=["organization"], validate_constraints=False)
        self.new.append(appointment)
        if appointment.post == Post.SECRETARY:
            held.append(appointment)
        return appointment

    def store(self, actor) -> list[Appointment]:
        relieved = [current for current, _ in self.relieved.values()]
        Appointment.objects.bulk_update(relieved, ["end_on"], batch_size=500)
        for current, before in self.relieved.values():
            audit.record_update(actor, current, before)
        if relieved:  # bulk_update sends no post_save: a change of a record on file
            data_version.changed()
        Appointment.objects.bulk_create(self.new, batch_size=500)
        audit.record_bulk_create(actor, self.new)
        return self.new


@transaction.atomic
def appointment_end(*, actor, appointment: Appointment, end_on: datetime.date) -> Appointment:
    """Relieve (免职) on `end_on`."""
    lock_row(appointment)
    if end_on is None:
        raise ValidationError({"end_on": "请填写免职日期。"})
    if appointment.end_on is not None:
        raise ValidationError({"end_on": f"已于{chinese_date(appointment.end_on)}免职。"})
    if end_on < appointment.start_on:
        raise ValidationError(
            {"end_on": f"免职日期不能早于任职日期（{chinese_date(appointment.start_on)}）。"}
        )
    return audit.update(actor, appointment, {"end_on": end_on})


@transaction.atomic
def election_create(
    *,
    actor,
    organization: Organization,
    elected_on: datetime.date,
    term_number: int | None = None,
    document_number: str = "",
) -> Election:
    """Record an election (换届); the term expires `term_years` after it."""
    if organization.kind not in ELECTED_KINDS:
        raise ValidationError({"organization": f"{organization.get_kind_display()}不单独换届。"})
    if elected_on is None:
        raise ValidationError({"elected_on": "请填写选举日期。"})
    lock_row(organization)  # two elections recorded at once would take the same term number
    _check_alive(organization, elected_on, field="elected_on", what="换届")
    previous = Election.objects.filter(organization=organization).order_by("-elected_on").first()
    if previous is not None and elected_on <= previous.elected_on:
        raise ValidationError(
            {"elected_on": f"选举日期应晚于上一届的选举日期（{chinese_date(previous.elected_on)}）。"}
        )
    if term_number is None:
        term_number = (previous.term_number + 1) if previous else 1
    if previous is not None and term_number <= previous.term_number:
        raise ValidationError({"term_number": f"届次应大于上一届（第{previous.term_number}届）。"})
    election = Election(
        organization=organization,
        term_number=term_number,
        elected_on=elected_on,
        expires_on=add_years(elected_on, organization.effective_term_years()),
        document_number=document_number,
    )
    election.full_clean()
    election.save()
    audit.record_create(actor, election)
    return election


@transaction.atomic
def liaison_assign(
    *,
    actor,
    leader_name: str,
    committee: Organization,
    organization: Organization,
    start_on: datetime.date,
    end_on: datetime.date | None = None,
) -> LiaisonAssignment:
    """Assign a committee leader (班子成员) to guide an organization (联系点)."""
    leader_name = (leader_name or "").strip()
    if not leader_name:
        raise ValidationError({"leader_name": "请填写班子成员姓名。"})
    if committee is None or committee.kind != Kind.WORKING_COMMITTEE:
        raise ValidationError({"committee": "班子成员应属于机关工委。"})
    if start_on is None:
        raise ValidationError({"start_on": "请填写开始日期。"})
    if organization is None:
        raise ValidationError({"organization": "请选择联系的党组织。"})
    if organization.pk == committee.pk:
        raise ValidationError({"organization": "联系点应是工委以下的党组织。"})
    lock_row(organization)  # the overlap check below, made by two requests at once
    _check_alive(organization, start_on, field="start_on", what="设为联系点")
    check_exists_on(committee, start_on, field="start_on", what="设为联系点")
    if end_on is not None and end_on < start_on:
        raise ValidationError({"end_on": "结束日期不能早于开始日期。"})
    overlapping = LiaisonAssignment.objects.filter(
        leader_name=leader_name, organization=organization, start_on__lte=end_on or datetime.date.max
    ).filter(Q(end_on__isnull=True) | Q(end_on__gte=start_on))
    if overlapping.exists():
        raise ValidationError({"organization": f"{leader_name}在这段时间已联系“{organization.name}”。"})
    assignment = LiaisonAssignment(
        leader_name=leader_name,
        committee=committee,
        organization=organization,
        start_on=start_on,
        end_on=end_on,
    )
    assignment.full_clean()
    assignment.save()
    audit.record_create(actor, assignment)
    return assignment


@transaction.atomic
def liaison_end(*, actor, assignment: LiaisonAssignment, end_on: datetime.date) -> LiaisonAssignment:
    lock_row(assignment)
    if end_on is None:
        raise ValidationError({"end_on": "请填写结束日期。"})
    if end_on < assignment.start_on:
        raise ValidationError({"end_on": "结束日期不能早于开始日期。"})
    return audit.update(actor, assignment, {"end_on": end_on})

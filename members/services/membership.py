"""Writes of membership: every change of a member's membership is dated and audited.

A member's organization and category live in `MemberVersion` rows (valid_from inclusive,
valid_to exclusive); the row on `Member` carries the current values. Every service that changes
them closes the open version on the day of the change and opens a new one, so
`Member.objects.as_of(day)` keeps answering for past days exactly as before.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from jiguan import audit
from jiguan.dates import chinese_date
from jiguan.integrity import refuse_duplicate
from jiguan.numbers import normalize_number
from jiguan.versions import version_change
from members import idnumber
from members.dues import services as dues_services
from members.models import (
    NATIONAL_FIELDS,
    AppointmentHolder,
    Category,
    LeftReason,
    Member,
    MemberEvent,
    MemberEventKind,
    MemberVersion,
    Status,
    TransferScope,
)
from members.rules import rules
from members.services.checks import (
    DUPLICATE_MEMBER,
    confirmation_errors,
    identity_errors,
    member_errors,
    new_member,
    raise_errors,
)
from organizations import services as organization_services
from organizations.models import Organization
from organizations.services import check_exists_on

# --- versions ----------------------------------------------------------------------------------


def _open_version(member):
    version = member.versions.filter(valid_to__isnull=True).order_by("-valid_from").first()
    if version is None:
        raise ValidationError("该党员没有当前的组织关系记录。")
    return version


def _start_version(member, *, date, organization, category, field="date"):
    """Close the open version on `date` and open one with the new organization and category."""
    version = _open_version(member)
    return version_change(
        version,
        date=date,
        changes={"organization": organization, "category": category},
        too_early_message=f"日期不能早于当前组织关系的开始日期（{chinese_date(version.valid_from)}）。",
        field=field,
    )


def _check_on_roster(member, date, field="date"):
    if member.left_on is not None:
        raise ValidationError(f"{member.name}已于{chinese_date(member.left_on)}离开党员名册。")
    if date < member.admitted_on:
        raise ValidationError({field: "日期不能早于入党日期。"})


def _check_organization_exists(organization, date, field):
    if organization is None:
        raise ValidationError({field: "请选择党组织。"})
    check_exists_on(organization, date, field=field, what="组织关系转接")


def _event(member, kind, date, **fields):
    event = MemberEvent(member=member, kind=kind, date=date, **fields)
    event.full_clean()
    event.save()
    return event


# --- members -----------------------------------------------------------------------------------


@transaction.atomic
def member_create(
    *,
    actor,
    organization: Organization,
    name: str,
    gender: str,
    id_number: str,
    admitted_on: datetime.date,
    birth_date: datetime.date | None = None,
    ethnicity: str = "汉族",
    education: str = "",
    phone: str = "",
    category: str = Category.IN_SERVICE,
    confirmed_on: datetime.date | None = None,
    joined_on: datetime.date | None = None,
    record_admission: bool = True,
    transfer_scope: str = "",
    external_organization: str = "",
    **details,
) -> Member:
    """A member and their first version (`details`: any of members.models.NATIONAL_FIELDS).

    The first version starts on `joined_on` (a transfer in) or on 入党日期, or on the
    organization's founding day when that is later. An ADMITTED event is recorded when the
    member was admitted in this organization (`record_admission`); a TRANSFERRED_IN event when
    `transfer_scope` is given.
    """
    id_number = normalize_number(id_number)
    errors = member_errors(
        id_number=id_number,
        gender=gender,
        birth_date=birth_date,
        admitted_on=admitted_on,
        confirmed_on=confirmed_on,
        organization=organization,
        joined_on=joined_on,
    )
    if not name or not name.strip():
        errors["name"] = "请填写姓名。"
    raise_errors(errors)
    birth_date = birth_date or idnumber.birth_date_of(id_number)
    valid_from = joined_on or max(admitted_on, organization.founded_on)
    member = new_member(
        organization=organization,
        name=name,
        gender=gender,
        id_number=id_number,
        birth_date=birth_date,
        admitted_on=admitted_on,
        confirmed_on=confirmed_on,
        ethnicity=ethnicity,
        education=education,
        phone=phone,
        category=category,
        **details,
    )
    member.full_clean()
    with refuse_duplicate({"id_number": DUPLICATE_MEMBER}):  # the same member entered twice at once
        member.save()
    MemberVersion.objects.create(
        member=member, organization=organization, category=category, valid_from=valid_from
    )
    if record_admission and not transfer_scope:
        _event(member, MemberEventKind.ADMITTED, admitted_on, to_organization=organization)
    if transfer_scope:
        _event(
            member,
            MemberEventKind.TRANSFERRED_IN,
            valid_from,
            to_organization=organization,
            scope=transfer_scope,
            external_organization=external_organization,
        )
    audit.record_create(actor, member)
    return member


EDITABLE_FIELDS = (
    "name",
    "gender",
    "id_number",
    "birth_date",
    "ethnicity",
    "education",
    "phone",
    *NATIONAL_FIELDS,
)


@transaction.atomic
def member_edit(*, actor, member: Member, **changes) -> Member:
    """Correct a member's personal data (organization, category and status change through events)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"member_edit cannot change {sorted(unknown)}")
    for field in ("id_number", "phone"):
        if field in changes:
            changes[field] = normalize_number(changes[field])
    after = {field: changes.get(field, getattr(member, field)) for field in EDITABLE_FIELDS}
    raise_errors(
        identity_errors(
            id_number=after["id_number"],
            gender=after["gender"],
            birth_date=after["birth_date"],
            exclude_member_pk=member.pk,
        )
    )
    return audit.update(actor, member, changes, unique={"id_number": DUPLICATE_MEMBER})


@transaction.atomic
def member_move(
    *,
    actor,
    member: Member,
    to_organization: Organization,
    date: datetime.date,
    note: str = "",
    scope: str = "",
) -> Member:
    """Move a member to another organization of the county on `date` (组织关系转接 within the system).

    Without `scope` it is a move inside the tree (MOVED, also used for merges); with
    scope=WITHIN_COUNTY it is recorded as a transfer in (TRANSFERRED_IN) to `to_organization`.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_on_roster(member, date)
    _check_organization_exists(to_organization, date, "to_organization")
    if to_organization.pk == member.organization_id:
        raise ValidationError({"to_organization": "新党组织与当前党组织相同。"})
    from_organization = member.organization
    _start_version(member, date=date, organization=to_organization, category=member.category)
    audit.update(actor, member, {"organization": to_organization})
    _event(
        member,
        MemberEventKind.TRANSFERRED_IN if scope else MemberEventKind.MOVED,
        date,
        from_organization=from_organization,
        to_organization=to_organization,
        scope=scope,
        note=note,
    )
    return member


@transaction.atomic
def member_transfer_in(
    *,
    actor,
    organization: Organization,
    date: datetime.date,
    scope: str,
    external_organization: str,
    name: str,
    gender: str,
    id_number: str,
    admitted_on: datetime.date,
    confirmed_on: datetime.date | None = None,
    birth_date: datetime.date | None = None,
    ethnicity: str = "汉族",
    education: str = "",
    phone: str = "",
    category: str = Category.IN_SERVICE,
    dues_paid_until: datetime.date | None = None,
) -> Member:
    """A member arriving from an organization outside the system (县内 or 县外), on `date`, with
    their dues paid up to `dues_paid_until` (交至年月, members.dues.services.record_transfer_in).

    A member who once transferred out and now comes back (same ID number) returns on their own
    record: see `_member_return`. Members who died or were expelled cannot be transferred in."""
    if scope not in TransferScope.values:
        raise ValidationError({"scope": "请选择转接范围（县内或县外）。"})
    if not external_organization.strip():
        raise ValidationError({"external_organization": "请填写原党组织名称。"})
    _check_organization_exists(organization, date, "organization")
    former = (
        Member.objects.select_for_update()
        .matching("id_number", id_number or "")
        .filter(left_on__isnull=False)
        .first()
    )
    if former is not None:
        member = _member_return(
            actor=actor,
            member=former,
            organization=organization,
            date=date,
            scope=scope,
            external_organization=external_organization.strip(),
            name=name,
            gender=gender,
            birth_date=birth_date,
            admitted_on=admitted_on,
            confirmed_on=confirmed_on,
            ethnicity=ethnicity,
            education=education,
            phone=phone,
            category=category,
        )
    else:
        member = member_create(
            actor=actor,
            organization=organization,
            name=name,
            gender=gender,
            id_number=id_number,
            birth_date=birth_date,
            ethnicity=ethnicity,
            education=education,
            phone=phone,
            category=category,
            admitted_on=admitted_on,
            confirmed_on=confirmed_on,
            joined_on=date,
            transfer_scope=scope,
            external_organization=external_organization.strip(),
        )
    dues_services.record_transfer_in(actor=actor, member=member, date=date, paid_until=dues_paid_until)
    return member


def _member_return(
    *,
    actor,
    member: Member,
    organization: Organization,
    date: datetime.date,
    scope: str,
    external_organization: str,
    name: str,
    gender: str,
    birth_date: datetime.date | None,
    admitted_on: datetime.date,
    confirmed_on: datetime.date | None,
    ethnicity: str,
    education: str,
    phone: str,
    category: str,
) -> Member:
    """A member who transferred out comes back: their record returns to the roster from `date`
    (a new version; the absence stays a gap in the versions, so `as_of` leaves them out of it)."""
    if member.left_reason != LeftReason.TRANSFERRED_OUT:
        raise ValidationError(
            {
                "id_number": f"{member.name}已于{chinese_date(member.left_on)}{member.get_left_reason_display()}，"
                "不能办理组织关系转入。"
            }
        )
    if date is None or date <= member.left_on:
        raise ValidationError(
            {"date": f"转入日期应晚于{member.name}的转出日期（{chinese_date(member.left_on)}）。"}
        )
    errors = identity_errors(
        id_number=member.id_number, gender=gender, birth_date=birth_date, check_duplicate=False
    )
    if not name or not name.strip():
        errors["name"] = "请填写姓名。"
    if admitted_on != member.admitted_on:
        errors["admitted_on"] = f"入党日期与{member.name}原有记录（{chinese_date(member.admitted_on)}）不符。"
    if member.confirmed_on and confirmed_on and confirmed_on != member.confirmed_on:
        errors["confirmed_on"] = (
            f"转正日期与{member.name}原有记录（{chinese_date(member.confirmed_on)}）不符。"
        )
    if not member.confirmed_on and confirmed_on and "admitted_on" not in errors:
        # Confirmed while away: the 转正日期 rule still holds.
        errors.update(
            confirmation_errors(
                admitted_on=member.admitted_on,
                confirmed_on=confirmed_on,
                extension_months=member.probation_extension_months,
            )
        )
    raise_errors(errors)
    changes = {
        "name": name.strip(),
        "gender": gender,
        "ethnicity": ethnicity,
        "education": education or member.education,
        "phone": normalize_number(phone) or member.phone,
        "organization": organization,
        "category": category,
        "left_on": None,
        "left_reason": "",
    }
    if confirmed_on and not member.confirmed_on:
        changes.update(confirmed_on=confirmed_on, status=Status.FULL)
    audit.update(actor, member, changes)
    MemberVersion.objects.create(member=member, organization=organization, category=category, valid_from=date)
    _event(
        member,
        MemberEventKind.TRANSFERRED_IN,
        date,
        to_organization=organization,
        scope=scope,
        external_organization=external_organization,
    )
    return member


def _leave(member, *, date, reason, event_kind, actor, note="", **event_fields):
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_on_roster(member, date)
    version = _open_version(member)
    if date <= version.valid_from:
        raise ValidationError(
            {"date": f"日期应晚于当前组织关系的开始日期（{chinese_date(version.valid_from)}）。"}
        )
    version.valid_to = date
    version.save(update_fields=["valid_to"])
    audit.update(actor, member, {"left_on": date, "left_reason": reason})
    _event(member, event_kind, date, from_organization=member.organization, note=note, **event_fields)
    return member


@transaction.atomic
def member_transfer_out(
    *,
    actor,
    member: Member,
    date: datetime.date,
    scope: str,
    external_organization: str,
    note: str = "",
    dues_paid_until: datetime.date | None = None,
) -> Member:
    """The member's membership moves to an organization outside the system; they leave the roster,
    their dues paid up to `dues_paid_until` (交至年月, carried on the event)."""
    if scope not in TransferScope.values:
        raise ValidationError({"scope": "请选择转接范围（县内或县外）。"})
    if not external_organization.strip():
        raise ValidationError({"external_organization": "请填写转往的党组织名称。"})
    return _leave(
        member,
        date=date,
        reason=LeftReason.TRANSFERRED_OUT,
        event_kind=MemberEventKind.TRANSFERRED_OUT,
        actor=actor,
        note=note,
        scope=scope,
        external_organization=external_organization.strip(),
        dues_paid_until=dues_paid_until.replace(day=1) if dues_paid_until else None,
    )


_LEAVE_EVENTS = {LeftReason.EXPELLED: MemberEventKind.EXPELLED, LeftReason.DIED: MemberEventKind.DIED}


@transaction.atomic
def member_leave(*, actor, member: Member, date: datetime.date, reason: str, note: str = "") -> Member:
    """The member leaves the roster (出党, 去世) on `date`; 转出 goes through member_transfer_out."""
    if reason not in _LEAVE_EVENTS:
        raise ValidationError({"reason": "请选择离开原因（出党或去世）；转出请使用组织关系转出。"})
    return _leave(member, date=date, reason=reason, event_kind=_LEAVE_EVENTS[reason], actor=actor, note=note)


@transaction.atomic
def member_change_category(
    *, actor, member: Member, category: str, date: datetime.date, note: str = ""
) -> Member:
    """在职 → 离退休 and the like, from `date` on."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if category not in Category.values:
        raise ValidationError({"category": "请选择人员类别。"})
    _check_on_roster(member, date)
    if category == member.category:
        raise ValidationError({"category": "人员类别与当前相同。"})
    old_label = member.get_category_display()
    _start_version(member, date=date, organization=member.organization, category=category)
    audit.update(actor, member, {"category": category})
    _event(
        member,
        MemberEventKind.CATEGORY_CHANGED,
        date,
        note=note or f"{old_label} → {member.get_category_display()}",
    )
    return member


@transaction.atomic
def member_extend_probation(
    *, actor, member: Member, months: int, date: datetime.date, note: str = ""
) -> Member:
    """延长预备期: once, by 6 to 12 months (settings.MEMBER_DEVELOPMENT_RULES)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_on_roster(member, date)
    low, high = rules()["EXTENSION_MIN_MONTHS"], rules()["EXTENSION_MAX_MONTHS"]
    if member.status != Status.PROBATIONARY:
        raise ValidationError("只有预备党员可以延长预备期。")
    if member.probation_extension_months:
        raise ValidationError({"months": "预备期只能延长一次。"})
    if months is None or not low <= months <= high:
        raise ValidationError({"months": f"延长预备期应为{low}至{high}个月。"})
    audit.update(actor, member, {"probation_extension_months": months})
    _event(member, MemberEventKind.PROBATION_EXTENDED, date, note=note or f"延长{months}个月")
    return member


@transaction.atomic
def member_confirm(*, actor, member: Member, date: datetime.date, note: str = "") -> Member:
    """转正: the member becomes full (正式党员) on `date`, the day probation ends."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_on_roster(member, date)
    if member.status != Status.PROBATIONARY:
        raise ValidationError("该党员已是正式党员。")
    raise_errors(
        confirmation_errors(
            admitted_on=member.admitted_on,
            confirmed_on=date,
            extension_months=member.probation_extension_months,
        )
    )
    audit.update(actor, member, {"status": Status.FULL, "confirmed_on": date})
    _event(member, MemberEventKind.CONFIRMED, date, note=note)
    return member


# --- what members adds to organizations' rules (registered in MembersConfig.ready) ---------------


def organization_dissolve_check(organization: Organization, date: datetime.date) -> str:
    """An organization with members on its roster may not be dissolved (organizations.contributions)."""
    on_roster = Member.objects.on_roster().filter(organization=organization)
    names = list(on_roster.values_list("name", flat=True)[:11])
    if not names:
        return ""
    count = on_roster.count()
    return (
        f"“{organization.name}”还有{count}名党员：{'、'.join(names[:10])}"
        f"{'等' if count > 10 else ''}。请先将党员整体划入其他党组织或办理转出。"
    )


def organization_merge_step(
    *, actor, organization: Organization, into: Organization, date: datetime.date
) -> str:
    """Merging (整体划入) moves every member on the roster into `into` on `date` (organizations.contributions)."""
    members = list(Member.objects.on_roster().filter(organization=organization))
    for member in members:
        member_move(
            actor=actor,
            member=member,
            to_organization=into,
            date=date,
            note=f"{organization.name}整体划入{into.name}",
        )
    return f"{len(members)}名党员整体划入{into.name}"


@transaction.atomic
def appointment_with_holder(*, actor, member: Member | None = None, **appointment):
    """Appoint (organizations.services.appointment_create) and, when the person is a member of the
    roster, record which one (AppointmentHolder; the 廉政承诺书 rule by post reads it)."""
    created = organization_services.appointment_create(actor=actor, **appointment)
    if member is not None:
        holder = AppointmentHolder(appointment=created, member=member)
        holder.full_clean()
        holder.save()
        audit.record_create(actor, holder)
    return created


def appointment_holders_store(*, actor, holders: list[tuple]) -> None:
    """The members holding the appointments just stored by an AppointmentBatch (an import's 任职
    sheet): (appointment, member) pairs, recorded at once as appointment_with_holder records one."""
    records = [AppointmentHolder(appointment=appointment, member=member) for appointment, member in holders]
    AppointmentHolder.objects.bulk_create(records, batch_size=500)
    audit.record_bulk_create(actor, records)

"""Writes of the members app: every change of a member's membership is dated and audited.

A member's organization and category live in `MemberVersion` rows (valid_from inclusive,
valid_to exclusive); the row on `Member` carries the current values. Every service that changes
them closes the open version on the day of the change and opens a new one, so
`Member.objects.as_of(day)` keeps answering for past days exactly as before.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from jiguan import audit
from members import idnumber
from members.models import (
    INDIVIDUAL_COMMENDATIONS,
    Category,
    Commendation,
    CommendationKind,
    LeftReason,
    MedalAward,
    Member,
    MemberEvent,
    MemberEventKind,
    MemberVersion,
    Status,
    TransferScope,
)
from organizations.models import Organization


def rules():
    return settings.MEMBER_DEVELOPMENT_RULES


def add_months(day, months):
    """`day` plus whole calendar months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def probation_end(member):
    """The earliest 转正日期: one probation period after 入党日期, plus any extension."""
    end = member.admitted_on + datetime.timedelta(days=rules()["PROBATION_DAYS"])
    return add_months(end, member.probation_extension_months)


# --- identity ----------------------------------------------------------------------------------


def identity_errors(*, id_number, gender, birth_date, exclude_member_pk=None, check_duplicate=True):
    """Errors (field -> Chinese message) of an ID number and the gender and birth date given with it."""
    errors = {}
    try:
        idnumber.validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages[0]
        return errors
    id_number = idnumber.normalize(id_number)
    if gender and gender != idnumber.gender_of(id_number):
        errors["gender"] = "性别与公民身份号码不符（第17位奇数为男，偶数为女）。"
    if birth_date and birth_date != idnumber.birth_date_of(id_number):
        errors["birth_date"] = "出生日期与公民身份号码不符（第7至14位）。"
    if check_duplicate:
        duplicates = Member.objects.filter(id_number=id_number)
        if exclude_member_pk:
            duplicates = duplicates.exclude(pk=exclude_member_pk)
        if duplicates.exists():
            errors["id_number"] = "该公民身份号码已登记在党员名册中。"
    return errors


def confirmation_errors(*, admitted_on, confirmed_on, extension_months=0):
    """The 转正日期 rule: one probation period after 入党日期, within an extension when there is one."""
    if confirmed_on is None:
        return {}
    earliest = admitted_on + datetime.timedelta(days=rules()["PROBATION_DAYS"])
    if confirmed_on < earliest:
        return {"confirmed_on": f"转正日期应在入党日期满一年预备期之后（不早于{earliest:%Y年%-m月%-d日}）。"}
    if extension_months:
        earliest_extended = add_months(earliest, extension_months)
        if confirmed_on < earliest_extended:
            return {
                "confirmed_on": f"预备期已延长{extension_months}个月，"
                f"转正日期不应早于{earliest_extended:%Y年%-m月%-d日}。"
            }
    return {}


def _raise(errors):
    if errors:
        raise ValidationError(errors)


# --- versions ----------------------------------------------------------------------------------


def _open_version(member):
    version = member.versions.filter(valid_to__isnull=True).order_by("-valid_from").first()
    if version is None:
        raise ValidationError("该党员没有当前的组织关系记录。")
    return version


def _start_version(member, *, date, organization, category, field="date"):
    """Close the open version on `date` and open one with the new organization and category."""
    version = _open_version(member)
    if date < version.valid_from:
        raise ValidationError(
            {field: f"日期不能早于当前组织关系的开始日期（{version.valid_from:%Y年%-m月%-d日}）。"}
        )
    if date == version.valid_from:
        # A second change on the same day replaces the day's version instead of leaving an empty one.
        version.organization = organization
        version.category = category
        version.save(update_fields=["organization", "category"])
        return version
    version.valid_to = date
    version.save(update_fields=["valid_to"])
    return MemberVersion.objects.create(
        member=member, organization=organization, category=category, valid_from=date
    )


def _check_on_roster(member, date, field="date"):
    if member.left_on is not None:
        raise ValidationError(f"{member.name}已于{member.left_on:%Y年%-m月%-d日}离开党员名册。")
    if date < member.admitted_on:
        raise ValidationError({field: "日期不能早于入党日期。"})


def _check_organization_exists(organization, date, field):
    if organization is None:
        raise ValidationError({field: "请选择党组织。"})
    if not organization.exists_on(date):
        raise ValidationError({field: f"{organization.name}在{date:%Y年%-m月%-d日}尚未成立或已撤销。"})


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
) -> Member:
    """A member and their first version.

    The first version starts on `joined_on` (a transfer in) or on 入党日期, or on the
    organization's founding day when that is later. An ADMITTED event is recorded when the
    member was admitted in this organization (`record_admission`); a TRANSFERRED_IN event when
    `transfer_scope` is given.
    """
    id_number = idnumber.normalize(id_number)
    errors = identity_errors(id_number=id_number, gender=gender, birth_date=birth_date)
    if not errors.get("id_number") and birth_date is None:
        birth_date = idnumber.birth_date_of(id_number)
    if not name or not name.strip():
        errors["name"] = "请填写姓名。"
    if admitted_on is None:
        errors["admitted_on"] = "请填写入党日期。"
    elif birth_date and age_on(birth_date, admitted_on) < rules()["MIN_APPLICANT_AGE"]:
        errors["admitted_on"] = f"入党时应年满{rules()['MIN_APPLICANT_AGE']}周岁。"
    if admitted_on and not errors.get("admitted_on"):
        errors.update(confirmation_errors(admitted_on=admitted_on, confirmed_on=confirmed_on))
    _raise(errors)

    valid_from = joined_on or max(admitted_on, organization.founded_on)
    if joined_on and joined_on < admitted_on:
        raise ValidationError({"joined_on": "转入日期不能早于入党日期。"})
    if organization.dissolved_on and organization.dissolved_on <= valid_from:
        raise ValidationError(
            {"organization": f"{organization.name}已于{organization.dissolved_on:%Y年%-m月%-d日}撤销。"}
        )

    member = Member(
        name=name.strip(),
        gender=gender,
        id_number=id_number,
        birth_date=birth_date,
        ethnicity=ethnicity,
        education=education,
        phone=phone,
        organization=organization,
        category=category,
        status=Status.FULL if confirmed_on else Status.PROBATIONARY,
        admitted_on=admitted_on,
        confirmed_on=confirmed_on,
    )
    member.full_clean()
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


EDITABLE_FIELDS = ("name", "gender", "id_number", "birth_date", "ethnicity", "education", "phone")


@transaction.atomic
def member_edit(*, actor, member: Member, **changes) -> Member:
    """Correct a member's personal data (organization, category and status change through events)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"member_edit cannot change {sorted(unknown)}")
    before = audit.snapshot(member)
    for field, value in changes.items():
        setattr(member, field, value)
    member.id_number = idnumber.normalize(member.id_number)
    errors = identity_errors(
        id_number=member.id_number,
        gender=member.gender,
        birth_date=member.birth_date,
        exclude_member_pk=member.pk,
    )
    _raise(errors)
    member.full_clean()
    member.save()
    audit.record_update(actor, member, before)
    return member


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
    before = audit.snapshot(member)
    from_organization = member.organization
    _start_version(member, date=date, organization=to_organization, category=member.category)
    member.organization = to_organization
    member.save(update_fields=["organization", "updated_at"])
    _event(
        member,
        MemberEventKind.TRANSFERRED_IN if scope else MemberEventKind.MOVED,
        date,
        from_organization=from_organization,
        to_organization=to_organization,
        scope=scope,
        note=note,
    )
    audit.record_update(actor, member, before)
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
) -> Member:
    """A member arriving from an organization outside the system (县内 or 县外), on `date`."""
    if scope not in TransferScope.values:
        raise ValidationError({"scope": "请选择转接范围（县内或县外）。"})
    if not external_organization.strip():
        raise ValidationError({"external_organization": "请填写原党组织名称。"})
    _check_organization_exists(organization, date, "organization")
    return member_create(
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


def _leave(member, *, date, reason, event_kind, actor, note="", **event_fields):
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_on_roster(member, date)
    version = _open_version(member)
    if date <= version.valid_from:
        raise ValidationError(
            {"date": f"日期应晚于当前组织关系的开始日期（{version.valid_from:%Y年%-m月%-d日}）。"}
        )
    before = audit.snapshot(member)
    version.valid_to = date
    version.save(update_fields=["valid_to"])
    member.left_on = date
    member.left_reason = reason
    member.save(update_fields=["left_on", "left_reason", "updated_at"])
    _event(member, event_kind, date, from_organization=member.organization, note=note, **event_fields)
    audit.record_update(actor, member, before)
    return member


@transaction.atomic
def member_transfer_out(
    *, actor, member: Member, date: datetime.date, scope: str, external_organization: str, note: str = ""
) -> Member:
    """The member's membership moves to an organization outside the system; they leave the roster."""
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
    before = audit.snapshot(member)
    old_label = member.get_category_display()
    _start_version(member, date=date, organization=member.organization, category=category)
    member.category = category
    member.save(update_fields=["category", "updated_at"])
    _event(
        member,
        MemberEventKind.CATEGORY_CHANGED,
        date,
        note=note or f"{old_label} → {member.get_category_display()}",
    )
    audit.record_update(actor, member, before)
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
    before = audit.snapshot(member)
    member.probation_extension_months = months
    member.save(update_fields=["probation_extension_months", "updated_at"])
    _event(member, MemberEventKind.PROBATION_EXTENDED, date, note=note or f"延长{months}个月")
    audit.record_update(actor, member, before)
    return member


@transaction.atomic
def member_confirm(*, actor, member: Member, date: datetime.date, note: str = "") -> Member:
    """转正: the member becomes full (正式党员) on `date`, the day probation ends."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_on_roster(member, date)
    if member.status != Status.PROBATIONARY:
        raise ValidationError("该党员已是正式党员。")
    _raise(
        confirmation_errors(
            admitted_on=member.admitted_on,
            confirmed_on=date,
            extension_months=member.probation_extension_months,
        )
    )
    if member.probation_extension_months:
        latest = probation_end(member)
        if date > latest:
            raise ValidationError(
                {"confirmed_on": f"延长的预备期已于{latest:%Y年%-m月%-d日}届满，转正日期不应晚于此日。"}
            )
    before = audit.snapshot(member)
    member.status = Status.FULL
    member.confirmed_on = date
    member.full_clean()
    member.save(update_fields=["status", "confirmed_on", "updated_at"])
    _event(member, MemberEventKind.CONFIRMED, date, note=note)
    audit.record_update(actor, member, before)
    return member


# --- honours -----------------------------------------------------------------------------------


@transaction.atomic
def commendation_create(
    *,
    actor,
    kind: str,
    granted_by: Organization,
    date: datetime.date,
    member: Member | None = None,
    person_name: str = "",
    recipient_organization: Organization | None = None,
    recommended: bool = False,
    higher_body: str = "",
    document_number: str = "",
) -> Commendation:
    """两优一先: granted by `granted_by`, or recommended by it to `higher_body`."""
    errors = {}
    if kind not in CommendationKind.values:
        errors["kind"] = "请选择表彰类别。"
    elif kind in INDIVIDUAL_COMMENDATIONS:
        if member is None and not person_name.strip():
            errors["member"] = "个人表彰请选择党员或填写姓名。"
        if recipient_organization is not None:
            errors["recipient_organization"] = "个人表彰不应选择受表彰党组织。"
    elif recipient_organization is None:
        errors["recipient_organization"] = "先进基层党组织请选择受表彰党组织。"
    if recommended and not higher_body.strip():
        errors["higher_body"] = "向上推荐请填写推荐至哪一级组织。"
    _raise(errors)
    commendation = Commendation(
        kind=kind,
        member=member,
        person_name=person_name.strip() or (member.name if member else ""),
        recipient_organization=recipient_organization,
        granted_by=granted_by,
        recommended=recommended,
        higher_body=higher_body.strip(),
        date=date,
        document_number=document_number.strip(),
    )
    commendation.full_clean()
    commendation.save()
    audit.record_create(actor, commendation)
    return commendation


@transaction.atomic
def medal_award(
    *, actor, member: Member, year: int, awarded_on: datetime.date, awarded_by: Organization
) -> MedalAward:
    """光荣在党50年纪念章 for an eligible member (members.selectors.medal_eligible)."""
    from members import selectors

    if not selectors.medal_eligible(year).filter(pk=member.pk).exists():
        raise ValidationError(
            {"member": f"{member.name}不符合{year}年“光荣在党50年”纪念章的条件（或已获颁）。"}
        )
    award = MedalAward(member=member, year=year, awarded_on=awarded_on, awarded_by=awarded_by)
    award.full_clean()
    award.save()
    audit.record_create(actor, award)
    return award

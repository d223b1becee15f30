"""Writes of the members app: every change of a member's membership is dated and audited.

A member's organization and category live in `MemberVersion` rows (valid_from inclusive,
valid_to exclusive); the row on `Member` carries the current values. Every service that changes
them closes the open version on the day of the change and opens a new one, so
`Member.objects.as_of(day)` keeps answering for past days exactly as before.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from jiguan import audit
from jiguan.dates import add_months, age_on, chinese_date
from jiguan.integrity import lock_row, refuse_duplicate
from jiguan.numbers import normalize_number
from jiguan.versions import version_change
from members import development, idnumber
from members.models import (
    INDIVIDUAL_COMMENDATIONS,
    Category,
    Commendation,
    CommendationKind,
    DevelopmentStep,
    LeftReason,
    MedalAward,
    Member,
    MemberEvent,
    MemberEventKind,
    MemberVersion,
    Prospect,
    Stage,
    Status,
    TransferScope,
)
from organizations.models import Organization
from organizations.services import check_exists_on


def rules():
    return settings.MEMBER_DEVELOPMENT_RULES


def probation_months():
    # PROBATION_DAYS is kept in days in settings; a probation "of one year" ends on the anniversary.
    return round(rules()["PROBATION_DAYS"] * 12 / 365)


def normal_probation_end(admitted_on):
    return add_months(admitted_on, probation_months())


def probation_end(member):
    """The day probation ends: one year after 入党日期, plus any extension."""
    return add_months(normal_probation_end(member.admitted_on), member.probation_extension_months)


# --- identity ----------------------------------------------------------------------------------


DUPLICATE_MEMBER = "该公民身份号码已登记在党员名册中。"
DUPLICATE_PROSPECT = "该公民身份号码已登记为入党申请人。"


def identity_errors(*, id_number, gender, birth_date, exclude_member_pk=None, check_duplicate=True):
    """Errors (field -> Chinese message) of an ID number and the gender and birth date given with it."""
    errors = {}
    try:
        idnumber.validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages[0]
        return errors
    id_number = normalize_number(id_number)
    if gender and gender != idnumber.gender_of(id_number):
        errors["gender"] = "性别与公民身份号码不符（第17位奇数为男，偶数为女）。"
    if birth_date and birth_date != idnumber.birth_date_of(id_number):
        errors["birth_date"] = "出生日期与公民身份号码不符（第7至14位）。"
    if check_duplicate:
        duplicates = Member.objects.matching("id_number", id_number)
        if exclude_member_pk:
            duplicates = duplicates.exclude(pk=exclude_member_pk)
        if duplicates.exists():
            errors["id_number"] = DUPLICATE_MEMBER
    return errors


def confirmation_errors(*, admitted_on, confirmed_on, extension_months=0):
    """The 转正日期 rule: not before one year of probation; with an extension, within the extension."""
    if confirmed_on is None:
        return {}
    normal_end = normal_probation_end(admitted_on)
    if not extension_months:
        if confirmed_on < normal_end:
            return {
                "confirmed_on": f"转正日期应在入党日期满一年预备期之后（不早于{chinese_date(normal_end)}）。"
            }
        return {}
    extended_end = add_months(normal_end, extension_months)
    if not normal_end < confirmed_on <= extended_end:
        return {
            "confirmed_on": f"预备期已延长{extension_months}个月，"
            f"转正日期应在{chinese_date(normal_end)}之后、{chinese_date(extended_end)}之前（含）。"
        }
    return {}


def member_errors(
    *,
    id_number,
    gender,
    birth_date,
    admitted_on,
    confirmed_on,
    organization=None,
    joined_on=None,
    exclude_member_pk=None,
    check_duplicate=True,
):
    """Errors (field -> Chinese message) of a member's identity and membership dates: the ID number
    with the gender and birth date given, age on 入党日期, the 转正日期 rule, and an organization
    dissolved before the membership starts. The one check behind the form, the service and the import.
    """
    errors = identity_errors(
        id_number=id_number,
        gender=gender,
        birth_date=birth_date,
        exclude_member_pk=exclude_member_pk,
        check_duplicate=check_duplicate,
    )
    if birth_date is None and not errors.get("id_number"):
        birth_date = idnumber.birth_date_of(normalize_number(id_number))
    if admitted_on is None:
        errors["admitted_on"] = "请填写入党日期。"
        return errors
    minimum_age = rules()["MIN_APPLICANT_AGE"]
    if birth_date and age_on(birth_date, admitted_on) < minimum_age:
        errors["admitted_on"] = f"入党时应年满{minimum_age}周岁。"
    else:
        errors.update(confirmation_errors(admitted_on=admitted_on, confirmed_on=confirmed_on))
    if joined_on and joined_on < admitted_on:
        errors["joined_on"] = "转入日期不能早于入党日期。"
    elif organization is not None:
        # Membership starts on the day of joining, or on 入党日期 (the founding day when the
        # organization was founded later: members admitted elsewhere before it existed).
        valid_from = joined_on or max(admitted_on, organization.founded_on)
        problem = organization.existence_problem(valid_from, "加入")
        if problem:
            errors["organization"] = problem
    return errors


def new_member(
    *,
    organization,
    name,
    gender,
    id_number,
    birth_date,
    admitted_on,
    confirmed_on=None,
    ethnicity="汉族",
    education="",
    phone="",
    category=Category.IN_SERVICE,
):
    """An unsaved Member: full (正式党员) when a 转正日期 is given, probationary otherwise."""
    return Member(
        name=name.strip(),
        gender=gender,
        id_number=normalize_number(id_number),
        birth_date=birth_date,
        ethnicity=ethnicity,
        education=education,
        phone=normalize_number(phone),
        organization=organization,
        category=category,
        status=Status.FULL if confirmed_on else Status.PROBATIONARY,
        admitted_on=admitted_on,
        confirmed_on=confirmed_on,
    )


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
) -> Member:
    """A member and their first version.

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
    _raise(errors)
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
    member.id_number = normalize_number(member.id_number)
    member.phone = normalize_number(member.phone)
    errors = identity_errors(
        id_number=member.id_number,
        gender=member.gender,
        birth_date=member.birth_date,
        exclude_member_pk=member.pk,
    )
    _raise(errors)
    member.full_clean()
    with refuse_duplicate({"id_number": DUPLICATE_MEMBER}):
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
    member.full_clean()
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
    """A member arriving from an organization outside the system (县内 or 县外), on `date`.

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
        return _member_return(
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
    _raise(errors)
    before = audit.snapshot(member)
    member.name = name.strip()
    member.gender = gender
    member.ethnicity = ethnicity
    member.education = education or member.education
    member.phone = normalize_number(phone) or member.phone
    member.organization = organization
    member.category = category
    if confirmed_on and not member.confirmed_on:
        member.confirmed_on = confirmed_on
        member.status = Status.FULL
    member.left_on = None
    member.left_reason = ""
    member.full_clean()
    member.save()
    MemberVersion.objects.create(member=member, organization=organization, category=category, valid_from=date)
    _event(
        member,
        MemberEventKind.TRANSFERRED_IN,
        date,
        to_organization=organization,
        scope=scope,
        external_organization=external_organization,
    )
    audit.record_update(actor, member, before)
    return member


def _leave(member, *, date, reason, event_kind, actor, note="", **event_fields):
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_on_roster(member, date)
    version = _open_version(member)
    if date <= version.valid_from:
        raise ValidationError(
            {"date": f"日期应晚于当前组织关系的开始日期（{chinese_date(version.valid_from)}）。"}
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
    member.full_clean()
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
    member.full_clean()
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
    if date is None:
        errors["date"] = "请填写日期。"
    else:
        for field, organization in (
            ("granted_by", granted_by),
            ("recipient_organization", recipient_organization),
        ):
            problem = organization.existence_problem(date, "表彰") if organization is not None else ""
            if problem:
                errors.setdefault(field, problem)
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

    if awarded_on is None:
        raise ValidationError({"awarded_on": "请填写颁发日期。"})
    if awarded_on.year != year:
        raise ValidationError({"awarded_on": f"颁发日期应在{year}年内（默认为{year}年7月1日）。"})
    check_exists_on(awarded_by, awarded_on, field="awarded_on", what="颁发纪念章")
    if not selectors.medal_eligible(year).filter(pk=member.pk).exists():
        raise ValidationError(
            {"member": f"{member.name}不符合{year}年“光荣在党50年”纪念章的条件（或已获颁）。"}
        )
    award = MedalAward(member=member, year=year, awarded_on=awarded_on, awarded_by=awarded_by)
    award.full_clean()
    with refuse_duplicate({"member": f"{member.name}已获颁纪念章。"}):  # awarded twice at once
        award.save()
    audit.record_create(actor, award)
    return award


# --- development of new members ------------------------------------------------------------------


def _done_steps(prospect):
    return dict(prospect.steps.values_list("number", "done_on"))


@transaction.atomic
def prospect_create(
    *,
    actor,
    organization: Organization,
    name: str,
    gender: str,
    id_number: str,
    applied_on: datetime.date,
    birth_date: datetime.date | None = None,
    ethnicity: str = "汉族",
    education: str = "",
    phone: str = "",
    category: str = Category.IN_SERVICE,
    note: str = "",
) -> Prospect:
    """An applicant (入党申请人): the person and step 1, the application, on `applied_on`."""
    id_number = normalize_number(id_number)
    errors = identity_errors(id_number=id_number, gender=gender, birth_date=birth_date)
    if not errors.get("id_number") and Prospect.objects.matching("id_number", id_number).exists():
        errors["id_number"] = DUPLICATE_PROSPECT
    if not name or not name.strip():
        errors["name"] = "请填写姓名。"
    if applied_on is None:
        errors["applied_on"] = "请填写递交入党申请书日期。"
    _raise(errors)
    birth_date = birth_date or idnumber.birth_date_of(id_number)
    check_exists_on(organization, applied_on, field="organization", what="递交入党申请书")
    prospect = Prospect(
        name=name.strip(),
        gender=gender,
        id_number=id_number,
        birth_date=birth_date,
        ethnicity=ethnicity,
        education=education,
        phone=normalize_number(phone),
        category=category,
        organization=organization,
        stage=Stage.APPLICANT,
        applied_on=applied_on,
    )
    step_problems = development.step_errors(
        prospect, number=development.APPLICATION, done_on=applied_on, done={}
    )
    if step_problems:
        raise ValidationError({"applied_on": next(iter(step_problems.values()))})
    prospect.full_clean()
    with refuse_duplicate({"id_number": DUPLICATE_PROSPECT}):
        prospect.save()
    DevelopmentStep.objects.create(
        prospect=prospect, number=development.APPLICATION, done_on=applied_on, note=note
    )
    audit.record_create(actor, prospect)
    return prospect


@transaction.atomic
def prospect_record_step(
    *,
    actor,
    prospect: Prospect,
    number: int,
    done_on: datetime.date,
    note: str = "",
    hours: int | None = None,
    days: int | None = None,
    votes_for: int | None = None,
    voters_entitled: int | None = None,
    mentors: str = "",
    sponsors: str = "",
) -> DevelopmentStep:
    """Record step `number` of the 25 (in order, with the rules of members.development).

    Step 3 makes the applicant an activist, step 7 an activist a candidate; step 17 (the approval)
    admits the candidate as a probationary member from the 支部大会 of step 15; step 24 confirms
    the member on the day probation ends.
    """
    prospect = Prospect.objects.select_for_update().get(pk=prospect.pk)
    if prospect.stage == Stage.WITHDRAWN:
        raise ValidationError("该发展对象已终止培养。")
    done = _done_steps(prospect)
    errors = development.step_errors(
        prospect,
        number=number,
        done_on=done_on,
        done=done,
        hours=hours,
        days=days,
        votes_for=votes_for,
        voters_entitled=voters_entitled,
    )
    if done_on is not None:
        problem = prospect.organization.existence_problem(done_on, "发展步骤")
        if problem:
            errors.setdefault("done_on", problem)
    if number == 5 and not (mentors or prospect.mentors).strip():
        errors.setdefault("mentors", "请填写培养联系人（1至2名正式党员）。")
    if number == 9 and not (sponsors or prospect.sponsors).strip():
        errors.setdefault("sponsors", "请填写入党介绍人（2名正式党员）。")
    _raise(errors)
    before = audit.snapshot(prospect)
    step = DevelopmentStep(
        prospect=prospect,
        number=number,
        done_on=done_on,
        note=note,
        hours=hours,
        days=days,
        votes_for=votes_for,
        voters_entitled=voters_entitled,
    )
    step.full_clean()
    step.save()
    if mentors:
        prospect.mentors = mentors.strip()
    if sponsors:
        prospect.sponsors = sponsors.strip()

    if number == development.ADMISSION_APPROVAL:
        try:
            prospect.member = member_create(
                actor=actor,
                organization=prospect.organization,
                name=prospect.name,
                gender=prospect.gender,
                id_number=prospect.id_number,
                birth_date=prospect.birth_date,
                ethnicity=prospect.ethnicity,
                education=prospect.education,
                phone=prospect.phone,
                category=prospect.category,
                admitted_on=done[development.ADMISSION_MEETING],
            )
        except ValidationError as exc:
            raise ValidationError({"done_on": "无法接收为预备党员：" + "；".join(exc.messages)}) from exc
    elif number == development.CONFIRMATION_APPROVAL:
        member = prospect.member
        end = probation_end(member)
        if done_on < end:
            raise ValidationError({"done_on": f"预备期至{chinese_date(end)}届满，届满前不能审批转正。"})
        try:
            member_confirm(actor=actor, member=member, date=end)
        except ValidationError as exc:
            raise ValidationError({"done_on": "无法转正：" + "；".join(exc.messages)}) from exc
    if number > development.ADMISSION_APPROVAL and prospect.member and prospect.member.left_on:
        raise ValidationError({"number": "该党员已离开党员名册，不能继续记录。"})

    prospect.stage = development.STAGE_AFTER_STEP.get(number, prospect.stage)
    prospect.save()
    audit.record_create(actor, step)
    audit.record_update(actor, prospect, before)
    return step


@transaction.atomic
def prospect_correct_step(
    *,
    actor,
    step: DevelopmentStep,
    done_on: datetime.date,
    note: str = "",
    hours: int | None = None,
    days: int | None = None,
    votes_for: int | None = None,
    voters_entitled: int | None = None,
) -> DevelopmentStep:
    """Correct a recorded step: the same rules as recording it, and the later steps still keep theirs.

    Correcting step 1 moves the application date too. The date of step 15 cannot change once
    step 17 admitted the person (it is their 入党日期, on the member's record); step 24 stays on or
    after the end of probation.
    """
    prospect = (
        Prospect.objects.select_for_update(of=("self",)).select_related("member").get(pk=step.prospect_id)
    )
    step = DevelopmentStep.objects.get(pk=step.pk)
    if prospect.stage == Stage.WITHDRAWN:
        raise ValidationError("该发展对象已终止培养，不能修改步骤。")
    errors = development.correction_errors(
        prospect,
        list(prospect.steps.all()),
        number=step.number,
        done_on=done_on,
        hours=hours,
        days=days,
        votes_for=votes_for,
        voters_entitled=voters_entitled,
    )
    if not errors and done_on is not None:
        problem = prospect.organization.existence_problem(done_on, "发展步骤")
        if problem:
            errors["done_on"] = problem
    member = prospect.member
    if not errors and member is not None and done_on != step.done_on:
        if step.number == development.ADMISSION_MEETING:
            errors["done_on"] = (
                f"该步骤已产生结果（已接收为预备党员，入党日期{chinese_date(member.admitted_on)}），"
                "不能修改完成日期。"
            )
        elif step.number == development.CONFIRMATION_APPROVAL and done_on < probation_end(member):
            end = probation_end(member)
            errors["done_on"] = f"预备期至{chinese_date(end)}届满，届满前不能审批转正。"
    _raise(errors)
    before = audit.snapshot(step)
    step.done_on = done_on
    step.note = note
    step.hours = hours
    step.days = days
    step.votes_for = votes_for
    step.voters_entitled = voters_entitled
    step.full_clean()
    step.save()
    audit.record_update(actor, step, before)
    if step.number == development.APPLICATION and prospect.applied_on != done_on:
        prospect_before = audit.snapshot(prospect)
        prospect.applied_on = done_on
        prospect.full_clean()
        prospect.save(update_fields=["applied_on", "updated_at"])
        audit.record_update(actor, prospect, prospect_before)
    return step


@transaction.atomic
def prospect_delete_step(*, actor, step: DevelopmentStep) -> Prospect:
    """Delete the last recorded step; a step whose effect happened (admission, confirmation) stays.

    Deleting step 3 or 7 (the last one) puts the person back to the stage before it.
    """
    prospect = Prospect.objects.select_for_update().get(pk=step.prospect_id)
    step = DevelopmentStep.objects.get(pk=step.pk)
    if prospect.stage == Stage.WITHDRAWN:
        raise ValidationError("该发展对象已终止培养，不能删除步骤。")
    numbers = sorted(prospect.steps.values_list("number", flat=True))
    name = development.STEPS[step.number].name
    if step.number != numbers[-1]:
        last = numbers[-1]
        raise ValidationError(
            f"只能删除最后记录的一步（第{last}步“{development.STEPS[last].name}”），"
            f"第{step.number}步“{name}”之后已有记录。"
        )
    if step.number == development.APPLICATION:
        raise ValidationError("第1步“递交入党申请书”不能删除；如登记有误，可修改日期或终止培养。")
    if step.number == development.ADMISSION_APPROVAL and prospect.member_id:
        raise ValidationError("该步骤已产生结果（已接收为预备党员），不能删除。")
    if step.number == development.CONFIRMATION_APPROVAL and prospect.member_id:
        raise ValidationError("该步骤已产生结果（已转为正式党员），不能删除。")
    before = audit.snapshot(prospect)
    audit.record_delete(actor, step)
    step.delete()
    if not prospect.member_id:
        prospect.stage = development.stage_after(numbers[:-1])
        prospect.full_clean()
        prospect.save(update_fields=["stage", "updated_at"])
        audit.record_update(actor, prospect, before)
    return prospect


def prospect_promote(*, actor, prospect: Prospect, date: datetime.date, note: str = "") -> DevelopmentStep:
    """Applicant → activist (step 3), activist → candidate (step 7)."""
    numbers = {Stage.APPLICANT: development.ACTIVIST_CHOSEN, Stage.ACTIVIST: development.CANDIDATE_CHOSEN}
    if prospect.stage not in numbers:
        raise ValidationError("只有入党申请人和入党积极分子可以进入下一阶段。")
    return prospect_record_step(
        actor=actor, prospect=prospect, number=numbers[prospect.stage], done_on=date, note=note
    )


def prospect_admit(*, actor, prospect: Prospect, date: datetime.date, note: str = "") -> Member:
    """Step 17: the higher committee approves; the candidate is a probationary member from the 支部大会."""
    if prospect.stage != Stage.CANDIDATE:
        raise ValidationError("只有发展对象可以接收为预备党员。")
    prospect_record_step(
        actor=actor, prospect=prospect, number=development.ADMISSION_APPROVAL, done_on=date, note=note
    )
    prospect.refresh_from_db()
    return prospect.member


@transaction.atomic
def prospect_withdraw(*, actor, prospect: Prospect, note: str = "") -> Prospect:
    """终止培养: the person leaves the pipeline; the steps recorded stay."""
    lock_row(prospect)  # withdrawn while a step is being recorded: one of the two waits, then sees the other
    if prospect.stage not in (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE):
        raise ValidationError("只有尚未入党的发展对象可以终止培养。")
    before = audit.snapshot(prospect)
    prospect.stage = Stage.WITHDRAWN
    prospect.full_clean()
    prospect.save(update_fields=["stage", "updated_at"])
    audit.record_update(actor, prospect, before)
    return prospect

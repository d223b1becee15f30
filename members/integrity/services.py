"""Writes of the member-level integrity records: keyword-only, checked, atomic, audited.

The rules live here, so the pages, the import sheets (members.integrity.importers) and any script
refuse the same things with the same words.
"""

import datetime
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction

from jiguan import audit, bounds
from jiguan.dated import holds_on
from jiguan.dates import chinese_date
from jiguan.integrity import lock_row, refuse_duplicate
from jiguan.uploads import upload_check
from members.integrity.models import (
    CommitmentRule,
    CommunityRegistration,
    IntegrityCommitment,
    RiskForm,
    RiskLevel,
)
from members.models import Category, Member, MemberVersion
from organizations.models import Post


def membership_on(member: Member, day: datetime.date) -> MemberVersion | None:
    """The stretch of `member`'s membership in force on `day` (None when not on the roster then)."""
    if not holds_on(day, member.admitted_on, member.left_on):
        return None
    prefetched = getattr(member, "_prefetched_objects_cache", {}).get("versions")
    if prefetched is None:
        return member.versions.valid_on(day).select_related("organization").first()
    # The import sheets prefetch every member's stretches: no query per row.
    return next((v for v in prefetched if holds_on(day, v.valid_from, v.valid_to)), None)


def year_errors(year, field="year") -> dict:
    if year is None:
        return {field: "请填写年度。"}
    if year not in bounds.year_range():
        return {field: bounds.year_out_of_range_message()}
    return {}


def dated_for_year_errors(*, member: Member, year: int, day, field: str, what: str) -> dict:
    """A record for year Y is dated in Y or in the last days of Y − 1 (a commitment signed in
    December for the coming year), by a member on the roster that day, in an organization that
    existed that day."""
    if day is None:
        return {field: f"请填写{what}日期。"}
    if day.year not in (year - 1, year):
        return {field: f"{year}年的{what}日期应在{year - 1}年或{year}年内，现为{chinese_date(day)}。"}
    version = membership_on(member, day)
    if version is None:
        return {field: f"{member.name}在{chinese_date(day)}不在党员名册中，不能记录{what}。"}
    problem = version.organization.existence_problem(day, what)
    return {field: problem} if problem else {}


def _raise(errors):
    if errors:
        raise ValidationError(errors)


# --- who must sign -------------------------------------------------------------------------------


@transaction.atomic
def commitment_rule_set(*, actor, year: int, everyone: bool, posts: list[str]) -> CommitmentRule:
    """Who must sign the year's 廉政承诺书: every member, or the holders of `posts`."""
    errors = year_errors(year)
    unknown = [p for p in posts if p not in Post.values]
    if unknown:
        errors["posts"] = f"无法识别的职务：{'、'.join(unknown)}。"
    if not everyone and not posts:
        errors["posts"] = "不是全体党员签订时，请选择需要签订的职务。"
    _raise(errors)
    rule = CommitmentRule.objects.select_for_update().filter(year=year).first()
    before = audit.snapshot(rule) if rule else None
    rule = rule or CommitmentRule(year=year)
    rule.everyone = everyone
    rule.posts = "" if everyone else ",".join(p for p in Post.values if p in posts)
    rule.full_clean()
    with refuse_duplicate({"year": "该年度的签订范围刚刚由他人设置，请刷新后再试。"}):
        rule.save()
    if before is None:
        audit.record_create(actor, rule)
    else:
        audit.record_update(actor, rule, before)
    return rule


# --- 廉政承诺书 ------------------------------------------------------------------------------------


def commitment_errors(*, member: Member, year, signed_on) -> dict:
    errors = year_errors(year)
    if not errors:
        errors.update(
            dated_for_year_errors(member=member, year=year, day=signed_on, field="signed_on", what="签订")
        )
    return errors


def commitment_new(*, member: Member, year: int, signed_on: datetime.date) -> IntegrityCommitment:
    """The checked, unsaved 廉政承诺书 (the rules of commitment_record, which stores one; an import
    stores many with commitments_store). No query when the member's versions are prefetched."""
    _raise(commitment_errors(member=member, year=year, signed_on=signed_on))
    return IntegrityCommitment(
        member=member,
        organization=membership_on(member, signed_on).organization,
        year=year,
        signed_on=signed_on,
    )


@transaction.atomic
def commitments_store(*, actor, commitments: list) -> list:
    """Store commitment_new's commitments in bulk (an import's), audited; none may be on file yet
    (a member's commitment of a year stored meanwhile refuses them all)."""
    with refuse_duplicate({"member": "导入期间有人录入了相同党员、相同年度的廉政承诺书，请重新导入。"}):
        IntegrityCommitment.objects.bulk_create(commitments, batch_size=1000)
    audit.record_bulk_create(actor, commitments)
    return commitments


@transaction.atomic
def commitment_record(
    *, actor, member: Member, year: int, signed_on: datetime.date, scan=None
) -> IntegrityCommitment:
    """A member's signed 廉政承诺书 for `year` (once a year), with the signed scan if there is one."""
    commitment = commitment_new(member=member, year=year, signed_on=signed_on)
    if IntegrityCommitment.objects.filter(member=member, year=year).exists():
        raise ValidationError({"member": f"{member.name}已签订{year}年的廉政承诺书。"})
    if scan:
        upload_check(scan, field="scan")
    commitment.full_clean(exclude=["scan"])
    with _stored(commitment, scan):
        with refuse_duplicate({"member": f"{member.name}已签订{year}年的廉政承诺书。"}):
            commitment.save()
    audit.record_create(actor, commitment)
    return commitment


@transaction.atomic
def commitment_attach_scan(*, actor, commitment: IntegrityCommitment, scan) -> IntegrityCommitment:
    """Add (or replace) the signed scan of a recorded commitment."""
    lock_row(commitment)
    if not scan:
        raise ValidationError({"scan": "请选择签字扫描件。"})
    upload_check(scan, field="scan")
    before = audit.snapshot(commitment)
    old = commitment.scan.name
    with _stored(commitment, scan):
        commitment.save()
    if old:
        _delete_file_on_commit(commitment.scan.storage, old)
    audit.record_update(actor, commitment, before)
    return commitment


@transaction.atomic
def commitment_delete(*, actor, commitment: IntegrityCommitment) -> None:
    """A commitment recorded by mistake."""
    lock_row(commitment)
    audit.record_delete(actor, commitment)
    if commitment.scan:
        _delete_file_on_commit(commitment.scan.storage, commitment.scan.name)
    commitment.delete()


@contextmanager
def _stored(commitment, scan):
    """Store the scan (when there is one) for the save inside the block; when the block fails the
    database forgets the row, and the file goes too (the disk would not forget it)."""
    if not scan:
        yield
        return
    commitment.scan.save(scan.name.rsplit("/", 1)[-1], scan, save=False)
    name, storage = commitment.scan.name, commitment.scan.storage
    try:
        yield
    except Exception:
        storage.delete(name)
        raise


def _delete_file_on_commit(storage, name):
    def remove():
        try:
            storage.delete(name)
        except OSError:
            pass

    transaction.on_commit(remove)


# --- 廉政风险防控表 -----------------------------------------------------------------------------------


def risk_form_errors(*, member: Member, year, filed_on, level) -> dict:
    errors = year_errors(year)
    if not errors:
        errors.update(
            dated_for_year_errors(member=member, year=year, day=filed_on, field="filed_on", what="填报")
        )
    if level and level not in RiskLevel.values:
        errors["level"] = "风险等级应为高、中或低。"
    return errors


def _fill_risk_form(form, *, member, year, filed_on, level, risk_points, measures, post):
    _raise(risk_form_errors(member=member, year=year, filed_on=filed_on, level=level))
    form.organization = membership_on(member, filed_on).organization
    form.filed_on = filed_on
    form.level = level or ""
    form.risk_points = (risk_points or "").strip()
    form.measures = (measures or "").strip()
    form.post = (post or "").strip()
    return form


def risk_form_new(
    *,
    member: Member,
    year: int,
    filed_on: datetime.date,
    level: str = "",
    risk_points: str = "",
    measures: str = "",
    post: str = "",
) -> RiskForm:
    """The checked, unsaved 廉政风险防控表 of a member not filed for `year` yet (the rules of
    risk_form_save; an import stores many with risk_forms_store)."""
    return _fill_risk_form(
        RiskForm(member=member, year=year),
        member=member,
        year=year,
        filed_on=filed_on,
        level=level,
        risk_points=risk_points,
        measures=measures,
        post=post,
    )


@transaction.atomic
def risk_forms_store(*, actor, forms: list) -> list:
    """Store risk_form_new's forms in bulk (an import's), audited."""
    with refuse_duplicate({"member": "导入期间有人录入了相同党员、相同年度的廉政风险防控表，请重新导入。"}):
        RiskForm.objects.bulk_create(forms, batch_size=1000)
    audit.record_bulk_create(actor, forms)
    return forms


@transaction.atomic
def risk_form_save(
    *,
    actor,
    member: Member,
    year: int,
    filed_on: datetime.date,
    level: str = "",
    risk_points: str = "",
    measures: str = "",
    post: str = "",
) -> RiskForm:
    """A member's 廉政风险防控表 for `year`: filed once a year, corrected in place afterwards."""
    _raise(risk_form_errors(member=member, year=year, filed_on=filed_on, level=level))
    form = RiskForm.objects.select_for_update().filter(member=member, year=year).first()
    before = audit.snapshot(form) if form else None
    form = _fill_risk_form(
        form or RiskForm(member=member, year=year),
        member=member,
        year=year,
        filed_on=filed_on,
        level=level,
        risk_points=risk_points,
        measures=measures,
        post=post,
    )
    form.full_clean()
    with refuse_duplicate({"member": f"{member.name}的{year}年廉政风险防控表刚刚由他人录入，请刷新后再试。"}):
        form.save()
    if before is None:
        audit.record_create(actor, form)
    else:
        audit.record_update(actor, form, before)
    return form


# --- 双报到 ----------------------------------------------------------------------------------------


def registration_errors(
    *, member: Member, community: str, registered_on, ended_on=None, exclude_pk=None, registrations=None
) -> dict:
    """双报到 is for in-service members: on the roster and 在职 on the day they register, once at a
    time (a new community after the last registration ended)."""
    errors = {}
    if not (community or "").strip():
        errors["community"] = "请填写社区名称。"
    if registered_on is None:
        errors["registered_on"] = "请填写报到日期。"
        return errors
    version = membership_on(member, registered_on)
    if version is None:
        errors["registered_on"] = f"{member.name}在{chinese_date(registered_on)}不在党员名册中。"
    elif version.category != Category.IN_SERVICE:
        errors["registered_on"] = (
            f"{member.name}在{chinese_date(registered_on)}的人员类别为“{version.get_category_display()}”，"
            "双报到只适用于在职党员。"
        )
    else:
        problem = version.organization.existence_problem(registered_on, "社区报到")
        if problem:
            errors["registered_on"] = problem
    if ended_on is not None and ended_on <= registered_on:
        errors["ended_on"] = "结束日期应晚于报到日期。"
    if registrations is None:  # the member's registrations on file, unless given (an import's)
        registrations = CommunityRegistration.objects.filter(member=member).exclude(pk=exclude_pk)
    other = next(
        (
            r
            for r in registrations
            if (r.ended_on is None or r.ended_on > registered_on)
            and (ended_on is None or r.registered_on < ended_on)
            and (exclude_pk is None or r.pk != exclude_pk)
        ),
        None,
    )
    if other is not None and "registered_on" not in errors:
        until = f"至{chinese_date(other.ended_on)}" if other.ended_on else "，尚未结束"
        errors["registered_on"] = (
            f"{member.name}已于{chinese_date(other.registered_on)}在“{other.community}”报到{until}，"
            "请先登记上一次报到的结束日期。"
        )
    return errors


def registration_new(
    *, member: Member, community: str, registered_on: datetime.date, ended_on=None, registrations: list
) -> CommunityRegistration:
    """The checked, unsaved registration (the rules of community_register; an import stores many
    with registrations_store), checked against `registrations`: the member's on file and those of
    the import before it (the caller adds this one)."""
    _raise(
        registration_errors(
            member=member,
            community=community,
            registered_on=registered_on,
            ended_on=ended_on,
            registrations=registrations,
        )
    )
    return CommunityRegistration(
        member=member,
        organization=membership_on(member, registered_on).organization,
        community=community.strip(),
        registered_on=registered_on,
        ended_on=ended_on,
    )


@transaction.atomic
def registrations_store(*, actor, registrations: list) -> list:
    """Store registration_new's registrations in bulk (an import's), audited."""
    with refuse_duplicate({"registered_on": "导入期间有人录入了相同的社区报到，请重新导入。"}):
        CommunityRegistration.objects.bulk_create(registrations, batch_size=1000)
    audit.record_bulk_create(actor, registrations)
    return registrations


@transaction.atomic
def community_register(
    *,
    actor,
    member: Member,
    community: str,
    registered_on: datetime.date,
    ended_on: datetime.date | None = None,
) -> CommunityRegistration:
    lock_row(member)  # two registrations of one member at once: the second sees the first
    _raise(
        registration_errors(
            member=member, community=community, registered_on=registered_on, ended_on=ended_on
        )
    )
    registration = CommunityRegistration(
        member=member,
        organization=membership_on(member, registered_on).organization,
        community=community.strip(),
        registered_on=registered_on,
        ended_on=ended_on,
    )
    registration.full_clean()
    with refuse_duplicate({"registered_on": "该党员当天已在该社区报到。"}):
        registration.save()
    audit.record_create(actor, registration)
    return registration


@transaction.atomic
def community_registration_end(
    *, actor, registration: CommunityRegistration, ended_on: datetime.date
) -> CommunityRegistration:
    """The member moved or retired: the registration ends that day."""
    lock_row(registration)
    if ended_on is None:
        raise ValidationError({"ended_on": "请填写结束日期。"})
    if registration.ended_on is not None:
        raise ValidationError({"ended_on": f"该报到已于{chinese_date(registration.ended_on)}结束。"})
    errors = registration_errors(
        member=registration.member,
        community=registration.community,
        registered_on=registration.registered_on,
        ended_on=ended_on,
        exclude_pk=registration.pk,
    )
    errors.pop("registered_on", None)  # who they were when they registered is not in question now
    _raise(errors)
    before = audit.snapshot(registration)
    registration.ended_on = ended_on
    registration.full_clean()
    registration.save()
    audit.record_update(actor, registration, before)
    return registration

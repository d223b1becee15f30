"""Writes of honours: commendations (两优一先) and the 光荣在党50年 medal."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from jiguan import audit
from jiguan.integrity import refuse_duplicate
from members import selectors
from members.models import INDIVIDUAL_COMMENDATIONS, Commendation, CommendationKind, MedalAward, Member
from members.services.checks import raise_errors
from organizations.models import Organization
from organizations.services import check_exists_on


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
    raise_errors(errors)
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

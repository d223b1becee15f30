"""Writes of accounts with their organization: jiguan.services writes the account, this its
organization (organizations.AccountOrganization), in one transaction, audited on the account."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jiguan import audit, services
from jiguan.models import AuditAction, Role, User
from organizations.models import AccountOrganization, Organization
from organizations.scoping import organization_of

SECRETARY_NEEDS_ORGANIZATION = "党组织书记必须指定所在党组织。"
ORGANIZATION_LABEL = "所在党组织"


def _refuse_secretary_without(role, organization):
    if role == Role.SECRETARY and organization is None:
        raise ValidationError({"organization": SECRETARY_NEEDS_ORGANIZATION})


@transaction.atomic
def account_create(
    *,
    actor,
    username: str,
    full_name: str,
    role: str,
    organization: Organization | None = None,
    password: str,
) -> User:
    """An account (jiguan.services.user_create) and its organization; a secretary must have one."""
    _refuse_secretary_without(role, organization)
    user = services.user_create(
        actor=actor, username=username, full_name=full_name, role=role, password=password
    )
    _set_organization(actor, user, organization)
    return user


@transaction.atomic
def account_update(
    *, actor, user: User, full_name: str, role: str, organization: Organization | None = None, is_active: bool
) -> User:
    _refuse_secretary_without(role, organization)
    services.user_update(actor=actor, user=user, full_name=full_name, role=role, is_active=is_active)
    _set_organization(actor, user, organization)
    return user


def _set_organization(actor, user, organization):
    """Give `user` the organization (or none), recorded in the account's history as its field was."""
    before = organization_of(user)
    if before == organization:
        return
    AccountOrganization.objects.filter(user=user).delete()
    if organization is not None:
        AccountOrganization.objects.create(user=user, organization=organization)
    else:
        user.account_organization = None  # forgets the one just deleted: organization_of reads None
    change = {
        "label": ORGANIZATION_LABEL,
        "old": str(before) if before else None,
        "new": str(organization) if organization else None,
    }
    audit._write(actor, user, AuditAction.UPDATE, {"organization": change})

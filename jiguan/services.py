"""Writes of the jiguan app: accounts and sign-in bookkeeping."""

import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jiguan import audit
from jiguan.models import Role, User


def _full_clean(user, exclude=None):
    user.full_clean(exclude=exclude or ["password"])


@transaction.atomic
def user_create(*, actor, username: str, full_name: str, role: str, organization=None, password: str) -> User:
    user = User(username=username, full_name=full_name, role=role, organization=organization)
    if role != Role.SECRETARY:
        user.organization = organization
    _full_clean(user)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit.record_create(actor, user)
    return user


@transaction.atomic
def user_update(*, actor, user: User, full_name: str, role: str, organization=None, is_active: bool) -> User:
    before = audit.snapshot(user)
    user.full_name = full_name
    user.role = role
    user.organization = organization
    user.is_active = is_active
    _full_clean(user)
    user.save()
    audit.record_update(actor, user, before)
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    validate_password(password, user)
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "failed_logins", "locked_until"])
    audit._write(actor, user, "UPDATE", {"password": {"label": "密码", "old": "******", "new": "（已重置）"}})
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    before = audit.snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record_update(actor, user, before)
    return user


def user_is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > timezone.now()


def sign_in_failed(user: User) -> None:
    """Count a failed sign-in; lock the account after LOGIN_MAX_FAILURES in a row."""
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
        until = timezone.now() + datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)


def sign_in_succeeded(user: User) -> None:
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)

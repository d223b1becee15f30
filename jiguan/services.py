"""Writes of the jiguan app: accounts and sign-in bookkeeping."""

import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from jiguan import audit
from jiguan.integrity import refuse_duplicate
from jiguan.models import SignInThrottle, User


def _full_clean(user, exclude=None):
    user.full_clean(exclude=exclude or ["password"])


@transaction.atomic
def user_create(*, actor, username: str, full_name: str, role: str, password: str) -> User:
    """An account whose first password, set by staff, its holder must change at first sign-in.
    Its organization: organizations.accounts.services.account_create."""
    user = User(username=username, full_name=full_name, role=role, must_change_password=True)
    _full_clean(user)
    validate_password(password, user)
    user.set_password(password)
    with refuse_duplicate({"username": "该用户名已被使用。"}):  # created twice at once
        user.save()
    audit.record_create(actor, user)
    return user


@transaction.atomic
def user_update(*, actor, user: User, full_name: str, role: str, is_active: bool) -> User:
    changes = {"full_name": full_name, "role": role, "is_active": is_active}
    return audit.update(actor, user, changes, exclude=["password"])


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    """A new password, which unlocks the account. Set by someone else (staff resetting it), it is
    for one sign-in only: its holder must then choose their own (jiguan.middleware)."""
    own = actor is not None and actor.pk == user.pk
    if own and user.check_password(password):
        raise ValidationError({"password": "新密码不能与原密码相同，请设置您自己的密码。"})
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = not own
    user.save(update_fields=["password", "must_change_password"])
    account_unlock(user.username)
    audit._write(actor, user, "UPDATE", {"password": {"label": "密码", "old": "******", "new": "（已重置）"}})
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    return audit.update(actor, user, {"is_active": False}, exclude=["password"])


# --- sign-in throttling ---------------------------------------------------------------------------
#
# A sign-in counts as failed BEFORE its password is checked: one UPDATE, atomic in the database,
# takes a slot among the LOGIN_MAX_FAILURES of the account name (and the LOGIN_ADDRESS_MAX_FAILURES
# of the address) or finds none and is refused unchecked. Thirty wrong passwords sent at once are
# thirty UPDATEs one after the other on the same row: five take a slot, the fifth sets the lock, the
# other twenty-five are refused whatever the timing. A sign-in whose password proves right gives its
# own slot back and nothing more, so a right password in the middle of a burst does not reopen the
# door to the guesses around it. Failures are forgotten LOGIN_LOCK_MINUTES after the last one.


def _account_key(username):
    return SignInThrottle.ACCOUNT + username


def _address_key(address):
    return SignInThrottle.ADDRESS + address


def _take_slot(key, limit, now) -> bool:
    window = datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    lock = now + window
    # A lock that has run out (the only one the WHERE below lets through), or failures long past:
    # the count starts again.
    restart = Q(locked_until__isnull=False) | Q(last_failure_at__lt=now - window)
    for _ in range(2):
        SignInThrottle.objects.bulk_create([SignInThrottle(key=key)], ignore_conflicts=True)
        taken = (
            SignInThrottle.objects.filter(key=key)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
            .update(
                failures=Case(When(restart, then=Value(1)), default=F("failures") + 1),
                locked_until=Case(
                    When(restart, then=Value(lock if limit <= 1 else None)),
                    When(failures__gte=limit - 1, then=Value(lock)),
                    default=Value(None),
                    output_field=DateTimeField(),
                ),
                last_failure_at=now,
            )
        )
        if taken:
            return True
        if SignInThrottle.objects.filter(key=key).exists():
            return False  # locked
        # else the row was forgotten (sign_in_succeeded) between the insert and the update
    return False


def _give_back_slot(key, limit) -> None:
    """Undo this request's own count; a lock it set (it took the last slot) goes with it."""
    SignInThrottle.objects.filter(key=key, failures__gt=0).update(
        failures=F("failures") - 1,
        locked_until=Case(When(failures__lte=limit, then=Value(None)), default=F("locked_until")),
    )


def sign_in_attempt(*, username: str, address: str) -> str | None:
    """Count a sign-in as failed before its password is checked. None when the password may be
    checked; otherwise why not: "address_locked" (too many failures from this address) or "locked"
    (too many for this name, whether or not an account has it)."""
    now = timezone.now()
    if address and not _take_slot(_address_key(address), settings.LOGIN_ADDRESS_MAX_FAILURES, now):
        return "address_locked"
    if not _take_slot(_account_key(username), settings.LOGIN_MAX_FAILURES, now):
        return "locked"
    return None


def sign_in_succeeded(*, username: str, address: str) -> None:
    """The password was right: the name and the address get back the slot this sign-in took."""
    _give_back_slot(_account_key(username), settings.LOGIN_MAX_FAILURES)
    if address:
        _give_back_slot(_address_key(address), settings.LOGIN_ADDRESS_MAX_FAILURES)
    # Names and addresses not seen for a day are forgotten (names typed by a stranger).
    now = timezone.now()
    SignInThrottle.objects.filter(last_failure_at__lt=now - datetime.timedelta(days=1)).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    ).delete()


def account_unlock(username: str) -> None:
    SignInThrottle.objects.filter(key=_account_key(username)).delete()

"""Writes that two requests can race: a check, then an insert.

A service checks that a value is free (an ID number, a name, a term number) and then inserts it.
Two requests at the same moment both pass the check; the database's unique constraint refuses the
second insert with an IntegrityError, which would be a 500. The service says instead what its
check would have said:

    with refuse_duplicate({"id_number": "该公民身份号码已登记在党员名册中。"}):
        member.save()

or, when several constraints may be the one refused, runs its checks again (they now see the row
that won, and raise their own ValidationError):

    with refuse_duplicate(lambda: _check_name_free(name)):
        organization.save()

The insert runs in a savepoint, so the request's transaction goes on (and is rolled back whole
by the ValidationError, as for any refused input). Rules no constraint can hold (one secretary
at a time, no overlapping liaisons, a letter issued once) are kept by locking the row they belong
to (`lock_row`) before checking: a second request waits there, then sees what the first did.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

UNIQUE_VIOLATION = "23505"  # SQLSTATE of PostgreSQL


def is_unique_violation(exc: IntegrityError) -> bool:
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate == UNIQUE_VIOLATION
    return "UNIQUE constraint failed" in str(exc)  # SQLite


@contextmanager
def refuse_duplicate(error):
    """Turn a unique constraint's refusal inside the block into ValidationError(error), or into
    the ValidationError that `error()` raises when `error` is a check to run again."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        if callable(error):
            error()
            raise
        raise ValidationError(error) from exc


def lock_row(instance):
    """Lock the row of `instance` until the transaction ends (a second request waits here) and
    bring the instance up to date with what a request that held the lock before may have changed."""
    type(instance)._default_manager.select_for_update().filter(pk=instance.pk).exists()
    instance.refresh_from_db()
    return instance

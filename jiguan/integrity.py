"""Writes that two requests can race: a check, then an insert.

A service checks that a value is free (an ID number, a name, a term number) and then inserts it.
Two requests at the same moment both pass the check; the database's unique constraint refuses the
second insert with an IntegrityError, which would be a 500. The service says instead what its
check would have said:

    with refuse_duplicate({"id_number": "该公民身份号码已登记在党员名册中。"}):
        member.save()

The insert runs in a savepoint, so the request's transaction goes on (and is rolled back whole
by the ValidationError, as for any refused input). Rules no constraint can hold (one secretary
at a time, no overlapping liaisons) are kept by locking the row they belong to instead
(`select_for_update`) before checking.
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
    """Turn a unique constraint's refusal inside the block into ValidationError(error)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        raise ValidationError(error) from exc

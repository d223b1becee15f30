"""Stretches of time with one set of values: the one mechanism behind `as_of(day)`.

An organization's name and parent (`OrganizationVersion`) and a member's organization and category
(`MemberVersion`) change over time. Each stretch is a row valid from `valid_from` (inclusive) to
`valid_to` (exclusive; empty while it lasts). A change on a day closes the open row on that day and
opens a copy with the changed values, so every past day keeps the values it had.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from jiguan.dated import in_force_q


class VersionQuerySet(models.QuerySet):
    def valid_on(self, day):
        """The rows in force on `day`."""
        return self.filter(in_force_q(day, start="valid_from", end="valid_to"))


class Version(models.Model):
    """A stretch of time with one set of values: the concrete model adds what it is a version of
    (a ForeignKey) and the values, its indexes and `ends_after_start` under its own name."""

    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("终止日期", null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        abstract = True


def ends_after_start(name: str) -> models.CheckConstraint:
    """The constraint every version carries: it ends after it starts, or has not ended."""
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")), name=name
    )


def version_change(open_version, *, date, changes, too_early_message, field="date"):
    """Change the values of `changes` from `date` on; returns the row in force from then.

    A date before the open row began would rewrite history and is refused with
    `too_early_message` on `field`. A second change on the same day changes that day's row in place
    instead of leaving an empty stretch.
    """
    if date < open_version.valid_from:
        raise ValidationError({field: too_early_message})
    if date == open_version.valid_from:
        for name, value in changes.items():
            setattr(open_version, name, value)
        open_version.save(update_fields=list(changes))
        return open_version
    open_version.valid_to = date
    open_version.save(update_fields=["valid_to"])
    values = {
        f.attname: getattr(open_version, f.attname)
        for f in open_version._meta.concrete_fields
        if not f.primary_key
    }
    successor = type(open_version)(**values)
    successor.valid_from, successor.valid_to = date, None
    for name, value in changes.items():
        setattr(successor, name, value)
    successor.save()
    return successor

"""The rules of membership members needs everywhere: how long probation lasts and when it ends
(settings.MEMBER_DEVELOPMENT_RULES). Read by the services, the development steps, filters and
reports; it imports nothing of the app but its settings."""

from django.conf import settings

from jiguan.dates import add_months


def rules():
    return settings.MEMBER_DEVELOPMENT_RULES


def rule(name):
    return rules()[name]


def probation_months():
    # PROBATION_DAYS is kept in days in settings; a probation "of one year" ends on the anniversary.
    return round(rules()["PROBATION_DAYS"] * 12 / 365)


def normal_probation_end(admitted_on):
    return add_months(admitted_on, probation_months())


def probation_end(member):
    """The day probation ends: one year after 入党日期, plus any extension."""
    return add_months(normal_probation_end(member.admitted_on), member.probation_extension_months)

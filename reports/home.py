"""What the home page shows (首页): each role's day, read from the selectors of every app."""

import datetime

from django.db.models import Count, Q

from activities.models import LetterStatus, overdue_q
from activities.rhythm import owed_this_month, rhythm_table
from activities.selectors import activity_list, letters_for, open_items, unhandled_letters
from jiguan import dates
from members.dues.selectors import home_panel
from members.filters import MemberFilter
from members.selectors import counts_on, medal_eligible, roster
from organizations.scoping import organization_of, visible_organizations
from organizations.selectors import terms_expiring, terms_overdue
from reports import metrics
from reports.metrics.cache import cached
from reports.readiness import readiness
from reports.selectors import KEY_METRICS, default_report_organization


def home_context(user, today=None):
    """What the home page shows: the user's place in the tree and the day's work within their scope.

    Every number is read from the selector that owns it (the number and the list behind its link
    come from the same filter). A fixed number of queries per role, pinned in tests/jiguan/test_home.py.
    """
    today = today or dates.today()
    organizations = visible_organizations(user)
    context = {
        "today": today,
        "year": today.year,
        "year_start": f"{today.year}-01-01",
        "year_end": f"{today.year}-12-31",
        # Organizations that exist today: a dissolved one drops out from its dissolution day.
        "organization_count": organizations.existing_on(today).grass_roots().count(),
    }
    if user.is_committee_staff:
        # Staff see every organization: the same counts for every staff account, computed once per
        # day and version of the records (a write, anywhere, gives a new version: the counts follow).
        context["staff"] = cached(
            f"home:staff:{today.isoformat()}",
            0,
            today.year,
            lambda: _staff_overview(user, organizations, today),
        )
    if user.is_leadership:
        context["leadership"] = _leadership_overview(user, today)
    if user.is_secretary:
        # What a secretary sees depends on their organization alone: stored per organization, day
        # and version of the records like the staff's (18 queries, 0.1 s on PostgreSQL, otherwise).
        own = organization_of(user)
        context.update(
            cached(
                f"home:secretary:{today.isoformat()}",
                own.pk if own else 0,
                today.year,
                lambda: _secretary_home(user, organizations, today, context["organization_count"]),
            )
        )
    if user.is_committee_staff:
        # The county's member-months of the warning window: stored like the staff's counts.
        panel = cached(
            f"home:dues:{today.isoformat()}", 0, today.year, lambda: _dues_panel(user, organizations, today)
        )
        context.setdefault("panels", []).append(panel)
    return context


def _secretary_home(user, organizations, today, organization_count):
    """A secretary's part of the home page: their organization, its own numbers when it has
    nothing below it, what the branch still owes, and the dues warning."""
    part = {"own_organization": organization_of(user)}
    if organization_count <= 1:
        # One branch and nothing below it to count: its own numbers say more.
        part["own_numbers"] = _own_numbers(user, organizations, today)
    part["panels"] = [
        _secretary_activities_panel(user),
        _secretary_dues_panel(user, organizations, today),
        _dues_panel(user, organizations, today),
    ]
    return part


# Branches listed by name on the home page; the rhythm page has them all.
WORST_BRANCHES_SHOWN = 5


def _staff_overview(user, organizations, today):
    """The committee staff's day: counts with links to the lists behind them. 11 queries."""

    visible_pks = organizations.values("pk")
    # The same filter as the roster's “发展阶段：预备期已满” so the count is the linked list's length.
    probation_due = MemberFilter(
        {"probation": "DUE"}, queryset=roster(user), organizations=organizations
    ).qs.count()
    rhythm = rhythm_table(organizations.existing_on(today), today.year, today)
    behind = [row for row in rhythm if row.missing]
    letters = letters_for(user).aggregate(
        drafts=Count("pk", filter=Q(status=LetterStatus.DRAFT)),
        issued=Count("pk", filter=Q(status=LetterStatus.ISSUED)),
    )
    return {
        "members": counts_on(today, within=organizations),
        "activities": activity_list(user)
        .filter(date__gte=datetime.date(today.year, 1, 1), date__lte=datetime.date(today.year, 12, 31))
        .count(),
        "terms_overdue": terms_overdue(today).filter(pk__in=visible_pks).count(),
        "terms_expiring": terms_expiring(today).filter(pk__in=visible_pks).count(),
        "probation_due": probation_due,
        "medal_eligible": medal_eligible(today.year, within=organizations).count(),
        "branches": len(rhythm),
        "branches_behind": len(behind),
        "worst_branches": behind[:WORST_BRANCHES_SHOWN],
        "letter_drafts": letters["drafts"],
        "letters_issued": letters["issued"],
        "items_overdue": open_items(user, today).filter(overdue_q(today)).count(),
    }


# The leadership's numbers on the home page: the first cards of the dashboard.
LEADERSHIP_METRICS = 6


def _leadership_overview(user, today):
    """The year's key numbers (from the metrics registry, as the dashboard shows them) and the
    readiness of the year's report."""

    root = default_report_organization(user)
    scope = metrics.ReportScope(root, today.year)
    codes = KEY_METRICS[:LEADERSHIP_METRICS]
    # Stored per version of the records: the year's full computation may not be (a new year, or
    # after a write, until the report or the dashboard is opened), and these six read the subtree.
    values = cached(
        "home:key-numbers",
        root.pk,
        today.year,
        lambda: metrics.compute_all(root, today.year, codes=codes, scope=scope),
    )
    checks = readiness_summary(scope)
    return {
        "root": root,
        "numbers": [
            {"code": code, "label": metrics.REGISTRY[code].label, "value": values[code]} for code in codes
        ],
        "checks": checks,
        "checks_failing": sum(1 for check in checks if not check["ok"]),
    }


def readiness_summary(scope):
    """Each readiness check's title and whether it passes: what the leadership's home shows of
    them. Computed once per version of the records, like the numbers (the checks read the whole
    subtree: 0.3 s at county scale), and reused until a write could change them."""

    def compute():
        return [
            {"key": check.key, "title": check.title, "ok": check.ok} for check in readiness(scope, limit=1)
        ]

    return cached("home:readiness", scope.root.pk, scope.year, compute)


def _own_numbers(user, organizations, today):
    """A single branch's members on the roster and this year's activities, as the staff's cards
    count them (the same selectors and links). 2 queries."""

    return {
        "members": counts_on(today, within=organizations),
        "activities": activity_list(user)
        .filter(date__gte=datetime.date(today.year, 1, 1), date__lte=datetime.date(today.year, 12, 31))
        .count(),
    }


def _dues_panel(user, organizations, today):
    """党费: the six-months-unpaid warning, and a branch's month (members.dues.selectors)."""
    return home_panel(user, organizations, today)


def _secretary_activities_panel(user):
    """本月还需完成: what the secretary's branch still owes this period, and letters to handle."""

    organization = organization_of(user)
    return {
        "template": "activities/_home_panel.html",
        "organization": organization,
        "owed": owed_this_month(organization) if organization.kind == "BRANCH" else None,
        "letters": list(unhandled_letters(user)[:10]),
    }


# What a secretary's home lists of each kind (the page behind each link has them all).
SECRETARY_SHOWN = 5


def _secretary_dues_panel(user, organizations, today):
    """What else the branch owes: list items not done (overdue first), members past their probation
    awaiting confirmation, terms ended or ending within six months. The same selectors and filters
    as the staff's counts and the lists they link to. 6 queries."""

    items = open_items(user, today)
    probation = MemberFilter({"probation": "DUE"}, queryset=roster(user), organizations=organizations).qs
    visible = organizations.values("pk")
    overdue = terms_overdue(today).filter(pk__in=visible)
    expiring = terms_expiring(today).filter(pk__in=visible)
    return {
        "template": "jiguan/_secretary_dues.html",
        "today": today,
        "items": list(items[:SECRETARY_SHOWN]),
        "items_count": items.count(),
        "probation": list(probation.select_related("organization")[:SECRETARY_SHOWN]),
        "probation_count": probation.count(),
        "terms": list(overdue[:SECRETARY_SHOWN]) + list(expiring[:SECRETARY_SHOWN]),
    }

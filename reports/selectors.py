"""Reads of the reports app: the values a summary's placeholders take, and the text of a year."""

from __future__ import annotations

from organizations.models import Organization
from organizations.scoping import organization_of, visible_organizations
from reports.default_text import default_text, default_title
from reports.metrics import LIST_PLACEHOLDERS, ReportScope, compute_all
from reports.metrics.cache import cached
from reports.models import AnnualReport
from reports.placeholders import context_values

# The numbers leadership looks at first: the dashboard's cards, the first of them on the home page.
KEY_METRICS = [
    "orgs_total",
    "orgs_branches",
    "members_in_service",
    "probationary_admitted",
    "central_group_study_sessions",
    "party_member_training_person_times",
    "leader_changes",
    "joint_activity_orgs",
    "commended_members",
    "condolence_persons",
    "medals_50_years",
    "reminder_letters",
]


def default_report_organization(user) -> Organization | None:
    """The organization a user's reports open on: a secretary's own, else the committee at the root."""
    if user.is_secretary:
        return organization_of(user)
    visible = visible_organizations(user)
    return visible.root_committee() or visible.order_by("pk").first()


def placeholder_values(scope: ReportScope) -> dict:
    """Every placeholder's value for R and Y: the metrics, the lists and the context."""
    values = compute_all(scope.root, scope.year, scope=scope)
    values.update(
        cached(
            "list_placeholders",
            scope.root.pk,
            scope.year,
            lambda: {code: function(scope) for code, (_label, function) in LIST_PLACEHOLDERS.items()},
        )
    )
    values.update(context_values(scope.year))
    return values


def annual_report_for(organization: Organization, year: int) -> AnnualReport:
    """The year's summary of `organization`: the stored one, else an unsaved one starting from the
    previous year's text (the latest earlier year), else from the default text."""
    report = AnnualReport.objects.filter(organization=organization, year=year).first()
    if report:
        return report
    earlier = AnnualReport.objects.filter(organization=organization, year__lt=year).order_by("-year").first()
    text = earlier.text if earlier else default_text(organization)
    return AnnualReport(
        organization=organization, year=year, title=default_title(organization, year), text=text
    )


def annual_reports_of(organizations) -> dict[tuple[int, int], AnnualReport]:
    """Stored summaries of those organizations, by (organization id, year)."""
    return {
        (r.organization_id, r.year): r for r in AnnualReport.objects.filter(organization__in=organizations)
    }

"""Reads of the evaluations, as querysets (one query each, whatever the size)."""

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from activities.evaluations.models import (
    REPORTING_KINDS,
    Appraisal,
    AppraisalGrade,
    AssessmentSheet,
    AssessmentTarget,
    MemberGrade,
    SecretaryReport,
)
from activities.models import Activity, ActivityKind
from members.integrity.selectors import roll_day
from members.models import Member
from organizations.models import Organization
from organizations.scoping import scoped

# The grade of an assessment by the share of the points reached (考核量化表): at least 90 % 优秀,
# 80 % 良好, 60 % 合格, below that 不合格.
ASSESSMENT_GRADES = ((Decimal("0.9"), "优秀"), (Decimal("0.8"), "良好"), (Decimal("0.6"), "合格"))


def reporting_organizations(year: int, *, within):
    """The 机关党委, 党总支部 and 党支部 of `within` that existed at some day of `year` up to its
    roll day, each with their report of the year (`report_id`, `reported_on`, `grade`, `secretary_name`;
    None when not reported). An organization dissolved in the year keeps its report."""
    start, day = datetime.date(year, 1, 1), roll_day(year)
    report = SecretaryReport.objects.filter(organization=OuterRef("pk"), year=year)
    return (
        Organization.objects.existing_during(start, day)
        .filter(pk__in=within.values("pk"), kind__in=REPORTING_KINDS)
        .annotate(
            report_id=Subquery(report.values("pk")[:1]),
            reported_on=Subquery(report.values("reported_on")[:1]),
            grade=Subquery(report.values("grade")[:1]),
            secretary_name=Subquery(report.values("secretary_name")[:1]),
        )
        .order_by("name_order", "name")
    )


def not_reported(year: int, *, within):
    """Organizations whose secretary has not reported for `year` yet, existing on its roll day."""
    day = roll_day(year)
    return reporting_organizations(year, within=within).filter(report_id__isnull=True).existing_on(day)


def secretary_reports(user, *, year=None):
    queryset = scoped(SecretaryReport.objects.all(), user).select_related("organization")
    return queryset.filter(year=year) if year else queryset


def appraisals(user, *, year=None):
    queryset = scoped(Appraisal.objects.all(), user).select_related("organization", "activity")
    return queryset.filter(year=year) if year else queryset


def appraisals_with_counts(user, *, year):
    """The year's appraisals in the user's scope, each with how many were graded and how many 优秀."""
    return appraisals(user, year=year).annotate(
        graded=Count("grades"),
        excellent=Count("grades", filter=Q(grades__grade=AppraisalGrade.EXCELLENT)),
        unqualified=Count("grades", filter=Q(grades__grade=AppraisalGrade.UNQUALIFIED)),
    )


def appraisal_roll(organization: Organization, year: int, day: datetime.date):
    """The members of `organization` on `day`, with `status_then` and their grade of `year` (`grade`)."""
    grade = MemberGrade.objects.filter(member=OuterRef("pk"), year=year)
    return (
        Member.objects.as_of(day, within=organization.pk)
        .annotate(grade=Subquery(grade.values("grade")[:1]))
        .order_by("name_order", "name")
    )


def review_activities(organization: Organization, year: int):
    """The organization's 民主评议党员 activities of `year`, which an appraisal can be linked to."""
    return Activity.objects.filter(
        organization=organization, kind=ActivityKind.DEMOCRATIC_REVIEW, date__year=year
    ).order_by("date")


def grade_counts(appraisal: Appraisal) -> dict:
    """How many members got each grade (one query)."""
    counts = {value: 0 for value in AppraisalGrade.values}
    counts.update(appraisal.grades.order_by().values_list("grade").annotate(n=Count("pk")))
    return counts


def assessment_sheets(*, year=None):
    queryset = AssessmentSheet.objects.select_related("issuer")
    return queryset.filter(year=year) if year else queryset


def assessment_ranking(sheet: AssessmentSheet, user=None):
    """The targets of `sheet` with `total`, best first (within the user's scope when given)."""
    targets = AssessmentTarget.objects.filter(sheet=sheet)
    if user is not None:
        targets = scoped(targets, user)
    return (
        targets.select_related("organization", "member")
        .annotate(
            total=Coalesce(
                Sum("scores__score"),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=8, decimal_places=1),
            )
        )
        .order_by("-total", "organization__name_order", "member__name_order", "member__name")
    )


def assessment_grade(total: Decimal, maximum: Decimal) -> str:
    if not maximum:
        return ""
    for share, label in ASSESSMENT_GRADES:
        if total >= maximum * share:
            return label
    return "不合格"


def assessment_table(sheet: AssessmentSheet, user=None) -> dict:
    """The sheet as printed: items, and for each target (ranked) its scores, total, rank and grade.
    Three queries."""
    items = list(sheet.items.order_by("position"))
    maximum = sum((item.points for item in items), Decimal("0"))
    targets = list(assessment_ranking(sheet, user))
    scores = {}
    for target_id, item_id, score in (
        sheet.targets.filter(pk__in=[t.pk for t in targets])
        .values_list("pk", "scores__item_id", "scores__score")
        .filter(scores__isnull=False)
    ):
        scores[(target_id, item_id)] = score
    rows = []
    rank, previous = 0, None
    for index, target in enumerate(targets, start=1):
        if target.total != previous:
            rank, previous = index, target.total
        rows.append(
            {
                "target": target,
                "name": target.member.name if target.member_id else target.organization.name,
                "organization": target.organization.name,
                "scores": [scores.get((target.pk, item.pk)) for item in items],
                "total": target.total,
                "rank": rank,
                "grade": assessment_grade(target.total, maximum),
            }
        )
    return {"sheet": sheet, "items": items, "maximum": maximum, "rows": rows}

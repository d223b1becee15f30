"""The integrity and evaluation metrics of METRICS.md ("Beyond the seed's blanks"): the commitments
signed, the risk forms filed, the secretaries' reports and grades, the democratic appraisal and the
community registrations of in-service members. Registered with the registry of reports.metrics
(imported at its end): their sources read the records of members/integrity and
activities/evaluations, one aggregate query each, so ``compute_all`` keeps a fixed number of queries.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from activities.evaluations.models import AppraisalGrade, MemberGrade, ReportGrade, SecretaryReport
from members.integrity.models import CommunityRegistration, IntegrityCommitment, RiskForm
from members.models import Category
from reports.metrics.registry import metric
from reports.metrics.scope import ReportScope
from reports.metrics.sources import source

# The codes, in METRICS.md's order (the dashboard shows them together).
CODES = [
    "commitments_signed",
    "risk_forms_filed",
    "secretary_reports",
    "secretary_reports_good",
    "members_appraised",
    "members_appraised_excellent",
    "members_appraised_unqualified",
    "community_registered",
]


@source("commitments", family="integrity")
def commitments_for_year(scope: ReportScope) -> QuerySet:
    """Commitments for Y of members whose organization on the day they signed was in S at some day of Y."""
    return IntegrityCommitment.objects.filter(
        scope.in_s_some_day("organization_id"), year=scope.year
    ).select_related("member", "organization")


@source("risk_forms", family="integrity")
def risk_forms_for_year(scope: ReportScope) -> QuerySet:
    """Risk forms for Y, as above."""
    return RiskForm.objects.filter(scope.in_s_some_day("organization_id"), year=scope.year).select_related(
        "member", "organization"
    )


@source("secretary_reports", family="evaluations")
def secretary_reports_for_year(scope: ReportScope) -> QuerySet:
    """Reports for Y of organizations other than R that were in S at some day of Y: one dissolved later
    in Y, after reporting, counts (no report is recorded on or after a dissolution: the services)."""
    return (
        SecretaryReport.objects.filter(scope.in_s_some_day("organization_id"), year=scope.year)
        .exclude(organization_id=scope.root.pk)
        .select_related("organization")
    )


@source("appraisal_grades", family="evaluations")
def appraisal_grades_for_year(scope: ReportScope) -> QuerySet:
    """Grades of the 民主评议 of Y given by an organization that was in S on the appraisal's day."""
    return (
        MemberGrade.objects.filter(year=scope.year)
        .filter(scope.in_s("appraisal__organization_id", "appraisal__held_on"))
        .select_related("member", "appraisal__organization")
    )


@metric(
    "commitments_signed",
    "签订廉政承诺书人数",
    source="commitments",
    aggregate="distinct:member",
    definition="当年度签订廉政承诺书的党员人数（按承诺书所属的年度，不按签订日期；签订时所在党组织当年属于本组织及下级；同一人不重复计）。",
)
def commitments_signed(scope):
    """distinct members of S who signed a 廉政承诺书 for Y (the year it is for, not the day it was signed)"""
    return Q()


@metric(
    "risk_forms_filed",
    "填写廉政风险防控表人数",
    source="risk_forms",
    aggregate="distinct:member",
    definition="当年度填写廉政风险防控表的党员人数（按防控表所属的年度；填报时所在党组织当年属于本组织及下级）。",
)
def risk_forms_filed(scope):
    """distinct members of S who filed a 廉政风险防控表 for Y (as above)"""
    return Q()


@metric(
    "secretary_reports",
    "书记述职评议党组织数",
    source="secretary_reports",
    definition="书记已就当年度述职的下级机关党委、党总支部、党支部个数（不含本组织；述职后于当年撤销的也计入）。",
)
def secretary_reports(scope):
    """organizations of S other than R whose secretary reported (述职) for Y; an organization dissolved
    later in Y, after reporting, counts"""
    return Q()


@metric(
    "secretary_reports_good",
    "述职评议等次为“好”的",
    source="secretary_reports",
    definition="其中评议等次为“好”的个数。",
)
def secretary_reports_good(scope):
    """of those, graded 好"""
    return Q(grade=ReportGrade.GOOD)


@metric(
    "members_appraised",
    "参加民主评议党员人数",
    source="appraisal_grades",
    definition="当年度民主评议党员中评定了等次的党员人数（评议时所在党组织属于本组织及下级；预备党员不评定等次）。",
)
def members_appraised(scope):
    """members of S graded in the 民主评议 for Y (probationary members are not graded)"""
    return Q()


@metric(
    "members_appraised_excellent",
    "评为优秀的党员人数",
    source="appraisal_grades",
    definition="其中评为“优秀”的人数。",
)
def members_appraised_excellent(scope):
    """of those, graded 优秀"""
    return Q(grade=AppraisalGrade.EXCELLENT)


@metric(
    "members_appraised_unqualified",
    "评为不合格的党员人数",
    source="appraisal_grades",
    definition="其中评为“不合格”的人数。",
)
def members_appraised_unqualified(scope):
    """of those, graded 不合格"""
    return Q(grade=AppraisalGrade.UNQUALIFIED)


@metric(
    "community_registered",
    "到社区报到的在职党员人数",
    source="members_on_end",
    definition="12月31日在册的在职党员中，当日在居住地社区报到（双报到）的人数。",
)
def community_registered(scope):
    """members counted in `members_in_service` with a 双报到 registration active on E"""
    registered = CommunityRegistration.objects.active_on(scope.end).values("member_id")
    return Q(category_then=Category.IN_SERVICE, pk__in=registered)

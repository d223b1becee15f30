"""The readiness checks of integrity work and evaluations: the members of S without the year's risk
form, and the organizations of S whose secretary has not reported for the year (their numbers,
`risk_forms_filed` and `secretary_reports`, would be short). Hooked into reports.readiness."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from activities.evaluations.selectors import not_reported
from members.integrity.models import RiskForm
from members.models import Member
from organizations.models import Organization
from reports.readiness import Check, Finding, check_day


def members_without_risk_form(scope):
    day = check_day(scope)
    filed = RiskForm.objects.filter(member=OuterRef("pk"), year=scope.year)
    return (
        Member.objects.as_of(day)
        .filter(organization_then_id__in=Organization.objects.subtree_of(scope.root, day).values("pk"))
        .exclude(Exists(filed))
        .select_related("organization")
        .order_by("organization_then_id", "name_order", "name")
    )


def organizations_not_reported(scope):
    day = check_day(scope)
    within = Organization.objects.subtree_of(scope.root, day)
    return not_reported(scope.year, within=within).exclude(pk=scope.root.pk)


def integrity_checks(scope, limit: int, *, may_write: bool = True) -> list[Check]:
    """With `may_write` false (a read-only user) the findings link to no form."""

    def fix(name, pk):
        return reverse(name, args=[pk]) + f"?year={scope.year}" if may_write else ""

    without_form = list(members_without_risk_form(scope)[:limit])
    silent = list(organizations_not_reported(scope)[:limit])
    year = scope.year
    return [
        Check(
            "risk_forms_missing",
            "未填写廉政风险防控表的党员",
            f"全体党员应填写{year}年度《廉政风险防控表》，未填写的不计入“填写廉政风险防控表人数”。",
            [
                Finding(
                    f"{m.name}（{m.organization.name}）",
                    fix("integrity:risk_form_edit", m.pk),
                    "填写防控表",
                )
                for m in without_form
            ],
        ),
        Check(
            "secretary_reports_missing",
            "书记尚未述职的党组织",
            f"机关党委、党总支部和党支部书记每年述职，未登记{year}年度述职的不计入“书记述职评议党组织数”。",
            [Finding(o.name, fix("evaluations:report_record", o.pk), "登记述职") for o in silent],
        ),
    ]

"""What would make a summary's numbers wrong or thin, checked before it is downloaded.

Each check returns the offending records (querysets, read in one query each) and where to fix them:
branches with no secretary, elections overdue, probationary members past their probation, and
activities of the year without their attendance (实到人数). Last, the sentences of the year's text
whose numbers are all zero: a zero still prints, and the author decides whether such a sentence
stays (METRICS.md: never left out by the system silently).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from activities import services as activity_services
from activities.evaluations.selectors import not_reported
from jiguan import dates
from jiguan.dates import add_months, chinese_date
from members.integrity.models import RiskForm
from members.models import Member, Status
from members.rules import probation_months
from organizations import services as organization_services
from organizations.models import ELECTED_KINDS, Appointment, Kind, Organization, Post
from reports.metrics import LIST_PLACEHOLDERS, REGISTRY, ReportScope, dues
from reports.metrics.sources import activities_in_s
from reports.placeholders import ANY_PLACEHOLDER, PLACEHOLDER, clean_text, render_plain


@dataclasses.dataclass
class Finding:
    text: str
    url: str
    fix: str


@dataclasses.dataclass
class Check:
    key: str
    title: str
    explanation: str
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


def check_day(scope: ReportScope) -> datetime.date:
    """The day the checks look at: E, or today for the current year."""
    return min(scope.end, dates.today())


def _organizations_on(scope: ReportScope, day: datetime.date):
    return (
        Organization.objects.existing_on(day)
        .filter(pk__in=Organization.objects.subtree_of(scope.root, day).values("pk"))
        .order_by("name_order", "name")
    )


def branches_without_secretary(scope: ReportScope):
    day = check_day(scope)
    secretary = Appointment.objects.active_on(day).filter(organization=OuterRef("pk"), post=Post.SECRETARY)
    return _organizations_on(scope, day).filter(kind=Kind.BRANCH).filter(~Exists(secretary))


def elections_overdue(scope: ReportScope):
    """Elected organizations whose last term expired before the day (or that never recorded one)."""
    day = check_day(scope)
    return (
        _organizations_on(scope, day)
        .filter(kind__in=ELECTED_KINDS)
        .annotate(last_expiry=Max("elections__expires_on"))
        .filter(Q(last_expiry__lt=day) | Q(last_expiry__isnull=True))
    )


def probation_overdue(scope: ReportScope):
    """Probationary members on the day whose probation (plus any extension) has ended."""
    day = check_day(scope)
    # members.rules.probation_end is the rule: admitted + probation + extension < day
    # <=> admitted < day - probation - extension, one condition per possible extension.
    ended = Q()
    for months in range(0, settings.MEMBER_DEVELOPMENT_RULES["EXTENSION_MAX_MONTHS"] + 1):
        latest = add_months(day, -(probation_months() + months))
        ended |= Q(probation_extension_months=months, admitted_on__lt=latest)
    return (
        Member.objects.as_of(day, within=Organization.objects.subtree_of(scope.root, day).values("pk"))
        .filter(status_then=Status.PROBATIONARY)
        .filter(ended)
        .select_related("organization")
        .order_by("admitted_on")
    )


def activities_without_attendance(scope: ReportScope):
    return activities_in_s(scope).filter(attended_count__isnull=True).order_by("date", "id")


# A sentence ends with 。！？ or a line; the seed's long sentences run on with ；, and each part
# tells its own numbers (开展走访慰问XX人、发放慰问金XX万元；申报发放纪念章XX名), so they count apart.
SENTENCE_END = re.compile(r"(?<=[。！？；])|\n")


def _is_nothing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, list | tuple):
        return not value
    return isinstance(value, int | Decimal) and value == 0


def zero_sentences(text: str, values: dict) -> list[str]:
    """The sentences of `text` (as printed) with at least one number or list, all of them zero,
    absent (no oath date) or empty."""
    found = []
    for sentence in SENTENCE_END.split(clean_text(text)):
        codes = []
        for match in ANY_PLACEHOLDER.finditer(sentence):
            inner = PLACEHOLDER.match(match.group(1))
            if inner and (inner.group(1) in REGISTRY or inner.group(1) in LIST_PLACEHOLDERS):
                codes.append(inner.group(1))
        if codes and all(_is_nothing(values.get(code)) for code in codes):
            found.append(render_plain(sentence.strip(), values))
    return found


def _integrity_checks(scope: ReportScope, limit: int, may_write: bool) -> list[Check]:
    """Members without the year's risk form, secretaries who have not reported."""
    return integrity_checks(scope, limit, may_write=may_write)


def readiness(
    scope: ReportScope,
    limit: int = 50,
    *,
    text: str | None = None,
    values: dict | None = None,
    edit_url: str = "",
    user=None,
) -> list[Check]:
    """The checks; given the year's `text` and its placeholder `values`, the sentences whose numbers
    are all zero too (`edit_url`: where the author changes the text, for those who may). With
    `user`, a finding links to its fix only when that user may make it (the fix's own check)."""

    def fix(allowed, name, pk):
        return reverse(name, args=[pk]) if user is None or allowed else ""

    may_appoint = user is not None and organization_services.can_appoint(user)
    may_elect = user is not None and organization_services.can_elect(user)
    may_write = user is None or user.can_write
    no_secretary = list(branches_without_secretary(scope)[:limit])
    overdue = list(elections_overdue(scope)[:limit])
    probation = list(probation_overdue(scope)[:limit])
    missing = list(activities_without_attendance(scope)[:limit])
    checks = [
        Check(
            "no_secretary",
            "没有书记的党支部",
            "党支部书记空缺时，负责人调整和联系工作无人负责。",
            [
                Finding(o.name, fix(may_appoint, "organizations:appointment_create", o.pk), "任命书记")
                for o in no_secretary
            ],
        ),
        Check(
            "elections_overdue",
            "换届逾期的党组织",
            "任期已届满（或没有换届记录）的机关党委、党总支部和党支部。",
            [
                Finding(
                    f"{o.name}（{'任期届满：' + chinese_date(o.last_expiry) if o.last_expiry else '无换届记录'}）",
                    fix(may_elect, "organizations:election_create", o.pk),
                    "登记换届",
                )
                for o in overdue
            ],
        ),
        Check(
            "probation_overdue",
            "预备期已满未转正的党员",
            "预备期满（含延长）仍为预备党员，党员人数按类别统计会不准确。",
            [
                Finding(
                    f"{m.name}（{m.organization.name}，入党日期：{chinese_date(m.admitted_on)}）",
                    fix(may_write, "members:confirm", m.pk),
                    "办理转正",
                )
                for m in probation
            ],
        ),
        Check(
            "attendance_missing",
            "未填实到人数的活动",
            "培训人次、志愿服务人均次数按实到人数合计，未填写的按0计算。",
            [
                Finding(
                    f"{chinese_date(a.date)} {a.organization.name}：{a.title}",
                    fix(
                        activity_services.can_record_activity(user) if user else True, "activities:edit", a.pk
                    ),
                    "填写实到人数",
                )
                for a in missing
            ],
        ),
    ]
    # The risk form, the secretary's report and the dues base are written by whoever may write
    # within the scope (get_scoped_or_404(..., write=True) in their views): read-only users get no link.
    checks += _integrity_checks(scope, limit, may_write)
    checks.extend(dues.readiness_checks(scope, limit, Check, Finding, check_day, may_write=may_write))
    if text is not None:
        zero = zero_sentences(text, values or {})[:limit]
        checks.append(
            Check(
                "zero_sentences",
                "数字全为0的句子",
                "数字为0时照常印出；下列句子中的数字全为0（或没有记录），是否保留由撰稿人决定。",
                [Finding(sentence, edit_url, "修改正文") for sentence in zero],
            )
        )
    return checks


# --- integrity work and evaluations: the members of S without the year's risk form, and the
# organizations of S whose secretary has not reported (risk_forms_filed and secretary_reports would be short).


def members_without_risk_form(scope):
    day = check_day(scope)
    filed = RiskForm.objects.filter(member=OuterRef("pk"), year=scope.year)
    return (
        Member.objects.as_of(day, within=Organization.objects.subtree_of(scope.root, day).values("pk"))
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

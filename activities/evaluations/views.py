"""Pages of the evaluations. Every list starts from the user's scope: a secretary sees and enters
their own subtree, leadership reads, staff do everything (the assessment sheets are the staff's)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from activities.evaluations import selectors, services
from activities.evaluations.forms import (
    AppraisalForm,
    ItemForm,
    ScoresForm,
    SecretaryReportForm,
    SheetForm,
    TargetForm,
)
from activities.evaluations.models import AssessmentSheet, AssessmentTarget, SecretaryReport
from jiguan import dates
from jiguan.permissions import require_staff, require_write
from jiguan.uploads import stored_file_response
from jiguan.web import submit, year_param
from members.integrity import selectors as integrity_selectors
from members.selectors import roster
from organizations.models import Organization
from organizations.scoping import (
    get_scoped_or_404,
    get_visible_organization,
    organization_of,
    visible_organizations,
)


def _year(request):
    return year_param(request, dates.today().year)


def _back(name, year):
    return f"{reverse(name)}?year={year}"


@login_required
def index(request):
    """The year at a glance: each record's completion within the user's scope."""
    user = request.user
    year = _year(request)
    within = visible_organizations(user)
    commitments = integrity_selectors.commitment_required(year, within=within)
    risk = integrity_selectors.risk_form_required(year, within=within)
    reporting = selectors.reporting_organizations(year, within=within)
    context = {
        "year": year,
        "section": "index",
        "commitments": _counts(commitments, "signed_on"),
        "risk_forms": _counts(risk, "filed_on"),
        "reports": _counts(reporting, "report_id"),
        "appraisals": selectors.appraisals(user, year=year).count(),
        "sheets": selectors.assessment_sheets(year=year).count(),
    }
    return render(request, "evaluations/index.html", context)


def _counts(queryset, done_field):
    """How many rows, and how many with `done_field` set (one query)."""
    return queryset.order_by().aggregate(
        required=Count("pk"), done=Count("pk", filter=Q(**{f"{done_field}__isnull": False}))
    )


@require_POST
@login_required
def commitment_reminders(request):
    require_staff(request.user)
    year = _year(request)
    sender = organization_of(request.user) or Organization.objects.root_committee()
    letters = services.commitment_reminders_draft(actor=request.user, sender=sender, year=year)
    if letters:
        messages.success(request, f"已起草{len(letters)}份提醒函，请在“工作提醒函”中审阅后发出。")
    else:
        messages.info(request, "没有需要提醒的党组织（或已有未办结的提醒函）。")
    return redirect(_back("integrity:commitments", year))


# --- 书记述职评议 ----------------------------------------------------------------------------------


@login_required
def reports(request):
    user = request.user
    year = _year(request)
    organizations = list(selectors.reporting_organizations(year, within=visible_organizations(user)))
    context = {
        "year": year,
        "section": "reports",
        "organizations": organizations,
        "not_reported": list(selectors.not_reported(year, within=visible_organizations(user))),
        "can_write": user.can_write,
        "grade_labels": dict(SecretaryReport._meta.get_field("grade").choices),
    }
    return render(request, "evaluations/reports.html", context)


@login_required
def report_record(request, organization_pk):
    organization = get_visible_organization(request.user, organization_pk, write=True)
    year = _year(request)
    report = SecretaryReport.objects.filter(organization=organization, year=year).first()
    initial = (
        {"reported_on": report.reported_on, "secretary_name": report.secretary_name, "grade": report.grade}
        if report
        else {"reported_on": min(dates.today(), organization.last_day or dates.today())}
    )
    form = SecretaryReportForm(request.POST or None, request.FILES or None, initial=initial)
    if not request.user.is_committee_staff:
        # The grade is the committee's to give; a secretary records the report itself.
        form.fields.pop("grade")

    def save(data):
        services.secretary_report_record(
            actor=request.user,
            organization=organization,
            year=year,
            reported_on=data["reported_on"],
            secretary_name=data["secretary_name"],
            grade=data.get("grade", report.grade if report else ""),
            file=data.get("file"),
        )
        return f"已登记“{organization.name}”{year}年度书记述职。", _back("evaluations:reports", year)

    title = f"{organization.name} · {year}年度书记述职"
    context = {"form": form, "title": title, "year": year, "back": "evaluations:reports", "multipart": True}
    return submit(request, form, save) or render(request, "integrity/form.html", context)


@login_required
def report_file(request, pk):
    report = get_scoped_or_404(SecretaryReport.objects.all(), request.user, pk=pk)
    return stored_file_response(report.file)


# --- 民主评议党员 ------------------------------------------------------------------------------------


@login_required
def appraisals(request):
    user = request.user
    year = _year(request)
    day = integrity_selectors.roll_day(year)
    holding = (
        visible_organizations(user)
        .filter(kind__in=("BRANCH", "GENERAL_BRANCH", "PARTY_COMMITTEE"))
        .filter(founded_on__lte=day)
        .exclude(dissolved_on__lt=datetime.date(year, 1, 1))
        .order_by("name_order", "name")
    )
    recorded = {a.organization_id: a for a in selectors.appraisals_with_counts(user, year=year)}
    context = {
        "year": year,
        "section": "appraisals",
        "rows": [(o, recorded.get(o.pk)) for o in holding],
        "can_write": user.can_write,
    }
    return render(request, "evaluations/appraisals.html", context)


@login_required
def appraisal_enter(request, organization_pk):
    """The secretary's page on a phone: one grade per full member, probationary members listed
    without one."""
    organization = get_visible_organization(request.user, organization_pk)
    year = _year(request)
    existing = organization.appraisals.filter(year=year).first()
    activities = selectors.review_activities(organization, year)
    day = dates.parse_iso(request.POST.get("held_on")) if request.method == "POST" else None
    day = day or (existing.held_on if existing else min(dates.today(), datetime.date(year, 12, 31)))
    if organization.last_day and day > organization.last_day:
        day = organization.last_day
    roll = list(selectors.appraisal_roll(organization, year, day))
    initial = {"held_on": day, "activity": existing.activity_id if existing else None}
    initial.update({f"grade_{m.pk}": m.grade for m in roll if m.grade})
    form = AppraisalForm(request.POST or None, initial=initial, activities=activities, members=roll)
    if request.method == "POST":
        require_write(request.user)

    def save(data):
        services.appraisal_record(
            actor=request.user,
            organization=organization,
            year=year,
            held_on=data["held_on"],
            activity=data["activity"],
            grades=form.grades(),
        )
        return f"已保存“{organization.name}”{year}年度民主评议党员结果。", _back(
            "evaluations:appraisals", year
        )

    saved = submit(request, form, save)
    if saved:
        return saved
    context = {
        "year": year,
        "organization": organization,
        "form": form,
        "existing": existing,
        "can_write": request.user.can_write,
        "limit": sum(1 for m in roll if m.status_then == "FULL") // 3,
    }
    return render(request, "evaluations/appraisal_enter.html", context)


# --- 考核量化表 ---------------------------------------------------------------------------------------


def _sheet(request, pk):
    try:
        return AssessmentSheet.objects.select_related("issuer").get(pk=pk)
    except (AssessmentSheet.DoesNotExist, ValueError) as exc:
        raise Http404("没有找到该考核量化表。") from exc


@login_required
def sheets(request):
    year = _year(request)
    context = {
        "year": year,
        "section": "assessments",
        "sheets": list(selectors.assessment_sheets(year=year)),
        "is_staff": request.user.is_committee_staff,
    }
    return render(request, "evaluations/sheets.html", context)


@login_required
def sheet_create(request):
    require_staff(request.user)
    year = _year(request)
    form = SheetForm(request.POST or None)

    def save(data):
        issuer = organization_of(request.user) or Organization.objects.root_committee()
        sheet = services.assessment_sheet_create(actor=request.user, issuer=issuer, year=year, **data)
        return f"已建立{sheet}。", reverse("evaluations:sheet", args=[sheet.pk])

    context = {"form": form, "title": f"新建{year}年考核量化表", "year": year, "back": "evaluations:sheets"}
    return submit(request, form, save) or render(request, "integrity/form.html", context)


@login_required
def sheet_detail(request, pk):
    sheet = _sheet(request, pk)
    user = request.user
    table = selectors.assessment_table(sheet, user)
    context = {
        "year": sheet.year,
        "section": "assessments",
        "table": table,
        "sheet": sheet,
        "is_staff": user.is_committee_staff,
        "item_form": ItemForm(),
        "target_form": TargetForm(organizations=visible_organizations(user), members=roster(user)),
    }
    return render(request, "evaluations/sheet.html", context)


@require_POST
@login_required
def item_add(request, pk):
    require_staff(request.user)
    sheet = _sheet(request, pk)
    form = ItemForm(request.POST)

    def save(data):
        services.assessment_item_add(actor=request.user, sheet=sheet, **data)
        return "已添加考核项目。", reverse("evaluations:sheet", args=[sheet.pk])

    if not submit(request, form, save):
        messages.error(
            request,
            "；".join(
                f"{form.fields[f].label if f in form.fields else ''}：{e}"
                for f, errs in form.errors.items()
                for e in errs
            ),
        )
    return redirect("evaluations:sheet", pk=sheet.pk)


@require_POST
@login_required
def target_add(request, pk):
    require_staff(request.user)
    sheet = _sheet(request, pk)
    form = TargetForm(request.POST, organizations=visible_organizations(request.user))

    def save(data):
        services.assessment_target_add(actor=request.user, sheet=sheet, organization=data["organization"])
        return "已添加考核对象。", reverse("evaluations:sheet", args=[sheet.pk])

    if not submit(request, form, save):
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("evaluations:sheet", pk=sheet.pk)


@login_required
def scores_enter(request, pk):
    require_staff(request.user)
    target = get_scoped_or_404(
        AssessmentTarget.objects.select_related("sheet", "organization", "member"), request.user, pk=pk
    )
    items = list(target.sheet.items.order_by("position"))
    scores = dict(target.scores.values_list("item_id", "score"))
    form = ScoresForm(request.POST or None, items=items, scores=scores)

    def save(data):
        services.assessment_scores_enter(actor=request.user, target=target, scores=form.scores())
        return f"已保存{target}的得分。", reverse("evaluations:sheet", args=[target.sheet_id])

    context = {
        "form": form,
        "title": f"{target.sheet} · {target}的得分",
        "back_url": reverse("evaluations:sheet", args=[target.sheet_id]),
    }
    return submit(request, form, save) or render(request, "integrity/form.html", context)

"""Pages of the annual summary: the list of reports, the report with its drill-downs, the text
editor with its live preview, the readiness check and the downloads."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from jiguan import dates, jobs
from jiguan.permissions import require_staff
from jiguan.web import XLSX_CONTENT_TYPE, file_response, submit
from organizations.scoping import get_visible_organization, visible_organizations
from reports import outputs, services, summary_zip
from reports.forms import AnnualReportForm, ChooseReportForm
from reports.home import home_context
from reports.metrics import (
    LIST_PLACEHOLDERS,
    REGISTRY,
    ReportScope,
    compute_all,
    metric_codes,
    year_out_of_range_message,
    year_range,
)
from reports.placeholders import (
    CONTEXT_PLACEHOLDERS,
    blocks_html,
    unknown_placeholders,
    unknown_placeholders_message,
)
from reports.readiness import readiness
from reports.selectors import (
    annual_report_for,
    annual_reports_of,
    default_report_organization,
    placeholder_values,
)
from reports.tables import records_table

YEARS_LISTED = 6


class YearOutOfRange(Http404):
    """A report year before 1921 or after this year; its message is shown on the page."""


def _report_scope(request, organization_pk, year):
    """The organization (404 outside the user's subtree) and a year in range (404 otherwise)."""
    organization = get_visible_organization(request.user, organization_pk)
    if year not in year_range():
        raise YearOutOfRange(year_out_of_range_message(year))
    return organization


def _year_checked(view):
    """Show a year out of range as a page naming the allowed years (404), not the generic 404."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except YearOutOfRange as exc:
            return render(
                request, "reports/error.html", {"message": str(exc), "nav_current": "reports"}, status=404
            )

    return wrapper


@login_required
def index(request):
    """Choose an organization and see its summaries of recent years, with every way to them."""
    organizations = visible_organizations(request.user).order_by("kind", "name_order", "name")
    this_year = dates.today().year
    years = list(range(this_year, this_year - YEARS_LISTED, -1))
    default = default_report_organization(request.user)
    form = ChooseReportForm(
        request.GET or None,
        organizations=organizations,
        years=years,
        initial={"organization": default.pk if default else None},
    )
    organization = form.cleaned_data["organization"] if form.is_valid() else default
    stored = annual_reports_of([organization]) if organization else {}
    rows = [{"year": y, "report": stored.get((organization.pk, y))} for y in years] if organization else []
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "organization": organization,
            "rows": rows,
            "zip_years": years,
            "nav_current": "reports",
        },
    )


@login_required
@_year_checked
def report(request, organization_pk, year):
    organization = _report_scope(request, organization_pk, year)
    report, body = outputs.page_body(organization, year)
    return render(
        request,
        "reports/report.html",
        {
            "organization": organization,
            "year": year,
            "report": report,
            "body": body,
            "nav_current": "reports",
        },
    )


@login_required
@_year_checked
def records(request, organization_pk, year, code):
    """The records behind one number (the drill-down), within the report's organization."""
    organization = _report_scope(request, organization_pk, year)
    if code not in REGISTRY:
        raise Http404("没有这个指标。")
    metric = REGISTRY[code]
    scope = ReportScope(organization, year)
    queryset = metric.records(scope)
    table = records_table(queryset, request.user)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if request.GET.get("export") == "xlsx":
        from jiguan.web import xlsx_table_response

        return xlsx_table_response(table, metric.label, f"{organization.name}{year}年{metric.label}.xlsx")
    value = compute_all(organization, year, codes=[code], scope=scope)[code]
    return render(
        request,
        "reports/records.html",
        {
            "organization": organization,
            "year": year,
            "metric": metric,
            "value": outputs.formatted(value),
            "table": table,
            "nav_current": "reports",
        },
    )


@login_required
@_year_checked
def edit(request, organization_pk, year):
    """Committee staff write the year's text; saving refuses unknown placeholders."""
    organization = _report_scope(request, organization_pk, year)
    require_staff(request.user)
    current = annual_report_for(organization, year)
    form = AnnualReportForm(request.POST or None, initial={"title": current.title, "text": current.text})

    def save(data):
        services.annual_report_save(
            actor=request.user, organization=organization, year=year, title=data["title"], text=data["text"]
        )
        return "年度工作总结已保存。", reverse("reports:report", args=[organization.pk, year])

    saved = submit(request, form, save)
    if saved:
        return saved
    placeholders = [(code, REGISTRY[code].label) for code in metric_codes()]
    placeholders += [(code, label) for code, (label, _f) in LIST_PLACEHOLDERS.items()]
    placeholders += list(CONTEXT_PLACEHOLDERS.items())
    # The chooser (插入数字): each placeholder by its Chinese name; 约数 (|余) for the registry's numbers.
    choices = [(code, label, code in REGISTRY) for code, label in placeholders]
    return render(
        request,
        "reports/edit.html",
        {
            "form": form,
            "organization": organization,
            "year": year,
            "saved": current.pk is not None,
            "placeholders": placeholders,
            "choices": choices,
            "nav_current": "reports",
        },
    )


@login_required
@require_POST
@_year_checked
def preview(request, organization_pk, year):
    """The text as it would print, for the editor's live preview (JSON: html, message)."""
    organization = _report_scope(request, organization_pk, year)
    require_staff(request.user)
    text = request.POST.get("text", "")
    unknown = unknown_placeholders(text)
    html = blocks_html(outputs.preview_blocks(organization, year, text))
    return JsonResponse({"html": html, "message": unknown_placeholders_message(unknown) if unknown else ""})


@login_required
@_year_checked
def readiness_check(request, organization_pk, year):
    organization = _report_scope(request, organization_pk, year)
    scope = ReportScope(organization, year)
    edit_url = (
        reverse("reports:edit", args=[organization.pk, year]) if request.user.is_committee_staff else ""
    )
    checks = readiness(
        scope,
        text=annual_report_for(organization, year).text,
        values=placeholder_values(scope),
        edit_url=edit_url,
        user=request.user,
    )
    return render(
        request,
        "reports/readiness.html",
        {"organization": organization, "year": year, "checks": checks, "nav_current": "reports"},
    )


FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": (XLSX_CONTENT_TYPE, "xlsx"),
    "html": ("text/html; charset=utf-8", "html"),
}


@login_required
@_year_checked
def download(request, organization_pk, year, file_format):
    organization = _report_scope(request, organization_pk, year)
    if file_format not in FORMATS:
        raise Http404("没有这种格式。")
    content_type, extension = FORMATS[file_format]
    content = outputs.render_file(organization, year, file_format)
    return file_response(content, f"{organization.name}{year}年工作总结.{extension}", content_type)


@login_required
@require_POST
def summaries_zip(request):
    """Every organization's annual summary of a year as one zip, made in the background."""
    require_staff(request.user)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    file_format = request.POST.get("format", "pdf")
    if year not in year_range() or file_format not in summary_zip.FORMATS:
        messages.error(request, "请选择年度和格式。")
        return redirect("reports:index")
    job = jobs.start(
        summary_zip.JOB_KIND,
        title=f"{year}年全部党组织工作总结（{summary_zip.FORMATS[file_format]}，zip）",
        actor=request.user,
        arguments={"year": year, "format": file_format},
    )
    return redirect("job", pk=job.pk)


@login_required
def home(request):
    context = home_context(request.user)
    return render(request, "jiguan/home.html", context)

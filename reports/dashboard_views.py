"""The leadership dashboard: the year's key numbers beside last year's, charts, terms overdue for
election and responsibility-list items done against items due.

Every number comes from the metrics registry (reports.metrics.compute_all), every chart from its
breakdowns (reports.charts). Leadership and staff see the committee (or any organization they
choose); a branch secretary sees their own subtree. A fixed number of queries, whatever the size
of the county (pinned in tests/reports/test_dashboard.py).
"""

import datetime
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from activities.models import ItemStatus, ResponsibilityItem
from activities.selectors import live_items_q, overdue_items_q
from jiguan import dates
from organizations.models import Kind, Organization
from organizations.scoping import get_visible_organization, visible_organizations
from organizations.selectors import terms_overdue
from reports import charts, metrics
from reports.forms import DashboardForm
from reports.metrics import dues as dues_metrics
from reports.metrics.cache import cached
from reports.metrics.integrity import CODES as INTEGRITY_CODES
from reports.placeholders import format_value
from reports.selectors import KEY_METRICS, default_report_organization

# Kinds offered in the organization selector: those a report is made for.
REPORT_KINDS = (Kind.WORKING_COMMITTEE, Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)
YEARS_OFFERED = 10
OVERDUE_SHOWN = 20


class DashboardError(Exception):
    """A request the dashboard cannot answer, with the message to show."""


@login_required
def dashboard(request):
    user = request.user
    today = dates.today()
    try:
        year = _year(request.GET.get("year"), today)
    except DashboardError as exc:
        return render(request, "reports/dashboard.html", {"error": str(exc)}, status=400)
    root = _root(user, request.GET.get("org") or _typed_organization(request))
    context = {
        "root": root,
        "year": year,
        "filter_form": _filter_form(user, initial={"org": root, "year": year}),
        "downloads": _downloads(root, year),
        "body": body_html(root, year),
    }
    return render(request, "reports/dashboard.html", context)


def body_html(root, year) -> str:
    """The dashboard of `root` and `year` below its title: numbers, charts, dues, items and terms of
    `root`'s subtree, the same for everyone who may see `root`. Stored per version of the records
    and day (the background warm run makes the root committee's again after a write): drawing its
    charts and 140 links took ~90 ms of each visit, the numbers themselves one read."""
    return mark_safe(
        cached(
            "dashboard",
            root.pk,
            year,
            lambda: render_to_string("reports/_dashboard_body.html", _body_context(root, year)),
        )
    )


def _body_context(root, year) -> dict:
    scope = metrics.ReportScope(root, year)
    values = metrics.compute_all(root, year, scope=scope)
    last_values = metrics.compute_last_year(root, year)
    rows = [_row(code, values[code], last_values.get(code), root, year) for code in metrics.metric_codes()]
    by_code = {row["code"]: row for row in rows}
    day = min(dates.today(), scope.end)
    subtree = Organization.objects.subtree_of(root, day)
    return {
        "root": root,
        "year": year,
        "last_year": year - 1,
        "day": day,
        "cards": [by_code[code] for code in KEY_METRICS if code in by_code],
        "integrity_cards": [by_code[code] for code in INTEGRITY_CODES if code in by_code],
        "rows": rows,
        "charts": _charts(scope),
        "overdue": list(
            terms_overdue(day).filter(pk__in=subtree.values("pk")).select_related("parent")[:OVERDUE_SHOWN]
        ),
        "items": _items_progress(subtree, year, day),
        "dues": dues_metrics.dashboard_context(scope),
    }


def _year(text, today):
    if not text:
        return today.year
    try:
        year = int(text)
    except ValueError:
        raise DashboardError(f"年度“{text}”无法识别，请填写四位数的年份。") from None
    if year not in metrics.year_range():
        raise DashboardError(metrics.year_out_of_range_message(year))
    return year


def _root(user, org):
    """The organization the dashboard is for: the chosen one (404 if not visible), else the
    user's default (reports.selectors.default_report_organization)."""
    if org:
        return get_visible_organization(user, org)
    return default_report_organization(user)


def _row(code, value, last, root, year):
    """A number beside last year's. Where last year has no records of its kind (NO_RECORDS), the
    page says 无记录 and shows no difference: not "+388" against a year nobody recorded."""
    metric = metrics.REGISTRY[code]
    value, last = _shown(value), _shown(last)
    numeric = isinstance(value, int | Decimal) and isinstance(last, int | Decimal)
    no_records = isinstance(last, metrics.NoRecords)
    return {
        "code": code,
        "label": metric.label,
        "definition": metric.definition,
        "value": value,
        "last": last,
        "no_records": no_records,
        "diff": value - last if numeric else None,
        "is_date": isinstance(value, datetime.date),
        "last_is_date": isinstance(last, datetime.date),
        "url": drill_down_url(code, root, year),
        "last_url": "" if no_records else drill_down_url(code, root, year - 1),
    }


def _shown(value):
    """Money in 万元 as the text prints it (two decimals, rounded half up: 1.225 → 1.23)."""
    if isinstance(value, Decimal):
        return Decimal(format_value(value))
    return value


def drill_down_url(code, root, year):
    """The list of records behind a number (reports.views.records)."""
    return reverse("reports:records", args=[root.pk, year, code])


def _downloads(root, year):
    return [
        ("年度报告", reverse("reports:report", args=[root.pk, year])),
        ("下载 PDF", reverse("reports:download", args=[root.pk, year, "pdf"])),
        ("下载工作簿", reverse("reports:download", args=[root.pk, year, "xlsx"])),
    ]


def _charts(scope):
    svgs = charts.charts_for(scope)  # the rhythm table once, cached on the scope
    return [{"name": name, "title": charts.CHART_TITLES[name], "svg": svg} for name, svg in svgs.items()]


def _items_progress(subtree, year, day):
    """Items of the year's responsibility lists issued in the subtree or answered for by it, that
    someone still answers for on `day` (as the home page counts them): how many are due by `day`,
    how many of those are done, how many overdue (one query)."""
    due = Q(deadline__lte=day)
    done = Q(status=ItemStatus.DONE)
    return (
        ResponsibilityItem.objects.filter(responsibility_list__year=year)
        .filter(live_items_q(day))
        .filter(
            Q(responsibility_list__document__issuer__in=subtree.values("pk"))
            | Q(responsible_organization__in=subtree.values("pk"))
        )
        .aggregate(
            total=Count("pk"),
            done=Count("pk", filter=done),
            due=Count("pk", filter=due),
            due_done=Count("pk", filter=due & done),
            overdue=Count("pk", filter=overdue_items_q(day)),
        )
    )


def _filter_form(user, data=None, initial=None):
    this_year = dates.today().year
    return DashboardForm(
        data,
        initial=initial,
        organizations=visible_organizations(user),
        kinds=REPORT_KINDS,
        years=range(this_year, this_year - YEARS_OFFERED, -1),
    )


def _typed_organization(request):
    """A name typed in the organization box without picking it (no JavaScript): looked up."""
    if not request.GET.get("org__text"):
        return None
    form = _filter_form(request.user, data=request.GET)
    return form.cleaned_data["org"].pk if form.is_valid() and form.cleaned_data.get("org") else None

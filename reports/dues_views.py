"""党费收缴公示 downloads: a branch's month or quarter as the official PDF or a workbook sheet
(reports.dues_publicity). The dues pages themselves live in members.dues; this is the reports layer."""

from django.contrib.auth.decorators import login_required

from jiguan.web import XLSX_CONTENT_TYPE, NotFound, file_response
from reports import dues_publicity
from reports.views import _report_scope, _year_checked


def _period(request, year) -> dues_publicity.Period:
    month, quarter = request.GET.get("month", ""), request.GET.get("quarter", "")
    if month.isdigit() and 1 <= int(month) <= 12:
        return dues_publicity.Period(year, month=int(month))
    if quarter.isdigit() and 1 <= int(quarter) <= 4:
        return dues_publicity.Period(year, quarter=int(quarter))
    raise NotFound("请指定公示的月份（1至12）或季度（1至4）。")


@login_required
@_year_checked
def publicity(request, pk, year, file_format):
    organization = _report_scope(request, pk, year)  # the report's years, within the user's scope
    item = dues_publicity.publicity(organization, _period(request, year))
    if file_format == "pdf":
        return file_response(dues_publicity.pdf_bytes(item), f"{item.title}.pdf", "application/pdf")
    if file_format == "xlsx":
        return file_response(dues_publicity.workbook_bytes(item), f"{item.title}.xlsx", XLSX_CONTENT_TYPE)
    raise NotFound("没有这种格式。")

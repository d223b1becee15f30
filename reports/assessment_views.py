"""The assessment sheet's downloads (the files are the reports layer's to write)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from activities.evaluations.models import AssessmentSheet
from activities.evaluations.selectors import assessment_table
from jiguan.web import XLSX_CONTENT_TYPE, file_response
from reports.assessment_outputs import assessment_pdf, assessment_title, assessment_workbook


@login_required
def assessment_download(request, pk, file_format):
    """The sheet and its ranking as printed: staff and leadership get every target, a secretary the
    targets within their subtree."""
    try:
        sheet = AssessmentSheet.objects.select_related("issuer").get(pk=pk)
    except AssessmentSheet.DoesNotExist as exc:
        raise Http404("没有找到该考核量化表。") from exc
    table = assessment_table(sheet, request.user)
    name = assessment_title(table)
    if file_format == "pdf":
        return file_response(assessment_pdf(table), f"{name}.pdf", "application/pdf")
    if file_format == "xlsx":
        return file_response(assessment_workbook(table), f"{name}.xlsx", XLSX_CONTENT_TYPE)
    raise Http404("没有这种格式。")

"""Writes of the reports app: saving the text of an annual summary."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from jiguan import audit
from jiguan.integrity import refuse_duplicate
from organizations.models import Organization
from reports.metrics import year_out_of_range_message, year_range
from reports.models import AnnualReport
from reports.placeholders import clean_text, unknown_placeholders, unknown_placeholders_message


def annual_report_save(
    *, actor, organization: Organization, year: int, title: str, text: str
) -> AnnualReport:
    """Create or update the summary of `organization` for `year`; refuse unknown placeholders."""
    text = clean_text(text).strip()
    title = clean_text(title).strip()
    errors = {}
    if year not in year_range():
        errors["year"] = year_out_of_range_message(year)
    if not title:
        errors["title"] = "请填写标题。"
    if not text:
        errors["text"] = "请填写正文。"
    unknown = unknown_placeholders(text)
    if unknown:
        errors["text"] = unknown_placeholders_message(unknown)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(organization=organization, year=year).first()
        if report is None:
            report = AnnualReport(
                organization=organization, year=year, title=title, text=text, updated_by=actor
            )
            report.full_clean()
            # Two first saves at once: the lock above had no row to take; the constraint decides.
            with refuse_duplicate({"text": "另一位工作人员刚刚保存了这份总结，请刷新页面后再修改。"}):
                report.save()
            audit.record_create(actor, report)
            return report
        return audit.update(actor, report, {"title": title, "text": text, "updated_by": actor})

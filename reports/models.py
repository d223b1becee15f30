from django.conf import settings
from django.db import models

from organizations.models import Organization


class AnnualReport(models.Model):
    """The text of one organization's annual summary for one year, written by committee staff.

    The text holds narrative and metric placeholders such as {{ central_group_study_sessions }}
    (reports.placeholders); the numbers are never stored here, they are computed when rendered.
    """

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    text = models.TextField("正文")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修改人",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ["-year", "organization_id"]
        verbose_name = "年度工作总结"
        verbose_name_plural = "年度工作总结"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="annual_report_once_per_year",
                violation_error_message="该党组织这一年度的总结已存在。",
            ),
        ]

    def __str__(self):
        return self.title

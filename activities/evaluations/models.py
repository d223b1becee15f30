"""Evaluation records. Registered with the activities app (activities/models.py imports them)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from members.models import Member
from organizations.models import Kind, Organization

# The organizations whose secretaries report every year (书记抓基层党建述职评议考核).
REPORTING_KINDS = (Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)


class ReportGrade(models.TextChoices):
    GOOD = "GOOD", "好"
    FAIRLY_GOOD = "FAIRLY_GOOD", "较好"
    AVERAGE = "AVERAGE", "一般"
    POOR = "POOR", "差"


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "EXCELLENT", "优秀"
    QUALIFIED = "QUALIFIED", "合格"
    BASICALLY_QUALIFIED = "BASICALLY_QUALIFIED", "基本合格"
    UNQUALIFIED = "UNQUALIFIED", "不合格"


class TargetKind(models.TextChoices):
    ORGANIZATIONS = "ORGANIZATIONS", "党组织"
    MEMBERS = "MEMBERS", "党员"


def secretary_report_path(instance, filename):
    return f"evaluations/reports/{instance.year}/{instance.organization_id}/{filename}"


class SecretaryReport(models.Model):
    """A secretary's annual report (述职) on the organization's party-building work, and its grade."""

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="secretary_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    reported_on = models.DateField("述职日期")
    secretary_name = models.CharField("书记姓名", max_length=50, blank=True)
    grade = models.CharField("评议等次", max_length=16, choices=ReportGrade.choices, blank=True)
    file = models.FileField("述职报告", upload_to=secretary_report_path, blank=True, max_length=255)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "organization_id"]
        verbose_name = "书记述职评议"
        verbose_name_plural = "书记述职评议"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="secretary_report_once_a_year",
                violation_error_message="该党组织本年度的书记述职已登记。",
            ),
        ]

    def __str__(self):
        return f"{self.year}年书记述职 {self.organization}"


class Appraisal(models.Model):
    """A branch's 民主评议党员 for a year, linked to the activity where it was held."""

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="appraisals"
    )
    year = models.PositiveSmallIntegerField("年度")
    held_on = models.DateField("评议日期")
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name="民主评议党员活动",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appraisals",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "organization_id"]
        verbose_name = "民主评议党员"
        verbose_name_plural = "民主评议党员"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="appraisal_once_a_year",
                violation_error_message="该党组织本年度的民主评议党员已登记。",
            ),
        ]

    def __str__(self):
        return f"{self.year}年民主评议党员 {self.organization}"


class MemberGrade(models.Model):
    """The grade of one full member in a branch's 民主评议党员 (probationary members get none)."""

    appraisal = models.ForeignKey(
        Appraisal, verbose_name="民主评议", on_delete=models.CASCADE, related_name="grades"
    )
    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.PROTECT, related_name="appraisal_grades"
    )
    # The appraisal's year again, so that the database holds "one grade a member a year".
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("等次", max_length=24, choices=AppraisalGrade.choices)

    class Meta:
        ordering = ["appraisal_id", "member_id"]
        verbose_name = "民主评议等次"
        verbose_name_plural = "民主评议等次"
        indexes = [models.Index(fields=["year", "grade"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="member_graded_once_a_year",
                violation_error_message="该党员本年度已评定等次。",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.get_grade_display()}"


class AssessmentSheet(models.Model):
    """The committee's quantified assessment sheet (考核量化表) for a year."""

    issuer = models.ForeignKey(
        Organization, verbose_name="考核单位", on_delete=models.PROTECT, related_name="assessment_sheets"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=100)
    target_kind = models.CharField("考核对象", max_length=16, choices=TargetKind.choices)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "考核量化表"
        verbose_name_plural = "考核量化表"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "title"],
                name="assessment_sheet_title_once_a_year",
                violation_error_message="本年度已有同名的考核量化表。",
            ),
        ]

    def __str__(self):
        return f"{self.year}年{self.title}"


class AssessmentItem(models.Model):
    sheet = models.ForeignKey(
        AssessmentSheet, verbose_name="考核量化表", on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("考核内容", max_length=200)
    points = models.DecimalField(
        "分值", max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    criteria = models.CharField("评分标准", max_length=300, blank=True)

    class Meta:
        ordering = ["sheet_id", "position"]
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "position"],
                name="assessment_item_position_once",
                violation_error_message="序号已被本表的另一项使用。",
            ),
        ]

    def __str__(self):
        return self.name


class AssessmentTarget(models.Model):
    """An organization (or a member) assessed by a sheet."""

    sheet = models.ForeignKey(
        AssessmentSheet, verbose_name="考核量化表", on_delete=models.CASCADE, related_name="targets"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="assessment_targets"
    )
    member = models.ForeignKey(
        Member,
        verbose_name="党员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_targets",
    )

    class Meta:
        ordering = ["sheet_id", "id"]
        verbose_name = "考核对象"
        verbose_name_plural = "考核对象"
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "organization"],
                condition=Q(member__isnull=True),
                name="assessed_organization_once",
                violation_error_message="该党组织已在考核对象中。",
            ),
            models.UniqueConstraint(
                fields=["sheet", "member"],
                condition=Q(member__isnull=False),
                name="assessed_member_once",
                violation_error_message="该党员已在考核对象中。",
            ),
        ]

    def __str__(self):
        return str(self.member or self.organization)


class AssessmentScore(models.Model):
    target = models.ForeignKey(
        AssessmentTarget, verbose_name="考核对象", on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        AssessmentItem, verbose_name="考核项目", on_delete=models.CASCADE, related_name="scores"
    )
    score = models.DecimalField(
        "得分", max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        constraints = [
            models.UniqueConstraint(fields=["target", "item"], name="assessment_score_once"),
        ]

    def __str__(self):
        return f"{self.target} {self.item} {self.score}"

"""Member-level integrity records. Registered with the members app (members/models.py imports them).

Each record carries the organization the member belonged to when it was made (`organization`), so
that the one scoping function (organizations.scoping.scoped) finds it and a later transfer does not move
a past year's record out of the branch that collected it.
"""

from django.db import models
from django.db.models import F, Q

from jiguan.dated import in_force_q
from organizations.models import Organization, Post


class RiskLevel(models.TextChoices):
    HIGH = "HIGH", "高"
    MEDIUM = "MEDIUM", "中"
    LOW = "LOW", "低"


def commitment_scan_path(instance, filename):
    return f"integrity/commitments/{instance.year}/{instance.member_id}/{filename}"


class CommitmentRule(models.Model):
    """Who must sign a 廉政承诺书 for a year: every member on the roster, or the holders of the
    chosen posts (书记, 副书记, …). A year without a rule asks every member."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    everyone = models.BooleanField("全体党员签订", default=True)
    posts = models.CharField("签订职务", max_length=200, blank=True, help_text="以逗号分隔的职务代码")

    class Meta:
        ordering = ["-year"]
        verbose_name = "廉政承诺书签订范围"
        verbose_name_plural = "廉政承诺书签订范围"

    def __str__(self):
        return f"{self.year}年廉政承诺书签订范围"

    @property
    def post_list(self) -> list[str]:
        return [p for p in self.posts.split(",") if p]

    def post_labels(self) -> list[str]:
        labels = dict(Post.choices)
        return [str(labels.get(p, p)) for p in self.post_list]


class IntegrityCommitment(models.Model):
    """A member's signed 廉政承诺书 for a year, with the signed scan."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="integrity_commitments"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="所在党组织",
        on_delete=models.PROTECT,
        related_name="integrity_commitments",
    )
    year = models.PositiveSmallIntegerField("年度")
    signed_on = models.DateField("签订日期")
    scan = models.FileField("签字扫描件", upload_to=commitment_scan_path, blank=True, max_length=255)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "organization_id", "member_id"]
        verbose_name = "廉政承诺书"
        verbose_name_plural = "廉政承诺书"
        indexes = [models.Index(fields=["year", "organization"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="commitment_once_a_year",
                violation_error_message="该党员本年度已签订廉政承诺书。",
            ),
        ]

    def __str__(self):
        return f"{self.year}年廉政承诺书 {self.member}"


class RiskForm(models.Model):
    """A member's 廉政风险防控表 for a year: the risk points of their post, a level, the measures."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="risk_forms"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="所在党组织", on_delete=models.PROTECT, related_name="risk_forms"
    )
    year = models.PositiveSmallIntegerField("年度")
    filed_on = models.DateField("填报日期")
    post = models.CharField("岗位", max_length=100, blank=True)
    risk_points = models.TextField("风险点", blank=True)
    level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices, blank=True)
    measures = models.TextField("防控措施", blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-year", "organization_id", "member_id"]
        verbose_name = "廉政风险防控表"
        verbose_name_plural = "廉政风险防控表"
        indexes = [models.Index(fields=["year", "organization"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="risk_form_once_a_year",
                violation_error_message="该党员本年度已填写廉政风险防控表。",
            ),
        ]

    def __str__(self):
        return f"{self.year}年廉政风险防控表 {self.member}"


class CommunityRegistrationQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(in_force_q(day, start="registered_on", end="ended_on"))


class CommunityRegistration(models.Model):
    """双报到: an in-service member registered with the community (社区) where they live, from
    `registered_on` until `ended_on` (exclusive: the day they moved or retired)."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name="党员",
        on_delete=models.PROTECT,
        related_name="community_registrations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="所在党组织",
        on_delete=models.PROTECT,
        related_name="community_registrations",
    )
    community = models.CharField("社区", max_length=100)
    registered_on = models.DateField("报到日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = CommunityRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_on", "id"]
        verbose_name = "社区报到"
        verbose_name_plural = "社区报到"
        indexes = [models.Index(fields=["member", "registered_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "community", "registered_on"],
                name="community_registration_once",
                violation_error_message="该党员当天已在该社区报到。",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=F("registered_on")),
                name="community_registration_ends_after_start",
                violation_error_message="结束日期应晚于报到日期。",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.community}"

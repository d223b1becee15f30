"""The organization tree of the county's organs, with its history.

An organization's name and parent change over time. Each stretch of time with one name and one
parent is an `OrganizationVersion` (valid_from inclusive, valid_to exclusive); the row on
`Organization` carries the current values for quick display. `Organization.objects.as_of(day)`
reads the versions, so a report on a past day sees the tree as it stood then.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL

from jiguan import dates
from jiguan.dated import holds_on, in_force_during_q, in_force_q
from jiguan.fields import NameOrderField
from jiguan.pinyin import search_keys
from jiguan.versions import Version, ends_after_start


class Kind(models.TextChoices):
    WORKING_COMMITTEE = "WORKING_COMMITTEE", "机关工委"
    PARTY_COMMITTEE = "PARTY_COMMITTEE", "机关党委"
    DISCIPLINE_COMMITTEE = "DISCIPLINE_COMMITTEE", "机关纪委"
    GENERAL_BRANCH = "GENERAL_BRANCH", "党总支部"
    BRANCH = "BRANCH", "党支部"
    PARTY_GROUP = "PARTY_GROUP", "党小组"


# Kinds counted as "grass-roots organizations" by the annual summary (METRICS.md, orgs_total).
GRASS_ROOTS_KINDS = (Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)
# Kinds that hold members and elect a committee for a term.
ELECTED_KINDS = (Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)


class Unit(models.Model):
    """A government organ (单位), with its leading party group (党组（党委）) as attributes."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    name_order = NameOrderField("名称排序键")
    leading_group_name = models.CharField("党组（党委）名称", max_length=100, blank=True)
    leading_group_secretary = models.CharField("党组（党委）书记", max_length=50, blank=True)

    class Meta:
        ordering = ["name_order", "name"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self):
        return self.name


def subtree_sql(day):
    """SQL selecting the ids of an organization and everything below it on `day`.

    One recursive query, the same on SQLite and PostgreSQL. Its single parameter slot for the
    root comes first; the day is bound twice.
    """
    table = OrganizationVersion._meta.db_table
    sql = (
        "WITH RECURSIVE subtree(id) AS ("
        " SELECT CAST(%s AS BIGINT)"
        " UNION"
        f" SELECT v.organization_id FROM {table} v JOIN subtree s ON v.parent_id = s.id"
        " WHERE v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)"
        ") SELECT id FROM subtree"
    )
    return sql, [day, day]


class OrganizationQuerySet(models.QuerySet):
    def existing_on(self, day):
        """Founded on or before `day` and not dissolved on or before it."""
        return self.filter(in_force_q(day, start="founded_on", end="dissolved_on"))

    def existing_during(self, first, last):
        """The organizations that existed on at least one day from `first` to `last`."""
        return self.filter(in_force_during_q(first, last, start="founded_on", end="dissolved_on"))

    def as_of(self, day):
        """The organizations that existed on `day`, with `name_then` and `parent_then_id`."""
        version = OrganizationVersion.objects.filter(organization=OuterRef("pk")).valid_on(day)
        return self.existing_on(day).annotate(
            name_then=Subquery(version.values("name")[:1]),
            parent_then_id=Subquery(version.values("parent_id")[:1]),
        )

    def active(self):
        return self.filter(dissolved_on__isnull=True)

    def subtree_of(self, root, day=None):
        """`root` and every organization below it as the tree stood on `day` (default today).

        Organizations dissolved before `day` stay under their last parent, so their records
        remain visible to the subtree's users.
        """
        day = day or dates.today()
        root_id = root.pk if isinstance(root, Organization) else root
        sql, params = subtree_sql(day)
        return self.filter(pk__in=RawSQL(sql, [root_id, *params]))

    def grass_roots(self):
        return self.filter(kind__in=GRASS_ROOTS_KINDS)

    def root_committee(self):
        """The committee at the root of the tree (机关工委), or None before the tree is set up."""
        return self.filter(kind=Kind.WORKING_COMMITTEE, parent__isnull=True).order_by("pk").first()


class Organization(models.Model):
    kind = models.CharField("组织类别", max_length=32, choices=Kind.choices)
    name = models.CharField("组织名称", max_length=100)
    name_order = NameOrderField("名称排序键")
    unit = models.ForeignKey(
        Unit,
        verbose_name="所在单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    founded_on = models.DateField("成立日期")
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(
        "任期（年）", null=True, blank=True, help_text="留空则按组织类别的规定任期"
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name_order", "name"]
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(dissolved_on__isnull=True),
                name="organization_name_unique_while_active",
                violation_error_message="已有同名的党组织（未撤销）。",
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("founded_on")),
                name="organization_dissolved_after_founded",
                violation_error_message="撤销日期不能早于成立日期。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_dissolved(self):
        return self.dissolved_on is not None

    @property
    def last_day(self):
        """The last day a dissolved organization existed (None while it exists): the day its
        forms start on, since what may still be recorded of it happened before its dissolution."""
        return self.dissolved_on - datetime.timedelta(days=1) if self.dissolved_on else None

    def effective_term_years(self):
        return self.term_years or settings.TERM_YEARS.get(self.kind)

    def exists_on(self, day):
        return holds_on(day, self.founded_on, self.dissolved_on)

    def existence_problem(self, day, what="记录") -> str:
        """Why nothing dated `day` can be recorded for this organization ("" when it existed then).

        The one wording of the rule for every record dated in an organization's life; `what` names
        the record (活动, 任职, 表彰, …)."""
        if day < self.founded_on:
            return (
                f"“{self.name}”在{dates.chinese_date(day)}尚未成立（成立于{dates.chinese_date(self.founded_on)}），"
                f"{what}的日期不能早于成立日期。"
            )
        if self.dissolved_on is not None and day >= self.dissolved_on:
            return (
                f"“{self.name}”已于{dates.chinese_date(self.dissolved_on)}撤销，{dates.chinese_date(day)}已不存在，"
                f"{what}的日期应早于撤销日期。"
            )
        return ""


class OrganizationVersion(Version):
    """One stretch of an organization's life with one name and one parent."""

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.CASCADE, related_name="versions"
    )
    name = models.CharField("组织名称", max_length=100)
    parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_versions",
        verbose_name="上级组织",
    )
    # What the organization pickers search (jiguan.pinyin): stored with the name, never typed.
    name_initials = models.CharField("名称拼音首字母", max_length=100, blank=True, editable=False)
    name_pinyin = models.CharField("名称拼音", max_length=600, blank=True, editable=False)
    name_order = NameOrderField("名称排序键")

    class Meta:
        ordering = ["organization_id", "valid_from"]
        indexes = [
            models.Index(fields=["parent", "valid_from"]),
            models.Index(fields=["organization", "valid_from"]),
        ]
        constraints = [ends_after_start("organization_version_ends_after_start")]
        verbose_name = "党组织名称与隶属关系"
        verbose_name_plural = "党组织名称与隶属关系"

    def __str__(self):
        return f"{self.name} ({self.valid_from}–{self.valid_to or ''})"

    def save(self, *args, **kwargs):
        # Every path that stores a name stores its search keys with it, an update of the name too.
        self.with_search_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_initials", "name_pinyin", "name_order"}
        super().save(*args, **kwargs)

    def with_search_keys(self):
        """Fill the pinyin the pickers search from the name (bulk_create callers call this)."""
        self.name_initials, self.name_pinyin = search_keys(self.name)
        return self


class EventKind(models.TextChoices):
    FOUNDED = "FOUNDED", "新设立"
    RENAMED = "RENAMED", "更名"
    REPARENTED = "REPARENTED", "调整隶属关系"
    MERGED = "MERGED", "整体划入"
    DISSOLVED = "DISSOLVED", "撤销"


class OrganizationEvent(models.Model):
    """A dated change of the tree; the annual summary counts these (METRICS.md, orgs_*)."""

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=16, choices=EventKind.choices)
    date = models.DateField("日期")
    document_number = models.CharField("文号", max_length=50, blank=True)
    old_name = models.CharField("原名称", max_length=100, blank=True)
    new_name = models.CharField("新名称", max_length=100, blank=True)
    old_parent = models.ForeignKey(
        Organization,
        verbose_name="原上级组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_parent = models.ForeignKey(
        Organization,
        verbose_name="新上级组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        Organization,
        verbose_name="划入组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["kind", "date"])]
        verbose_name = "组织变动"
        verbose_name_plural = "组织变动"

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.organization}"


class Post(models.TextChoices):
    SECRETARY = "SECRETARY", "书记"
    DEPUTY_SECRETARY = "DEPUTY_SECRETARY", "副书记"
    FULL_TIME_DEPUTY_SECRETARY = "FULL_TIME_DEPUTY_SECRETARY", "专职副书记"
    COMMITTEE_MEMBER = "COMMITTEE_MEMBER", "委员"
    ORGANIZATION_MEMBER = "ORGANIZATION_MEMBER", "组织委员"
    PUBLICITY_MEMBER = "PUBLICITY_MEMBER", "宣传委员"
    DISCIPLINE_MEMBER = "DISCIPLINE_MEMBER", "纪检委员"


# Posts whose changes the summary counts as "调整负责人" (METRICS.md, leader_changes).
LEADING_POSTS = (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.FULL_TIME_DEPUTY_SECRETARY)


class AppointmentQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(in_force_q(day, start="start_on", end="end_on"))


class Appointment(models.Model):
    """A person holding a post in an organization for a dated period (任职 / 免职)."""

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="appointments"
    )
    person_name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=32, choices=Post.choices)
    start_on = models.DateField("任职日期")
    end_on = models.DateField("免职日期", null=True, blank=True)
    document_number = models.CharField("文号", max_length=50, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["organization_id", "start_on"]
        indexes = [models.Index(fields=["post", "start_on"])]
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="appointment_ends_after_start",
                violation_error_message="免职日期不能早于任职日期。",
            ),
        ]

    def __str__(self):
        return f"{self.person_name} {self.get_post_display()}"


class Election(models.Model):
    """An election (换届) opening a term; the term expires after the organization's term length."""

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="elections"
    )
    term_number = models.PositiveSmallIntegerField("届次")
    elected_on = models.DateField("选举日期")
    expires_on = models.DateField("任期届满日期")
    document_number = models.CharField("文号", max_length=50, blank=True)

    class Meta:
        ordering = ["organization_id", "elected_on"]
        verbose_name = "换届"
        verbose_name_plural = "换届"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "term_number"],
                name="election_term_unique",
                violation_error_message="该党组织已有这一届次的选举记录。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} 第{self.term_number}届"


class LiaisonAssignment(models.Model):
    """A committee leader (班子成员) guiding an organization (联系点) for a period."""

    leader_name = models.CharField("班子成员", max_length=50)
    committee = models.ForeignKey(
        Organization,
        verbose_name="所属工委",
        on_delete=models.PROTECT,
        related_name="liaison_leaderships",
        help_text="班子成员所在的组织（通常是工委）",
    )
    organization = models.ForeignKey(
        Organization, verbose_name="联系的党组织", on_delete=models.PROTECT, related_name="liaisons"
    )
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        ordering = ["leader_name", "start_on"]
        verbose_name = "联系点"
        verbose_name_plural = "联系点"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="liaison_ends_after_start",
                violation_error_message="结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self):
        return f"{self.leader_name} → {self.organization}"


class AccountOrganization(models.Model):
    """The organization of an account (jiguan.models.User): a 党组织书记 sees and changes it and
    everything below it (organizations.scoping); staff and leadership may name theirs. Written by
    organizations.accounts.services, read through organizations.scoping.organization_of."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="account_organization",
    )
    organization = models.ForeignKey(
        Organization, verbose_name="所在党组织", on_delete=models.PROTECT, related_name="accounts"
    )

    class Meta:
        verbose_name = "账号所在党组织"
        verbose_name_plural = "账号所在党组织"

    def __str__(self):
        return f"{self.user} · {self.organization}"

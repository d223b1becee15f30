"""Party members, their membership over time, the people on their way in, and honours.

A member's organization and category change over time. Each stretch with one organization and
one category is a `MemberVersion` (valid_from inclusive, valid_to exclusive); the row on `Member`
carries the current values. Status follows from the dates: probationary from 入党日期 (admitted_on),
full from 转正日期 (confirmed_on). `Member.objects.as_of(day)` answers who belonged where, with
which status and category, on any day.
"""

from django.db import connection, models
from django.db.models import Case, F, FilteredRelation, Q, Value, When

from jiguan.among import among
from jiguan.dated import in_force_q
from jiguan.fields import BlindIndexField, EncryptedCharField, EncryptedQuerySet, NameOrderField
from jiguan.versions import Version, ends_after_start
from organizations.models import Appointment, Organization


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Category(models.TextChoices):
    IN_SERVICE = "IN_SERVICE", "在职"
    RETIRED = "RETIRED", "离退休"
    OTHER = "OTHER", "其他"


class Status(models.TextChoices):
    PROBATIONARY = "PROBATIONARY", "预备党员"
    FULL = "FULL", "正式党员"


class LeftReason(models.TextChoices):
    EXPELLED = "EXPELLED", "出党"
    DIED = "DIED", "去世"
    TRANSFERRED_OUT = "TRANSFERRED_OUT", "转出"


class MemberQuerySet(EncryptedQuerySet):
    def as_of(self, day, *, within=None):
        """Members on the roster on `day`, with `organization_then_id`, `category_then`, `status_then`;
        `within` (organization ids, a values("pk") queryset or one id) keeps those whose organization
        that day is one of them.

        With `within` the members are first looked up by their membership stretches of those
        organizations (an index search), instead of computing every member's organization of the
        day and comparing it (a branch's 27 members, not the county's 12,000). The membership stretch
        of the day is joined (a member has one stretch on any day: the services close one before
        they open the next), not looked up per member: a subquery per member for each reference to
        its organization or category made the county's count of members by category on 31 December
        six index searches per member (0.15 s at 1x on PostgreSQL).

        PostgreSQL finds the stretches of `within` through the join itself (its planner starts from
        them when they are few): the look-up first only added a second pass over the stretches (the
        county's members on E: 11 -> 7 ms at 1x; a 机关党委's the same). SQLite starts from the
        members, and without it reads every member (a 机关党委's: 3 -> 19 ms at 1x)."""
        queryset = self
        if within is not None and connection.vendor != "postgresql":
            stretches = MemberVersion.objects.valid_on(day).filter(_one_of("organization_id", within))
            queryset = queryset.filter(pk__in=stretches.values("member_id"))
        queryset = (
            queryset.alias(
                version_then=FilteredRelation(
                    "versions",
                    condition=in_force_q(day, start="valid_from", end="valid_to", prefix="versions__"),
                )
            )
            .filter(in_force_q(day, start="admitted_on", end="left_on"))
            .annotate(
                organization_then_id=F("version_then__organization"),
                category_then=F("version_then__category"),
                status_then=Case(
                    When(confirmed_on__lte=day, then=Value(Status.FULL)),
                    default=Value(Status.PROBATIONARY),
                    output_field=models.CharField(),
                ),
            )
            .filter(organization_then_id__isnull=False)
        )
        if within is not None:
            queryset = queryset.filter(_one_of("organization_then_id", within))
        return queryset

    def on_roster(self):
        return self.filter(left_on__isnull=True)


def _one_of(field: str, within) -> Q:
    """`field` is `within`: one id, a values("pk") queryset (a subquery) or a list of ids (``among``)."""
    if isinstance(within, int):
        return Q(**{field: within})
    if isinstance(within, models.QuerySet):
        return Q(**{f"{field}__in": within})
    return among(field, within)


class Member(models.Model):
    name = models.CharField("姓名", max_length=50)
    name_order = NameOrderField("姓名排序键")
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    id_number = EncryptedCharField("公民身份号码", max_length=18)
    id_number_hash = BlindIndexField("公民身份号码散列", of="id_number", unique=True)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, blank=True, default="汉族")
    education = models.CharField("学历", max_length=20, blank=True)
    phone = EncryptedCharField("联系电话", max_length=20, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members"
    )
    category = models.CharField(
        "人员类别", max_length=16, choices=Category.choices, default=Category.IN_SERVICE
    )
    status = models.CharField("党员类别", max_length=16, choices=Status.choices)
    admitted_on = models.DateField("入党日期")
    confirmed_on = models.DateField("转正日期", null=True, blank=True)
    probation_extension_months = models.PositiveSmallIntegerField("延长预备期（月）", default=0)
    left_on = models.DateField("离开日期", null=True, blank=True)
    left_reason = models.CharField("离开原因", max_length=16, choices=LeftReason.choices, blank=True)
    # Kept as the national party member management system (全国党员管理系统) writes them.
    degree = models.CharField("学位", max_length=20, blank=True)
    native_place = models.CharField("籍贯", max_length=50, blank=True)
    work_post = models.CharField("工作岗位", max_length=50, blank=True)
    residence = models.CharField("现居住地", max_length=200, blank=True)
    lost_contact = models.BooleanField("失联党员", default=False)
    floating = models.BooleanField("流动党员", default=False)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["organization_id", "name_order", "name"]
        verbose_name = "党员"
        verbose_name_plural = "党员"
        indexes = [
            models.Index(fields=["admitted_on"]),
            models.Index(fields=["confirmed_on"]),
            models.Index(fields=["organization", "left_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True) | Q(confirmed_on__gt=F("admitted_on")),
                name="member_confirmed_after_admitted",
                violation_error_message="转正日期应晚于入党日期。",
            ),
            models.CheckConstraint(
                condition=Q(status="FULL", confirmed_on__isnull=False)
                | Q(status="PROBATIONARY", confirmed_on__isnull=True),
                name="status_agrees_with_confirmation_date",
                violation_error_message="正式党员必须有转正日期，预备党员不应有转正日期。",
            ),
        ]

    def __str__(self):
        return self.name


# The member's details kept as the national system writes them (optional on every form and sheet).
NATIONAL_FIELDS = ("degree", "native_place", "work_post", "residence", "lost_contact", "floating")


class MemberVersion(Version):
    """One stretch of a member's membership with one organization and one category."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.CASCADE, related_name="versions")
    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="member_versions"
    )
    category = models.CharField("人员类别", max_length=16, choices=Category.choices)

    class Meta:
        ordering = ["member_id", "valid_from"]
        indexes = [
            models.Index(fields=["organization", "valid_from"]),
            # Covering: a member's organization and category on a day (Member.objects.as_of, the dues
            # member-months) are read from the index alone.
            models.Index(
                fields=["member", "valid_from", "valid_to", "organization", "category"],
                name="member_version_on_day",
            ),
        ]
        constraints = [ends_after_start("member_version_ends_after_start")]
        verbose_name = "党员组织关系"
        verbose_name_plural = "党员组织关系"

    def __str__(self):
        return f"{self.member_id}@{self.organization_id} ({self.valid_from}–{self.valid_to or ''})"


class MemberEventKind(models.TextChoices):
    ADMITTED = "ADMITTED", "接收为预备党员"
    TRANSFERRED_IN = "TRANSFERRED_IN", "转入"
    MOVED = "MOVED", "组织内调整"
    TRANSFERRED_OUT = "TRANSFERRED_OUT", "转出"
    CONFIRMED = "CONFIRMED", "按期转正"
    PROBATION_EXTENDED = "PROBATION_EXTENDED", "延长预备期"
    CATEGORY_CHANGED = "CATEGORY_CHANGED", "人员类别变更"
    EXPELLED = "EXPELLED", "出党"
    DIED = "DIED", "去世"


class TransferScope(models.TextChoices):
    WITHIN_COUNTY = "WITHIN", "县内"
    BEYOND_COUNTY = "BEYOND", "县外"


class MemberEvent(models.Model):
    """A dated change of a member's membership (组织关系转接 and the rest)."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=24, choices=MemberEventKind.choices)
    date = models.DateField("日期")
    from_organization = models.ForeignKey(
        Organization,
        verbose_name="原党组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_organization = models.ForeignKey(
        Organization,
        verbose_name="新党组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scope = models.CharField("转接范围", max_length=8, choices=TransferScope.choices, blank=True)
    external_organization = models.CharField("县外党组织", max_length=100, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    # 交至年月: the month a transferred member's dues are paid up to (its first day), in and out.
    dues_paid_until = models.DateField("党费交至年月", null=True, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["kind", "date"])]
        verbose_name = "党员变动"
        verbose_name_plural = "党员变动"

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.member}"


class Stage(models.TextChoices):
    APPLICANT = "APPLICANT", "入党申请人"
    ACTIVIST = "ACTIVIST", "入党积极分子"
    CANDIDATE = "CANDIDATE", "发展对象"
    PROBATIONARY = "PROBATIONARY", "预备党员"
    FULL = "FULL", "正式党员"
    WITHDRAWN = "WITHDRAWN", "终止培养"


class Prospect(models.Model):
    """A person on their way into the party: applicant, activist, candidate, then member.

    The record stays after admission, linked to the `Member` it became, because steps 19–25
    (education and confirmation of the probationary member) are recorded here too.
    """

    name = models.CharField("姓名", max_length=50)
    name_order = NameOrderField("姓名排序键")
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    id_number = EncryptedCharField("公民身份号码", max_length=18)
    id_number_hash = BlindIndexField("公民身份号码散列", of="id_number", unique=True)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, blank=True, default="汉族")
    education = models.CharField("学历", max_length=20, blank=True)
    phone = EncryptedCharField("联系电话", max_length=20, blank=True)
    category = models.CharField(
        "人员类别", max_length=16, choices=Category.choices, default=Category.IN_SERVICE
    )
    organization = models.ForeignKey(
        Organization, verbose_name="所在党组织", on_delete=models.PROTECT, related_name="prospects"
    )
    stage = models.CharField("发展阶段", max_length=16, choices=Stage.choices, default=Stage.APPLICANT)
    applied_on = models.DateField("递交申请书日期")
    member = models.OneToOneField(
        Member, verbose_name="党员", on_delete=models.PROTECT, null=True, blank=True, related_name="prospect"
    )
    mentors = models.CharField("培养联系人", max_length=100, blank=True)
    sponsors = models.CharField("入党介绍人", max_length=100, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        ordering = ["organization_id", "applied_on"]
        verbose_name = "发展对象"
        verbose_name_plural = "发展对象"

    def __str__(self):
        return self.name


class DevelopmentStep(models.Model):
    """One of the 25 steps of member development, done on a date (members.development)."""

    # The organization deciding who may see it (organizations.scoping; the history page).
    scope_path = "prospect__organization"

    prospect = models.ForeignKey(
        Prospect, verbose_name="发展对象", on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveSmallIntegerField("步骤")
    done_on = models.DateField("完成日期")
    note = models.CharField("说明", max_length=200, blank=True)
    hours = models.PositiveSmallIntegerField("培训学时", null=True, blank=True)
    days = models.PositiveSmallIntegerField("培训天数", null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField("赞成票", null=True, blank=True)
    voters_entitled = models.PositiveSmallIntegerField("有表决权的正式党员数", null=True, blank=True)

    class Meta:
        ordering = ["prospect_id", "number"]
        verbose_name = "发展步骤"
        verbose_name_plural = "发展步骤"
        constraints = [
            models.UniqueConstraint(
                fields=["prospect", "number"],
                name="development_step_once",
                violation_error_message="该步骤已记录。",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=25),
                name="development_step_number_range",
                violation_error_message="步骤编号应在1至25之间。",
            ),
        ]

    def __str__(self):
        return f"{self.prospect} 第{self.number}步"


class AppointmentHolder(models.Model):
    """The member holding a post: an appointment (organizations.Appointment) names a person, this
    says which member of the roster they are (the 廉政承诺书 rule by post reads it)."""

    appointment = models.OneToOneField(
        Appointment, verbose_name="任职", on_delete=models.CASCADE, primary_key=True, related_name="holder"
    )
    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.PROTECT, related_name="appointments"
    )

    class Meta:
        verbose_name = "任职党员"
        verbose_name_plural = "任职党员"

    def __str__(self):
        return f"{self.member} · {self.appointment.get_post_display()}"


class CommendationKind(models.TextChoices):
    OUTSTANDING_MEMBER = "OUTSTANDING_MEMBER", "优秀共产党员"
    OUTSTANDING_WORKER = "OUTSTANDING_WORKER", "优秀党务工作者"
    ADVANCED_ORGANIZATION = "ADVANCED_ORGANIZATION", "先进基层党组织"


INDIVIDUAL_COMMENDATIONS = (CommendationKind.OUTSTANDING_MEMBER, CommendationKind.OUTSTANDING_WORKER)


class Commendation(models.Model):
    """两优一先: granted by an organization, or recommended by it to a higher body."""

    # The organization deciding who may see it (organizations.scoping; the history page).
    scope_path = "granted_by"

    kind = models.CharField("表彰类别", max_length=24, choices=CommendationKind.choices)
    member = models.ForeignKey(
        Member,
        verbose_name="党员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
    )
    person_name = models.CharField("姓名", max_length=50, blank=True)
    recipient_organization = models.ForeignKey(
        Organization,
        verbose_name="受表彰党组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations_received",
    )
    granted_by = models.ForeignKey(
        Organization,
        verbose_name="表彰/推荐单位",
        on_delete=models.PROTECT,
        related_name="commendations_granted",
    )
    recommended = models.BooleanField("向上推荐", default=False)
    higher_body = models.CharField("推荐至", max_length=100, blank=True)
    date = models.DateField("日期")
    document_number = models.CharField("文号", max_length=50, blank=True)

    class Meta:
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["granted_by", "date"])]
        verbose_name = "表彰"
        verbose_name_plural = "表彰"

    def __str__(self):
        who = self.recipient_organization or self.member or self.person_name
        return f"{self.get_kind_display()} {who}"


class MedalAward(models.Model):
    """A "光荣在党50年" medal (FIFTY_YEAR_MEDAL) awarded to a member in a year."""

    # The organization deciding who may see it (organizations.scoping; the history page).
    scope_path = "awarded_by"

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="medals")
    year = models.PositiveSmallIntegerField("年度")
    awarded_on = models.DateField("颁发日期")
    awarded_by = models.ForeignKey(
        Organization, verbose_name="颁发单位", on_delete=models.PROTECT, related_name="medals_awarded"
    )

    class Meta:
        ordering = ["-year", "member_id"]
        verbose_name = "光荣在党50年纪念章"
        verbose_name_plural = "光荣在党50年纪念章"
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                name="medal_once_per_member",
                violation_error_message="该党员已获颁纪念章。",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.member}"


# Integrity work of each member (members/integrity/): registered with this app.
# Party dues live in their own package; imported here so Django registers their models.
from members.dues.models import (  # noqa: E402, F401
    DuesBase,
    DuesClass,
    DuesLedgerMemberYear,
    DuesLedgerMonth,
    DuesLedgerOrganizationMonth,
    DuesLedgerStale,
    DuesLedgerYear,
    DuesPayment,
    PaymentKind,
)
from members.integrity.models import CommitmentRule, CommunityRegistration, IntegrityCommitment, RiskForm  # noqa: E402,F401

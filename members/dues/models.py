"""Dues bases and payments (registered through members.models; migrations are the members app's).

A month is stored as its first day (``datetime.date(2021, 7, 1)`` is July 2021).
"""

from django.db import models
from django.db.models import F, Q

from organizations.models import Organization


class DuesClass(models.TextChoices):
    IN_SERVICE = "IN_SERVICE", "在职"
    RETIRED = "RETIRED", "离退休"
    STUDENT = "STUDENT", "学生"
    LAID_OFF = "LAID_OFF", "下岗失业"
    RELIEF = "RELIEF", "低保"


# Classes that pay a fixed amount (PARTY_DUES["FIXED_MONTHLY"]) whatever the base.
FIXED_CLASSES = (DuesClass.STUDENT, DuesClass.LAID_OFF, DuesClass.RELIEF)


class DuesBase(models.Model):
    """A member's dues base and class from `start_month` on (until the next base: `until_month`,
    exclusive, kept by the services). `due` is the monthly due the rules give (members.dues.rules)."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_bases"
    )
    start_month = models.DateField("起始月份")
    until_month = models.DateField("截止月份（不含）", null=True, blank=True)
    dues_class = models.CharField("缴费类别", max_length=16, choices=DuesClass.choices)
    base = models.DecimalField("缴费基数（元）", max_digits=10, decimal_places=2)
    due = models.DecimalField("每月应交（元）", max_digits=8, decimal_places=2)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["member_id", "start_month"]
        verbose_name = "党费缴费基数"
        verbose_name_plural = "党费缴费基数"
        # Covering: the base in force in a month (the member-months of members.dues.selectors join
        # one per member and month) is read from the index alone (arrears list 0.26 s → 0.19 s at 1×).
        indexes = [
            models.Index(fields=["member", "start_month", "until_month", "due"], name="dues_base_in_force")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "start_month"],
                name="dues_base_once_per_month",
                violation_error_message="该党员该月份已有缴费基数。",
            ),
            models.CheckConstraint(condition=Q(base__gte=0), name="dues_base_not_negative"),
            models.CheckConstraint(
                condition=Q(until_month__isnull=True) | Q(until_month__gt=F("start_month")),
                name="dues_base_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.start_month:%Y年%-m月}起 {self.get_dues_class_display()} {self.base}元"


class PaymentKind(models.TextChoices):
    PAID = "PAID", "交纳"
    # A month the member had paid at their former organization before transferring in (交至年月).
    CARRIED = "CARRIED", "转入前已交"


class DuesPayment(models.Model):
    """Money paid for one month (the month it pays for, not the month it is paid in).

    `organization` is the member's organization at the end of that month, as recorded. A payment
    is never deleted: a wrong one is voided with a reason (`voided_on`, `void_reason`), audited.
    """

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_payments"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="dues_payments"
    )
    month = models.DateField("所属月份")
    amount = models.DecimalField("实交金额（元）", max_digits=10, decimal_places=2)
    paid_on = models.DateField("交纳日期")
    kind = models.CharField("类型", max_length=8, choices=PaymentKind.choices, default=PaymentKind.PAID)
    note = models.CharField("说明", max_length=200, blank=True)
    voided_on = models.DateField("作废日期", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["member_id", "month", "paid_on", "id"]
        verbose_name = "党费交纳记录"
        verbose_name_plural = "党费交纳记录"
        indexes = [
            models.Index(fields=["member", "month"]),
            models.Index(fields=["organization", "month"]),
            models.Index(fields=["month"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="dues_payment_not_negative"),
            models.CheckConstraint(
                condition=Q(voided_on__isnull=True) | ~Q(void_reason=""),
                name="dues_payment_void_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.month:%Y年%-m月} {self.amount}元"

    @property
    def is_void(self):
        return self.voided_on is not None


# ---- the dues ledger (members.dues.ledger) -------------------------------------------------------


class DuesLedgerMonth(models.Model):
    """One member-month of the dues ledger (党费台账): a row of members.dues.facts.live_sql, stored
    for the years the ledger holds (DuesLedgerYear) and kept by members.dues.ledger. Derived from
    the records, never edited: written in SQL, so no signal, audit or data version follows it."""

    derived_from_records = True  # jiguan.data_version.derived: no new version, not backed up

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField("月份")
    month_end = models.DateField("月末")
    organization = models.ForeignKey(
        Organization,
        verbose_name="月末所在党组织",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    due_cents = models.BigIntegerField("应交（分）")
    has_base = models.SmallIntegerField("有缴费基数")
    paid_cents = models.BigIntegerField("实交（分）")
    # Paid on or before 31 December of the month's year: what a year's report counts as paid by E.
    paid_in_year_cents = models.BigIntegerField("当年年底前实交（分）")
    settled = models.SmallIntegerField("转入前已交")

    class Meta:
        verbose_name = "党费台账月份"
        verbose_name_plural = "党费台账月份"
        indexes = [
            # The months of a window, every member's (the arrears list: 140,000 rows at 1x), read
            # from the index alone on PostgreSQL (SQLite ignores INCLUDE).
            models.Index(
                fields=["month"],
                include=["member", "organization", "due_cents", "paid_cents"],
                name="dues_ledger_month_sums",
            ),
            # An organization's months, summed again when one of its members' months changes.
            models.Index(fields=["organization", "month"], name="dues_ledger_org_months"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_ledger_member_month"),
        ]

    def __str__(self):
        return f"{self.member_id} {self.month:%Y年%-m月}"


class DuesLedgerMemberYear(models.Model):
    """A member's months of a year in one organization, summed from the ledger's months (what a
    year's report reads of each member: a county's year is some 12,000 of these instead of 140,000
    member-months). Kept with the months by members.dues.ledger."""

    derived_from_records = True

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    organization = models.ForeignKey(
        Organization,
        verbose_name="月末所在党组织",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    due_cents = models.BigIntegerField("应交（分）")
    paid_cents = models.BigIntegerField("实交（分）")
    # Months whose due was not paid in full by 31 December of the year.
    short_months = models.SmallIntegerField("年底前少交或未交的月数")
    # Months of July-December with a due and nothing paid by 31 December.
    unpaid_second_half = models.SmallIntegerField("下半年年底前分文未交的月数")
    # 1 when the member's December is in this organization.
    december = models.SmallIntegerField("12月在此组织")

    class Meta:
        verbose_name = "党费台账党员年度"
        verbose_name_plural = "党费台账党员年度"
        indexes = [models.Index(fields=["year", "organization"], name="dues_ledger_year_org")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "organization"], name="dues_ledger_member_year_org"
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.year}年 {self.organization_id}"


class DuesLedgerOrganizationMonth(models.Model):
    """An organization's member-months of one month summed from the ledger's months (the due and
    paid of each month and each organization a report shows). Kept with the months."""

    derived_from_records = True

    organization = models.ForeignKey(
        Organization,
        verbose_name="党组织",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    month = models.DateField("月份")
    month_end = models.DateField("月末")
    due_cents = models.BigIntegerField("应交（分）")
    paid_cents = models.BigIntegerField("实交（分）")

    class Meta:
        verbose_name = "党费台账党组织月份"
        verbose_name_plural = "党费台账党组织月份"
        indexes = [models.Index(fields=["month"], name="dues_ledger_org_month")]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="dues_ledger_organization_month"),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.month:%Y年%-m月}"


class DuesLedgerYear(models.Model):
    """A year whose member-months the ledger holds (every member's)."""

    derived_from_records = True

    year = models.PositiveSmallIntegerField("年度", primary_key=True)

    class Meta:
        verbose_name = "党费台账年度"
        verbose_name_plural = "党费台账年度"

    def __str__(self):
        return f"{self.year}年"


class DuesLedgerStale(models.Model):
    """A member whose ledger months a write has changed, written in the writing transaction; the
    next reader of the ledger computes that member's months again (members.dues.ledger)."""

    derived_from_records = True

    member_id = models.BigIntegerField("党员ID")

    class Meta:
        verbose_name = "党费台账待更新党员"
        verbose_name_plural = "党费台账待更新党员"

    def __str__(self):
        return str(self.member_id)

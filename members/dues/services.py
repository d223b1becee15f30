"""Writes of the dues: bases, payments, corrections, the months a transfer in brings settled.

Every service takes keyword arguments only, checks with full_clean, runs in one transaction and
records the audit. The rule deciding whether a write may be done lives here: the forms and the
import call the same checks (``base_errors``, ``payment_month_errors``).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from jiguan import audit, dates
from jiguan.dates import chinese_date
from jiguan.integrity import lock_row
from members.dues import rules, selectors
from members.dues.models import DuesBase, DuesClass, DuesPayment, PaymentKind
from members.dues.months import label, month_end, month_of, months_between
from members.models import Category, Member, MemberEvent, MemberEventKind, MemberVersion

CLASS_OF_CATEGORY = {Category.IN_SERVICE: DuesClass.IN_SERVICE, Category.RETIRED: DuesClass.RETIRED}
# A payment of this code asks the user to confirm an amount far above the due.
CONFIRM_CODE = "confirm_large_amount"


def _raise(errors):
    if errors:
        raise ValidationError(errors)


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return "invalid"
    return number if number.is_finite() else "invalid"


# --- bases ---------------------------------------------------------------------------------------


def default_class(member: Member) -> str:
    """在职 or 离退休 from the member's 人员类别; none for 其他 (the class must be given)."""
    return CLASS_OF_CATEGORY.get(member.category, "")


def base_errors(*, member: Member, start_month, base, dues_class) -> dict:
    """Errors (field -> Chinese message) of a base: the start month, the amount, the class."""
    errors = {}
    if start_month is None:
        errors["start_month"] = "请填写起始月份。"
    else:
        admitted = month_of(member.admitted_on)
        if start_month < admitted:
            errors["start_month"] = f"起始月份不能早于入党月份（{label(admitted)}）。"
        elif member.left_on is not None and start_month > month_of(member.left_on):
            errors["start_month"] = (
                f"起始月份不能晚于离开党员名册的月份（{label(month_of(member.left_on))}）。"
            )
    amount = _decimal(base)
    if amount is None:
        errors["base"] = "请填写缴费基数。"
    elif amount == "invalid":
        errors["base"] = f"缴费基数应为金额（元），现为“{base}”。"
    elif amount < 0:
        errors["base"] = "缴费基数不能为负数。"
    elif amount.as_tuple().exponent < -2:
        errors["base"] = "缴费基数最多保留两位小数（分）。"
    elif amount > Decimal("1000000"):
        errors["base"] = "缴费基数超过每月100万元，请核对。"
    if not dues_class:
        errors["dues_class"] = "人员类别为“其他”的党员请选择缴费类别（学生、下岗失业或低保等）。"
    elif dues_class not in DuesClass.values:
        errors["dues_class"] = "请选择有效的缴费类别。"
    return errors


def _link_bases(member: Member):
    """Each base runs until the next one starts (`until_month`); the last runs on."""
    bases = list(DuesBase.objects.filter(member=member).order_by("start_month"))
    for base, following in zip(bases, [*bases[1:], None], strict=True):
        until = following.start_month if following else None
        if base.until_month != until:
            base.until_month = until
            base.save(update_fields=["until_month", "updated_at"])


@transaction.atomic
def base_set(*, actor, member: Member, start_month: datetime.date, base, dues_class: str = "") -> DuesBase:
    """Set the member's base from `start_month` on (typically each January, and whenever pay
    changes). A second base for the same month corrects the first (audited)."""
    lock_row(member)
    start_month = month_of(start_month) if start_month else None
    dues_class = dues_class or default_class(member)
    _raise(base_errors(member=member, start_month=start_month, base=base, dues_class=dues_class))
    amount = Decimal(str(base)).quantize(Decimal("0.01"))
    due = rules.monthly_due(amount, dues_class)
    existing = DuesBase.objects.filter(member=member, start_month=start_month).first()
    if existing is not None:
        before = audit.snapshot(existing)
        existing.base, existing.dues_class, existing.due = amount, dues_class, due
        existing.full_clean()
        existing.save()
        audit.record_update(actor, existing, before)
        record = existing
    else:
        record = DuesBase(member=member, start_month=start_month, base=amount, dues_class=dues_class, due=due)
        record.full_clean(exclude=["until_month"])
        record.save()
        audit.record_create(actor, record)
    _link_bases(member)
    record.refresh_from_db()
    return record


# --- payments ------------------------------------------------------------------------------------


def _organization_in(member: Member, month: datetime.date):
    """The member's organization at the end of `month` (None off the roster); a month after today
    is paid in advance to the organization the member belongs to now."""
    day = month_end(month)
    if day > dates.today() and member.left_on is None:
        return member.organization
    version = MemberVersion.objects.valid_on(day).filter(member=member).select_related("organization").first()
    return version.organization if version else None


def payment_month_errors(member: Member, month: datetime.date | None, field="month") -> dict:
    """A month the member can pay for: from the month of 入党日期, not after leaving the roster."""
    if month is None:
        return {field: "请填写所属月份。"}
    admitted = month_of(member.admitted_on)
    if month < admitted:
        return {field: f"所属月份不能早于入党日期所在月份（{label(admitted)}）。"}
    if member.left_on is not None and month_end(month) >= member.left_on:
        return {
            field: f"{member.name}已于{chinese_date(member.left_on)}离开党员名册，"
            f"{label(month)}不需交纳党费。"
        }
    return {}


def _amount_errors(amount, field="amount"):
    if amount == "invalid":
        return {field: "实交金额应为金额（元）。"}
    if amount is not None and amount <= 0:
        return {field: "实交金额应大于0元。"}
    if amount is not None and amount.as_tuple().exponent < -2:
        return {field: "实交金额最多保留两位小数（分）。"}
    if amount is not None and amount > Decimal("100000"):
        return {field: "实交金额超过10万元，请核对。"}
    return {}


@transaction.atomic
def payment_record(
    *,
    actor,
    member: Member,
    months: list[datetime.date],
    paid_on: datetime.date,
    amount=None,
    confirmed: bool = False,
    note: str = "",
) -> list[DuesPayment]:
    """Record what `member` paid on `paid_on` for each of `months` (several at once, in advance or
    in arrears; each payment belongs to the month it pays for). Each month gets `amount` when
    given, else what is still due that month; months already paid in full are skipped.

    An amount above CONFIRM_OVER_TIMES_DUE times a month's due is refused with code
    ``confirm_large_amount`` unless `confirmed`."""
    lock_row(member)
    if not months:
        raise ValidationError({"months": "请选择所属月份。"})
    if paid_on is None:
        raise ValidationError({"paid_on": "请填写交纳日期。"})
    if paid_on > dates.today():
        raise ValidationError({"paid_on": "交纳日期不能晚于今天。"})
    if paid_on < member.admitted_on:
        raise ValidationError({"paid_on": "交纳日期不能早于入党日期。"})
    amount = _decimal(amount)
    _raise(_amount_errors(amount))
    months = sorted({month_of(m) for m in months})
    for month in months:
        _raise(payment_month_errors(member, month, field="months"))
    facts = {row["month"]: row for row in selectors.month_facts(months, member_ids=[member.pk])}
    created = []
    for month in months:
        fact = facts.get(month)
        organization = _organization_in(member, month)
        if organization is None:
            raise ValidationError(
                {"months": f"{label(month)}月底{member.name}不在党员名册中，不需交纳党费。"}
            )
        due = fact["due"] if fact else None
        if fact and fact["settled"]:
            raise ValidationError({"months": f"{label(month)}的党费已在转入前交纳（交至年月）。"})
        if amount is None:
            if due is None:
                due = selectors.yuan(
                    selectors.base_in_force(member.pk, month).values_list("due", flat=True).first() or 0
                )
            if not due:
                raise ValidationError(
                    {"amount": f"{label(month)}没有缴费基数，请填写实交金额或先登记缴费基数。"}
                )
            owed = due - (fact["paid"] if fact else Decimal(0))
            if owed <= 0:
                continue
            paying = owed
        else:
            paying = amount.quantize(Decimal("0.01"))
            month_due = due or selectors.yuan(
                selectors.base_in_force(member.pk, month).values_list("due", flat=True).first() or 0
            )
            if month_due and paying > month_due * rules.confirm_factor() and not confirmed:
                message = (
                    f"{label(month)}实交{paying}元，超过应交{month_due}元的{rules.confirm_factor()}倍，"
                    "请核对；确属自愿多交，请勾选“确认金额无误”后再提交。"
                )
                raise ValidationError({"amount": ValidationError(message, code=CONFIRM_CODE)})
        payment = DuesPayment(
            member=member,
            organization=organization,
            month=month,
            amount=paying,
            paid_on=paid_on,
            kind=PaymentKind.PAID,
            note=note,
        )
        payment.full_clean()
        payment.save()
        audit.record_create(actor, payment)
        created.append(payment)
    if not created:
        raise ValidationError({"months": "所选月份的党费均已交清。"})
    return created


@transaction.atomic
def branch_pay_month(
    *, actor, organization, month: datetime.date, paid_on: datetime.date, member_ids=None
) -> list[DuesPayment]:
    """The whole branch (or the members of `member_ids`) paid `month` as due: each member with a
    base and something still owed that month gets a payment of what is owed. Members without a
    base are left for member-by-member entry."""
    month = month_of(month)
    if paid_on is None:
        raise ValidationError({"paid_on": "请填写交纳日期。"})
    if paid_on > dates.today():
        raise ValidationError({"paid_on": "交纳日期不能晚于今天。"})
    sheet = selectors.month_sheet(organization, month).filter(due__isnull=False, settled=False)
    if member_ids is not None:
        sheet = sheet.filter(pk__in=member_ids)
    payments = [
        DuesPayment(
            member=member,  # the instance: the audit names it without a query
            organization=organization,
            month=month,
            amount=member.due - member.paid,
            paid_on=paid_on,
            kind=PaymentKind.PAID,
        )
        for member in sheet
        if member.due - member.paid > 0
    ]
    for payment in payments:
        # The amounts are what is owed (> 0) and nothing is voided: the check constraints hold, and
        # validating them (and the two foreign keys, instances from the query) would cost queries
        # per member.
        payment.full_clean(exclude=["member", "organization"], validate_constraints=False)
    DuesPayment.objects.bulk_create(payments)
    audit.record_bulk_create(actor, payments)
    return payments


@transaction.atomic
def payment_void(*, actor, payment: DuesPayment, reason: str) -> DuesPayment:
    """Void a wrong payment (it stays, marked, with the reason; never deleted)."""
    lock_row(payment)
    if payment.voided_on is not None:
        raise ValidationError(f"该记录已于{chinese_date(payment.voided_on)}作废。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写作废原因。"})
    before = audit.snapshot(payment)
    payment.voided_on = dates.today()
    payment.void_reason = reason
    payment.full_clean()
    payment.save(update_fields=["voided_on", "void_reason"])
    audit.record_update(actor, payment, before)
    return payment


@transaction.atomic
def payment_correct(
    *, actor, payment: DuesPayment, amount, paid_on: datetime.date, reason: str, confirmed: bool = False
) -> DuesPayment:
    """Correct a payment: the wrong one is voided with `reason`, the right one recorded."""
    payment_void(actor=actor, payment=payment, reason=reason)
    return payment_record(
        actor=actor,
        member=payment.member,
        months=[payment.month],
        paid_on=paid_on,
        amount=amount,
        confirmed=confirmed,
        note=f"更正{payment.paid_on:%Y-%m-%d}的记录：{reason.strip()}",
    )[0]


# --- transfers -----------------------------------------------------------------------------------


def paid_until_errors(paid_until, field="dues_paid_until") -> dict:
    if paid_until is not None and paid_until > month_of(dates.today()).replace(year=dates.today().year + 1):
        return {field: "党费交至年月不能晚于明年本月。"}
    return {}


def record_transfer_in(*, actor, member: Member, date: datetime.date, paid_until: datetime.date | None):
    """A member transferred in with their dues paid up to `paid_until` (交至年月): the transfer
    event carries it, and the months from the arrival's month to it are settled (paid to the
    former organization: neither due nor paid here). Called inside the transfer's transaction."""
    if paid_until is None:
        return []
    paid_until = month_of(paid_until)
    _raise(paid_until_errors(paid_until))
    event = (
        MemberEvent.objects.filter(member=member, kind=MemberEventKind.TRANSFERRED_IN, date=date)
        .order_by("-id")
        .first()
    )
    if event is not None:
        event.dues_paid_until = paid_until
        event.save(update_fields=["dues_paid_until"])
    settled = []
    for month in months_between(month_of(date), paid_until):
        if month < month_of(member.admitted_on):
            continue
        payment = DuesPayment(
            member=member,
            organization=member.organization,
            month=month,
            amount=Decimal("0"),
            paid_on=date,
            kind=PaymentKind.CARRIED,
            note=f"转入前已交至{label(paid_until)}",
        )
        payment.full_clean()
        settled.append(payment)
    DuesPayment.objects.bulk_create(settled)
    audit.record_bulk_create(actor, settled)
    return settled


def default_paid_until(member: Member) -> datetime.date | None:
    """交至年月 for a transfer out: the last month of the member's unbroken settled run."""
    return selectors.paid_up_to(member)

"""Dues for the benchmark's synthetic county (reports.synthetic): a base for every member from
January of the first year (a raise in July of each year for one in ten), and a payment for every
month of every year on the roster, paid in the month, except one member in thirty who stops paying
in the last July and one in fifty who pays half of March. At county scale (12,000 members, five
years) that is about 720,000 payments, written in bulk without the audit (as a seed, not a use)."""

import datetime
import random
from decimal import Decimal

from jiguan import data_version
from members.dues import rules
from members.dues.models import DuesBase, DuesClass, DuesPayment, PaymentKind
from members.dues.months import month_end, months_between
from members.models import Category, Member

BATCH = 5000


def has_dues() -> bool:
    return DuesPayment.objects.exists()


def build(*, first_year: int, last_year: int, seed: int = 13) -> int:
    rng = random.Random(seed)
    members = list(
        Member.objects.filter(admitted_on__lte=datetime.date(last_year, 12, 31)).values_list(
            "pk", "organization_id", "category", "admitted_on", "left_on"
        )
    )
    bases, payments = [], []
    count = 0
    for pk, organization_id, category, admitted_on, left_on in members:
        dues_class = DuesClass.RETIRED if category == Category.RETIRED else DuesClass.IN_SERVICE
        if category == Category.OTHER:
            dues_class = DuesClass.STUDENT
        first = max(datetime.date(first_year, 1, 1), admitted_on.replace(day=1))
        amount = Decimal(rng.choice([2800, 3000, 4500, 5000, 6500, 8000, 10000, 12000]))
        raise_month = (
            datetime.date(last_year, 7, 1)
            if pk % 10 == 0 and first < datetime.date(last_year, 7, 1)
            else None
        )
        dues = {}
        start_dues = rules.monthly_due(amount, dues_class)
        if raise_month:
            bases.append(
                DuesBase(
                    member_id=pk,
                    start_month=first,
                    until_month=raise_month,
                    dues_class=dues_class,
                    base=amount,
                    due=start_dues,
                )
            )
            raised = amount + 1000
            bases.append(
                DuesBase(
                    member_id=pk,
                    start_month=raise_month,
                    dues_class=dues_class,
                    base=raised,
                    due=rules.monthly_due(raised, dues_class),
                )
            )
            dues[raise_month] = rules.monthly_due(raised, dues_class)
        else:
            bases.append(
                DuesBase(member_id=pk, start_month=first, dues_class=dues_class, base=amount, due=start_dues)
            )
        due = start_dues
        for month in months_between(first, datetime.date(last_year, 12, 1)):
            end = month_end(month)
            if left_on and left_on <= end:
                break
            due = dues.get(month, due)
            if pk % 30 == 0 and month >= datetime.date(last_year, 7, 1):
                continue
            paid = due / 2 if pk % 50 == 0 and month.month == 3 else due
            payments.append(
                DuesPayment(
                    member_id=pk,
                    organization_id=organization_id,
                    month=month,
                    amount=paid.quantize(Decimal("0.01")),
                    paid_on=end,
                    kind=PaymentKind.PAID,
                )
            )
            if len(payments) >= BATCH:
                DuesPayment.objects.bulk_create(payments)
                count += len(payments)
                payments = []
        if len(bases) >= BATCH:
            DuesBase.objects.bulk_create(bases)
            bases = []
    DuesBase.objects.bulk_create(bases)
    DuesPayment.objects.bulk_create(payments)
    data_version.bump()  # written in bulk, without the signals that give the records a new version
    return count + len(payments)

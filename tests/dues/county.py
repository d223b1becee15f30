"""A county whose 2025 dues are counted by hand (issue 13, "Done when").

branch_a (all paid in full, 3827.40 due):
  a1 在职 3000.00 → 15.00 × 12 = 180.00      a2 在职 3000.01 → 30.00 × 12 = 360.00
  a3 在职 5000    → 50.00 × 12 = 600.00      a4 在职 5000.01 → 75.00 × 12 = 900.00
  r1 离退休 5000  → 25.00 × 12 = 300.00      r2 离退休 5000.01 → 50.00 × 12 = 600.00
  s1 学生          →  0.20 × 12 =   2.40
  c1 在职 4000 Jan–Jun (40.00), 6000 from July (90.00): 6 × 40 + 6 × 90 = 780.00
  n1 admitted 10 June 2025, 3000 → 15.00 × 7 (June–December) = 105.00
branch_b (4740.00 due, 4642.50 paid):
  b1 在职 10000    → 150.00 × 12 = 1800.00    b2 在职 10000.01 → 200.00 × 12 = 2400.00
  late  3000: January–June paid in 2025, July–December paid on 15 January 2026 (180.00 paid,
        but on 31 December nothing paid for July–December: in arrears, six months unpaid)
  six   3000: January–June paid, July–December never (90.00 paid)
  half  3000: every month paid, March only 7.50 (172.50 paid)
  nobase no base at all: owes nothing counted (listed by the readiness check)

Committee 2025: due 3827.40 + 4740.00 = 8567.40; paid 8567.40 − 90.00 − 7.50 = 8469.90;
rate 8469.90 / 8567.40 = 98.862 % → 98.9; in arrears late, six, half = 3; six months unpaid late, six = 2.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from members.dues import services
from members.dues.models import DuesClass
from members.dues.months import months_between
from members.models import Category
from tests.factories import MemberFactory

M = datetime.date
YEAR = 2025
ALL_YEAR = months_between(M(2025, 1, 1), M(2025, 12, 1))
H1 = ALL_YEAR[:6]
H2 = ALL_YEAR[6:]
IN_TIME = M(2025, 12, 20)
ADMITTED = M(2010, 3, 1)
JANUARY = M(2025, 1, 1)

EXPECTED = {
    "dues_due_yuan": Decimal("8567.40"),
    "dues_paid_yuan": Decimal("8469.90"),
    "dues_paid_percent": Decimal("98.9"),
    "dues_members_in_arrears": 3,
    "dues_members_six_months_unpaid": 2,
}
EXPECTED_BRANCH_A = {
    "dues_due_yuan": Decimal("3827.40"),
    "dues_paid_yuan": Decimal("3827.40"),
    "dues_paid_percent": Decimal("100.0"),
    "dues_members_in_arrears": 0,
    "dues_members_six_months_unpaid": 0,
}
EXPECTED_BRANCH_B = {
    "dues_due_yuan": Decimal("4740.00"),
    "dues_paid_yuan": Decimal("4642.50"),
    "dues_paid_percent": Decimal("97.9"),  # 97.943…
    "dues_members_in_arrears": 3,
    "dues_members_six_months_unpaid": 2,
}


def build(actor, branch_a, branch_b) -> SimpleNamespace:
    built = SimpleNamespace(branch_a=branch_a, branch_b=branch_b)

    def member(
        name,
        organization,
        base,
        *,
        category=Category.IN_SERVICE,
        dues_class="",
        admitted=ADMITTED,
        start=JANUARY,
        **extra,
    ):
        m = MemberFactory(
            name=name, organization=organization, category=category, admitted_on=admitted, **extra
        )
        if base is not None:
            services.base_set(actor=actor, member=m, start_month=start, base=base, dues_class=dues_class)
        setattr(built, name, m)
        return m

    def pay(m, months, paid_on=IN_TIME, amount=None):
        services.payment_record(actor=actor, member=m, months=months, paid_on=paid_on, amount=amount)

    for name, base in (("a1", "3000.00"), ("a2", "3000.01"), ("a3", "5000"), ("a4", "5000.01")):
        pay(member(name, branch_a, base), ALL_YEAR)
    pay(member("r1", branch_a, "5000", category=Category.RETIRED), ALL_YEAR)
    pay(member("r2", branch_a, "5000.01", category=Category.RETIRED), ALL_YEAR)
    pay(member("s1", branch_a, "0", category=Category.OTHER, dues_class=DuesClass.STUDENT), ALL_YEAR)
    c1 = member("c1", branch_a, "4000")
    services.base_set(actor=actor, member=c1, start_month=M(2025, 7, 1), base="6000")
    pay(c1, ALL_YEAR)
    n1 = member("n1", branch_a, "3000", admitted=M(2025, 6, 10), start=M(2025, 6, 1), status="PROBATIONARY")
    pay(n1, months_between(M(2025, 6, 1), M(2025, 12, 1)))

    pay(member("b1", branch_b, "10000"), ALL_YEAR)
    pay(member("b2", branch_b, "10000.01"), ALL_YEAR)
    late = member("late", branch_b, "3000")
    pay(late, H1)
    pay(late, H2, paid_on=M(2026, 1, 15))
    pay(member("six", branch_b, "3000"), H1)
    half = member("half", branch_b, "3000")
    pay(half, [m for m in ALL_YEAR if m.month != 3])
    pay(half, [M(2025, 3, 1)], amount="7.50")
    member("nobase", branch_b, None)
    return built

"""The dues rules of DOMAIN.md (中组发〔2008〕3号), as named settings (``settings.PARTY_DUES``).

The monthly due follows from the base and the dues class in force that month:

- in service (base = fixed monthly after-tax pay): up to and including 3000 yuan 0.5 %, up to and
  including 5000 1 %, up to and including 10000 1.5 %, above 2 %;
- retired (base = pension): up to and including 5000 0.5 %, above 1 %;
- students, laid-off members and members on relief: a fixed 0.2 yuan;

rounded half up to ``ROUNDING`` (0.01 yuan; peers round to 0.1).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from members.dues.models import FIXED_CLASSES, DuesClass


def rules():
    return settings.PARTY_DUES


def rounding() -> Decimal:
    return Decimal(str(rules()["ROUNDING"]))


def rate(base: Decimal, dues_class: str) -> Decimal | None:
    """The rate for `base` in `dues_class` (None for the fixed classes)."""
    if dues_class in FIXED_CLASSES:
        return None
    table = rules()["RETIRED_RATES"] if dues_class == DuesClass.RETIRED else rules()["IN_SERVICE_RATES"]
    for up_to, value in table:
        if up_to is None or base <= Decimal(str(up_to)):
            return Decimal(str(value))
    raise ValueError("PARTY_DUES rates must end with an open bracket (None)")


def monthly_due(base: Decimal | None, dues_class: str) -> Decimal:
    """The monthly due by the rules, rounded half up to ``ROUNDING``."""
    if dues_class in FIXED_CLASSES:
        return Decimal(str(rules()["FIXED_MONTHLY"])).quantize(Decimal("0.01"))
    base = Decimal(base or 0)
    due = (base * rate(base, dues_class)).quantize(rounding(), rounding=ROUND_HALF_UP)
    return due.quantize(Decimal("0.01"))


def confirm_factor() -> int:
    """A month's payment above this many times its due asks for confirmation."""
    return int(rules()["CONFIRM_OVER_TIMES_DUE"])


def warning_months() -> int:
    """Months in a row unpaid that raise the 自行脱党 warning (never a removal)."""
    return int(rules()["UNPAID_WARNING_MONTHS"])

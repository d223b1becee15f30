"""Party dues (党费): dated bases, payments by month, arrears and the transfers' 交至年月.

- ``models``: ``DuesBase`` (a member's base and dues class from a month on; its ``due`` is the
  monthly due by the rules, stored when the base is set) and ``DuesPayment`` (money paid for one
  month, or a month settled at the member's former organization before a transfer in).
- ``rules``: the rates, thresholds and rounding, read from ``settings.PARTY_DUES``.
- ``services``: the writes (keyword-only, full_clean, atomic, audited). A payment is corrected by
  voiding it with a reason (and recording the right one), never deleted.
- ``selectors``: the month of a branch, arrears, the six-months-unpaid warning, member months.

The models live in this package and are registered through ``members.models`` (bottom import), so
their migrations are the members app's.
"""

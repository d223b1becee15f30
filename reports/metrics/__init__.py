"""The numbers of the annual summary (METRICS.md): one registry, read by everything that shows one.

- ``scope``: R and Y, and which organizations are "S" on each day (``ReportScope``);
- ``sources``: the named querysets metrics aggregate over (``@source``);
- ``registry``: ``Metric``, the decorators that declare a metric (its definition, what it needs, how
  its records are listed) and ``compute_all``, one aggregate query per source;
- the metrics, one module per section of METRICS.md, in its order (below);
- ``breakdowns``: grouped counts beyond the seed (workbook, dashboard).

A new domain (dues, integrity work, evaluations) adds its sources and metrics in one module of this
package, imported below at its place in METRICS.md: the import registers them, in order.
"""

# The sections, in METRICS.md's order (then docs/metrics-organizations.md): importing registers them.
from reports.metrics import annual_summary, organization_report  # noqa: E402, I001  (order matters)
from reports.metrics import dues  # noqa: E402, I001  (METRICS.md "Beyond the seed's blanks", after them)

# METRICS.md's "Beyond the seed's blanks", after the rows above (the 指标 sheet keeps this order).
from reports.metrics import integrity  # noqa: E402, I001, F401
from reports.metrics.registry import (
    LIST_PLACEHOLDERS,
    NO_RECORDS,
    REGISTRY,
    Metric,
    NoRecords,
    compute_all,
    compute_last_year,
    metric_codes,
    metric_records,
)
from reports.metrics.scope import FIRST_YEAR, ReportScope, year_out_of_range_message, year_range

__all__ = [
    "FIRST_YEAR",
    "LIST_PLACEHOLDERS",
    "NO_RECORDS",
    "REGISTRY",
    "Metric",
    "NoRecords",
    "ReportScope",
    "annual_summary",
    "compute_all",
    "dues",
    "compute_last_year",
    "metric_codes",
    "metric_records",
    "organization_report",
    "year_out_of_range_message",
    "year_range",
]

"""The registry: every metric, declared by its decorator, and computing them.

Each metric is a small named function registered with ``@metric``: its code, its Chinese label, its
definition for users (Chinese; the docstring is the definition for developers, word for word from
METRICS.md), what it needs and how its records are listed. A metric answers with a ``Q`` over the
rows of a *source* (``reports.metrics.sources``) and an aggregate (count, distinct count, sum,
minimum), so the number and the list of records behind it (the drill-down, ``Metric.records``) come
from the same filter and cannot disagree. ``@derived`` metrics are computed from other metrics'
values (``needs``), ``@from_scope`` ones from what the scope computes once.

``compute_all(root, year)`` runs ONE aggregate query per source, whatever the data size, plus one
query for the subtree (see ``ReportScope.intervals``): a fixed number of queries (pinned in
tests/reports/test_metrics.py).
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Subquery, Sum

from organizations.models import Organization
from reports.metrics.cache import cached, stored
from reports.metrics.scope import ReportScope
from reports.metrics.sources import SOURCES, record_families

# How a metric lists its records when they are not its source's rows: (scope, the counted rows, or
# None for a metric without a source) → queryset.
RecordsFunction = Callable[[ReportScope, "QuerySet | None"], Any]


@dataclasses.dataclass
class Metric:
    code: str
    label: str
    doc: str
    # The definition in Chinese, as users read it (the workbook's 说明 column, the drill-down pages).
    definition: str
    kind: type  # int, Decimal or datetime.date
    source: str | None
    condition: Callable[[ReportScope], Q] | None
    aggregate: str = "count"  # count | distinct:<field> | sum:<field> | min:<field>
    convert: Callable[[Any], Any] | None = None
    derive: Callable[[dict], Any] | None = None
    # The metrics a derived metric is computed from.
    needs: tuple[str, ...] = ()
    records_function: RecordsFunction | None = None
    # Read from what the scope computed once (the 三会一课 record), not from a source.
    scope_function: Callable[[ReportScope], Any] | None = None
    # The sources whose records the number stands on, when it has no source of its own.
    presence: tuple[str, ...] = ()
    # A helper other metrics derive from: computed, never shown on its own (not in METRICS.md).
    helper: bool = False

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources whose records the number stands on (for "上年无记录")."""
        if self.source:
            return (self.source,)
        if self.derive:
            return tuple(sorted({REGISTRY[c].source for c in self.needs}))
        return self.presence

    def expression(self, scope: ReportScope):
        condition = self.condition(scope)
        how, _, field = self.aggregate.partition(":")
        if how == "count":
            return Count("pk", filter=condition)
        if how == "distinct":
            return Count(field, filter=condition, distinct=True)
        if how == "sum":
            return Sum(field, filter=condition)
        if how == "min":
            return Min(field, filter=condition)
        raise ValueError(self.aggregate)

    def finish(self, raw):
        if self.convert:
            return self.convert(raw)
        if self.kind is int:
            return int(raw or 0)
        return raw

    def compute(self, scope: ReportScope):
        """This metric alone (compute_all computes every metric of a source in one query)."""
        return compute_all(scope.root, scope.year, codes=[self.code], scope=scope)[self.code]

    def rows(self, scope: ReportScope) -> QuerySet:
        """The source's rows the number counts."""
        return SOURCES[self.source].rows(scope).filter(self.condition(scope))

    def records(self, scope: ReportScope):
        """The records behind the number (a queryset), for the drill-down."""
        if self.records_function:
            return self.records_function(scope, self.rows(scope) if self.source else None)
        if self.source is None:
            raise ValueError(f"{self.code} has no records")
        qs = self.rows(scope)
        details = SOURCES[self.source].details
        if details:
            qs = details(scope, qs)
        how, _, field = self.aggregate.partition(":")
        if how == "min":
            # The rows on the first date (a filter, not a slice: the drill-down table sorts it).
            first = qs.order_by(field).values(field)[:1]
            return qs.filter(**{field: Subquery(first)})
        return qs


class Percent(Decimal):
    """A rate in per cent kept to one decimal (党费交纳率 98.9): printed with one decimal."""


REGISTRY: OrderedDict[str, Metric] = OrderedDict()


def _registering(function_field: str, code: str, label: str, **fields):
    """The decorator registering a Metric whose `function_field` is the decorated function."""

    def register(function):
        if code in REGISTRY:
            raise ValueError(f"metric {code} registered twice")
        doc = (function.__doc__ or "").strip()
        REGISTRY[code] = Metric(code=code, label=label, doc=doc, **fields, **{function_field: function})
        return REGISTRY[code]

    return register


def metric(
    code: str,
    label: str,
    *,
    definition: str,
    source: str,
    aggregate: str = "count",
    kind: type = int,
    convert=None,
    records: RecordsFunction | None = None,
    helper: bool = False,
):
    """Register a metric: the function returns the Q selecting its rows of `source`."""
    return _registering(
        "condition",
        code,
        label,
        definition=definition,
        kind=kind,
        source=source,
        aggregate=aggregate,
        convert=convert,
        records_function=records,
        helper=helper,
    )


def derived(code: str, label: str, *, definition: str, needs: tuple[str, ...], records, kind: type = int):
    """Register a metric computed from the values of the metrics it `needs`."""
    fields = {"definition": definition, "kind": kind, "needs": tuple(needs), "records_function": records}
    return _registering("derive", code, label, source=None, condition=None, **fields)


def from_scope(code: str, label: str, *, definition: str, presence: str, records, kind: type = int):
    """Register a metric read from what the scope computes once (`presence`: the source whose
    records it stands on)."""
    fields = {"definition": definition, "kind": kind, "presence": (presence,), "records_function": records}
    return _registering("scope_function", code, label, source=None, condition=None, **fields)


def organizations_of_rows(scope: ReportScope, rows: QuerySet) -> QuerySet:
    """Records of a metric counting distinct organizations of its rows: those organizations."""
    return Organization.objects.filter(pk__in=rows.values("organization_id"))


def metric_codes() -> list[str]:
    """The codes of METRICS.md, in its order."""
    return [code for code, m in REGISTRY.items() if not m.helper]


# ---- list placeholders: names and numbers the text prints -----------------------------------------

LIST_PLACEHOLDERS: OrderedDict[str, tuple[str, Callable[[ReportScope], list[str]]]] = OrderedDict()


def list_placeholder(code: str, label: str):
    """Register a list the text prints (`{{ code }}`): the function returns its items for a scope."""

    def register(function):
        LIST_PLACEHOLDERS[code] = (label, function)
        return function

    return register


# ---- computing ----------------------------------------------------------------------------------


def compute_all(root: Organization, year: int, *, codes=None, scope: ReportScope | None = None) -> dict:
    """Every metric (or those of `codes`) for R and Y: one aggregate query per source, plus one for
    the subtree's stretches, one for members placed by their first organization (``membership_on``)
    and the two of the 三会一课 record. Returns {code: value} in registry order (helpers left out).

    Every metric at once is computed once per version of the records (reports.metrics.cache) and
    shared by the report, its files, the dashboard and the home page; `codes` alone are read from
    that computation when it is stored, else computed alone."""
    if codes is None:
        return dict(_every(root, year, scope)[0])
    every = stored("metrics", root.pk, year)
    if every is not None and all(code in every[0] for code in codes):
        return {code: every[0][code] for code in codes}
    return _compute(scope or ReportScope(root, year), codes)[0]


def _every(root: Organization, year: int, scope: ReportScope | None = None) -> tuple[dict, set[str]]:
    """Every metric of R and Y, and the sources with no rows at all in Y: computed once per version
    of the records, for the year's own report and as the comparison column of the next year's."""
    return cached("metrics", root.pk, year, lambda: _compute(scope or ReportScope(root, year), None))


def compute_last_year(root: Organization, year: int) -> dict:
    """Last year's values beside the report of `year`: compute_all for year − 1, where a metric whose
    records are all missing that year (no activity, no document, no member … at all, as before a
    county started using the system) is NO_RECORDS, so comparisons say 上年无记录, not "+388".

    Sources that read the same kind of record form a family (``@source(family=…)``): a year "has no
    records" of a kind when all of them are empty. So a year with members on the roster compares its
    0 admissions (a real 0), and a year with no activity at all says 无记录 for every number read
    from activities. Read from the same stored computation as that year's own report (compute_all):
    the warm run and a report with last year's beside it compute each year once."""
    values, empty = _every(root, year - 1)
    unrecorded = {name for family in record_families().values() for name in family if family <= empty}
    return {
        code: NO_RECORDS if any(name in unrecorded for name in REGISTRY[code].sources) else value
        for code, value in values.items()
    }


class NoRecords:
    """The value of a year with no records at all of the kind a metric counts."""

    def __str__(self):
        return "无记录"

    def __repr__(self):
        return "NO_RECORDS"

    def __reduce__(self):
        return "NO_RECORDS"  # unpickled (from the cache) as the one NO_RECORDS of this module


NO_RECORDS = NoRecords()


def _compute(scope: ReportScope, codes) -> tuple[dict, set[str]]:
    """(values, the sources with no rows at all in Y)."""
    wanted = list(codes) if codes is not None else list(REGISTRY)
    needed = set(wanted)
    for code in wanted:
        needed |= set(REGISTRY[code].needs)
    by_source: dict[str, list[Metric]] = {}
    for code, m in REGISTRY.items():
        if code in needed and m.source:
            by_source.setdefault(m.source, []).append(m)
    values: dict[str, Any] = {}
    empty: set[str] = set()
    for name, metrics in by_source.items():
        raw = SOURCES[name].aggregate(scope, metrics)
        if not raw["source_rows"]:
            empty.add(name)
        for m in metrics:
            values[m.code] = m.finish(raw[m.code])
    for code, m in REGISTRY.items():
        if code in needed and m.derive:
            values[code] = m.derive(values)
        elif code in needed and m.scope_function:
            values[code] = m.scope_function(scope)
    result = {
        code: values[code] for code, m in REGISTRY.items() if code in wanted and (not m.helper or codes)
    }
    return result, empty


def metric_records(code: str, root: Organization, year: int):
    """The records behind one metric for R and Y (queryset)."""
    return REGISTRY[code].records(ReportScope(root, year))

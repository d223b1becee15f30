"""Breakdowns beyond the seed (the workbook's sheets, the dashboard's charts): grouped counts over the
sources of the metrics, one grouped query each (the members' breakdowns one for them all)."""

from collections import defaultdict

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import ExtractYear

from activities.models import Activity, ActivityKind, HeldByMonth
from jiguan.dated import month_in_year
from members.models import Category, Gender, Status
from organizations.models import Kind
from reports.metrics.cache import per_scope
from reports.metrics.scope import ReportScope
from reports.metrics.sources import held_in_s_all_year, members_on_end, organizations_on_end

AGE_BANDS = [
    (None, 30, "30岁及以下"),
    (31, 40, "31至40岁"),
    (41, 50, "41至50岁"),
    (51, 60, "51至60岁"),
    (61, None, "61岁及以上"),
]


def _age_band_expression(year: int):
    # E is 31 December, so the age on E is Y minus the year of birth.
    whens = []
    for low, high, label in AGE_BANDS:
        condition = Q()
        if low is not None:
            condition &= Q(birth_year__lte=year - low)
        if high is not None:
            condition &= Q(birth_year__gte=year - high)
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, output_field=CharField())


MEMBER_BREAKDOWNS = {
    "status": ("党员类别", dict(Status.choices)),
    "category": ("人员类别", dict(Category.choices)),
    "gender": ("性别", dict(Gender.choices)),
    "age_band": ("年龄段", {label: label for _, _, label in AGE_BANDS}),
    "education": ("学历", {}),
    "ethnicity": ("民族", {}),
}


# The columns of ``member_counts``: a member's status and category on E (the versions in force
# then), gender, age band, education and ethnicity.
MEMBER_COLUMNS = ("status", "category", "gender", "age_band", "education", "ethnicity")


@per_scope("members:counts")
def member_counts(scope: ReportScope) -> list[tuple]:
    """Members of S on E counted by every dimension of MEMBER_BREAKDOWNS at once, in one grouped
    query: [(status, category, gender, age band, education, ethnicity, count)], computed once per
    version of the records. Every breakdown of the members is summed from it: the report's two
    charts (drawn for the page and for the PDF), the workbook's four of 党员结构 and its category by
    status were seven passes over the members on E, each of which costs what finding them costs
    (about 60 ms at ten times the benchmark's county); the combinations are a few thousand rows."""
    rows = (
        members_on_end(scope)
        .order_by()
        .annotate(birth_year=ExtractYear("birth_date"))
        .annotate(age_band=_age_band_expression(scope.year))
        .values_list("status_then", "category_then", "gender", "age_band", "education", "ethnicity")
        .annotate(n=Count("pk"))
    )
    return [tuple(row) for row in rows]


def _counted(scope: ReportScope, *dimensions) -> dict:
    """{values of `dimensions`: members} summed from ``member_counts``."""
    indexes = [MEMBER_COLUMNS.index(dimension) for dimension in dimensions]
    counted = defaultdict(int)
    for row in member_counts(scope):
        counted[tuple(row[i] for i in indexes)] += row[-1]
    return counted


def members_by(scope: ReportScope, dimension: str) -> list[tuple[str, int]]:
    """Members of S on E counted by one dimension: [(label, count)], every label of a dimension with
    choices listed, the others (education, ethnicity) most first."""
    labels = MEMBER_BREAKDOWNS[dimension][1]
    counted = {key: n for (key,), n in _counted(scope, dimension).items()}
    if dimension == "age_band":
        return [(label, counted.get(label, 0)) for _, _, label in AGE_BANDS]
    if labels:
        return [(labels[key], counted.get(key, 0)) for key in labels]
    return sorted(((key or "未填写", n) for key, n in counted.items()), key=lambda kv: (-kv[1], kv[0]))


def members_by_category_and_status(scope: ReportScope) -> list[tuple[str, str, int]]:
    counted = _counted(scope, "category", "status")
    return [
        (category_label, status_label, counted.get((category, status), 0))
        for category, category_label in Category.choices
        for status, status_label in Status.choices
    ]


def organizations_by_kind(scope: ReportScope) -> list[tuple[str, int]]:
    """Organizations of S on E (R left out) by kind, every kind listed."""
    rows = organizations_on_end(scope).order_by().values("kind").annotate(n=Count("pk"))
    counted = {r["kind"]: r["n"] for r in rows}
    return [(label, counted.get(kind, 0)) for kind, label in Kind.choices if kind != Kind.WORKING_COMMITTEE]


def activities_by_kind_and_month(scope: ReportScope) -> list[tuple[str, list[int]]]:
    """Activities in S in Y: [(kind label, [count of month 1..12])], every kind listed. Read as
    compute_all reads their numbers: the organizations in S all year from the activities counted as
    they are written (activities.held), the others' activities while they were in S counted here (a
    second query, only when there are such organizations)."""
    counted = {kind: [0] * 12 for kind in ActivityKind.values}
    held = (
        held_in_s_all_year(scope)
        .values("kind")
        .annotate(**{month: Sum(month) for month in HeldByMonth.MONTHS})
        .values_list("kind", *HeldByMonth.MONTHS)
        .order_by()
    )
    for kind, *months in held:
        counted[kind] = [a + b for a, b in zip(counted[kind], months, strict=True)]
    for_part = scope.in_s_for_part("organization_id", "date")
    if for_part is not None:
        rows = (
            Activity.objects.filter(for_part)
            .annotate(month=month_in_year("date", scope.year))
            .values_list("kind", "month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for kind, month, n in rows:
            counted[kind][month - 1] += n
    return [(label, counted[kind]) for kind, label in ActivityKind.choices]

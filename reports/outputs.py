"""The annual summary in its three forms: web page (HTML), PDF (GB/T 9704) and Excel workbook.

All three read the same things: the year's text (reports.selectors.annual_report_for), the values of
its placeholders (the metrics registry) and last year's values. The rows of each workbook sheet are
built apart from the file format (``workbook_sheets``), then written by jiguan.xlsx_writer, the
one writer of .xlsx files.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re

from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from activities import rhythm
from jiguan.xlsx_writer import Sheet, write_workbook
from organizations.models import EventKind, Organization
from reports import charts, metrics
from reports.metrics import REGISTRY, ReportScope, breakdowns, metric_codes, sources
from reports.metrics import dues as dues_metrics
from reports.metrics.cache import cached
from reports.models import AnnualReport
from reports.placeholders import Block, blocks, blocks_html, format_value
from reports.selectors import annual_report_for, placeholder_values

MONTHS = [f"{m}月" for m in range(1, 13)]


@dataclasses.dataclass
class Summary:
    organization: Organization
    year: int
    report: AnnualReport
    values: dict
    previous: dict
    blocks: list[Block]
    scope: ReportScope

    @property
    def title(self) -> str:
        return self.report.title


def render_file(organization: Organization, year: int, file_format: str) -> bytes:
    """The summary of `organization` and `year` as a file: pdf, xlsx or html (the page's downloads,
    `annual_report`, the zip of every summary). Made once per version of the records and of the
    summary's text (the text is not among the records the version follows: its title and text
    are part of the key)."""
    report = annual_report_for(organization, year)
    text = _text_key(report)

    def render() -> bytes:
        summary = build_summary(organization, year, report=report)
        if file_format == "pdf":
            return pdf_bytes(summary)
        if file_format == "xlsx":
            return workbook_bytes(summary)
        return html_document(summary).encode("utf-8")

    return cached(f"file:{file_format}:{text}", organization.pk, year, render)


def page_body(organization: Organization, year: int) -> tuple[AnnualReport, str]:
    """The summary (its title) and the report page below its buttons: the text with each number
    linked to its records, the figures, the 指标一览 table. Made once per version of the records and
    of the summary's text, like the files; the same for everyone who may see the report."""
    report = annual_report_for(organization, year)

    def render() -> str:
        summary = build_summary(organization, year, report=report)
        context = {
            "summary": summary,
            "body": mark_safe(linked_body(summary)),  # noqa: S308 - user text escaped in blocks_html
            "figures": summary_figures(summary),
            "indicators": page_indicator_rows(summary),
        }
        return render_to_string("reports/_report_body.html", context)

    return report, mark_safe(cached(f"page:{_text_key(report)}", organization.pk, year, render))  # noqa: S308


def _text_key(report: AnnualReport) -> str:
    return hashlib.sha256(f"{report.title}\n{report.text}".encode()).hexdigest()[:16]


def page_indicator_rows(summary: Summary) -> list[dict]:
    """The page's 指标一览 table: each number and last year's, formatted, each linked to its records."""
    last_year = summary.year - 1
    rows = []
    for code in metric_codes():
        previous = summary.previous.get(code)
        previous_url = (
            reverse("reports:records", args=[summary.organization.pk, last_year, code])
            if last_year in metrics.year_range() and not isinstance(previous, metrics.NoRecords)
            else ""
        )
        rows.append(
            {
                "code": code,
                "metric": REGISTRY[code],
                "value": format_value(summary.values[code]),
                "url": reverse("reports:records", args=[summary.organization.pk, summary.year, code]),
                "previous": format_value(previous),
                "previous_url": previous_url,
            }
        )
    return rows


def build_summary(organization: Organization, year: int, *, report: AnnualReport | None = None) -> Summary:
    report = report or annual_report_for(organization, year)
    scope = ReportScope(organization, year)
    values = placeholder_values(scope)
    previous = metrics.compute_last_year(organization, year)
    return Summary(organization, year, report, values, previous, blocks(report.text, values, previous), scope)


@dataclasses.dataclass
class Figure:
    number: int
    title: str
    svg: str

    @property
    def caption(self) -> str:
        return f"图{self.number} {self.title}"


def summary_figures(summary: Summary) -> list[Figure]:
    """The dashboard's charts (reports.charts) as the report's numbered figures (附图), drawn
    without their own title: the caption carries it. Six queries (four with the rhythm table
    already read for the workbook)."""
    svgs = charts.charts_for(summary.scope, for_document=True)
    return [
        Figure(number, charts.CHART_TITLES[name], svg) for number, (name, svg) in enumerate(svgs.items(), 1)
    ]


def preview_blocks(organization: Organization, year: int, text: str) -> list[Block]:
    values = placeholder_values(ReportScope(organization, year))
    return blocks(text, values)


# ---- HTML ----------------------------------------------------------------------------------------


def drill_url(organization: Organization, year: int, code: str) -> str:
    return reverse("reports:records", args=[organization.pk, year, code])


def linked_body(summary: Summary) -> str:
    """The body with every number linked to its records and last year's value beside it."""

    def link(piece, text):
        if piece.code not in REGISTRY:
            return f'<span class="metric-list" data-code="{piece.code}">{text}</span>'
        label = escape(REGISTRY[piece.code].label)
        last = escape(piece.previous)
        return (
            f'<a class="metric" data-code="{piece.code}" href="{drill_url(summary.organization, summary.year, piece.code)}"'
            f' title="{label}；上年：{last}">{text}</a>'
            f'<small class="text-secondary metric-previous">（上年{last}）</small>'
        )

    return blocks_html(summary.blocks, link)


def html_document(summary: Summary) -> str:
    """A standalone HTML file of the summary (the command's --format html)."""
    return render_to_string(
        "reports/summary_document.html",
        {
            "summary": summary,
            "body": mark_safe(linked_body(summary)),  # noqa: S308 - escaped in blocks_html
            "figures": summary_figures(summary),
        },
    )


# ---- PDF -----------------------------------------------------------------------------------------


def svg_image(svg: str) -> str:
    """An SVG drawing as an <img> with a data: URL. WeasyPrint draws it as SVG all the same (text
    in embedded fonts), but does not run the document's cascade over its ~1,000 elements: the
    report with its five figures renders in 0.36 s instead of 0.45 s at the benchmark scale."""
    data = base64.b64encode(str(svg).encode("utf-8")).decode("ascii")
    return mark_safe(f'<img class="chart" alt="" src="data:image/svg+xml;base64,{data}">')  # noqa: S308


# Full-width characters of the 2号 title on the 156 mm line of GB/T 9704 (22 pt each).
TITLE_LINE = 20
YEAR_SUFFIX = re.compile(r"\d{4}年[^\d]{0,10}$")


def title_lines(title: str) -> list[str]:
    """The title in lines. GB/T 9704 wants a long title broken where the words allow: before
    "2025年工作总结", so a branch's long name never leaves 结 alone on the second line."""
    match = YEAR_SUFFIX.search(title)
    if len(title) <= TITLE_LINE or not match or match.start() == 0:
        return [title]
    return [title[: match.start()], title[match.start() :]]


def pdf_bytes(summary: Summary) -> bytes:
    from jiguan.pdf import official_css, render_pdf

    figures = [dataclasses.replace(f, svg=svg_image(f.svg)) for f in summary_figures(summary)]

    page = render_to_string(
        "reports/pdf/summary.html",
        {
            "css": official_css(),
            "title": summary.title,
            "title_lines": title_lines(summary.title),
            # blocks_html escapes every run of user text; only our own tags remain.
            "body": mark_safe(blocks_html(summary.blocks)),  # noqa: S308
            "figures": figures,
        },
    )
    return render_pdf(page)


# ---- workbook ------------------------------------------------------------------------------------


def _cell_value(value):
    if isinstance(value, metrics.NoRecords):
        return str(value)  # 上年 无记录: last year has no records of the kind
    return value


def indicator_rows(summary: Summary) -> list[list]:
    """The 指标 sheet (WORKBOOK.md): 代码 | 名称 | 数值 | 上年 | 说明, in METRICS.md order, then the
    numbers of docs/metrics-organizations.md. 上年 reads 无记录 where last year has no records of
    the kind (metrics.compute_last_year)."""
    return [
        [
            code,
            REGISTRY[code].label,
            _cell_value(summary.values[code]),
            _cell_value(summary.previous.get(code)),
            REGISTRY[code].definition,
        ]
        for code in metric_codes()
    ]


def organization_changes(scope: ReportScope) -> list[list]:
    """The year's events of organizations that were in S, and foundings/dissolutions recorded only
    as dates on the organization (two queries)."""
    events = list(
        sources.organization_events(scope)
        .select_related("organization", "old_parent", "new_parent", "merged_into")
        .order_by("date", "id")
    )
    recorded = {(e.organization_id, e.kind) for e in events}
    rows = [
        [
            e.date,
            e.organization.name,
            e.get_kind_display(),
            e.old_name,
            e.new_name,
            e.old_parent.name if e.old_parent else "",
            (e.new_parent or e.merged_into).name if (e.new_parent or e.merged_into) else "",
            e.document_number,
        ]
        for e in events
    ]
    changed = sources.organizations_changed(scope).filter(Q(founded_in_year=1) | Q(dissolved_in_year=1))
    for o in changed:
        if o.founded_in_year and (o.pk, EventKind.FOUNDED) not in recorded:
            rows.append([o.founded_on, o.name, EventKind.FOUNDED.label, "", "", "", "", ""])
        if o.dissolved_in_year and (o.pk, EventKind.DISSOLVED) not in recorded:
            rows.append([o.dissolved_on, o.name, EventKind.DISSOLVED.label, "", "", "", "", ""])
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows


RHYTHM_HEADERS = ["党支部", "活动类型", *MONTHS, "合计", "要求", "已开展", "缺项", "缺项期间"]


def rhythm_rows(scope: ReportScope) -> list[list]:
    """The 三会一课 sheet: one row per branch and required kind of activities.rhythm (the same
    table as the rhythm page and the dashboard's chart, read on ``scope.rhythm_day``): the count of
    each month, then the requirement, how many of its periods were held, how many are missing and
    which. Branches in the rhythm's order, worst first."""
    rows = []
    for branch in scope.rhythm:
        for row in branch.rows:
            missing = [period.label for period in row.missing_periods]
            rows.append(
                [
                    branch.organization.name,
                    row.requirement.label,
                    *row.months,
                    sum(row.months),
                    rhythm.FREQUENCY_LABELS[row.requirement.frequency],
                    row.held,
                    len(missing),
                    "、".join(missing),
                ]
            )
    return rows


def workbook_sheets(summary: Summary) -> list[Sheet]:
    scope = summary.scope
    sheets = [
        Sheet("指标", ["代码", "名称", "数值", "上年", "说明"], indicator_rows(summary)),
        Sheet(
            "党组织按类别", ["组织类别", "个数"], [list(r) for r in breakdowns.organizations_by_kind(scope)]
        ),
        Sheet(
            "党员按类别和状态",
            ["人员类别", "党员类别", "人数"],
            [list(r) for r in breakdowns.members_by_category_and_status(scope)],
        ),
        Sheet(
            "党员结构",
            ["维度", "分类", "人数"],
            [
                [breakdowns.MEMBER_BREAKDOWNS[dimension][0], label, n]
                for dimension in ("gender", "age_band", "education", "ethnicity")
                for label, n in breakdowns.members_by(scope, dimension)
            ],
        ),
        Sheet(
            "活动按类型和月份",
            ["活动类型", *MONTHS, "合计"],
            [
                [label, *counts, sum(counts)]
                for label, counts in breakdowns.activities_by_kind_and_month(scope)
            ],
        ),
        Sheet("三会一课", RHYTHM_HEADERS, rhythm_rows(scope)),
        Sheet(
            "组织变动",
            ["日期", "党组织", "事项", "原名称", "新名称", "原上级组织", "新上级组织", "文号"],
            organization_changes(scope),
        ),
        Sheet(
            "表彰",
            ["日期", "表彰类别", "受表彰对象", "方式", "推荐至", "文号"],
            [
                [
                    c.date,
                    c.get_kind_display(),
                    str(c.recipient_organization or c.member or c.person_name),
                    "向上推荐" if c.recommended else "工委表彰",
                    c.higher_body,
                    c.document_number,
                ]
                for c in sources.commendations_of_root(scope).order_by("date", "id")
            ],
        ),
        Sheet(
            "纪念章",
            ["姓名", "所在党组织", "颁发日期", "颁发单位"],
            [
                [m.member.name, m.member.organization.name, m.awarded_on, m.awarded_by.name]
                for m in sources.medals_in_s(scope)
                .select_related("member__organization")
                .order_by("awarded_on")
            ],
        ),
    ]
    sheets.append(Sheet("党费收缴", dues_metrics.WORKBOOK_HEADERS, dues_metrics.rows_by_organization(scope)))
    return sheets


def workbook_bytes(summary: Summary) -> bytes:
    return write_workbook(workbook_sheets(summary))


def formatted(value) -> str:
    return format_value(value)

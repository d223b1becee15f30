"""Charts of the dashboard and the annual report, drawn on the server as SVG by pygal.

Each chart is one function taking rows already counted (by reports.metrics breakdowns or
activities.rhythm) and returning inline SVG markup: no JavaScript, no external reference (the
intranet has no internet), Chinese labels in WenQuanYi Zen Hei (installed with the PDF fonts,
jiguan.pdf.FONT_PACKAGES). The same markup goes into the web page and, through WeasyPrint, into
the PDF.

    organizations_by_kind_chart(rows)   rows: [(kind label, count)]           bar
    members_by_category_chart(rows)     rows: [(category label, count)]       pie
    members_by_age_band_chart(rows)     rows: [(age band label, count)]       bar
    activities_by_month_chart(rows)     rows: [(kind label, [12 counts])]     stacked bar by month
    branch_rhythm_chart(table)          table: activities.rhythm.rhythm_table  stacked bar by month

`charts_for(scope)` draws all five for a reports.metrics.ReportScope, once per version of the records. The annual
report's PDF and web page print them as numbered figures (reports.outputs.summary_figures).
"""

import re

import pygal
from django.utils.safestring import mark_safe
from pygal.style import Style

from activities import rhythm as rhythm_module

FONT_FAMILY = "WenQuanYi Zen Hei"
COLORS = ("#c0392b", "#e67e22", "#2980b9", "#27ae60", "#8e44ad", "#7f8c8d", "#d4ac0d")

STYLE = Style(
    font_family=FONT_FAMILY,
    background="white",
    plot_background="white",
    foreground="#333",
    foreground_strong="#111",
    foreground_subtle="#ccc",
    colors=COLORS,
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=12,
    tooltip_font_size=13,
    # pygal's default guides are black dashes, drawn over the (translucent) bars in print.
    guide_stroke_color="#ccc",
    major_guide_stroke_color="#ccc",
)

# Held, missing, not yet due: green, red, grey.
RHYTHM_STYLE = Style(**{**STYLE.to_dict(), "colors": ("#27ae60", "#c0392b", "#bdc3c7")})

MONTH_LABELS = [f"{m}月" for m in range(1, 13)]

# Groups of activity kinds for the month chart: fifteen series would not read.
THREE_MEETINGS_ONE_LECTURE = ("支部党员大会", "支部委员会", "党小组会", "党课")
THEME_DAY = "主题党日"

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# pygal gives every legend entry the same ids in every chart (for its script); several charts on
# one page would repeat them.
_LEGEND_ID = re.compile(r'\s+id="activate-serie-\d+"')


def _config(**options):
    defaults = {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 800,
        "height": 420,
        "legend_at_bottom": True,
        "print_values": True,
        "print_zeroes": False,
        "show_y_guides": True,
        "no_data_text": "暂无数据",
        "margin": 16,
    }
    defaults.update(options)
    return defaults


def render(chart):
    """The chart as inline SVG, with pygal's config script and comments removed."""
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", svg)
    svg = _COMMENT.sub("", svg)
    svg = _LEGEND_ID.sub("", svg)
    return mark_safe(svg)  # noqa: S308 -- markup made by pygal from labels it escapes itself


def organizations_by_kind_chart(rows, *, title="党组织按类别", **options):
    chart = pygal.Bar(**_config(title=title, show_legend=False, **options))
    chart.x_labels = [label for label, _ in rows]
    chart.add("个数", [count for _, count in rows])
    return render(chart)


def members_by_category_chart(rows, *, title="党员按人员类别", **options):
    chart = pygal.Pie(**_config(title=title, inner_radius=0.45, print_values=True, **options))
    for label, count in rows:
        chart.add(label, [{"value": count, "label": label}] if count else [])
    return render(chart)


def members_by_age_band_chart(rows, *, title="党员按年龄段", **options):
    chart = pygal.Bar(**_config(title=title, show_legend=False, **options))
    chart.x_labels = [label for label, _ in rows]
    chart.add("人数", [count for _, count in rows])
    return render(chart)


def activities_by_month_chart(rows, *, title="各月组织生活次数", **options):
    """Stacked by group of kinds: 三会一课, 主题党日, the rest."""
    groups = {"三会一课": [0] * 12, THEME_DAY: [0] * 12, "其他活动": [0] * 12}
    for label, months in rows:
        group = (
            "三会一课"
            if label in THREE_MEETINGS_ONE_LECTURE
            else THEME_DAY
            if label == THEME_DAY
            else "其他活动"
        )
        groups[group] = [a + b for a, b in zip(groups[group], months, strict=True)]
    chart = pygal.StackedBar(**_config(title=title, print_values=False, **options))
    chart.x_labels = MONTH_LABELS
    for group, months in groups.items():
        chart.add(group, months)
    return render(chart)


def rhythm_by_month(table):
    """For each month: (branches that held every monthly requirement, branches with one missing,
    branches not yet due), from a rhythm_table: each branch's month as
    ``BranchRhythm.month_statuses`` says (4,412 branches × 12 months at ten times the benchmark's
    county, read without making their rows)."""
    held, missing, pending = [0] * 12, [0] * 12, [0] * 12
    counters = {rhythm_module.HELD: held, rhythm_module.MISSING: missing}
    for branch in table:
        for index, status in enumerate(branch.month_statuses()):
            if status != rhythm_module.NOT_REQUIRED:
                counters.get(status, pending)[index] += 1
    return held, missing, pending


def branch_rhythm_chart(table, *, title="党支部每月组织生活开展情况", **options):
    """How many branches held all their monthly activities (支委会, 党小组会, 主题党日) each month."""
    held, missing, pending = rhythm_by_month(table)
    chart = pygal.StackedBar(**_config(title=title, print_values=False, style=RHYTHM_STYLE, **options))
    chart.x_labels = MONTH_LABELS
    chart.add("按要求开展", held)
    chart.add("有缺项", missing)
    chart.add("未到期或进行中", pending)
    return render(chart)


CHART_TITLES = {
    "organizations_by_kind": "党组织按类别",
    "members_by_category": "党员按人员类别",
    "members_by_age_band": "党员按年龄段",
    "activities_by_month": "各月组织生活次数",
    "branch_rhythm": "党支部每月组织生活开展情况",
}


# A chart in a document (the report's 附图) is 156 mm wide: drawn 600 px wide, its 13 px labels
# print at about 9.5 pt. Its title is the figure's caption, so the drawing leaves it out.
DOCUMENT_OPTIONS = {"title": None, "width": 600, "height": 330}


def charts_for(scope, *, for_document=False):
    """Every chart for a ReportScope: {name: svg}, in CHART_TITLES order, drawn once per version
    of the records (reports.metrics.cache) and shared by the report page, its PDF and the dashboard.

    Computed: one grouped query per breakdown (the subtree's stretches are cached on the scope) and
    the rhythm (``scope.rhythm``, itself cached). ``for_document=True`` draws them for print
    (DOCUMENT_OPTIONS).
    """
    # The registry imports the app's models: charts stay importable early.
    from reports.metrics import breakdowns
    from reports.metrics.cache import cached

    def options(name):
        return dict(DOCUMENT_OPTIONS) if for_document else {"title": CHART_TITLES[name]}

    def draw():
        return {
            "organizations_by_kind": organizations_by_kind_chart(
                breakdowns.organizations_by_kind(scope), **options("organizations_by_kind")
            ),
            "members_by_category": members_by_category_chart(
                breakdowns.members_by(scope, "category"), **options("members_by_category")
            ),
            "members_by_age_band": members_by_age_band_chart(
                breakdowns.members_by(scope, "age_band"), **options("members_by_age_band")
            ),
            "activities_by_month": activities_by_month_chart(
                breakdowns.activities_by_kind_and_month(scope), **options("activities_by_month")
            ),
            "branch_rhythm": branch_rhythm_chart(scope.rhythm, **options("branch_rhythm")),
        }

    return cached("charts:document" if for_document else "charts:page", scope.root.pk, scope.year, draw)

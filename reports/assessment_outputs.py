"""The quantified assessment sheet (考核量化表) as files: an official PDF (GB/T 9704, through
jiguan.pdf like the annual summary) and a workbook (through reports.outputs.write_workbook). The
rows come from activities.evaluations.selectors.assessment_table; this module only lays them out."""

from django.template.loader import render_to_string

from jiguan.xlsx_writer import Sheet, write_workbook

# Above this many items the ranking prints the totals only (the items' columns would not fit the
# 156 mm of the text block); the sheet of items above it still lists every item.
ITEM_COLUMNS_PRINTED = 6


def assessment_title(table) -> str:
    sheet = table["sheet"]
    return f"{sheet.issuer.name}{sheet.year}年度{sheet.title}"


def assessment_pdf(table) -> bytes:
    from jiguan.pdf import official_css, render_pdf

    sheet = table["sheet"]
    item_columns = len(table["items"]) <= ITEM_COLUMNS_PRINTED
    # Rank, total and grade take 10 + 12 + 12 %; the items share what the name leaves (at least 30 %).
    item_width = min(10, 36 // max(1, len(table["items"]))) if item_columns else 0
    page = render_to_string(
        "reports/pdf/assessment.html",
        {
            "css": official_css(),
            "title": assessment_title(table),
            # The issuer on the first line, the sheet on the second, as official titles break.
            "title_lines": [sheet.issuer.name, f"{sheet.year}年度{sheet.title}"],
            "table": table,
            "item_columns": item_columns,
            "item_width": item_width,
            "name_width": 66 - item_width * len(table["items"]),
        },
    )
    return render_pdf(page)


def assessment_workbook(table) -> bytes:
    items = table["items"]
    item_sheet = Sheet(
        "考核项目",
        ["序号", "考核内容", "分值", "评分标准"],
        [[item.position, item.name, float(item.points), item.criteria] for item in items],
    )
    ranking = Sheet(
        "得分排名",
        [
            "名次",
            "考核对象",
            "所在党组织",
            *[f"{item.position}.{item.name}" for item in items],
            "总分",
            "等次",
        ],
        [
            [
                row["rank"],
                row["name"],
                row["organization"],
                *[float(s) if s is not None else None for s in row["scores"]],
                float(row["total"]),
                row["grade"],
            ]
            for row in table["rows"]
        ],
    )
    return write_workbook([ranking, item_sheet])

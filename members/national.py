"""The national roster: the member list as the national party member management system
(全国党员管理系统) writes it, read by the 党员 sheet, written by the export, compared by the
reconciliation.

Its exports name columns differently from WORKBOOK.md (身份证号码 for 公民身份号码, 入党时间 for
入党日期, …), and its 人员类别 holds 正式党员 / 预备党员 (jiguan's 党员类别) while the work category
sits in 工作岗位 (在岗职工, 离退休人员, …). `map_columns` reads a 党员 sheet's header either way,
deciding what 人员类别 means by its values.
"""

from __future__ import annotations

import dataclasses

from members.models import Category, Status

# Column names of the national system -> the 党员 sheet's (WORKBOOK.md).
ALIASES = {
    "身份证号码": "公民身份号码",
    "身份证号": "公民身份号码",
    "入党时间": "入党日期",
    "转正时间": "转正日期",
    "所在党支部": "所在党组织",
    "手机号码": "联系电话",
}
# The roster in the national system's column order (the export writes it; the 党员 sheet reads it).
NATIONAL_COLUMNS = (
    "姓名",
    "性别",
    "身份证号码",
    "出生日期",
    "民族",
    "籍贯",
    "学历",
    "学位",
    "所在党支部",
    "人员类别",
    "入党时间",
    "转正时间",
    "工作岗位",
    "联系电话",
    "现居住地",
    "是否失联党员",
    "是否流动党员",
)
STATUS_LABELS = {str(label) for label in Status.labels}
CATEGORY_LABELS = {str(label) for label in Category.labels}
# 工作岗位 values read as 人员类别 其他 (the rest but 离退休 are in service).
OTHER_POSTS = {"学生", "农牧渔民", "无固定职业人员", "下岗失业人员", "失业人员", "其他", "其他职业人员"}
YES, NO = "是", "否"


def work_category(post: str) -> str:
    """The 人员类别 label (在职, 离退休, 其他) of a national 工作岗位 value; "" when empty."""
    post = (post or "").strip()
    if not post:
        return ""
    if "退休" in post:
        return str(Category.RETIRED.label)
    if post in OTHER_POSTS:
        return str(Category.OTHER.label)
    return str(Category.IN_SERVICE.label)


def work_post_of(member) -> str:
    """The member's 工作岗位 as the national system writes it (kept, else from the 人员类别)."""
    if member.work_post:
        return member.work_post
    return {Category.IN_SERVICE: "在岗职工", Category.RETIRED: "离退休人员"}.get(member.category, "其他")


@dataclasses.dataclass
class Header:
    """A 党员 sheet's header read: the columns under the sheet's names, the columns computed from
    others, what was renamed (for the preview to say), whether the sheet is a national roster."""

    names: list
    derived: dict
    renamed: list
    national: bool
    ambiguous: str = ""  # the message when 人员类别 cannot be told apart


def map_columns(names: list, rows: list) -> Header:
    """Read the header `names` of a 党员 sheet whose data rows are `rows` (lists of cells)."""
    names = list(names)
    renamed = []
    for index, name in enumerate(names):
        if name in ALIASES and ALIASES[name] not in names:
            names[index] = ALIASES[name]
            renamed.append((name, ALIASES[name]))
    ambiguous = ""
    if "人员类别" in names:
        index = names.index("人员类别")
        values = {
            str(cells[index]).strip()
            for cells in rows
            if index < len(cells) and cells[index] is not None and str(cells[index]).strip()
        }
        if values & STATUS_LABELS and values & CATEGORY_LABELS:
            ambiguous = (
                "本列既有“正式党员”“预备党员”（全国党员管理系统中本列指党员类别），又有“在职”“离退休”“其他”，"
                "无法判断本列的含义，请分为“党员类别”（正式党员、预备党员）和“人员类别”（在职、离退休、其他）两列。"
            )
        elif values and values <= STATUS_LABELS:
            if "党员类别" in names:
                ambiguous = (
                    "本列填的是正式党员、预备党员，与“党员类别”列重复；人员类别应为在职、离退休或其他。"
                )
            else:
                names[index] = "党员类别"
                renamed.append(("人员类别", "党员类别"))
    derived = {}
    if "人员类别" not in names and "工作岗位" in names and not ambiguous:
        derived["人员类别"] = lambda values: work_category(str(values.get("工作岗位") or ""))
        renamed.append(("工作岗位", "人员类别"))
    national = bool(renamed) or any(name in ALIASES for name in names)
    return Header(names, derived, renamed, national, ambiguous)


def renamed_note(sheet_name: str, header: Header) -> str:
    parts = []
    for old, new in header.renamed:
        if old == "工作岗位":
            parts.append(
                "“人员类别”按“工作岗位”判断（离退休人员为离退休，学生、农牧渔民等为其他，其余为在职）"
            )
        else:
            parts.append(f"“{old}”列作“{new}”")
    return f"“{sheet_name}”表按全国党员管理系统的格式读取：{'，'.join(parts)}。"


def read_flag(row, column):
    """是 / 否 (empty: 否)."""
    text = row.text(column)
    if not text or text == NO:
        return False
    if text == YES:
        return True
    row.error(column, f"应为“是”或“否”，现为“{text}”。")
    return False


def roster_rows(members) -> list[list]:
    """The rows of the national roster export, in NATIONAL_COLUMNS order."""
    return [
        [
            m.name,
            m.get_gender_display(),
            m.id_number,
            m.birth_date,
            m.ethnicity,
            m.native_place,
            m.education,
            m.degree,
            m.organization.name,
            m.get_status_display(),
            m.admitted_on,
            m.confirmed_on,
            work_post_of(m),
            m.phone,
            m.residence,
            YES if m.lost_contact else NO,
            YES if m.floating else NO,
        ]
        for m in members
    ]

"""The import workbook's template and column guide: every sheet and column of WORKBOOK.md.

`SHEETS` transcribes the contract (tests/fixtures/WORKBOOK.md, checked by tests/jiguan/
test_import_template.py): each sheet with its columns, whether each is required, and a note saying
what to write. The upload page offers the template (`template_xlsx`: one sheet each, the headers in
row 1 with * on the required ones, the notes in row 2, which the import skips) and shows the same
notes as its column guide. A sheet no importer reads yet is marked as such in both.
"""

from dataclasses import dataclass

from jiguan import xlsx_writer
from jiguan.importing import NOTE_MARK, importers

DATE = "日期，如 2021-07-01、2021/7/1 或 2021年7月1日"
MONTH = "月份，如 2021-01、2021/1 或 2021年1月"
ID = "18位公民身份号码"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    note: str
    # An optional column jiguan reads beyond WORKBOOK.md's (the contract allows adding optional
    # columns): what a form asks that the contract's columns do not carry.
    added: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple
    key: str = ""


def _sheet(name, columns, key=""):
    return Sheet(name, tuple(Column(*column) for column in columns), key)


SHEETS = (
    _sheet(
        "党组织",
        [
            ("组织名称", True, "党组织名称；与未撤销的党组织不重名"),
            ("组织类别", True, "机关工委、机关党委、党总支部、党支部、机关纪委或党小组"),
            ("上级组织", False, "上级党组织名称（本表中或系统中已有）；只有根组织（机关工委）不填"),
            ("所在单位", False, "党组织所在的机关单位"),
            ("成立日期", True, DATE),
            ("撤销日期", False, "已撤销的填写撤销日期"),
        ],
        "组织名称",
    ),
    _sheet(
        "党员",
        [
            ("姓名", True, ""),
            ("性别", True, "男或女（须与公民身份号码一致）"),
            ("公民身份号码", True, ID + "，不重复"),
            ("出生日期", False, "不填则取自公民身份号码；填写须一致"),
            ("民族", False, "如 汉族"),
            ("学历", False, "如 大学本科"),
            ("所在党组织", True, "党组织名称"),
            ("人员类别", True, "在职、离退休或其他"),
            ("党员类别", True, "正式党员或预备党员"),
            ("入党日期", True, "支部接收为预备党员的日期"),
            ("转正日期", False, "正式党员必填，预备党员不填"),
            ("联系电话", False, ""),
            ("学位", False, "如 学士（全国党员管理系统的列）", True),
            ("籍贯", False, "如 广西桂林", True),
            ("工作岗位", False, "如 在岗职工、离退休人员", True),
            ("现居住地", False, "", True),
            ("是否失联党员", False, "是或否，不填为否", True),
            ("是否流动党员", False, "是或否，不填为否", True),
        ],
        "公民身份号码",
    ),
    _sheet(
        "活动",
        [
            ("党组织", True, "开展活动的党组织名称"),
            (
                "活动类型",
                True,
                "支部党员大会、支部委员会、党小组会、党课、主题党日、理论学习中心组学习、组织生活会、"
                "民主评议党员、工委会议、培训、志愿服务、走访慰问、入党宣誓、调研指导、其他",
            ),
            ("日期", True, DATE),
            ("主题", True, "活动名称"),
            ("地点", False, ""),
            ("应到人数", False, "整数"),
            ("实到人数", False, "整数，不多于应到人数"),
            ("专题", False, "第一议题、意识形态、党风廉政、学法、党史学习教育，多个用“、”分隔"),
            ("联合开展党组织", False, "其他参加的党组织名称，多个用“、”分隔"),
        ],
        "党组织 + 活动类型 + 日期 + 主题",
    ),
    _sheet(
        "党费基数",
        [
            ("公民身份号码", True, ID),
            ("起始月份", True, MONTH),
            ("缴费基数", True, "元"),
            ("缴费类别", False, "在职、离退休、学生、下岗失业或低保；不填按人员类别，人员类别为其他的必填"),
        ],
        "党员 + 起始月份",
    ),
    _sheet(
        "党费",
        [
            ("公民身份号码", True, ID),
            ("所属月份", True, MONTH),
            ("实交金额", True, "元"),
            ("交纳日期", False, "同一月份再交一次须另起一行并填写交纳日期"),
        ],
        "党员 + 所属月份",
    ),
    _sheet(
        "民主评议",
        [
            ("公民身份号码", True, ID),
            ("年度", True, "如 2025"),
            ("等次", True, "优秀、合格、基本合格或不合格"),
        ],
        "党员 + 年度",
    ),
    _sheet(
        "述职评议",
        [
            ("党组织", True, "党组织名称"),
            ("年度", True, "如 2025"),
            ("述职日期", True, DATE),
            ("等次", False, "好、较好、一般或差"),
            ("书记姓名", False, ""),
        ],
        "党组织 + 年度",
    ),
    _sheet(
        "廉政承诺",
        [("公民身份号码", True, ID), ("年度", True, "如 2025"), ("签订日期", True, DATE)],
        "党员 + 年度",
    ),
    _sheet(
        "风险防控",
        [
            ("公民身份号码", True, ID),
            ("年度", True, "如 2025"),
            ("填报日期", True, DATE),
            ("风险等级", False, "高、中或低"),
            ("风险点", False, ""),
        ],
        "党员 + 年度",
    ),
    _sheet(
        "社区报到",
        [("公民身份号码", True, ID), ("社区", True, ""), ("报到日期", True, DATE), ("结束日期", False, "")],
        "党员 + 社区 + 报到日期",
    ),
    _sheet(
        "任职",
        [
            ("党组织", True, "党组织名称"),
            ("姓名", True, ""),
            ("公民身份号码", False, ID),
            ("职务", True, "书记、副书记、专职副书记、组织委员、宣传委员、纪检委员或委员"),
            ("任职日期", True, DATE),
            ("免职日期", False, ""),
            ("文号", False, "如 示党工通〔2025〕3号"),
        ],
        "党组织 + 姓名 + 职务 + 任职日期",
    ),
    _sheet(
        "表彰",
        [
            ("类别", True, "优秀共产党员、优秀党务工作者或先进基层党组织"),
            ("对象", True, "个人姓名或党组织名称"),
            ("公民身份号码", False, "个人表彰填写"),
            ("授予组织", True, ""),
            ("日期", True, DATE),
            ("方式", False, "授予或向上推荐，不填为授予"),
            ("上级机关", False, "向上推荐时填写"),
        ],
        "类别 + 对象 + 日期",
    ),
    _sheet(
        "走访慰问",
        [
            ("党组织", True, "党组织名称"),
            ("日期", True, DATE),
            ("对象姓名", True, ""),
            ("公民身份号码", False, ID),
            ("慰问金", False, "元"),
        ],
        "党组织 + 日期 + 对象姓名",
    ),
    _sheet(
        "发展党员",
        [
            ("姓名", True, ""),
            ("公民身份号码", True, ID),
            ("党组织", True, "党组织名称"),
            ("步骤", True, "1–25，或步骤名称"),
            ("日期", True, DATE),
            ("培养联系人", False, "第5步“指定培养联系人”填写（1至2名正式党员）", True),
            ("入党介绍人", False, "第9步“确定入党介绍人”填写（2名正式党员）", True),
            ("培训天数", False, "第11步“集中培训”填写天数或学时（不少于3天或24学时）", True),
            ("培训学时", False, "第11步“集中培训”的学时", True),
            ("赞成票", False, "第15步、第23步支部大会的赞成票数", True),
            ("有表决权的正式党员数", False, "第15步、第23步支部大会有表决权的正式党员数", True),
        ],
        "人员 + 步骤",
    ),
    _sheet(
        "培训名单",
        [
            ("党组织", True, "党组织名称"),
            ("日期", True, DATE),
            ("培训名称", True, ""),
            ("姓名", True, ""),
            ("公民身份号码", True, "党员或入党积极分子、发展对象的公民身份号码"),
        ],
        "培训（党组织 + 日期 + 培训名称）+ 人员",
    ),
    _sheet("纪念章", [("公民身份号码", True, ID), ("颁发日期", True, DATE)], "党员 + 年度"),
    _sheet(
        "联系点",
        [
            ("班子成员", True, ""),
            ("党组织", True, "党组织名称"),
            ("开始日期", True, DATE),
            ("结束日期", False, ""),
        ],
        "班子成员 + 党组织 + 开始日期",
    ),
)


def imported_sheets() -> set[str]:
    return {importer.sheet_name for importer in importers()}


def guide():
    """The column guide of the upload page: each sheet, whether it is imported, its columns."""
    imported = imported_sheets()
    return [{"sheet": sheet, "imported": sheet.name in imported} for sheet in SHEETS]


def template_xlsx() -> bytes:
    """The template workbook: a sheet per sheet of the contract, headers, then the row of notes
    (written by jiguan.xlsx_writer, as every .xlsx)."""
    imported = imported_sheets()
    sheets = []
    for sheet in SHEETS:
        notes = [
            NOTE_MARK + ("必填。" if column.required else "选填。") + column.note for column in sheet.columns
        ]
        if sheet.name not in imported:
            notes[0] += "（本系统暂不导入此表）"
        headers = [column.name + ("*" if column.required else "") for column in sheet.columns]
        sheets.append(xlsx_writer.Sheet(title=sheet.name, headers=headers, rows=[], notes=notes))
    return xlsx_writer.write_workbook(sheets)

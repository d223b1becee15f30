"""A county's whole onboarding workbook (issue 15), made up for the benchmark: every sheet of
WORKBOOK.md, the optional ones included, for one year, at any scale (600 organizations, 12,000
members, a year of activities: `manage.py benchmark`). Every row keeps the rules the import checks
(dates within the organizations' lives, 优秀 at most a third, a year as activist, …), so the whole
workbook imports; tests/reports/test_onboarding_workbook.py imports a small one.

Its root (入驻县委县直机关工委) is read as the tree's root when there is one; its other organizations,
members (ID numbers of region 530199) and records are new.
"""

from __future__ import annotations

import datetime
import io
import random

from jiguan.xlsx_writer import Sheet, write_workbook
from members.idnumber import check_digit

D = datetime.date
ROOT = "入驻县委县直机关工委"
FOUNDED = D(2000, 1, 1)
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红玲芬燕彬鹏辉丹志建国文斌宇浩凯"
ACTIVITY_KINDS = ["支部党员大会", "支部委员会", "党小组会", "党课", "主题党日", "志愿服务", "其他"]


class _People:
    def __init__(self, rng):
        self.rng = rng
        self.taken = {}  # (birth day, male) -> sequence numbers given out that day

    def name(self):
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2))
        )

    def id_number(self, birth, male):
        """A valid ID number of region 530199 for `birth` (or, when its 500 numbers of that gender
        are given out, the next day's), never the same twice; with the birth day it carries."""
        day = birth
        while self.taken.get((day, male), 0) >= 500:
            day += datetime.timedelta(days=1)
        count = self.taken.get((day, male), 0)
        self.taken[(day, male)] = count + 1
        first17 = f"530199{day:%Y%m%d}{count * 2 + (1 if male else 0):03d}"
        return first17 + check_digit(first17), day


def _day(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def onboarding_workbook(*, orgs=600, members=12_000, activities=30_000, year=2025, seed=15) -> bytes:
    """The workbook (.xlsx bytes): every sheet, `orgs` organizations, `members` members, `activities`
    activities of `year` and the year's records of every optional sheet."""
    rng = random.Random(seed)
    people = _People(rng)
    jan1, dec31 = D(year, 1, 1), D(year, 12, 31)

    # 党组织: the root, a 机关党委 for every 20 organizations, branches under them.
    committees = [f"入驻县第{i + 1}局机关党委" for i in range(max(1, orgs // 20))]
    branches = [
        f"入驻县第{i % len(committees) + 1}局第{i // len(committees) + 1}党支部"
        for i in range(orgs - 1 - len(committees))
    ]
    branch_parent = {b: committees[i % len(committees)] for i, b in enumerate(branches)}
    organization_rows = [[ROOT, "机关工委", None, None, FOUNDED, None]]
    organization_rows += [
        [c, "机关党委", ROOT, c.removesuffix("机关党委"), FOUNDED, None] for c in committees
    ]
    organization_rows += [[b, "党支部", branch_parent[b], None, FOUNDED, None] for b in branches]

    # 党员: spread over the branches; a few probationary (admitted last year), some retired, some
    # in the party for more than 50 years (the medal).
    member_rows, roster = [], []
    for index in range(members):
        male = rng.random() < 0.6
        if index % 200 == 0:
            admitted = _day(rng, D(1965, 1, 1), D(1974, 12, 31))  # 50 years in the party
        else:
            admitted = _day(rng, D(1985, 1, 1), D(year - 2, 12, 31))
        probationary = index % 50 == 1
        if probationary:
            admitted = _day(rng, D(year - 1, 1, 1), D(year - 1, 11, 30))
        birth = D(admitted.year - rng.randint(22, 40), rng.randint(1, 12), rng.randint(1, 28))
        id_number, birth = people.id_number(birth, male)
        retired = birth.year < year - 62
        branch = branches[index % len(branches)]
        person = {
            "name": people.name(),
            "id": id_number,
            "branch": branch,
            "admitted": admitted,
            "full": not probationary,
            "retired": retired,
        }
        roster.append(person)
        member_rows.append(
            [person["name"], "男" if male else "女", id_number, None, "汉族", "大学本科", branch,
             "离退休" if retired else "在职", "预备党员" if probationary else "正式党员", admitted,
             None if probationary else admitted.replace(year=admitted.year + 1) if admitted.month != 2 or admitted.day != 29 else D(admitted.year + 1, 3, 1),
             None]
        )  # fmt: skip
    by_branch = {}
    for person in roster:
        by_branch.setdefault(person["branch"], []).append(person)

    # 活动: the year's activities of the branches (and the committee's own).
    activity_rows = []
    for index in range(activities):
        branch = branches[index % len(branches)]
        kind = ACTIVITY_KINDS[index % len(ACTIVITY_KINDS)]
        day = _day(rng, jan1, dec31)
        activity_rows.append([branch, kind, day, f"{kind}（{index + 1}）", "会议室", None, None, None, None])

    bases = [[p["id"], f"{year}-01", 3000 + (i % 50) * 100, None] for i, p in enumerate(roster)]
    payments = [
        [p["id"], f"{year}-{month:02d}", 15, D(year, month, 20)] for p in roster for month in range(1, 13)
    ]
    appraisals = []
    for members_of_branch in by_branch.values():
        full = [p for p in members_of_branch if p["full"]]
        for i, person in enumerate(full):
            appraisals.append([person["id"], year, "优秀" if i < len(full) // 3 else "合格"])
    reports = [[b, year, D(year, 12, 20), "好", None] for b in branches]
    commitments = [[p["id"], year, D(year, 2, 15)] for p in roster]
    risks = [[p["id"], year, D(year, 3, 1), "低", "审批"] for p in roster]
    communities = [
        [p["id"], f"第{i % 40 + 1}社区", D(year, 4, 1), None]
        for i, p in enumerate(roster)
        if not p["retired"] and i % 2
    ]

    appointments, commendations, visits, development, trainees, medals, liaisons = [], [], [], [], [], [], []
    for index, branch in enumerate(branches):
        secretary = by_branch.get(branch, [None])[0]
        if secretary is not None:
            appointments.append(
                [branch, secretary["name"], secretary["id"], "书记", D(year, 1, 5), None, None]
            )
        appointments.append([branch, f"前任书记{index}", None, "书记", D(year - 3, 1, 5), None, None])
        appointments.append([branch, f"组织委员{index}", None, "组织委员", D(year, 1, 5), None, None])
        if index % 20 == 0:
            commendations.append(["先进基层党组织", branch, None, ROOT, D(year, 6, 28), None, None])
            if secretary is not None:
                commendations.append(
                    ["优秀共产党员", secretary["name"], secretary["id"], ROOT, D(year, 6, 28), None, None]
                )
        if index % 30 == 0:
            liaisons.append([f"班子成员{index // 30 % 7 + 1}", branch, jan1, None])
        if index % 10 == 0:
            visits.append([branch, D(year, 6, 30), f"困难群众{index}", None, 500])
        if index % 10 == 3:
            # An activist since last year: steps 1–4, trained in June.
            birth = D(1995, 1 + index % 12, 1 + index % 28)
            id_number, birth = people.id_number(birth, True)
            name = people.name()
            dates = [D(year - 2, 9, 1), D(year - 2, 9, 20), D(year - 1, 3, 1), D(year - 1, 3, 10)]
            for number, day in enumerate(dates, start=1):
                development.append([name, id_number, branch, number, day, None, None, None, None, None, None])
            trainees.append([branch, D(year, 6, 10), "入党积极分子培训班", name, id_number])
            for person in by_branch.get(branch, [])[:3]:
                trainees.append([branch, D(year, 6, 10), "入党积极分子培训班", person["name"], person["id"]])
    for person in roster:
        if person["admitted"].year < 1975 and person["admitted"] <= D(year - 51, 7, 1):
            medals.append([person["id"], D(year, 7, 1)])

    sheets = [
        Sheet(
            "党组织",
            ["组织名称", "组织类别", "上级组织", "所在单位", "成立日期", "撤销日期"],
            organization_rows,
        ),
        Sheet(
            "党员",
            [
                "姓名",
                "性别",
                "公民身份号码",
                "出生日期",
                "民族",
                "学历",
                "所在党组织",
                "人员类别",
                "党员类别",
                "入党日期",
                "转正日期",
                "联系电话",
            ],
            member_rows,
        ),  # fmt: skip
        Sheet(
            "活动",
            ["党组织", "活动类型", "日期", "主题", "地点", "应到人数", "实到人数", "专题", "联合开展党组织"],
            activity_rows,
        ),
        Sheet("党费基数", ["公民身份号码", "起始月份", "缴费基数", "缴费类别"], bases),
        Sheet("党费", ["公民身份号码", "所属月份", "实交金额", "交纳日期"], payments),
        Sheet("民主评议", ["公民身份号码", "年度", "等次"], appraisals),
        Sheet("述职评议", ["党组织", "年度", "述职日期", "等次", "书记姓名"], reports),
        Sheet("廉政承诺", ["公民身份号码", "年度", "签订日期"], commitments),
        Sheet("风险防控", ["公民身份号码", "年度", "填报日期", "风险等级", "风险点"], risks),
        Sheet("社区报到", ["公民身份号码", "社区", "报到日期", "结束日期"], communities),
        Sheet(
            "任职", ["党组织", "姓名", "公民身份号码", "职务", "任职日期", "免职日期", "文号"], appointments
        ),
        Sheet(
            "表彰", ["类别", "对象", "公民身份号码", "授予组织", "日期", "方式", "上级机关"], commendations
        ),
        Sheet("走访慰问", ["党组织", "日期", "对象姓名", "公民身份号码", "慰问金"], visits),
        Sheet(
            "发展党员",
            [
                "姓名",
                "公民身份号码",
                "党组织",
                "步骤",
                "日期",
                "培养联系人",
                "入党介绍人",
                "培训天数",
                "培训学时",
                "赞成票",
                "有表决权的正式党员数",
            ],
            development,
        ),  # fmt: skip
        Sheet("培训名单", ["党组织", "日期", "培训名称", "姓名", "公民身份号码"], trainees),
        Sheet("纪念章", ["公民身份号码", "颁发日期"], medals),
        Sheet("联系点", ["班子成员", "党组织", "开始日期", "结束日期"], liaisons),
    ]
    return write_workbook(sheets)


def as_file(**scale) -> io.BytesIO:
    return io.BytesIO(onboarding_workbook(**scale))

"""The organization tree of the demo county, with a year of reorganizations like the seed's.

Built through the services, so the audit, the versions and the events are those of real use.

- about 25 organs, each with a 机关党委 (with its 机关纪委), a 党总支部 or a 党支部, and branches;
- the first of the demo's two years (the year before the reference day's): 县人民法院 and 县自然资源局 upgraded from 党总支部 to 机关党委 (with 机关纪委; the general
  branch dissolved, its branches moved under the new committee); the general branches of 县委办公室
  and 县人民政府办公室 dissolved, their branches moved directly under the committee; three renames;
  县政府招待所党支部 merged into 县机关事务服务中心党支部;
- 书记/副书记 for every organization, with changes in both years; elections with terms (some
  expiring within six months, some overdue); five committee leaders guiding 15 organizations.

`county.extra["merges"]` lists (merged organization, receiving organization, date): members.demo
creates the merged branch's members before that date and moves them on it.
"""

import datetime

from jiguan.dates import add_years
from organizations import services
from organizations.models import ELECTED_KINDS, Kind, Organization, Post

ROOT_NAME = "中共示范县委县直机关工委"

# unit, kind of its organization, number of branches below it
UNITS = [
    ("县委办公室", Kind.GENERAL_BRANCH, 3),
    ("县人民政府办公室", Kind.GENERAL_BRANCH, 3),
    ("县人民法院", Kind.GENERAL_BRANCH, 3),
    ("县人民检察院", Kind.GENERAL_BRANCH, 2),
    ("县自然资源局", Kind.GENERAL_BRANCH, 3),
    ("县发展和改革局", Kind.BRANCH, 0),
    ("县教育局", Kind.PARTY_COMMITTEE, 4),
    ("县财政局", Kind.GENERAL_BRANCH, 2),
    ("县卫生健康局", Kind.PARTY_COMMITTEE, 3),
    ("县交通运输局", Kind.GENERAL_BRANCH, 2),
    ("县水利局", Kind.BRANCH, 0),
    ("县农业农村局", Kind.GENERAL_BRANCH, 2),
    ("县住房和城乡建设局", Kind.BRANCH, 0),
    ("县市场监督管理局", Kind.GENERAL_BRANCH, 3),
    ("县人力资源和社会保障局", Kind.BRANCH, 0),
    ("县民政局", Kind.BRANCH, 0),
    ("县司法局", Kind.BRANCH, 0),
    ("县审计局", Kind.BRANCH, 0),
    ("县统计局", Kind.BRANCH, 0),
    ("县文化广电体育和旅游局", Kind.BRANCH, 0),
    ("县应急管理局", Kind.BRANCH, 0),
    ("县生态环境局", Kind.BRANCH, 0),
    ("县机关事务服务中心", Kind.BRANCH, 0),
    ("县政府招待所", Kind.BRANCH, 0),
    ("县档案馆", Kind.BRANCH, 0),
]

SUFFIX = {Kind.PARTY_COMMITTEE: "机关党委", Kind.GENERAL_BRANCH: "党总支部", Kind.BRANCH: "党支部"}
BRANCH_NAMES = ["第一", "第二", "第三", "第四"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
)
GIVEN = [
    "建华",
    "志强",
    "秀英",
    "丽娟",
    "海涛",
    "文静",
    "国庆",
    "红梅",
    "晓东",
    "春燕",
    "卫东",
    "玉兰",
    "永刚",
    "桂芳",
    "德明",
    "雪梅",
    "振华",
    "淑珍",
    "宏伟",
    "慧敏",
    "立新",
    "晓燕",
    "建军",
    "美玲",
]
COMMITTEE_LEADERS = ["陈建国", "王立新", "刘芳", "赵志强", "孙丽"]

D = datetime.date


def _person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


class _Builder:
    def __init__(self, county):
        self.county = county
        self.rng = county.rng
        self.actor = None  # the demo accounts come later; the audit names the system

    def found(self, key, *, kind, name, parent, unit, founded_on, document_number=""):
        organization = services.organization_found(
            actor=self.actor,
            kind=kind,
            name=name,
            parent=parent,
            unit=unit,
            founded_on=founded_on,
            document_number=document_number,
        )
        self.county.organizations[key] = organization
        return organization

    def day(self, year, first_month=1, last_month=12):
        """A day of `year`, never after the county's today."""
        day = D(year, self.rng.randint(first_month, last_month), self.rng.randint(1, 28))
        return min(day, self.county.today)


def build(county):
    b = _Builder(county)
    rng = county.rng
    root = b.found(
        "root", kind=Kind.WORKING_COMMITTEE, name=ROOT_NAME, parent=None, unit=None, founded_on=D(1998, 6, 1)
    )
    county.root = root
    for unit_name, kind, branches in UNITS:
        unit = services.unit_create(
            actor=None,
            name=unit_name,
            leading_group_name=f"中共{unit_name}党组",
            leading_group_secretary=_person(rng),
        )
        county.units[unit_name] = unit
        founded = D(rng.randint(2000, 2016), rng.randint(1, 12), 1)
        top = b.found(
            unit_name,
            kind=kind,
            name=f"中共{unit_name}{SUFFIX[kind]}",
            parent=root,
            unit=unit,
            founded_on=founded,
        )
        if kind == Kind.PARTY_COMMITTEE:
            b.found(
                f"{unit_name}/纪委",
                kind=Kind.DISCIPLINE_COMMITTEE,
                name=f"中共{unit_name}机关纪委",
                parent=top,
                unit=unit,
                founded_on=founded,
            )
        for index in range(branches):
            b.found(
                f"{unit_name}/{index}",
                kind=Kind.BRANCH,
                name=f"{unit_name}机关{BRANCH_NAMES[index]}党支部",
                parent=top,
                unit=unit,
                founded_on=founded,
            )
    # Party groups inside a few branches, so a branch secretary's subtree has depth.
    for key in ("县卫生健康局/0", "县教育局/0", "县人民检察院/0"):
        branch = county.organizations[key]
        for index in range(2):
            b.found(
                f"{key}/小组{index}",
                kind=Kind.PARTY_GROUP,
                name=f"{branch.name.removesuffix('党支部')}{BRANCH_NAMES[index]}党小组",
                parent=branch,
                unit=branch.unit,
                founded_on=branch.founded_on,
            )
    county.organizations["demo_secretary_org"] = county.organizations["县卫生健康局/0"]

    _leaders_before(b)
    _reorganize(b)
    _elections(b)
    _leader_changes(b)
    _liaisons(b)
    for organization in county.organizations.values():
        organization.refresh_from_db()


def _leaders_before(b):
    """A 书记 (and for most a 副书记) in every organization that elects one, from before the demo's years."""
    for key, organization in list(b.county.organizations.items()):
        if key == "demo_secretary_org" or organization.kind == Kind.PARTY_GROUP:
            continue
        first = b.county.years[0]
        start = max(organization.founded_on, D(b.rng.randint(first - 9, first - 2), b.rng.randint(1, 12), 1))
        secretary = "陈建国" if key == "root" else _person(b.rng)
        services.appointment_create(
            actor=b.actor,
            organization=organization,
            person_name=secretary,
            post=Post.SECRETARY,
            start_on=start,
        )
        if key == "root" or b.rng.random() < 0.7:
            deputy = "王立新" if key == "root" else _person(b.rng)
            services.appointment_create(
                actor=b.actor,
                organization=organization,
                person_name=deputy,
                post=Post.DEPUTY_SECRETARY,
                start_on=start,
            )


def _elections(b):
    """Two elections per organization; the latest puts about one in six close to expiry and one in
    eight overdue on the county's today."""
    today = b.county.today
    for key, organization in b.county.organizations.items():
        if key == "demo_secretary_org" or organization.kind not in ELECTED_KINDS:
            continue
        if organization.dissolved_on is not None or organization.elections.exists():
            continue
        years = organization.effective_term_years()
        roll = b.rng.random()
        if roll < 0.16:  # expires within the next six months
            latest = add_years(today, -years) + datetime.timedelta(days=b.rng.randint(20, 170))
        elif roll < 0.28:  # overdue by up to a year
            latest = add_years(today, -years) - datetime.timedelta(days=b.rng.randint(15, 360))
        else:
            latest = add_years(today, -years) + datetime.timedelta(days=b.rng.randint(220, 365 * years - 30))
        latest = min(latest, today)
        previous = add_years(latest, -years)
        for number, elected_on in ((1, previous), (2, latest)):
            if elected_on >= organization.founded_on:
                services.election_create(
                    actor=b.actor,
                    organization=organization,
                    elected_on=elected_on,
                    document_number=f"党工通〔{elected_on.year}〕{number + b.rng.randint(1, 40)}号",
                )


def _upgrade(b, unit_name, date, number):
    """A 党总支部 becomes a 机关党委 with its 机关纪委; its branches move under the new committee."""
    county = b.county
    general = county.organizations[unit_name]
    unit = county.units[unit_name]
    document = f"党工通〔{date.year}〕{number}号"
    committee = b.found(
        f"{unit_name}/机关党委",
        kind=Kind.PARTY_COMMITTEE,
        name=f"中共{unit_name}机关委员会",
        parent=county.root,
        unit=unit,
        founded_on=date,
        document_number=document,
    )
    discipline = b.found(
        f"{unit_name}/纪委",
        kind=Kind.DISCIPLINE_COMMITTEE,
        name=f"中共{unit_name}机关纪律检查委员会",
        parent=committee,
        unit=unit,
        founded_on=date,
        document_number=document,
    )
    for child in general.children.filter(dissolved_on__isnull=True):
        services.organization_move(
            actor=b.actor, organization=child, new_parent=committee, date=date, document_number=document
        )
    services.organization_dissolve(
        actor=b.actor, organization=general, date=date, document_number=document, note="升格为机关党委"
    )
    secretary = _person(b.rng)
    services.appointment_create(
        actor=b.actor,
        organization=committee,
        person_name=secretary,
        post=Post.SECRETARY,
        start_on=date,
        document_number=document,
    )
    deputy = _person(b.rng)
    services.appointment_create(
        actor=b.actor,
        organization=committee,
        person_name=deputy,
        post=Post.FULL_TIME_DEPUTY_SECRETARY,
        start_on=date,
        document_number=document,
    )
    # The 机关纪委's secretary is a deputy secretary of the 机关党委 (DOMAIN.md).
    services.appointment_create(
        actor=b.actor,
        organization=discipline,
        person_name=deputy,
        post=Post.SECRETARY,
        start_on=date,
        document_number=document,
    )
    services.election_create(actor=b.actor, organization=committee, elected_on=date, document_number=document)


def _flatten(b, unit_name, date, number):
    """A general branch dissolved; its branches move directly under the committee."""
    county = b.county
    general = county.organizations[unit_name]
    document = f"党工通〔{date.year}〕{number}号"
    for child in general.children.filter(dissolved_on__isnull=True):
        services.organization_move(
            actor=b.actor, organization=child, new_parent=county.root, date=date, document_number=document
        )
    services.organization_dissolve(actor=b.actor, organization=general, date=date, document_number=document)


def _reorganize(b):
    county = b.county
    year = county.years[0]
    _flatten(b, "县委办公室", D(year, 3, 28), 6)
    _flatten(b, "县人民政府办公室", D(year, 3, 28), 6)
    _upgrade(b, "县人民法院", D(year, 5, 20), 11)
    _upgrade(b, "县自然资源局", D(year, 7, 1), 15)
    renames = [
        ("县文化广电体育和旅游局", "中共县文化和旅游局党支部", D(year, 3, 15), 5),
        ("县发展和改革局", "中共县发展和改革委员会党支部", D(year, 6, 10), 13),
        ("县教育局/3", "县教育局离退休干部党支部", D(year, 9, 1), 19),
    ]
    for key, new_name, date, number in renames:
        services.organization_rename(
            actor=b.actor,
            organization=county.organizations[key],
            new_name=new_name,
            date=date,
            document_number=f"党工通〔{date.year}〕{number}号",
        )
    merged, receiving = county.organizations["县政府招待所"], county.organizations["县机关事务服务中心"]
    merge_day = D(year, 8, 1)
    services.organization_merge(
        actor=b.actor,
        organization=merged,
        into=receiving,
        date=merge_day,
        document_number=f"党工通〔{year}〕17号",
    )
    county.extra["merges"] = [(merged, receiving, merge_day)]


def _leader_changes(b):
    """New secretaries in about ten organizations, in the demo's two years (each relieves the one before)."""
    candidates = [
        (key, organization)
        for key, organization in b.county.organizations.items()
        if key not in ("root", "demo_secretary_org")
        and organization.kind in ELECTED_KINDS
        and organization.dissolved_on is None
    ]
    for _key, organization in b.rng.sample(candidates, min(10, len(candidates))):
        start = b.day(b.rng.choice(b.county.years))
        if start <= organization.founded_on:
            continue
        latest = organization.appointments.order_by("-start_on").first()
        if latest is not None and start <= latest.start_on:
            continue
        services.appointment_create(
            actor=b.actor,
            organization=organization,
            person_name=_person(b.rng),
            post=Post.SECRETARY,
            start_on=start,
        )
        if b.rng.random() < 0.5:
            services.appointment_create(
                actor=b.actor,
                organization=organization,
                person_name=_person(b.rng),
                post=Post.DEPUTY_SECRETARY,
                start_on=start,
            )


def _liaisons(b):
    """Five committee leaders each guide three organizations directly under the committee."""
    county = b.county
    direct = list(
        Organization.objects.active().filter(parent=county.root, kind__in=ELECTED_KINDS).order_by("pk")
    )
    chosen = b.rng.sample(direct, min(15, len(direct)))
    start = D(county.years[0], 1, 10)
    for index, organization in enumerate(chosen):
        services.liaison_assign(
            actor=b.actor,
            leader_name=COMMITTEE_LEADERS[index % len(COMMITTEE_LEADERS)],
            committee=county.root,
            organization=organization,
            start_on=max(start, organization.founded_on),
        )

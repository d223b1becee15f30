"""The organization tree of the demo county: the committee and about 25 organs."""

import datetime

from organizations.models import Kind, Organization, OrganizationVersion, Unit

ROOT_NAME = "中共示范县委县直机关工委"

# unit, kind of its organization, number of branches below it
UNITS = [
    ("县委办公室", Kind.PARTY_COMMITTEE, 3),
    ("县人民政府办公室", Kind.PARTY_COMMITTEE, 3),
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


def _found(county, key, *, kind, name, parent, unit, founded_on):
    organization = Organization.objects.create(
        kind=kind, name=name, parent=parent, unit=unit, founded_on=founded_on
    )
    OrganizationVersion.objects.create(
        organization=organization, name=name, parent=parent, valid_from=founded_on
    )
    county.organizations[key] = organization
    return organization


def build(county):
    rng = county.rng
    root = _found(
        county,
        "root",
        kind=Kind.WORKING_COMMITTEE,
        name=ROOT_NAME,
        parent=None,
        unit=None,
        founded_on=datetime.date(1998, 6, 1),
    )
    county.root = root
    for unit_name, kind, branches in UNITS:
        unit = Unit.objects.create(
            name=unit_name, leading_group_name=f"中共{unit_name}党组", leading_group_secretary=""
        )
        county.units[unit_name] = unit
        founded = datetime.date(rng.randint(2000, 2016), rng.randint(1, 12), 1)
        short = unit_name.removeprefix("县")
        top = _found(
            county,
            unit_name,
            kind=kind,
            name=f"中共{unit_name}{SUFFIX[kind]}",
            parent=root,
            unit=unit,
            founded_on=founded,
        )
        if kind == Kind.PARTY_COMMITTEE:
            _found(
                county,
                f"{unit_name}/纪委",
                kind=Kind.DISCIPLINE_COMMITTEE,
                name=f"中共{unit_name}机关纪委",
                parent=top,
                unit=unit,
                founded_on=founded,
            )
        for index in range(branches):
            _found(
                county,
                f"{unit_name}/{index}",
                kind=Kind.BRANCH,
                name=f"{short}机关{BRANCH_NAMES[index]}党支部",
                parent=top,
                unit=unit,
                founded_on=founded,
            )
    county.organizations["demo_secretary_org"] = county.organizations["县卫生健康局/0"]

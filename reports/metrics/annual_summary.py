"""The blanks of the seed's annual summary: the metrics of METRICS.md's table, in its order (the
指标 sheet and the tests rely on it), and the lists its text prints."""

import datetime
from decimal import Decimal

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from activities.models import ActivityKind, DocumentKind
from members.models import Category, CommendationKind, Stage
from organizations.models import Kind, OrganizationVersion
from reports.metrics.registry import REGISTRY, derived, list_placeholder, metric, organizations_of_rows
from reports.metrics.scope import ReportScope


@metric(
    "central_group_study_sessions",
    "工委理论学习中心组学习次数",
    source="root_activities",
    definition="本组织当年开展的“理论学习中心组学习”活动次数。",
)
def central_group_study_sessions(scope):
    """activities of kind 理论学习中心组学习 held by R in Y"""
    return Q(kind=ActivityKind.CENTRAL_GROUP_STUDY)


@metric(
    "ideology_sessions",
    "研究安排意识形态工作次数",
    source="root_activities",
    definition="本组织当年开展、专题含“意识形态”的活动次数。",
)
def ideology_sessions(scope):
    """activities held by R in Y with topic 意识形态"""
    return Q(topic_ideology=True)


@metric(
    "integrity_education_sessions",
    "党风廉政教育及安排次数",
    source="root_activities",
    definition="本组织当年开展、专题含“党风廉政”的活动次数。",
)
def integrity_education_sessions(scope):
    """activities held by R in Y with topic 党风廉政"""
    return Q(topic_integrity=True)


@metric(
    "law_study_sessions",
    "每月一法学习活动次数",
    source="root_activities",
    definition="本组织当年开展、专题含“学法”的活动次数。",
)
def law_study_sessions(scope):
    """activities held by R in Y with topic 学法"""
    return Q(topic_law=True)


@metric(
    "lists_issued",
    "下发责任清单个数",
    source="documents",
    definition="本组织当年印发的责任清单个数（不含《党建工作要点》；报告中列出其文号）。",
)
def lists_issued(scope):
    """responsibility lists issued by R in Y (the annual work points 党建工作要点 are not counted here:
    they have their own sentence); the report also prints their document numbers"""
    # Documents of kind 责任清单, with or without their items entered: the work points are issued
    # as documents of kind 工作要点 (activities.services.responsibility_list_issue).
    return Q(kind=DocumentKind.RESPONSIBILITY_LIST)


@metric(
    "work_plan_key_tasks",
    "党建工作要点重点任务项数",
    source="key_tasks",
    definition="本组织当年《党建工作要点》中的重点任务项数。",
)
def work_plan_key_tasks(scope):
    """key tasks in R's annual work points (党建工作要点) for Y"""
    return Q(is_key_task=True)


@metric(
    "party_member_training_person_times",
    "培训党员人次",
    source="activities",
    aggregate="sum:attended_count",
    definition="本组织及下级当年“培训”活动的实到人数之和。",
)
def party_member_training_person_times(scope):
    """sum of attendance (实到人数) of activities of kind 培训 in S in Y"""
    return Q(kind=ActivityKind.TRAINING)


@metric(
    "red_site_joint_orgs",
    "共同开展党史学习教育活动的党组织数",
    source="joined",
    aggregate="distinct:organization",
    records=organizations_of_rows,
    definition="本组织当年开展的、专题含“党史学习教育”的活动中，联合开展的其他党组织个数（不重复计）。",
)
def red_site_joint_orgs(scope):
    """distinct organizations other than R that joined activities held by R in Y with topic 党史学习教育"""
    return Q(topic_history=True)


@metric(
    "oath_date",
    "纳新党员集中宣誓日期",
    source="root_activities",
    aggregate="min:date",
    kind=datetime.date,
    definition="本组织当年第一次“入党宣誓”活动的日期。",
)
def oath_date(scope):
    """date of the first activity of kind 入党宣誓 held by R in Y"""
    return Q(kind=ActivityKind.OATH)


@metric(
    "commended_members",
    "表彰优秀共产党员人数",
    source="commendations",
    definition="本组织当年表彰的“优秀共产党员”人数。",
)
def commended_members(scope):
    """优秀共产党员 commendations granted by R in Y"""
    return Q(kind=CommendationKind.OUTSTANDING_MEMBER, recommended=False)


@metric(
    "commended_workers",
    "表彰优秀党务工作者人数",
    source="commendations",
    definition="本组织当年表彰的“优秀党务工作者”人数。",
)
def commended_workers(scope):
    """优秀党务工作者 commendations granted by R in Y"""
    return Q(kind=CommendationKind.OUTSTANDING_WORKER, recommended=False)


@metric(
    "commended_orgs",
    "表彰先进基层党组织个数",
    source="commendations",
    definition="本组织当年表彰的“先进基层党组织”个数。",
)
def commended_orgs(scope):
    """先进基层党组织 commendations granted by R in Y"""
    return Q(kind=CommendationKind.ADVANCED_ORGANIZATION, recommended=False)


@metric(
    "recommended_individuals",
    "向上推荐表彰个人数",
    source="commendations",
    definition="本组织当年向上级推荐表彰的个人数。",
)
def recommended_individuals(scope):
    """individual commendations R recommended to a higher body in Y"""
    return Q(recommended=True) & ~Q(kind=CommendationKind.ADVANCED_ORGANIZATION)


@metric(
    "recommended_collectives",
    "向上推荐表彰集体数",
    source="commendations",
    definition="本组织当年向上级推荐表彰的集体数。",
)
def recommended_collectives(scope):
    """collective commendations R recommended to a higher body in Y"""
    return Q(recommended=True, kind=CommendationKind.ADVANCED_ORGANIZATION)


@metric(
    "condolence_persons",
    "走访慰问人数",
    source="condolence_visits",
    aggregate="distinct:person_key",
    definition="本组织及下级当年“走访慰问”的对象人数（同一人不重复计：党员按名册，非党员按公民身份号码；未填号码的非党员每次计一人，同名者不合并）。",
)
def condolence_persons(scope):
    """distinct people visited (走访慰问) by organizations of S in Y"""
    return Q()


# Yuan have two decimals, so 万元 have six: exact.
WAN_EXACT = Decimal("0.000001")


def _wan(raw) -> Decimal:
    """Yuan to 万元, exactly (12,250.00 yuan → 1.225): the workbook holds this value; the text prints
    it with two decimals rounded half up (reports.placeholders.format_value: 1.23)."""
    exact = (Decimal(raw or 0) / Decimal(10000)).quantize(WAN_EXACT).normalize()
    return exact if exact.as_tuple().exponent < -2 else exact.quantize(Decimal("0.01"))


@metric(
    "condolence_amount_wan",
    "发放慰问金（万元）",
    source="condolence_visits",
    aggregate="sum:amount",
    kind=Decimal,
    convert=_wan,
    definition="上述走访慰问发放的慰问金合计，单位万元；工作簿保留精确值（如1.225），正文保留两位小数、四舍五入（1.23）。",
)
def condolence_amount_wan(scope):
    """sum of condolence money paid in those visits, in 万元: the workbook holds the exact value
    (12,250.00 yuan → 1.225), the text prints two decimals rounded half up (1.23)"""
    return Q()


@metric(
    "medals_50_years",
    "“光荣在党50年”纪念章人数",
    source="medals",
    definition="当年向本组织及下级党员颁发“光荣在党50年”纪念章的人数。",
)
def medals_50_years(scope):
    """光荣在党50年 medals awarded in Y to members of S"""
    return Q()


@metric(
    "orgs_total",
    "机关基层党组织总数",
    source="organizations_on_end",
    definition="12月31日存续的下级机关党委、党总支部、党支部个数（不含本组织）。",
)
def orgs_total(scope):
    """organizations of S other than R, existing on E, of kind 机关党委, 党总支部 or 党支部"""
    return Q(kind__in=[Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH])


@metric(
    "orgs_party_committees", "机关党委个数", source="organizations_on_end", definition="其中机关党委个数。"
)
def orgs_party_committees(scope):
    """of those, kind 机关党委"""
    return Q(kind=Kind.PARTY_COMMITTEE)


@metric(
    "orgs_general_branches", "党总支部个数", source="organizations_on_end", definition="其中党总支部个数。"
)
def orgs_general_branches(scope):
    """of those, kind 党总支部"""
    return Q(kind=Kind.GENERAL_BRANCH)


@metric("orgs_branches", "党支部个数", source="organizations_on_end", definition="其中党支部个数。")
def orgs_branches(scope):
    """of those, kind 党支部"""
    return Q(kind=Kind.BRANCH)


@metric(
    "members_in_service",
    "在职党员人数",
    source="members_on_end",
    definition="12月31日本组织及下级在册党员（含预备党员）中人员类别为“在职”的人数。",
)
def members_in_service(scope):
    """members (full and probationary) of S on E whose category is 在职"""
    return Q(category_then=Category.IN_SERVICE)


@metric(
    "volunteer_attendance",
    "志愿服务参加人次",
    source="activities",
    aggregate="sum:attended_count",
    helper=True,
    definition="本组织及下级当年“志愿服务”活动的实到人数之和。",
)
def volunteer_attendance(scope):
    """sum of attendance of activities of kind 志愿服务 in S in Y (helper of the next metric)"""
    return Q(kind=ActivityKind.VOLUNTEER_SERVICE)


def _volunteer_records(scope, rows):
    return REGISTRY["volunteer_attendance"].records(scope)


@derived(
    "volunteer_services_per_member",
    "在职党员人均志愿服务次数",
    needs=("members_in_service", "volunteer_attendance"),
    records=_volunteer_records,
    definition="志愿服务实到人次除以在职党员人数，向下取整。",
)
def volunteer_services_per_member(values):
    """sum of attendance of activities of kind 志愿服务 in S in Y, divided by `members_in_service`, rounded down"""
    if not values["members_in_service"]:
        return 0
    return values["volunteer_attendance"] // values["members_in_service"]


@metric(
    "orgs_renamed",
    "更名党组织个数",
    source="organizations_changed",
    definition="本组织及下级当年更名的党组织个数（同一组织不重复计）。",
)
def orgs_renamed(scope):
    """distinct organizations of S renamed in Y"""
    return Q(renamed=True)


@metric(
    "orgs_dissolved",
    "撤销党组织个数",
    source="organizations_changed",
    definition="本组织及下级当年撤销的党组织个数（报告中列出其名称）。",
)
def orgs_dissolved(scope):
    """organizations of S dissolved in Y; the report also prints their names"""
    return Q(dissolved_in_year=1)


@metric(
    "orgs_established_party_committees",
    "新设立机关党委个数",
    source="organizations_changed",
    definition="本组织及下级当年新设立的机关党委个数。",
)
def orgs_established_party_committees(scope):
    """organizations of kind 机关党委 founded in Y within S"""
    return Q(founded_in_year=1, kind=Kind.PARTY_COMMITTEE)


@metric(
    "orgs_established_discipline_committees",
    "新设立机关纪委个数",
    source="organizations_changed",
    definition="本组织及下级当年新设立的机关纪委个数。",
)
def orgs_established_discipline_committees(scope):
    """kind 机关纪委, founded in Y within S"""
    return Q(founded_in_year=1, kind=Kind.DISCIPLINE_COMMITTEE)


@metric(
    "orgs_established_general_branches",
    "新设立党总支部个数",
    source="organizations_changed",
    definition="本组织及下级当年新设立的党总支部个数。",
)
def orgs_established_general_branches(scope):
    """kind 党总支部, founded in Y within S"""
    return Q(founded_in_year=1, kind=Kind.GENERAL_BRANCH)


@metric(
    "orgs_established_branches",
    "新设立党支部个数",
    source="organizations_changed",
    definition="本组织及下级当年新设立的党支部个数。",
)
def orgs_established_branches(scope):
    """kind 党支部, founded in Y within S"""
    return Q(founded_in_year=1, kind=Kind.BRANCH)


@metric(
    "orgs_dissolved_general_branches",
    "撤销党总支部个数",
    source="organizations_changed",
    definition="本组织及下级当年撤销的党总支部个数。",
)
def orgs_dissolved_general_branches(scope):
    """organizations of kind 党总支部 of S dissolved in Y"""
    return Q(dissolved_in_year=1, kind=Kind.GENERAL_BRANCH)


@metric(
    "orgs_reparented",
    "调整隶属关系党组织个数",
    source="organizations_changed",
    definition="本组织及下级当年调整隶属关系的党组织个数（同一组织不重复计）。",
)
def orgs_reparented(scope):
    """distinct organizations of S moved under another parent in Y"""
    return Q(reparented=True)


@metric(
    "leader_changes",
    "调整下属党组织负责人人次",
    source="appointments",
    definition="当年下级党组织（不含本组织）新任书记、副书记、专职副书记的人次。",
)
def leader_changes(scope):
    """appointments to the posts 书记 or 副书记 (专职副书记 included) that start in Y, in organizations of S other than R"""
    return Q()


@metric(
    "probationary_admitted",
    "吸收预备党员人数",
    source="admissions",
    aggregate="distinct:member",
    definition="入党日期在当年、且接收时所在党组织（入党日期当天所在的党组织；记录中当天不在任何党组织的，如所在组织成立较晚的导入党员，为其第一个所在党组织）属于本组织及下级的党员人数。",
)
def probationary_admitted(scope):
    """members whose 入党日期 falls in Y and whose admitting organization was in S: the organization
    they belonged to on 入党日期, or, where the records place them in none that day (an imported
    member whose organization was founded later), the first organization they belonged to"""
    return Q()


@metric(
    "activists_trained",
    "培训入党积极分子人数",
    source="trainees",
    aggregate="distinct:person_key",
    definition="当年本组织及下级培训中，培训当天为入党积极分子的人数（阶段按发展步骤的日期确定，而非录入时的阶段；同一人不重复计）。",
)
def activists_trained(scope):
    """distinct people trained in Y who were 入党积极分子 on the training's date (the stage follows
    from the dates of their development steps, not from the stage they have when the training is
    entered), in organizations of S"""
    return Q(stage_then=Stage.ACTIVIST, activity__kind=ActivityKind.TRAINING)


@metric(
    "candidates_trained",
    "培训发展对象人数",
    source="trainees",
    aggregate="distinct:person_key",
    definition="当年本组织及下级培训中，培训当天为发展对象的人数（阶段按发展步骤的日期确定；同一人不重复计）。",
)
def candidates_trained(scope):
    """distinct people trained in Y who were 发展对象 on the training's date (as above)"""
    return Q(stage_then=Stage.CANDIDATE, activity__kind=ActivityKind.TRAINING)


@metric(
    "liaison_leaders",
    "联系指导的班子成员人数",
    source="liaisons",
    aggregate="distinct:leader_name",
    definition="当年有联系点的本组织班子成员人数。",
)
def liaison_leaders(scope):
    """members of R's leadership with a liaison assignment (联系点) active in Y"""
    return Q()


@metric(
    "liaison_orgs",
    "班子成员联系指导的党组织数",
    source="liaisons",
    aggregate="distinct:organization",
    records=organizations_of_rows,
    definition="上述班子成员联系指导的、联系期间属于本组织及下级的党组织个数（不论层级，不重复计）。",
)
def liaison_orgs(scope):
    """distinct organizations of S assigned to them, wherever they stand in the tree"""
    # In S at some day of Y while the assignment ran (end day inclusive), at any depth below R.
    return scope.in_s_while("organization_id", "start_on", "end_on")


@metric(
    "joint_activity_orgs",
    "与工委共同开展活动的党组织数",
    source="joined",
    aggregate="distinct:organization",
    records=organizations_of_rows,
    definition="本组织当年开展的活动中，联合开展的其他党组织个数（不重复计）。",
)
def joint_activity_orgs(scope):
    """distinct organizations other than R that joined any activity held by R in Y"""
    return Q()


@metric(
    "reminder_letters", "发放工作提醒函份数", source="letters", definition="本组织当年发出的工作提醒函份数。"
)
def reminder_letters(scope):
    """reminder letters issued by R in Y"""
    return Q(issued_on__isnull=False)


@metric(
    "regulations_revised",
    "修订完善工委内部制度项数",
    source="documents",
    definition="本组织当年制定或修订的内部制度项数。",
)
def regulations_revised(scope):
    """internal regulations (内部制度) of R issued or revised in Y"""
    return Q(kind=DocumentKind.REGULATION)


@metric(
    "integrity_special_meetings",
    "工委专题研究党风廉政建设次数",
    source="root_activities",
    definition="本组织当年“工委会议”中专题含“党风廉政”的次数。",
)
def integrity_special_meetings(scope):
    """meetings of R's own committee (工委会议) in Y with topic 党风廉政"""
    return Q(kind=ActivityKind.COMMITTEE_SESSION, topic_integrity=True)


# ---- list placeholders: names and numbers the text prints -----------------------------------------


@list_placeholder("lists_issued_numbers", "下发责任清单的文号")
def lists_issued_numbers(scope: ReportScope) -> list[str]:
    """Document numbers of the responsibility lists counted by lists_issued, in issue order."""
    documents = REGISTRY["lists_issued"].records(scope).order_by("issued_on", "serial")
    return [d.number for d in documents]


@list_placeholder("orgs_dissolved_names", "撤销党组织的名称")
def orgs_dissolved_names(scope: ReportScope) -> list[str]:
    """Names (as they were when dissolved) of the organizations counted by orgs_dissolved."""
    names_then = OrganizationVersion.objects.filter(
        organization_id=OuterRef("pk"), valid_from__lte=OuterRef("dissolved_on")
    ).order_by("-valid_from")
    rows = (
        REGISTRY["orgs_dissolved"]
        .records(scope)
        .annotate(name_then=Coalesce(Subquery(names_then.values("name")[:1]), F("name")))
        .order_by("dissolved_on", "name_order", "name")
    )
    return [row.name_then for row in rows]

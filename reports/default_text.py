"""The default texts of an annual summary, one for each kind of organization a report is made for.

The committee's (机关工委) follows the seed's five sections (seed/annual-summary-2021.txt) with every
blank replaced by its placeholder (reports.placeholders) and a sentence for every metric of
METRICS.md. A 机关党委, a 党总支部 and a 党支部 start from a text of their own, in the seed's style,
about what such an organization reports on: its members, development, the 三会一课 record, its
activities and commendations, with only the numbers that make sense for it (METRICS.md and
docs/metrics-organizations.md). A year without a text of its own starts from the previous year's
text, or from the default of the organization's kind.

Names specific to the seed's county ("xx县") come from the root organization's name; sentences
that told 2021's particular events (which 党总支部 were dissolved, which sites were visited) are
written generically, for the staff to complete. A list placeholder stands alone in brackets, so an
empty list leaves no trace (撤销党组织0个, never 撤销了无（共0个）).
"""

from __future__ import annotations

import re

from organizations.models import Kind, Organization

COMMITTEE_TEXT = """\
{{ year }}年，{committee}认真贯彻落实习近平新时代中国特色社会主义思想和党的各次全会精神，紧紧围绕县委、县政府中心工作，牢牢把握正确政治方向，认真履行好县委专职机关职责，各项工作任务圆满完成。
一、履职尽责方面
（一）明职责。严格按照县委工作赋权，认真履行县委专职机关作用，利用各种会议、培训、实地调研指导等，与各党组、基层党组织共同交流，厘清机关工委在机关党建工作的“两个职责”：对各党组（党委）督促机关党建督促、指导职责，对机关基层党委（总支部、支部）发挥统一领导职责。单位（部门）党组（党委）对本单位机关党建工作负责具体领导和履行全面从严治党主体责任，做到把机关党建工作与单位工作同谋划、同安排、同布置、同检查、同考核；机关党组（党委）书记履行抓党建第一责任人职责。机关基层党组织（机关党委、总支部、党支部）履行党建工作直接责任，接受单位党组（党委）具体领导和县直机关工委的统一领导。党组（党委）班子成员按分管联系工作范畴，树立“管工作必抓党建”的工作思路，履行“一岗双责”。
（二）清思路。围绕“大党建”思路，着力解决机关党建“灯下黑”“两张皮”现象，指导各党组织将党风廉政建设、意识形态工作、党史学习教育、学法述法等工作纳入各机关党组织党建工作范畴，全年开展工委理论学习中心组学习活动{{ central_group_study_sessions }}次，结合党组织主题党日活动，研究安排意识形态工作{{ ideology_sessions }}次、党风廉政教育及安排{{ integrity_education_sessions }}次、开展每月一法学习活动{{ law_study_sessions }}次。下发抓基层党建工作责任清单{{ lists_issued }}个（{{ lists_issued_numbers }}），进一步明确了工委班子成员、机关党委（总支、支部）书记、专职副书记、党支部书记和党小组长抓基层党建工作任务。下发了《{root_name}{{ year }}年党建工作要点》，明确了{{ year }}年度机关基层党建{{ work_plan_key_tasks }}项重点任务和项目化推进措施。
（三）突重点。一是建立“政治理论学习第一议题”机制。督促指导各党组织把深入学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务，把学习贯彻习近平总书记最新重要讲话、重要指示批示精神作为党委（党组）、机关党委（总支部、支部）会议“政治理论学习第一议题”。二是指导督促各党组织自主联合开展好培训，全年通过多形式累计培训党员{{ party_member_training_person_times|余 }}人次，实现党组织和党员培训全覆盖。三是认真组织开展好党史学习教育。充分利用县内红色教育资源，工委先后与{{ red_site_joint_orgs }}个党组织到红色教育基地开展活动，效果较好。四是认真开展庆祝建党{{ party_anniversary }}周年系列活动。{{ oath_date }}组织纳新党员集中宣誓和老党员重温入党誓词活动；工委表彰优秀党员{{ commended_members }}名、优秀党务工作者{{ commended_workers }}名、先进基层党组织{{ commended_orgs }}个，向上推荐表彰“两优一先”个人{{ recommended_individuals }}个、集体{{ recommended_collectives }}个；开展“七·一”走访慰问{{ condolence_persons }}人、发放慰问金{{ condolence_amount_wan }}万元；申报发放“光荣在党50年”纪念章{{ medals_50_years }}名。五是认真开展好党组织书记抓基层党建述职评议考核工作，{{ secretary_reports }}个党组织书记进行了述职，评议等次为“好”的{{ secretary_reports_good }}个；指导各党支部开展民主评议党员，{{ members_appraised }}名党员参加评定等次，评为优秀{{ members_appraised_excellent }}名、不合格{{ members_appraised_unqualified }}名，推动机关党建有效落实。六是落实“双报到双服务双报告”工作。{county}各机关基层党组织{{ orgs_total }}个（机关党委{{ orgs_party_committees }}个、总支部{{ orgs_general_branches }}个、支部{{ orgs_branches }}个），在职党员{{ members_in_service|余 }}名，积极服从组织安排，{{ community_registered }}名在职党员到居住地社区报到，开展报到服务工作，推动机关党建融入城市基层党建，实现党组织和党员全覆盖，机关在职党员开展以爱国卫生、交通劝导等为主的志愿服务活动，人均在{{ volunteer_services_per_member }}次以上。
（四）夯基础。一是认真执行《中国共产党党和国家机关基层组织工作条例》，理顺党组（党委）与各单位党组织的关系，根据各单位党员情况和单位实际，对{{ orgs_renamed }}个党组织进行了更名，撤销党组织{{ orgs_dissolved }}个（{{ orgs_dissolved_names }}），新设立了{{ orgs_established_party_committees }}个机关党委（设立机关纪委{{ orgs_established_discipline_committees }}个）、党总支部{{ orgs_established_general_branches }}个、党支部{{ orgs_established_branches }}个；撤销了{{ orgs_dissolved_general_branches }}个党总支部并调整{{ orgs_reparented }}个党组织的隶属关系，减少管理层次有利压实工作。二是认真严格执行党支部书记配备规定，及时调整下属党组织负责人{{ leader_changes }}人次。三是认真做好网上党支部跟踪管理工作。工委明确了一名专职人员，认真做好“全国党员管理系统”、基层党建信息化平台和网上党支部的管理应用，实现线上线下同步。四是认真做好党员发展教育管理工作。认真贯彻落实《中国共产党发展党员工作细则》，把政治放在首位，吸收预备党员{{ probationary_admitted }}名。分类培训入党积极分子{{ activists_trained }}名、发展对象{{ candidates_trained }}名。
（五）强推进。坚持工委委员联系机关党建工作制度，{{ liaison_leaders }}名班子成员分别联系指导工委直属的{{ liaison_orgs }}个党组织，定期或不定期开展实地调研，推动机关党建工作整体推进；深化“一月一主题一联盟”工作督导机制，每月确定一个主题、参加一个支部、开展一次支部联盟活动，共同探索组织生活新机制，推动机关党组织主题党日活动规范化，工委与{{ joint_activity_orgs }}个机关党组织共同开展活动，实效明显。建立党建工作定期分析研判制度，对党组织换届、发展党员等工作及时提醒，发放工作提醒函{{ reminder_letters }}份，均得到整改落实。
二、正风肃纪方面
一是深入开展纪律作风自查自纠专项行动，对违反中央八项规定及其实施细则精神等问题深入开展自查自纠和专项整治；二是加强勤政廉政教育和管理，通过廉政党课教育、签订廉政责任书、强化廉政考核等方式，深入开展整治腐败和不正之风，防治结合，抓细抓小抓早。三是深化运用监督执纪“四种形态”，持续抓好正风肃纪，做细做实日常监督，持续抓好反“四风”整治。
三、办事公开方面
认真贯彻落实政务公开工作要求，做到及时、准确公开政务信息；利用单位内部宣传栏公示栏做好公开工作，单位内部“三重一大”通过工委宣传公告栏和会议在单位内部公开，认真接待来访，及时公开单位内部重大重要决策决定、人事变动、党费收缴等信息。{dues}
四、工作效率方面
以提高政务服务能力和效率为目标，严格《中国共产党发展党员工作细则》规范发展党员程序和标准，全年发展党员{{ probationary_admitted }}名；按照《中国共产党党和国家机关基层组织工作条例》规范机关党组织设置。修订完善工委内部制度{{ regulations_revised }}项，严格按制度和程序办事，形成以制度管人、用制度管权、按制度办事的良好机制。
五、廉政建设方面
认真学习贯彻落实《党委（党组）落实全面从严治党主体责任规定》，不断强化党风廉政建设工作。一是压实廉政责任。制定下发了《{{ year }}年党风廉政建设工作要点和责任分解》和《{{ year }}年度全面从严治党主体责任清单》，严格落实“一岗双责”，推行重点岗位廉政承诺制，{{ commitments_signed }}名党员签订“廉政承诺书”，压实党风廉政建设责任。今年来，工委专题研究党风廉政建设工作{{ integrity_special_meetings }}次。二是强化党风廉政风险预警防控管理，全体党员认真排查岗位廉政风险，{{ risk_forms_filed }}名党员填写了《廉政风险防控表》。深入落实党内监督主体责任，始终把纪律和规矩挺在前面。三是强化党风廉政建设考核，对全体党员进行了党风廉政建设责任制落实情况的检查和考核，确保党风廉政建设工作落到实处。
"""


# The sections a grass-roots organization reports on. {name} is the organization's name, {we} what
# it calls itself in the text (支部, 总支部, 机关党委).
_OPENING = (
    "{{ year }}年，{name}在上级党组织的坚强领导下，认真贯彻落实习近平新时代中国特色社会主义思想和党的各次全会精神，"
    "严格落实全面从严治党要求，紧紧围绕单位中心工作抓党建、促业务，各项工作任务圆满完成。\n"
)
_DEVELOPMENT = (
    "认真贯彻落实《中国共产党发展党员工作细则》，坚持把政治标准放在首位，严格程序、严肃纪律，"
    "全年吸收预备党员{{ probationary_admitted }}名，办理预备党员转正{{ members_confirmed }}名；"
    "选派入党积极分子{{ activists_trained }}名、发展对象{{ candidates_trained }}名参加培训，"
    "做到成熟一个、发展一个。\n"
)
_THEMES = (
    "{we}结合主题党日研究安排意识形态工作{{ ideology_sessions }}次，开展党风廉政教育{{ integrity_education_sessions }}次、"
    "“每月一法”学习{{ law_study_sessions }}次。"
)
_SERVICE = (
    "组织党员参加各类培训，累计培训党员{{ party_member_training_person_times }}人次；"
    "落实“双报到双服务双报告”，在职党员到社区开展以爱国卫生、交通劝导等为主的志愿服务，"
    "人均在{{ volunteer_services_per_member }}次以上；开展“七·一”走访慰问{{ condolence_persons }}人、"
    "发放慰问金{{ condolence_amount_wan }}万元；申报发放“光荣在党50年”纪念章{{ medals_50_years }}名。\n"
)
_COMMENDED = "全年{{ members_commended }}名党员受到表彰，{{ orgs_commended }}个党组织获评“先进基层党组织”。"

BRANCH_TEXT = (
    _OPENING + "一、党员队伍建设方面\n"
    "截至{{ year }}年12月31日，支部共有党员{{ members_total }}名，其中正式党员{{ members_full }}名、"
    "预备党员{{ members_probationary }}名；在职党员{{ members_in_service }}名、离退休党员{{ members_retired }}名。"
    "支部认真执行《中国共产党党员教育管理工作条例》，及时做好党员组织关系转接和“全国党员管理系统”信息维护，"
    "做到党员底数清、情况明。\n"
    "二、发展党员方面\n" + _DEVELOPMENT + "三、“三会一课”方面\n"
    "严格执行“三会一课”制度，落实“第一议题”制度，全年召开支部党员大会{{ general_meetings }}次、"
    "支部委员会{{ branch_committee_meetings }}次、党小组会{{ group_meetings }}次，讲党课{{ party_lectures }}次，"
    "开展主题党日活动{{ theme_days }}次，召开组织生活会{{ life_meetings }}次，"
    "开展民主评议党员{{ democratic_reviews }}次。对照规定频次，组织生活缺项{{ rhythm_missing }}次。\n"
    "四、主题活动方面\n" + _THEMES + _SERVICE + "五、表彰方面\n"
    "坚持以先进典型引领党员队伍建设，" + _COMMENDED + "\n"
)

GENERAL_BRANCH_TEXT = (
    _OPENING + "一、组织建设方面\n"
    "总支部下设党支部{{ orgs_branches }}个，及时调整下属党支部负责人{{ leader_changes }}人次。"
    "截至{{ year }}年12月31日，共有党员{{ members_total }}名，其中正式党员{{ members_full }}名、"
    "预备党员{{ members_probationary }}名；在职党员{{ members_in_service }}名、离退休党员{{ members_retired }}名。\n"
    "二、发展党员方面\n" + _DEVELOPMENT + "三、“三会一课”方面\n"
    "指导督促各党支部严格执行“三会一课”制度，全年各党支部共召开支部党员大会{{ general_meetings }}次、"
    "支部委员会{{ branch_committee_meetings }}次、党小组会{{ group_meetings }}次，讲党课{{ party_lectures }}次，"
    "开展主题党日活动{{ theme_days }}次，召开组织生活会{{ life_meetings }}次，"
    "开展民主评议党员{{ democratic_reviews }}次。对照规定频次，各党支部组织生活缺项{{ rhythm_missing }}次。\n"
    "四、主题活动方面\n" + _THEMES + _SERVICE + "五、表彰方面\n"
    "总支部表彰优秀共产党员{{ commended_members }}名、优秀党务工作者{{ commended_workers }}名，"
    "向上推荐表彰个人{{ recommended_individuals }}个、集体{{ recommended_collectives }}个。"
    + _COMMENDED
    + "\n"
)

PARTY_COMMITTEE_TEXT = (
    _OPENING + "一、组织建设方面\n"
    "按照《中国共产党党和国家机关基层组织工作条例》规范党组织设置，机关党委下设党总支部{{ orgs_general_branches }}个、"
    "党支部{{ orgs_branches }}个，及时调整下属党组织负责人{{ leader_changes }}人次。"
    "截至{{ year }}年12月31日，共有党员{{ members_total }}名，其中正式党员{{ members_full }}名、"
    "预备党员{{ members_probationary }}名；在职党员{{ members_in_service }}名、离退休党员{{ members_retired }}名。\n"
    "二、发展党员方面\n" + _DEVELOPMENT + "三、“三会一课”方面\n"
    "指导督促各党支部严格执行“三会一课”制度，全年各党组织共召开支部党员大会{{ general_meetings }}次、"
    "支部委员会{{ branch_committee_meetings }}次、党小组会{{ group_meetings }}次，讲党课{{ party_lectures }}次，"
    "开展主题党日活动{{ theme_days }}次，召开组织生活会{{ life_meetings }}次，"
    "开展民主评议党员{{ democratic_reviews }}次。对照规定频次，各党支部组织生活缺项{{ rhythm_missing }}次。\n"
    "四、主题活动方面\n" + _THEMES.replace("{we}结合主题党日", "机关党委") + _SERVICE + "五、表彰方面\n"
    "机关党委表彰优秀共产党员{{ commended_members }}名、优秀党务工作者{{ commended_workers }}名、"
    "先进基层党组织{{ commended_orgs }}个，向上推荐表彰个人{{ recommended_individuals }}个、"
    "集体{{ recommended_collectives }}个。" + _COMMENDED + "\n"
)

# 三、办事公开: the year's dues collection (METRICS.md "Beyond the seed's blanks"), one sentence.
DUES_SENTENCE = (
    "各党支部按月公示党费收缴情况，全年应交党费{{ dues_due_yuan }}元、实交{{ dues_paid_yuan }}元，"
    "交纳率{{ dues_paid_percent }}%；年底仍有欠交的党员{{ dues_members_in_arrears }}名，"
    "其中连续6个月未交党费{{ dues_members_six_months_unpaid }}名，已督促所在党支部了解情况、研究处理。"
)
COMMITTEE_TEXT = COMMITTEE_TEXT.replace("{dues}", DUES_SENTENCE)

# A 机关纪委 or a 党小组 reports as a branch does: its members and their activities.
_TEXTS = {
    Kind.WORKING_COMMITTEE: COMMITTEE_TEXT,
    Kind.PARTY_COMMITTEE: PARTY_COMMITTEE_TEXT,
    Kind.GENERAL_BRANCH: GENERAL_BRANCH_TEXT,
}
_WE = {Kind.PARTY_COMMITTEE: "机关党委", Kind.GENERAL_BRANCH: "总支部"}


def county_name(root: Organization) -> str:
    """ "测试县" from "中共测试县委县直机关工委"; the root's own name when it names no county."""
    match = re.search(r"^(?:中共)?(.+?[县市区旗])委", root.name)
    return match.group(1) if match else "全县"


def default_title(organization: Organization, year: int) -> str:
    return f"{organization.name}{year}年工作总结"


def default_text(organization: Organization) -> str:
    """The default text for `organization`, written for its kind (placeholders unfilled; the year is
    a placeholder too)."""
    text = _TEXTS.get(organization.kind, BRANCH_TEXT)
    if organization.kind == Kind.WORKING_COMMITTEE:
        county = county_name(organization)
        return (
            text.replace("{committee}", organization.name)
            .replace("{root_name}", organization.name)
            .replace("{county}", "全县" if county == "全县" else f"全{county[-1]}")
        )
    return text.replace("{name}", organization.name).replace("{we}", _WE.get(organization.kind, "支部"))

"""Each metric's definition (口径) as users read it, in Chinese.

The docstring of each metric in reports.metrics is the definition for developers, in English, word for
word from METRICS.md; this is the same definition for the people who read the report, the workbook's
说明 column and the drill-down pages. R is the organization the report is made for, Y its year, and
"本组织及下级" the organizations under R as the tree stood on each record's date.
"""

DEFINITIONS = {
    "central_group_study_sessions": "本组织当年开展的“理论学习中心组学习”活动次数。",
    "ideology_sessions": "本组织当年开展、专题含“意识形态”的活动次数。",
    "integrity_education_sessions": "本组织当年开展、专题含“党风廉政”的活动次数。",
    "law_study_sessions": "本组织当年开展、专题含“学法”的活动次数。",
    "lists_issued": "本组织当年印发的责任清单个数（报告中列出其文号）。",
    "work_plan_key_tasks": "本组织当年《党建工作要点》中的重点任务项数。",
    "party_member_training_person_times": "本组织及下级当年“培训”活动的实到人数之和。",
    "red_site_joint_orgs": "本组织当年开展的、专题含“党史学习教育”的活动中，联合开展的其他党组织个数（不重复计）。",
    "oath_date": "本组织当年第一次“入党宣誓”活动的日期。",
    "commended_members": "本组织当年表彰的“优秀共产党员”人数。",
    "commended_workers": "本组织当年表彰的“优秀党务工作者”人数。",
    "commended_orgs": "本组织当年表彰的“先进基层党组织”个数。",
    "recommended_individuals": "本组织当年向上级推荐表彰的个人数。",
    "recommended_collectives": "本组织当年向上级推荐表彰的集体数。",
    "condolence_persons": "本组织及下级当年“走访慰问”的对象人数（同一人不重复计）。",
    "condolence_amount_wan": "上述走访慰问发放的慰问金合计，单位万元。",
    "medals_50_years": "当年向本组织及下级党员颁发“光荣在党50年”纪念章的人数。",
    "orgs_total": "12月31日存续的下级机关党委、党总支部、党支部个数（不含本组织）。",
    "orgs_party_committees": "其中机关党委个数。",
    "orgs_general_branches": "其中党总支部个数。",
    "orgs_branches": "其中党支部个数。",
    "members_in_service": "12月31日本组织及下级在册党员（含预备党员）中人员类别为“在职”的人数。",
    "volunteer_attendance": "本组织及下级当年“志愿服务”活动的实到人数之和。",
    "volunteer_services_per_member": "志愿服务实到人次除以在职党员人数，向下取整。",
    "orgs_renamed": "本组织及下级当年更名的党组织个数（同一组织不重复计）。",
    "orgs_dissolved": "本组织及下级当年撤销的党组织个数（报告中列出其名称）。",
    "orgs_established_party_committees": "本组织及下级当年新设立的机关党委个数。",
    "orgs_established_discipline_committees": "本组织及下级当年新设立的机关纪委个数。",
    "orgs_established_general_branches": "本组织及下级当年新设立的党总支部个数。",
    "orgs_established_branches": "本组织及下级当年新设立的党支部个数。",
    "orgs_dissolved_general_branches": "本组织及下级当年撤销的党总支部个数。",
    "orgs_reparented": "本组织及下级当年调整隶属关系的党组织个数（同一组织不重复计）。",
    "leader_changes": "当年下级党组织（不含本组织）新任书记、副书记、专职副书记的人次。",
    "probationary_admitted": "入党日期在当年的本组织及下级党员人数。",
    "activists_trained": "当年以入党积极分子身份参加培训的人数（同一人不重复计）。",
    "candidates_trained": "当年以发展对象身份参加培训的人数（同一人不重复计）。",
    "liaison_leaders": "当年有联系点的本组织班子成员人数。",
    "liaison_orgs": "上述班子成员联系指导的党组织个数（不重复计）。",
    "joint_activity_orgs": "本组织当年开展的活动中，联合开展的其他党组织个数（不重复计）。",
    "reminder_letters": "本组织当年发出的工作提醒函份数。",
    "regulations_revised": "本组织当年制定或修订的内部制度项数。",
    "integrity_special_meetings": "本组织当年“工委会议”中专题含“党风廉政”的次数。",
}

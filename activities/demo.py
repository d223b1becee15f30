"""Activities, documents and reminder letters of the demo county.

- the demo's two years (the one before the reference day's, and the reference day's up to that day) of 三会一课 and 主题党日 for every branch, with gaps
  (a few weak branches miss many months) so that the rhythm table has something to show; group
  meetings held by the 党小组; 组织生活会 and 民主评议 in December;
- volunteer service (双报到) of every branch;
- the committee's own work: 理论学习中心组学习 monthly (第一议题, 意识形态, 学法), 工委会议 with
  党风廉政, 党史学习教育 joint activities with other organizations, the 入党宣誓 around 1 July,
  trainings of activists and candidates, 走访慰问 with condolence money around 七一;
- documents: responsibility lists like the seed's, the work points with 18 key tasks, internal
  regulations revised, notices; reminder letters issued, some handled.

Activities are written in bulk (a few thousand rows); documents, lists and letters go through the
services, so their numbers and audit are those of real use.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q

from activities import services
from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    CondolenceVisit,
    DocumentKind,
    ItemStatus,
    LetterStatus,
    ListKind,
    ReminderLetter,
    ReminderReason,
    Topic,
    TrainingAttendance,
)
from jiguan import audit
from members.models import Member, Stage
from members.selectors import prospects_on
from organizations.models import Kind, Organization

D = datetime.date
PREFIX = "示党工通"
REMINDER_PREFIX = "示党工提"

THEME_TITLES = [
    "学习贯彻党的二十届四中全会精神",
    "重温入党誓词 践行初心使命",
    "“每月一法”：学习《中华人民共和国宪法》",
    "走进红色教育基地 传承红色基因",
    "学习《中国共产党纪律处分条例》",
    "开展“我为群众办实事”实践活动",
    "学习习近平总书记重要讲话精神",
    "开展党风廉政警示教育",
]
LECTURE_TITLES = [
    "书记讲党课：以高质量党建引领高质量发展",
    "专题党课：深入推进全面从严治党",
    "党课：牢记初心使命",
]
COMMUNITIES = ["城关镇幸福社区", "城关镇和平社区", "东城街道新华社区", "西城街道育才社区", "南门社区"]
KEY_TASKS = [
    "深入学习贯彻党的二十届四中全会精神",
    "落实“第一议题”制度",
    "抓好理论学习中心组学习",
    "落实意识形态工作责任制",
    "推进模范机关创建",
    "规范“三会一课”等组织生活制度",
    "开展主题党日活动",
    "抓好党支部标准化规范化建设",
    "做好按期换届工作",
    "从严做好发展党员工作",
    "加强党员教育培训",
    "开展“双报到双服务双报告”",
    "落实书记抓基层党建述职评议考核",
    "开展“两优一先”评选表彰",
    "推进全面从严治党主体责任落实",
    "开展党风廉政宣传教育月活动",
    "加强机关作风建设",
    "做好党费收缴使用管理",
]
RESPONSIBILITY_LISTS = [
    (
        "工委领导班子抓基层党建工作责任清单",
        ["抓好年度党建工作部署", "开展基层党建调研指导", "督促各支部落实三会一课", "联系指导基层党组织"],
    ),
    (
        "全面从严治党主体责任清单",
        ["召开全面从严治党专题会议", "签订党风廉政建设责任书", "开展廉政风险排查", "开展警示教育"],
    ),
    (
        "党风廉政建设工作要点和责任分解",
        ["落实廉政承诺书签订", "填写廉政风险防控表", "开展考核量化评分", "开展廉政谈话"],
    ),
]
REGULATIONS = [
    "工委会议议事规则",
    "机关党建工作考核办法",
    "党费收缴使用管理办法",
    "工作提醒函制度",
    "财务管理制度",
]


def _dates_before(today, year, month, day):
    try:
        date = D(year, month, day)
    except ValueError:
        date = D(year, month, 28)
    return date if date < today else None


class _Activities:
    """Activities to insert in bulk, with their topics and joined organizations."""

    def __init__(self, actor):
        self.actor = actor
        self.rows = []
        self.topics = []
        self.joined = []
        self.visits = []
        self.trainees = []

    def add(
        self, organization, kind, date, title, *, expected=None, attended=None, topics=(), joined=(), **extra
    ):
        if date is None or not organization.exists_on(date):
            return None
        activity = Activity(
            organization=organization,
            kind=kind,
            date=date,
            title=title,
            expected_count=expected,
            attended_count=attended,
            created_by=self.actor,
            **extra,
        )
        self.rows.append(activity)
        self.topics.extend((activity, t) for t in topics)
        self.joined.extend((activity, o) for o in joined if o.pk != organization.pk)
        return activity

    def save(self):
        Activity.objects.bulk_create(self.rows, batch_size=1000)
        ActivityTopic.objects.bulk_create(
            [ActivityTopic(activity=a, topic=t) for a, t in self.topics], batch_size=1000
        )
        through = Activity.joined_organizations.through
        through.objects.bulk_create(
            [through(activity_id=a.pk, organization_id=o.pk) for a, o in self.joined], batch_size=1000
        )
        for visit in self.visits:
            visit.activity_id = visit.activity.pk
        CondolenceVisit.objects.bulk_create(self.visits, batch_size=1000)
        for trainee in self.trainees:
            trainee.activity_id = trainee.activity.pk
        TrainingAttendance.objects.bulk_create(self.trainees, batch_size=1000)
        audit.record_bulk_create(self.actor, self.rows)


def _attendance(rng, size):
    expected = max(size, 3)
    return expected, max(expected - rng.randint(0, 2), 1)


def _branch_life(county, acts, years):
    rng, today = county.rng, county.today
    branches = list(
        Organization.objects.filter(kind=Kind.BRANCH)
        .annotate(size=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("pk")
    )
    groups = defaultdict(list)
    for group in Organization.objects.filter(kind=Kind.PARTY_GROUP).order_by("pk"):
        groups[group.parent_id].append(group)
    secretary_branch = county.organizations.get("demo_secretary_org")
    weak = set(rng.sample([b.pk for b in branches if b != secretary_branch], k=min(4, len(branches))))
    for branch in branches:
        gap = 0.35 if branch.pk in weak else 0.06
        theme_day = rng.randint(1, 20)
        for year in years:
            for month in range(1, 13):
                if D(year, month, 1) >= today:
                    break
                expected, attended = _attendance(rng, branch.size)
                if rng.random() > gap:
                    acts.add(
                        branch,
                        ActivityKind.THEME_DAY,
                        _dates_before(today, year, month, theme_day),
                        rng.choice(THEME_TITLES),
                        expected=expected,
                        attended=attended,
                        topics=[rng.choice([Topic.LAW_STUDY, Topic.IDEOLOGY, Topic.PARTY_HISTORY])]
                        if rng.random() < 0.4
                        else [],
                    )
                if rng.random() > gap:
                    acts.add(
                        branch,
                        ActivityKind.COMMITTEE_MEETING,
                        _dates_before(today, year, month, rng.randint(1, 10)),
                        f"{month}月支部委员会会议",
                        expected=min(expected, 5),
                        attended=min(attended, 5),
                        topics=[Topic.FIRST_TOPIC],
                    )
                for group in groups.get(branch.pk, []):
                    if rng.random() > gap:
                        acts.add(
                            group,
                            ActivityKind.GROUP_MEETING,
                            _dates_before(today, year, month, rng.randint(5, 25)),
                            f"{month}月党小组会",
                            expected=max(expected // 2, 2),
                            attended=max(attended // 2 - 1, 1),
                        )
                if month % 3 == 0:
                    quarter = month // 3
                    if rng.random() > gap:
                        acts.add(
                            branch,
                            ActivityKind.GENERAL_MEETING,
                            _dates_before(today, year, month, rng.randint(10, 28)),
                            f"第{'一二三四'[quarter - 1]}季度支部党员大会",
                            expected=expected,
                            attended=attended,
                            topics=[Topic.FIRST_TOPIC],
                        )
                    if rng.random() > gap:
                        acts.add(
                            branch,
                            ActivityKind.PARTY_LECTURE,
                            _dates_before(today, year, month, rng.randint(1, 28)),
                            rng.choice(LECTURE_TITLES),
                            expected=expected,
                            attended=attended,
                        )
                if month in (4, 9) and rng.random() > gap:
                    acts.add(
                        branch,
                        ActivityKind.VOLUNTEER_SERVICE,
                        _dates_before(today, year, month, rng.randint(1, 28)),
                        "“双报到”进社区志愿服务",
                        expected=expected,
                        attended=attended,
                        volunteer_community=rng.choice(COMMUNITIES),
                    )
                if month == 12 and rng.random() > gap / 2:
                    acts.add(
                        branch,
                        ActivityKind.LIFE_MEETING,
                        _dates_before(today, year, 12, rng.randint(10, 25)),
                        f"{year}年度组织生活会",
                        expected=expected,
                        attended=attended,
                    )
                    acts.add(
                        branch,
                        ActivityKind.DEMOCRATIC_REVIEW,
                        _dates_before(today, year, 12, rng.randint(10, 25)),
                        f"{year}年度民主评议党员",
                        expected=expected,
                        attended=attended,
                    )
    return branches


def _committee_work(county, acts, years, branches):
    rng, today, root = county.rng, county.today, county.root
    others = [o for o in Organization.objects.active().grass_roots().order_by("pk") if o.pk != root.pk]
    needy = list(Member.objects.on_roster().order_by("admitted_on", "pk")[:40])
    for year in years:
        for month in range(1, 13):
            topics = [Topic.FIRST_TOPIC]
            if month in (3, 6, 9, 12):
                topics.append(Topic.IDEOLOGY)
            if month % 2 == 1:
                topics.append(Topic.LAW_STUDY)
            acts.add(
                root,
                ActivityKind.CENTRAL_GROUP_STUDY,
                _dates_before(today, year, month, 8),
                f"工委理论学习中心组{month}月集体学习",
                expected=9,
                attended=rng.randint(7, 9),
                topics=topics,
            )
            if month % 2 == 0 or month in (1, 7):
                session_topics = [Topic.FIRST_TOPIC]
                if month in (2, 6, 8, 12):
                    session_topics.append(Topic.INTEGRITY)
                if month in (1, 7):
                    session_topics.append(Topic.IDEOLOGY)
                acts.add(
                    root,
                    ActivityKind.COMMITTEE_SESSION,
                    _dates_before(today, year, month, 15),
                    "工委会议：研究党风廉政建设工作"
                    if Topic.INTEGRITY in session_topics
                    else f"{month}月工委会议",
                    expected=9,
                    attended=rng.randint(7, 9),
                    topics=session_topics,
                )
            acts.add(
                root,
                ActivityKind.OTHER,
                _dates_before(today, year, month, 20),
                f"“每月一法”学习（{month}月）",
                expected=30,
                attended=rng.randint(20, 30),
                topics=[Topic.LAW_STUDY],
            )
        for month, place in ((4, "县革命烈士纪念馆"), (6, "县委旧址"), (10, "红军长征纪念碑")):
            acts.add(
                root,
                ActivityKind.THEME_DAY,
                _dates_before(today, year, month, 18),
                f"党史学习教育：到{place}开展“一月一主题一联盟”活动",
                expected=80,
                attended=rng.randint(60, 80),
                topics=[Topic.PARTY_HISTORY],
                joined=rng.sample(others, k=min(len(others), rng.randint(5, 9))),
            )
        acts.add(
            root,
            ActivityKind.OATH,
            _dates_before(today, year, 6, 30),
            f"{year}年新党员集中入党宣誓仪式",
            expected=40,
            attended=rng.randint(30, 40),
        )
        for month, title, stage in (
            (5, "入党积极分子培训班", Stage.ACTIVIST),
            (10, "发展对象培训班", Stage.CANDIDATE),
        ):
            day = _dates_before(today, year, month, 12)
            count = rng.randint(6, 15)
            # Those in the stage on the training's day (the stage follows from their steps' dates).
            trained = list(prospects_on(day).filter(stage_then=stage).order_by("pk")[:count]) if day else []
            training = acts.add(
                root,
                ActivityKind.TRAINING,
                day,
                f"{year}年{title}",
                expected=len(trained) + 2,
                attended=len(trained),
            )
            if training:
                acts.trainees.extend(
                    TrainingAttendance(activity=training, prospect=p, hours=24) for p in trained
                )
        acts.add(
            root,
            ActivityKind.TRAINING,
            _dates_before(today, year, 9, 20),
            f"{year}年“万名党员进党校”党员集中轮训",
            expected=400,
            attended=rng.randint(330, 400),
        )
        visit = acts.add(
            root,
            ActivityKind.CONDOLENCE_VISIT,
            _dates_before(today, year, 6, 26),
            f"{year}年“七一”走访慰问老党员、生活困难党员",
            expected=10,
            attended=8,
        )
        if visit:
            for member in rng.sample(needy, k=min(len(needy), 12)):
                acts.visits.append(
                    CondolenceVisit(
                        activity=visit,
                        person_name=member.name,
                        member=member,
                        amount=Decimal(rng.choice([500, 800, 1000])),
                        note=rng.choice(["老党员", "生活困难党员", "因病致困党员"]),
                    )
                )
        for branch in rng.sample(branches, k=min(4, len(branches))):
            acts.add(
                branch,
                ActivityKind.GUIDANCE_VISIT,
                _dates_before(today, year, rng.randint(3, 11), 16),
                "工委班子成员到联系点调研指导",
                expected=6,
                attended=6,
            )


def _documents(county, actor, years):
    today, root, rng = county.today, county.root, county.rng
    branches = list(Organization.objects.active().filter(kind=Kind.BRANCH).order_by("pk"))
    # Each list's first item falls to the demo secretary's branch, so its secretary has items to report on.
    secretary_branch = county.organizations.get("demo_secretary_org") or branches[0]
    for year in years:
        start = D(year, 1, 1)
        if start >= today:
            continue
        issued = min(D(year, 2, 20), today - datetime.timedelta(days=1))
        points = services.responsibility_list_issue(
            actor=actor,
            issuer=root,
            prefix=PREFIX,
            title=f"{year}年全县机关党建工作要点",
            issued_on=issued,
            kind=ListKind.WORK_POINTS,
            items=[
                services.ItemEntry(
                    task=task, responsible_person="工委办公室", deadline=D(year, 12, 20), is_key_task=True
                )
                for task in KEY_TASKS
            ],
        )
        for title, tasks in RESPONSIBILITY_LISTS:
            services.responsibility_list_issue(
                actor=actor,
                issuer=root,
                prefix=PREFIX,
                title=f"{year}年{title}",
                issued_on=min(D(year, 3, 5), today - datetime.timedelta(days=1)),
                items=[
                    services.ItemEntry(
                        task=task,
                        responsible_organization=secretary_branch if index == 0 else rng.choice(branches),
                        deadline=D(year, 3 * (index + 1), 28),
                    )
                    for index, task in enumerate(tasks)
                ],
            )
        for name in REGULATIONS[: 3 if year == years[0] else 2]:
            services.document_issue(
                actor=actor,
                issuer=root,
                prefix=PREFIX,
                kind=DocumentKind.REGULATION,
                title=f"{name}（{year}年修订）",
                issued_on=min(D(year, 4, 10), today - datetime.timedelta(days=1)),
            )
        for month, title in (
            (3, "关于开展“每月一法”学习活动的通知"),
            (6, "关于开展庆祝建党节系列活动的通知"),
            (11, "关于召开年度组织生活会的通知"),
        ):
            day = D(year, month, 2)
            if day < today:
                services.document_issue(
                    actor=actor,
                    issuer=root,
                    prefix=PREFIX,
                    kind=DocumentKind.NOTICE,
                    title=title,
                    issued_on=day,
                )
        _progress(county, actor, points, year)
    for rlist in root.documents.filter(kind=DocumentKind.RESPONSIBILITY_LIST).select_related(
        "responsibility_list"
    ):
        _progress(county, actor, rlist.responsibility_list, rlist.year)


def _progress(county, actor, rlist, year):
    """Items whose deadline has passed are mostly done; a few left open are overdue."""
    for item in rlist.items.all():
        if item.deadline and item.deadline < county.today and county.rng.random() < 0.85:
            services.responsibility_item_update(
                actor=actor, item=item, status=ItemStatus.DONE, done_on=min(item.deadline, county.today)
            )
        elif item.deadline and item.deadline >= county.today and county.rng.random() < 0.3:
            services.responsibility_item_update(actor=actor, item=item, status=ItemStatus.IN_PROGRESS)


def _letters(county, actor, years):
    today, root = county.today, county.root
    # Letters of the first year (counted by the summary), issued and handled.
    branches = list(Organization.objects.active().filter(kind=Kind.BRANCH).order_by("pk")[:6])
    for index, branch in enumerate(branches[:4]):
        letter = services.reminder_letter_create(
            actor=actor,
            sender=root,
            addressee=branch,
            reason=ReminderReason.ACTIVITIES_MISSING,
            subject=f"关于{branch.name}规范开展组织生活的提醒函",
            body=f"{branch.name}：\n\n经查，你支部部分月份主题党日未按规定开展，请及时整改。\n\n特此提醒。",
        )
        services.reminder_letter_issue(
            actor=actor, letter=letter, prefix=REMINDER_PREFIX, issued_on=D(years[0], 4 + index * 2, 10)
        )
        services.reminder_letter_mark_handled(
            actor=actor, letter=letter, note="已整改并补录活动记录", handled_on=D(years[0], 5 + index * 2, 1)
        )
    # This year's: drafted from what is due; most issued, the demo secretary's left to handle.
    drafts = services.reminder_letters_draft(actor=actor, sender=root, today=today)
    for index, letter in enumerate(drafts):
        if index % 4 == 3:
            continue  # left as drafts for staff to review
        services.reminder_letter_issue(actor=actor, letter=letter, prefix=REMINDER_PREFIX, issued_on=today)
    secretary_org = county.organizations.get("demo_secretary_org")
    if (
        secretary_org is not None
        and not ReminderLetter.objects.filter(addressee=secretary_org, status=LetterStatus.ISSUED).exists()
    ):
        # A draft of the same reason left above for review is issued instead (one draft per reason).
        letter = ReminderLetter.objects.filter(
            addressee=secretary_org, reason=ReminderReason.ITEMS_OVERDUE, status=LetterStatus.DRAFT
        ).first() or services.reminder_letter_create(
            actor=actor,
            sender=root,
            addressee=secretary_org,
            reason=ReminderReason.ITEMS_OVERDUE,
            subject=f"关于{secretary_org.name}按时完成清单事项的提醒函",
            body=f"{secretary_org.name}：\n\n你支部承担的清单事项临近完成时限，请抓紧推进，完成后上传佐证材料。\n\n特此提醒。",
        )
        services.reminder_letter_issue(actor=actor, letter=letter, prefix=REMINDER_PREFIX, issued_on=today)


def build(county):
    if county.root is None:
        return
    actor = county.users.get("gongwei")
    years = tuple(y for y in county.years if D(y, 1, 1) <= county.today)
    acts = _Activities(actor)
    branches = _branch_life(county, acts, years)
    _committee_work(county, acts, years, branches)
    acts.save()
    _documents(county, actor, years)
    _letters(county, actor, years)
    county.extra["activities"] = len(acts.rows)

"""A synthetic county at any scale, for `manage.py benchmark`.

Rows are written with bulk_create in batches (no services, no audit): the point is a database of
the right size and shape, fast. The shape follows the real tree: units with a 机关党委 (and its
机关纪委), 党总支部 or 党支部 at the top, branches below, party groups inside branches; a few
organizations renamed, moved, founded and dissolved within the years, members moved between
branches, activities of every kind with topics, and the smaller records every metric reads.
Deterministic for a given seed.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction

from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    CondolenceVisit,
    Document,
    DocumentKind,
    ItemStatus,
    LetterStatus,
    ListKind,
    ReminderLetter,
    ReminderReason,
    ResponsibilityItem,
    ResponsibilityList,
    Topic,
    TrainingAttendance,
)
from jiguan import data_version, dates
from jiguan.models import Role, User
from members.idnumber import check_digit
from members.models import (
    Category,
    Commendation,
    CommendationKind,
    DevelopmentStep,
    Gender,
    LeftReason,
    MedalAward,
    Member,
    MemberVersion,
    Prospect,
    Stage,
    Status,
)
from organizations.models import (
    AccountOrganization,
    Appointment,
    Election,
    EventKind,
    Kind,
    LiaisonAssignment,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
    Post,
    Unit,
)

BATCH = 2000
ROOT_NAME = "中共基准县委县直机关工委"
STAFF_USERNAME = "bench-staff"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉丹志建国文斌宇浩凯"
ETHNICITIES = ["汉族"] * 17 + ["彝族", "白族", "回族"]
EDUCATIONS = ["研究生", "大学本科", "大学本科", "大学本科", "大学专科", "大学专科", "中专", "高中"]
BRANCH_KINDS = [
    # kind, weight in the activities of a branch
    (ActivityKind.COMMITTEE_MEETING, 12),
    (ActivityKind.THEME_DAY, 12),
    (ActivityKind.GROUP_MEETING, 8),
    (ActivityKind.GENERAL_MEETING, 4),
    (ActivityKind.PARTY_LECTURE, 4),
    (ActivityKind.TRAINING, 3),
    (ActivityKind.VOLUNTEER_SERVICE, 3),
    (ActivityKind.LIFE_MEETING, 1),
    (ActivityKind.DEMOCRATIC_REVIEW, 1),
    (ActivityKind.CONDOLENCE_VISIT, 1),
    (ActivityKind.OTHER, 1),
]
ROOT_KINDS = [
    (ActivityKind.CENTRAL_GROUP_STUDY, 4),
    (ActivityKind.COMMITTEE_SESSION, 4),
    (ActivityKind.TRAINING, 2),
    (ActivityKind.GUIDANCE_VISIT, 2),
    (ActivityKind.OATH, 1),
    (ActivityKind.CONDOLENCE_VISIT, 1),
    (ActivityKind.OTHER, 1),
]
TOPICS = list(Topic.values)


@dataclass
class Scale:
    orgs: int = 600
    members: int = 12000
    activities: int = 150000
    years: int = 5


@dataclass
class Built:
    root: Organization
    staff: User
    first_year: int
    last_year: int
    counts: dict = field(default_factory=dict)


def _bulk(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH)


def _random_day(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def id_number(rng, birth, gender, used, region="530102"):
    """A valid, unused 18-character ID number for `birth` and `gender`."""
    while True:
        serial = rng.randint(0, 499) * 2 + (1 if gender == Gender.MALE else 0)
        first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
        number = first17 + check_digit(first17)
        if number not in used:
            used.add(number)
            return number


def built_here() -> bool:
    """Whether the database holds a county made by `build` (and so may be emptied)."""
    return Organization.objects.filter(kind=Kind.WORKING_COMMITTEE, name=ROOT_NAME).exists()


def has_scale(scale: Scale, *, last_year: int) -> bool:
    """Whether the county in the database was built at `scale` ending with `last_year`."""
    from django.db.models import Max, Min

    span = Activity.objects.aggregate(first=Min("date"), last=Max("date"))
    return (
        Organization.objects.count() == scale.orgs
        and Member.objects.count() == scale.members
        and Activity.objects.count() == scale.activities
        and span["first"] is not None
        and span["first"].year == last_year - scale.years + 1
        and span["last"].year == last_year
    )


@dataclass
class Span:
    """The years the county's records cover."""

    first_year: int
    last_year: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.first_year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.last_year, 12, 31)


@dataclass
class Tree:
    root: Organization
    tops: list
    discipline: list
    branches: list
    groups: list
    parents_of_branches: list
    branch_like: list

    @property
    def organizations(self) -> list:
        return [self.root, *self.tops, *self.discipline, *self.branches, *self.groups]

    @property
    def grass_roots(self) -> list:
        """机关党委, 党总支部 and 党支部: the organizations the metrics count."""
        kinds = (Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)
        return [o for o in self.organizations if o.kind in kinds]

    @property
    def homes(self) -> list:
        """Where members and prospects belong: the branches (the grass roots when there are none)."""
        return self.branch_like or self.grass_roots


@transaction.atomic
def build(scale: Scale, *, last_year: int, seed: int = 20211231) -> Built:
    """The county, section by section; every section draws from the one random generator in the same
    order, so a seed always gives the same county."""
    rng = random.Random(seed)
    span = Span(last_year - scale.years + 1, last_year)
    tree = _tree(scale)
    _history(rng, tree, span)
    used_id_numbers = set()
    members = _members(rng, scale, tree, span, used_id_numbers)
    activities, topics = _activities(rng, scale, tree, span)
    _prospects_and_trainings(rng, scale, tree, span, used_id_numbers, activities)
    _posts(rng, tree, span)
    _honours(rng, scale, tree, span, members)
    staff = User.objects.create_user(
        STAFF_USERNAME, password=None, full_name="基准测试工作人员", role=Role.STAFF
    )
    AccountOrganization.objects.create(user=staff, organization=tree.root)
    _papers(rng, tree, span)
    data_version.bump()  # written in bulk, without the signals that give the records a new version
    counts = {
        "党组织": len(tree.organizations),
        "党员": len(members),
        "活动": len(activities),
        "活动专题": len(topics),
    }
    return Built(root=tree.root, staff=staff, first_year=span.first_year, last_year=last_year, counts=counts)


# --- the tree ---------------------------------------------------------------------------------


def _tree(scale: Scale) -> Tree:
    """The working committee, units with their top organization (a 机关党委 with its 机关纪委, a
    党总支部 or a 党支部), branches below them and party groups inside branches."""
    founded = datetime.date(2005, 1, 1)
    root = Organization.objects.create(
        kind=Kind.WORKING_COMMITTEE, name=ROOT_NAME, founded_on=datetime.date(1998, 6, 1)
    )
    OrganizationVersion.objects.create(organization=root, name=root.name, valid_from=root.founded_on)
    n_units = max(1, round(scale.orgs / 15))
    units = _bulk(
        Unit,
        [Unit(name=f"县第{u + 1}局", leading_group_name=f"中共县第{u + 1}局党组") for u in range(n_units)],
    )
    top_kinds = [(Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)[u % 3] for u in range(n_units)]
    tops = _bulk(
        Organization,
        [
            Organization(
                kind=kind, name=f"中共{unit.name}{kind.label}", parent=root, unit=unit, founded_on=founded
            )
            for unit, kind in zip(units, top_kinds, strict=True)
        ],
    )
    discipline = _bulk(
        Organization,
        [
            Organization(
                kind=Kind.DISCIPLINE_COMMITTEE,
                name=f"中共{top.unit.name}机关纪委",
                parent=top,
                unit=top.unit,
                founded_on=founded,
            )
            for top in tops
            if top.kind == Kind.PARTY_COMMITTEE
        ],
    )
    rest = max(0, scale.orgs - 1 - len(tops) - len(discipline))
    n_branches = rest * 4 // 5
    n_groups = rest - n_branches
    parents_of_branches = [top for top in tops if top.kind != Kind.BRANCH] or tops
    branches = []
    for index in range(n_branches):
        parent = parents_of_branches[index % len(parents_of_branches)]
        kind = Kind.BRANCH if parent.kind != Kind.BRANCH else Kind.PARTY_GROUP
        branches.append(
            Organization(
                kind=kind,
                name=f"{parent.unit.name}第{index + 1}党支部",
                parent=parent,
                unit=parent.unit,
                founded_on=founded,
            )
        )
    branches = _bulk(Organization, branches)
    branch_like = [o for o in branches if o.kind == Kind.BRANCH] + [t for t in tops if t.kind == Kind.BRANCH]
    groups = _bulk(
        Organization,
        [
            Organization(
                kind=Kind.PARTY_GROUP,
                name=f"{branch_like[i % len(branch_like)].name}第{i + 1}党小组",
                parent=branch_like[i % len(branch_like)],
                unit=branch_like[i % len(branch_like)].unit,
                founded_on=founded,
            )
            for i in range(n_groups if branch_like else 0)
        ],
    )
    return Tree(root, tops, discipline, branches, groups, parents_of_branches, branch_like)


def _history(rng, tree: Tree, span: Span) -> None:
    """Some branches founded, renamed, moved or dissolved within the years; every organization's
    versions and events."""
    span_start, span_end = span.start, span.end
    branches, parents_of_branches = tree.branches, tree.parents_of_branches
    versions, events = [], []
    changed = rng.sample(branches, k=min(len(branches), max(1, len(branches) // 10)))
    for index, org in enumerate(changed):
        day = _random_day(rng, span_start, span_end - datetime.timedelta(days=2))
        change = index % 4
        if change == 0:  # founded within the span
            org.founded_on = day
            events.append(OrganizationEvent(organization=org, kind=EventKind.FOUNDED, date=day))
            versions.append(
                OrganizationVersion(organization=org, name=org.name, parent=org.parent, valid_from=day)
            )
        elif change == 1:  # renamed
            old = org.name
            org.name = f"{old}（更名）"
            versions.append(
                OrganizationVersion(
                    organization=org, name=old, parent=org.parent, valid_from=org.founded_on, valid_to=day
                )
            )
            versions.append(
                OrganizationVersion(organization=org, name=org.name, parent=org.parent, valid_from=day)
            )
            events.append(
                OrganizationEvent(
                    organization=org, kind=EventKind.RENAMED, date=day, old_name=old, new_name=org.name
                )
            )
        elif change == 2 and len(parents_of_branches) > 1:  # moved under another parent
            old_parent = org.parent
            new_parent = rng.choice([p for p in parents_of_branches if p != old_parent])
            org.parent = new_parent
            versions.append(
                OrganizationVersion(
                    organization=org,
                    name=org.name,
                    parent=old_parent,
                    valid_from=org.founded_on,
                    valid_to=day,
                )
            )
            versions.append(
                OrganizationVersion(organization=org, name=org.name, parent=new_parent, valid_from=day)
            )
            events.append(
                OrganizationEvent(
                    organization=org,
                    kind=EventKind.REPARENTED,
                    date=day,
                    old_parent=old_parent,
                    new_parent=new_parent,
                )
            )
        else:  # dissolved
            org.dissolved_on = day
            versions.append(
                OrganizationVersion(
                    organization=org, name=org.name, parent=org.parent, valid_from=org.founded_on
                )
            )
            events.append(OrganizationEvent(organization=org, kind=EventKind.DISSOLVED, date=day))
    changed_ids = {org.pk for org in changed}
    Organization.objects.bulk_update(
        changed, ["founded_on", "name", "parent", "dissolved_on"], batch_size=BATCH
    )
    versions += [
        OrganizationVersion(organization=o, name=o.name, parent=o.parent, valid_from=o.founded_on)
        for o in tree.organizations
        if o.pk not in changed_ids and o is not tree.root
    ]
    _bulk(OrganizationVersion, [v.with_search_keys() for v in versions])
    _bulk(OrganizationEvent, events)


# --- members ----------------------------------------------------------------------------------


def _members(rng, scale: Scale, tree: Tree, span: Span, used: set) -> list:
    """Members on the roster of the branches, a few moved between branches or gone."""
    span_start, span_end = span.start, span.end
    homes = tree.homes
    members = []
    today = dates.today()
    for index in range(scale.members):
        gender = Gender.MALE if rng.random() < 0.55 else Gender.FEMALE
        birth = datetime.date(rng.randint(1940, 2001), rng.randint(1, 12), rng.randint(1, 28))
        admitted = _random_day(
            rng, max(birth.replace(year=birth.year + 19), datetime.date(1965, 1, 1)), span_end
        )
        confirmed = admitted + datetime.timedelta(days=365)
        if confirmed > today or rng.random() < 0.01:
            confirmed = None
        home = homes[index % len(homes)]
        category = rng.choices([Category.IN_SERVICE, Category.RETIRED, Category.OTHER], [75, 22, 3])[0]
        left_on = _random_day(rng, span_start, span_end) if rng.random() < 0.03 else None
        if left_on is not None and left_on <= admitted:
            left_on = None
        members.append(
            Member(
                name=_name(rng),
                gender=gender,
                id_number=id_number(rng, birth, gender, used),
                birth_date=birth,
                ethnicity=rng.choice(ETHNICITIES),
                education=rng.choice(EDUCATIONS),
                phone=f"139{index:08d}",
                organization=home,
                category=category,
                status=Status.FULL if confirmed else Status.PROBATIONARY,
                admitted_on=admitted,
                confirmed_on=confirmed,
                left_on=left_on,
                left_reason=rng.choice(LeftReason.values) if left_on else "",
            )
        )
    members = _bulk(Member, members)
    member_versions = []
    for member in members:
        start = max(member.admitted_on, member.organization.founded_on)
        if rng.random() < 0.05 and len(homes) > 1:  # moved from another branch within the span
            moved = _random_day(rng, max(start, span_start) + datetime.timedelta(days=1), span_end)
            if moved > start:
                other = homes[(homes.index(member.organization) + 1) % len(homes)]
                member_versions.append(
                    MemberVersion(
                        member=member,
                        organization=other,
                        category=member.category,
                        valid_from=start,
                        valid_to=moved,
                    )
                )
                start = moved
        member_versions.append(
            MemberVersion(
                member=member,
                organization=member.organization,
                category=member.category,
                valid_from=start,
                valid_to=member.left_on if member.left_on and member.left_on > start else None,
            )
        )
    _bulk(MemberVersion, member_versions)

    return members


# --- activities -------------------------------------------------------------------------------


def _activities(rng, scale: Scale, tree: Tree, span: Span) -> tuple[list, list]:
    """Activities of every kind (the committee's own among them) with topics, joined organizations
    and condolence visits."""
    root, grass_roots = tree.root, tree.grass_roots
    branch_kinds, branch_weights = zip(*BRANCH_KINDS, strict=True)
    root_kinds, root_weights = zip(*ROOT_KINDS, strict=True)
    actors = grass_roots + tree.groups
    activities = []
    n_root = max(1, scale.activities // 200)
    for index in range(scale.activities):
        day = _random_day(rng, span.start, span.end)
        if index < n_root:
            org, kind = root, rng.choices(root_kinds, root_weights)[0]
        else:
            org = actors[index % len(actors)]
            kind = (
                ActivityKind.GROUP_MEETING
                if org.kind == Kind.PARTY_GROUP
                else rng.choices(branch_kinds, branch_weights)[0]
            )
        expected = rng.randint(5, 40)
        attended = None if rng.random() < 0.02 else rng.randint(expected // 2, expected)
        activities.append(
            Activity(
                organization=org,
                kind=kind,
                date=day,
                title=f"{kind.label}（{day:%Y年%m月}）",
                place="会议室",
                expected_count=expected,
                attended_count=attended,
            )
        )
    activities = _bulk(Activity, activities)
    topics, joins, visits = [], [], []
    for activity in activities:
        if rng.random() < 0.3:
            for topic in rng.sample(TOPICS, k=rng.randint(1, 2)):
                topics.append(ActivityTopic(activity=activity, topic=topic))
        if activity.organization_id == root.pk and rng.random() < 0.3:
            for org in rng.sample(grass_roots, k=min(3, len(grass_roots))):
                joins.append(
                    Activity.joined_organizations.through(activity_id=activity.pk, organization_id=org.pk)
                )
        if activity.kind == ActivityKind.CONDOLENCE_VISIT:
            for _ in range(rng.randint(1, 3)):
                visits.append(
                    CondolenceVisit(
                        activity=activity, person_name=_name(rng), amount=rng.choice([500, 800, 1000])
                    )
                )
    _bulk(ActivityTopic, topics)
    _bulk(Activity.joined_organizations.through, joins)
    _bulk(CondolenceVisit, visits)

    return activities, topics


# --- people on their way in, and their trainings -------------------------------------------------


def _prospects_and_trainings(rng, scale: Scale, tree: Tree, span: Span, used: set, activities: list) -> None:
    homes = tree.homes
    prospects = []
    for index in range(max(1, scale.members // 20)):
        gender = rng.choice(Gender.values)
        birth = datetime.date(rng.randint(1975, 2003), rng.randint(1, 12), rng.randint(1, 28))
        prospects.append(
            Prospect(
                name=_name(rng),
                gender=gender,
                id_number=id_number(rng, birth, gender, used),
                birth_date=birth,
                organization=homes[index % len(homes)],
                stage=rng.choice([Stage.ACTIVIST, Stage.CANDIDATE]),
                applied_on=_random_day(rng, span.start, span.end),
            )
        )
    prospects = _bulk(Prospect, prospects)
    # The steps their stage follows from (members.development.stage_on): applied, activist a month
    # later, candidate a year after that.
    steps = []
    for prospect in prospects:
        steps.append(DevelopmentStep(prospect=prospect, number=1, done_on=prospect.applied_on))
        activist_on = prospect.applied_on + datetime.timedelta(days=30)
        steps.append(DevelopmentStep(prospect=prospect, number=3, done_on=activist_on))
        if prospect.stage == Stage.CANDIDATE:
            steps.append(
                DevelopmentStep(
                    prospect=prospect, number=7, done_on=activist_on + datetime.timedelta(days=366)
                )
            )
    _bulk(DevelopmentStep, steps)
    trainings = [a for a in activities if a.kind == ActivityKind.TRAINING]
    trainees = []
    if trainings:
        for prospect in prospects:
            trainees.append(TrainingAttendance(activity=rng.choice(trainings), prospect=prospect, hours=24))
    _bulk(TrainingAttendance, trainees)


# --- posts, elections, liaison, honours, documents, letters --------------------------------------


def _posts(rng, tree: Tree, span: Span) -> None:
    """Secretaries and deputies, elections, and the committee's liaison assignments."""
    span_start, span_end = span.start, span.end
    for_each = tree.grass_roots
    appointments, elections = [], []
    for org in for_each:
        start = org.founded_on
        appointments.append(
            Appointment(organization=org, person_name=_name(rng), post=Post.SECRETARY, start_on=start)
        )
        if rng.random() < 0.3:
            day = _random_day(rng, span_start, span_end)
            if day > start:
                appointments.append(
                    Appointment(
                        organization=org, person_name=_name(rng), post=Post.DEPUTY_SECRETARY, start_on=day
                    )
                )
        elected = _random_day(rng, datetime.date(span.first_year - 4, 1, 1), span_end)
        years = 5 if org.kind == Kind.PARTY_COMMITTEE else 3
        elections.append(
            Election(
                organization=org,
                term_number=1,
                elected_on=elected,
                expires_on=datetime.date(elected.year + years, elected.month, min(elected.day, 28)),
            )
        )
    _bulk(Appointment, appointments)
    _bulk(Election, elections)
    _bulk(
        LiaisonAssignment,
        [
            LiaisonAssignment(
                leader_name=f"班子成员{i % 7 + 1}", committee=tree.root, organization=org, start_on=span_start
            )
            for i, org in enumerate(tree.tops)
        ],
    )


def _honours(rng, scale: Scale, tree: Tree, span: Span, members: list) -> None:
    """Commendations of members and organizations, and the 光荣在党50年 medals, every year."""
    root, grass_roots = tree.root, tree.grass_roots
    commendations, medals = [], []
    medal_members = iter(rng.sample(members, k=min(len(members), scale.years * 20)))
    for year in range(span.first_year, span.last_year + 1):
        day = datetime.date(year, 6, 28)
        for member in rng.sample(members, k=min(len(members), 30)):
            kind = rng.choice([CommendationKind.OUTSTANDING_MEMBER, CommendationKind.OUTSTANDING_WORKER])
            commendations.append(
                Commendation(kind=kind, member=member, person_name=member.name, granted_by=root, date=day)
            )
        for org in rng.sample(grass_roots, k=min(len(grass_roots), 10)):
            commendations.append(
                Commendation(
                    kind=CommendationKind.ADVANCED_ORGANIZATION,
                    recipient_organization=org,
                    granted_by=root,
                    date=day,
                )
            )
        for member in [m for m in (next(medal_members, None) for _ in range(20)) if m is not None]:
            medals.append(
                MedalAward(member=member, year=year, awarded_on=datetime.date(year, 7, 1), awarded_by=root)
            )
    _bulk(Commendation, commendations)
    _bulk(MedalAward, medals)


def _papers(rng, tree: Tree, span: Span) -> None:
    """The committee's documents, responsibility lists with their items, and reminder letters."""
    root, grass_roots, tops = tree.root, tree.grass_roots, tree.tops
    documents, lists, items, letters = [], [], [], []
    for year in range(span.first_year, span.last_year + 1):
        for serial in range(1, 21):
            kind = (
                [DocumentKind.RESPONSIBILITY_LIST] * 4
                + [DocumentKind.WORK_POINTS, DocumentKind.REGULATION]
                + [DocumentKind.NOTICE] * 14
            )
            documents.append(
                Document(
                    issuer=root,
                    prefix="党工通",
                    year=year,
                    serial=serial,
                    kind=kind[serial - 1],
                    title=f"{year}年{kind[serial - 1].label}{serial}",
                    issued_on=datetime.date(year, 2, 1) + datetime.timedelta(days=serial * 9),
                )
            )
    documents = _bulk(Document, documents)
    for document in documents:
        if document.kind in (DocumentKind.RESPONSIBILITY_LIST, DocumentKind.WORK_POINTS):
            list_kind = (
                ListKind.WORK_POINTS if document.kind == DocumentKind.WORK_POINTS else ListKind.RESPONSIBILITY
            )
            lists.append(ResponsibilityList(document=document, kind=list_kind, year=document.year))
    lists = _bulk(ResponsibilityList, lists)
    for responsibility_list in lists:
        for number in range(1, 19):
            deadline = datetime.date(responsibility_list.year, rng.randint(3, 12), 28)
            done = rng.random() < 0.8
            items.append(
                ResponsibilityItem(
                    responsibility_list=responsibility_list,
                    number=number,
                    task=f"重点任务{number}",
                    responsible_organization=rng.choice(tops),
                    deadline=deadline,
                    status=ItemStatus.DONE if done else ItemStatus.IN_PROGRESS,
                    done_on=deadline if done else None,
                    is_key_task=responsibility_list.kind == ListKind.WORK_POINTS,
                )
            )
    _bulk(ResponsibilityItem, items)
    for year in range(span.first_year, span.last_year + 1):
        for org in rng.sample(grass_roots, k=min(len(grass_roots), 8)):
            letters.append(
                ReminderLetter(
                    sender=root,
                    addressee=org,
                    reason=ReminderReason.TERM_EXPIRING,
                    subject=f"关于{org.name}换届的提醒",
                    body="请按期换届。",
                    status=LetterStatus.ISSUED,
                    issued_on=datetime.date(year, 9, 1),
                )
            )
    _bulk(ReminderLetter, letters)

"""The members of the demo county: several hundred members in the branches, a development
pipeline in every stage, transfers, confirmations, deaths, commendations and medals.

Everything goes through members.services, so the demo carries the same history and audit as
real use. Deterministic: all randomness comes from `county.rng`.
"""

import datetime

from jiguan.dates import add_months
from members import development, rules, services
from members.idnumber import check_digit
from members.models import Category, CommendationKind, LeftReason, Member, TransferScope
from organizations.models import Kind, Organization

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦覃蒙莫黎卢陆廖蓝农"
GIVEN = (
    "建国文静海燕志强秀英丽娟军华明芳伟红玉兰桂英春梅德胜立新晓东雪梅俊杰宏伟永福丽萍小琴家豪宇航佳怡思远子涵"
)
EDUCATIONS = ["研究生", "大学本科", "大学本科", "大学本科", "大学专科", "大学专科", "中专", "高中"]
ETHNICITIES = ["汉族"] * 6 + ["壮族", "壮族", "瑶族", "苗族"]
REGION = "450322"
HIGHER_BODY = "中共示范县委"


class _People:
    """Names and valid ID numbers, never repeated."""

    def __init__(self, rng):
        self.rng = rng
        self.serial = 0
        self.used = set()

    def name(self):
        rng = self.rng
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        return rng.choice(SURNAMES) + given

    def identity(self, birth_date, gender=None):
        rng = self.rng
        gender = gender or rng.choice("MF")
        while True:
            self.serial += 1
            sequence = (self.serial * 7) % 500 * 2 + (1 if gender == "M" else 0)
            first17 = f"{REGION}{birth_date:%Y%m%d}{sequence:03d}"
            id_number = first17 + check_digit(first17)
            if id_number not in self.used:
                self.used.add(id_number)
                return gender, id_number

    def birth_date(self, first_year, last_year):
        rng = self.rng
        return datetime.date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def _days(n):
    return datetime.timedelta(days=n)


def _member_holding(county):
    """Branches that hold members today (read afresh: the tree may have changed since it was built)."""
    pks = {organization.pk for organization in county.organizations.values()}
    return list(
        Organization.objects.filter(pk__in=pks, kind=Kind.BRANCH, dissolved_on__isnull=True).order_by("pk")
    )


def _create_member(county, people, actor, organization, *, category, admitted_on, birth_date, confirm=True):
    gender, id_number = people.identity(birth_date)
    admitted_on = max(admitted_on, birth_date.replace(year=birth_date.year + 19))
    member = services.member_create(
        actor=actor,
        organization=organization,
        name=people.name(),
        gender=gender,
        id_number=id_number,
        birth_date=birth_date,
        ethnicity=county.rng.choice(ETHNICITIES),
        education=county.rng.choice(EDUCATIONS),
        phone=f"1{county.rng.choice('3578')}{county.rng.randint(100000000, 999999999)}",
        category=category,
        admitted_on=admitted_on,
        record_admission=admitted_on.year >= county.years[0] - 1,
        confirmed_on=None,
    )
    confirm_on = rules.normal_probation_end(admitted_on)
    if confirm and confirm_on <= county.today:
        member = services.member_confirm(actor=actor, member=member, date=confirm_on)
    return member


def _roster(county, people, actor):
    rng, today = county.rng, county.today
    members = []
    for organization in _member_holding(county):
        for _ in range(rng.randint(8, 16)):
            roll = rng.random()
            if roll < 0.75:
                category, birth = Category.IN_SERVICE, people.birth_date(today.year - 58, today.year - 24)
            elif roll < 0.95:
                category, birth = Category.RETIRED, people.birth_date(1940, today.year - 61)
            else:
                category, birth = Category.OTHER, people.birth_date(1960, today.year - 30)
            age_at_admission = rng.randint(21, 36)
            admitted = birth.replace(year=birth.year + age_at_admission) + _days(rng.randint(0, 300))
            if admitted > today - _days(30):
                admitted = today - _days(rng.randint(30, 600))
            members.append(
                _create_member(
                    county,
                    people,
                    actor,
                    organization,
                    category=category,
                    admitted_on=admitted,
                    birth_date=birth,
                )
            )
    return members


def _veterans(county, people, actor, branches):
    """Members whose 党龄 reaches 50 years in the demo years (光荣在党50年)."""
    rng = county.rng
    veterans = []
    for year in county.years:
        for _ in range(5):
            birth = people.birth_date(1945, 1952)
            confirmed = datetime.date(year - 50, rng.randint(1, 6), rng.randint(1, 28))
            admitted = add_months(confirmed, -12)
            veterans.append(
                _create_member(
                    county,
                    people,
                    actor,
                    rng.choice(branches),
                    category=Category.RETIRED,
                    admitted_on=admitted,
                    birth_date=birth,
                )
            )
    return veterans


def _merges(county, people, actor):
    """Members of the branches merged away (county.extra["merges"]) move on the merge day."""
    for from_organization, to_organization, date in county.extra.get("merges", []):
        from_organization.refresh_from_db()
        for _ in range(county.rng.randint(4, 8)):
            birth = people.birth_date(1965, 1995)
            start = max(from_organization.founded_on, birth.replace(year=birth.year + 25))
            if start >= date - _days(400):
                continue
            admitted = start + _days(county.rng.randint(0, (date - start).days - 400))
            member = _create_member(
                county,
                people,
                actor,
                from_organization,
                category=Category.IN_SERVICE,
                admitted_on=admitted,
                birth_date=birth,
            )
            services.member_move(
                actor=actor,
                member=member,
                to_organization=to_organization,
                date=date,
                note=f"{from_organization.name}整体划入{to_organization.name}",
            )


def _in_year(county, year, first_month=1):
    last = min(datetime.date(year, 12, 28), county.today - _days(1))
    first = datetime.date(year, first_month, 1)
    if last <= first:
        return first
    return first + _days(county.rng.randint(0, (last - first).days))


def _changes(county, people, actor, members, branches):
    """Moves, transfers in and out, retirements and deaths in the demo years."""
    rng = county.rng
    candidates = [m for m in members if m.admitted_on.year < county.years[0] - 1]
    rng.shuffle(candidates)
    for year in county.years:
        for member in candidates[:4]:
            targets = [b for b in branches if b.pk != member.organization_id]
            services.member_move(
                actor=actor, member=member, to_organization=rng.choice(targets), date=_in_year(county, year)
            )
        for member in candidates[4:6]:
            services.member_transfer_out(
                actor=actor,
                member=member,
                date=_in_year(county, year),
                scope=rng.choice(TransferScope.values),
                external_organization=rng.choice(["中共邻县县直机关工委", "中共市直机关工委某局支部"]),
            )
        for _ in range(3):
            birth = people.birth_date(1975, 1998)
            gender, id_number = people.identity(birth)
            admitted = birth.replace(year=birth.year + 24)
            services.member_transfer_in(
                actor=actor,
                organization=rng.choice(branches),
                date=_in_year(county, year),
                scope=rng.choice(TransferScope.values),
                external_organization=rng.choice(["中共邻县县直机关工委", "中共省直机关某厅支部"]),
                name=people.name(),
                gender=gender,
                id_number=id_number,
                birth_date=birth,
                admitted_on=admitted,
                confirmed_on=rules.normal_probation_end(admitted),
                education=rng.choice(EDUCATIONS),
            )
        retiring = [m for m in candidates[6:10] if m.category == Category.IN_SERVICE]
        for member in retiring:
            services.member_change_category(
                actor=actor, member=member, category=Category.RETIRED, date=_in_year(county, year)
            )
        candidates = candidates[10:]
    old = [m for m in candidates if m.category == Category.RETIRED and m.birth_date.year < 1955]
    for member in old[:3]:
        member.refresh_from_db()
        if member.left_on is None:
            services.member_leave(
                actor=actor,
                member=member,
                date=_in_year(county, county.years[-1]),
                reason=LeftReason.DIED,
            )


# The number of days each step comes after the previous one, chosen to keep every rule.
_STEP_GAPS = {
    2: 14, 3: 60, 4: 10, 5: 5, 6: 180, 7: 200, 8: 10, 9: 10, 10: 30, 11: 20, 12: 20, 13: 10,
    14: 10, 15: 15, 16: 20, 17: 30, 18: 10, 19: 5, 20: 30, 21: 200, 22: 100, 23: 15, 24: 20, 25: 20,
}  # fmt: skip


def _walk(county, actor, prospect, start, last_step):
    """Record steps 2..last_step for `prospect` (step 1 is its application on `start`)."""
    day = start
    done = {1: start}
    for number in range(2, last_step + 1):
        day = day + _days(_STEP_GAPS[number])
        if number == development.CANDIDATE_CHOSEN:
            day = max(day, done[development.ACTIVIST_CHOSEN] + _days(370))
        if number == development.CONFIRMATION_MEETING:
            day = max(day, rules.probation_end(prospect.member))
        extra = {}
        if number == 5:
            extra["mentors"] = "王建国、李秀英"
        elif number == 9:
            extra["sponsors"] = "张志强、刘丽娟"
        elif number == development.TRAINING:
            extra.update(days=3, hours=24)
        elif number in (development.ADMISSION_MEETING, development.CONFIRMATION_MEETING):
            extra.update(voters_entitled=12, votes_for=county.rng.randint(9, 12))
        services.prospect_record_step(actor=actor, prospect=prospect, number=number, done_on=day, **extra)
        done[number] = day
        prospect.refresh_from_db()


def _span(last_step):
    days = sum(_STEP_GAPS[n] for n in range(2, last_step + 1))
    if last_step >= development.CANDIDATE_CHOSEN:
        days += 200  # the year as activist
    if last_step >= development.CONFIRMATION_MEETING:
        days += 150  # waiting for probation to end
    return days


def _pipeline(county, people, actor, branches):
    """Prospects in every stage, in a few branches (the demo secretary's branch among them)."""
    rng = county.rng
    secretary_branch = county.organizations.get("demo_secretary_org")
    chosen = [secretary_branch] if secretary_branch is not None else []
    chosen += rng.sample([b for b in branches if b not in chosen], min(5, len(branches)))
    # last step recorded -> how many in each chosen branch
    plan = [(1, 1), (2, 1), (6, 2), (11, 1), (14, 1), (17, 1), (21, 1), (25, 1)]
    for organization in chosen:
        for last_step, count in plan:
            for _ in range(count):
                birth = people.birth_date(1988, 2003)
                gender, id_number = people.identity(birth)
                latest_start = county.today - _days(_span(last_step) + 5)
                start = latest_start - _days(rng.randint(0, 120))
                start = max(start, birth.replace(year=birth.year + 18) + _days(1), organization.founded_on)
                if start > latest_start:
                    continue
                prospect = services.prospect_create(
                    actor=actor,
                    organization=organization,
                    name=people.name(),
                    gender=gender,
                    id_number=id_number,
                    birth_date=birth,
                    applied_on=start,
                    education=rng.choice(EDUCATIONS),
                )
                if last_step > 1:
                    _walk(county, actor, prospect, start, last_step)
    # One applicant waiting too long for the talk, so the board shows lateness.
    if secretary_branch is not None:
        birth = people.birth_date(1995, 2000)
        gender, id_number = people.identity(birth)
        services.prospect_create(
            actor=actor,
            organization=secretary_branch,
            name=people.name(),
            gender=gender,
            id_number=id_number,
            birth_date=birth,
            applied_on=county.today - _days(60),
        )


def _honours(county, actor, members, branches):
    rng, root = county.rng, county.root
    for year in county.years:
        day = min(datetime.date(year, 6, 28), county.today)
        on_roster = [m for m in Member.objects.as_of(day).filter(pk__in=[m.pk for m in members])]
        for member in rng.sample(on_roster, min(10, len(on_roster))):
            services.commendation_create(
                actor=actor,
                kind=CommendationKind.OUTSTANDING_MEMBER,
                granted_by=root,
                date=day,
                member=member,
                document_number=f"示党工通〔{year}〕{rng.randint(10, 30)}号",
            )
        for member in rng.sample(on_roster, min(3, len(on_roster))):
            services.commendation_create(
                actor=actor,
                kind=CommendationKind.OUTSTANDING_WORKER,
                granted_by=root,
                date=day,
                member=member,
            )
        for organization in rng.sample(branches, min(5, len(branches))):
            services.commendation_create(
                actor=actor,
                kind=CommendationKind.ADVANCED_ORGANIZATION,
                granted_by=root,
                date=day,
                recipient_organization=organization,
            )
        for member in rng.sample(on_roster, min(2, len(on_roster))):
            services.commendation_create(
                actor=actor,
                kind=CommendationKind.OUTSTANDING_MEMBER,
                granted_by=root,
                date=max(day - _days(30), datetime.date(year, 1, 1)),
                member=member,
                recommended=True,
                higher_body=HIGHER_BODY,
            )
        services.commendation_create(
            actor=actor,
            kind=CommendationKind.ADVANCED_ORGANIZATION,
            granted_by=root,
            date=max(day - _days(30), datetime.date(year, 1, 1)),
            recipient_organization=rng.choice(branches),
            recommended=True,
            higher_body=HIGHER_BODY,
        )


def _medals(county, actor):
    from members import selectors

    for year in county.years:
        awarded_on = datetime.date(year, 6, 28)
        if awarded_on > county.today:
            continue
        for member in selectors.medal_eligible(year):
            services.medal_award(
                actor=actor, member=member, year=year, awarded_on=awarded_on, awarded_by=county.root
            )


def build(county):
    actor = county.users.get("gongwei")
    people = _People(county.rng)
    branches = _member_holding(county)
    if not branches:
        return
    members = _roster(county, people, actor)
    members += _veterans(county, people, actor, branches)
    _merges(county, people, actor)
    _pipeline(county, people, actor, branches)
    _changes(county, people, actor, members, branches)
    _medals(county, actor)
    _honours(county, actor, members, branches)
    county.extra["members"] = members

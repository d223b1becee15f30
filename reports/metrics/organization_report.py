"""Beyond METRICS.md: the numbers of the report of a 机关党委, 党总支部 or 党支部, in the order of
docs/metrics-organizations.md (definitions there, in the same notation: R, Y, S, E). They follow the
seed's in the registry, so they come after them in the 指标 sheet."""

from django.db.models import Q

from activities.models import ActivityKind
from members.models import INDIVIDUAL_COMMENDATIONS, Category, CommendationKind, Status
from organizations.models import Organization
from reports.metrics.registry import from_scope, metric


@metric(
    "members_total",
    "党员总数",
    source="members_on_end",
    definition="12月31日本组织及下级在册党员人数（含预备党员）。",
)
def members_total(scope):
    """members (full and probationary) of S on E"""
    return Q()


@metric("members_full", "正式党员人数", source="members_on_end", definition="其中正式党员人数。")
def members_full(scope):
    """of those, full members (正式党员) on E"""
    return Q(status_then=Status.FULL)


@metric("members_probationary", "预备党员人数", source="members_on_end", definition="其中预备党员人数。")
def members_probationary(scope):
    """of those, probationary members (预备党员) on E"""
    return Q(status_then=Status.PROBATIONARY)


@metric(
    "members_retired", "离退休党员人数", source="members_on_end", definition="其中人员类别为“离退休”的人数。"
)
def members_retired(scope):
    """of those, members whose category on E is 离退休"""
    return Q(category_then=Category.RETIRED)


@metric(
    "members_confirmed",
    "预备党员转正人数",
    source="confirmations",
    aggregate="distinct:member",
    definition="转正日期在当年、且转正时所在党组织属于本组织及下级的党员人数。",
)
def members_confirmed(scope):
    """members whose 转正日期 falls in Y and whose organization was in S: the organization they belonged
    to on 转正日期, or, where the records place them in none that day, the first organization they
    belonged to (as for `probationary_admitted`)"""
    return Q()


@metric(
    "general_meetings",
    "召开支部党员大会次数",
    source="activities",
    definition="本组织及下级当年召开“支部党员大会”的次数。",
)
def general_meetings(scope):
    """activities of kind 支部党员大会 in S in Y"""
    return Q(kind=ActivityKind.GENERAL_MEETING)


@metric(
    "branch_committee_meetings",
    "召开支部委员会次数",
    source="activities",
    definition="本组织及下级当年召开“支部委员会”的次数。",
)
def branch_committee_meetings(scope):
    """activities of kind 支部委员会 in S in Y"""
    return Q(kind=ActivityKind.COMMITTEE_MEETING)


@metric(
    "group_meetings",
    "召开党小组会次数",
    source="activities",
    definition="本组织及下级党小组当年召开“党小组会”的次数。",
)
def group_meetings(scope):
    """activities of kind 党小组会 in S in Y (held by the 党小组 of S)"""
    return Q(kind=ActivityKind.GROUP_MEETING)


@metric("party_lectures", "讲党课次数", source="activities", definition="本组织及下级当年讲“党课”的次数。")
def party_lectures(scope):
    """activities of kind 党课 in S in Y"""
    return Q(kind=ActivityKind.PARTY_LECTURE)


@metric(
    "theme_days", "开展主题党日次数", source="activities", definition="本组织及下级当年开展“主题党日”的次数。"
)
def theme_days(scope):
    """activities of kind 主题党日 in S in Y"""
    return Q(kind=ActivityKind.THEME_DAY)


@metric(
    "life_meetings",
    "召开组织生活会次数",
    source="activities",
    definition="本组织及下级当年召开“组织生活会”的次数。",
)
def life_meetings(scope):
    """activities of kind 组织生活会 in S in Y"""
    return Q(kind=ActivityKind.LIFE_MEETING)


@metric(
    "democratic_reviews",
    "开展民主评议党员次数",
    source="activities",
    definition="本组织及下级当年开展“民主评议党员”的次数。",
)
def democratic_reviews(scope):
    """activities of kind 民主评议党员 in S in Y"""
    return Q(kind=ActivityKind.DEMOCRATIC_REVIEW)


def _branches_with_missing_periods(scope, rows):
    ids = [branch.organization.pk for branch in scope.rhythm if branch.missing]
    return Organization.objects.filter(pk__in=ids)


@from_scope(
    "rhythm_missing",
    "三会一课等组织生活缺项次数",
    presence="activities",
    records=_branches_with_missing_periods,
    definition="本组织及下级党支部按规定频次应开展而未开展的组织生活期次（三会一课、主题党日、组织生活会、民主评议党员），往年按全年统计，当年统计到今天。",
)
def rhythm_missing(scope):
    """required periods (DOMAIN.md frequencies) that ended without their activity, summed over the
    branches of S: the 三会一课 record of activities.rhythm, read after Y ended (today in the current
    year); the drill-down lists the branches with a missing period"""
    return sum(branch.missing for branch in scope.rhythm)


@metric(
    "members_commended",
    "受表彰党员人数",
    source="commendations_received",
    aggregate="distinct:member",
    definition="当年受到“优秀共产党员”“优秀党务工作者”表彰时属于本组织及下级的党员人数（向上推荐不计，同一人不重复计）。",
)
def members_commended(scope):
    """distinct members of S (on the commendation's date) granted 优秀共产党员 or 优秀党务工作者 in Y,
    by any organization (a recommendation upward is not counted)"""
    return Q(kind__in=INDIVIDUAL_COMMENDATIONS, member__isnull=False)


@metric(
    "orgs_commended",
    "获评先进基层党组织个数",
    source="commendations_received",
    aggregate="distinct:recipient_organization",
    definition="当年获评“先进基层党组织”时属于本组织及下级的党组织个数（向上推荐不计）。",
)
def orgs_commended(scope):
    """distinct organizations of S (on the commendation's date) granted 先进基层党组织 in Y, by any
    organization (a recommendation upward is not counted)"""
    return Q(kind=CommendationKind.ADVANCED_ORGANIZATION, recipient_organization__isnull=False)

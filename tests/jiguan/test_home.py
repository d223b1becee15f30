"""The home page: the start of the day for committee staff, leadership and branch secretaries."""

import datetime

import pytest
from django.urls import reverse

from activities import services as activity_services
from activities.models import Activity, ActivityKind, ReminderReason
from jiguan import dates
from jiguan.dates import add_months
from members.dues import services as dues_services
from organizations.models import AccountOrganization, Election
from tests.factories import MemberFactory, dues_ledger_up_to_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(clock, committee, branch_a, branch_b, group_a, staff):
    """A little of everything the home page counts, relative to today: a day in mid-year, when some
    months of the 三会一课 record have passed (on 1 January nothing can be missing yet)."""
    clock.move_to(
        datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    )
    today = dates.today()
    for _ in range(3):
        MemberFactory(organization=branch_a)
    MemberFactory(
        organization=branch_b, name="到期预备", status="PROBATIONARY", admitted_on=add_months(today, -14)
    )
    MemberFactory(
        organization=branch_b, name="新预备", status="PROBATIONARY", admitted_on=add_months(today, -2)
    )
    Activity.objects.create(organization=branch_a, kind=ActivityKind.THEME_DAY, date=today, title="主题党日")
    Activity.objects.create(
        organization=branch_a,
        kind=ActivityKind.THEME_DAY,
        date=datetime.date(today.year - 1, 5, 1),
        title="去年",
    )
    Election.objects.create(
        organization=branch_a,
        term_number=1,
        elected_on=add_months(today, -36),
        expires_on=today - datetime.timedelta(days=1),
    )
    Election.objects.create(
        organization=branch_b,
        term_number=1,
        elected_on=add_months(today, -34),
        expires_on=add_months(today, 2),
    )
    # One draft per addressee and reason (a constraint): three reasons.
    reasons = (ReminderReason.TERM_OVERDUE, ReminderReason.ACTIVITIES_MISSING, ReminderReason.ITEMS_OVERDUE)
    for subject, reason in zip(("草稿一", "草稿二", "已发出"), reasons, strict=True):
        letter = activity_services.reminder_letter_create(
            actor=staff,
            sender=committee,
            addressee=branch_a,
            reason=reason,
            subject=subject,
            body="请按期换届。",
        )
    activity_services.reminder_letter_issue(actor=staff, letter=letter, prefix="党工提", issued_on=today)
    activity_services.responsibility_list_issue(
        actor=staff,
        issuer=committee,
        prefix="党工通",
        title="主体责任清单",
        issued_on=today - datetime.timedelta(days=60),
        items=[
            activity_services.ItemEntry(
                "召开专题会议", responsible_organization=branch_a, deadline=today - datetime.timedelta(days=1)
            ),
            activity_services.ItemEntry(
                "开展警示教育",
                responsible_organization=branch_b,
                deadline=today + datetime.timedelta(days=30),
            ),
        ],
    )
    return today


def card_value(html, card_id):
    """The number shown on a card, read from the rendered page."""
    start = html.index(f'id="{card_id}"')
    value = html.index('class="value', start)
    return int(html[html.index(">", value) + 1 : html.index("<", value)].strip())


def test_staff_sees_the_day_with_links(staff_client, county, branch_a, branch_b, django_assert_num_queries):
    # session, user, the user's organization (header), a savepoint, the organization count, then the
    # staff overview: members, activities, terms overdue, terms expiring, probation due, medals, rhythm
    # (branches, activity counts), letters, overdue items, and the dues warning (one member-month
    # query). Fixed, whatever the county's size. The overview and the warning are then stored for the
    # day and the records' version (for each: the version, the entry, and the write).
    dues_ledger_up_to_date()
    with django_assert_num_queries(32 + 1):  # + whether the dues ledger is up to date
        response = staff_client.get(reverse("home"))
    # Opened again with nothing written: the overview and the warning are read from the cache (the
    # records' version and the entry, for each) instead of the county's counts, and the session is
    # not written again within a minute.
    with django_assert_num_queries(8):
        again = staff_client.get(reverse("home"))
    assert again.content.decode() == response.content.decode().replace(
        *_csrf(response.content.decode(), again.content.decode())
    )
    html = response.content.decode()
    year = county.year
    assert (
        card_value(html, "card-organizations") == 2
    )  # the two branches; the committee and groups are not 基层
    assert card_value(html, "card-members") == 5
    assert card_value(html, "card-activities") == 1
    assert card_value(html, "card-terms-overdue") == 1
    assert card_value(html, "card-terms-expiring") == 1
    assert card_value(html, "card-probation") == 1
    assert card_value(html, "card-letter-drafts") == 2
    assert card_value(html, "card-letters-issued") == 1
    assert card_value(html, "card-items-overdue") == 1
    assert f"{reverse('activities:list')}?date_from={year}-01-01&amp;date_to={year}-12-31" in html
    assert f"{reverse('members:roster')}?probation=DUE" in html
    assert f"{reverse('activities:letters')}?status=DRAFT" in html
    assert reverse("activities:rhythm") in html
    assert reverse("activities:rhythm_branch", args=[branch_a.pk]) in html
    for name in ("activities:create", "members:create", "import_workbook"):
        assert f'href="{reverse(name)}"' in html
    # Drafting letters changes records: a button posting a form, not a link (issue 10).
    assert f'<form method="post" action="{reverse("activities:letters_draft")}">' in html


def _csrf(first, second):
    """The CSRF tokens of two renderings of a page (they differ per request), to compare the rest."""
    marker = 'name="csrfmiddlewaretoken" value="'
    if marker not in first:
        return ("", "")
    start, again = first.index(marker) + len(marker), second.index(marker) + len(marker)
    return (first[start : first.index('"', start)], second[again : second.index('"', again)])


def test_the_staff_counts_follow_a_write(staff_client, staff, county, branch_a):
    """The stored overview and dues warning are not shown stale: a member registered with a dues
    base (who has paid nothing in the warning's months) and a letter drafted change them at once."""

    def warned(response):
        (panel,) = (p for p in response.context["panels"] if p["template"] == "dues/_home_panel.html")
        return panel["warned"]

    first = staff_client.get(reverse("home"))
    before = first.content.decode()
    assert card_value(before, "card-members") == 5
    member = MemberFactory(organization=branch_a, name="新登记", admitted_on=datetime.date(2010, 7, 1))
    dues_services.base_set(actor=staff, member=member, start_month=datetime.date(2025, 1, 1), base="3000")
    second = staff_client.get(reverse("home"))
    after = second.content.decode()
    assert card_value(after, "card-members") == 6
    assert warned(second) == warned(first) + 1
    assert card_value(after, "card-letter-drafts") == 2
    activity_services.reminder_letter_create(
        actor=staff,
        sender=branch_a.parent,
        addressee=branch_a,
        reason=ReminderReason.OTHER,
        subject="又一份草稿",
        body="请按期开展活动。",
    )
    assert card_value(staff_client.get(reverse("home")).content.decode(), "card-letter-drafts") == 3


def test_staff_counts_match_the_linked_lists(staff_client, county):
    roster = staff_client.get(reverse("members:roster") + "?probation=DUE").content.decode()
    home = staff_client.get(reverse("home")).content.decode()
    assert card_value(home, "card-probation") == 1
    assert "到期预备" in roster and "新预备" not in roster


def test_leadership_sees_key_numbers_and_readiness(
    leader_client, county, committee, django_assert_num_queries
):
    # session, user, the user's organization, a savepoint, the organization count, the dashboard's
    # root, the metrics (subtree stretches, one aggregate per source, and the members no membership
    # places on their 入党日期) and the eight readiness checks (two of them the dues', two the
    # integrity work's), and before the metrics the records' version and the year's stored numbers (2);
    # the key numbers and the checks' summary are then stored for the records' version (a read of
    # the version and of the cache, and the write, for each).
    dues_ledger_up_to_date()
    with django_assert_num_queries(39 + 1):  # + whether the dues ledger is up to date
        response = leader_client.get(reverse("home"))
    # Opened again with nothing written: the key numbers and the checks are read from the cache
    # (the records' version and the entry, for each) instead of the subtree's aggregates and checks,
    # and the session is not written again within a minute.
    with django_assert_num_queries(9):
        again = leader_client.get(reverse("home"))
    assert again.context["leadership"]["numbers"] == response.context["leadership"]["numbers"]
    assert again.context["leadership"]["checks"] == response.context["leadership"]["checks"]
    assert "有 7 项需要处理后再出报告" in again.content.decode()
    # A write gives the records a new version: the summary is computed afresh, not read stale.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganizationFactory

    OrganizationFactory(parent=committee, kind="BRANCH", name="新成立党支部")
    with CaptureQueriesContext(connection) as fresh:
        leader_client.get(reverse("home"))
    assert len(fresh) > 9
    html = response.content.decode()
    year = county.year
    assert 'id="home-dashboard-link"' in html
    assert reverse("reports:dashboard") in html
    assert reverse("reports:readiness", args=[committee.pk, year]) in html
    assert reverse("reports:records", args=[committee.pk, year, "orgs_branches"]) in html
    numbers = response.context["leadership"]["numbers"]
    assert {n["code"]: n["value"] for n in numbers}["orgs_branches"] == 2
    # No branch has a 书记, branch_a's election is overdue, a member is past probation and the
    # activities carry no 实到人数, no member filed the year's 廉政风险防控表, no branch secretary has
    # reported and no member has a dues base: seven of the eight checks fail.
    assert "有 7 项需要处理后再出报告" in html
    assert "没有缴费基数的党员" in html
    assert "换届逾期的党组织" in html
    assert 'id="card-members"' not in html  # the staff's work cards are not the leadership's


def test_secretary_keeps_the_month_panel(secretary_client, county, branch_a, django_assert_num_queries):
    # session, user, the user's organization, a savepoint, the organization count, the branch's own
    # members and this year's activities (2 more since a single branch shows its own numbers instead
    # of "本组织及下级基层党组织 1"), the branch's rhythm (branches, activity counts) and the letters
    # awaiting handling; what else the branch owes (issue 10): list items not done (and their count),
    # members due for confirmation (and their count), terms ended and ending; the dues panel: the
    # warning (one member-month query), the branch's visible organizations for it, and the month's totals.
    # All of it is then stored for the branch, the day and the records' version (the version, the
    # entry, the write and the cache's own upkeep).
    dues_ledger_up_to_date()
    with django_assert_num_queries(28 + 1):  # + whether the dues ledger is up to date
        response = secretary_client.get(reverse("home"))
    # Opened again with nothing written: session, user, the user's organization (header and the
    # key of what is stored), the organization count, the records' version and the stored part.
    with django_assert_num_queries(6):
        again = secretary_client.get(reverse("home"))
    assert again.content.decode() == response.content.decode().replace(
        *_csrf(response.content.decode(), again.content.decode())
    )
    html = response.content.decode()
    assert 'id="dues-items-count"' in html and 'id="dues-probation-count"' in html
    assert 'id="dues-terms"' in html
    assert card_value(html, "card-own-members") == 3  # branch_a's three members
    assert card_value(html, "card-own-activities") == 1  # this year's, not last year's
    assert "本组织及下级基层党组织" not in html
    assert "本月还需完成" in html
    assert 'id="owed-this-month"' in html
    assert "已发出" in html  # the issued letter to branch_a awaits handling
    assert 'id="home-counts"' not in html and 'id="home-key-numbers"' not in html


def test_a_secretary_with_branches_below_sees_their_count(secretary_client, secretary, committee):
    from tests.factories import OrganizationFactory

    general = OrganizationFactory(parent=committee, kind="GENERAL_BRANCH", name="丙局机关党总支")
    for _ in range(2):
        OrganizationFactory(parent=general, kind="BRANCH")
    AccountOrganization.objects.filter(user=secretary).update(organization=general)
    html = secretary_client.get(reverse("home")).content.decode()
    assert "本组织及下级基层党组织" in html
    assert 'id="card-own-members"' not in html

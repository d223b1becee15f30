"""Reminder letters written by hand beside those drafted from what is due; a dissolved organization
is never the addressee of a draft after its dissolution, and the home page and the dashboard drop
it from that day, in agreement."""

import datetime

import pytest
from django.urls import reverse

from activities import services
from activities.models import ActivityKind, LetterStatus, ReminderLetter, ReminderReason
from jiguan import dates
from organizations import services as organization_services
from organizations.models import Election, Kind
from reports.home import home_context
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_staff_write_a_letter_by_hand_and_issue_it_on_its_date(staff_client, committee, branch_a):
    response = staff_client.post(
        reverse("activities:letter_write"),
        {
            "addressee": branch_a.pk,
            "written_on": "2024-03-05",
            "reason": ReminderReason.OTHER,
            "subject": "关于及时足额缴纳党费的提醒函",
            "body": "甲局机关党支部：\n\n请督促党员及时足额缴纳党费。",
        },
    )
    letter = ReminderLetter.objects.get()
    assert response["Location"] == reverse("activities:letter_detail", args=[letter.pk])
    assert (letter.status, letter.written_on, letter.sender) == (LetterStatus.DRAFT, D(2024, 3, 5), committee)
    detail = staff_client.get(response["Location"])
    assert detail.context["issue_form"]["issued_on"].value() == D(2024, 3, 5)
    staff_client.post(
        reverse("activities:letter_issue", args=[letter.pk]), {"prefix": "党工提", "issued_on": "2024-03-05"}
    )
    letter.refresh_from_db()
    assert letter.document.number == "党工提〔2024〕1号" and letter.issued_on == D(2024, 3, 5)


def test_the_letters_page_offers_both_ways_to_staff_only(client, staff, leader):
    client.force_login(staff)
    html = client.get(reverse("activities:letters")).content.decode()
    assert reverse("activities:letter_write") in html and "按到期事项起草" in html
    client.force_login(leader)
    assert (
        reverse("activities:letter_write") not in client.get(reverse("activities:letters")).content.decode()
    )


def test_a_letter_to_an_organization_dissolved_by_its_date_is_refused(staff, staff_client, branch_b):
    organization_services.organization_dissolve(actor=staff, organization=branch_b, date=D(2024, 1, 1))
    response = staff_client.post(
        reverse("activities:letter_write"),
        {
            "addressee": branch_b.pk,
            "written_on": "2024-03-05",
            "reason": ReminderReason.OTHER,
            "subject": "提醒",
            "body": "正文",
        },
    )
    assert "“乙局机关党支部”已于2024年1月1日撤销" in response.content.decode()
    assert not ReminderLetter.objects.exists()


@pytest.fixture
def mid_june(clock):
    clock.move_to(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI))
    return dates.today()


@pytest.fixture
def dissolved_owing(staff, committee, mid_june):
    """丙局机关党支部 owed everything a letter is drafted for, then was dissolved on 1 June: its term
    overdue, its 三会一课 missing since January, an item of the list overdue in its name."""
    branch = OrganizationFactory(
        kind=Kind.BRANCH, name="丙局机关党支部", parent=committee, founded_on=D(2016, 3, 1)
    )
    Election.objects.create(
        organization=branch, term_number=1, elected_on=D(2020, 1, 1), expires_on=D(2025, 1, 1)
    )
    services.responsibility_list_issue(
        actor=staff,
        issuer=committee,
        prefix="党工通",
        title="主体责任清单",
        issued_on=D(2026, 2, 1),
        items=[services.ItemEntry("完成换届", responsible_organization=branch, deadline=D(2026, 4, 30))],
    )
    organization_services.organization_dissolve(actor=staff, organization=branch, date=D(2026, 6, 1))
    return branch


def test_no_draft_is_addressed_to_an_organization_after_its_dissolution(
    staff, committee, dissolved_owing, mid_june
):
    drafted = services.reminder_letters_draft(actor=staff, sender=committee, today=mid_june)
    assert [letter for letter in drafted if letter.addressee == dissolved_owing] == []
    # The day before its dissolution it owed them all.
    before = [
        letter.reason
        for letter in services.reminder_letters_draft(actor=staff, sender=committee, today=D(2026, 5, 31))
        if letter.addressee == dissolved_owing
    ]
    assert sorted(before) == ["ACTIVITIES_MISSING", "ITEMS_OVERDUE", "TERM_OVERDUE"]


def test_home_and_dashboard_drop_it_from_that_day_and_agree(
    staff, staff_client, committee, branch_a, dissolved_owing
):
    services.responsibility_list_issue(
        actor=staff,
        issuer=committee,
        prefix="党工通",
        title="第二份清单",
        issued_on=D(2026, 2, 1),
        items=[services.ItemEntry("甲局的事", responsible_organization=branch_a, deadline=D(2026, 5, 1))],
    )
    home = staff_client.get(reverse("home")).context
    dashboard = staff_client.get(reverse("reports:dashboard")).context
    assert home["staff"]["items_overdue"] == 1  # 甲局的事; 完成换届 of the dissolved branch is no one's now
    assert dashboard["items"]["overdue"] == home["staff"]["items_overdue"]
    assert home["staff"]["terms_overdue"] == 0 == len(dashboard["overdue"])
    assert home["organization_count"] == 1  # 甲局机关党支部
    assert home["staff"]["branches"] == 1 and all(
        row.organization != dissolved_owing for row in home["staff"]["worst_branches"]
    )
    # The open items page the card links to lists what the card counts.
    open_items = staff_client.get(reverse("activities:open_items")).context["table"]
    assert [row.record.task for row in open_items.rows] == ["甲局的事"]


def test_the_day_before_its_dissolution_the_home_page_counted_it(staff, committee, dissolved_owing):
    context = home_context(staff, today=D(2026, 5, 31))
    assert context["organization_count"] == 1
    assert context["staff"]["terms_overdue"] == 1
    assert context["staff"]["branches"] == 1 and context["staff"]["branches_behind"] == 1


def test_a_dissolved_organizations_activity_of_before_is_kept(staff, dissolved_owing):
    activity = services.activity_create(
        actor=staff,
        organization=dissolved_owing,
        kind=ActivityKind.THEME_DAY,
        date=D(2026, 5, 20),
        title="补录",
    )
    assert activity.organization == dissolved_owing

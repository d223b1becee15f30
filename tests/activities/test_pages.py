"""The pages: fixed query counts whatever the number of rows, filters, Excel export, entry form."""

import datetime
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from activities import services
from activities.models import Activity, ActivityKind, ActivityTopic, Topic
from jiguan import dates
from organizations.models import Kind, Organization
from tests.activities.helpers import make_member, png_bytes, upload, visits_data
from tests.factories import OrganizationFactory


def many_activities(organization, n, kind=ActivityKind.THEME_DAY, start=datetime.date(2025, 1, 1)):
    rows = Activity.objects.bulk_create(
        [
            Activity(
                organization=organization,
                kind=kind,
                date=start + datetime.timedelta(days=i),
                title=f"活动{i}",
            )
            for i in range(n)
        ]
    )
    ActivityTopic.objects.bulk_create([ActivityTopic(activity=a, topic=Topic.LAW_STUDY) for a in rows[::2]])
    return rows


def list_queries(client, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_activity_list_answers_in_a_fixed_number_of_queries(
    staff_client, branch_a, branch_b, django_assert_num_queries
):
    many_activities(branch_a, 5)
    url = reverse("activities:list")
    staff_client.get(url)  # the session saved; the rows counted and the count stored
    # Then: session, user, the records' version and the stored count (data_version.count; no COUNT of
    # the rows), the user's organization in the header, the page of rows (with their organization),
    # their topics in one prefetch: 7, however many rows there are. The filter's organization picker
    # loads no choices.
    small = list_queries(staff_client, django_assert_num_queries, url, 7)
    many_activities(branch_b, 120)
    staff_client.get(url)  # counted again: the records have changed
    large = list_queries(staff_client, django_assert_num_queries, url, 7)
    assert "活动0" in small.content.decode() and large.status_code == 200


def test_the_rhythm_page_answers_in_a_fixed_number_of_queries(
    staff_client, committee, branch_a, django_assert_num_queries
):
    many_activities(branch_a, 30, kind=ActivityKind.COMMITTEE_MEETING)
    url = reverse("activities:rhythm") + "?year=2025"
    staff_client.get(url)  # the county's order made and stored (rhythm.county_order)
    # Then: session, user, the user's organization in the header, the records' version, the stored
    # order, the page's branches and the one aggregate of their activities: 7, for any number of
    # branches.
    list_queries(staff_client, django_assert_num_queries, url, 7)
    for _ in range(10):
        many_activities(OrganizationFactory(parent=committee, kind=Kind.BRANCH), 20)
    staff_client.get(url)
    response = list_queries(staff_client, django_assert_num_queries, url, 7)
    assert response.content.decode().count('data-branch="') == 11


def test_the_rhythm_page_shows_the_worst_branches_a_page_at_a_time(staff_client, committee, branch_a):
    from activities.views.organized_life import RHYTHM_PER_PAGE

    # branch_a held every monthly 支委会 of 2025; the others nothing: branch_a is the best, last.
    for month in range(1, 13):
        Activity.objects.create(
            organization=branch_a,
            kind=ActivityKind.COMMITTEE_MEETING,
            date=datetime.date(2025, month, 5),
            title="支委会",
        )
    for _ in range(RHYTHM_PER_PAGE + 4):
        OrganizationFactory(parent=committee, kind=Kind.BRANCH)
    url = reverse("activities:rhythm") + "?year=2025"
    first = staff_client.get(url).content.decode()
    assert first.count('data-branch="') == RHYTHM_PER_PAGE
    assert f'data-branch="{branch_a.pk}"' not in first
    assert "1 / 2（共25个党支部）" in first and "?year=2025&page=2" in first
    second = staff_client.get(url + "&page=2").content.decode()
    assert second.count('data-branch="') == 5
    assert f'data-branch="{branch_a.pk}"' in second


def test_the_stored_order_follows_a_write(staff, staff_client, committee, branch_a, branch_b):
    """The county's order is stored per version of the records: a meeting recorded moves its
    branch at once, and every page keeps the order of the whole table."""
    from activities import rhythm

    for branch in (branch_a, branch_b):
        OrganizationFactory(parent=branch, kind=Kind.PARTY_GROUP)
    url = reverse("activities:rhythm") + "?year=2025"
    table = rhythm.rhythm_table(Organization.objects.all(), 2025, dates.today())
    worst = table[0].organization
    assert staff_client.get(url).context["table"][0].organization == worst
    for month in range(1, 13):
        Activity.objects.create(
            organization=worst,
            kind=ActivityKind.COMMITTEE_MEETING,
            date=datetime.date(2025, month, 5),
            title="支委会",
        )
    rows = list(staff_client.get(url).context["table"])
    assert rows[0].organization != worst and rows[-1].organization == worst
    assert [r.organization.pk for r in rows] == rhythm.worst_first(
        Organization.objects.all(), 2025, dates.today()
    )


def test_filters_by_subtree_kind_topic_and_dates(staff_client, branch_a, group_a, branch_b):
    many_activities(group_a, 4)
    many_activities(branch_b, 4, kind=ActivityKind.PARTY_LECTURE)
    url = reverse("activities:list")
    subtree = staff_client.get(url, {"organization": branch_a.pk}).context["table"]
    assert subtree.page.paginator.count == 4
    lectures = staff_client.get(url, {"kind": ActivityKind.PARTY_LECTURE}).context["table"]
    assert lectures.page.paginator.count == 4
    law = staff_client.get(url, {"topic": Topic.LAW_STUDY}).context["table"]
    assert law.page.paginator.count == 4
    dated = staff_client.get(url, {"date_from": "2025-01-02", "date_to": "2025-01-03"}).context["table"]
    assert dated.page.paginator.count == 4


def test_the_secretary_sees_only_the_subtree(secretary_client, branch_a, branch_b):
    many_activities(branch_a, 2)
    many_activities(branch_b, 3)
    table = secretary_client.get(reverse("activities:list")).context["table"]
    assert table.page.paginator.count == 2


def test_export_to_excel(staff_client, branch_a):
    many_activities(branch_a, 3)
    response = staff_client.get(reverse("activities:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("日期", "党组织", "活动类型", "主题")
    assert len(rows) == 4


def test_recording_through_the_form(secretary_client, branch_a, media_root):
    response = secretary_client.post(
        reverse("activities:create"),
        {
            "organization": branch_a.pk,
            "kind": ActivityKind.THEME_DAY,
            "date": "2025-05-20",
            "title": "五月主题党日",
            "topics": [Topic.FIRST_TOPIC, Topic.LAW_STUDY],
            "expected_count": "8",
            "attended_count": "7",
            "attachments": [upload("合影.png", png_bytes())],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="五月主题党日")
    assert activity.attachments.count() == 1
    assert sorted(t.topic for t in activity.topics.all()) == ["FIRST_TOPIC", "LAW_STUDY"]


def test_the_form_shows_the_service_error_on_the_field(secretary_client, branch_a):
    response = secretary_client.post(
        reverse("activities:create"),
        {
            "organization": branch_a.pk,
            "kind": ActivityKind.THEME_DAY,
            "date": "2025-05-20",
            "title": "超员",
            "expected_count": "3",
            "attended_count": "5",
        },
    )
    assert response.status_code == 200
    assert "实到人数（5）不能多于应到人数（3）" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_field_in_error_is_marked_invalid(secretary_client, branch_a):
    """The activities' forms are styled by the one mechanism (jiguan_forms.styled): a field with an
    error carries Bootstrap's is-invalid, a field without one does not."""
    response = secretary_client.post(
        reverse("activities:create"),
        {"organization": branch_a.pk, "kind": ActivityKind.THEME_DAY, "date": "2025-05-20", "title": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    [title] = re.findall(r'<input[^>]*name="title"[^>]*>', page)
    [day] = re.findall(r'<input[^>]*name="date"[^>]*>', page)
    assert "form-control is-invalid" in title
    assert "form-control" in day and "is-invalid" not in day


def test_the_people_visited_are_read_from_the_form(staff_client, branch_a):
    member = make_member(branch_a, "王大爷")
    response = staff_client.post(
        reverse("activities:create"),
        {
            "organization": branch_a.pk,
            "kind": ActivityKind.CONDOLENCE_VISIT,
            "date": "2025-06-28",
            "title": "七一走访慰问",
            **visits_data(
                {"member": member.pk, "amount": "500", "note": "老党员"},
                {"person_name": "赵阿姨", "amount": "800"},
                {},  # a row left empty is no one
            ),
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="七一走访慰问")
    visits = sorted((v.person_name, v.member_id, int(v.amount)) for v in activity.condolence_visits.all())
    assert visits == [("王大爷", member.pk, 500), ("赵阿姨", None, 800)]


def test_edit_keeps_the_organization(secretary_client, secretary, branch_a):
    activity = services.activity_create(
        actor=secretary,
        organization=branch_a,
        kind=ActivityKind.THEME_DAY,
        date=datetime.date(2025, 5, 1),
        title="原",
    )
    response = secretary_client.post(
        reverse("activities:edit", args=[activity.pk]),
        {"kind": ActivityKind.THEME_DAY, "date": "2025-05-02", "title": "改"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.date, activity.organization) == (
        "改",
        datetime.date(2025, 5, 2),
        branch_a,
    )

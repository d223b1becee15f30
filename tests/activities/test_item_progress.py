"""A secretary records the progress of the items their organization answers for: status, done
date, linked activities and an evidence file; the list page shows the evidence."""

import datetime

import pytest
from django.urls import reverse

from activities import services
from activities.models import ActivityKind, ItemStatus
from tests.activities.helpers import PDF_BYTES, png_bytes, stored_files, upload

DAY = datetime.date(2025, 5, 20)


def _activity(secretary, organization, title, day):
    return services.activity_create(
        actor=secretary, organization=organization, kind=ActivityKind.THEME_DAY, date=day, title=title
    )


@pytest.fixture
def rlist(committee, branch_a, branch_b, staff):
    return services.responsibility_list_issue(
        actor=staff,
        issuer=committee,
        prefix="党工通",
        title="2025年全面从严治党主体责任清单",
        issued_on=datetime.date(2025, 2, 1),
        year=2025,
        items=[
            services.ItemEntry("开展主题党日", responsible_organization=branch_a),
            services.ItemEntry("乙局的事项", responsible_organization=branch_b),
        ],
    )


@pytest.fixture
def item(rlist):
    return rlist.items.get(number=1)


@pytest.fixture
def activities(secretary, other_secretary, branch_a, group_a, branch_b):
    return {
        "may": _activity(secretary, branch_a, "五月主题党日", DAY),
        "group": _activity(secretary, group_a, "小组学习", datetime.date(2025, 6, 3)),
        "last_year": _activity(secretary, branch_a, "去年的党日", datetime.date(2024, 11, 5)),
        "other": _activity(other_secretary, branch_b, "乙局党日", DAY),
    }


def _progress_url(item):
    return reverse("activities:item_progress", args=[item.pk])


def test_the_secretary_is_offered_the_subtrees_activities_of_the_lists_year_most_recent_first(
    client, secretary, item, activities
):
    client.force_login(secretary)
    response = client.get(_progress_url(item))
    assert response.status_code == 200
    offered = list(response.context["form"].fields["evidence_activities"].queryset)
    assert offered == [activities["group"], activities["may"]]
    assert "2025年6月3日 小组学习（甲局第一党小组）" in response.content.decode()


def test_the_secretary_marks_an_item_done_with_evidence_and_the_list_shows_it(
    client, secretary, rlist, item, activities, media_root
):
    client.force_login(secretary)
    response = client.post(
        _progress_url(item),
        {
            "status": ItemStatus.DONE,
            "done_on": "2025-06-10",
            "evidence_activities": [activities["may"].pk, activities["group"].pk],
            "evidence_file": upload("总结.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert item.done_on == datetime.date(2025, 6, 10)
    assert set(item.evidence_activities.all()) == {activities["may"], activities["group"]}

    page = client.get(reverse("activities:list_detail", args=[rlist.pk])).content.decode()
    assert reverse("activities:detail", args=[activities["may"].pk]) in page
    assert "5月20日 五月主题党日" in page
    assert reverse("activities:item_evidence", args=[item.pk]) in page
    assert "已完成（2025年6月10日）" in page
    # The secretary sees the item their branch answers for, not branch B's.
    assert "乙局的事项" not in page
    assert "已完成 <strong>1</strong> / 1 项" in page

    download = client.get(reverse("activities:item_evidence", args=[item.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"


def test_staff_see_the_whole_lists_progress(client, staff, secretary, rlist, item):
    services.responsibility_item_update(actor=secretary, item=item, status=ItemStatus.DONE)
    client.force_login(staff)
    page = client.get(reverse("activities:list_detail", args=[rlist.pk])).content.decode()
    assert "已完成 <strong>1</strong> / 2 项" in page
    assert "乙局的事项" in page


def test_staff_may_update_every_item(client, staff, rlist, activities):
    other_item = rlist.items.get(number=2)
    client.force_login(staff)
    response = client.post(
        _progress_url(other_item),
        {"status": ItemStatus.IN_PROGRESS, "evidence_activities": [activities["other"].pk]},
    )
    assert response.status_code == 302
    other_item.refresh_from_db()
    assert other_item.status == ItemStatus.IN_PROGRESS
    assert list(other_item.evidence_activities.all()) == [activities["other"]]


@pytest.mark.parametrize("role,status", [("other_secretary", 404), ("leader", 403)])
def test_others_cannot_record_progress(client, request, item, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.post(_progress_url(item), {"status": ItemStatus.DONE})
    assert response.status_code == status
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_the_evidence_file_is_not_served_outside_the_subtree(client, staff, other_secretary, item):
    services.responsibility_item_update(
        actor=staff, item=item, status=ItemStatus.DONE, evidence_file=upload("照片.png", png_bytes())
    )
    client.force_login(other_secretary)
    assert client.get(reverse("activities:item_evidence", args=[item.pk])).status_code == 404


def test_another_branchs_activity_is_not_accepted(client, secretary, item, activities):
    client.force_login(secretary)
    response = client.post(
        _progress_url(item), {"status": ItemStatus.DONE, "evidence_activities": [activities["other"].pk]}
    )
    assert response.status_code == 200
    assert not item.evidence_activities.exists()


def test_the_service_refuses_evidence_outside_the_subtree_or_the_year(staff, item, activities):
    from django.core.exceptions import ValidationError

    for key, words in (
        ("other", "不是甲局机关党支部（含下级组织）开展的活动"),
        ("last_year", "不是2025年度"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.responsibility_item_update(
                actor=staff, item=item, status=ItemStatus.DONE, evidence_activities=[activities[key]]
            )
        assert words in exc.value.message_dict["evidence_activities"][0]
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_a_bad_evidence_file_is_refused_and_nothing_is_stored(client, secretary, item, media_root):
    client.force_login(secretary)
    response = client.post(
        _progress_url(item),
        {"status": ItemStatus.DONE, "evidence_file": upload("假的.pdf", b"not a pdf at all")},
    )
    assert response.status_code == 200
    assert "内容与扩展名不符" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN
    assert not item.evidence_file
    assert stored_files(media_root) == []


def test_the_list_page_reads_items_and_evidence_in_fixed_queries(
    client, staff, secretary, rlist, item, activities, django_assert_num_queries
):
    services.responsibility_item_update(
        actor=secretary,
        item=item,
        status=ItemStatus.DONE,
        evidence_activities=[activities["may"], activities["group"]],
    )
    client.force_login(staff)
    url = reverse("activities:list_detail", args=[rlist.pk])
    client.get(url)
    # Session, user, the user's organization (page header), then list, items, their evidence
    # activities, progress aggregate: 7 however many items and activities the list has (the session
    # is not written again within a minute: jiguan.middleware.IdleSessionMiddleware).
    with django_assert_num_queries(7):
        client.get(url)


def test_the_form_lists_the_latest_thirty_and_the_linked_and_a_filter_finds_older_ones(
    client, secretary, branch_a, item, activities
):
    from activities.models import Activity

    Activity.objects.bulk_create(
        Activity(
            organization=branch_a,
            kind=ActivityKind.GROUP_MEETING,
            date=datetime.date(2025, 7, 1) + datetime.timedelta(days=n),
            title=f"第{n}次小组会",
        )
        for n in range(40)
    )
    services.responsibility_item_update(
        actor=secretary, item=item, status=ItemStatus.IN_PROGRESS, evidence_activities=[activities["group"]]
    )
    client.force_login(secretary)
    page = client.get(_progress_url(item)).content.decode()
    assert page.count('name="evidence_activities"') == 31  # the latest 30 and the linked one
    assert "第39次小组会" in page and "第10次小组会" in page and "第9次小组会" not in page
    assert "小组学习" in page and "五月主题党日" not in page
    assert "符合条件的 42 项，下方列出最近 30 项" in page

    found = client.get(_progress_url(item), {"kind": ActivityKind.THEME_DAY}).content.decode()
    assert "五月主题党日" in found and "第39次小组会" not in found
    older = client.get(_progress_url(item), {"until": "2025-07-05"}).content.decode()
    assert "第4次小组会" in older and "第5次小组会" not in older

    # An activity not listed on the unfiltered page is still accepted, as the service allows.
    response = client.post(
        _progress_url(item),
        {"status": ItemStatus.DONE, "evidence_activities": [activities["may"].pk, activities["group"].pk]},
    )
    assert response.status_code == 302
    assert set(item.evidence_activities.all()) == {activities["may"], activities["group"]}


def test_the_progress_form_takes_a_note_shown_wherever_the_progress_is(client, secretary, staff, rlist, item):
    client.force_login(secretary)
    response = client.post(
        _progress_url(item),
        {"status": ItemStatus.IN_PROGRESS, "progress_note": " 已开展两次，<b>待总结</b> "},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.progress_note == "已开展两次，<b>待总结</b>"
    escaped = "已开展两次，&lt;b&gt;待总结&lt;/b&gt;"
    assert escaped in client.get(reverse("activities:list_detail", args=[rlist.pk])).content.decode()
    assert escaped in client.get(reverse("activities:open_items")).content.decode()
    page = client.get(_progress_url(item)).content.decode()
    assert escaped in page and 'name="progress_note"' in page
    too_long = client.post(
        _progress_url(item), {"status": ItemStatus.IN_PROGRESS, "progress_note": "长" * 1001}
    )
    assert "进展情况" in too_long.content.decode() and too_long.status_code == 200
    item.refresh_from_db()
    assert item.progress_note == "已开展两次，<b>待总结</b>"

"""Issue 10: a list's items reach the branch answering for them; a new document continues the
issuer's register (its last prefix) and the form says the number it will be given."""

import datetime

import pytest
from django.urls import reverse

from activities import services
from activities.models import Document, DocumentKind, ResponsibilityItem
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_day_of_2026(clock):
    """The dates and bounds below are written for 24 November 2026 (ten years ahead: 2036), whatever
    day JIGUAN_TEST_NOW runs the rest of the suite on."""
    clock.move_to(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))


def post_list(client, items, **fields):
    return client.post(
        reverse("activities:list_create"),
        {
            "kind": "RESPONSIBILITY",
            "prefix": "示党工通",
            "title": "2026年责任清单",
            "issued_on": "2026-02-01",
            "year": "2026",
            "items": items,
            **fields,
        },
    )


def test_items_pasted_with_a_branchs_exact_name_reach_that_branch(staff_client, branch_a, secretary, client):
    response = post_list(
        staff_client,
        "召开专题会议｜甲局机关党支部｜王委员｜2026-03-31\n开展警示教育｜ 甲局机关党支部 ｜｜｜重点",
    )
    assert response.status_code == 302
    items = list(ResponsibilityItem.objects.order_by("number"))
    assert [(i.task, i.responsible_organization, i.responsible_person) for i in items] == [
        ("召开专题会议", branch_a, "王委员"),
        ("开展警示教育", branch_a, ""),
    ]
    # The branch's secretary sees them and may report progress.
    client.force_login(secretary)
    page = client.get(reverse("activities:list_detail", args=[items[0].responsibility_list_id]))
    assert "已完成 <strong>0</strong> / 2 项" in page.content.decode()
    assert client.get(reverse("activities:item_progress", args=[items[0].pk])).status_code == 200


def test_a_name_matching_no_organization_then_is_flagged_and_nothing_is_saved(staff_client, committee):
    OrganizationFactory(name="丙局机关党支部", parent=committee, founded_on=datetime.date(2026, 5, 1))
    response = post_list(
        staff_client,
        "召开专题会议｜甲局党支部｜王委员\n开展警示教育｜丙局机关党支部\n做好日常工作",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "第1行的责任党组织“甲局党支部”：没有找到这个党组织" in html
    assert "第2行的责任党组织“丙局机关党支部”：没有找到这个党组织（2026年2月1日）" in html
    assert "第3行没有写责任党组织" in html
    assert not ResponsibilityItem.objects.exists() and not Document.objects.exists()


def test_the_list_form_offers_the_organization_picker_to_insert_names(staff_client, committee):
    html = staff_client.get(reverse("activities:list_create")).content.decode()
    assert 'data-insert-into="id_items"' in html
    assert "<option" not in html.split('name="kind"')[1].split("</select>")[1]  # no organization options


def test_a_new_document_continues_the_issuers_last_prefix_and_shows_its_number(
    staff_client, staff, committee
):
    services.document_issue(
        actor=staff,
        issuer=committee,
        prefix="示党工通",
        kind=DocumentKind.NOTICE,
        title="关于开展主题党日活动的通知",
        issued_on=datetime.date(2026, 3, 1),
    )
    form = staff_client.get(reverse("activities:document_create")).context["form"]
    assert form["prefix"].value() == "示党工通"
    assert form.fields["prefix"].help_text.startswith("将编为：示党工通〔2026〕2号")
    list_form = staff_client.get(reverse("activities:list_create")).context["form"]
    assert list_form["prefix"].value() == "示党工通"
    # The live hint asks the same question for another prefix or year.
    answer = staff_client.get(
        reverse("activities:next_number"), {"prefix": "示党工通 ", "date": "2025-05-01"}
    )
    assert answer.json()["text"].startswith("将编为：示党工通〔2025〕1号")


def test_a_reminder_letter_continues_the_last_letter_prefix(staff_client, staff, committee, branch_a):
    services.document_issue(
        actor=staff,
        issuer=committee,
        prefix="示党工提",
        kind=DocumentKind.REMINDER,
        title="提醒函",
        issued_on=datetime.date(2026, 3, 1),
    )
    letter = services.reminder_letter_create(
        actor=staff,
        sender=committee,
        addressee=branch_a,
        reason="OTHER",
        subject="关于按期换届的提醒函",
        body="甲局机关党支部：\n请按期换届。",
        written_on=datetime.date(2026, 11, 20),
    )
    issue_form = staff_client.get(reverse("activities:letter_detail", args=[letter.pk])).context["issue_form"]
    assert issue_form["prefix"].value() == "示党工提"
    assert "示党工提〔2026〕2号" in issue_form.fields["prefix"].help_text


def test_the_number_hint_is_for_staff_only(leader_client, secretary_client):
    assert leader_client.get(reverse("activities:next_number"), {"prefix": "党工通"}).status_code == 403
    assert secretary_client.get(reverse("activities:next_number"), {"prefix": "党工通"}).status_code == 403


def test_the_homes_draft_letters_action_is_a_form_that_posts(staff_client):
    html = staff_client.get(reverse("home")).content.decode()
    action = reverse("activities:letters_draft")
    assert f'<form method="post" action="{action}">' in html
    assert f'href="{action}"' not in html
    assert staff_client.post(action).status_code == 302


def test_leadership_is_not_shown_record_activity(leader_client, branch_a):
    for url in (
        reverse("activities:list"),
        reverse("activities:rhythm_branch", args=[branch_a.pk]),
        reverse("organizations:detail", args=[branch_a.pk]),
    ):
        html = leader_client.get(url).content.decode()
        assert reverse("activities:create") not in html, url


def test_the_bar_highlights_the_documents_item_on_its_pages(staff_client, staff, committee):
    rlist = services.responsibility_list_issue(
        actor=staff,
        issuer=committee,
        prefix="示党工通",
        title="责任清单",
        issued_on=datetime.date(2026, 2, 1),
        items=[services.ItemEntry("召开专题会议", responsible_organization=committee)],
    )
    for url in (
        reverse("activities:documents"),
        reverse("activities:document_create"),
        reverse("activities:list_create"),
        reverse("activities:list_detail", args=[rlist.pk]),
    ):
        assert staff_client.get(url).context["nav_current"] == "documents", url

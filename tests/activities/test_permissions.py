"""Who may do what on every page of the app: signed out → login; a secretary of another subtree →
404; leadership writing → 403; staff everything; the secretary of the subtree their own records."""

import datetime

import pytest
from django.urls import reverse

from activities import services
from activities.models import ActivityKind, ReminderLetter, ReminderReason
from activities.urls import urlpatterns
from tests.activities.helpers import PDF_BYTES, png_bytes, upload

DAY = datetime.date(2025, 5, 20)


@pytest.fixture
def records(committee, branch_a, staff, secretary, media_root):
    activity = services.activity_create(
        actor=secretary,
        organization=branch_a,
        kind=ActivityKind.THEME_DAY,
        date=DAY,
        title="主题党日",
        attachments=[upload("合影.png", png_bytes())],
    )
    rlist = services.responsibility_list_issue(
        actor=staff,
        issuer=committee,
        prefix="党工通",
        title="清单",
        issued_on=DAY,
        items=[services.ItemEntry("任务", responsible_organization=branch_a)],
        file=upload("清单.pdf", PDF_BYTES),
    )
    services.responsibility_item_update(
        actor=staff,
        item=rlist.items.get(),
        status="IN_PROGRESS",
        evidence_file=upload("佐证.pdf", PDF_BYTES),
    )
    letter = services.reminder_letter_create(
        actor=staff,
        sender=committee,
        addressee=branch_a,
        reason=ReminderReason.TERM_OVERDUE,
        subject="提醒",
        body="正文",
    )
    issued = services.reminder_letter_create(
        actor=staff,
        sender=committee,
        addressee=branch_a,
        reason=ReminderReason.ITEMS_OVERDUE,
        subject="已发",
        body="正文",
    )
    services.reminder_letter_issue(actor=staff, letter=issued, prefix="党工提", issued_on=DAY)
    return {
        "activity": activity.pk,
        "attachment": activity.attachments.get().pk,
        "branch": branch_a.pk,
        "document": rlist.document.pk,
        "list": rlist.pk,
        "item": rlist.items.get().pk,
        "draft": letter.pk,
        "letter": issued.pk,
    }


OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
# url name, record key (or None), method, then the status for: other secretary, leader, staff, secretary
CASES = [
    ("activities:list", None, "get", OK, OK, OK, OK),
    ("activities:create", None, "get", OK, FORBIDDEN, OK, OK),
    ("activities:create", None, "post", OK, FORBIDDEN, OK, OK),
    ("activities:detail", "activity", "get", NOT_FOUND, OK, OK, OK),
    ("activities:edit", "activity", "get", NOT_FOUND, FORBIDDEN, OK, OK),
    ("activities:edit", "activity", "post", NOT_FOUND, FORBIDDEN, OK, OK),
    ("activities:delete", "activity", "post", NOT_FOUND, FORBIDDEN, REDIRECT, REDIRECT),
    ("activities:attachment", "attachment", "get", NOT_FOUND, OK, OK, OK),
    ("activities:rhythm", None, "get", OK, OK, OK, OK),
    ("activities:rhythm_branch", "branch", "get", NOT_FOUND, OK, OK, OK),
    ("activities:documents", None, "get", OK, OK, OK, OK),
    ("activities:document_create", None, "get", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    ("activities:document_create", None, "post", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    # The number a document will be given is for those who issue; the register's numbers for all.
    ("activities:next_number", None, "get", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    ("activities:document_numbers", None, "get", OK, OK, OK, OK),
    # The committee's documents are sent to every organization: every secretary reads them.
    ("activities:document_detail", "document", "get", REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    ("activities:document_file", "document", "get", OK, OK, OK, OK),
    ("activities:list_create", None, "get", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    ("activities:list_create", None, "post", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    # A list the committee issued is read by every organization; each secretary sees their own items.
    ("activities:list_detail", "list", "get", OK, OK, OK, OK),
    ("activities:open_items", None, "get", OK, OK, OK, OK),
    ("activities:item_edit", "item", "get", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    ("activities:item_edit", "item", "post", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    ("activities:item_progress", "item", "get", NOT_FOUND, FORBIDDEN, OK, OK),
    ("activities:item_progress", "item", "post", NOT_FOUND, FORBIDDEN, OK, OK),
    ("activities:item_evidence", "item", "get", NOT_FOUND, OK, OK, OK),
    ("activities:letters", None, "get", OK, OK, OK, OK),
    ("activities:letters_draft", None, "post", FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN),
    ("activities:letter_write", None, "get", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    ("activities:letter_write", None, "post", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    ("activities:letter_detail", "letter", "get", NOT_FOUND, OK, OK, OK),
    ("activities:letter_detail", "draft", "get", NOT_FOUND, OK, OK, NOT_FOUND),
    ("activities:letter_edit", "draft", "get", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    ("activities:letter_edit", "draft", "post", FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    ("activities:letter_issue", "draft", "post", FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN),
    ("activities:letter_discard", "draft", "post", FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN),
    ("activities:letter_handled", "letter", "post", NOT_FOUND, FORBIDDEN, REDIRECT, REDIRECT),
    ("activities:letter_pdf", "letter", "get", NOT_FOUND, OK, OK, OK),
]
ROLES = ["other_secretary", "leader", "staff", "secretary"]


def test_the_matrix_covers_every_url_of_the_app():
    """A page added to activities/urls.py without a row here fails this test."""
    assert {f"activities:{p.name}" for p in urlpatterns} == {case[0] for case in CASES}


def _url(name, key, records):
    return reverse(name, args=[records[key]]) if key else reverse(name)


@pytest.mark.parametrize("name,key,method", [c[:3] for c in CASES])
def test_signed_out_goes_to_the_login_page(client, records, name, key, method):
    response = getattr(client, method)(_url(name, key, records))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_each_role_gets_what_it_may(client, records, request, case, role):
    name, key, method, *expected = case
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(_url(name, key, records))
    assert response.status_code == expected[ROLES.index(role)]


def test_a_document_whose_file_is_gone_from_storage_is_a_404(staff_client, records, media_root):
    stored = list(media_root.rglob("清单*.pdf"))
    assert stored
    for path in stored:
        path.unlink()
    response = staff_client.get(reverse("activities:document_file", args=[records["document"]]))
    assert response.status_code == 404


def test_a_secretary_reads_the_committees_documents_but_not_another_branchs_or_its_letters(
    client, records, secretary, staff, branch_b
):
    other_branchs = services.document_issue(
        actor=staff, issuer=branch_b, prefix="乙支", kind="NOTICE", title="乙支部内部通知", issued_on=DAY
    )
    letter_document = ReminderLetter.objects.get(pk=records["letter"]).document
    client.force_login(secretary)
    listed = client.get(reverse("activities:documents")).content.decode()
    assert "清单" in listed and "乙支部内部通知" not in listed
    assert client.get(reverse("activities:document_detail", args=[other_branchs.pk])).status_code == 404
    assert client.get(reverse("activities:document_detail", args=[letter_document.pk])).status_code == 404


def test_another_secretary_reads_the_committees_list_without_other_branches_items(
    client, records, other_secretary
):
    client.force_login(other_secretary)
    response = client.get(reverse("activities:list_detail", args=[records["list"]]))
    assert "清单" in response.content.decode()
    assert response.context["items"] == []  # branch_a answers for the only item
    assert "甲局机关党支部" not in response.content.decode()


def test_staff_discard_a_draft_letter_but_not_an_issued_one(staff_client, records):
    from jiguan.models import AuditEntry

    staff_client.post(reverse("activities:letter_discard", args=[records["draft"]]))
    assert not ReminderLetter.objects.filter(pk=records["draft"]).exists()
    assert AuditEntry.objects.filter(object_id=str(records["draft"]), action="DELETE").exists()
    response = staff_client.post(reverse("activities:letter_discard", args=[records["letter"]]), follow=True)
    assert ReminderLetter.objects.filter(pk=records["letter"]).exists()
    assert "已发出的提醒函不能删除" in response.content.decode()

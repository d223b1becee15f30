"""Reminder letters asked for twenty times at once: issued once with one number, drafted once."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities import drafting, services
from activities.models import Document, LetterStatus, ReminderLetter
from activities.services import letters
from organizations.models import Election
from tests.activities.test_letters import _letter as _draft
from tests.concurrency import at_once, meet_after, skip_on_sqlite

TODAY = datetime.date(2025, 6, 15)


def test_a_second_draft_for_the_same_addressee_and_reason_is_refused(committee, branch_a, staff):
    _draft(committee, branch_a, staff)
    with pytest.raises(ValidationError) as exc:
        _draft(committee, branch_a, staff)
    assert "已有同一事由的提醒函草稿" in str(exc.value)
    assert ReminderLetter.objects.count() == 1


def test_issuing_an_issued_letter_again_changes_nothing(committee, branch_a, staff):
    letter = _draft(committee, branch_a, staff)
    services.reminder_letter_issue(actor=staff, letter=letter, prefix="党工提", issued_on=TODAY)
    again = ReminderLetter.objects.get(pk=letter.pk)
    services.reminder_letter_issue(actor=staff, letter=again, prefix="党工提", issued_on=TODAY)
    assert Document.objects.count() == 1 and again.document.number == "党工提〔2025〕1号"


@pytest.mark.django_db(transaction=True)
def test_twenty_issue_requests_at_once_take_one_number(committee, branch_a, staff, monkeypatch):
    skip_on_sqlite()
    letter = _draft(committee, branch_a, staff)
    numbering = meet_after(monkeypatch, letters, "document_issue", 20)

    def issue():
        copy = ReminderLetter.objects.get(pk=letter.pk)  # each request loads the draft itself
        return services.reminder_letter_issue(actor=staff, letter=copy, prefix="党工提", issued_on=TODAY)

    results, errors = at_once(issue, 20)
    assert errors == []
    assert len(numbering) == 1  # one request numbered the letter; 19 found it issued
    assert Document.objects.count() == 1
    assert {r.document.number for r in results} == {"党工提〔2025〕1号"}
    assert ReminderLetter.objects.get(pk=letter.pk).status == LetterStatus.ISSUED


@pytest.mark.django_db(transaction=True)
def test_twenty_draftings_at_once_draft_each_letter_once(committee, branch_a, branch_b, staff, monkeypatch):
    skip_on_sqlite()
    for branch in (branch_a, branch_b):
        Election.objects.create(
            organization=branch,
            term_number=1,
            elected_on=datetime.date(2022, 3, 1),
            expires_on=datetime.date(2025, 3, 1),
        )
    meet_after(monkeypatch, drafting, "due_reminders", 20)

    results, errors = at_once(
        lambda: services.reminder_letters_draft(actor=staff, sender=committee, today=TODAY), 20
    )
    assert errors == []
    counts = sorted(len(created) for created in results)
    assert counts[:19] == [0] * 19  # the first drafting drafted everything due; the others found it
    assert counts[19] >= 2 and ReminderLetter.objects.filter(status=LetterStatus.DRAFT).count() == counts[19]

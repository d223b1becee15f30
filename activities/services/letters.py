"""Writes of reminder letters: written by hand or drafted for what is due, issued with a document
number, marked handled."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from activities.models import DocumentKind, LetterStatus, ReminderLetter
from activities.services.documents import document_issue
from jiguan import audit, dates
from jiguan.integrity import lock_row, refuse_duplicate
from organizations.models import Organization
from organizations.services import check_exists_on

# --- reminder letters -------------------------------------------------------------------------
#
# A letter changes state once: each service locks its row and checks the state again, so that two
# requests at once (a double click, two staff) do one thing. One draft per addressee and reason is
# also a constraint of the database.

DUPLICATE_DRAFT = "该党组织已有同一事由的提醒函草稿，请在草稿中修改。"


@transaction.atomic
def reminder_letter_create(
    *,
    actor,
    sender: Organization,
    addressee: Organization,
    reason: str,
    subject: str,
    body: str,
    written_on: datetime.date | None = None,
) -> ReminderLetter:
    """A reminder letter written by hand (a draft, reviewed and issued like the drafted ones): to an
    organization that existed on the letter's date (default today)."""
    written_on = written_on or dates.today()
    if addressee is None:
        raise ValidationError({"addressee": "请选择收函党组织。"})
    check_exists_on(addressee, written_on, field="addressee", what="收函")
    check_exists_on(sender, written_on, field="written_on", what="发函")
    letter = ReminderLetter(
        sender=sender,
        addressee=addressee,
        reason=reason,
        subject=(subject or "").strip(),
        body=body or "",
        written_on=written_on,
    )
    letter.full_clean()
    with refuse_duplicate({"reason": DUPLICATE_DRAFT}):
        letter.save()
    audit.record_create(actor, letter)
    return letter


@transaction.atomic
def reminder_letter_update(*, actor, letter: ReminderLetter, subject: str, body: str) -> ReminderLetter:
    lock_row(letter)
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError({"subject": "提醒函已发出，不能再修改。"})
    return audit.update(actor, letter, {"subject": (subject or "").strip(), "body": body or ""})


@transaction.atomic
def reminder_letter_issue(
    *, actor, letter: ReminderLetter, prefix: str, issued_on: datetime.date
) -> ReminderLetter:
    """Issue a reviewed draft with a document number of kind REMINDER. Issuing a letter already
    issued (a second click, a second person at the same moment) changes nothing and takes no number."""
    lock_row(letter)
    if letter.status != LetterStatus.DRAFT:
        return letter
    if issued_on is None:
        raise ValidationError({"issued_on": "请填写发出日期。"})
    # A letter is never sent to an organization that no longer exists (or not yet) that day.
    check_exists_on(letter.addressee, issued_on, field="issued_on", what="发出提醒函")
    document = document_issue(
        actor=actor,
        issuer=letter.sender,
        prefix=prefix,
        kind=DocumentKind.REMINDER,
        title=letter.subject,
        issued_on=issued_on,
    )
    changes = {"document": document, "status": LetterStatus.ISSUED, "issued_on": issued_on}
    return audit.update(actor, letter, changes)


@transaction.atomic
def reminder_letter_mark_handled(
    *, actor, letter: ReminderLetter, note: str = "", handled_on: datetime.date | None = None
) -> ReminderLetter:
    lock_row(letter)
    if letter.status != LetterStatus.ISSUED:
        raise ValidationError({"handling_note": "只有已发出、尚未办理的提醒函可以标记为已办理。"})
    changes = {
        "status": LetterStatus.HANDLED,
        "handled_on": handled_on or dates.today(),
        "handled_by": actor,
        "handling_note": note,
    }
    return audit.update(actor, letter, changes)


@transaction.atomic
def reminder_letter_delete(*, actor, letter: ReminderLetter) -> None:
    lock_row(letter)
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError({"subject": "已发出的提醒函不能删除。"})
    audit.record_delete(actor, letter)
    letter.delete()


def reminder_letters_draft(*, actor, sender: Organization, today: datetime.date) -> list[ReminderLetter]:
    """Draft letters for everything due on `today` (activities.drafting decides what, to
    organizations existing that day only), skipping a reason for an addressee that already has an
    open letter (a draft or one issued and not yet handled).

    Drafting twice at once: the sender's row is locked first, so the second drafting waits and
    then finds the first one's drafts open."""
    from activities.drafting import due_reminders

    with transaction.atomic():
        lock_row(sender)
        open_pairs = set(
            ReminderLetter.objects.filter(status__in=[LetterStatus.DRAFT, LetterStatus.ISSUED]).values_list(
                "addressee_id", "reason"
            )
        )
        letters = [
            ReminderLetter(
                sender=sender,
                addressee=due.addressee,
                reason=due.reason,
                subject=due.subject,
                body=due.body,
                written_on=today,
            )
            for due in due_reminders(sender=sender, today=today)
            if (due.addressee.pk, due.reason) not in open_pairs
        ]
        for letter in letters:
            letter.full_clean(validate_constraints=False)  # open_pairs above is the constraint's check
        with refuse_duplicate({"reason": DUPLICATE_DRAFT}):  # a letter written by hand meanwhile
            created = ReminderLetter.objects.bulk_create(letters)
        if created and created[0].pk:
            audit.record_bulk_create(actor, created)
        return created

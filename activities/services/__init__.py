"""Writes of the activities app, one module per domain: organized life (activities and their
attachments) and documents, lists and letters (documents, responsibility lists, reminder letters),
with the uploaded files they share. Every function runs in one transaction, checks with
`full_clean()` and writes the audit; bad input raises ValidationError({field: Chinese message}) and
stores nothing. This is their API."""

from activities.services.documents import (
    ItemEntry,
    document_issue,
    responsibility_item_update,
    responsibility_list_issue,
)
from activities.services.files import attachment_check
from activities.services.letters import (
    DUPLICATE_DRAFT,
    reminder_letter_create,
    reminder_letter_delete,
    reminder_letter_issue,
    reminder_letter_mark_handled,
    reminder_letter_update,
    reminder_letters_draft,
)
from activities.services.organized_life import (
    AbsenceEntry,
    CondolenceEntry,
    TraineeEntry,
    activity_create,
    activity_delete,
    activity_update,
)
from activities.services.permissions import (
    PERMISSIONS,
    can_issue_documents,
    can_record_activity,
    can_report_progress,
    require,
)

__all__ = [
    "PERMISSIONS",
    "can_issue_documents",
    "can_record_activity",
    "can_report_progress",
    "require",
    "DUPLICATE_DRAFT",
    "AbsenceEntry",
    "CondolenceEntry",
    "ItemEntry",
    "TraineeEntry",
    "activity_create",
    "activity_delete",
    "activity_update",
    "attachment_check",
    "document_issue",
    "reminder_letter_create",
    "reminder_letter_delete",
    "reminder_letter_issue",
    "reminder_letter_mark_handled",
    "reminder_letter_update",
    "reminder_letters_draft",
    "responsibility_item_update",
    "responsibility_list_issue",
]

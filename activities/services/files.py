"""Uploaded files of activities, documents and responsibility items: what may be uploaded, and
storing them so that a failed transaction leaves no file behind."""

import os

from django.core.files.storage import default_storage
from django.db import transaction

from activities.models import Attachment
from jiguan.uploads import upload_check


def attachment_check(upload) -> str:
    """jiguan.uploads.upload_check for an activity's, a document's or an item's file (on `attachments`)."""
    return upload_check(upload, field="attachments", what="附件")


def store_attachments(activity, uploads, written):
    """Save the uploads of an activity; `written` collects the stored names so that a failure
    later in the transaction can remove them (the database forgets the rows, the disk would not)."""
    created = []
    for upload in uploads:
        content_type = attachment_check(upload)
        attachment = Attachment(
            activity=activity,
            original_name=os.path.basename(upload.name)[:200],
            content_type=content_type,
            size=upload.size,
        )
        attachment.file.save(os.path.basename(upload.name), upload, save=False)
        written.append(attachment.file.name)
        attachment.save()
        created.append(attachment)
    return created


def delete_stored(names):
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass


def delete_files_on_commit(names):
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: delete_stored(names))


def in_transaction_with_files(work):
    """Run `work(written)` in a transaction; any file it stored is removed if the transaction fails."""
    written = []
    try:
        with transaction.atomic():
            return work(written)
    except BaseException:
        delete_stored(written)
        raise

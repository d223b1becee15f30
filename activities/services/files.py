"""Uploaded files of activities, documents and responsibility items: what may be uploaded, and
storing them so that a failed transaction leaves no file behind."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from activities.models import Attachment

# Magic bytes of the allowed attachment types: the content must agree with the extension.
MAGIC_BYTES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}


def attachment_check(upload) -> str:
    """The content type of an uploaded file if its size, extension and content are acceptable.

    The extension alone is not trusted: the first bytes must be those of the type it claims."""
    name = getattr(upload, "name", "") or ""
    size = upload.size or 0
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                "attachments": f"附件“{name}”太大（{size / 1024 / 1024:.1f} MB），单个文件不能超过 {limit // 1024 // 1024} MB。"
            }
        )
    if size == 0:
        raise ValidationError({"attachments": f"附件“{name}”是空文件。"})
    extension = os.path.splitext(name)[1].lower()
    content_type = settings.ATTACHMENT_ALLOWED_TYPES.get(extension)
    if content_type is None:
        raise ValidationError(
            {"attachments": f"附件“{name}”的类型不允许，只能上传 JPG、PNG 图片或 PDF 文件。"}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in MAGIC_BYTES[content_type]):
        raise ValidationError(
            {"attachments": f"附件“{name}”的内容与扩展名不符，不是有效的 {extension[1:].upper()} 文件。"}
        )
    return content_type


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

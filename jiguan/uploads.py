"""Uploaded files of any app (a signed scan, a report): size, type and content checked in one place,
and served back only to whoever may see the record."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError

from jiguan import web

MAGIC_BYTES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}


def upload_check(upload, *, field: str, what: str = "文件") -> str:
    """The content type of `upload` if its size, extension and first bytes are acceptable (the
    extension alone is not trusted: the first bytes must be those of the type it claims); otherwise
    a ValidationError on `field` naming the file (`what`: 文件, 附件)."""
    name = getattr(upload, "name", "") or ""
    size = upload.size or 0
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                field: f"{what}“{name}”太大（{size / 1024 / 1024:.1f} MB），不能超过 {limit // 1024 // 1024} MB。"
            }
        )
    if size == 0:
        raise ValidationError({field: f"{what}“{name}”是空文件。"})
    extension = os.path.splitext(name)[1].lower()
    content_type = settings.ATTACHMENT_ALLOWED_TYPES.get(extension)
    if content_type is None:
        raise ValidationError({field: f"{what}“{name}”的类型不允许，只能上传 JPG、PNG 图片或 PDF 文件。"})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in MAGIC_BYTES[content_type]):
        raise ValidationError(
            {field: f"{what}“{name}”的内容与扩展名不符，不是有效的 {extension[1:].upper()} 文件。"}
        )
    return content_type


def stored_file_response(field_file):
    """A stored file as a download under its own name and type (jiguan.web.stored_file_response:
    a record without one, or whose file is gone, is a 404)."""
    name = field_file.name.rsplit("/", 1)[-1] if field_file else ""
    return web.stored_file_response(
        field_file, name, settings.ATTACHMENT_ALLOWED_TYPES.get(os.path.splitext(name)[1].lower())
    )

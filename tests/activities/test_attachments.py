"""Attachments: size and type checked (by extension AND content); on any error nothing is stored
and no file is left behind in storage."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities import services
from activities.models import Activity, ActivityKind, Attachment
from jiguan import audit
from tests.activities.helpers import PDF_BYTES, jpeg_bytes, png_bytes, stored_files, upload

DAY = datetime.date(2025, 5, 20)


def record(actor, organization, attachments, **overrides):
    values = {"kind": ActivityKind.THEME_DAY, "date": DAY, "title": "主题党日", "attachments": attachments}
    values.update(overrides)
    return services.activity_create(actor=actor, organization=organization, **values)


def test_photos_and_a_pdf_are_stored_with_their_type(branch_a, staff, media_root):
    activity = record(
        staff,
        branch_a,
        [upload("合影.png", png_bytes()), upload("现场.JPG", jpeg_bytes()), upload("签到表.pdf", PDF_BYTES)],
    )
    types = sorted(a.content_type for a in activity.attachments.all())
    assert types == ["application/pdf", "image/jpeg", "image/png"]
    assert len(stored_files(media_root)) == 3
    assert all(a.size > 0 for a in activity.attachments.all())


def test_a_file_too_large_is_refused_and_nothing_is_stored(branch_a, staff, media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        record(staff, branch_a, [upload("大图.png", png_bytes((400, 400)) + b"\0" * 2048)])
    assert "太大" in exc.value.message_dict["attachments"][0]
    assert Activity.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_type_not_allowed_is_refused(branch_a, staff, media_root):
    with pytest.raises(ValidationError) as exc:
        record(staff, branch_a, [upload("宣传片.gif", b"GIF89a....")])
    assert "类型不允许" in exc.value.message_dict["attachments"][0]
    assert stored_files(media_root) == []


def test_a_fake_extension_is_refused(branch_a, staff, media_root):
    with pytest.raises(ValidationError) as exc:
        record(
            staff, branch_a, [upload("合影.png", png_bytes()), upload("照片.jpg", b"MZ\x90\x00 not a jpeg")]
        )
    assert "内容与扩展名不符" in exc.value.message_dict["attachments"][0]
    assert Activity.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_pdf_named_png_is_refused(branch_a, staff, media_root):
    with pytest.raises(ValidationError):
        record(staff, branch_a, [upload("合影.png", PDF_BYTES)])
    assert stored_files(media_root) == []


def test_a_bad_row_after_a_good_file_leaves_no_file(branch_a, staff, media_root):
    with pytest.raises(ValidationError):
        record(staff, branch_a, [upload("合影.png", png_bytes())], expected_count=1, attended_count=3)
    assert stored_files(media_root) == []


def test_a_failure_after_the_file_was_written_removes_it(branch_a, staff, media_root, monkeypatch):
    def broken_audit(actor, obj):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record_create", broken_audit)
    with pytest.raises(RuntimeError):
        record(staff, branch_a, [upload("合影.png", png_bytes())])
    assert Activity.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_deleting_an_activity_removes_its_files_after_commit(
    branch_a, staff, media_root, django_capture_on_commit_callbacks
):
    activity = record(staff, branch_a, [upload("合影.png", png_bytes())])
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_delete(actor=staff, activity=activity)
    assert stored_files(media_root) == []


def test_removing_one_attachment_on_update(branch_a, staff, media_root, django_capture_on_commit_callbacks):
    activity = record(staff, branch_a, [upload("一.png", png_bytes()), upload("二.pdf", PDF_BYTES)])
    first = activity.attachments.get(original_name="一.png")
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(
            actor=staff, activity=activity, date=DAY, title="主题党日", remove_attachments=[first]
        )
    assert [a.original_name for a in activity.attachments.all()] == ["二.pdf"]
    assert len(stored_files(media_root)) == 1

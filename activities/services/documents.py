"""Writes of documents and responsibility lists: a document's number (prefix, year, serial), the
revision of an internal regulation, the lists issued as documents and the progress of their items."""

import datetime
import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activities.models import (
    Activity,
    Document,
    DocumentKind,
    ItemStatus,
    ListKind,
    ResponsibilityItem,
    ResponsibilityList,
)
from activities.selectors import next_serial
from activities.services.files import attachment_check, delete_files_on_commit, delete_stored
from jiguan import audit, bounds, dates
from jiguan.dates import chinese_date
from jiguan.integrity import lock_row
from jiguan.numbers import normalize_number
from organizations.models import Organization
from organizations.services import check_exists_on

DOCUMENT_NUMBER_ATTEMPTS = 5

# --- documents --------------------------------------------------------------------------------


def document_issue(
    *,
    actor,
    issuer: Organization,
    prefix: str,
    kind: str,
    title: str,
    issued_on: datetime.date,
    file=None,
    revises: Document | None = None,
) -> Document:
    """Issue a document with the next number of (prefix, year).

    The serial is max + 1; the database's unique constraint on (prefix, year, serial) decides when
    two staff issue at the same moment: the loser's insert fails and it takes the next number."""
    prefix = normalize_number(prefix)  # the series of numbers: "党工通" however typed
    if file is not None:
        _check_document_file(file)
    if revises is not None:
        _check_revision(kind=kind, issued_on=issued_on, revises=revises)
    written = []
    try:
        with transaction.atomic():
            document = Document(
                issuer=issuer,
                prefix=prefix,
                year=issued_on.year if issued_on else 0,
                serial=1,
                kind=kind,
                title=(title or "").strip(),
                issued_on=issued_on,
                revises=revises,
                created_by=actor if actor is not None and actor.pk else None,
            )
            document.full_clean(exclude=["serial", "created_by", "file"], validate_unique=False)
            if file is not None:
                document.file.save(os.path.basename(file.name), file, save=False)
                written.append(document.file.name)
            for attempt in range(DOCUMENT_NUMBER_ATTEMPTS):
                document.serial = next_serial(prefix=prefix, year=document.year)
                try:
                    with transaction.atomic():
                        document.save(force_insert=True)
                    break
                except IntegrityError:
                    document.pk = None
                    if attempt == DOCUMENT_NUMBER_ATTEMPTS - 1:
                        raise ValidationError({"prefix": "文号分配冲突，请稍后重试。"}) from None
            audit.record_create(actor, document)
            return document
    except BaseException:
        delete_stored(written)
        raise


def _check_revision(*, kind, issued_on, revises):
    """A revised internal regulation (内部制度) replaces an earlier one."""
    if kind != DocumentKind.REGULATION or revises.kind != DocumentKind.REGULATION:
        raise ValidationError({"revises": "只有内部制度可以修订内部制度。"})
    if issued_on is not None and revises.issued_on > issued_on:
        raise ValidationError(
            {
                "revises": f"被修订的“{revises.title}”（{revises.number}）发文于{chinese_date(revises.issued_on)}，"
                "晚于本文件的发文日期。"
            }
        )


def _check_document_file(upload):
    try:
        attachment_check(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.message_dict["attachments"]}) from None


# --- responsibility lists ---------------------------------------------------------------------


@dataclass
class ItemEntry:
    task: str
    responsible_person: str = ""
    responsible_organization: Organization | None = None
    deadline: datetime.date | None = None
    is_key_task: bool = False


def responsibility_list_issue(
    *,
    actor,
    issuer: Organization,
    prefix: str,
    title: str,
    issued_on: datetime.date,
    kind: str = ListKind.RESPONSIBILITY,
    year: int | None = None,
    items: list[ItemEntry] = (),
    file=None,
) -> ResponsibilityList:
    """Issue a list as a document (kind RESPONSIBILITY_LIST or WORK_POINTS) with its items; the
    items marked key tasks (重点任务) are counted by the report (work_plan_key_tasks)."""
    document_kind = (
        DocumentKind.WORK_POINTS if kind == ListKind.WORK_POINTS else DocumentKind.RESPONSIBILITY_LIST
    )
    with transaction.atomic():
        document = document_issue(
            actor=actor,
            issuer=issuer,
            prefix=prefix,
            kind=document_kind,
            title=title,
            issued_on=issued_on,
            file=file,
        )
        rlist = ResponsibilityList(document=document, kind=kind, year=year or issued_on.year)
        rlist.full_clean()
        rlist.save()
        for number, entry in enumerate(items, start=1):
            if not (entry.task or "").strip():
                raise ValidationError({"items": f"第{number}项的任务不能为空。"})
        entries = [
            ResponsibilityItem(
                responsibility_list=rlist,
                number=number,
                task=entry.task.strip(),
                responsible_person=entry.responsible_person,
                responsible_organization=entry.responsible_organization,
                deadline=entry.deadline,
                is_key_task=entry.is_key_task,
            )
            for number, entry in enumerate(items, start=1)
        ]
        bounds.check_all(entries, key="items")
        created = ResponsibilityItem.objects.bulk_create(entries)
        audit.record_create(actor, rlist)
        if created and created[0].pk:
            audit.record_bulk_create(actor, created)
        return rlist


def _check_evidence_activities(item, activities):
    """Evidence is an activity of the list's year by the responsible organization or one below it."""
    year = item.responsibility_list.year
    wrong_year = [a.title for a in activities if a.date.year != year]
    if wrong_year:
        raise ValidationError(
            {"evidence_activities": f"佐证活动“{'、'.join(wrong_year)}”不是{year}年度的活动。"}
        )
    organization = item.responsible_organization
    if organization is None or not activities:
        return
    inside = set(
        Organization.objects.subtree_of(organization)
        .filter(pk__in={a.organization_id for a in activities})
        .values_list("pk", flat=True)
    )
    outside = [a.title for a in activities if a.organization_id not in inside]
    if outside:
        raise ValidationError(
            {
                "evidence_activities": f"佐证活动“{'、'.join(outside)}”不是{organization.name}（含下级组织）开展的活动。"
            }
        )


def responsibility_item_update(
    *,
    actor,
    item: ResponsibilityItem,
    status: str,
    done_on: datetime.date | None = None,
    evidence_activities: list[Activity] | None = None,
    evidence_file=None,
    progress_note: str | None = None,
    task: str | None = None,
    responsible_person: str | None = None,
    responsible_organization: Organization | None = None,
    deadline: datetime.date | None = None,
    is_key_task: bool | None = None,
) -> ResponsibilityItem:
    """Record progress of an item (and, from the item's form, change what it says). Done needs a
    date (today when not given). Arguments left as None keep their values."""
    if evidence_file is not None:
        try:
            attachment_check(evidence_file)
        except ValidationError as exc:
            raise ValidationError({"evidence_file": exc.message_dict["attachments"]}) from None
    written = []
    try:
        with transaction.atomic():
            lock_row(item)  # two updates at once: the second replaces the first's evidence file cleanly
            before = audit.snapshot(item)
            item.status = status
            if progress_note is not None:
                item.progress_note = progress_note.strip()
            if task is not None:
                item.task = task.strip()
            if responsible_person is not None:
                item.responsible_person = responsible_person
            if responsible_organization is not None:
                if responsible_organization.pk != item.responsible_organization_id:
                    check_exists_on(
                        responsible_organization,
                        dates.today(),
                        field="responsible_organization",
                        what="承担事项",
                    )
                item.responsible_organization = responsible_organization
            if deadline is not None:
                item.deadline = deadline
            if is_key_task is not None:
                item.is_key_task = is_key_task
            if status == ItemStatus.DONE:
                item.done_on = done_on or item.done_on or dates.today()
            else:
                item.done_on = None
            item.full_clean(exclude=["evidence_file"])
            if evidence_activities is not None:
                evidence_activities = list(evidence_activities)
                _check_evidence_activities(item, evidence_activities)
            old = None
            if evidence_file is not None:
                old = item.evidence_file.name or None
                item.evidence_file.save(os.path.basename(evidence_file.name), evidence_file, save=False)
                written.append(item.evidence_file.name)
            item.save()
            if evidence_activities is not None:
                item.evidence_activities.set(evidence_activities)
            if old:
                delete_files_on_commit([old])
            audit.record_update(actor, item, before)
            return item
    except BaseException:
        delete_stored(written)
        raise

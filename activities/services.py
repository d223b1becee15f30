"""Writes of the activities app: activities and their attachments, documents, responsibility lists
and reminder letters. Every function runs in one transaction, checks with `full_clean()` and writes
the audit; bad input raises ValidationError({field: Chinese message}) and stores nothing."""

import datetime
import os
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max

from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    Attachment,
    CondolenceVisit,
    Document,
    DocumentKind,
    ItemStatus,
    LetterStatus,
    ListKind,
    ReminderLetter,
    ResponsibilityItem,
    ResponsibilityList,
    Topic,
    TrainingAttendance,
)
from jiguan import audit, bounds, dates
from jiguan.dates import chinese_date
from jiguan.integrity import lock_row, refuse_duplicate
from jiguan.numbers import normalize_number
from members import idnumber
from members.development import TRAINED_STAGES
from members.models import Member
from members.selectors import prospects_on
from organizations.models import Organization
from organizations.services import check_exists_on

# Magic bytes of the allowed attachment types: the content must agree with the extension.
MAGIC_BYTES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
DOCUMENT_NUMBER_ATTEMPTS = 5


@dataclass
class CondolenceEntry:
    """One person visited: a member picked from the roster, or someone outside it by name (with an
    ID number when known, so that the same person visited twice is counted once)."""

    person_name: str = ""
    amount: Decimal = Decimal("0")
    note: str = ""
    member: Member | None = None
    id_number: str = ""


@dataclass
class TraineeEntry:
    """A trainee: a prospect (who must be an activist or a candidate on the training's date) or a
    member. Their stage is not given: it follows from the dates (members.development.stage_on)."""

    prospect: object = None
    member: Member | None = None
    hours: int | None = None


# --- attachments ------------------------------------------------------------------------------


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


def _store_attachments(activity, uploads, written):
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


def _delete_stored(names):
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass


def _delete_files_on_commit(names):
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: _delete_stored(names))


# --- activities -------------------------------------------------------------------------------


def _check_date(organization, day, joined_organizations=()):
    """The organizing organization, and each joining one, existed on the activity's day."""
    if day is None:
        return
    check_exists_on(organization, day, field="date", what="活动")
    for joined in joined_organizations:
        check_exists_on(joined, day, field="joined_organizations", what="联合开展活动")


def _check_attendees(organization, day, attendees):
    """Attendees must belong to the organizing organization or one below it on the activity's day."""
    attendees = list(attendees)
    if not attendees:
        return attendees
    subtree = Organization.objects.subtree_of(organization, day)
    allowed = set(
        Member.objects.as_of(day)
        .filter(pk__in=[m.pk for m in attendees], organization_then_id__in=subtree)
        .values_list("pk", flat=True)
    )
    outside = [m.name for m in attendees if m.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                "attendees": f"{'、'.join(outside)}不是{organization.name}（含下级组织）在活动当日的党员，不能列为参加人员。"
            }
        )
    return attendees


def _check_condolences(entries, day):
    """Each person visited is named; a member picked was on the roster on the visit's day; an ID
    number given is a valid one, and one of a member on the roster that day links the member."""
    entries = list(entries)
    for entry in entries:
        if entry.member is None and not (entry.person_name or "").strip():
            raise ValidationError({"condolence_visits": "请从党员名册选择走访慰问对象，或填写姓名。"})
        who = entry.member.name if entry.member is not None else entry.person_name.strip()
        if entry.amount is None or Decimal(entry.amount) < 0:
            raise ValidationError({"condolence_visits": f"给{who}的慰问金不能为负数。"})
        entry.id_number = normalize_number(entry.id_number)
        if entry.member is None and entry.id_number:
            try:
                idnumber.validate_id_number(entry.id_number)
            except ValidationError as exc:
                raise ValidationError({"condolence_visits": f"{who}的{exc.messages[0]}"}) from None
    if day is None:
        return entries
    on_roster = Member.objects.as_of(day)
    picked = [e.member.pk for e in entries if e.member is not None]
    present = set(on_roster.filter(pk__in=picked).values_list("pk", flat=True))
    absent = [e.member.name for e in entries if e.member is not None and e.member.pk not in present]
    if absent:
        raise ValidationError(
            {
                "condolence_visits": f"{'、'.join(absent)}在{chinese_date(day)}不在党员名册中，不能作为党员慰问对象。"
            }
        )
    numbers = [e.id_number for e in entries if e.member is None and e.id_number]
    members = {m.id_number: m for m in on_roster.matching_any("id_number", numbers)} if numbers else {}
    for entry in entries:
        if entry.member is None and entry.id_number in members:
            entry.member = members[entry.id_number]  # the same person as the roster's member
    return entries


def _check_trainees(day, entries):
    """Each trainee is someone; a prospect was an activist or a candidate on the training's date."""
    for entry in entries:
        if entry.prospect is None and entry.member is None:
            raise ValidationError({"trainees": "请选择参训的发展对象或党员。"})
    prospects = [e.prospect for e in entries if e.prospect is not None]
    if not prospects or day is None:
        return
    stages = dict(prospects_on(day).filter(pk__in=[p.pk for p in prospects]).values_list("pk", "stage_then"))
    wrong = [p.name for p in prospects if stages.get(p.pk) not in TRAINED_STAGES]
    if wrong:
        raise ValidationError(
            {
                "trainees": f"{'、'.join(wrong)}在{chinese_date(day)}不是入党积极分子或发展对象"
                "（按发展步骤的日期），不能列为参训人员。"
            }
        )


def _set_details(activity, *, topics, attendees, joined_organizations, condolence_visits, trainees):
    ActivityTopic.objects.filter(activity=activity).exclude(topic__in=topics).delete()
    existing = set(ActivityTopic.objects.filter(activity=activity).values_list("topic", flat=True))
    ActivityTopic.objects.bulk_create(
        [ActivityTopic(activity=activity, topic=t) for t in dict.fromkeys(topics) if t not in existing]
    )
    if attendees is not None:
        activity.attendees.set(attendees)
    activity.joined_organizations.set([o for o in joined_organizations if o.pk != activity.organization_id])
    if condolence_visits is not None:
        activity.condolence_visits.all().delete()
        visits = [
            CondolenceVisit(
                activity=activity,
                person_name=e.member.name if e.member is not None else e.person_name.strip(),
                member=e.member,
                id_number="" if e.member is not None else e.id_number,
                amount=Decimal(e.amount),
                note=e.note,
            )
            for e in condolence_visits
        ]
        bounds.check_all(visits, key="condolence_visits", item="第{}位慰问对象")
        CondolenceVisit.objects.bulk_create(visits)
    if trainees is not None:
        activity.trainees.all().delete()
        attendances = [
            TrainingAttendance(activity=activity, prospect=e.prospect, member=e.member, hours=e.hours)
            for e in trainees
        ]
        bounds.check_all(attendances, key="trainees", item="第{}位参训人员")
        TrainingAttendance.objects.bulk_create(attendances)


def _validate_activity(activity, *, topics, attendees, joined_organizations, condolence_visits, trainees):
    if any(t not in Topic.values for t in topics):
        raise ValidationError({"topics": "专题只能是第一议题、意识形态、党风廉政、学法、党史学习教育。"})
    if attendees:
        activity.attended_count = len(attendees)
    if (
        activity.expected_count is not None
        and activity.attended_count is not None
        and activity.attended_count > activity.expected_count
    ):
        raise ValidationError(
            {
                "attended_count": f"实到人数（{activity.attended_count}）不能多于应到人数（{activity.expected_count}）。"
            }
        )
    if activity.date is not None and activity.organization_id:
        _check_date(activity.organization, activity.date, joined_organizations)
    activity.full_clean(exclude=["created_by"])
    if condolence_visits and activity.kind != ActivityKind.CONDOLENCE_VISIT:
        raise ValidationError({"condolence_visits": "只有走访慰问活动可以填写慰问对象。"})
    if trainees and activity.kind != ActivityKind.TRAINING:
        raise ValidationError({"trainees": "只有培训活动可以填写参训人员。"})
    _check_condolences(condolence_visits or [], activity.date)
    if trainees is None and activity.pk and activity.kind == ActivityKind.TRAINING:
        # The trainees stay; a new date must still find them activists or candidates.
        trainees = [
            TraineeEntry(prospect=t.prospect) for t in activity.trainees.filter(prospect__isnull=False)
        ]
    _check_trainees(activity.date, trainees or [])


def _in_transaction_with_files(work):
    """Run `work(written)` in a transaction; any file it stored is removed if the transaction fails."""
    written = []
    try:
        with transaction.atomic():
            return work(written)
    except BaseException:
        _delete_stored(written)
        raise


def activity_create(
    *,
    actor,
    organization: Organization,
    kind: str,
    date: datetime.date,
    title: str,
    place: str = "",
    expected_count: int | None = None,
    attended_count: int | None = None,
    topics: list[str] = (),
    attendees: list[Member] = (),
    joined_organizations: list[Organization] = (),
    host: str = "",
    recorder: str = "",
    minutes: str = "",
    volunteer_community: str = "",
    condolence_visits: list[CondolenceEntry] = (),
    trainees: list[TraineeEntry] = (),
    attachments: list = (),
) -> Activity:
    topics = list(topics)
    joined_organizations = list(joined_organizations)
    for upload in attachments:  # check before anything is written
        attachment_check(upload)
    activity = Activity(
        organization=organization,
        kind=kind,
        date=date,
        title=(title or "").strip(),
        place=place,
        expected_count=expected_count,
        attended_count=attended_count,
        host=host,
        recorder=recorder,
        minutes=minutes,
        volunteer_community=volunteer_community,
        created_by=actor if actor is not None and actor.pk else None,
    )

    def work(written):
        members = _check_attendees(organization, date, attendees) if date else []
        _validate_activity(
            activity,
            topics=topics,
            attendees=members,
            joined_organizations=joined_organizations,
            condolence_visits=condolence_visits,
            trainees=trainees,
        )
        activity.save()
        _set_details(
            activity,
            topics=topics,
            attendees=members,
            joined_organizations=list(joined_organizations),
            condolence_visits=list(condolence_visits),
            trainees=list(trainees),
        )
        _store_attachments(activity, attachments, written)
        audit.record_create(actor, activity)
        return activity

    return _in_transaction_with_files(work)


def activity_update(
    *,
    actor,
    activity: Activity,
    date: datetime.date,
    title: str,
    kind: str | None = None,
    place: str = "",
    expected_count: int | None = None,
    attended_count: int | None = None,
    topics: list[str] = (),
    attendees: list[Member] | None = None,
    joined_organizations: list[Organization] = (),
    host: str = "",
    recorder: str = "",
    minutes: str = "",
    volunteer_community: str = "",
    condolence_visits: list[CondolenceEntry] | None = None,
    trainees: list[TraineeEntry] | None = None,
    attachments: list = (),
    remove_attachments: list[Attachment] = (),
) -> Activity:
    """Change an activity. `attendees`, `condolence_visits` and `trainees` left as None keep theirs."""
    topics = list(topics)
    joined_organizations = list(joined_organizations)
    for upload in attachments:
        attachment_check(upload)

    def work(written):
        lock_row(activity)  # two saves at once would both rewrite the topics and attendees
        before = audit.snapshot(activity)
        activity.kind = kind or activity.kind
        activity.date = date
        activity.title = (title or "").strip()
        activity.place = place
        activity.expected_count = expected_count
        activity.attended_count = attended_count
        activity.host = host
        activity.recorder = recorder
        activity.minutes = minutes
        activity.volunteer_community = volunteer_community
        members = None
        if attendees is not None:
            members = _check_attendees(activity.organization, date, attendees) if date else []
        elif date:
            members = _check_attendees(activity.organization, date, activity.attendees.all())
            members = members or None
        _validate_activity(
            activity,
            topics=topics,
            attendees=members or [],
            joined_organizations=joined_organizations,
            condolence_visits=condolence_visits,
            trainees=trainees,
        )
        activity.save()
        _set_details(
            activity,
            topics=topics,
            attendees=members if attendees is not None else None,
            joined_organizations=list(joined_organizations),
            condolence_visits=None if condolence_visits is None else list(condolence_visits),
            trainees=None if trainees is None else list(trainees),
        )
        removed = []
        for attachment in remove_attachments:
            if attachment.activity_id == activity.pk:
                removed.append(attachment.file.name)
                attachment.delete()
        _store_attachments(activity, attachments, written)
        _delete_files_on_commit(removed)
        audit.record_update(actor, activity, before)
        return activity

    return _in_transaction_with_files(work)


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    names = list(activity.attachments.values_list("file", flat=True))
    audit.record_delete(actor, activity)
    activity.delete()
    _delete_files_on_commit(names)


# --- documents --------------------------------------------------------------------------------


def document_next_serial(*, prefix: str, year: int) -> int:
    latest = Document.objects.filter(prefix=prefix, year=year).aggregate(m=Max("serial"))["m"]
    return (latest or 0) + 1


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
                document.serial = document_next_serial(prefix=prefix, year=document.year)
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
        _delete_stored(written)
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
                _delete_files_on_commit([old])
            audit.record_update(actor, item, before)
            return item
    except BaseException:
        _delete_stored(written)
        raise


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
    before = audit.snapshot(letter)
    letter.subject = (subject or "").strip()
    letter.body = body or ""
    letter.full_clean()
    letter.save()
    audit.record_update(actor, letter, before)
    return letter


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
    before = audit.snapshot(letter)
    letter.document = document_issue(
        actor=actor,
        issuer=letter.sender,
        prefix=prefix,
        kind=DocumentKind.REMINDER,
        title=letter.subject,
        issued_on=issued_on,
    )
    letter.status = LetterStatus.ISSUED
    letter.issued_on = issued_on
    letter.full_clean()
    letter.save()
    audit.record_update(actor, letter, before)
    return letter


@transaction.atomic
def reminder_letter_mark_handled(
    *, actor, letter: ReminderLetter, note: str = "", handled_on: datetime.date | None = None
) -> ReminderLetter:
    lock_row(letter)
    if letter.status != LetterStatus.ISSUED:
        raise ValidationError({"handling_note": "只有已发出、尚未办理的提醒函可以标记为已办理。"})
    before = audit.snapshot(letter)
    letter.status = LetterStatus.HANDLED
    letter.handled_on = handled_on or dates.today()
    letter.handled_by = actor
    letter.handling_note = note
    letter.full_clean()
    letter.save()
    audit.record_update(actor, letter, before)
    return letter


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

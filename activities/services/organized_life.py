"""Writes of organized life: activities (meetings, lectures, theme days, trainings, condolence
visits …) with their topics, attendees and absentees, joined organizations, visits, trainees and
attachments."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from activities.models import (
    Absence,
    AbsenceReason,
    Activity,
    ActivityKind,
    ActivityTopic,
    Attachment,
    CondolenceVisit,
    Topic,
    TrainingAttendance,
)
from activities.services.files import (
    attachment_check,
    delete_files_on_commit,
    in_transaction_with_files,
    store_attachments,
)
from jiguan import audit, bounds
from jiguan.dates import chinese_date
from jiguan.integrity import lock_row
from jiguan.numbers import normalize_number
from members import idnumber
from members.development import TRAINED_STAGES
from members.models import Member
from members.selectors import prospects_on
from organizations.models import Organization
from organizations.services import check_exists_on


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
class AbsenceEntry:
    """A member of the organizing organization (or one below it) who did not attend, and why."""

    member: Member
    reason: str
    note: str = ""


@dataclass
class TraineeEntry:
    """A trainee: a prospect (who must be an activist or a candidate on the training's date) or a
    member. Their stage is not given: it follows from the dates (members.development.stage_on)."""

    prospect: object = None
    member: Member | None = None
    hours: int | None = None


def _check_date(organization, day, joined_organizations=()):
    """The organizing organization, and each joining one, existed on the activity's day."""
    if day is None:
        return
    check_exists_on(organization, day, field="date", what="活动")
    for joined in joined_organizations:
        check_exists_on(joined, day, field="joined_organizations", what="联合开展活动")


def _check_attendees(organization, day, attendees, *, field="attendees", role="参加人员"):
    """Attendees (or absentees) must belong to the organizing organization or one below it on the
    activity's day."""
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
                field: f"{'、'.join(outside)}不是{organization.name}（含下级组织）在活动当日的党员，不能列为{role}。"
            }
        )
    return attendees


def _check_absences(activity, absences, attendees):
    """Each absentee once, with a reason, a member of the organization on the day, not also among
    the attendees; and 应到 (when given) at least 实到 plus the absent (三会一课 attendance adds up)."""
    absences = list(absences)
    seen = set()
    for entry in absences:
        if entry.member is None:
            raise ValidationError({"absences": "请选择缺席的党员。"})
        if entry.reason not in AbsenceReason.values:
            raise ValidationError({"absences": f"请选择{entry.member.name}的缺席原因。"})
        if entry.member.pk in seen:
            raise ValidationError({"absences": f"{entry.member.name}在缺席党员中列了两次。"})
        seen.add(entry.member.pk)
        entry.note = (entry.note or "").strip()
    both = [m.name for m in attendees if m.pk in seen]
    if both:
        raise ValidationError({"absences": f"{'、'.join(both)}已勾选为参加党员，不能同时列为缺席。"})
    if activity.date is not None and activity.organization_id:
        _check_attendees(
            activity.organization,
            activity.date,
            [e.member for e in absences],
            field="absences",
            role="缺席党员",
        )
    expected, attended = activity.expected_count, activity.attended_count
    if absences and expected is not None and (attended or 0) + len(absences) > expected:
        raise ValidationError(
            {
                "absences": f"实到（{attended or 0}人）加缺席（{len(absences)}人）多于应到人数（{expected}人），"
                "请核对应到人数。"
            }
        )
    return absences


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


def _set_details(
    activity, *, topics, attendees, joined_organizations, condolence_visits, trainees, absences=None
):
    ActivityTopic.objects.filter(activity=activity).exclude(topic__in=topics).delete()
    existing = set(ActivityTopic.objects.filter(activity=activity).values_list("topic", flat=True))
    ActivityTopic.objects.bulk_create(
        [ActivityTopic(activity=activity, topic=t) for t in dict.fromkeys(topics) if t not in existing]
    )
    if attendees is not None:
        activity.attendees.set(attendees)
    if absences is not None:
        activity.absences.all().delete()
        rows = [Absence(activity=activity, member=e.member, reason=e.reason, note=e.note) for e in absences]
        bounds.check_all(rows, key="absences", item="第{}位缺席党员")
        Absence.objects.bulk_create(rows)
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
    absences: list[AbsenceEntry] = (),
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
        absent = _check_absences(activity, absences, members)
        activity.save()
        _set_details(
            activity,
            topics=topics,
            attendees=members,
            joined_organizations=list(joined_organizations),
            condolence_visits=list(condolence_visits),
            trainees=list(trainees),
            absences=absent,
        )
        store_attachments(activity, attachments, written)
        audit.record_create(actor, activity)
        return activity

    return in_transaction_with_files(work)


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
    absences: list[AbsenceEntry] | None = None,
    attachments: list = (),
    remove_attachments: list[Attachment] = (),
) -> Activity:
    """Change an activity. `attendees`, `condolence_visits`, `trainees` and `absences` left as None
    keep theirs (and are checked again against the new date and attendees)."""
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
        kept = absences is None
        if kept:
            absences_now = [
                AbsenceEntry(member=a.member, reason=a.reason, note=a.note)
                for a in activity.absences.select_related("member")
            ]
        else:
            absences_now = absences
        attending = members if members is not None else list(activity.attendees.all())
        absent = _check_absences(activity, absences_now, attending)
        activity.save()
        _set_details(
            activity,
            topics=topics,
            absences=None if kept else absent,
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
        store_attachments(activity, attachments, written)
        delete_files_on_commit(removed)
        audit.record_update(actor, activity, before)
        return activity

    return in_transaction_with_files(work)


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    names = list(activity.attachments.values_list("file", flat=True))
    audit.record_delete(actor, activity)
    activity.delete()
    delete_files_on_commit(names)

"""Writes of the evaluations: keyword-only, checked, atomic, audited. The rules live here (the
pages and the import sheets of activities.evaluations.importers refuse with the same words)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from activities.evaluations.models import (
    REPORTING_KINDS,
    Appraisal,
    AppraisalGrade,
    AssessmentItem,
    AssessmentScore,
    AssessmentSheet,
    AssessmentTarget,
    MemberGrade,
    ReportGrade,
    SecretaryReport,
    TargetKind,
)
from activities.models import Activity, ActivityKind, LetterStatus, ReminderLetter, ReminderReason
from jiguan import audit, bounds, data_version, dates
from jiguan.dated import holds_on
from jiguan.dates import chinese_date
from jiguan.integrity import lock_row, refuse_duplicate
from jiguan.uploads import upload_check
from members.integrity import selectors as integrity_selectors
from members.models import Member, Status
from organizations.models import Appointment, Organization, Post
from organizations.services import check_exists_on


def _raise(errors):
    if errors:
        raise ValidationError(errors)


def _year_errors(year) -> dict:
    if year is None:
        return {"year": "请填写年度。"}
    if year not in bounds.year_range():
        return {"year": bounds.year_out_of_range_message()}
    return {}


# --- 书记抓基层党建述职评议考核 --------------------------------------------------------------------------


def secretary_on(organization: Organization, day: datetime.date) -> str:
    """The name of the organization's secretary on `day` ("" when none is recorded)."""
    appointment = (
        Appointment.objects.active_on(day)
        .filter(organization=organization, post=Post.SECRETARY)
        .order_by("-start_on")
        .first()
    )
    return appointment.person_name if appointment else ""


class SecretaryNames:
    """secretary_on for the organizations of an import: their secretaries' appointments read once."""

    def __init__(self, organizations):
        self.appointments = {}  # organization id -> its secretaries, the latest appointed first
        ids = sorted({organization.pk for organization in organizations})
        for start in range(0, len(ids), _CHUNK):
            secretaries = Appointment.objects.filter(
                organization_id__in=ids[start : start + _CHUNK], post=Post.SECRETARY
            ).order_by("-start_on", "pk")
            for appointment in secretaries:
                self.appointments.setdefault(appointment.organization_id, []).append(appointment)

    def on(self, organization, day) -> str:
        for appointment in self.appointments.get(organization.pk, ()):
            if holds_on(day, appointment.start_on, appointment.end_on):
                return appointment.person_name
        return ""


def secretary_report_errors(*, organization, year, reported_on, grade="") -> dict:
    """A secretary of a 机关党委, 党总支部 or 党支部 reports for Y in Y or in Y + 1 (the report on a
    year is often made when it is over), while the organization exists."""
    errors = _year_errors(year)
    if organization is None:
        errors["organization"] = "请选择党组织。"
    elif organization.kind not in REPORTING_KINDS:
        errors["organization"] = (
            f"“{organization.name}”是{organization.get_kind_display()}，书记述职评议只适用于机关党委、党总支部和党支部。"
        )
    if reported_on is None:
        errors["reported_on"] = "请填写述职日期。"
    elif not errors.get("year") and reported_on.year not in (year, year + 1):
        errors["reported_on"] = (
            f"{year}年度的述职日期应在{year}年或{year + 1}年内，现为{chinese_date(reported_on)}。"
        )
    elif organization is not None and "organization" not in errors:
        problem = organization.existence_problem(reported_on, "述职")
        if problem:
            errors["reported_on"] = problem
    if grade and grade not in ReportGrade.values:
        errors["grade"] = "评议等次应为好、较好、一般或差。"
    return errors


@transaction.atomic
def secretary_report_record(
    *,
    actor,
    organization: Organization,
    year: int,
    reported_on: datetime.date,
    grade: str = "",
    secretary_name: str = "",
    file=None,
) -> SecretaryReport:
    """The secretary's report of `year` (once a year); recorded again, it is corrected in place."""
    _raise(
        secretary_report_errors(organization=organization, year=year, reported_on=reported_on, grade=grade)
    )
    if file:
        upload_check(file, field="file")
    report = SecretaryReport.objects.select_for_update().filter(organization=organization, year=year).first()
    before = audit.snapshot(report) if report else None
    report = report or SecretaryReport(organization=organization, year=year)
    report.reported_on = reported_on
    report.grade = grade or ""
    report.secretary_name = (secretary_name or "").strip() or secretary_on(organization, reported_on)
    report.full_clean(exclude=["file"])
    old_file = report.file.name if file and report.file else ""
    if file:
        report.file.save(file.name.rsplit("/", 1)[-1], file, save=False)
    try:
        with refuse_duplicate(
            {"organization": f"“{organization.name}”{year}年度的书记述职刚刚由他人登记，请刷新后再试。"}
        ):
            report.save()
    except Exception:
        if file:
            report.file.storage.delete(report.file.name)
        raise
    if old_file:
        storage = report.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    if before is None:
        audit.record_create(actor, report)
    else:
        audit.record_update(actor, report, before)
    return report


def secretary_report_new(
    *,
    organization: Organization,
    year: int,
    reported_on: datetime.date,
    grade: str = "",
    secretary_name: str = "",
    secretaries: SecretaryNames,
) -> SecretaryReport:
    """The checked, unsaved report of secretary_report_record, for a year with none on file yet (an
    import stores many with secretary_reports_store): the same rules in the same words, the
    secretary's name from `secretaries` when none is given. No query."""
    _raise(
        secretary_report_errors(organization=organization, year=year, reported_on=reported_on, grade=grade)
    )
    report = SecretaryReport(organization=organization, year=year, reported_on=reported_on, grade=grade or "")
    report.secretary_name = (secretary_name or "").strip() or secretaries.on(organization, reported_on)
    # secretary_report_record's full_clean, less its queries: the organization is on file, and the
    # caller found no report of the year on file (secretary_reports_store refuses one stored meanwhile).
    report.full_clean(exclude=["file", "organization"], validate_constraints=False)
    return report


@transaction.atomic
def secretary_reports_store(*, actor, reports: list) -> list:
    """Store secretary_report_new's reports in bulk (an import's), audited as secretary_report_record
    audits each."""
    with refuse_duplicate({"organization": "导入期间有人登记了相同党组织、相同年度的书记述职，请重新导入。"}):
        SecretaryReport.objects.bulk_create(reports, batch_size=1000)
    audit.record_bulk_create(actor, reports)
    return reports


@transaction.atomic
def secretary_report_grade(*, actor, report: SecretaryReport, grade: str) -> SecretaryReport:
    """The grade of a report (好 / 较好 / 一般 / 差), given by the committee after the report."""
    lock_row(report)
    if grade not in ReportGrade.values:
        raise ValidationError({"grade": "评议等次应为好、较好、一般或差。"})
    before = audit.snapshot(report)
    report.grade = grade
    report.full_clean()
    report.save()
    audit.record_update(actor, report, before)
    return report


# --- 民主评议党员 --------------------------------------------------------------------------------------


def excellent_limit_errors(*, graded: int, excellent: int, field="grades") -> dict:
    """优秀 at most one third of those graded."""
    if excellent * 3 > graded:
        return {
            field: f"评为优秀的党员不能超过参加评定等次党员的三分之一：本次评定{graded}人，"
            f"优秀最多{graded // 3}人，现为{excellent}人。"
        }
    return {}


def probationary_message(member: Member) -> str:
    return f"{member.name}是预备党员，参加民主评议但不评定等次。"


def _placements(members, day) -> dict:
    """{member pk: (organization id, status)} on `day` for `members` on the roster then (one query)."""
    return {
        pk: (org_id, status)
        for pk, org_id, status in Member.objects.as_of(day)
        .filter(pk__in=[m.pk for m in members])
        .values_list("pk", "organization_then_id", "status_then")
    }


def _grade_problems(members, organization, day, placed) -> dict:
    problems = {}
    for member in members:
        org_id, status = placed.get(member.pk, (None, None))
        if org_id != organization.pk:
            problems[member] = (
                f"{member.name}在{chinese_date(day)}不是“{organization.name}”的党员，不能在本组织评定等次。"
            )
        elif status != Status.FULL:
            problems[member] = probationary_message(member)
    return problems


def grade_member_problems(*, members: list, organization: Organization, day: datetime.date) -> dict:
    """{member: why they may not be graded} for those of `members` that `organization`'s appraisal
    held on `day` may not grade (one query): each must belong to it that day and be a full member."""
    return _grade_problems(members, organization, day, _placements(members, day))


def _appraisal_errors(year, held_on) -> dict:
    errors = _year_errors(year)
    if held_on is None:
        errors["held_on"] = "请填写评议日期（或选择民主评议党员活动）。"
    elif not errors.get("year") and held_on.year != year:
        errors["held_on"] = f"{year}年度的民主评议日期应在{year}年内，现为{chinese_date(held_on)}。"
    return errors


def _invalid_grade_errors(grades) -> list:
    return [
        f"{member.name}的等次应为优秀、合格、基本合格或不合格。"
        for member, grade in grades.items()
        if grade not in AppraisalGrade.values
    ]


def _graded_elsewhere_message(grade, year) -> str:
    return f"{grade.member.name}已在“{grade.appraisal.organization.name}”评定{year}年度等次。"


def _excellent_errors(kept, grades) -> dict:
    combined = list(kept) + list(grades.values())
    return excellent_limit_errors(
        graded=len(combined), excellent=sum(1 for g in combined if g == AppraisalGrade.EXCELLENT)
    )


@transaction.atomic
def appraisal_record(
    *,
    actor,
    organization: Organization,
    year: int,
    held_on: datetime.date | None = None,
    grades: dict,
    activity: Activity | None = None,
) -> Appraisal:
    """The branch's 民主评议党员 of `year`: a grade for each full member (`grades`: {member: grade}).

    Recorded again, the grades given are replaced, the others kept. 优秀 at most one third of those
    graded; probationary members take part but get no grade. Linked to the branch's 民主评议党员
    activity of the year (its day is the appraisal's day when none is given)."""
    errors = _year_errors(year)
    if activity is not None:
        if activity.kind != ActivityKind.DEMOCRATIC_REVIEW or activity.organization_id != organization.pk:
            errors["activity"] = f"所选活动不是“{organization.name}”的民主评议党员活动。"
        elif activity.date.year != year:
            errors["activity"] = f"所选活动在{activity.date.year}年，不是{year}年的民主评议党员。"
        held_on = held_on or activity.date
    errors = {**_appraisal_errors(year, held_on), **errors}
    _raise(errors)
    check_exists_on(organization, held_on, field="held_on", what="民主评议")
    lock_row(organization)  # two secretaries entering the same appraisal at once: one after the other

    appraisal = Appraisal.objects.filter(organization=organization, year=year).first()
    before = audit.snapshot(appraisal) if appraisal else None
    appraisal = appraisal or Appraisal(organization=organization, year=year)
    appraisal.held_on = held_on
    appraisal.activity = activity if activity is not None else appraisal.activity
    appraisal.full_clean()

    member_errors = _invalid_grade_errors(grades)
    member_errors += grade_member_problems(
        members=list(grades), organization=organization, day=held_on
    ).values()
    elsewhere = (
        MemberGrade.objects.filter(member__in=list(grades), year=year)
        .exclude(appraisal__organization=organization)
        .select_related("member", "appraisal__organization")
    )
    for grade in elsewhere:
        member_errors.append(_graded_elsewhere_message(grade, year))
    if member_errors:
        raise ValidationError({"grades": member_errors})

    appraisal.save()
    kept = {
        g.member_id: g.grade
        for g in (
            appraisal.grades.exclude(member__in=list(grades)) if appraisal.pk else MemberGrade.objects.none()
        )
    }
    _raise(_excellent_errors(kept.values(), grades))
    existing = {g.member_id: g for g in appraisal.grades.filter(member__in=list(grades))}
    new = [
        MemberGrade(appraisal=appraisal, member=member, year=year, grade=grade)
        for member, grade in grades.items()
        if member.pk not in existing
    ]
    # In one insert (a branch's page, or an import of a county's grades): the grades were checked
    # above; a member graded meanwhile by someone else refuses the lot.
    with refuse_duplicate({"grades": f"刚刚有人评定了其中党员的{year}年度等次，请刷新后再试。"}):
        MemberGrade.objects.bulk_create(new)
    audit.record_bulk_create(actor, new)
    for member, grade in grades.items():
        row = existing.get(member.pk)
        if row is None:
            continue
        if row.grade != grade:
            row_before = audit.snapshot(row)
            row.grade = grade
            row.save()
            audit.record_update(actor, row, row_before)
    if before is None:
        audit.record_create(actor, appraisal)
    else:
        audit.record_update(actor, appraisal, before)
    return appraisal


class AppraisalBatch:
    """Many branches' 民主评议党员 (an import's 民主评议 sheet), each checked by appraisal_record's
    own rules and all stored at once. Made for the `organizations`, `years` and `members` to come:
    the organizations are locked and read, their appraisals of those years, the grades of those
    members in those years and the grades kept beside them read once; who belonged where on a day is
    read once per day. `add` checks one appraisal (raising ValidationError as appraisal_record
    would) and keeps it; `store` writes them all, audited one entry per record (an update entry for
    an appraisal or a grade on file that changes)."""

    def __init__(self, organizations, years, members):
        self.organizations = {organization.pk: organization for organization in organizations}
        pks = sorted(self.organizations)
        self.members = list({member.pk: member for member in members}.values())
        years = sorted(set(years))
        for start in range(0, len(pks), _CHUNK):
            # Locked as appraisal_record locks its one organization, and brought up to date.
            for pk, name, founded_on, dissolved_on in (
                Organization.objects.select_for_update()
                .filter(pk__in=pks[start : start + _CHUNK])
                .values_list("pk", "name", "founded_on", "dissolved_on")
            ):
                organization = self.organizations[pk]
                organization.name, organization.founded_on, organization.dissolved_on = (
                    name, founded_on, dissolved_on,
                )  # fmt: skip
        self.appraisals = {}
        for start in range(0, len(pks), _CHUNK):
            for appraisal in Appraisal.objects.filter(
                organization_id__in=pks[start : start + _CHUNK], year__in=years
            ):
                appraisal.organization = self.organizations[appraisal.organization_id]
                self.appraisals[(appraisal.organization_id, appraisal.year)] = appraisal
        # The grades of the members (graded elsewhere?) and those of the appraisals on file (kept).
        self.graded = {}
        member_pks = [m.pk for m in self.members]
        for start in range(0, len(member_pks), _CHUNK):
            for grade in MemberGrade.objects.filter(
                member_id__in=member_pks[start : start + _CHUNK], year__in=years
            ).select_related("member", "appraisal__organization"):
                self.graded[(grade.member_id, grade.year)] = grade
        self.of_appraisal = {}
        appraisal_pks = [a.pk for a in self.appraisals.values()]
        for start in range(0, len(appraisal_pks), _CHUNK):
            for grade in MemberGrade.objects.filter(appraisal_id__in=appraisal_pks[start : start + _CHUNK]):
                self.of_appraisal.setdefault(grade.appraisal_id, {})[grade.member_id] = grade
        self.placed = {}  # day -> _placements of the members
        self.new_appraisals, self.changed_appraisals = [], []
        self.new_grades, self.changed_grades = [], []

    def appraisal(self, organization, year):
        """The appraisal on file of `organization` and `year`, or None."""
        return self.appraisals.get((organization.pk, year))

    def grade_member_problems(self, *, members, organization, day):
        """As grade_member_problems, with who belonged where on `day` read once for the batch."""
        if day not in self.placed:
            self.placed[day] = {}
            for start in range(0, len(self.members), _CHUNK):
                self.placed[day].update(_placements(self.members[start : start + _CHUNK], day))
        return _grade_problems(members, organization, day, self.placed[day])

    def add(self, *, organization, year, held_on, grades):
        organization = self.organizations[organization.pk]
        _raise(_appraisal_errors(year, held_on))
        check_exists_on(organization, held_on, field="held_on", what="民主评议")
        appraisal = self.appraisals.get((organization.pk, year))
        before = audit.snapshot(appraisal) if appraisal else None
        if appraisal is None:
            appraisal = Appraisal(organization=organization, year=year)
        appraisal.held_on = held_on
        # The organization is one locked above; one appraisal a year is the lookup above.
        appraisal.full_clean(exclude=["organization"], validate_unique=False, validate_constraints=False)
        member_errors = _invalid_grade_errors(grades)
        member_errors += self.grade_member_problems(
            members=list(grades), organization=organization, day=held_on
        ).values()
        for member in grades:
            grade = self.graded.get((member.pk, year))
            if grade is not None and grade.appraisal.organization_id != organization.pk:
                member_errors.append(_graded_elsewhere_message(grade, year))
        if member_errors:
            raise ValidationError({"grades": member_errors})
        on_file = self.of_appraisal.get(appraisal.pk, {}) if appraisal.pk else {}
        kept = [g.grade for member_pk, g in on_file.items() if member_pk not in {m.pk for m in grades}]
        _raise(_excellent_errors(kept, grades))
        if before is None:
            self.new_appraisals.append(appraisal)
            self.appraisals[(organization.pk, year)] = appraisal
        else:
            self.changed_appraisals.append((appraisal, before))
        for member, grade in grades.items():
            row = on_file.get(member.pk)
            if row is None:
                self.new_grades.append(
                    MemberGrade(appraisal=appraisal, member=member, year=year, grade=grade)
                )
            elif row.grade != grade:
                row_before = audit.snapshot(row)
                row.grade = grade
                self.changed_grades.append((row, row_before))
        return appraisal

    def store(self, actor):
        Appraisal.objects.bulk_create(self.new_appraisals, batch_size=500)
        Appraisal.objects.bulk_update([a for a, _ in self.changed_appraisals], ["held_on"], batch_size=500)
        # The grades were checked above; a member graded meanwhile by someone else refuses the lot.
        years = "、".join(str(year) for year in sorted({grade.year for grade in self.new_grades}))
        with refuse_duplicate({"grades": f"刚刚有人评定了其中党员的{years}年度等次，请刷新后再试。"}):
            MemberGrade.objects.bulk_create(self.new_grades, batch_size=1000)
        MemberGrade.objects.bulk_update([g for g, _ in self.changed_grades], ["grade"], batch_size=500)
        audit.record_bulk_create(actor, self.new_grades)
        for grade, before in self.changed_grades:
            audit.record_update(actor, grade, before)
        audit.record_bulk_create(actor, self.new_appraisals)
        for appraisal, before in self.changed_appraisals:
            audit.record_update(actor, appraisal, before)
        if self.changed_appraisals or self.changed_grades:  # bulk_update sends no post_save
            data_version.changed()


_CHUNK = 900


# --- 考核量化表 ---------------------------------------------------------------------------------------


@transaction.atomic
def assessment_sheet_create(
    *, actor, issuer: Organization, year: int, title: str, target_kind: str
) -> AssessmentSheet:
    errors = _year_errors(year)
    if target_kind not in TargetKind.values:
        errors["target_kind"] = "请选择考核对象：党组织或党员。"
    if not (title or "").strip():
        errors["title"] = "请填写名称。"
    _raise(errors)
    sheet = AssessmentSheet(issuer=issuer, year=year, title=title.strip(), target_kind=target_kind)
    sheet.full_clean()
    with refuse_duplicate({"title": "本年度已有同名的考核量化表。"}):
        sheet.save()
    audit.record_create(actor, sheet)
    return sheet


@transaction.atomic
def assessment_item_add(
    *, actor, sheet: AssessmentSheet, name: str, points: Decimal, criteria: str = ""
) -> AssessmentItem:
    lock_row(sheet)
    if not (name or "").strip():
        raise ValidationError({"name": "请填写考核内容。"})
    if points is None or points <= 0:
        raise ValidationError({"points": "分值应大于0。"})
    position = (sheet.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item = AssessmentItem(
        sheet=sheet, position=position, name=name.strip(), points=points, criteria=criteria.strip()
    )
    item.full_clean()
    item.save()
    audit.record_create(actor, item)
    return item


@transaction.atomic
def assessment_target_add(
    *, actor, sheet: AssessmentSheet, organization: Organization | None = None, member: Member | None = None
) -> AssessmentTarget:
    """An organization that existed in the sheet's year (or a member on the roster in it) to assess."""
    start, end = datetime.date(sheet.year, 1, 1), datetime.date(sheet.year, 12, 31)
    if sheet.target_kind == TargetKind.ORGANIZATIONS:
        if organization is None or member is not None:
            raise ValidationError({"organization": "本表考核党组织，请选择党组织。"})
        if organization.founded_on > end or (
            organization.dissolved_on and organization.dissolved_on <= start
        ):
            raise ValidationError({"organization": f"“{organization.name}”在{sheet.year}年不存在。"})
    else:
        if member is None or organization is not None:
            raise ValidationError({"member": "本表考核党员，请选择党员。"})
        if member.admitted_on > end or (member.left_on and member.left_on <= start):
            raise ValidationError({"member": f"{member.name}在{sheet.year}年不在党员名册中。"})
        organization = member.organization
    target = AssessmentTarget(sheet=sheet, organization=organization, member=member)
    target.full_clean(validate_constraints=False)
    with refuse_duplicate({"organization": "该对象已在考核对象中。"}):
        target.save()
    audit.record_create(actor, target)
    return target


@transaction.atomic
def assessment_scores_enter(*, actor, target: AssessmentTarget, scores: dict) -> AssessmentTarget:
    """Scores of one target ({item: score}; None clears one), each between 0 and the item's points."""
    lock_row(target)
    errors = {}
    for item, score in scores.items():
        if item.sheet_id != target.sheet_id:
            errors[f"item_{item.pk}"] = "考核项目不属于本表。"
        elif score is not None and (score < 0 or score > item.points):
            errors[f"item_{item.pk}"] = f"“{item.name}”的得分应在0至{item.points}分之间，现为{score}。"
    _raise(errors)
    existing = {s.item_id: s for s in target.scores.all()}
    for item, score in scores.items():
        row = existing.get(item.pk)
        if score is None:
            if row is not None:
                audit.record_delete(actor, row)
                row.delete()
            continue
        if row is None:
            row = AssessmentScore(target=target, item=item, score=score)
            row.full_clean()
            row.save()
            audit.record_create(actor, row)
        elif row.score != score:
            before = audit.snapshot(row)
            row.score = score
            row.full_clean()
            row.save()
            audit.record_update(actor, row, before)
    return target


# --- reminders of the commitments not signed ----------------------------------------------------------


@transaction.atomic
def commitment_reminders_draft(*, actor, sender: Organization, year: int) -> list[ReminderLetter]:
    """A draft reminder letter (工作提醒函) to every organization of the sender's subtree, existing
    today, with members who must sign the 廉政承诺书 of `year` and have not; none to an organization
    that already has one open (a draft, or issued and not handled)."""
    from activities import services as activity_services

    today = dates.today()
    lock_row(sender)
    within = Organization.objects.subtree_of(sender).existing_on(today)
    missing = integrity_selectors.commitment_required(year, within=within).filter(signed_on__isnull=True)
    by_organization: dict[int, list[str]] = {}
    for organization_id, name in missing.values_list("organization_then_id", "name"):
        by_organization.setdefault(organization_id, []).append(name)
    open_letters = set(
        ReminderLetter.objects.filter(
            reason=ReminderReason.COMMITMENTS_MISSING, status__in=[LetterStatus.DRAFT, LetterStatus.ISSUED]
        ).values_list("addressee_id", flat=True)
    )
    letters = []
    for organization in Organization.objects.filter(pk__in=by_organization).order_by("name_order", "name"):
        if organization.pk in open_letters:
            continue
        names = by_organization[organization.pk]
        letters.append(
            activity_services.reminder_letter_create(
                actor=actor,
                sender=sender,
                addressee=organization,
                reason=ReminderReason.COMMITMENTS_MISSING,
                subject=f"关于签订{year}年度廉政承诺书的提醒函",
                body=(
                    f"{organization.name}：\n截至{chinese_date(today)}，你单位{'、'.join(names)}"
                    f"共{len(names)}名党员尚未签订{year}年度廉政承诺书。请督促其尽快签订，"
                    "并将签字后的承诺书扫描件报送工委。"
                ),
                written_on=today,
            )
        )
    return letters

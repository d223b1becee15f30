"""Writes of the development of new members: the 25 steps from application to confirmation
(the rules of each step in members.development)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from jiguan import audit
from jiguan.dates import chinese_date
from jiguan.integrity import lock_row, refuse_duplicate
from jiguan.numbers import normalize_number
from members import development, idnumber
from members.models import Category, DevelopmentStep, Member, Prospect, Stage, Status
from members.rules import probation_end
from members.services.checks import DUPLICATE_MEMBER, DUPLICATE_PROSPECT, identity_errors, raise_errors
from members.services.membership import member_confirm, member_create
from organizations.models import Organization
from organizations.services import check_exists_on


def _done_steps(prospect):
    return dict(prospect.steps.values_list("number", "done_on"))


@transaction.atomic
def prospect_create(
    *,
    actor,
    organization: Organization,
    name: str,
    gender: str,
    id_number: str,
    applied_on: datetime.date,
    birth_date: datetime.date | None = None,
    ethnicity: str = "汉族",
    education: str = "",
    phone: str = "",
    category: str = Category.IN_SERVICE,
    note: str = "",
) -> Prospect:
    """An applicant (入党申请人): the person and step 1, the application, on `applied_on`."""
    id_number = normalize_number(id_number)
    errors = identity_errors(id_number=id_number, gender=gender, birth_date=birth_date)
    if errors.get("id_number") == DUPLICATE_MEMBER and applied_on is not None:
        # A member on the roster whose development is entered afterwards (a county's history):
        # their application came before their 入党日期; step 17 will name them (prospect_record_step).
        member = Member.objects.matching("id_number", id_number).first()
        if applied_on < member.admitted_on:
            del errors["id_number"]
    if not errors.get("id_number") and Prospect.objects.matching("id_number", id_number).exists():
        errors["id_number"] = DUPLICATE_PROSPECT
    if not name or not name.strip():
        errors["name"] = "请填写姓名。"
    if applied_on is None:
        errors["applied_on"] = "请填写递交入党申请书日期。"
    raise_errors(errors)
    birth_date = birth_date or idnumber.birth_date_of(id_number)
    check_exists_on(organization, applied_on, field="organization", what="递交入党申请书")
    prospect = Prospect(
        name=name.strip(),
        gender=gender,
        id_number=id_number,
        birth_date=birth_date,
        ethnicity=ethnicity,
        education=education,
        phone=normalize_number(phone),
        category=category,
        organization=organization,
        stage=Stage.APPLICANT,
        applied_on=applied_on,
    )
    step_problems = development.step_errors(
        prospect, number=development.APPLICATION, done_on=applied_on, done={}
    )
    if step_problems:
        raise ValidationError({"applied_on": next(iter(step_problems.values()))})
    prospect.full_clean()
    with refuse_duplicate({"id_number": DUPLICATE_PROSPECT}):
        prospect.save()
    DevelopmentStep.objects.create(
        prospect=prospect, number=development.APPLICATION, done_on=applied_on, note=note
    )
    audit.record_create(actor, prospect)
    return prospect


@transaction.atomic
def prospect_record_step(
    *,
    actor,
    prospect: Prospect,
    number: int,
    done_on: datetime.date,
    note: str = "",
    hours: int | None = None,
    days: int | None = None,
    votes_for: int | None = None,
    voters_entitled: int | None = None,
    mentors: str = "",
    sponsors: str = "",
) -> DevelopmentStep:
    """Record step `number` of the 25 (in order, with the rules of members.development).

    Step 3 makes the applicant an activist, step 7 an activist a candidate; step 17 (the approval)
    admits the candidate as a probationary member from the 支部大会 of step 15; step 24 confirms
    the member on the day probation ends.
    """
    prospect = Prospect.objects.select_for_update().get(pk=prospect.pk)
    if prospect.stage == Stage.WITHDRAWN:
        raise ValidationError("该发展对象已终止培养。")
    done = _done_steps(prospect)
    errors = development.step_errors(
        prospect,
        number=number,
        done_on=done_on,
        done=done,
        hours=hours,
        days=days,
        votes_for=votes_for,
        voters_entitled=voters_entitled,
    )
    if done_on is not None:
        problem = prospect.organization.existence_problem(done_on, "发展步骤")
        if problem:
            errors.setdefault("done_on", problem)
    if number == 5 and not (mentors or prospect.mentors).strip():
        errors.setdefault("mentors", "请填写培养联系人（1至2名正式党员）。")
    if number == 9 and not (sponsors or prospect.sponsors).strip():
        errors.setdefault("sponsors", "请填写入党介绍人（2名正式党员）。")
    raise_errors(errors)
    step = DevelopmentStep(
        prospect=prospect,
        number=number,
        done_on=done_on,
        note=note,
        hours=hours,
        days=days,
        votes_for=votes_for,
        voters_entitled=voters_entitled,
    )
    step.full_clean()
    step.save()
    changes = {"stage": development.STAGE_AFTER_STEP.get(number, prospect.stage)}
    if mentors:
        changes["mentors"] = mentors.strip()
    if sponsors:
        changes["sponsors"] = sponsors.strip()

    existing = None
    if number == development.ADMISSION_APPROVAL:
        existing = Member.objects.matching("id_number", prospect.id_number).first()
    if existing is not None:
        # On the roster already (entered by hand, or imported with the county's roster): the
        # approval names that member, when they were admitted on the day of the 支部大会 (step 15).
        admitted = done[development.ADMISSION_MEETING]
        if existing.admitted_on != admitted or Prospect.objects.filter(member=existing).exists():
            raise ValidationError(
                {
                    "done_on": f"党员名册中已有该公民身份号码的党员{existing.name}（入党日期"
                    f"{chinese_date(existing.admitted_on)}），与第15步支部大会的日期"
                    f"（{chinese_date(admitted)}）不一致，或已对应另一名发展对象。"
                }
            )
        changes["member"] = existing
        if existing.status == Status.FULL:
            changes["stage"] = Stage.FULL
    elif number == development.ADMISSION_APPROVAL:
        try:
            changes["member"] = member_create(
                actor=actor,
                organization=prospect.organization,
                name=prospect.name,
                gender=prospect.gender,
                id_number=prospect.id_number,
                birth_date=prospect.birth_date,
                ethnicity=prospect.ethnicity,
                education=prospect.education,
                phone=prospect.phone,
                category=prospect.category,
                admitted_on=done[development.ADMISSION_MEETING],
            )
        except ValidationError as exc:
            raise ValidationError({"done_on": "无法接收为预备党员：" + "；".join(exc.messages)}) from exc
    elif number == development.CONFIRMATION_APPROVAL:
        member = prospect.member
        end = probation_end(member)
        if done_on < end:
            raise ValidationError({"done_on": f"预备期至{chinese_date(end)}届满，届满前不能审批转正。"})
        try:
            if member.status != Status.FULL:  # confirmed already on the member's page: recorded
                member_confirm(actor=actor, member=member, date=end)
        except ValidationError as exc:
            raise ValidationError({"done_on": "无法转正：" + "；".join(exc.messages)}) from exc
    if number > development.ADMISSION_APPROVAL and prospect.member and prospect.member.left_on:
        raise ValidationError({"number": "该党员已离开党员名册，不能继续记录。"})

    audit.record_create(actor, step)
    audit.update(actor, prospect, changes)
    return step


@transaction.atomic
def prospect_correct_step(
    *,
    actor,
    step: DevelopmentStep,
    done_on: datetime.date,
    note: str = "",
    hours: int | None = None,
    days: int | None = None,
    votes_for: int | None = None,
    voters_entitled: int | None = None,
) -> DevelopmentStep:
    """Correct a recorded step: the same rules as recording it, and the later steps still keep theirs.

    Correcting step 1 moves the application date too. The date of step 15 cannot change once
    step 17 admitted the person (it is their 入党日期, on the member's record); step 24 stays on or
    after the end of probation.
    """
    prospect = (
        Prospect.objects.select_for_update(of=("self",)).select_related("member").get(pk=step.prospect_id)
    )
    step = DevelopmentStep.objects.get(pk=step.pk)
    if prospect.stage == Stage.WITHDRAWN:
        raise ValidationError("该发展对象已终止培养，不能修改步骤。")
    errors = development.correction_errors(
        prospect,
        list(prospect.steps.all()),
        number=step.number,
        done_on=done_on,
        hours=hours,
        days=days,
        votes_for=votes_for,
        voters_entitled=voters_entitled,
    )
    if not errors and done_on is not None:
        problem = prospect.organization.existence_problem(done_on, "发展步骤")
        if problem:
            errors["done_on"] = problem
    member = prospect.member
    if not errors and member is not None and done_on != step.done_on:
        if step.number == development.ADMISSION_MEETING:
            errors["done_on"] = (
                f"该步骤已产生结果（已接收为预备党员，入党日期{chinese_date(member.admitted_on)}），"
                "不能修改完成日期。"
            )
        elif step.number == development.CONFIRMATION_APPROVAL and done_on < probation_end(member):
            end = probation_end(member)
            errors["done_on"] = f"预备期至{chinese_date(end)}届满，届满前不能审批转正。"
    raise_errors(errors)
    audit.update(
        actor,
        step,
        {
            "done_on": done_on,
            "note": note,
            "hours": hours,
            "days": days,
            "votes_for": votes_for,
            "voters_entitled": voters_entitled,
        },
    )
    if step.number == development.APPLICATION and prospect.applied_on != done_on:
        audit.update(actor, prospect, {"applied_on": done_on})
    return step


def step_delete_refusal(prospect: Prospect, number: int, numbers: list[int]) -> str:
    """Why step `number` of `prospect` (whose recorded steps are `numbers`, sorted) may not be
    deleted, "" when it may: only the last one, never the application, never a step whose effect
    happened (admission, confirmation). Asked by prospect_delete_step and by the page."""
    if prospect.stage == Stage.WITHDRAWN:
        return "该发展对象已终止培养，不能删除步骤。"
    name = development.STEPS[number].name
    if number != numbers[-1]:
        last = numbers[-1]
        return (
            f"只能删除最后记录的一步（第{last}步“{development.STEPS[last].name}”），"
            f"第{number}步“{name}”之后已有记录。"
        )
    if number == development.APPLICATION:
        return "第1步“递交入党申请书”不能删除；如登记有误，可修改日期或终止培养。"
    if number == development.ADMISSION_APPROVAL and prospect.member_id:
        return "该步骤已产生结果（已接收为预备党员），不能删除。"
    if number == development.CONFIRMATION_APPROVAL and prospect.member_id:
        return "该步骤已产生结果（已转为正式党员），不能删除。"
    return ""


def deletable_step(prospect: Prospect, numbers) -> int | None:
    """The step the prospect's page offers to delete (the last one, if it may be), else None."""
    numbers = sorted(numbers)
    if not numbers or step_delete_refusal(prospect, numbers[-1], numbers):
        return None
    return numbers[-1]


@transaction.atomic
def prospect_delete_step(*, actor, step: DevelopmentStep) -> Prospect:
    """Delete the last recorded step; a step whose effect happened (admission, confirmation) stays.

    Deleting step 3 or 7 (the last one) puts the person back to the stage before it.
    """
    prospect = Prospect.objects.select_for_update().get(pk=step.prospect_id)
    step = DevelopmentStep.objects.get(pk=step.pk)
    numbers = sorted(prospect.steps.values_list("number", flat=True))
    refusal = step_delete_refusal(prospect, step.number, numbers)
    if refusal:
        raise ValidationError(refusal)
    audit.record_delete(actor, step)
    step.delete()
    if not prospect.member_id:
        audit.update(actor, prospect, {"stage": development.stage_after(numbers[:-1])})
    return prospect


def prospect_promote(*, actor, prospect: Prospect, date: datetime.date, note: str = "") -> DevelopmentStep:
    """Applicant → activist (step 3), activist → candidate (step 7)."""
    numbers = {Stage.APPLICANT: development.ACTIVIST_CHOSEN, Stage.ACTIVIST: development.CANDIDATE_CHOSEN}
    if prospect.stage not in numbers:
        raise ValidationError("只有入党申请人和入党积极分子可以进入下一阶段。")
    return prospect_record_step(
        actor=actor, prospect=prospect, number=numbers[prospect.stage], done_on=date, note=note
    )


def prospect_admit(*, actor, prospect: Prospect, date: datetime.date, note: str = "") -> Member:
    """Step 17: the higher committee approves; the candidate is a probationary member from the 支部大会."""
    if prospect.stage != Stage.CANDIDATE:
        raise ValidationError("只有发展对象可以接收为预备党员。")
    prospect_record_step(
        actor=actor, prospect=prospect, number=development.ADMISSION_APPROVAL, done_on=date, note=note
    )
    prospect.refresh_from_db()
    return prospect.member


@transaction.atomic
def prospect_withdraw(*, actor, prospect: Prospect, note: str = "") -> Prospect:
    """终止培养: the person leaves the pipeline; the steps recorded stay."""
    lock_row(prospect)  # withdrawn while a step is being recorded: one of the two waits, then sees the other
    if prospect.stage not in (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE):
        raise ValidationError("只有尚未入党的发展对象可以终止培养。")
    return audit.update(actor, prospect, {"stage": Stage.WITHDRAWN})

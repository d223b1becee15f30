"""The 25 steps of member development (《中国共产党发展党员工作细则》) and the rules between them.

The durations come from settings.MEMBER_DEVELOPMENT_RULES because the rules were revised in 2026.
Two kinds of rule:

- errors, which stop a step from being recorded (`step_errors`): steps out of order, an applicant
  under 18, less than a year as activist, training too short, a 支部大会 without a majority;
- deadlines, which are shown as "late" on the board (`late_steps`, `next_step`): the talk within
  a month of the application, the approval within three months of the 支部大会, the end of
  probation.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When

from jiguan import dates
from jiguan.dates import add_months, age_on, chinese_date
from members.models import DevelopmentStep, Stage
from members.rules import probation_end, rule


@dataclass(frozen=True)
class Step:
    number: int
    name: str
    stage: str  # the stage the person is in while this step is being done


_STAGE_OF_PHASE = {
    1: Stage.APPLICANT,
    2: Stage.ACTIVIST,
    3: Stage.CANDIDATE,
    4: Stage.CANDIDATE,
    5: Stage.PROBATIONARY,
}
_PHASES = {
    1: (1, 2),
    2: (3, 4, 5, 6),
    3: (7, 8, 9, 10, 11),
    4: (12, 13, 14, 15, 16, 17, 18),
    5: (19, 20, 21, 22, 23, 24, 25),
}
PHASE_NAMES = {
    1: "入党申请人",
    2: "入党积极分子的确定和培养教育",
    3: "发展对象的确定和考察",
    4: "预备党员的接收",
    5: "预备党员的教育考察和转正",
}
_NAMES = {
    1: "递交入党申请书",
    2: "党组织派人谈话",
    3: "推荐和确定入党积极分子",
    4: "报上级党委备案",
    5: "指定培养联系人",
    6: "培养教育考察",
    7: "确定为发展对象",
    8: "报上级党委备案",
    9: "确定入党介绍人",
    10: "政治审查",
    11: "集中培训",
    12: "支部委员会审查",
    13: "上级党委预审",
    14: "填写入党志愿书",
    15: "支部大会讨论接收预备党员",
    16: "上级党委派人谈话",
    17: "上级党委审批",
    18: "再上一级组织部门备案",
    19: "编入党支部和党小组",
    20: "入党宣誓",
    21: "继续教育考察",
    22: "提出转正申请",
    23: "支部大会讨论转正",
    24: "上级党委审批转正",
    25: "材料归档",
}

STEPS = {
    number: Step(number, _NAMES[number], _STAGE_OF_PHASE[phase])
    for phase, numbers in _PHASES.items()
    for number in numbers
}
PHASE_OF_STEP = {number: phase for phase, numbers in _PHASES.items() for number in numbers}

APPLICATION = 1
TALK = 2
ACTIVIST_CHOSEN = 3
CANDIDATE_CHOSEN = 7
TRAINING = 11
ADMISSION_MEETING = 15
ADMISSION_APPROVAL = 17
CONFIRMATION_MEETING = 23
CONFIRMATION_APPROVAL = 24
LAST_STEP = 25

# Recording these steps moves the person to the next stage (members.services.development.prospect_record_step).
STAGE_AFTER_STEP = {
    ACTIVIST_CHOSEN: Stage.ACTIVIST,
    CANDIDATE_CHOSEN: Stage.CANDIDATE,
    ADMISSION_APPROVAL: Stage.PROBATIONARY,
    CONFIRMATION_APPROVAL: Stage.FULL,
}


def step_errors(
    prospect, *, number, done_on, done, hours=None, days=None, votes_for=None, voters_entitled=None
):
    """Errors (field -> Chinese message) of recording step `number` on `done_on`.

    `done` maps the step numbers already recorded to their dates.
    """
    errors = {}
    if number not in STEPS:
        return {"number": "步骤编号应在1至25之间。"}
    if number in done:
        return {"number": f"第{number}步“{STEPS[number].name}”已于{chinese_date(done[number])}记录。"}
    missing = [n for n in range(1, number) if n not in done]
    if missing:
        first = missing[0]
        return {
            "number": f"请按顺序记录：第{number}步“{STEPS[number].name}”之前的"
            f"第{first}步“{STEPS[first].name}”尚未完成。"
        }
    if done_on is None:
        return {"done_on": "请填写完成日期。"}
    if number > 1:
        previous = done[number - 1]
        if done_on < previous:
            return {
                "done_on": f"第{number}步“{STEPS[number].name}”的完成日期不能早于上一步"
                f"（第{number - 1}步“{STEPS[number - 1].name}”，{chinese_date(previous)}）。"
            }
    if done_on > dates.today():
        return {"done_on": "完成日期不能晚于今天。"}

    if number == APPLICATION:
        minimum = rule("MIN_APPLICANT_AGE")
        if prospect.birth_date and age_on(prospect.birth_date, done_on) < minimum:
            errors["done_on"] = f"递交入党申请书时应年满{minimum}周岁。"
    elif number == CANDIDATE_CHOSEN:
        chosen = done[ACTIVIST_CHOSEN]
        earliest = chosen + datetime.timedelta(days=rule("MIN_ACTIVIST_DAYS"))
        if done_on < earliest:
            errors["done_on"] = (
                f"确定为入党积极分子（{chinese_date(chosen)}）满一年后才能确定为发展对象，最早{chinese_date(earliest)}。"
            )
    elif number == TRAINING:
        min_days, min_hours = rule("MIN_TRAINING_DAYS"), rule("MIN_TRAINING_HOURS")
        if (days or 0) < min_days and (hours or 0) < min_hours:
            errors["hours"] = f"集中培训应不少于{min_days}天或{min_hours}学时。"
    elif number in (ADMISSION_MEETING, CONFIRMATION_MEETING):
        if not voters_entitled:
            errors["voters_entitled"] = "请填写有表决权的正式党员数。"
        elif votes_for is None or votes_for * 2 <= voters_entitled:
            errors["votes_for"] = "赞成票应超过有表决权的正式党员数的半数。"
        elif votes_for > voters_entitled:
            errors["votes_for"] = "赞成票不能多于有表决权的正式党员数。"
    return errors


def correction_errors(
    prospect, steps, *, number, done_on, hours=None, days=None, votes_for=None, voters_entitled=None
):
    """Errors (field -> Chinese message) of correcting recorded step `number` to these values.

    `steps` are the recorded DevelopmentStep rows. The corrected step is checked as if recorded
    anew after the steps before it; it may not come after the next recorded step; and every later
    recorded step must still keep its own rules (e.g. a year as activist before step 7).
    """
    done = {step.number: step.done_on for step in steps}
    if number not in done:
        return {"number": f"第{number}步尚未记录。"}
    done[number] = done_on
    errors = step_errors(
        prospect,
        number=number,
        done_on=done_on,
        done={n: d for n, d in done.items() if n < number},
        hours=hours,
        days=days,
        votes_for=votes_for,
        voters_entitled=voters_entitled,
    )
    if errors:
        return errors
    following = number + 1
    if following in done and done_on > done[following]:
        return {"done_on": f"完成日期不能晚于下一步（第{following}步，{chinese_date(done[following])}）。"}
    for step in sorted(steps, key=lambda s: s.number):
        if step.number <= number:
            continue
        problems = step_errors(
            prospect,
            number=step.number,
            done_on=step.done_on,
            done={n: d for n, d in done.items() if n < step.number},
            hours=step.hours,
            days=step.days,
            votes_for=step.votes_for,
            voters_entitled=step.voters_entitled,
        )
        if problems:
            name = STEPS[step.number].name
            return {
                "done_on": f"修改后第{step.number}步“{name}”（{chinese_date(step.done_on)}）将不符合规定："
                + next(iter(problems.values()))
            }
    return {}


def stage_after(numbers):
    """The stage of a prospect whose recorded steps are `numbers` (before admission)."""
    reached = [STAGE_AFTER_STEP[n] for n in sorted(numbers) if n in STAGE_AFTER_STEP]
    return reached[-1] if reached else Stage.APPLICANT


# The stages in which a person is trained as such (入党积极分子培训, 发展对象培训) and counted by the
# report's activists_trained / candidates_trained.
TRAINED_STAGES = (Stage.ACTIVIST, Stage.CANDIDATE)

# Before admission, the step that starts each stage (the latest one reached decides).
_STAGE_FROM_STEP = (
    (CANDIDATE_CHOSEN, Stage.CANDIDATE),
    (ACTIVIST_CHOSEN, Stage.ACTIVIST),
    (APPLICATION, Stage.APPLICANT),
)


def stage_on(day, *, prospect: str | None = "pk", members: tuple[str, ...] = ("member",)) -> Case:
    """The stage a person was in on `day`, as an expression: the one rule for "stage on a day".

    It follows from dates, never from the stage stored on the prospect now: 正式党员 from the
    member's 转正日期, 预备党员 from their 入党日期 (the 支部大会 of step 15, retroactive once step 17
    approves), 发展对象 from step 7, 入党积极分子 from step 3, 入党申请人 from step 1; NULL before the
    application. A 终止培养 has no date, so it does not change the stage on earlier days.

    `day` is a date, or the name of a date field of the queryset's model (a training's
    ``activity__date``). `prospect` is the path to the Prospect's id (None when the rows have no
    prospect), `members` the paths to the Member rows that may be this person's.
    """
    on_field = isinstance(day, str)
    outer_day = OuterRef(day) if on_field else day
    field_day = F(day) if on_field else day
    whens = []
    for path in members:
        whens.append(When(Q(**{f"{path}__confirmed_on__lte": field_day}), then=Value(Stage.FULL)))
    for path in members:
        whens.append(When(Q(**{f"{path}__admitted_on__lte": field_day}), then=Value(Stage.PROBATIONARY)))
    if prospect is not None:
        for number, stage in _STAGE_FROM_STEP:
            reached = DevelopmentStep.objects.filter(
                prospect_id=OuterRef(prospect), number=number, done_on__lte=outer_day
            )
            whens.append(When(Exists(reached), then=Value(stage)))
    return Case(*whens, default=Value(None), output_field=CharField())


@dataclass(frozen=True)
class Due:
    step: Step
    due_on: datetime.date | None  # the deadline, when the rules set one
    earliest: datetime.date | None  # not before this day, when the rules set one

    def is_late(self, today):
        return self.due_on is not None and today > self.due_on


def next_step(prospect, done, *, member=None):
    """The next step to record, with its deadline and earliest day; None when all are done."""
    remaining = [n for n in STEPS if n not in done]
    if not remaining:
        return None
    number = remaining[0]
    due_on = earliest = None
    if number == TALK and APPLICATION in done:
        due_on = done[APPLICATION] + datetime.timedelta(days=rule("TALK_WITHIN_DAYS"))
    elif number == CANDIDATE_CHOSEN and ACTIVIST_CHOSEN in done:
        earliest = done[ACTIVIST_CHOSEN] + datetime.timedelta(days=rule("MIN_ACTIVIST_DAYS"))
    elif number == 6 and ACTIVIST_CHOSEN in done:
        due_on = add_months(done[ACTIVIST_CHOSEN], rule("ACTIVIST_ASSESSMENT_MONTHS"))
    elif number in (16, ADMISSION_APPROVAL) and ADMISSION_MEETING in done:
        due_on = done[ADMISSION_MEETING] + datetime.timedelta(days=rule("APPROVAL_WITHIN_DAYS"))
    elif number in (22, CONFIRMATION_MEETING, CONFIRMATION_APPROVAL) and member is not None:
        due_on = probation_end(member)
    return Due(STEPS[number], due_on, earliest)


def late_steps(prospect, done, *, today, member=None):
    """Deadlines missed: recorded steps that came too late, and the next step when overdue."""
    late = []
    if TALK in done and APPLICATION in done:
        if done[TALK] > done[APPLICATION] + datetime.timedelta(days=rule("TALK_WITHIN_DAYS")):
            late.append(f"第{TALK}步谈话超过一个月")
    if ADMISSION_APPROVAL in done and ADMISSION_MEETING in done:
        if done[ADMISSION_APPROVAL] > done[ADMISSION_MEETING] + datetime.timedelta(
            days=rule("APPROVAL_WITHIN_DAYS")
        ):
            late.append(f"第{ADMISSION_APPROVAL}步审批超过三个月")
    due = next_step(prospect, done, member=member)
    if due is not None and due.is_late(today):
        late.append(f"第{due.step.number}步“{due.step.name}”应于{chinese_date(due.due_on)}前完成")
    return late

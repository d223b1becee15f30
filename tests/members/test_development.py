"""The 25 steps of member development and every rule between them (settings.MEMBER_DEVELOPMENT_RULES)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members import development, rules, services
from members.models import DevelopmentStep, Member, MemberEventKind, Prospect, Stage
from tests.factories import id_number_for

D = datetime.date
START = D(2021, 1, 11)
BIRTH = D(1998, 5, 5)


def _days(n):
    return datetime.timedelta(days=n)


def _applicant(staff, organization, *, applied_on=START, birth=BIRTH):
    return services.prospect_create(
        actor=staff,
        organization=organization,
        name="孙丽",
        gender="F",
        id_number=id_number_for(birth, "F"),
        applied_on=applied_on,
    )


# The extra data some steps need.
EXTRA = {
    5: {"mentors": "王建国、李秀英"},
    9: {"sponsors": "张志强、刘丽娟"},
    11: {"days": 3},
    15: {"voters_entitled": 10, "votes_for": 8},
    23: {"voters_entitled": 10, "votes_for": 9},
}


def _walk(staff, prospect, last, *, start=START):
    """Record steps 2..last at valid dates; returns the dates."""
    day, done = start, {1: start}
    for number in range(2, last + 1):
        day += _days(10)
        if number == development.CANDIDATE_CHOSEN:
            day = done[development.ACTIVIST_CHOSEN] + _days(365)
        if number == development.CONFIRMATION_MEETING:
            day = rules.probation_end(Prospect.objects.get(pk=prospect.pk).member)
        services.prospect_record_step(
            actor=staff, prospect=prospect, number=number, done_on=day, **EXTRA.get(number, {})
        )
        done[number] = day
    prospect.refresh_from_db()
    return done


def test_the_25_steps_have_names_and_stages():
    assert len(development.STEPS) == 25
    assert development.STEPS[1].name == "递交入党申请书"
    assert development.STEPS[15].stage == Stage.CANDIDATE
    assert development.STEPS[25].stage == Stage.PROBATIONARY
    assert development.STEPS[3].stage == Stage.ACTIVIST


def test_an_applicant_under_18_is_refused(staff, branch_a):
    with pytest.raises(ValidationError) as caught:
        _applicant(staff, branch_a, birth=D(2003, 1, 12), applied_on=D(2021, 1, 11))
    assert "年满18周岁" in caught.value.message_dict["applied_on"][0]
    assert not Prospect.objects.exists()


def test_an_applicant_on_their_18th_birthday_is_accepted(staff, branch_a):
    prospect = _applicant(staff, branch_a, birth=D(2003, 1, 11), applied_on=D(2021, 1, 11))
    assert prospect.steps.get().number == 1


def test_steps_out_of_order_are_refused(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    with pytest.raises(ValidationError) as caught:
        services.prospect_record_step(actor=staff, prospect=prospect, number=3, done_on=START + _days(20))
    assert "第2步“党组织派人谈话”尚未完成" in caught.value.message_dict["number"][0]
    assert prospect.steps.count() == 1


def test_a_step_dated_before_the_previous_one_is_refused(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    with pytest.raises(ValidationError) as caught:
        services.prospect_record_step(actor=staff, prospect=prospect, number=2, done_on=START - _days(1))
    assert "不能早于上一步" in caught.value.message_dict["done_on"][0]


def test_a_step_cannot_be_recorded_twice(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    with pytest.raises(ValidationError) as caught:
        services.prospect_record_step(actor=staff, prospect=prospect, number=1, done_on=START)
    assert "已于" in caught.value.message_dict["number"][0]


def test_the_talk_is_due_within_a_month_and_late_after(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    due = development.next_step(prospect, {1: START})
    assert due.step.number == 2
    assert due.due_on == START + _days(31)
    assert development.late_steps(prospect, {1: START}, today=START + _days(31)) == []
    late = development.late_steps(prospect, {1: START}, today=START + _days(32))
    assert late and "第2步" in late[0]
    # A talk recorded too late stays flagged.
    assert development.late_steps(prospect, {1: START, 2: START + _days(40)}, today=START + _days(40))


def test_promotion_to_activist_is_step_3(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    _walk(staff, prospect, 2)
    services.prospect_promote(actor=staff, prospect=prospect, date=START + _days(30))
    prospect.refresh_from_db()
    assert prospect.stage == Stage.ACTIVIST
    assert prospect.steps.filter(number=3).exists()


def test_a_candidate_needs_a_year_as_activist(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 6)
    chosen = done[development.ACTIVIST_CHOSEN]
    with pytest.raises(ValidationError) as caught:
        services.prospect_promote(actor=staff, prospect=prospect, date=chosen + _days(364))
    assert "满一年" in caught.value.message_dict["done_on"][0]
    assert development.next_step(prospect, done).earliest == chosen + _days(365)
    services.prospect_promote(actor=staff, prospect=prospect, date=chosen + _days(365))
    prospect.refresh_from_db()
    assert prospect.stage == Stage.CANDIDATE


def test_mentors_are_needed_at_step_5(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    _walk(staff, prospect, 4)
    with pytest.raises(ValidationError) as caught:
        services.prospect_record_step(actor=staff, prospect=prospect, number=5, done_on=START + _days(60))
    assert "培养联系人" in caught.value.message_dict["mentors"][0]


@pytest.mark.parametrize(
    ("extra", "ok"),
    [({"days": 2}, False), ({"hours": 23}, False), ({"days": 3}, True), ({"hours": 24}, True), ({}, False)],
)
def test_training_takes_3_days_or_24_hours(staff, branch_a, extra, ok):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 10)
    call = lambda: services.prospect_record_step(  # noqa: E731
        actor=staff, prospect=prospect, number=11, done_on=done[10] + _days(5), **extra
    )
    if ok:
        call()
    else:
        with pytest.raises(ValidationError) as caught:
            call()
        assert "3天或24学时" in caught.value.message_dict["hours"][0]


def test_the_general_meeting_needs_more_than_half_of_the_votes(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 14)
    with pytest.raises(ValidationError) as caught:
        services.prospect_record_step(
            actor=staff, prospect=prospect, number=15, done_on=done[14], voters_entitled=10, votes_for=5
        )
    assert "半数" in caught.value.message_dict["votes_for"][0]


def test_admission_creates_a_probationary_member_from_the_general_meeting(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 16)
    member = services.prospect_admit(actor=staff, prospect=prospect, date=done[16] + _days(10))
    prospect.refresh_from_db()
    assert prospect.stage == Stage.PROBATIONARY
    assert prospect.member == member
    assert member.admitted_on == done[development.ADMISSION_MEETING]
    assert member.status == "PROBATIONARY"
    assert member.organization == branch_a
    assert member.events.get().kind == MemberEventKind.ADMITTED


def test_approval_later_than_three_months_is_flagged(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 16)
    meeting = done[development.ADMISSION_MEETING]
    due = development.next_step(prospect, done)
    assert due.step.number == 17 and due.due_on == meeting + _days(92)
    services.prospect_admit(actor=staff, prospect=prospect, date=meeting + _days(93))
    done[17] = meeting + _days(93)
    assert any("三个月" in late for late in development.late_steps(prospect, done, today=done[17]))


def test_confirmation_at_step_24_makes_the_member_full_when_probation_ends(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 22)
    member = prospect.member
    end = rules.probation_end(member)
    with pytest.raises(ValidationError):
        services.prospect_record_step(
            actor=staff, prospect=prospect, number=23, done_on=end, voters_entitled=10, votes_for=4
        )
    services.prospect_record_step(
        actor=staff, prospect=prospect, number=23, done_on=end, voters_entitled=10, votes_for=9
    )
    services.prospect_record_step(actor=staff, prospect=prospect, number=24, done_on=end + _days(20))
    member.refresh_from_db()
    prospect.refresh_from_db()
    assert (member.status, member.confirmed_on) == ("FULL", end)
    assert prospect.stage == Stage.FULL
    assert done[15] == member.admitted_on


def test_the_rules_are_settings(staff, branch_a, settings):
    settings.MEMBER_DEVELOPMENT_RULES = {**settings.MEMBER_DEVELOPMENT_RULES, "MIN_ACTIVIST_DAYS": 180}
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 6)
    services.prospect_promote(actor=staff, prospect=prospect, date=done[3] + _days(180))
    assert DevelopmentStep.objects.filter(prospect=prospect, number=7).exists()


def test_a_withdrawn_prospect_takes_no_more_steps(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    services.prospect_withdraw(actor=staff, prospect=prospect)
    with pytest.raises(ValidationError):
        services.prospect_record_step(actor=staff, prospect=prospect, number=2, done_on=START + _days(5))
    assert not Member.objects.exists()

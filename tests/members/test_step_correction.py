"""Correcting and deleting a recorded development step: the same rules as recording, audited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiguan import audit
from members import development, services
from members.models import DevelopmentStep, Prospect, Stage
from tests.members.test_development import START, _applicant, _days, _walk

pytestmark = pytest.mark.django_db


def _step(prospect, number):
    return DevelopmentStep.objects.get(prospect=prospect, number=number)


def _correct(staff, prospect, number, **changes):
    step = _step(prospect, number)
    values = {
        "done_on": step.done_on,
        "note": step.note,
        "hours": step.hours,
        "days": step.days,
        "votes_for": step.votes_for,
        "voters_entitled": step.voters_entitled,
        **changes,
    }
    return services.prospect_correct_step(actor=staff, step=step, **values)


def test_a_step_date_is_corrected_and_audited(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 4)
    _correct(staff, prospect, 3, done_on=done[3] - _days(2), note="日期更正")
    step = _step(prospect, 3)
    assert step.done_on == done[3] - _days(2) and step.note == "日期更正"
    entry = audit.history_for(step).filter(action="UPDATE").latest("pk")
    assert entry.changes["done_on"]["new"] == (done[3] - _days(2)).isoformat()


def test_a_correction_cannot_go_before_the_previous_step(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 4)
    with pytest.raises(ValidationError) as exc:
        _correct(staff, prospect, 3, done_on=done[2] - _days(1))
    assert "不能早于上一步" in exc.value.message_dict["done_on"][0]
    assert _step(prospect, 3).done_on == done[3]


def test_a_correction_cannot_go_after_the_next_recorded_step(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 4)
    with pytest.raises(ValidationError) as exc:
        _correct(staff, prospect, 3, done_on=done[4] + _days(1))
    assert "不能晚于下一步（第4步" in exc.value.message_dict["done_on"][0]


def test_moving_the_activist_date_later_keeps_the_year_before_step_7(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 7)
    # Step 4 is 10 days after step 3, so move step 3 by 5 days: step 7 is then less than a year later.
    with pytest.raises(ValidationError) as exc:
        _correct(staff, prospect, 3, done_on=done[3] + _days(5))
    assert "第7步" in exc.value.message_dict["done_on"][0]
    assert "满一年" in exc.value.message_dict["done_on"][0]


def test_a_correction_keeps_the_durations_and_votes(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    _walk(staff, prospect, 15)
    with pytest.raises(ValidationError) as exc:
        _correct(staff, prospect, 11, days=1, hours=8)
    assert "集中培训" in exc.value.message_dict["hours"][0]
    with pytest.raises(ValidationError) as exc:
        _correct(staff, prospect, 15, votes_for=5)
    assert "半数" in exc.value.message_dict["votes_for"][0]
    _correct(staff, prospect, 11, days=0, hours=24)
    assert _step(prospect, 11).hours == 24


def test_correcting_the_application_moves_the_application_date(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    _walk(staff, prospect, 2)
    _correct(staff, prospect, 1, done_on=START - _days(3))
    prospect.refresh_from_db()
    assert prospect.applied_on == START - _days(3)


def test_the_admission_meeting_date_is_fixed_once_admitted(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 17)
    with pytest.raises(ValidationError) as exc:
        _correct(staff, prospect, 15, done_on=done[15] - _days(1))
    assert "该步骤已产生结果" in exc.value.message_dict["done_on"][0]
    _correct(staff, prospect, 15, votes_for=10)  # the votes can still be corrected
    assert _step(prospect, 15).votes_for == 10


def test_only_the_last_step_is_deleted(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    _walk(staff, prospect, 5)
    with pytest.raises(ValidationError) as exc:
        services.prospect_delete_step(actor=staff, step=_step(prospect, 4))
    assert "只能删除最后记录的一步（第5步" in exc.value.messages[0]
    step = _step(prospect, 5)
    services.prospect_delete_step(actor=staff, step=step)
    assert not DevelopmentStep.objects.filter(pk=step.pk).exists()
    assert audit.history_for(step).filter(action="DELETE").exists()


def test_deleting_step_3_puts_the_activist_back_to_applicant(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    _walk(staff, prospect, 3)
    assert prospect.stage == Stage.ACTIVIST
    services.prospect_delete_step(actor=staff, step=_step(prospect, 3))
    prospect.refresh_from_db()
    assert prospect.stage == Stage.APPLICANT


@pytest.mark.parametrize("last", [development.ADMISSION_APPROVAL, development.CONFIRMATION_APPROVAL])
def test_steps_that_admitted_or_confirmed_are_not_deleted(staff, branch_a, last):
    prospect = _applicant(staff, branch_a)
    _walk(staff, prospect, last)
    with pytest.raises(ValidationError) as exc:
        services.prospect_delete_step(actor=staff, step=_step(prospect, last))
    assert "该步骤已产生结果" in exc.value.messages[0]
    assert _step(prospect, last)


def test_the_application_is_not_deleted(staff, branch_a):
    prospect = _applicant(staff, branch_a)
    with pytest.raises(ValidationError):
        services.prospect_delete_step(actor=staff, step=_step(prospect, 1))


# --- the pages ---------------------------------------------------------------------------------


def test_the_prospect_page_offers_correct_on_every_step_and_delete_on_the_last(
    secretary_client, staff, branch_a
):
    prospect = _applicant(staff, branch_a)
    _walk(staff, prospect, 4)
    html = secretary_client.get(reverse("members:prospect", args=[prospect.pk])).content.decode()
    assert html.count(">修改</a>") == 4
    assert reverse("members:prospect_step_delete", args=[_step(prospect, 4).pk]) in html
    assert reverse("members:prospect_step_delete", args=[_step(prospect, 3).pk]) not in html


def test_correcting_through_the_form_shows_the_error_on_the_date(secretary_client, staff, branch_a):
    prospect = _applicant(staff, branch_a)
    done = _walk(staff, prospect, 4)
    url = reverse("members:prospect_step_edit", args=[_step(prospect, 3).pk])
    response = secretary_client.post(url, {"done_on": (done[4] + _days(1)).isoformat()})
    assert response.status_code == 200
    assert "完成日期：完成日期不能晚于下一步" in response.content.decode()
    response = secretary_client.post(url, {"done_on": (done[3] - _days(1)).isoformat(), "note": "更正"})
    assert response.status_code == 302
    assert _step(prospect, 3).done_on == done[3] - _days(1)


def test_deleting_through_the_page(secretary_client, staff, branch_a):
    prospect = _applicant(staff, branch_a)
    _walk(staff, prospect, 2)
    response = secretary_client.post(reverse("members:prospect_step_delete", args=[_step(prospect, 2).pk]))
    assert response.status_code == 302
    assert list(Prospect.objects.get(pk=prospect.pk).steps.values_list("number", flat=True)) == [1]

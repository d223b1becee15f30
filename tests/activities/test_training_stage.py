"""The training form lists each person with their stage on the training's date (issue 9): the stage
follows from the dates of the development steps (members.development.stage_on), not from the stage
stored now."""

import datetime
import re

from django.urls import reverse

from activities import services
from activities.models import ActivityKind
from members.models import DevelopmentStep, Stage
from tests.activities.helpers import make_member, make_prospect

D = datetime.date


def trainee_labels(response):
    """The trainee checkboxes as the user reads them: {label: checked}."""
    html = response.content.decode()
    row = html[html.index('id="row-trainees"') :]
    row = row[: row.index('<div class="form-text">')]
    return {
        label: "checked" in attrs
        for attrs, label in re.findall(
            r'<input type="checkbox" name="trainees"([^>]*)>\s*([^<]+?)\s*</label>', row
        )
    }


def create_form(client, organization, day):
    url = reverse("activities:create")
    return client.get(url, {"organization": organization.pk, "kind": ActivityKind.TRAINING, "date": day})


def test_the_form_offers_the_stage_on_the_training_date(staff_client, branch_a):
    make_prospect(branch_a, "发展对象乙", stage=Stage.CANDIDATE)  # activist 2024-03-01, candidate 2025-03-02
    make_prospect(branch_a, "申请人丙", stage=Stage.APPLICANT)  # applied 2024-01-01, never an activist
    admitted = make_prospect(branch_a, "新党员丁", stage=Stage.CANDIDATE)
    admitted.member = make_member(branch_a, "新党员丁", status="PROBATIONARY", admitted_on=D(2025, 9, 1))
    admitted.stage = Stage.PROBATIONARY  # the stage stored now
    admitted.save()

    assert trainee_labels(create_form(staff_client, branch_a, "2025-03-01")) == {
        "发展对象乙（入党积极分子）": False,
        "新党员丁（入党积极分子）": False,
    }
    assert trainee_labels(create_form(staff_client, branch_a, "2025-03-02")) == {
        "发展对象乙（发展对象）": False,
        "新党员丁（发展对象）": False,
    }
    # From the 入党日期 on, the new member is no longer trained as a candidate.
    assert trainee_labels(create_form(staff_client, branch_a, "2025-09-01")) == {
        "发展对象乙（发展对象）": False
    }
    # Before anyone was an activist there is nobody to offer.
    assert trainee_labels(create_form(staff_client, branch_a, "2024-02-29")) == {}


def test_saving_a_past_training_counts_the_stage_of_its_day(staff_client, staff, branch_a):
    candidate = make_prospect(branch_a, "发展对象乙", stage=Stage.CANDIDATE)
    response = staff_client.post(
        reverse("activities:create"),
        {
            "organization": branch_a.pk,
            "kind": ActivityKind.TRAINING,
            "date": "2024-10-12",
            "title": "2024年入党积极分子培训班",
            "trainees": [candidate.pk],
        },
    )
    assert response.status_code == 302
    detail = staff_client.get(response["Location"]).content.decode()
    assert "发展对象乙（入党积极分子）" in detail


def test_editing_keeps_a_trainee_admitted_since(staff_client, staff, branch_a):
    """The edit form still offers (and ticks) a trainee who is a member now, so saving keeps them."""
    trainee = make_prospect(branch_a, "发展对象乙", stage=Stage.CANDIDATE)
    training = services.activity_create(
        actor=staff,
        organization=branch_a,
        kind=ActivityKind.TRAINING,
        date=D(2025, 5, 20),
        title="发展对象培训班",
        trainees=[services.TraineeEntry(prospect=trainee)],
    )
    DevelopmentStep.objects.filter(prospect=trainee, number=3).update(done_on=D(2024, 3, 1))
    trainee.member = make_member(branch_a, "发展对象乙", status="PROBATIONARY", admitted_on=D(2025, 9, 1))
    trainee.stage = Stage.PROBATIONARY
    trainee.save()
    url = reverse("activities:edit", args=[training.pk])
    assert trainee_labels(staff_client.get(url)) == {"发展对象乙（发展对象）": True}
    response = staff_client.post(
        url,
        {
            "kind": ActivityKind.TRAINING,
            "date": "2025-05-20",
            "title": "发展对象培训班",
            "trainees": [trainee.pk],
        },
    )
    assert response.status_code == 302
    assert list(training.trainees.values_list("prospect__name", flat=True)) == ["发展对象乙"]

"""A rule about what may be done lives in the service; the page asks the same function (issue 11)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members import services as member_services
from organizations import services as organization_services
from tests.factories import ProspectFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_secretary_founds_only_a_party_group_even_through_the_service(secretary, staff, branch_a):
    with pytest.raises(ValidationError) as exc:
        organization_services.organization_found(
            actor=secretary, kind="BRANCH", name="私设支部", parent=branch_a, founded_on=D(2025, 1, 1)
        )
    assert exc.value.message_dict == {"kind": ["党组织书记只能在本组织的党支部下设立党小组。"]}
    assert organization_services.founding_choices(secretary) == (["BRANCH"], ["PARTY_GROUP"])
    assert organization_services.founding_choices(staff) == (None, None)
    assert organization_services.can_found_group_below(secretary, branch_a)
    assert not organization_services.can_found_group_below(staff, branch_a)  # staff found anything


def test_the_page_offers_to_delete_the_step_the_service_deletes(staff, branch_a):
    prospect = ProspectFactory(organization=branch_a, stage="CANDIDATE")
    assert member_services.deletable_step(prospect, [1, 3, 7]) == 7
    applicant = ProspectFactory(organization=branch_a, stage="APPLICANT")
    assert member_services.deletable_step(applicant, [1]) is None  # the application stays
    assert "不能删除" in member_services.step_delete_refusal(applicant, 1, [1])
    withdrawn = ProspectFactory(
        organization=branch_a, stage="WITHDRAWN", steps=[(1, D(2024, 1, 1)), (3, D(2024, 3, 1))]
    )
    assert member_services.deletable_step(withdrawn, [1, 3]) is None
    with pytest.raises(ValidationError):
        member_services.prospect_delete_step(actor=staff, step=withdrawn.steps.get(number=3))

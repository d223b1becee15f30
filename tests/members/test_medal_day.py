"""The 光荣在党50年 medal is recorded with its day: 1 July of the year unless staff choose another."""

import datetime

import pytest
from django.urls import reverse

from members.models import MedalAward
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def veteran(branch_a):
    return MemberFactory(
        organization=branch_a,
        name="老党员",
        birth_date=D(1950, 3, 3),
        admitted_on=D(1974, 1, 1),
        confirmed_on=D(1975, 1, 1),
    )


def test_the_page_offers_1_july_of_the_year(staff_client, veteran):
    response = staff_client.get(reverse("members:medals"), {"year": 2025})
    assert response.context["award_form"]["awarded_on"].value() == D(2025, 7, 1)
    assert 'name="awarded_on"' in response.content.decode()


def test_the_award_carries_the_day_chosen_and_the_next_one_keeps_it(staff_client, veteran):
    response = staff_client.post(
        reverse("members:medal_award"), {"year": 2025, "member": veteran.pk, "awarded_on": "2025-06-28"}
    )
    assert MedalAward.objects.get().awarded_on == D(2025, 6, 28)
    assert response["Location"] == f"{reverse('members:medals')}?year=2025&awarded_on=2025-06-28"
    page = staff_client.get(response["Location"])
    assert page.context["award_form"]["awarded_on"].value() == D(2025, 6, 28)
    assert "颁发日期2025年6月28日" in page.content.decode()


def test_a_day_outside_the_year_is_refused(staff_client, veteran):
    response = staff_client.post(
        reverse("members:medal_award"),
        {"year": 2025, "member": veteran.pk, "awarded_on": "2026-07-01"},
        follow=True,
    )
    assert "颁发日期应在2025年内" in response.content.decode()
    assert not MedalAward.objects.exists()


def test_leadership_is_not_offered_the_day(leader_client, veteran):
    assert (
        'name="awarded_on"'
        not in leader_client.get(reverse("members:medals"), {"year": 2025}).content.decode()
    )


def test_without_a_day_the_medal_is_awarded_on_1_july(staff_client, veteran):
    staff_client.post(reverse("members:medal_award"), {"year": 2025, "member": veteran.pk})
    assert MedalAward.objects.get().awarded_on == D(2025, 7, 1)

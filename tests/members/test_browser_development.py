"""A branch secretary moves an activist on to candidate and admits them, in a real browser."""

import datetime

import pytest

from jiguan import dates
from members import services
from members.models import Member, Prospect
from tests.factories import id_number_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXTRA = {5: {"mentors": "王建国、李秀英"}}


@pytest.fixture
def activist(staff, branch_a):
    """An activist chosen more than a year ago, with steps 1 to 6 recorded."""
    start = dates.today() - datetime.timedelta(days=600)
    prospect = services.prospect_create(
        actor=staff,
        organization=branch_a,
        name="蒙小燕",
        gender="F",
        id_number=id_number_for(datetime.date(1996, 8, 8), "F"),
        applied_on=start,
    )
    for number in range(2, 7):
        services.prospect_record_step(
            actor=staff,
            prospect=prospect,
            number=number,
            done_on=start + datetime.timedelta(days=10 * number),
            **EXTRA.get(number, {}),
        )
    return prospect


def test_secretary_moves_an_activist_to_candidate_and_admits_them(page, signed_in, secretary, activist):
    signed_in(page, "secretary")
    page.goto("/members/board/")
    activist_column = page.locator("[data-stage=ACTIVIST]")
    assert "蒙小燕" in activist_column.inner_text()
    activist_column.get_by_role("link", name="蒙小燕").click()

    page.get_by_role("link", name="确定为发展对象").click()
    page.get_by_role("button", name="保存").click()
    assert page.locator("#prospect-stage").inner_text() == "发展对象"
    assert "已确定为发展对象" in page.content()

    # Steps 8 to 16, in order, through the step form (each preselects the next step).
    extra = {9: {"#id_sponsors": "张志强、刘丽娟"}, 11: {"#id_days": "3"},
             15: {"#id_voters_entitled": "9", "#id_votes_for": "8"}}  # fmt: skip
    for number in range(8, 17):
        assert page.locator("#id_number").input_value() == str(number)
        for selector, value in extra.get(number, {}).items():
            page.fill(selector, value)
        page.locator("#step-form").get_by_role("button", name="记录").click()
        assert f"已记录第{number}步" in page.content(), number

    page.get_by_role("link", name="接收为预备党员").click()
    page.get_by_role("button", name="保存").click()
    assert page.locator("#member-status").inner_text() == "预备党员"
    assert "接收为预备党员" in page.locator("#member-timeline").inner_text()

    member = Member.objects.get(name="蒙小燕")
    prospect = Prospect.objects.get(pk=activist.pk)
    assert prospect.member == member
    assert member.admitted_on == prospect.steps.get(number=15).done_on
    # The secretary sees the ID number masked on the member's page.
    assert member.id_number not in page.content()

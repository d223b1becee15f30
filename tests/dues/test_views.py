"""The dues pages: scope and write permissions, fixed query counts, a long history."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from members.dues import ledger, selectors, services
from members.dues.models import DuesPayment
from tests.factories import MemberFactory
from tests.pages import without_csrf

M = datetime.date


@pytest.fixture
def members(branch_a, staff):
    result = []
    for index in range(6):
        member = MemberFactory(organization=branch_a, name=f"成员{index}", admitted_on=M(1975, 5, 1))
        services.base_set(actor=staff, member=member, start_month=M(2026, 1, 1), base=3000 + 1000 * index)
        result.append(member)
    return result


def test_month_page_in_a_fixed_number_of_queries(
    secretary_client, branch_a, members, django_assert_max_num_queries
):
    # session, user, the user's organization (header), the branch, the month's members with their
    # due and paid, the month's totals, and the home link's savepoint/messages: the same for 6 or 11.
    url = reverse("dues:month", args=[branch_a.pk, 2026, 11])
    with django_assert_max_num_queries(9):
        response = secretary_client.get(url)
    assert response.status_code == 200
    MemberFactory.create_batch(5, organization=branch_a, admitted_on=M(2000, 1, 1))
    with django_assert_max_num_queries(9):
        response = secretary_client.get(url)
    assert response.content.decode().count('class="list-group-item member-row"') == 11


def test_arrears_page_in_a_fixed_number_of_queries(staff_client, members, django_assert_max_num_queries):
    # session, user, organization, the records' version and the stored ranking (a miss), the
    # ledger (up to date: the background run after each write brings it there), the ranking (one
    # query over the window's member-months), storing it (count, savepoint, look-up, insert,
    # release), the page's members, their months owed, the session's update (savepoint, update,
    # release): whatever the number of members in arrears.
    ledger.bring_up_to_date([2025, 2026])
    url = reverse("dues:arrears")
    with django_assert_max_num_queries(17) as first:
        response = staff_client.get(url)
    html = response.content.decode()
    assert 'id="arrears-count">6<' in html  # every member owes January–October 2026
    assert "2026年1月" in html
    # The same list again (or its next page): the ranking is read from the cache; only the page's
    # members and their months are read.
    with django_assert_max_num_queries(10) as again:
        again_html = staff_client.get(url).content.decode()
    assert without_csrf(again_html) == without_csrf(html)
    assert [_member_months_queries(first), _member_months_queries(again)] == [2, 1]


def _member_months_queries(context):
    return sum(
        1 for query in context.captured_queries if query["sql"].startswith(("WITH months", "WITH f AS"))
    )


def test_arrears_page_after_a_payment(staff_client, staff, members):
    """The stored ranking is for the records' version: a payment recorded makes it again."""
    url = reverse("dues:arrears")
    assert 'id="arrears-count">6<' in staff_client.get(url).content.decode()
    member = members[0]
    services.payment_record(
        actor=staff,
        member=member,
        months=[M(2026, month, 1) for month in range(1, 11)],
        paid_on=M(2026, 11, 20),
    )
    html = staff_client.get(url).content.decode()
    assert 'id="arrears-count">5<' in html
    assert member.name not in html


def test_pay_all_in_a_fixed_number_of_queries(staff_client, branch_a, members, django_assert_max_num_queries):
    url = reverse("dues:pay_all", args=[branch_a.pk, 2026, 11])
    with django_assert_max_num_queries(14):
        staff_client.post(url, {"paid_on": "2026-11-20"})
    assert DuesPayment.objects.filter(month=M(2026, 11, 1)).count() == 6


def test_scope_and_write_permissions(other_secretary, leader, branch_a, members):
    member = members[0]
    other_secretary_client, leader_client = Client(), Client()
    other_secretary_client.force_login(other_secretary)
    leader_client.force_login(leader)
    # Another branch's secretary sees neither the month nor the member.
    assert other_secretary_client.get(reverse("dues:month", args=[branch_a.pk, 2026, 11])).status_code == 404
    assert other_secretary_client.get(reverse("dues:member", args=[member.pk])).status_code == 404
    # Leadership reads, never writes.
    assert leader_client.get(reverse("dues:month", args=[branch_a.pk, 2026, 11])).status_code == 200
    assert (
        leader_client.post(
            reverse("dues:pay_all", args=[branch_a.pk, 2026, 11]), {"paid_on": "2026-11-20"}
        ).status_code
        == 403
    )
    assert leader_client.get(reverse("dues:pay", args=[member.pk])).status_code == 403
    assert not DuesPayment.objects.exists()


def test_bad_input_named_on_the_form(secretary_client, members):
    member = members[0]
    url = reverse("dues:pay", args=[member.pk])
    html = secretary_client.post(url, {"first_month": "2026-13", "paid_on": "2026-11-20"}).content.decode()
    assert "所属月份（自）：无法识别的月份" in html
    html = secretary_client.post(
        url, {"first_month": "2026-05", "amount": "-3", "paid_on": "2026-11-20"}
    ).content.decode()
    assert "每月实交金额（元）：实交金额应大于0元。" in html
    html = secretary_client.post(
        reverse("dues:base_create", args=[member.pk]), {"start_month": "", "base": "５０００"}
    ).content.decode()
    assert "起始月份：" in html
    assert not DuesPayment.objects.exists()


def test_a_long_history_is_one_query(members, django_assert_num_queries):
    # Admitted in 1975: over 600 months, beyond SQLite's 500 terms of a compound select.
    with django_assert_num_queries(2):
        assert selectors.paid_up_to(members[0]) is None

"""Dues: the rules at every threshold, bases, payments, corrections, transfers, arrears."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jiguan.models import AuditEntry
from members.dues import rules, selectors, services
from members.dues.models import DuesBase, DuesClass, DuesPayment, PaymentKind
from members.models import Category, TransferScope
from members.services import member_transfer_in, member_transfer_out
from tests.factories import MemberFactory

D = Decimal
M = datetime.date


@pytest.mark.parametrize(
    ("base", "dues_class", "due"),
    [
        ("3000.00", DuesClass.IN_SERVICE, "15.00"),  # 0.5 % up to and including 3000
        ("3000.01", DuesClass.IN_SERVICE, "30.00"),  # 1 %: 30.0001 rounds to 30.00
        ("5000", DuesClass.IN_SERVICE, "50.00"),
        ("5000.01", DuesClass.IN_SERVICE, "75.00"),  # 1.5 %: 75.00015
        ("10000", DuesClass.IN_SERVICE, "150.00"),
        ("10000.01", DuesClass.IN_SERVICE, "200.00"),  # 2 %: 200.0002
        ("5000", DuesClass.RETIRED, "25.00"),
        ("5000.01", DuesClass.RETIRED, "50.00"),  # 1 %: 50.0001
        ("0", DuesClass.STUDENT, "0.20"),
        ("8000", DuesClass.LAID_OFF, "0.20"),
        ("0", DuesClass.RELIEF, "0.20"),
        ("4321.50", DuesClass.IN_SERVICE, "43.22"),  # 43.215 rounds half up
        ("2999.00", DuesClass.IN_SERVICE, "15.00"),  # 14.995 rounds half up
    ],
)
def test_monthly_due(base, dues_class, due):
    assert rules.monthly_due(D(base), dues_class) == D(due)


def test_rounding_is_a_setting(settings):
    settings.PARTY_DUES = {**settings.PARTY_DUES, "ROUNDING": "0.1"}
    assert rules.monthly_due(D("4321.50"), DuesClass.IN_SERVICE) == D("43.20")


@pytest.fixture
def member(branch_a):
    return MemberFactory(organization=branch_a, name="张三", admitted_on=M(2010, 3, 15))


def test_base_set_dated_and_linked(member, staff):
    first = services.base_set(actor=staff, member=member, start_month=M(2026, 1, 1), base="4000")
    second = services.base_set(actor=staff, member=member, start_month=M(2026, 7, 20), base="6000")
    first.refresh_from_db()
    assert (first.until_month, first.due, first.dues_class) == (
        M(2026, 7, 1),
        D("40.00"),
        DuesClass.IN_SERVICE,
    )
    assert (second.start_month, second.until_month, second.due) == (M(2026, 7, 1), None, D("90.00"))
    # The same month again corrects the base (audited), no second row.
    services.base_set(actor=staff, member=member, start_month=M(2026, 7, 1), base="5000")
    assert DuesBase.objects.filter(member=member).count() == 2
    assert AuditEntry.objects.filter(object_repr__contains="张三 2026年7月").count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"start_month": None, "base": "3000"}, "start_month", "请填写起始月份"),
        ({"start_month": M(2026, 1, 1), "base": "-1"}, "base", "不能为负数"),
        ({"start_month": M(2026, 1, 1), "base": "abc"}, "base", "应为金额"),
        ({"start_month": M(2009, 1, 1), "base": "3000"}, "start_month", "不能早于入党月份"),
    ],
)
def test_base_refusals_name_the_field(member, staff, kwargs, field, message):
    with pytest.raises(ValidationError) as caught:
        services.base_set(actor=staff, member=member, **kwargs)
    assert message in caught.value.message_dict[field][0]
    assert not DuesBase.objects.exists()


def test_other_category_needs_a_class(branch_a, staff):
    student = MemberFactory(organization=branch_a, category=Category.OTHER)
    with pytest.raises(ValidationError) as caught:
        services.base_set(actor=staff, member=student, start_month=M(2026, 1, 1), base="0")
    assert "dues_class" in caught.value.message_dict
    base = services.base_set(
        actor=staff, member=student, start_month=M(2026, 1, 1), base="0", dues_class=DuesClass.STUDENT
    )
    assert base.due == D("0.20")


def test_several_months_at_once_belong_to_their_months(member, staff):
    services.base_set(actor=staff, member=member, start_month=M(2026, 1, 1), base="3000")
    created = services.payment_record(
        actor=staff,
        member=member,
        months=[M(2026, 7, 1), M(2026, 8, 1), M(2026, 9, 1)],
        paid_on=M(2026, 10, 8),
    )
    assert [(p.month, p.amount) for p in created] == [(M(2026, m, 1), D("15.00")) for m in (7, 8, 9)]
    assert {p.organization_id for p in created} == {member.organization_id}
    # Paying a paid month again refuses (nothing left), naming the field.
    with pytest.raises(ValidationError) as caught:
        services.payment_record(actor=staff, member=member, months=[M(2026, 7, 1)], paid_on=M(2026, 10, 8))
    assert "均已交清" in caught.value.message_dict["months"][0]


def test_payment_refusals(member, staff):
    services.base_set(actor=staff, member=member, start_month=M(2026, 1, 1), base="3000")
    cases = [
        ({"months": [M(2010, 2, 1)]}, "months", "不能早于入党日期所在月份"),
        ({"months": [M(2026, 5, 1)], "amount": "-5"}, "amount", "应大于0元"),
        ({"months": [M(2026, 5, 1)], "amount": "0"}, "amount", "应大于0元"),
        ({"months": [M(2026, 5, 1)], "amount": "151"}, "amount", "10倍"),
        ({"months": [M(2026, 5, 1)], "paid_on": M(2026, 12, 1)}, "paid_on", "不能晚于今天"),
    ]
    for kwargs, field, message in cases:
        arguments = {"actor": staff, "member": member, "paid_on": M(2026, 6, 1), **kwargs}
        with pytest.raises(ValidationError) as caught:
            services.payment_record(**arguments)
        assert message in caught.value.message_dict[field][0], kwargs
    assert not DuesPayment.objects.exists()
    # Confirmed, the generous payment is recorded.
    services.payment_record(
        actor=staff,
        member=member,
        months=[M(2026, 5, 1)],
        paid_on=M(2026, 6, 1),
        amount="151",
        confirmed=True,
    )


def test_payment_after_leaving_refused(member, staff):
    services.base_set(actor=staff, member=member, start_month=M(2026, 1, 1), base="3000")
    member_transfer_out(
        actor=staff,
        member=member,
        date=M(2026, 6, 10),
        scope=TransferScope.BEYOND_COUNTY,
        external_organization="外县某支部",
        dues_paid_until=M(2026, 5, 1),
    )
    member.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.payment_record(actor=staff, member=member, months=[M(2026, 6, 1)], paid_on=M(2026, 6, 1))
    assert "离开党员名册" in caught.value.message_dict["months"][0]
    assert member.events.get(kind="TRANSFERRED_OUT").dues_paid_until == M(2026, 5, 1)


def test_void_and_correct_keep_the_record(member, staff):
    services.base_set(actor=staff, member=member, start_month=M(2026, 1, 1), base="3000")
    [payment] = services.payment_record(
        actor=staff, member=member, months=[M(2026, 3, 1)], paid_on=M(2026, 3, 5), amount="51"
    )
    with pytest.raises(ValidationError) as caught:
        services.payment_void(actor=staff, payment=payment, reason=" ")
    assert "reason" in caught.value.message_dict
    right = services.payment_correct(
        actor=staff, payment=payment, amount="15", paid_on=M(2026, 3, 5), reason="多录了一位"
    )
    payment.refresh_from_db()
    assert payment.voided_on is not None and payment.void_reason == "多录了一位"
    assert right.amount == D("15.00")
    assert DuesPayment.objects.count() == 2  # nothing deleted
    [march] = [r for r in selectors.member_month_rows(member, first=M(2026, 3, 1), last=M(2026, 3, 1))]
    assert (march.due, march.paid, march.settled_in_full) == (D("15.00"), D("15.00"), True)


def test_branch_pay_month_and_sheet(branch_a, staff):
    members = [MemberFactory(organization=branch_a, admitted_on=M(2010, 1, 1)) for _ in range(3)]
    services.base_set(actor=staff, member=members[0], start_month=M(2026, 1, 1), base="3000")
    services.base_set(actor=staff, member=members[1], start_month=M(2026, 1, 1), base="6000")
    services.payment_record(
        actor=staff, member=members[1], months=[M(2026, 11, 1)], paid_on=M(2026, 11, 2), amount="40"
    )
    created = services.branch_pay_month(
        actor=staff, organization=branch_a, month=M(2026, 11, 1), paid_on=M(2026, 11, 20)
    )
    assert sorted(p.amount for p in created) == [D("15.00"), D("50.00")]  # 90 due, 40 paid before
    totals = selectors.sheet_totals(selectors.month_sheet(branch_a, M(2026, 11, 1)))
    assert (totals.members, totals.due, totals.paid, totals.members_paid, totals.no_base) == (
        3,
        D("105.00"),
        D("105.00"),
        2,
        1,
    )


def test_transfer_in_settles_months_up_to_paid_until(branch_a, staff):
    member = member_transfer_in(
        actor=staff,
        organization=branch_a,
        date=M(2026, 4, 10),
        scope=TransferScope.BEYOND_COUNTY,
        external_organization="外县某支部",
        name="李四",
        gender="M",
        id_number="110101198001010010",
        admitted_on=M(2005, 7, 1),
        confirmed_on=M(2006, 7, 1),
        dues_paid_until=M(2026, 6, 1),
    )
    services.base_set(actor=staff, member=member, start_month=M(2026, 4, 1), base="3000")
    carried = DuesPayment.objects.filter(member=member, kind=PaymentKind.CARRIED)
    assert sorted(carried.values_list("month", flat=True)) == [M(2026, 4, 1), M(2026, 5, 1), M(2026, 6, 1)]
    assert member.events.get(kind="TRANSFERRED_IN").dues_paid_until == M(2026, 6, 1)
    assert selectors.paid_up_to(member) == M(2026, 6, 1)
    rows = selectors.member_month_rows(member, first=M(2026, 4, 1), last=M(2026, 7, 1))
    assert [(r.month.month, r.owed) for r in rows] == [(4, 0), (5, 0), (6, 0), (7, D("15.00"))]


def test_arrears_and_warning(branch_a, branch_b, staff):
    # Today is 24 November 2026: the warning looks at May–October, the arrears list at Nov 2025–Oct 2026.
    silent = MemberFactory(organization=branch_a, name="未交", admitted_on=M(2010, 1, 1))
    half = MemberFactory(organization=branch_b, name="半交", admitted_on=M(2010, 1, 1))
    good = MemberFactory(organization=branch_a, name="交清", admitted_on=M(2010, 1, 1))
    for m in (silent, half, good):
        services.base_set(actor=staff, member=m, start_month=M(2025, 1, 1), base="3000")
    window = [M(2025, 11, 1) + datetime.timedelta(days=31 * i) for i in range(12)]
    window = sorted({w.replace(day=1) for w in window})
    services.payment_record(actor=staff, member=good, months=window, paid_on=M(2026, 11, 1))
    services.payment_record(actor=staff, member=half, months=window, paid_on=M(2026, 11, 1))
    services.payment_void(
        actor=staff,
        payment=DuesPayment.objects.get(member=half, month=M(2026, 3, 1)),
        reason="录错",
    )
    services.payment_record(
        actor=staff, member=half, months=[M(2026, 3, 1)], paid_on=M(2026, 11, 1), amount="7.50"
    )
    assert selectors.arrears_counts() == {"members": 2, "warned": 1}
    assert selectors.arrears_by_organization() == {branch_a.pk: 1, branch_b.pk: 1}
    count, rows = selectors.arrears_members()
    assert count == 2
    assert [(r["member_id"], int(r["short_months"])) for r in rows] == [(silent.pk, 12), (half.pk, 1)]
    owed = selectors.member_owed_months([half.pk], selectors.arrears_window())
    assert owed == {half.pk: [(M(2026, 3, 1), D("7.50"))]}
    count, rows = selectors.arrears_members(warned_only=True)
    assert [r["member_id"] for r in rows] == [silent.pk]
    assert selectors.arrears_counts([branch_b.pk]) == {"members": 1, "warned": 0}


def test_a_large_amount_carries_the_confirmation_code(member, staff):
    services.base_set(actor=staff, member=member, start_month=M(2026, 1, 1), base="3000")
    with pytest.raises(ValidationError) as caught:
        services.payment_record(
            actor=staff, member=member, months=[M(2026, 5, 1)], paid_on=M(2026, 6, 1), amount="150.01"
        )
    assert [e.code for e in caught.value.error_dict["amount"]] == [services.CONFIRM_CODE]


def test_a_cent_short_is_owed_and_the_due_paid_is_not(branch_a, staff):
    """The member-months add and compare whole cents: a due of 43.22 paid in three parts that a
    float does not hold exactly (0.10 + 0.20 + 42.92) is paid in full; one cent less is owed."""
    full = MemberFactory(organization=branch_a, name="交足", admitted_on=M(2010, 1, 1))
    short = MemberFactory(organization=branch_a, name="差一分", admitted_on=M(2010, 1, 1))
    october = M(2026, 10, 1)
    for member, last_part in ((full, "42.92"), (short, "42.91")):
        services.base_set(actor=staff, member=member, start_month=october, base="4321.50")
        for amount in ("0.10", "0.20", last_part):
            services.payment_record(
                actor=staff, member=member, months=[october], paid_on=M(2026, 10, 20), amount=amount
            )
    owed = selectors.member_owed_months([full.pk, short.pk], [october])
    assert owed == {full.pk: [], short.pk: [(october, D("0.01"))]}
    count, rows = selectors.arrears_members()
    assert count == 1 and rows[0]["member_id"] == short.pk and rows[0]["owed"] == D("0.01")
    [row] = selectors.member_month_rows(full, first=october, last=october)
    assert (row.due, row.paid, row.settled_in_full) == (D("43.22"), D("43.22"), True)

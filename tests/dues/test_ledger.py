"""The dues ledger holds what the records say: its member-months are the ones built from the records
(members.dues.facts.live_sql), on random histories written through the services, after the writes
that came after the ledger was filled, and after a write that rolled back."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jiguan import backup
from members.dues import facts, ledger, selectors, services
from members.dues.importers import link_bases
from members.dues.models import DuesBase, DuesLedgerMonth, DuesLedgerStale, DuesLedgerYear, DuesPayment
from members.dues.months import months_between, months_of_year
from members.models import LeftReason, MemberVersion
from members.services import membership
from reports.metrics import ReportScope
from tests.factories import MemberFactory, OrganizationFactory

M = datetime.date
TODAY = M(2026, 11, 24)  # tests/dues/conftest.py


def _rows(sql, params):
    rows = selectors._run(
        sql + " SELECT member_id, m, e, org, in_s, due_cents, paid_cents, paid_by_cents, settled, has_base"
        " FROM f ORDER BY member_id, m",
        params,
    )
    return [
        (
            r["member_id"],
            str(r["m"])[:10],
            str(r["e"])[:10],
            r["org"],
            *(
                int(r[c] or 0)
                for c in ("in_s", "due_cents", "paid_cents", "paid_by_cents", "settled", "has_base")
            ),
        )
        for r in rows
    ]


def _readings(committee, branch):
    """Every way the scope-wide readers ask for member-months: a year's report (paid by its end),
    the arrears window (paid whenever), a branch's members on the roster."""
    readings = []
    for root in (committee, branch):
        for year in (2025, 2026):
            scope = ReportScope(root, year)
            readings.append(
                dict(months=months_of_year(year), end=scope.end, in_s=scope._whole_year_and_parts)
            )
    window = months_between(M(2025, 11, 1), M(2026, 10, 1))
    readings.append(dict(months=window))
    readings.append(dict(months=window, on_roster_in=[branch.pk]))
    readings.append(dict(months=months_of_year(2025), in_s=([branch.pk], [])))
    return readings


def _sums(sql, params):
    """The year's sums per member (of the members with a month in S) and per organization-month."""
    per = selectors._run(
        sql + " SELECT 'per' AS part, member_id AS k, due_s, paid_s, short_months, h2_unpaid, on_e, org_e,"
        " NULL AS m FROM per WHERE ever_in_s = 1"
        " UNION ALL SELECT 'om', org, due_cents, paid_cents, NULL, NULL, NULL, NULL, m FROM om",
        params,
    )
    return sorted(
        tuple(str(value)[:10] if key == "m" and value else value for key, value in row.items()) for row in per
    )


def _sum_readings(committee, branch):
    """Every scope a year's report sums: the county's and the branch's, and a scope with an
    organization in S for part of the year (from mid-April to September: its months in S are read
    one by one)."""
    readings = []
    for year in (2025, 2026):
        for root in (committee, branch):
            readings.append(dict(year=year, in_s=ReportScope(root, year)._whole_year_and_parts))
        whole, _ = ReportScope(committee, year)._whole_year_and_parts
        part = (branch.pk, M(year, 4, 15), M(year, 9, 1))
        readings.append(dict(year=year, in_s=([pk for pk in whole if pk != branch.pk], [part])))
    return readings


def _assert_ledger_reads_as_the_records(committee, branch):
    for reading in _readings(committee, branch):
        from_ledger = _rows(*selectors.facts_sql(**reading))
        assert DuesLedgerMonth.objects.exists()
        assert from_ledger == _rows(*facts.live_sql(**reading)), reading
    for reading in _sum_readings(committee, branch):
        from_ledger = _sums(*selectors.year_sql(**reading))
        assert from_ledger == _sums(*facts.live_year_sql(**reading)), reading
        assert from_ledger, reading


def _random_history(rng, actor, branches, members, *, from_month, to_month):
    """Bases, payments (on time, late, partial, in advance), voids, moves and leavings, dated in the
    months given, in the order of their days; what the services refuse is skipped."""
    for member in members:
        member.refresh_from_db()
        for _ in range(rng.randint(0, 2)):
            start = rng.choice(months_between(from_month, to_month))
            _try(
                services.base_set,
                actor=actor,
                member=member,
                start_month=start,
                base=str(rng.randint(800, 12000)),
            )
        months = [m for m in months_between(from_month, to_month) if rng.random() < 0.7]
        for month in months:
            paid_on = min(TODAY, month + datetime.timedelta(days=rng.randint(0, 400)))
            amount = None if rng.random() < 0.8 else str(rng.randint(1, 60))
            _try(
                services.payment_record,
                actor=actor,
                member=member,
                months=[month],
                paid_on=paid_on,
                amount=amount,
                confirmed=True,
            )
        payments = list(DuesPayment.objects.filter(member=member, voided_on__isnull=True))
        if payments and rng.random() < 0.3:
            _try(services.payment_void, actor=actor, payment=rng.choice(payments), reason="录错")
        roll = rng.random()
        day = from_month + datetime.timedelta(days=rng.randint(20, 300))
        if roll < 0.25:
            others = [b for b in branches if b.pk != member.organization_id]
            _try(
                membership.member_move,
                actor=actor,
                member=member,
                to_organization=rng.choice(others),
                date=day,
            )
        elif roll < 0.35:
            _try(membership.member_leave, actor=actor, member=member, date=day, reason=LeftReason.DIED)


def _try(service, **kwargs):
    try:
        with transaction.atomic():
            service(**kwargs)
    except ValidationError:
        pass


@pytest.fixture
def county(committee, staff):
    office = OrganizationFactory(kind="PARTY_COMMITTEE", name="乙局机关党委", parent=committee)
    branches = [
        OrganizationFactory(kind="BRANCH", name=f"第{i}党支部", parent=office if i % 2 else committee)
        for i in range(1, 5)
    ]
    return office, branches


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ledger_holds_the_member_months_of_the_records(committee, staff, county, seed):
    office, branches = county
    rng = random.Random(seed)
    members = [
        MemberFactory(
            organization=rng.choice(branches),
            admitted_on=M(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 600)),
        )
        for _ in range(18)
    ]
    _random_history(rng, staff, branches, members, from_month=M(2025, 1, 1), to_month=M(2025, 12, 1))
    # The history has what makes member-months hard: late, partial and voided payments, moves.
    payments = DuesPayment.objects.all()
    assert payments.filter(voided_on__isnull=False).exists()
    assert payments.filter(paid_on__year=2026, month__year=2025).exists()
    assert MemberVersion.objects.count() > len(members)
    _assert_ledger_reads_as_the_records(committee, office)  # filled from the records
    # Writes after it was filled: their members are computed again before the next reading.
    _random_history(rng, staff, branches, members, from_month=M(2025, 6, 1), to_month=M(2026, 10, 1))
    assert DuesLedgerStale.objects.exists()
    _assert_ledger_reads_as_the_records(committee, office)
    assert not DuesLedgerStale.objects.exists()


def test_a_write_rolled_back_leaves_the_ledger_as_the_records(committee, staff, branch_a):
    member = MemberFactory(organization=branch_a, admitted_on=M(2020, 1, 1))
    services.base_set(actor=staff, member=member, start_month=M(2025, 1, 1), base="3000")
    _assert_ledger_reads_as_the_records(committee, branch_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.payment_record(actor=staff, member=member, months=[M(2025, 3, 1)], paid_on=M(2025, 3, 9))
        # Read inside the transaction: the ledger sees its own write...
        assert _rows(*selectors.facts_sql(months_of_year(2025)))[2][6] == 1500
        raise RuntimeError
    # ... and after the rollback neither the payment nor its row.
    assert not DuesPayment.objects.exists()
    _assert_ledger_reads_as_the_records(committee, branch_a)
    assert _rows(*selectors.facts_sql(months_of_year(2025)))[2][6] == 0


def test_a_bulk_update_of_bases_marks_its_members(committee, staff, branch_a):
    # The importer's bulk_update sends no post_save: link_bases marks the members itself.
    member = MemberFactory(organization=branch_a, admitted_on=M(2020, 1, 1))
    services.base_set(actor=staff, member=member, start_month=M(2025, 1, 1), base="3000")
    services.base_set(actor=staff, member=member, start_month=M(2025, 7, 1), base="6000")
    _assert_ledger_reads_as_the_records(committee, branch_a)
    DuesBase.objects.filter(member=member, start_month=M(2025, 7, 1)).update(start_month=M(2025, 9, 1))
    link_bases({member.pk})
    _assert_ledger_reads_as_the_records(committee, branch_a)
    due = [row[5] for row in _rows(*selectors.facts_sql(months_of_year(2025)))]
    assert due == [1500] * 8 + [9000] * 4  # 3000 → 15.00 until August, 6000 → 90.00 from September


def test_the_ledger_is_read_when_up_to_date_in_one_query(
    committee, staff, branch_a, django_assert_num_queries
):
    member = MemberFactory(organization=branch_a, admitted_on=M(2020, 1, 1))
    services.base_set(actor=staff, member=member, start_month=M(2025, 1, 1), base="3000")
    ledger.bring_up_to_date([2025])
    with django_assert_num_queries(1):
        ledger.bring_up_to_date([2025])
    ledger.rebuild()
    assert not DuesLedgerMonth.objects.exists()
    _assert_ledger_reads_as_the_records(committee, branch_a)


def test_stale_members_cost_the_same_queries_however_many(committee, staff, branch_a):
    # A write's members are computed again in one statement, whatever their number: the check, the
    # lock, the years held, the marks, the members' months and sums deleted and filled again (with
    # their organizations before and after, whose sums are deleted and filled again), the marks
    # deleted (and the savepoint around them).
    members = [MemberFactory(organization=branch_a, admitted_on=M(2020, 1, 1)) for _ in range(12)]
    for member in members:
        services.base_set(actor=staff, member=member, start_month=M(2025, 1, 1), base="3000")
    ledger.bring_up_to_date([2025, 2026])
    counts = []
    for month, paying in ((M(2025, 5, 1), members[:1]), (M(2025, 6, 1), members)):
        for member in paying:
            services.payment_record(actor=staff, member=member, months=[month], paid_on=M(2025, 6, 9))
        with CaptureQueriesContext(connection) as captured:
            ledger.bring_up_to_date([2025, 2026])
        counts.append(len(captured))
    assert counts == [15, 15]
    _assert_ledger_reads_as_the_records(committee, branch_a)


def test_a_restore_forgets_the_ledger_and_a_migrate_fills_this_year_and_last(committee, staff, branch_a):
    member = MemberFactory(organization=branch_a, admitted_on=M(2020, 1, 1))
    services.base_set(actor=staff, member=member, start_month=M(2025, 1, 1), base="3000")
    ledger.bring_up_to_date([2024, 2025])
    # A restore loads its rows raw (no marks): it forgets what the ledger held.
    backup.restored.send(sender=None, using="default")
    assert not DuesLedgerMonth.objects.exists()
    assert set(DuesLedgerYear.objects.values_list("year", flat=True)) <= {ledger.LOCK_ROW}
    # migrate (a deploy): this year and last are filled then, not in a reader's request.
    call_command("migrate", verbosity=0)
    assert set(DuesLedgerYear.objects.exclude(year=ledger.LOCK_ROW).values_list("year", flat=True)) == {
        2025,
        2026,
    }
    assert DuesLedgerMonth.objects.filter(member=member).count() == 24
    _assert_ledger_reads_as_the_records(committee, branch_a)

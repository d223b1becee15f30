import datetime
import logging

import pytest
from django.contrib.contenttypes.models import ContentType

from jiguan import audit
from jiguan.masking import MaskPersonalDataFilter, mask_id_number, mask_phone, mask_text
from jiguan.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_masks():
    assert mask_id_number("450322197504120111") == "450322********0111"
    assert mask_phone("13877450000") == "138****0000"
    assert (
        mask_text("身份证450322197504120111，电话13877450000") == "身份证450322********0111，电话138****0000"
    )


def test_update_records_who_and_what_changed(staff, branch_a):
    before = audit.snapshot(branch_a)
    branch_a.name = "甲局第一党支部"
    branch_a.save()
    entry = audit.record_update(staff, branch_a, before)
    assert entry.actor == staff and entry.actor_name == "工委干事"
    assert entry.changes == {"name": {"label": "组织名称", "old": "甲局机关党支部", "new": "甲局第一党支部"}}


def test_no_change_records_nothing(staff, branch_a):
    assert audit.record_update(staff, branch_a, audit.snapshot(branch_a)) is None
    assert AuditEntry.objects.count() == 0


def test_sensitive_values_are_masked_in_the_audit(staff, branch_a):
    """The audit masks a model's id_number and phone fields: a member's, stored masked."""
    from tests.factories import MemberFactory, id_number_for

    id_number = id_number_for(datetime.date(1975, 4, 12), "F")
    member = MemberFactory(organization=branch_a, id_number=id_number, phone="13877450000")
    entry = audit.record_create(staff, member)
    assert entry.changes["id_number"]["new"] == mask_id_number(id_number) != id_number
    assert entry.changes["phone"]["new"] == "138****0000"
    assert id_number not in str(entry.changes) and "13877450000" not in str(entry.changes)


def test_log_filter_masks_personal_data():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "导入 %s 失败", ("450322197504120111",), None)
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "导入 450322********0111 失败"


def test_update_is_snapshot_change_clean_save_audit(staff, branch_a):
    """jiguan.audit.update, the one update of the services: it refuses what full_clean refuses,
    writes the changed fields only (another request's change of another field stays) and records."""
    from django.core.exceptions import ValidationError

    from members.models import Member
    from tests.factories import MemberFactory, id_number_for

    member = MemberFactory(organization=branch_a, name="黎秀兰", phone="13877450000")
    Member.objects.filter(pk=member.pk).update(education="大学本科")  # meanwhile, elsewhere
    with pytest.raises(ValidationError) as exc:
        audit.update(staff, member, {"name": "长" * 1000})
    assert "name" in exc.value.message_dict
    assert AuditEntry.objects.count() == 0
    member = Member.objects.get(pk=member.pk)
    stale = Member.objects.get(pk=member.pk)
    Member.objects.filter(pk=member.pk).update(ethnicity="彝族")  # another request after we read
    new_id_number = id_number_for(member.birth_date, member.gender)
    audit.update(staff, stale, {"phone": "08715551234", "id_number": new_id_number})
    stored = Member.objects.get(pk=member.pk)
    assert stored.phone == "08715551234" and stored.ethnicity == "彝族"
    assert Member.objects.matching("id_number", new_id_number).get() == stored  # its blind index too
    [entry] = AuditEntry.objects.all()
    assert set(entry.changes) == {"phone", "id_number"}
    with pytest.raises(ValueError):
        audit.update(staff, stale, {"no_such_field": 1})


def test_bulk_entries_are_those_record_create_writes(staff, branch_a, branch_b):
    """record_bulk_create (imports) writes for every record the entry record_create would: the same
    fields, labels, choice labels, related names, masked personal data, repr and content type."""
    from members.dues.models import DuesPayment
    from tests.factories import MemberFactory, id_number_for

    members = [
        MemberFactory(
            organization=branch_a, id_number=id_number_for(datetime.date(1975, 4, 12), "F"), gender="F",
            phone="13877450000", category="RETIRED",
        ),
        MemberFactory(organization=branch_b, left_on=datetime.date(2024, 3, 1)),
    ]  # fmt: skip
    payments = [
        DuesPayment.objects.create(
            member=member, organization=member.organization, month=datetime.date(2024, 1, 1),
            amount="15.10", paid_on=datetime.date(2024, 1, 20), note="代交" if index else "",
        )
        for index, member in enumerate(members)
    ]  # fmt: skip
    records = [*members, *payments, branch_a]

    def entries():
        return list(
            AuditEntry.objects.order_by("pk").values(
                "actor", "actor_name", "action", "content_type", "object_id", "object_repr", "changes"
            )
        )

    for record in records:
        audit.record_create(staff, record)
    one_by_one = entries()
    AuditEntry.objects.all().delete()
    audit.record_bulk_create(staff, records)
    assert entries() == one_by_one
    assert one_by_one[0]["changes"]["gender"]["new"] == "女"
    assert one_by_one[0]["changes"]["phone"]["new"] == "138****0000"
    assert one_by_one[2]["changes"]["organization"]["new"] == str(branch_a)


def test_bulk_entries_cost_the_same_queries_however_many(staff, branch_a, django_assert_num_queries):
    """The related names are read once each, the entries inserted in batches of 1,000."""
    from members.dues.models import DuesPayment
    from members.models import Member
    from tests.factories import MemberFactory

    member = Member.objects.get(pk=MemberFactory(organization=branch_a).pk)  # organization not read yet
    payments = [
        DuesPayment.objects.create(
            member_id=member.pk, organization_id=branch_a.pk, month=datetime.date(2024, month, 1),
            amount=15, paid_on=datetime.date(2024, month, 20),
        )
        for month in range(1, 13)
    ]  # fmt: skip
    payments = list(DuesPayment.objects.filter(pk__in=[p.pk for p in payments]).select_related("member"))
    ContentType.objects.get_for_model(DuesPayment)  # read once per process
    # The organization's name once; one insert; the member marked stale in the dues ledger
    # (members.dues.ledger, listening to audit.created_in_bulk): one insert.
    with django_assert_num_queries(3):
        audit.record_bulk_create(staff, payments)
    assert AuditEntry.objects.count() == 12

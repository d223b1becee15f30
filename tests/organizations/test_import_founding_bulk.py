"""The 党组织 sheet founds its organizations through organization_found's rules in a batch
(services.FoundingBatch): the same organizations, versions, events and audit as the service row by
row, the same refusals in the same words, and a number of queries that does not grow with the rows."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jiguan.importing import import_workbook
from jiguan.models import AuditEntry
from organizations import services
from organizations.models import Kind, Organization, OrganizationEvent, OrganizationVersion, Unit
from tests.organizations.test_import import GOOD, workbook

pytestmark = pytest.mark.django_db
D = datetime.date


def stored():
    """The tree, its versions, events and audit, as plain values (no keys, no times)."""
    organizations = sorted(
        (o.name, o.kind, o.parent and o.parent.name, o.unit and o.unit.name, o.founded_on, o.name_order)
        for o in Organization.objects.select_related("parent", "unit")
    )
    versions = sorted(
        (v.organization.name, v.name, v.parent and v.parent.name, v.valid_from, v.valid_to,
         v.name_initials, v.name_pinyin, v.name_order)
        for v in OrganizationVersion.objects.select_related("organization", "parent")
    )  # fmt: skip
    events = sorted(
        (
            e.organization.name,
            e.kind,
            e.date,
            e.new_name,
            e.new_parent and e.new_parent.name,
            e.document_number,
        )
        for e in OrganizationEvent.objects.select_related("organization", "new_parent")
    )
    entries = sorted(
        (e.action, e.content_type.model, e.object_repr, repr(sorted(e.changes.items())), e.actor_name)
        for e in AuditEntry.objects.select_related("content_type")
    )
    return organizations, versions, events, entries


def test_the_sheet_stores_what_the_service_stores(staff, committee):
    rows = [row for row in GOOD if not row[5]]  # the dissolution is organization_dissolve's
    with transaction.atomic():
        report = import_workbook(workbook(*rows), actor=staff)
        assert report.ok, [str(e) for e in report.errors]
        imported = stored()
        transaction.set_rollback(True)
    with transaction.atomic():
        unit = services.unit_create(actor=staff, name="县人民法院")
        found = {committee.name: committee}
        for name, kind, parent, unit_name, day in [
            ("中共县人民法院机关党委", Kind.PARTY_COMMITTEE, committee.name, "县人民法院", D(2012, 1, 1)),
            ("法院机关第一党支部", Kind.BRANCH, "中共县人民法院机关党委", "县人民法院", D(2012, 3, 1)),
            ("中共县人民法院机关纪委", Kind.DISCIPLINE_COMMITTEE, "中共县人民法院机关党委", "县人民法院", D(2012, 1, 1)),
            ("法院第一党小组", Kind.PARTY_GROUP, "法院机关第一党支部", None, D(2012, 3, 1)),
        ]:  # fmt: skip
            found[name] = services.organization_found(
                actor=staff,
                kind=kind,
                name=name,
                parent=found[parent],
                unit=unit if unit_name else None,
                founded_on=day,
            )
        assert stored() == imported
        transaction.set_rollback(True)


def test_a_refusal_is_the_services_on_its_row():
    """The second root of a tree that has none yet: refused as organization_found refuses it once
    the first is founded, though neither is stored before the batch stores them."""
    report = import_workbook(
        workbook(
            ("甲县直机关工委", "机关工委", "", "", "2000-01-01", None),
            ("乙县直机关工委", "机关工委", "", "", "2001-01-01", None),
        )
    )
    assert [(e.sheet, e.row, e.column, e.message) for e in report.errors] == [
        ("党组织", 3, "组织类别", "已有一个机关工委，组织树只能有一个根。")
    ]
    assert not Organization.objects.exists()


def test_the_queries_do_not_grow_with_the_rows(staff, committee):
    counts = []
    for size in (3, 12):
        party = f"第{size}机关党委"
        rows = [(party, "机关党委", committee.name, f"单位{size}", "2010-01-01", None)]
        rows += [
            (f"第{size}-{i}支部", "党支部", party, f"单位{size}", "2011-01-01", None) for i in range(size)
        ]
        with CaptureQueriesContext(connection) as queries:
            report = import_workbook(workbook(*rows), actor=staff)
        assert report.ok, [str(e) for e in report.errors]
        assert report.results["党组织"].created == size + 1
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert Unit.objects.count() == 2

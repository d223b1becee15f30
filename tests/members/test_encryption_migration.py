"""An installation from before encryption: its plain ID and phone numbers are normalised, encrypted
and hashed by the migration; two rows holding one number in two typings both survive."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jiguan import crypto
from members.models import Member
from tests.factories import id_number_for

BEFORE = [("members", "0004_chinese_field_labels")]
# Through the encryption (0005) to the latest migrations of every app: the current models need
# their tables and columns (a member's deletion checks the dues tables and the appraisal grades of
# activities/evaluations); a migration added later is included without naming it here.


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


D = datetime.date


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_plain_numbers_of_an_existing_installation_are_encrypted(branch_a):
    old_apps = _migrate(BEFORE)
    OldMember = old_apps.get_model("members", "Member")
    id_number = id_number_for(D(1970, 3, 8), "F")
    full_width = id_number[:-1].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}) + id_number[-1]
    common = dict(gender="F", birth_date=D(1970, 3, 8), organization_id=branch_a.pk, category="IN_SERVICE",
                  status="FULL", admitted_on=D(1995, 7, 1), confirmed_on=D(1996, 7, 1))  # fmt: skip
    first = OldMember.objects.create(name="莫秀英", id_number=id_number, phone="138 7745 0000", **common)
    second = OldMember.objects.create(name="莫秀英（重复）", id_number=full_width, **common)

    _migrate(_latest())

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, id_number, id_number_hash, phone FROM members_member ORDER BY id")
        rows = cursor.fetchall()
    assert all(row[1].startswith(crypto.TOKEN_PREFIX) for row in rows)
    assert id_number not in str(rows) and "7745" not in str(rows)
    assert [row[2] is None for row in rows] == [False, True]  # the later duplicate has no hash
    assert Member.objects.get(pk=first.pk).phone == "13877450000"
    assert Member.objects.get(pk=second.pk).id_number == id_number
    assert list(Member.objects.matching("id_number", id_number)) == [Member.objects.get(pk=first.pk)]

    Member.objects.filter(pk=second.pk).delete()  # corrected by staff
    _migrate(BEFORE)  # and back: the plain values return
    assert OldMember.objects.get(pk=first.pk).id_number == id_number
    _migrate(_latest())

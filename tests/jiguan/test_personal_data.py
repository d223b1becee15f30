"""ID and phone numbers at rest: encrypted in the table, found by their keyed hash, one number
however it is typed, readable after a key rotation, and the local files private."""

import datetime
import io
import os
import stat

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from jiguan import crypto
from jiguan.importing import import_workbook
from jiguan.numbers import normalize_number
from members import services
from members.models import Member, Prospect
from tests.factories import id_number_for

D = datetime.date
ID_NUMBER = id_number_for(D(1975, 4, 12), "M")
PHONE = "13877450123"
FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789X"}  # "4503…" -> "４５０３…"


def _create(branch, actor, id_number=ID_NUMBER, phone=PHONE):
    return services.member_create(
        actor=actor,
        organization=branch,
        name="覃志强",
        gender="M",
        id_number=id_number,
        admitted_on=D(2000, 7, 1),
        confirmed_on=D(2001, 7, 1),
        phone=phone,
    )


def _raw_rows(model):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, id_number_hash, phone FROM {table}")
        return cursor.fetchall()


def test_normalize_number_makes_one_number_of_every_typing():
    assert normalize_number(ID_NUMBER.translate(FULL_WIDTH)) == ID_NUMBER
    assert normalize_number(" 450322 1975\u30000412\u200b011x\n") == "450322197504120111"[:17] + "X"
    assert normalize_number("１３８－７７４５－０１２３") == "138-7745-0123"
    assert normalize_number(None) == ""


def test_the_table_holds_no_id_or_phone_number_in_clear(staff, branch_a):
    member = _create(branch_a, staff)
    services.prospect_create(
        actor=staff,
        organization=branch_a,
        name="黄丽",
        gender="F",
        id_number=id_number_for(D(1998, 1, 2), "F"),
        applied_on=D(2025, 3, 1),
        phone="13900001111",
    )
    for model in (Member, Prospect):
        [(id_number, digest, phone)] = _raw_rows(model)
        assert id_number.startswith(crypto.TOKEN_PREFIX) and phone.startswith(crypto.TOKEN_PREFIX)
        assert len(digest) == 64
    dump = str(_raw_rows(Member)) + str(_raw_rows(Prospect))
    for clear in (ID_NUMBER, ID_NUMBER[6:14], PHONE, "13900001111"):
        assert clear not in dump
    member.refresh_from_db()
    assert (member.id_number, member.phone) == (ID_NUMBER, PHONE)


def test_an_encrypted_column_refuses_a_lookup_that_would_find_nothing(staff, branch_a):
    from django.core.exceptions import FieldError

    _create(branch_a, staff)
    with pytest.raises(FieldError, match="matching"):
        Member.objects.filter(id_number=ID_NUMBER).exists()
    assert Member.objects.matching("id_number", ID_NUMBER.lower()).count() == 1


def test_a_full_width_id_number_does_not_register_a_second_member(staff, branch_a, staff_client):
    _create(branch_a, staff)
    response = staff_client.post(
        reverse("members:create"),
        {
            "name": "覃志强",
            "gender": "M",
            "id_number": ID_NUMBER.translate(FULL_WIDTH),
            "organization": branch_a.pk,
            "category": "IN_SERVICE",
            "admitted_on": "2000-07-01",
            "confirmed_on": "2001-07-01",
        },
    )
    assert response.status_code == 200
    assert "该公民身份号码已登记在党员名册中。" in response.content.decode()
    assert Member.objects.count() == 1


def test_a_full_width_id_number_in_the_import_is_the_member_on_file(staff, branch_a):
    _create(branch_a, staff)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员"
    sheet.append(["姓名", "性别", "公民身份号码", "所在党组织", "人员类别", "党员类别", "入党日期", "转正日期",
                  "联系电话"])  # fmt: skip
    sheet.append(["覃志强", "男", ID_NUMBER.translate(FULL_WIDTH), branch_a.name, "在职", "正式党员",
                  "2000-07-01", "2001-07-01", "１３８ ７７４５ ０１２３"])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    report = import_workbook(buffer, actor=staff)
    assert report.ok, [str(e) for e in report.errors]
    assert report.results["党员"].created == 0 and report.results["党员"].unchanged == 1
    assert Member.objects.count() == 1


def test_a_phone_number_is_stored_normalised(staff, branch_a):
    member = _create(branch_a, staff, phone="１３８ ７７４５ ０１２３")
    member.refresh_from_db()
    assert member.phone == PHONE


def test_staff_search_the_roster_by_id_number_however_typed(staff, branch_a, staff_client):
    member = _create(branch_a, staff)
    typed = " ".join([ID_NUMBER[:6], ID_NUMBER[6:14], ID_NUMBER[14:]]).translate(FULL_WIDTH)
    page = staff_client.get(reverse("members:roster"), {"id_number": typed}).content.decode()
    assert member.name in page and ID_NUMBER in page
    page = staff_client.get(reverse("members:roster"), {"id_number": id_number_for(D(1975, 1, 1))})
    assert member.name not in page.content.decode()


def test_the_roster_masks_id_numbers_for_a_secretary_who_sees_their_members_phones(
    staff, branch_a, secretary_client
):
    _create(branch_a, staff)
    page = secretary_client.get(reverse("members:roster")).content.decode()
    assert ID_NUMBER[:6] + "********" + ID_NUMBER[-4:] in page
    assert ID_NUMBER not in page
    assert PHONE in page  # they must call their members (issue 10)


def test_a_rotated_key_reads_old_rows_and_the_command_moves_them_to_the_new_key(staff, branch_a, settings):
    old, new = crypto.new_key(), crypto.new_key()
    settings.DATA_KEYS = [old]
    member = _create(branch_a, staff)
    [(token_before, hash_before, _)] = _raw_rows(Member)

    settings.DATA_KEYS = [new, old]  # the new key first; the old one still reads
    assert Member.objects.get().id_number == ID_NUMBER
    assert Member.objects.matching("id_number", ID_NUMBER).get() == member  # by the old key's hash
    call_command("rotate_data_key", stdout=io.StringIO())
    [(token_after, hash_after, _)] = _raw_rows(Member)
    assert token_after != token_before and hash_after != hash_before

    settings.DATA_KEYS = [new]  # the old key dropped
    assert Member.objects.get().id_number == ID_NUMBER
    assert Member.objects.matching("id_number", ID_NUMBER).get() == member
    with pytest.raises(ValidationError) as exc:
        _create(branch_a, staff)
    assert exc.value.message_dict["id_number"] == [services.DUPLICATE_MEMBER]

    settings.DATA_KEYS = [crypto.new_key()]  # a key the data was never written with
    with pytest.raises(crypto.UndecryptableValue):
        Member.objects.get()


def test_a_dump_holds_tokens_and_loads_back_to_the_numbers(staff, branch_a):
    member = _create(branch_a, staff)
    dump = serializers.serialize("json", Member.objects.all())
    assert ID_NUMBER not in dump and PHONE not in dump
    [loaded] = serializers.deserialize("json", dump)
    assert (loaded.object.id_number, loaded.object.phone) == (member.id_number, PHONE)


def test_var_and_the_sqlite_file_are_the_owners_alone(settings, tmp_path):
    from jiguan.settings import _private_dir, _private_file

    assert stat.S_IMODE(os.stat(settings.VAR_DIR).st_mode) == 0o700
    for name in ("secret_key", "data_key"):
        assert stat.S_IMODE(os.stat(settings.VAR_DIR / name).st_mode) == 0o600
    database = tmp_path / "var" / "jiguan.sqlite3"
    _private_file(database)
    assert stat.S_IMODE(os.stat(database).st_mode) == 0o600
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    _private_dir(loose)
    assert stat.S_IMODE(os.stat(loose).st_mode) == 0o700
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600


def test_the_deploy_check_warns_of_files_open_to_others(settings, tmp_path):
    from jiguan.checks import private_files

    settings.VAR_DIR = tmp_path
    (tmp_path / "data_key").write_text("x")
    (tmp_path / "data_key").chmod(0o644)
    tmp_path.chmod(0o700)
    assert [w.id for w in private_files(None)] == ["jiguan.W001"]
    (tmp_path / "data_key").chmod(0o600)
    assert private_files(None) == []

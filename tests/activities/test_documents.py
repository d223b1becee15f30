"""Document numbers per GB/T 9704: prefix〔year〕serial号, assigned by the system, unique per prefix
and year even when two staff issue at the same moment."""

import datetime
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from activities import services
from activities.models import Document, DocumentKind
from activities.services import documents
from tests.activities.helpers import PDF_BYTES, stored_files, upload


def issue(actor, issuer, day=datetime.date(2025, 3, 1), prefix="党工通", **kwargs):
    return services.document_issue(
        actor=actor,
        issuer=issuer,
        prefix=prefix,
        kind=kwargs.pop("kind", DocumentKind.NOTICE),
        title=kwargs.pop("title", "关于开展主题党日活动的通知"),
        issued_on=day,
        **kwargs,
    )


def test_the_number_follows_gb_t_9704(committee, staff):
    numbers = [issue(staff, committee).number for _ in range(12)]
    assert numbers[0] == "党工通〔2025〕1号"
    assert numbers[11] == "党工通〔2025〕12号"  # no leading zeros, no 第
    assert all(re.fullmatch(r"党工通〔2025〕[1-9]\d*号", n) for n in numbers)


def test_serials_count_per_prefix_and_year(committee, staff):
    issue(staff, committee)
    issue(staff, committee)
    assert issue(staff, committee, prefix="党工提").number == "党工提〔2025〕1号"
    assert issue(staff, committee, day=datetime.date(2026, 1, 5)).number == "党工通〔2026〕1号"
    assert issue(staff, committee).number == "党工通〔2025〕3号"


def test_a_gap_is_not_filled_the_next_is_max_plus_one(committee, staff):
    first = issue(staff, committee)
    Document.objects.filter(pk=first.pk).update(serial=7)
    assert issue(staff, committee).serial == 8


def test_an_empty_prefix_names_the_field(committee, staff):
    with pytest.raises(ValidationError) as exc:
        issue(staff, committee, prefix=" ")
    assert "prefix" in exc.value.message_dict
    assert Document.objects.count() == 0


def test_the_file_is_attached_and_checked(committee, staff, media_root):
    document = issue(staff, committee, file=upload("通知.pdf", PDF_BYTES))
    assert document.file.name.endswith(".pdf")
    with pytest.raises(ValidationError) as exc:
        issue(staff, committee, file=upload("通知.pdf", b"not a pdf"))
    assert "file" in exc.value.message_dict
    assert len(stored_files(media_root)) == 1


def test_a_taken_number_is_refused_by_the_database(committee, staff):
    taken = issue(staff, committee)
    duplicate = Document(
        issuer=committee,
        prefix=taken.prefix,
        year=taken.year,
        serial=taken.serial,
        kind=DocumentKind.NOTICE,
        title="重复",
        issued_on=taken.issued_on,
    )
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "该文号已被占用。" in str(exc.value)


@pytest.mark.django_db(transaction=True)
def test_two_staff_issuing_at_the_same_moment_get_two_numbers(committee, staff, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier = threading.Barrier(2, timeout=10)
    original = documents.next_serial
    waited = set()
    calls = []

    def next_serial_after_both_read(**kwargs):
        serial = original(**kwargs)
        calls.append(serial)
        name = threading.current_thread().name
        if name not in waited:  # both threads read the same max before either inserts
            waited.add(name)
            barrier.wait()
        return serial

    monkeypatch.setattr(documents, "next_serial", next_serial_after_both_read)
    results, errors = [], []

    def work():
        try:
            results.append(issue(staff, committee).number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, name=f"staff-{i}") for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(results) == ["党工通〔2025〕1号", "党工通〔2025〕2号"]
    assert calls == [1, 1, 2]  # both read 1; the loser's insert failed and it took 2


def test_the_document_list_filters_by_kind_and_exports_to_excel(committee, staff, staff_client):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    issue(staff, committee, kind=DocumentKind.REGULATION, title="党支部工作制度")
    issue(staff, committee, kind=DocumentKind.NOTICE, title="关于开展主题党日的通知")
    url = reverse("activities:documents")

    page = staff_client.get(url, {"kind": DocumentKind.REGULATION}).content.decode()
    assert "党支部工作制度" in page and "关于开展主题党日的通知" not in page

    response = staff_client.get(url, {"kind": DocumentKind.NOTICE, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "关于开展主题党日的通知" in rows[1]


def test_a_prefix_typed_with_full_width_spaces_continues_the_same_series(committee, staff):
    issue(staff, committee)
    assert issue(staff, committee, prefix="党工\u3000通").number == "党工通〔2025〕2号"

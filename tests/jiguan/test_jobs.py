"""Background jobs (issue 15, jiguan.jobs): a workbook too large for the upload page is checked and
then imported as jobs; the national roster compared; every organization's annual summary zipped;
the page of past jobs (who, what, when, result, the file). Tests run jobs at once (conftest)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiguan import importing_web, jobs
from jiguan.models import Job, JobStatus
from jiguan.xlsx_reader import Limits
from members.models import Member
from tests.factories import MemberFactory, id_number_for
from tests.jiguan.test_importing import workbook_bytes

pytestmark = pytest.mark.django_db

MEMBER_HEADER = ["姓名", "性别", "公民身份号码", "所在党组织", "人员类别", "党员类别", "入党日期", "转正日期"]


def members_workbook(branch, count):
    import datetime

    rows = [MEMBER_HEADER] + [
        [f"党员{i}", "男", id_number_for(datetime.date(1980, 1, 1), "M"), branch.name, "在职", "正式党员",
         "2005-07-01", "2006-07-01"]
        for i in range(count)
    ]  # fmt: skip
    return workbook_bytes({"党员": rows}).getvalue()


@pytest.fixture
def small_web_limit(monkeypatch):
    """The upload page takes 5 rows: a workbook of more is a large one."""
    monkeypatch.setattr(importing_web, "WEB_LIMITS", Limits(rows=5, advice="（测试）"))


def test_a_workbook_too_large_for_the_page_is_checked_then_imported_in_the_background(
    small_web_limit, branch_a, staff, staff_client
):
    upload = SimpleUploadedFile("county.xlsx", members_workbook(branch_a, 12))
    response = staff_client.post(reverse("import_workbook"), {"file": upload})
    check = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job", args=[check.pk])
    assert (check.kind, check.status, check.created_by, check.input_name) == (
        "import_check",
        "DONE",
        staff,
        "county.xlsx",
    )
    assert Member.objects.count() == 0  # checked, nothing stored
    html = staff_client.get(response.url).content.decode()
    assert "检查通过" in html and "党员：新增 12 条" in html and 'id="import-confirm"' in html
    assert 'http-equiv="refresh"' not in html  # finished: the page stops refreshing

    response = staff_client.post(reverse("import_job_confirm", args=[check.pk]))
    store = Job.objects.exclude(pk=check.pk).get()
    assert response.url == reverse("job", args=[store.pk])
    assert (store.kind, store.status) == ("import_store", JobStatus.DONE)
    assert store.message == "导入完成：党员新增12条、更新0条、未变0条。"
    assert Member.objects.count() == 12
    html = staff_client.get(response.url).content.decode()
    assert "导入完成" in html and 'aria-valuenow="100"' in html
    # Confirmed once: a second confirmation imports nothing more.
    staff_client.post(reverse("import_job_confirm", args=[check.pk]))
    assert Job.objects.count() == 2

    listing = staff_client.get(reverse("jobs")).content.decode()
    assert "检查工作簿 county.xlsx" in listing and "导入工作簿 county.xlsx" in listing
    assert "工委干事" in listing and "导入完成：党员新增12条" in listing


def test_a_large_workbook_with_a_wrong_row_is_reported_by_its_job_and_stores_nothing(
    small_web_limit, branch_a, staff_client
):
    data = members_workbook(branch_a, 8)
    rows = [
        MEMBER_HEADER,
        ["坏人", "男", "123", branch_a.name, "在职", "正式党员", "2005-07-01", "2006-07-01"],
    ]
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    book["党员"].append(rows[1])
    out = io.BytesIO()
    book.save(out)
    response = staff_client.post(
        reverse("import_workbook"), {"file": SimpleUploadedFile("bad.xlsx", out.getvalue())}
    )
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and job.message == "发现1处错误，未导入任何数据。"
    html = staff_client.get(response.url).content.decode()
    assert "“公民身份号码”" in html or "公民身份号码" in html
    assert 'id="import-confirm"' not in html
    assert staff_client.post(reverse("import_job_confirm", args=[job.pk])).status_code == 403
    assert Member.objects.count() == 0


def test_a_job_is_seen_by_its_author_and_staff_only(branch_a, staff, secretary, secretary_client):
    from django.test import Client

    job = Job.objects.create(kind="import_check", title="检查工作簿", created_by=staff, status=JobStatus.DONE)
    staff_client = Client()
    staff_client.force_login(staff)
    assert staff_client.get(reverse("job", args=[job.pk])).status_code == 200
    assert secretary_client.get(reverse("job", args=[job.pk])).status_code == 404
    assert "检查工作簿" not in secretary_client.get(reverse("jobs")).content.decode()


def test_a_job_that_breaks_says_so_and_the_worker_goes_on(staff):
    def broken(job, progress):
        raise RuntimeError("boom")

    jobs.register("broken", broken)
    job = jobs.start("broken", title="坏任务", actor=staff)
    assert job.status == JobStatus.FAILED and "未完成" in job.message


def test_the_progress_is_read_from_the_running_job(staff):
    seen = []

    def slow(job, progress):
        progress(3, 10, "第3步")
        seen.append(jobs.progress_of(Job.objects.get(pk=job.pk)))
        return jobs.Outcome(message="好了")

    jobs.register("slow", slow)
    jobs.PROGRESS_EVERY_SECONDS, before = 0, jobs.PROGRESS_EVERY_SECONDS
    try:
        jobs.start("slow", title="慢任务", actor=staff)
    finally:
        jobs.PROGRESS_EVERY_SECONDS = before
    assert seen == [{"done": 3, "total": 10, "text": "第3步", "percent": 30}]


def test_the_reconciliation_runs_as_a_job_and_its_page_applies_what_staff_tick(branch_a, staff, staff_client):
    kept = MemberFactory(name="甲", organization=branch_a, residence="城东")
    rows = [["姓名", "身份证号码", "现居住地", "学位"], ["甲", kept.id_number, "城西", "硕士"]]
    upload = SimpleUploadedFile("national.xlsx", workbook_bytes({"Sheet1": rows}).getvalue())
    response = staff_client.post(reverse("members:reconcile"), {"file": upload})
    job = Job.objects.get(kind="reconcile")
    assert response.url == reverse("job", args=[job.pk])
    assert job.message == "全国系统名册1人：只在全国系统中0人，只在本系统中0人，信息不一致2项。"
    html = staff_client.get(response.url).content.decode()
    assert 'id="reconcile-differences"' in html and "城西" in html
    key = next(d["key"] for d in job.result["differences"] if d["column"] == "现居住地")
    response = staff_client.post(
        reverse("members:reconcile_apply", args=[job.pk]), {"difference": [key]}, follow=True
    )
    assert "已按全国党员管理系统名册更新1项信息" in response.content.decode()
    kept.refresh_from_db()
    assert (kept.residence, kept.degree) == ("城西", "")
    assert "已更新" in response.content.decode()


def test_every_organizations_summary_as_one_zip(committee, branch_a, branch_b, staff, staff_client):
    response = staff_client.post(reverse("reports:summaries_zip"), {"year": 2025, "format": "xlsx"})
    job = Job.objects.get()
    assert response.url == reverse("job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.message == "已生成3个党组织的2025年工作总结（Excel）。"
    download = staff_client.get(reverse("job_file", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = [name.split("-", 1)[1] for name in archive.namelist()]
    assert names[0] == f"{committee.name}2025年工作总结.xlsx"  # the committee first
    assert sorted(names[1:]) == sorted(f"{b.name}2025年工作总结.xlsx" for b in (branch_a, branch_b))
    assert all(archive.read(name).startswith(b"PK") for name in archive.namelist())  # each a workbook
    assert staff_client.post(reverse("reports:summaries_zip"), {"year": 1800}).status_code == 302
    assert Job.objects.count() == 1


def test_only_staff_zip_every_summary(client, secretary, leader):
    url = reverse("reports:summaries_zip")
    assert client.post(url, {"year": 2025}).url.startswith("/login/")
    for user in (secretary, leader):
        client.force_login(user)
        assert client.post(url, {"year": 2025}).status_code == 403
    assert not Job.objects.exists()

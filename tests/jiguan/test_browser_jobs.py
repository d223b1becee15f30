"""Issue 15, done when: a large workbook is uploaded, the user leaves the page, comes back and sees
the job finish with its progress. The jobs go through the database backend here (queued, as in
production) and a worker runs them in a thread while the browser looks on."""

import threading

import pytest

from jiguan import importing_web
from jiguan.models import Job
from jiguan.xlsx_reader import Limits
from members.models import Member
from tests.jiguan.test_jobs import members_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker():
    """What `manage.py db_worker --batch` does, in a thread (no signal handlers there)."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    def work():
        try:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="browser-test",
                excluded_queue_names=[],
            ).run()
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_a_large_workbook_imports_in_the_background_while_the_user_is_elsewhere(
    page, staff, branch_a, signed_in, settings, monkeypatch, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(importing_web, "WEB_LIMITS", Limits(rows=20, advice="（测试）"))
    workbook = tmp_path / "large.xlsx"
    workbook.write_bytes(members_workbook(branch_a, 60))

    signed_in(page, "staff")
    page.goto("/import/")
    page.set_input_files("input[type=file]", str(workbook))
    with page.expect_navigation():
        page.click("button:has-text('检查并预览')")
    # Too large for the page: a job, queued, with its progress bar.
    page.wait_for_selector("#job-progress")
    assert page.inner_text("#job-status").startswith("等待中")
    assert page.get_attribute(".progress", "aria-valuenow") == "0"
    page.screenshot(path=str(tmp_path / "job-queued.png"))

    page.goto("/")  # the user leaves; a worker takes the job meanwhile
    run_worker().join(timeout=60)
    page.goto("/import/")
    page.click("#job-link")  # 后台任务
    page.click("text=检查工作簿")
    page.wait_for_selector("#import-confirm")
    assert page.inner_text("#job-status").startswith("已完成")
    assert page.get_attribute(".progress", "aria-valuenow") == "100"
    assert "党员：新增 60 条" in page.inner_text("#import-preview")

    page.click("#import-confirm")  # the import itself, queued in turn
    page.wait_for_selector("#job-progress[data-status=QUEUED]")
    worker = run_worker()
    # The page refreshes itself until the job is done.
    page.wait_for_selector("#job-progress[data-status=DONE]", timeout=60000)
    worker.join(timeout=60)
    assert "导入完成：党员新增60条" in page.inner_text("#job-message")
    assert page.get_attribute(".progress", "aria-valuenow") == "100"
    page.screenshot(path=str(tmp_path / "job-done.png"), full_page=True)
    assert Member.objects.count() == 60
    assert [job.status for job in Job.objects.order_by("pk")] == ["DONE", "DONE"]

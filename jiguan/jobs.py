"""Long work in the background: Django's tasks framework (the `django-tasks` backport), one task
(`run_job`) that runs a registered kind of job with a progress the user can leave and come back to.

A kind is registered by the app that owns the work (from its AppConfig.ready):

    jobs.register("reconcile", reconcile_job, result_template="members/reconcile_result.html")

    def reconcile_job(job, progress) -> Outcome:
        progress(done, total, "正在比对…")         # as often as it likes: written at most twice a second
        return Outcome(message="…", result={...}, output=(bytes, "名称.zip"))

`start(kind, ...)` records the Job (jiguan.models.Job: who, what, when), keeps its upload under
var/jobs/<id>/ and enqueues the task. The backend is settings.TASKS: the database backend by default
(`manage.py db_worker` runs the jobs; `make run` starts one beside the server), the immediate one in
tests. The progress is a small file beside the job's files, not a row: an import runs in one
transaction, and what it writes is seen by no other connection before it ends. A job's files are
removed JOB_FILES_DAYS after it was asked for (the Job row stays, as the page of past jobs).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import os
import shutil
import time
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from jiguan.models import Job, JobStatus

logger = logging.getLogger(__name__)
JOBS_DIR = settings.VAR_DIR / "jobs"
JOB_FILES_DAYS = 7
PROGRESS_EVERY_SECONDS = 0.5


@dataclasses.dataclass
class Outcome:
    message: str  # one sentence for the list of past jobs
    result: dict | None = None  # what the job's page shows (the kind's result template)
    # A file to download: (content, file name), or (None, file name) for a runner that wrote it to
    # output_path(job) itself (a zip too big to hold in memory).
    output: tuple[bytes | None, str] | None = None
    failed: bool = False  # the work was refused (e.g. a wrong row): said, not crashed


@dataclasses.dataclass(frozen=True)
class Kind:
    function: Callable
    result_template: str = ""


_kinds: dict[str, Kind] = {}


def register(kind: str, function: Callable, *, result_template: str = ""):
    """Add a kind of job (from the owning app's AppConfig.ready)."""
    _kinds[kind] = Kind(function, result_template)


def kind_of(job: Job) -> Kind | None:
    return _kinds.get(job.kind)


def folder(job: Job):
    return JOBS_DIR / str(job.pk)


def input_path(job: Job):
    return folder(job) / "input"


def output_path(job: Job):
    return folder(job) / "output"


def start(kind: str, *, title: str, actor=None, upload=None, path=None, arguments=None) -> Job:
    """Record a job of `kind`, keep its input (an uploaded file, or a file at `path`, moved), and
    enqueue it. Answers the Job; with the immediate backend it has run already."""
    if kind not in _kinds:
        raise ValueError(f"unknown job kind {kind!r}")
    _remove_old_files()
    job = Job.objects.create(
        kind=kind,
        title=title,
        created_by=actor if actor is not None and actor.pk else None,
        arguments=arguments or {},
        input_name=(getattr(upload, "name", "") or "")[:200],
    )
    os.makedirs(folder(job), mode=0o700, exist_ok=True)
    if upload is not None:
        with open(input_path(job), "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    elif path is not None:
        shutil.copyfile(path, input_path(job))
    run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


class Progress:
    """Where a running job says how far it is: (done, total, text), written to a file at most twice
    a second (and always at 0 and at the end)."""

    def __init__(self, job: Job):
        self.path = folder(job) / "progress.json"
        self.last = 0.0

    def __call__(self, done: int, total: int, text: str = ""):
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY_SECONDS and 0 < done < total:
            return
        self.last = now
        draft = self.path.with_suffix(".tmp")
        draft.write_text(json.dumps({"done": done, "total": total, "text": text}, ensure_ascii=False))
        os.replace(draft, self.path)


def progress_of(job: Job) -> dict:
    """{"done", "total", "text", "percent"} of a job as it last said it."""
    try:
        data = json.loads((folder(job) / "progress.json").read_text())
    except (OSError, ValueError):
        data = {"done": 0, "total": 0, "text": ""}
    if job.status == JobStatus.DONE:
        data["done"] = data["total"] = max(data.get("total") or 1, 1)
    total = data.get("total") or 0
    data["percent"] = int(100 * data.get("done", 0) / total) if total else 0
    return data


@task()
def run_job(job_id: int):
    """The one task: run the job's kind, record how it went."""
    job = Job.objects.get(pk=job_id)
    kind = kind_of(job)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    progress = Progress(job)
    progress(0, 1, "开始")
    try:
        outcome = kind.function(job, progress)
    except Exception:  # noqa: BLE001 - whatever broke, the job says so and the worker goes on
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message="任务运行出错，未完成；请稍后重试，或联系系统管理员查看服务器日志。",
        )
        return
    output_name = ""
    if outcome.output is not None:
        content, output_name = outcome.output
        if content is not None:
            output_path(job).write_bytes(content)
    progress(1, 1, "完成")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED if outcome.failed else JobStatus.DONE,
        finished_at=timezone.now(),
        message=outcome.message[:500],
        result=outcome.result,
        output_name=output_name[:200],
    )


def files_kept(job: Job) -> bool:
    return folder(job).exists()


def _remove_old_files():
    """Remove the files of jobs asked for more than JOB_FILES_DAYS ago."""
    cutoff = timezone.now() - datetime.timedelta(days=JOB_FILES_DAYS)
    for job_id in Job.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True):
        path = JOBS_DIR / str(job_id)
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)

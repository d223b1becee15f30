"""A workbook too large for the upload page imported as background jobs (jiguan.jobs), as the page
does it: first the check (a dry run: every row, the preview, the doubts to confirm), then, once the
user confirms on the job's page, the import. Both read up to the command's limits
(importing.COMMAND_LIMITS); the job's page shows the same report as the upload page."""

from __future__ import annotations

import dataclasses

from jiguan import jobs
from jiguan.importing import (
    COMMAND_LIMITS,
    ImportReport,
    RowError,
    SheetPreview,
    SheetResult,
    import_workbook,
)

CHECK = "import_check"
STORE = "import_store"
# The errors a job keeps for its page (the count is kept too): a workbook may have thousands.
MAX_ERRORS = 1000


def report_to_dict(report: ImportReport, **extra) -> dict:
    return {
        "errors": [dataclasses.asdict(e) for e in report.errors[:MAX_ERRORS]],
        "error_count": len(report.errors),
        "results": {sheet: dataclasses.asdict(r) for sheet, r in report.results.items()},
        "stored": report.stored,
        "sheets": report.sheets,
        "previews": {
            sheet: {"columns": p.columns, "rows": [[n, cells] for n, cells in p.rows], "total": p.total}
            for sheet, p in report.previews.items()
        },
        "notes": report.notes,
        "ignored_sheets": report.ignored_sheets,
        **extra,
    }


def report_from_dict(data: dict) -> ImportReport:
    return ImportReport(
        errors=[RowError(**e) for e in data["errors"]],
        results={sheet: SheetResult(**r) for sheet, r in data["results"].items()},
        stored=data["stored"],
        sheets=data["sheets"],
        previews={
            sheet: SheetPreview(p["columns"], [tuple(row) for row in p["rows"]], p["total"])
            for sheet, p in data["previews"].items()
        },
        notes=data["notes"],
        ignored_sheets=data["ignored_sheets"],
    )


def _summary(report: ImportReport) -> str:
    return "；".join(
        f"{s}新增{r.created}条、更新{r.updated}条、未变{r.unchanged}条" for s, r in report.results.items()
    )


def check_job(job, progress) -> jobs.Outcome:
    """The dry run of the page, on the whole file; near-identical names and unknown columns are
    checked again as confirmed, so the page can offer the confirmation."""
    with open(jobs.input_path(job), "rb") as file:
        report = import_workbook(
            file, actor=job.created_by, dry_run=True, limits=COMMAND_LIMITS, progress=progress
        )
    doubts = [e for e in report.errors if e.confirmable]
    if doubts:
        with open(jobs.input_path(job), "rb") as file:
            confirmed = import_workbook(
                file,
                actor=job.created_by,
                dry_run=True,
                limits=COMMAND_LIMITS,
                accept_similar=True,
                progress=progress,
            )
        if confirmed.ok:
            report = confirmed
    doubts = [dataclasses.asdict(e) for e in doubts]
    if not report.ok:
        message = report.file_error or f"发现{len(report.errors)}处错误，未导入任何数据。"
        return jobs.Outcome(message=message, result=report_to_dict(report, doubts=doubts), failed=True)
    return jobs.Outcome(
        message=f"检查通过，待确认导入：{_summary(report)}。", result=report_to_dict(report, doubts=doubts)
    )


def store_job(job, progress) -> jobs.Outcome:
    with open(jobs.input_path(job), "rb") as file:
        report = import_workbook(
            file,
            actor=job.created_by,
            limits=COMMAND_LIMITS,
            accept_similar=job.arguments.get("accept_similar", False),
            progress=progress,
        )
    if not report.ok:
        message = report.file_error or f"发现{len(report.errors)}处错误，未导入任何数据。"
        return jobs.Outcome(message=message, result=report_to_dict(report), failed=True)
    message = f"导入完成：{_summary(report)}。"
    if report.ignored_sheets:
        message += report.ignored_note
    return jobs.Outcome(message=message, result=report_to_dict(report))


def register():
    jobs.register(CHECK, check_job, result_template="jiguan/_import_job_result.html")
    jobs.register(STORE, store_job, result_template="jiguan/_import_job_result.html")

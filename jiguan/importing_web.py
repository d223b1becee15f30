"""The upload page of the workbook import: preview first, store on confirmation."""

import time
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from jiguan import importing_jobs, jobs
from jiguan.forms import Form
from jiguan.importing import WEB_LIMITS, import_workbook
from jiguan.models import Job
from jiguan.web import XLSX_CONTENT_TYPE, file_response
from jiguan.workbook_template import guide, template_xlsx

PENDING_DIR = settings.VAR_DIR / "imports"
SESSION_KEY = "pending_import"
# A preview never confirmed leaves its file behind; files older than this are removed.
PENDING_MAX_AGE_SECONDS = 24 * 3600


class UploadForm(Form):
    file = forms.FileField(
        label="工作簿（.xlsx）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传.xlsx格式的工作簿。")
        if file.size > 20 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过20MB。")
        return file


def _remove_abandoned_previews():
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for path in PENDING_DIR.glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _pending_path(token):
    return PENDING_DIR / f"{uuid.UUID(token)}.xlsx"


def pending_path(token):
    """The file kept for `token` (keep_upload), or None for a token that is no UUID."""
    try:
        return _pending_path(token)
    except (ValueError, TypeError, AttributeError):
        return None


def keep_upload(upload) -> str:
    """Keep an uploaded workbook until it is confirmed (or abandoned: removed after a day)."""
    PENDING_DIR.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_previews()
    token = str(uuid.uuid4())
    with open(_pending_path(token), "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token


def handle(request):
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.pop(SESSION_KEY, None)
        token, accept_similar = pending if isinstance(pending, list) else (pending, False)
        if not token or token != request.POST.get("confirm"):
            messages.error(request, "导入已过期，请重新上传。")
            return redirect("import_workbook")
        path = _pending_path(token)
        try:
            with open(path, "rb") as file:
                report = import_workbook(
                    file, actor=request.user, limits=WEB_LIMITS, accept_similar=accept_similar
                )
        except FileNotFoundError:
            messages.error(request, "导入已过期，请重新上传。")
            return redirect("import_workbook")
        finally:
            path.unlink(missing_ok=True)
        if report.ok:
            summary = "；".join(
                f"{s}新增{r.created}条、未变{r.unchanged}条" for s, r in report.results.items()
            )
            messages.success(request, f"导入完成：{summary}。")
            if report.ignored_sheets:
                messages.warning(request, report.ignored_note)
            return redirect("import_workbook")
        return render(request, "jiguan/import.html", _context(UploadForm(), report))

    form = UploadForm(request.POST or None, request.FILES or None)
    report = token = doubts = None
    if request.method == "POST" and form.is_valid():
        token = keep_upload(form.cleaned_data["file"])
        path = _pending_path(token)
        with open(path, "rb") as file:
            report = import_workbook(file, actor=request.user, dry_run=True, limits=WEB_LIMITS)
        if report.too_many_rows:
            # Too large to check within a request: checked (then, once confirmed, imported) by a
            # background job whose page shows its progress (jiguan.importing_jobs).
            job = jobs.start(
                importing_jobs.CHECK,
                title=f"检查工作簿 {form.cleaned_data['file'].name}"[:200],
                actor=request.user,
                path=path,
            )
            Job.objects.filter(pk=job.pk).update(input_name=form.cleaned_data["file"].name[:200])
            path.unlink(missing_ok=True)
            return redirect("job", pk=job.pk)
        if any(error.confirmable for error in report.errors):
            # Near-identical names: would the workbook pass if the user confirms they are new?
            doubts = [error for error in report.errors if error.confirmable]
            with open(path, "rb") as file:
                confirmed = import_workbook(
                    file, actor=request.user, dry_run=True, limits=WEB_LIMITS, accept_similar=True
                )
            if confirmed.ok:
                report = confirmed
        if report.ok:
            request.session[SESSION_KEY] = [token, bool(doubts)]
        else:
            path.unlink(missing_ok=True)
            token = None
    return render(request, "jiguan/import.html", _context(form, report, token=token, doubts=doubts))


def _context(form, report, **extra):
    return {"form": form, "report": report, "guide": guide(), **extra}


def template(request):
    """The template workbook: every sheet and column of WORKBOOK.md, with a row of notes."""
    return file_response(template_xlsx(), "导入模板.xlsx", XLSX_CONTENT_TYPE)

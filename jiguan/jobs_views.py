"""The pages of background jobs (jiguan.jobs): past jobs, one job with its progress and result, its
file, and the confirmation that turns a checked import into the import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiguan import importing_jobs, jobs
from jiguan.models import Job, JobStatus
from jiguan.permissions import require_staff, require_write
from jiguan.web import XLSX_CONTENT_TYPE


def visible_jobs(user):
    """Staff see every job; everyone else the jobs they asked for."""
    queryset = Job.objects.select_related("created_by")
    if user.is_committee_staff:
        return queryset
    return queryset.filter(created_by=user)


def _job(request, pk):
    return get_object_or_404(visible_jobs(request.user), pk=pk)


@login_required
def job_list(request):
    jobs_shown = list(visible_jobs(request.user)[:200])
    for job in jobs_shown:
        job.has_file = bool(job.output_name) and jobs.files_kept(job)
    return render(request, "jiguan/jobs.html", {"jobs": jobs_shown, "days": jobs.JOB_FILES_DAYS})


@login_required
def job_detail(request, pk):
    job = _job(request, pk)
    kind = jobs.kind_of(job)
    context = {
        "job": job,
        "progress": jobs.progress_of(job),
        "result_template": kind.result_template if kind and job.finished and job.result else "",
        "has_file": bool(job.output_name) and jobs.files_kept(job),
        "days": jobs.JOB_FILES_DAYS,
        "refresh": not job.finished,
    }
    if job.kind in (importing_jobs.CHECK, importing_jobs.STORE) and job.result:
        context["report"] = importing_jobs.report_from_dict(job.result)
        context["doubts"] = job.result.get("doubts")
        context["can_confirm"] = (
            job.kind == importing_jobs.CHECK
            and job.status == JobStatus.DONE
            and jobs.files_kept(job)
            and not job.arguments.get("confirmed")
        )
    return render(request, "jiguan/job.html", context)


@login_required
def job_file(request, pk):
    job = _job(request, pk)
    path = jobs.output_path(job)
    if not job.output_name or not path.exists():
        raise Http404("文件已过保存期限或不存在。")
    content_type = XLSX_CONTENT_TYPE if job.output_name.endswith(".xlsx") else "application/zip"
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=job.output_name, content_type=content_type
    )


@login_required
@require_POST
def import_job_confirm(request, pk):
    """The user confirms a checked workbook: its import runs as the next job."""
    require_staff(request.user)
    require_write(request.user)
    job = _job(request, pk)
    if job.kind != importing_jobs.CHECK or job.status != JobStatus.DONE:
        raise PermissionDenied("该任务不是检查通过的导入。")
    if job.arguments.get("confirmed") or not jobs.files_kept(job):
        messages.error(request, "该工作簿已确认导入过，或文件已过保存期限，请重新上传。")
        return redirect("job", pk=job.pk)
    Job.objects.filter(pk=job.pk).update(arguments={**job.arguments, "confirmed": True})
    store = jobs.start(
        importing_jobs.STORE,
        title=job.title.replace("检查", "导入", 1),
        actor=request.user,
        path=jobs.input_path(job),
        arguments={"accept_similar": bool(job.result and job.result.get("doubts")), "checked_by_job": job.pk},
    )
    store.input_name = job.input_name
    store.save(update_fields=["input_name"])
    return redirect("job", pk=store.pk)

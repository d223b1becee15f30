"""Shared pieces of the web layer: the form page and its submit, turning service errors into form
errors, file and Excel downloads."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import escape_uri_path
from django_tables2 import RequestConfig

from jiguan import bounds, data_version
from jiguan.xlsx_writer import Sheet, write_workbook


def client_address(request) -> str:
    """The address a request came from. Behind the reverse proxy (JIGUAN_BEHIND_PROXY) that is the
    last address of X-Forwarded-For, the one the proxy itself saw (those before it are the client's say)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded[:100]
    return request.META.get("REMOTE_ADDR", "")[:100]


def add_service_errors(form, exc: ValidationError):
    """Show a service's ValidationError on the form: on its field when the form has it,
    otherwise above the form, prefixed with the field's name so the user knows what to fix."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.error_dict.items():
        messages = [m for e in errors for m in e.messages]
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
        else:
            for message in messages:
                form.add_error(None, message)


def submit(request, form, save, *, on_refusal=None):
    """On a valid POST, call `save(cleaned_data)`: one service call, returning the success message
    and the address to go to; the answer is the redirect there. None when there is nothing to save
    (a GET, an invalid form) or the service refused: its ValidationError is then on the form, naming
    the field, and nothing was stored (the services run in a transaction). `on_refusal(exc)` may
    read more from the refusal (e.g. that it asks for a confirmation)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        message, next_url = save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        if on_refusal is not None:
            on_refusal(exc)
        return None
    messages.success(request, message)
    return redirect(next_url)


def form_page(request, form, save, *, title, back, submit_label="保存", intro="", entries=None, form_id=""):
    """The page of one form (jiguan/form.html), for every app: `submit`, or the form again. `back` is
    the address of the 返回 button; `entries` the history shown below the form."""
    return submit(request, form, save) or render(
        request,
        "jiguan/form.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "submit_label": submit_label,
            "intro": intro,
            "entries": entries,
            "form_id": form_id,
        },
    )


def stored_file_response(field_file, filename, content_type=None):
    """A file from storage as a download; a record whose file is gone from storage is a 404."""
    if not field_file:
        raise Http404("没有上传文件。")
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件已不在存储中。") from exc
    return FileResponse(handle, content_type=content_type, filename=filename)


class NotFound(Http404):
    """A 404 whose text is meant for the user: the 404 page shows it."""


def year_param(request, default: int) -> int:
    """The year a page is asked for (?year=, or a form's year): one of jiguan.bounds.year_range(),
    `default` when none is given, and a 404 naming the allowed years otherwise (never a 500)."""
    text = (request.GET.get("year") or request.POST.get("year") or "").strip()
    if not text:
        return default
    try:
        year = int(text)
    except ValueError:
        raise NotFound(f"年度“{text[:20]}”无法识别，请填写四位数的年份。") from None
    if year not in bounds.year_range():
        raise NotFound(bounds.year_out_of_range_message())
    return year


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def table_to_xlsx(table, sheet_title: str) -> bytes:
    """A django-tables2 table, every row (not only the page shown), as an .xlsx workbook."""
    headers, *rows = table.as_values(exclude_columns=getattr(table, "export_exclude", ()))
    return write_workbook([Sheet(sheet_title, list(headers), rows)])


def xlsx_table_response(table, sheet_title: str, filename: str) -> HttpResponse:
    return file_response(table_to_xlsx(table, sheet_title), filename, XLSX_CONTENT_TYPE)


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (``data_version.count``) instead of counting them."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = count  # in place of Paginator.count, a cached property


def table_page(request, table, sheet, template, context=None, *, per_page=50):
    """A list page: with `?export=xlsx` every row of the (filtered) table as a workbook, otherwise
    one page of it rendered with `template`."""
    if request.GET.get("export") == "xlsx":
        return xlsx_table_response(table, sheet, f"{sheet}.xlsx")
    paginate = {"per_page": per_page}
    if isinstance(table.data.data, QuerySet):
        paginate.update(paginator_class=CountedPaginator, count=data_version.count(table.data.data))
    RequestConfig(request, paginate=paginate).configure(table)
    return render(request, template, {"table": table, **(context or {})})

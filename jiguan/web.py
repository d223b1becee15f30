"""Shared pieces of the web layer: the form page and its submit, turning service errors into form
errors, file and Excel downloads."""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import escape_uri_path
from django_tables2 import RequestConfig

from jiguan import bounds


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


def submit(request, form, save):
    """On a valid POST, call `save(cleaned_data)` (a service) and return `(True, result)`; a service's
    ValidationError lands on the form, which the caller renders again: `(False, None)`."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        return True, save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False, None


def saved(request, message, *redirect_to):
    """After a write: the message on the next page, and the redirect there."""
    messages.success(request, message)
    return redirect(*redirect_to)


def form_page(request, form, title, back):
    return render(request, "jiguan/form.html", {"form": form, "title": title, "back": back})


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
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    rows = list(table.as_values(exclude_columns=getattr(table, "export_exclude", ())))
    widths = {}
    for row in rows:
        for index, value in enumerate(row, start=1):
            widths[index] = max(widths.get(index, 6), min(60, len(str(value or "")) * 2 + 2))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value):
    if value is None:
        return None
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.isdigit() and len(text) < 12:
        return int(text)
    return text_cell(sheet, text)


def text_cell(sheet, text):
    """`text` as a text cell: openpyxl stores any string starting with "=" as a formula, which
    would run in the reader's Excel (a title typed as =HYPERLINK(...) sends data elsewhere)."""
    if not text.startswith("="):
        return text
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def xlsx_table_response(table, sheet_title: str, filename: str) -> HttpResponse:
    return file_response(table_to_xlsx(table, sheet_title), filename, XLSX_CONTENT_TYPE)


def table_page(request, table, sheet, template, context=None, *, per_page=50):
    """A list page: with `?export=xlsx` every row of the (filtered) table as a workbook, otherwise
    one page of it rendered with `template`."""
    if request.GET.get("export") == "xlsx":
        return xlsx_table_response(table, sheet, f"{sheet}.xlsx")
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    return render(request, template, {"table": table, **(context or {})})

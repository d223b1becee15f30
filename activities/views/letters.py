"""Pages of reminder letters: drafted for what is due or written by hand, reviewed and issued by
committee staff, read and marked handled by the addressee."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_POST

from activities import selectors, services
from activities.filters import LetterFilter
from activities.forms import (
    HandledForm,
    LetterForm,
    LetterIssueForm,
    LetterWriteForm,
    show_next_number,
)
from activities.models import (
    LetterStatus,
)
from activities.tables import LetterTable
from activities.views.documents import committee_of
from jiguan import dates
from jiguan.web import form_page, table_page
from organizations.scoping import get_scoped_or_404, visible_organizations

# --- reminder letters -------------------------------------------------------------------------


def _letters(user):
    letters = selectors.letters_for(user)
    if not user.sees_everything:
        letters = letters.exclude(status=LetterStatus.DRAFT)  # drafts are the committee's own business
    return letters


@login_required
def letters(request):
    letter_filter = LetterFilter(request.GET or None, queryset=_letters(request.user))
    return table_page(
        request,
        LetterTable(letter_filter.qs),
        "工作提醒函",
        "activities/letters.html",
        {"filter": letter_filter, "is_staff": services.can_issue_documents(request.user)},
    )


@login_required
@require_POST
def letters_draft(request):
    services.require(request.user, "issue_documents")
    try:
        created = services.reminder_letters_draft(
            actor=request.user, sender=committee_of(request.user), today=dates.today()
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(f"{reverse('activities:letters')}?status=DRAFT")
    messages.success(request, f"已根据到期事项起草提醒函{len(created)}份，请审核后发出。")
    return redirect(f"{reverse('activities:letters')}?status=DRAFT")


@login_required
def letter_write(request):
    """A reminder letter written by hand, to any organization existing on its date: a draft,
    reviewed and issued like those drafted from what is due."""
    services.require(request.user, "issue_documents")
    form = LetterWriteForm(request.POST or None, organizations=visible_organizations(request.user))

    def save(data):
        letter = services.reminder_letter_create(
            actor=request.user,
            sender=committee_of(request.user),
            addressee=data["addressee"],
            reason=data["reason"],
            subject=data["subject"],
            body=data["body"],
            written_on=data["written_on"],
        )
        return "提醒函草稿已保存，请审核后发出。", reverse("activities:letter_detail", args=[letter.pk])

    return form_page(request, form, save, title="撰写提醒函", back=reverse("activities:letters"))


def _letter(request, pk, *, write=False):
    return get_scoped_or_404(
        _letters(request.user).select_related("handled_by"),
        request.user,
        organization_field="addressee",
        write=write,
        pk=pk,
    )


@login_required
def letter_detail(request, pk):
    letter = _letter(request, pk)
    handled_form = None
    if letter.status == LetterStatus.ISSUED and services.can_report_progress(request.user):
        handled_form = HandledForm()
    return render(
        request,
        "activities/letter_detail.html",
        {
            "letter": letter,
            "is_staff": services.can_issue_documents(request.user),
            "handled_form": handled_form,
            "issue_form": _issue_form(letter) if letter.status == LetterStatus.DRAFT else None,
        },
    )


def _issue_form(letter):
    """The issue form starts from the sender's last letter prefix and says the number it will give."""
    form = LetterIssueForm(
        initial={
            "issued_on": letter.written_on or dates.today(),
            "prefix": selectors.last_prefix(letter.sender, letter=True),
        }
    )
    show_next_number(form, "issued_on")
    return form


@login_required
def letter_edit(request, pk):
    services.require(request.user, "issue_documents")
    letter = _letter(request, pk)
    form = LetterForm(request.POST or None, initial={"subject": letter.subject, "body": letter.body})

    def save(data):
        services.reminder_letter_update(
            actor=request.user, letter=letter, subject=data["subject"], body=data["body"]
        )
        return "提醒函已保存。", reverse("activities:letter_detail", args=[letter.pk])

    return form_page(request, form, save, title="修改提醒函", back=reverse("activities:letters"))


@login_required
@require_POST
def letter_discard(request, pk):
    """Staff discard a draft the system proposed and they judge unneeded."""
    services.require(request.user, "issue_documents")
    letter = _letter(request, pk)
    try:
        services.reminder_letter_delete(actor=request.user, letter=letter)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("activities:letter_detail", letter.pk)
    messages.success(request, f"已删除草稿：{letter.subject}")
    return redirect("activities:letters")


@login_required
@require_POST
def letter_issue(request, pk):
    services.require(request.user, "issue_documents")
    letter = _letter(request, pk)
    form = LetterIssueForm(request.POST)
    if form.is_valid():
        try:
            services.reminder_letter_issue(
                actor=request.user,
                letter=letter,
                prefix=form.cleaned_data["prefix"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"提醒函已发出：{letter.document.number}")
    else:
        messages.error(request, "请填写发文字号和发出日期。")
    return redirect("activities:letter_detail", letter.pk)


@login_required
@require_POST
def letter_handled(request, pk):
    letter = _letter(request, pk, write=True)
    form = HandledForm(request.POST)
    form.is_valid()
    try:
        services.reminder_letter_mark_handled(
            actor=request.user, letter=letter, note=form.cleaned_data.get("handling_note", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "提醒函已标记为已办理。")
    return redirect("activities:letter_detail", letter.pk)


@login_required
def letter_pdf(request, pk):
    from jiguan.pdf import official_css, render_pdf  # WeasyPrint loads on the first PDF only

    letter = _letter(request, pk)
    paragraphs = [p.strip() for p in letter.body.split("\n") if p.strip()]
    # The addressee line (主送机关, "XX党支部：") stands flush left, above the indented paragraphs.
    salutation = paragraphs.pop(0) if paragraphs and paragraphs[0].endswith(("：", ":")) else ""
    html = render_to_string(
        "activities/letter_print.html",
        {"letter": letter, "salutation": salutation, "paragraphs": paragraphs, "css": official_css()},
    )
    pdf = render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{letter.document.number if letter.document else '提醒函草稿'}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{escape_uri_path(filename)}"
    return response

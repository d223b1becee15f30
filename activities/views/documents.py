"""Pages of documents and responsibility lists: issued and read by committee staff, the items'
progress recorded by the responsible organizations. Every lookup starts from the user's scope."""

import os

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from activities import selectors, services
from activities.filters import DocumentFilter
from activities.forms import (
    DocumentForm,
    EvidenceFilterForm,
    ItemForm,
    ItemProgressForm,
    ResponsibilityListForm,
    next_number_text,
    show_next_number,
)
from activities.models import (
    Document,
    ItemStatus,
    ResponsibilityItem,
    ResponsibilityList,
)
from activities.tables import DocumentTable, OpenItemTable
from jiguan import dates
from jiguan.web import form_page, stored_file_response, submit, table_page
from organizations.models import Kind, Organization
from organizations.scoping import get_scoped_or_404, organization_of, visible_organizations

# --- documents and responsibility lists -------------------------------------------------------


@login_required
def documents(request):
    document_filter = DocumentFilter(request.GET or None, queryset=selectors.document_list(request.user))
    return table_page(
        request,
        DocumentTable(document_filter.qs),
        "发文",
        "activities/documents.html",
        {
            "filter": document_filter,
            "lists": list(selectors.responsibility_lists(request.user)[:50]),
            "is_staff": services.can_issue_documents(request.user),
        },
    )


def committee_of(user):
    """The issuer of the committee's documents: the staff member's organization, else the root."""
    organization = organization_of(user)
    if organization is not None and organization.kind == Kind.WORKING_COMMITTEE:
        return organization
    root = Organization.objects.root_committee()
    if root is None:
        raise Http404("尚未建立工委。")
    return root


def _issue_kwargs(request, data):
    """What every paper the committee issues carries: issuer, number prefix, title, date and file."""
    return {
        "actor": request.user,
        "issuer": committee_of(request.user),
        "prefix": data["prefix"],
        "title": data["title"],
        "issued_on": data["issued_on"],
        "file": data.get("file"),
    }


@login_required
def document_create(request):
    services.require(request.user, "issue_documents")
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"prefix": selectors.last_prefix(committee_of(request.user)), "issued_on": dates.today()},
        regulations=selectors.regulations(request.user),
    )
    show_next_number(form, "issued_on")

    def save(data):
        document = services.document_issue(
            kind=data["kind"], revises=data.get("revises"), **_issue_kwargs(request, data)
        )
        return f"已发文：{document.number}", reverse("activities:document_detail", args=[document.pk])

    return form_page(request, form, save, title="发文", back=reverse("activities:documents"))


def _document(request, pk):
    try:
        return selectors.readable_documents(request.user).select_related("issuer", "revises").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该文件，或您无权查看。") from exc


@login_required
def document_detail(request, pk):
    document = _document(request, pk)
    rlist = ResponsibilityList.objects.filter(document=document).first()
    if rlist is not None:
        return redirect("activities:list_detail", rlist.pk)
    revisions = selectors.readable_documents(request.user).filter(revises=document).order_by("issued_on")
    return render(
        request, "activities/document_detail.html", {"document": document, "revisions": list(revisions)}
    )


@login_required
def document_file(request, pk):
    document = _document(request, pk)
    return stored_file_response(document.file, document.file.name.rsplit("/", 1)[-1])


@login_required
def list_create(request):
    services.require(request.user, "issue_documents")
    form = ResponsibilityListForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "year": dates.today().year,
            "issued_on": dates.today(),
            "prefix": selectors.last_prefix(committee_of(request.user)),
        },
        organizations=visible_organizations(request.user),
    )
    show_next_number(form, "issued_on")

    def save(data):
        rlist = services.responsibility_list_issue(
            kind=data["kind"], year=data["year"], items=data["items"], **_issue_kwargs(request, data)
        )
        return f"清单已下发：{rlist.document.number}", reverse("activities:list_detail", args=[rlist.pk])

    return form_page(request, form, save, title="下发清单", back=reverse("activities:documents"))


@login_required
def list_detail(request, pk):
    """A list with its items and their evidence; a secretary sees the items their subtree answers for."""
    try:
        rlist = selectors.list_detail_queryset(request.user).get(pk=pk)
    except (ResponsibilityList.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该清单，或您无权查看。") from exc
    today = dates.today()
    items_queryset = selectors.list_items(rlist, request.user, today)
    items = list(items_queryset)
    return render(
        request,
        "activities/list_detail.html",
        {
            "rlist": rlist,
            "items": items,
            "progress": selectors.list_progress(rlist, today, items=items_queryset),
            "today": today,
            "is_staff": services.can_issue_documents(request.user),
            "can_write": services.can_report_progress(request.user),
        },
    )


def _progress_item(request, pk, *, write=False):
    return get_scoped_or_404(
        selectors.items_for_progress(request.user),
        request.user,
        organization_field="responsible_organization",
        write=write,
        pk=pk,
    )


@login_required
def item_progress(request, pk):
    """The responsible organization (or staff) records status, done date and evidence of an item."""
    item = _progress_item(request, pk, write=True)
    linked = list(item.evidence_activities.all())
    # The form lists the latest activities (filtered by the GET kind/date) and those linked or
    # ticked; any activity the service accepts may still be saved.
    finder = EvidenceFilterForm(request.GET or None)
    criteria = finder.cleaned_data if finder.is_valid() else {}
    ticked = [v for v in request.POST.getlist("evidence_activities") if v.isdigit()]
    shown, matching = selectors.evidence_activities_shown(
        item,
        request.user,
        kind=criteria.get("kind", ""),
        until=criteria.get("until"),
        keep=[a.pk for a in linked] + [int(v) for v in ticked],
    )
    form = ItemProgressForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "status": item.status,
            "done_on": item.done_on,
            "progress_note": item.progress_note,
            "evidence_activities": linked,
        },
        activities=selectors.evidence_activity_choices(item, request.user),
        shown=shown,
    )
    form.fields["evidence_activities"].help_text = (
        f"{item.responsibility_list.year}年度本组织（含下级组织）开展的活动，最近的在前；"
        f"列出最近 {selectors.EVIDENCE_SHOWN} 项和已关联的活动，更早的请用上方“查找活动”筛选。"
    )

    def save(data):
        services.responsibility_item_update(
            actor=request.user,
            item=item,
            status=data["status"],
            done_on=data.get("done_on"),
            progress_note=data.get("progress_note", ""),
            evidence_activities=list(data.get("evidence_activities") or []),
            evidence_file=data.get("evidence_file"),
        )
        return "事项进度已保存。", reverse("activities:list_detail", args=[item.responsibility_list_id])

    return submit(request, form, save) or render(
        request,
        "activities/item_progress.html",
        {
            "form": form,
            "item": item,
            "finder": finder,
            "matching": matching,
            "shown_limit": selectors.EVIDENCE_SHOWN,
        },
    )


@login_required
def item_evidence(request, pk):
    """The evidence file of an item, for whoever may see the item."""
    item = _progress_item(request, pk)
    name = item.evidence_file.name.rsplit("/", 1)[-1]
    content_type = settings.ATTACHMENT_ALLOWED_TYPES.get(os.path.splitext(name)[1].lower())
    return stored_file_response(item.evidence_file, name, content_type)


@login_required
def item_edit(request, pk):
    services.require(request.user, "issue_documents")
    item = get_scoped_or_404(
        ResponsibilityItem.objects.select_related("responsibility_list__document"),
        request.user,
        organization_field="responsibility_list__document__issuer",
        pk=pk,
    )
    initial = {
        "task": item.task,
        "is_key_task": item.is_key_task,
        "responsible_person": item.responsible_person,
        "responsible_organization": item.responsible_organization,
        "deadline": item.deadline,
        "status": item.status,
        "done_on": item.done_on,
    }
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        organizations=visible_organizations(request.user),
    )

    def save(data):
        services.responsibility_item_update(
            actor=request.user,
            item=item,
            status=data["status"],
            done_on=data.get("done_on"),
            task=data["task"],
            is_key_task=data.get("is_key_task", False),
            responsible_person=data.get("responsible_person", ""),
            responsible_organization=data.get("responsible_organization"),
            deadline=data.get("deadline"),
            evidence_file=data.get("evidence_file"),
        )
        return "事项已保存。", reverse("activities:list_detail", args=[item.responsibility_list_id])

    return form_page(
        request, form, save, title=f"清单事项：{item.task}", back=reverse("activities:documents")
    )


@login_required
def open_items(request):
    return table_page(
        request,
        OpenItemTable(selectors.open_items(request.user)),
        "未完成事项",
        "activities/open_items.html",
        {"status_done": ItemStatus.DONE},
    )


@login_required
def next_number(request):
    """The number a document of ?prefix= issued on ?date= will be given (the forms' live hint)."""
    services.require(request.user, "issue_documents")
    day = dates.parse_iso(request.GET.get("date")) or dates.today()
    return JsonResponse({"text": next_number_text(request.GET.get("prefix", ""), day.year)})


@login_required
def document_numbers(request):
    """The register's numbers containing ?q= (a 文号 field's suggestions), latest first."""
    return JsonResponse({"numbers": selectors.register_numbers(request.user, request.GET.get("q", ""))})

"""Pages of the activities app. Every lookup starts from the user's scope (jiguan.scoping): a record
outside it is a 404, a write by leadership a 403; documents, lists and letters are written by
committee staff only."""

import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_POST

from activities import rhythm, selectors, services
from activities.filters import ActivityFilter, DocumentFilter, LetterFilter
from activities.forms import (
    ActivityForm,
    CondolenceFormSet,
    DocumentForm,
    EvidenceFilterForm,
    HandledForm,
    ItemForm,
    ItemProgressForm,
    LetterForm,
    LetterIssueForm,
    LetterWriteForm,
    ResponsibilityListForm,
)
from activities.models import (
    ActivityKind,
    Attachment,
    Document,
    ItemStatus,
    LetterStatus,
    ResponsibilityItem,
    ResponsibilityList,
)
from activities.tables import ActivityTable, DocumentTable, LetterTable, OpenItemTable
from jiguan import audit, dates
from jiguan.masking import mask_id_number
from jiguan.scoping import (
    get_scoped_or_404,
    get_visible_organization,
    require_staff,
    require_write,
    visible_organizations,
)
from jiguan.web import add_service_errors, table_page
from members import selectors as member_selectors
from organizations.models import Kind, Organization

# --- shared page shapes ----------------------------------------------------------------------


def _submit(request, form, save):
    """On a valid POST, call `save(cleaned_data)` (a service) and return `(True, result)`; a service's
    ValidationError lands on the form, which the caller renders again: `(False, None)`."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        return True, save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False, None


def _saved(request, message, *redirect_to):
    messages.success(request, message)
    return redirect(*redirect_to)


def _form_page(request, form, title, back):
    return render(request, "jiguan/form.html", {"form": form, "title": title, "back": back})


# --- activities -------------------------------------------------------------------------------


@login_required
def activity_list(request):
    organizations = visible_organizations(request.user)
    activity_filter = ActivityFilter(
        request.GET or None, queryset=selectors.activity_list(request.user), organizations=organizations
    )
    return table_page(
        request,
        ActivityTable(activity_filter.qs),
        "组织生活",
        "activities/list.html",
        {"filter": activity_filter, "can_write": request.user.can_write},
    )


def _service_kwargs(data, visits):
    kwargs = {
        "date": data["date"],
        "title": data["title"],
        "place": data.get("place", ""),
        "expected_count": data.get("expected_count"),
        "attended_count": data.get("attended_count"),
        "topics": data.get("topics", []),
        "joined_organizations": list(data.get("joined_organizations") or []),
        "host": data.get("host", ""),
        "recorder": data.get("recorder", ""),
        "minutes": data.get("minutes", ""),
        "volunteer_community": data.get("volunteer_community", ""),
        "attachments": data.get("attachments") or [],
    }
    kind = data.get("kind")
    kwargs["condolence_visits"] = _condolence_entries(kind, visits)
    trainees = [services.TraineeEntry(prospect=p) for p in (data.get("trainees") or [])]
    if kind == ActivityKind.TRAINING and "attendees" in data:
        trainees += [services.TraineeEntry(member=m) for m in data["attendees"]]
    kwargs["trainees"] = trainees
    return kwargs


def _visits(request, initial=None):
    """The people visited (走访慰问), one form a person: members picked from the roster or others."""
    return CondolenceFormSet(
        request.POST or None,
        prefix="visits",
        initial=initial,
        members=member_selectors.pickable_members(request.user),
    )


def _condolence_entries(kind, visits):
    """The people of a 走访慰问; none for another kind (its rows are hidden on the page)."""
    if kind != ActivityKind.CONDOLENCE_VISIT:
        return []
    if not visits.is_valid():
        raise ValidationError({"condolence_visits": "请按提示修改走访慰问对象。"})
    return visits.entries()


def _activity_page(request, form, visits, title, **context):
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "visits": visits, "title": title, **context},
    )


@login_required
def activity_create(request):
    require_write(request.user)
    organizations = visible_organizations(request.user)
    organization = None
    chosen = request.POST.get("organization") or request.GET.get("organization")
    if chosen:
        organization = organizations.filter(pk=chosen).first() if str(chosen).isdigit() else None
    elif request.user.is_secretary:
        organization = request.user.organization
    if request.method == "POST" and "choose_attendees" in request.POST:
        # Without JavaScript, choosing the organization posts the form: reload offering its people.
        return redirect(
            _choose_organization_url(organization, request.POST.get("kind"), request.POST.get("date"))
        )
    # The day typed (the members offered are those on the roster then, the trainees those who were
    # activists or candidates then), else the last day of a dissolved organization (what may be
    # recorded of it happened before), else today.
    day = dates.parse_iso((request.POST or request.GET).get("date"))
    if day is None:
        day = (
            organization.last_day if organization is not None and organization.is_dissolved else dates.today()
        )
    members = prospects = None
    if organization is not None:
        members, prospects = selectors.people_for(organization, day)
    initial = {"organization": organization, "date": day}
    if request.GET.get("kind") in ActivityKind.values:
        initial["kind"] = request.GET["kind"]
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        organizations=organizations,
        members=members,
        prospects=prospects,
    )
    visits = _visits(request)

    def save(data):
        return services.activity_create(
            actor=request.user,
            organization=data["organization"],
            kind=data["kind"],
            attendees=list(data.get("attendees") or []),
            **_service_kwargs(data, visits),
        )

    saved, activity = _submit(request, form, save)
    if saved:
        return _saved(request, f"活动“{activity.title}”已保存。", "activities:detail", activity.pk)
    return _activity_page(request, form, visits, "记录活动", choose_organization=True)


def _choose_organization_url(organization, kind, day=None):
    from urllib.parse import urlencode

    params = {}
    if organization is not None:
        params["organization"] = organization.pk
    if kind in ActivityKind.values:
        params["kind"] = kind
    if dates.parse_iso(day):
        params["date"] = day
    url = _url("activities:create")
    return f"{url}?{urlencode(params)}" if params else url


def _activity(request, pk, *, write=False):
    return get_scoped_or_404(selectors.activity_detail_queryset(), request.user, write=write, pk=pk)


@login_required
def activity_detail(request, pk):
    activity = _activity(request, pk)
    shown = (lambda n: n) if request.user.is_committee_staff else mask_id_number
    visits = [(visit, shown(visit.id_number)) for visit in activity.condolence_visits.all()]
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "visits": visits,
            "can_write": request.user.can_write,
            "history": audit.history_for(activity)[:20],
        },
    )


@login_required
def activity_edit(request, pk):
    activity = _activity(request, pk, write=True)
    recorded = [t.prospect for t in activity.trainees.all() if t.prospect_id]
    day = dates.parse_iso(request.POST.get("date")) or activity.date
    members, prospects = selectors.people_for(activity.organization, day, trainees=recorded)
    initial = {
        "organization": activity.organization,
        "kind": activity.kind,
        "date": activity.date,
        "title": activity.title,
        "topics": [t.topic for t in activity.topics.all()],
        "place": activity.place,
        "expected_count": activity.expected_count,
        "attended_count": activity.attended_count,
        "attendees": list(activity.attendees.all()),
        "joined_organizations": list(activity.joined_organizations.all()),
        "host": activity.host,
        "recorder": activity.recorder,
        "minutes": activity.minutes,
        "volunteer_community": activity.volunteer_community,
        "trainees": recorded,
    }
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        organizations=visible_organizations(request.user),
        members=members,
        prospects=prospects,
        editing=True,
    )
    visits = _visits(
        request,
        initial=[
            {
                "member": v.member_id,
                "person_name": "" if v.member_id else v.person_name,
                "id_number": v.id_number,
                "amount": v.amount,
                "note": v.note,
            }
            for v in activity.condolence_visits.all()
        ],
    )

    def save(data):
        removed = activity.attachments.filter(pk__in=request.POST.getlist("remove_attachment"))
        return services.activity_update(
            actor=request.user,
            activity=activity,
            kind=data["kind"],
            attendees=list(data.get("attendees") or []),
            remove_attachments=list(removed),
            **_service_kwargs(data, visits),
        )

    if _submit(request, form, save)[0]:
        return _saved(request, "活动已保存。", "activities:detail", activity.pk)
    return _activity_page(request, form, visits, f"修改活动：{activity.title}", activity=activity)


@login_required
@require_POST
def activity_delete(request, pk):
    activity = _activity(request, pk, write=True)
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, f"活动“{activity.title}”已删除。")
    return redirect("activities:list")


@login_required
def attachment_file(request, pk):
    attachment = get_scoped_or_404(
        Attachment.objects.select_related("activity"),
        request.user,
        organization_field="activity__organization",
        pk=pk,
    )
    return _stored_file(attachment.file, attachment.original_name, attachment.content_type)


def _stored_file(field_file, filename, content_type=None):
    """A file from storage as a download; a record whose file is gone from storage is a 404."""
    if not field_file:
        raise Http404("没有上传文件。")
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件已不在存储中。") from exc
    return FileResponse(handle, content_type=content_type, filename=filename)


# --- the rhythm of branch life ----------------------------------------------------------------


def _year(request):
    today = dates.today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    return year if 2000 <= year <= today.year + 1 else today.year


@login_required
def rhythm_overview(request):
    """Every branch the user may see, worst first."""
    year = _year(request)
    today = dates.today()
    table = rhythm.rhythm_table(visible_organizations(request.user), year, today)
    return render(
        request,
        "activities/rhythm.html",
        {
            "table": table,
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "requirements": rhythm.REQUIREMENTS,
            "status_labels": rhythm.STATUS_LABELS,
        },
    )


@login_required
def rhythm_branch(request, pk):
    organization = get_visible_organization(request.user, pk)
    if organization.kind != Kind.BRANCH:
        raise Http404("只有党支部有组织生活记录表。")
    year = _year(request)
    today = dates.today()
    table = rhythm.rhythm_table(Organization.objects.filter(pk=organization.pk), year, today)
    return render(
        request,
        "activities/rhythm_branch.html",
        {
            "organization": organization,
            "branch": table[0] if table else None,
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "status_labels": rhythm.STATUS_LABELS,
        },
    )


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
            "is_staff": request.user.is_committee_staff,
        },
    )


def _committee(user):
    """The issuer of the committee's documents: the staff member's organization, else the root."""
    if user.organization_id and user.organization.kind == Kind.WORKING_COMMITTEE:
        return user.organization
    root = Organization.objects.root_committee()
    if root is None:
        raise Http404("尚未建立工委。")
    return root


def _issue_kwargs(request, data):
    """What every paper the committee issues carries: issuer, number prefix, title, date and file."""
    return {
        "actor": request.user,
        "issuer": _committee(request.user),
        "prefix": data["prefix"],
        "title": data["title"],
        "issued_on": data["issued_on"],
        "file": data.get("file"),
    }


@login_required
def document_create(request):
    require_staff(request.user)
    form = DocumentForm(
        request.POST or None, request.FILES or None, regulations=selectors.regulations(request.user)
    )

    def save(data):
        return services.document_issue(
            kind=data["kind"], revises=data.get("revises"), **_issue_kwargs(request, data)
        )

    saved, document = _submit(request, form, save)
    if saved:
        return _saved(request, f"已发文：{document.number}", "activities:document_detail", document.pk)
    return _form_page(request, form, "发文", "activities:documents")


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
    return _stored_file(document.file, document.file.name.rsplit("/", 1)[-1])


@login_required
def list_create(request):
    require_staff(request.user)
    form = ResponsibilityListForm(
        request.POST or None, request.FILES or None, initial={"year": dates.today().year}
    )

    def save(data):
        return services.responsibility_list_issue(
            kind=data["kind"], year=data["year"], items=data["items"], **_issue_kwargs(request, data)
        )

    saved, rlist = _submit(request, form, save)
    if saved:
        return _saved(request, f"清单已下发：{rlist.document.number}", "activities:list_detail", rlist.pk)
    return _form_page(request, form, "下发清单", "activities:documents")


@login_required
def list_detail(request, pk):
    """A list with its items and their evidence; a secretary sees the items their subtree answers for."""
    try:
        rlist = selectors.list_detail_queryset(request.user).get(pk=pk)
    except (ResponsibilityList.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该清单，或您无权查看。") from exc
    today = dates.today()
    items_queryset = selectors.list_items(rlist, request.user)
    items = list(items_queryset)
    return render(
        request,
        "activities/list_detail.html",
        {
            "rlist": rlist,
            "items": items,
            "progress": selectors.list_progress(rlist, today, items=items_queryset),
            "today": today,
            "is_staff": request.user.is_committee_staff,
            "can_write": request.user.can_write,
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
        initial={"status": item.status, "done_on": item.done_on, "evidence_activities": linked},
        activities=selectors.evidence_activity_choices(item, request.user),
        shown=shown,
    )
    form.fields["evidence_activities"].help_text = (
        f"{item.responsibility_list.year}年度本组织（含下级组织）开展的活动，最近的在前；"
        f"列出最近 {selectors.EVIDENCE_SHOWN} 项和已关联的活动，更早的请用上方“查找活动”筛选。"
    )

    def save(data):
        return services.responsibility_item_update(
            actor=request.user,
            item=item,
            status=data["status"],
            done_on=data.get("done_on"),
            evidence_activities=list(data.get("evidence_activities") or []),
            evidence_file=data.get("evidence_file"),
        )

    if _submit(request, form, save)[0]:
        return _saved(request, "事项进度已保存。", "activities:list_detail", item.responsibility_list_id)
    return render(
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
    return _stored_file(item.evidence_file, name, content_type)


@login_required
def item_edit(request, pk):
    require_staff(request.user)
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
        return services.responsibility_item_update(
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

    if _submit(request, form, save)[0]:
        return _saved(request, "事项已保存。", "activities:list_detail", item.responsibility_list_id)
    return _form_page(request, form, f"清单事项：{item.task}", "activities:documents")


@login_required
def open_items(request):
    return table_page(
        request,
        OpenItemTable(selectors.open_items(request.user)),
        "未完成事项",
        "activities/open_items.html",
        {"status_done": ItemStatus.DONE},
    )


# --- reminder letters -------------------------------------------------------------------------


def _letters(user):
    letters = selectors.letters_for(user)
    if not (user.is_committee_staff or user.is_leadership):
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
        {"filter": letter_filter, "is_staff": request.user.is_committee_staff},
    )


@login_required
@require_POST
def letters_draft(request):
    require_staff(request.user)
    try:
        created = services.reminder_letters_draft(
            actor=request.user, sender=_committee(request.user), today=dates.today()
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(f"{_url('activities:letters')}?status=DRAFT")
    messages.success(request, f"已根据到期事项起草提醒函{len(created)}份，请审核后发出。")
    return redirect(f"{_url('activities:letters')}?status=DRAFT")


@login_required
def letter_write(request):
    """A reminder letter written by hand, to any organization existing on its date: a draft,
    reviewed and issued like those drafted from what is due."""
    require_staff(request.user)
    form = LetterWriteForm(request.POST or None, organizations=visible_organizations(request.user))

    def save(data):
        return services.reminder_letter_create(
            actor=request.user,
            sender=_committee(request.user),
            addressee=data["addressee"],
            reason=data["reason"],
            subject=data["subject"],
            body=data["body"],
            written_on=data["written_on"],
        )

    saved, letter = _submit(request, form, save)
    if saved:
        return _saved(request, "提醒函草稿已保存，请审核后发出。", "activities:letter_detail", letter.pk)
    return _form_page(request, form, "撰写提醒函", "activities:letters")


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


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
    if letter.status == LetterStatus.ISSUED and request.user.can_write:
        handled_form = HandledForm()
    return render(
        request,
        "activities/letter_detail.html",
        {
            "letter": letter,
            "is_staff": request.user.is_committee_staff,
            "handled_form": handled_form,
            "issue_form": (
                LetterIssueForm(initial={"issued_on": letter.written_on or dates.today()})
                if letter.status == LetterStatus.DRAFT
                else None
            ),
        },
    )


@login_required
def letter_edit(request, pk):
    require_staff(request.user)
    letter = _letter(request, pk)
    form = LetterForm(request.POST or None, initial={"subject": letter.subject, "body": letter.body})

    def save(data):
        return services.reminder_letter_update(
            actor=request.user, letter=letter, subject=data["subject"], body=data["body"]
        )

    if _submit(request, form, save)[0]:
        return _saved(request, "提醒函已保存。", "activities:letter_detail", letter.pk)
    return _form_page(request, form, "修改提醒函", "activities:letters")


@login_required
@require_POST
def letter_discard(request, pk):
    """Staff discard a draft the system proposed and they judge unneeded."""
    require_staff(request.user)
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
    require_staff(request.user)
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
    letter = _letter(request, pk)
    paragraphs = [p.strip() for p in letter.body.split("\n") if p.strip()]
    # The addressee line (主送机关, "XX党支部：") stands flush left, above the indented paragraphs.
    salutation = paragraphs.pop(0) if paragraphs and paragraphs[0].endswith(("：", ":")) else ""
    html = render_to_string(
        "activities/letter_print.html",
        {"letter": letter, "salutation": salutation, "paragraphs": paragraphs, "css": _official_css()},
    )
    pdf = _render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{letter.document.number if letter.document else '提醒函草稿'}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def _official_css():
    try:
        from reports.pdf import official_css
    except ImportError:
        return 'body { font-family: "AR PL UMing CN", serif; font-size: 16pt; }'
    return official_css()


def _render_pdf(html):
    try:
        from reports.pdf import render_pdf
    except ImportError:  # the reports app's renderer not available: plain WeasyPrint
        import weasyprint

        return weasyprint.HTML(string=html).write_pdf()
    return render_pdf(html)

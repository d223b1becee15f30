"""Pages of organized life: activities, their attachments, and the rhythm of branch life (三会一课).
Every lookup starts from the user's scope (organizations.scoping): a record outside it is a 404, a write
by leadership a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from activities import rhythm, selectors, services
from activities.filters import ActivityFilter
from activities.forms import (
    AbsenceFormSet,
    ActivityForm,
    CondolenceFormSet,
)
from activities.models import (
    ActivityKind,
    Attachment,
)
from activities.tables import ActivityTable
from jiguan import audit, dates
from jiguan.masking import shown_id_number
from jiguan.web import stored_file_response, submit, table_page, year_param
from members import selectors as member_selectors
from organizations.models import Kind, Organization
from organizations.scoping import (
    get_scoped_or_404,
    get_visible_organization,
    organization_of,
    visible_organizations,
)

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
        {"filter": activity_filter},
    )


def _absences(request, members, initial=None):
    """The members who did not attend, one form a member, picked among those offered as attendees
    (None until the organization is chosen: there is no one to pick yet)."""
    if members is None:
        return None
    # A form posted without the absentees' rows (an older page, a script) leaves them as they are.
    data = request.POST if "absences-TOTAL_FORMS" in request.POST else None
    return AbsenceFormSet(data, prefix="absences", initial=initial, members=members)


def _absence_entries(absences):
    """The absentees as posted; None when the form did not carry them (the recorded ones stay)."""
    if absences is None or not absences.is_bound:
        return None
    if not absences.is_valid():
        raise ValidationError({"absences": "请按提示修改缺席党员。"})
    return absences.entries()


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


def _visits(request, initial=None, originals=()):
    """The people visited (走访慰问), one form a person: members picked from the roster or others.
    The ID numbers recorded are shown as the user may see them (`originals` takes them back)."""
    return CondolenceFormSet(
        request.POST or None,
        prefix="visits",
        initial=initial,
        members=member_selectors.pickable_members(request.user),
        originals=originals,
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
    services.require(request.user, "record_activity")
    organizations = visible_organizations(request.user)
    organization = None
    chosen = request.POST.get("organization") or request.GET.get("organization")
    if chosen:
        organization = organizations.filter(pk=chosen).first() if str(chosen).isdigit() else None
    elif request.user.is_secretary:
        organization = organization_of(request.user)
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
    absences = _absences(request, members)

    def save(data):
        activity = services.activity_create(
            actor=request.user,
            organization=data["organization"],
            kind=data["kind"],
            attendees=list(data.get("attendees") or []),
            absences=_absence_entries(absences) or [],
            **_service_kwargs(data, visits),
        )
        return f"活动“{activity.title}”已保存。", reverse("activities:detail", args=[activity.pk])

    return submit(request, form, save) or _activity_page(
        request, form, visits, "记录活动", choose_organization=True, absences=absences
    )


def _choose_organization_url(organization, kind, day=None):
    from urllib.parse import urlencode

    params = {}
    if organization is not None:
        params["organization"] = organization.pk
    if kind in ActivityKind.values:
        params["kind"] = kind
    if dates.parse_iso(day):
        params["date"] = day
    url = reverse("activities:create")
    return f"{url}?{urlencode(params)}" if params else url


def _activity(request, pk, *, write=False):
    return get_scoped_or_404(selectors.activity_detail_queryset(), request.user, write=write, pk=pk)


@login_required
def activity_detail(request, pk):
    activity = _activity(request, pk)
    visits = [
        (visit, shown_id_number(request.user, visit.id_number)) for visit in activity.condolence_visits.all()
    ]
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "visits": visits,
            "can_write": services.can_record_activity(request.user, activity.organization),
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
    recorded_visits = list(activity.condolence_visits.all())
    visits = _visits(
        request,
        originals=[v.id_number for v in recorded_visits if v.id_number],
        initial=[
            {
                "member": v.member_id,
                "person_name": "" if v.member_id else v.person_name,
                "id_number": shown_id_number(request.user, v.id_number),
                "amount": v.amount,
                "note": v.note,
            }
            for v in recorded_visits
        ],
    )

    absences = _absences(
        request,
        members,
        initial=[
            {"member": a.member_id, "reason": a.reason, "note": a.note}
            for a in activity.absences.order_by("id")
        ],
    )

    def save(data):
        removed = activity.attachments.filter(pk__in=request.POST.getlist("remove_attachment"))
        services.activity_update(
            actor=request.user,
            activity=activity,
            kind=data["kind"],
            attendees=list(data.get("attendees") or []),
            absences=_absence_entries(absences),
            remove_attachments=list(removed),
            **_service_kwargs(data, visits),
        )
        return "活动已保存。", reverse("activities:detail", args=[activity.pk])

    return submit(request, form, save) or _activity_page(
        request, form, visits, f"修改活动：{activity.title}", activity=activity, absences=absences
    )


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
    return stored_file_response(attachment.file, attachment.original_name, attachment.content_type)


# --- the rhythm of branch life ----------------------------------------------------------------


def _year(request):
    return year_param(request, dates.today().year)


def organization_page_part(organization, user) -> dict:
    """What activities adds to an organization's page (organizations.contributions): its recent
    activities, and the link to record one where the user may (the same check as the form's)."""
    can = services.can_record_activity(user, organization)
    return {
        **selectors.organization_page_part(organization, user),
        "record_activity_url": f"{reverse('activities:create')}?organization={organization.pk}"
        if can
        else "",
    }


RHYTHM_PER_PAGE = 20


@login_required
def rhythm_overview(request):
    """Every branch the user may see, worst first."""
    year = _year(request)
    today = dates.today()
    # Worst first, a page at a time: a county's 440 branches were 1.8 MB of cells in one page. The
    # whole county's order is stored (rhythm.county_order) and only the page's branches are made.
    if request.user.sees_everything:
        page = Paginator(rhythm.county_order(year, today), RHYTHM_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = rhythm.rows_of(list(page.object_list), year, today)
    else:
        table = rhythm.rhythm_table(visible_organizations(request.user), year, today)
        page = Paginator(table, RHYTHM_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/rhythm.html",
        {
            "table": page,
            "page": page,
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "requirements": rhythm.REQUIREMENTS,
            "status_labels": rhythm.STATUS_LABELS,
            "months": range(1, 13),
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

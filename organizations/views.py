"""Pages of the organization tree. Staff change structure; a secretary reads their subtree, may add
党小组 below their branches and record appointments there; leadership reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from jiguan import audit, dates
from jiguan.permissions import require_staff, require_write
from jiguan.web import form_page, table_page, xlsx_table_response
from organizations import contributions, forms, selectors, services
from organizations.filters import OrganizationFilter
from organizations.models import Appointment, Kind, LiaisonAssignment, Organization, Unit
from organizations.scoping import get_scoped_or_404, get_visible_organization, visible_organizations
from organizations.tables import LiaisonTable, OrganizationTable, TermTable, UnitTable
from organizations.tree import tree_html


def _staff_organization(request, pk):
    """An organization whose structure the user changes: 404 outside their scope, 403 unless staff."""
    organization = get_visible_organization(request.user, pk, write=True)
    require_staff(request.user)
    return organization


def _form_page(request, form, save, *, organization=None, **page):
    """jiguan.web.form_page, whose 返回 leads to the organization (or to the tree)."""
    back = _detail_url(organization) if organization else reverse("organizations:tree")
    return form_page(request, form, save, back=back, **page)


def _detail_url(organization):
    return reverse("organizations:detail", args=[organization.pk])


def _dated_initial(organization, field):
    """A form recording something of a dissolved organization starts on its last day: what may
    still be recorded of it happened before its dissolution."""
    return {field: organization.last_day} if organization.is_dissolved else {}


def _dissolved_intro(organization):
    if not organization.is_dissolved:
        return ""
    return (
        f"“{organization.name}”已于{dates.chinese_date(organization.dissolved_on)}撤销，"
        f"只能记录撤销前（{dates.chinese_date(organization.last_day)}及以前）的事项。"
    )


# --- reading --------------------------------------------------------------------------------------


@login_required
def tree(request):
    today = dates.today()
    asked = request.GET.get("date")
    day = dates.parse_iso(asked)
    date_error = "日期格式不正确，请按“年-月-日”填写；下面是今天的组织树。" if asked and day is None else ""
    day = day or today
    context = {
        "tree_html": tree_html(request.user, day),
        "day": day,
        "is_today": day == today,
        "can_found": request.user.can_write,
        "date_error": date_error,
    }
    return render(request, "organizations/tree.html", context)


@login_required
def organization_list(request):
    queryset = selectors.organization_list(request.user)
    filterset = OrganizationFilter(request.GET or None, queryset=queryset)
    table = OrganizationTable(filterset.qs)
    return table_page(request, table, "党组织", "organizations/list.html", {"filter": filterset})


@login_required
def detail(request, pk):
    user = request.user
    organization = get_visible_organization(user, pk)
    members = selectors.members_on_roster(organization)
    context = {
        "organization": organization,
        "leaders": list(selectors.current_leaders(organization, organization.last_day)),
        "term": selectors.current_term(organization),
        "children": list(selectors.organization_children(organization, user)),
        # A secretary sees their organization's parent named, not linked: its page is not theirs.
        "parent_visible": organization.parent_id is not None
        and visible_organizations(user).filter(pk=organization.parent_id).exists(),
        "members": list(members[:300]),
        "member_count": members.count(),
        "timeline": selectors.organization_timeline(organization),
        "liaisons": list(organization.liaisons.order_by("-start_on")),
        "entries": selectors.organization_history(organization)[:50],
        "show_record": True,
        "can_change_structure": services.can_change_structure(user),
        "can_appoint": services.can_appoint(user),
        "can_add_group": services.can_found_group_below(user, organization),
        "can_elect": services.can_elect(user, organization),
    }
    for part in contributions.page_parts:  # e.g. 近期活动 (activities)
        context.update(part(organization, user))
    return render(request, "organizations/detail.html", context)


TERMS_PER_PAGE = 50


@login_required
def terms(request):
    day = dates.today()
    visible = visible_organizations(request.user)
    expiring = TermTable(selectors.terms_expiring(day).filter(pk__in=visible.values("pk")), prefix="e-")
    overdue = TermTable(selectors.terms_overdue(day).filter(pk__in=visible.values("pk")), prefix="o-")
    export = request.GET.get("export")
    if export == "expiring":
        return xlsx_table_response(expiring, "即将届满", "即将届满的党组织.xlsx")
    if export == "overdue":
        return xlsx_table_response(overdue, "换届逾期", "换届逾期的党组织.xlsx")
    # A page of each (?o-page=, ?e-page=): at county scale hundreds of terms were one 137 KB page.
    for table in (overdue, expiring):
        RequestConfig(request, paginate={"per_page": TERMS_PER_PAGE}).configure(table)
    return render(
        request,
        "organizations/terms.html",
        {"expiring": expiring, "overdue": overdue, "day": day, "horizon": selectors.reminder_horizon(day)},
    )


@login_required
def unit_list(request):
    can_edit = request.user.is_committee_staff
    table = UnitTable(selectors.unit_list(request.user), can_edit=can_edit)
    return table_page(
        request, table, "单位", "organizations/units.html", {"can_edit": can_edit}, per_page=100
    )


@login_required
def liaison_list(request):
    table = LiaisonTable(selectors.liaison_list(request.user))
    can_edit = request.user.is_committee_staff
    return table_page(
        request, table, "联系点", "organizations/liaisons.html", {"can_edit": can_edit}, per_page=100
    )


@login_required
def pick(request):
    """The search behind every organization picker (jiguan.widgets, static/jiguan/picker.js), as JSON.

    q: the text typed; day: the record's day (yyyy-mm-dd); since=1: not dissolved by that day;
    kinds, exclude (space separated), current=1: what the field allows; ids: re-read the chosen ones.
    Always within what the user may see; the field and the service still check what is posted.
    """
    organizations = visible_organizations(request.user)
    kinds = [k for k in request.GET.get("kinds", "").split() if k in Kind.values]
    if kinds:
        organizations = organizations.filter(kind__in=kinds)
    if request.GET.get("current"):
        organizations = organizations.active()
    exclude = [int(pk) for pk in request.GET.get("exclude", "").split() if pk.isdigit()]
    if exclude:
        organizations = organizations.exclude(pk__in=exclude)
    day = dates.parse_iso(request.GET.get("day"))
    ids = None
    if "ids" in request.GET:
        ids = [int(pk) for pk in request.GET["ids"].split(",") if pk.isdigit()][: selectors.PICKER_LIMIT * 5]
    results, more = selectors.organization_choices(
        organizations,
        text=request.GET.get("q", "")[:100],
        day=day,
        since=bool(request.GET.get("since")),
        ids=ids,
    )
    return JsonResponse({"results": results, "more": more, "day": day.isoformat() if day else ""})


# --- the events -----------------------------------------------------------------------------------


@login_required
def found(request):
    user = request.user
    require_write(user)
    visible = visible_organizations(user)
    parent_kinds, kinds = services.founding_choices(user)  # a secretary: 党小组 below their branches
    form = forms.FoundForm(request.POST or None, parents=visible, parent_kinds=parent_kinds, kinds=kinds)
    parents = form.fields["parent"].queryset
    if request.GET.get("parent"):
        try:
            parent = parents.get(pk=request.GET["parent"])
        except (Organization.DoesNotExist, ValueError) as exc:
            raise Http404("没有找到该党组织，或您无权查看。") from exc
        form.initial = {"parent": parent, "unit": parent.unit}
        if parent.is_dissolved:
            form.initial["founded_on"] = parent.last_day
        if kinds is not None:
            form.initial["kind"] = kinds[0]
    elif not user.is_committee_staff and not parents.exists():
        raise PermissionDenied("只有工委工作人员可以新设立党组织。")
    if not user.is_committee_staff:
        # The units of the secretary's subtree only (as on their unit list), not every unit's name.
        form.fields["unit"].queryset = selectors.unit_list(user)

    def save(data):
        organization = services.organization_found(
            actor=user,
            kind=data["kind"],
            name=data["name"],
            parent=data["parent"],
            unit=data["unit"],
            founded_on=data["founded_on"],
            term_years=data["term_years"],
            document_number=data["document_number"],
        )
        return f"已新设立“{organization.name}”。", _detail_url(organization)

    return _form_page(request, form, save, title="新设立党组织", submit_label="新设立")


@login_required
def rename(request, pk):
    organization = _staff_organization(request, pk)
    form = forms.RenameForm(request.POST or None, initial=_dated_initial(organization, "date"))

    def save(data):
        services.organization_rename(
            actor=request.user,
            organization=organization,
            new_name=data["new_name"],
            date=data["date"],
            document_number=data["document_number"],
        )
        return f"已更名为“{data['new_name']}”。", _detail_url(organization)

    title = f"更名：{organization.name}"
    return _form_page(
        request,
        form,
        save,
        title=title,
        organization=organization,
        submit_label="更名",
        intro=_dissolved_intro(organization),
    )


@login_required
def move(request, pk):
    organization = _staff_organization(request, pk)
    form = forms.MoveForm(
        request.POST or None,
        parents=visible_organizations(request.user),
        organization=organization,
        initial=_dated_initial(organization, "date"),
    )
    intro = f"现上级组织：{organization.parent.name if organization.parent else '（无）'}"

    def save(data):
        services.organization_move(
            actor=request.user,
            organization=organization,
            new_parent=data["new_parent"],
            date=data["date"],
            document_number=data["document_number"],
        )
        return f"已将“{organization.name}”调整到“{data['new_parent'].name}”之下。", _detail_url(organization)

    title = f"调整隶属关系：{organization.name}"
    return _form_page(
        request, form, save, title=title, organization=organization, submit_label="调整", intro=intro
    )


@login_required
def merge(request, pk):
    organization = _staff_organization(request, pk)
    form = forms.MergeForm(
        request.POST or None,
        targets=visible_organizations(request.user),
        kinds=services.MEMBER_HOLDING_KINDS,
        organization=organization,
    )

    def save(data):
        services.organization_merge(
            actor=request.user,
            organization=organization,
            into=data["into"],
            date=data["date"],
            document_number=data["document_number"],
        )
        message = f"“{organization.name}”的党员已整体划入“{data['into'].name}”，原组织已撤销。"
        return message, _detail_url(data["into"])

    intro = "本组织在册党员将全部转入所选党组织（每人记一次组织关系调整），随后本组织撤销。"
    title = f"整体划入：{organization.name}"
    return _form_page(
        request, form, save, title=title, organization=organization, submit_label="整体划入", intro=intro
    )


@login_required
def dissolve(request, pk):
    organization = _staff_organization(request, pk)
    form = forms.DissolveForm(request.POST or None)

    def save(data):
        services.organization_dissolve(
            actor=request.user,
            organization=organization,
            date=data["date"],
            document_number=data["document_number"],
        )
        return f"“{organization.name}”已撤销。", _detail_url(organization)

    intro = "撤销后组织的历史记录保留；撤销前须先撤销或调整其下级组织，并转出全部党员。"
    title = f"撤销：{organization.name}"
    return _form_page(
        request, form, save, title=title, organization=organization, submit_label="撤销", intro=intro
    )


@login_required
@require_POST
def delete(request, pk):
    organization = _staff_organization(request, pk)
    name = organization.name
    try:
        services.organization_delete(actor=request.user, organization=organization)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("organizations:detail", organization.pk)
    messages.success(request, f"已删除“{name}”。")
    return redirect("organizations:tree")


@login_required
def edit(request, pk):
    organization = _staff_organization(request, pk)
    form = forms.OrganizationEditForm(
        request.POST or None, initial={"unit": organization.unit, "term_years": organization.term_years}
    )

    def save(data):
        services.organization_update(
            actor=request.user, organization=organization, unit=data["unit"], term_years=data["term_years"]
        )
        return "已保存。", _detail_url(organization)

    return _form_page(request, form, save, title=f"修改：{organization.name}", organization=organization)


# --- leaders, terms, liaison ----------------------------------------------------------------------


@login_required
def appointment_create(request, pk):
    organization = get_visible_organization(request.user, pk, write=True)
    form = forms.AppointmentForm(request.POST or None, initial=_dated_initial(organization, "start_on"))

    def save(data):
        services.appointment_create(actor=request.user, organization=organization, **data)
        return f"已记录{data['person_name']}的任职。", _detail_url(organization)

    return _form_page(
        request,
        form,
        save,
        title=f"任职：{organization.name}",
        organization=organization,
        intro=_dissolved_intro(organization),
    )


@login_required
def appointment_end(request, pk):
    appointment = get_scoped_or_404(
        Appointment.objects.select_related("organization"), request.user, write=True, pk=pk
    )
    form = forms.AppointmentEndForm(request.POST or None)

    def save(data):
        services.appointment_end(actor=request.user, appointment=appointment, end_on=data["end_on"])
        return f"已记录{appointment.person_name}免职。", _detail_url(appointment.organization)

    title = f"免职：{appointment.person_name}（{appointment.get_post_display()}）"
    return _form_page(
        request,
        form,
        save,
        title=title,
        organization=appointment.organization,
        entries=audit.history_for(appointment)[:30],
    )


@login_required
def election_create(request, pk):
    organization = _staff_organization(request, pk)
    form = forms.ElectionForm(request.POST or None, initial=_dated_initial(organization, "elected_on"))

    def save(data):
        election = services.election_create(actor=request.user, organization=organization, **data)
        return f"已记录第{election.term_number}届换届。", _detail_url(organization)

    intro = f"任期{organization.effective_term_years() or '—'}年，届满日期自动计算。" + _dissolved_intro(
        organization
    )
    title = f"换届：{organization.name}"
    return _form_page(request, form, save, title=title, organization=organization, intro=intro)


@login_required
def liaison_create(request):
    require_write(request.user)
    require_staff(request.user)
    root = Organization.objects.root_committee()
    if root is None:
        raise Http404("尚未设立机关工委。")
    form = forms.LiaisonForm(
        request.POST or None, organizations=visible_organizations(request.user), committee=root
    )

    def save(data):
        services.liaison_assign(actor=request.user, committee=root, **data)
        return "已添加联系点。", reverse("organizations:liaisons")

    return _form_page(request, form, save, title="添加联系点")


@login_required
def liaison_end(request, pk):
    require_write(request.user)
    require_staff(request.user)
    assignment = get_object_or_404(LiaisonAssignment, pk=pk)
    form = forms.LiaisonEndForm(request.POST or None)

    def save(data):
        services.liaison_end(actor=request.user, assignment=assignment, end_on=data["end_on"])
        return "联系点已结束。", reverse("organizations:liaisons")

    title = f"结束联系点：{assignment}"
    return _form_page(request, form, save, title=title, entries=audit.history_for(assignment)[:30])


# --- units ----------------------------------------------------------------------------------------


@login_required
def unit_create(request):
    require_write(request.user)
    require_staff(request.user)
    form = forms.UnitForm(request.POST or None)

    def save(data):
        services.unit_create(actor=request.user, **data)
        return "已添加单位。", reverse("organizations:units")

    return _form_page(request, form, save, title="添加单位")


@login_required
def unit_edit(request, pk):
    require_write(request.user)
    require_staff(request.user)
    unit = get_object_or_404(Unit, pk=pk)
    initial = {
        "name": unit.name,
        "leading_group_name": unit.leading_group_name,
        "leading_group_secretary": unit.leading_group_secretary,
    }
    form = forms.UnitForm(request.POST or None, initial=initial)

    def save(data):
        services.unit_update(actor=request.user, unit=unit, **data)
        return "已保存。", reverse("organizations:units")

    title = f"修改单位：{unit.name}"
    return _form_page(request, form, save, title=title, entries=audit.history_for(unit)[:30])


@login_required
def history(request, content_type_id, object_id):
    """The change history of one record, for anyone who may see the record."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None:
        raise Http404("没有找到该记录。")
    obj = selectors.visible_record(request.user, model, object_id)
    return render(request, "jiguan/history.html", {"object": obj, "entries": audit.history_for(obj)[:200]})

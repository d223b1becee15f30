import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from jiguan import audit, dates, importing_web, jobs
from jiguan.masking import mask_phone, sees_id_numbers, shown_id_number, shown_phone, unmask
from jiguan.models import Job, JobStatus
from jiguan.permissions import require_staff, require_write
from jiguan.web import (
    XLSX_CONTENT_TYPE,
    file_response,
    form_page,
    table_page,
    xlsx_table_response,
    year_param,
)
from jiguan.xlsx_writer import Sheet, write_workbook
from members import development, national, reconciliation, rules, selectors, services
from members.dues import services as dues_services
from members.filters import CommendationFilter, MemberFilter, ProspectFilter
from members.forms import (
    CategoryForm,
    CommendationForm,
    ConfirmForm,
    DateForm,
    ExtendProbationForm,
    LeaveForm,
    MedalAwardForm,
    MemberCreateForm,
    MemberEditForm,
    MoveForm,
    ProspectForm,
    StepCorrectForm,
    StepForm,
    TransferInForm,
    TransferOutForm,
)
from members.models import DevelopmentStep, Member, Prospect, Stage, TransferScope
from members.tables import CommendationTable, MedalAwardTable, MedalEligibleTable, MemberTable, ProspectTable
from organizations.models import Organization
from organizations.scoping import (
    get_scoped_or_404,
    get_visible_organization,
    organization_of,
    visible_organizations,
)

PER_PAGE = 50


def _writable_organizations(user):
    """The organizations a record may name: all the user may see, dissolved ones included (a record
    dated before the dissolution); the pickers offer those existing on the form's date and the
    services refuse any other day."""
    return visible_organizations(user)


def _member(request, pk, *, write=False):
    return get_scoped_or_404(Member.objects.select_related("organization"), request.user, write=write, pk=pk)


def _prospect(request, pk, *, write=False):
    return get_scoped_or_404(
        Prospect.objects.select_related("organization", "member"), request.user, write=write, pk=pk
    )


def _member_page(member):
    return reverse("members:detail", args=[member.pk])


def _prospect_page(prospect):
    return reverse("members:prospect", args=[prospect.pk])


@login_required
def pick(request):
    """The search behind the member pickers (jiguan.widgets), as JSON: members on the roster on
    `day` (yyyy-mm-dd, default today) whom the user may see, by name; `ids` re-reads chosen ones."""
    day = dates.parse_iso(request.GET.get("day"))
    ids = None
    if "ids" in request.GET:
        ids = [int(pk) for pk in request.GET["ids"].split(",") if pk.isdigit()][:100]
    results, more = selectors.member_choices(
        request.user, text=request.GET.get("q", "")[:50], day=day, ids=ids
    )
    return JsonResponse({"results": results, "more": more})


# --- the roster ----------------------------------------------------------------------------------


@login_required
def roster(request):
    user = request.user
    member_filter = MemberFilter(
        request.GET or None, queryset=selectors.roster(user), organizations=visible_organizations(user)
    )
    table = MemberTable(member_filter.qs, user=user)
    return table_page(
        request, table, "党员名册", "members/roster.html", {"filter": member_filter}, per_page=PER_PAGE
    )


@login_required
def member_create(request):
    require_write(request.user)
    form = MemberCreateForm(request.POST or None, organizations=_writable_organizations(request.user))

    def save(data):
        member = services.member_create(actor=request.user, **data)
        return f"已登记党员{member.name}。", _member_page(member)

    return form_page(
        request, form, save, title="登记党员", back=reverse("members:roster"), form_id="member-form"
    )


@login_required
def member_transfer_in(request):
    require_write(request.user)
    form = TransferInForm(request.POST or None, organizations=_writable_organizations(request.user))

    def save(data):
        member = services.member_transfer_in(actor=request.user, **data)
        return f"{member.name}的组织关系已转入。", _member_page(member)

    return form_page(
        request, form, save, title="组织关系转入", back=reverse("members:roster"), form_id="member-form"
    )


@login_required
def member_detail(request, pk):
    member = _member(request, pk)
    prospect = Prospect.objects.filter(member=member).first()
    events, versions = selectors.member_history(member)
    context = {
        "member": member,
        "events": events,
        "versions": versions,
        "steps": list(prospect.steps.all()) if prospect else [],
        "step_names": development.STEPS,
        "prospect": prospect,
        "commendations": list(member.commendations.select_related("granted_by")),
        "medals": list(member.medals.all()),
        "entries": audit.history_for(member)[:50],
        "can_write": request.user.can_write,
        "id_number_shown": shown_id_number(request.user, member.id_number),
        "phone_shown": shown_phone(request.user, member.phone),
        "probation_end": rules.probation_end(member) if member.status == "PROBATIONARY" else None,
    }
    return render(request, "members/detail.html", context)


@login_required
def member_edit(request, pk):
    member = _member(request, pk, write=True)
    initial = {f: getattr(member, f) for f in services.EDITABLE_FIELDS}
    # Shown as the user may see them; a masked number posted back unchanged stays as it was.
    initial["id_number"] = shown_id_number(request.user, member.id_number)
    initial["phone"] = shown_phone(request.user, member.phone)
    form = MemberEditForm(request.POST or None, initial=initial)
    if not sees_id_numbers(request.user):
        form.fields["id_number"].help_text = "号码已隐藏；不更改请保持原样，更正请输入完整号码。"

    def save(cleaned):
        data = {k: v for k, v in cleaned.items() if k in services.EDITABLE_FIELDS}
        data["id_number"] = unmask(data.get("id_number"), [member.id_number])
        data["phone"] = unmask(data.get("phone"), [member.phone], mask_phone)
        if data.get("birth_date") is None:
            data.pop("birth_date", None)
        services.member_edit(actor=request.user, member=member, **data)
        return "已保存。", _member_page(member)

    title = f"修改党员信息：{member.name}"
    return form_page(request, form, save, title=title, back=reverse("members:roster"), form_id="member-form")


def _member_event_view(request, pk, form_class, title, call, *, organizations=False, initial=None):
    member = _member(request, pk, write=True)
    kwargs = {"organizations": _writable_organizations(request.user)} if organizations else {}
    if initial is not None:
        kwargs["initial"] = initial(member)
    form = form_class(request.POST or None, **kwargs)

    def save(data):
        call(member, data)
        return f"{title}已记录。", _member_page(member)

    return form_page(
        request, form, save, title=f"{title}：{member.name}", back=_member_page(member), form_id="member-form"
    )


@login_required
def member_move(request, pk):
    def call(member, d):
        return services.member_move(
            actor=request.user,
            member=member,
            to_organization=d["to_organization"],
            date=d["date"],
            note=d["note"],
            scope=TransferScope.WITHIN_COUNTY if d["as_transfer"] else "",
        )

    return _member_event_view(request, pk, MoveForm, "调整党组织", call, organizations=True)


def _member_event(form_class, title, service):
    """A view for one dated event of a member: the form, then `service(actor, member, **data)`."""

    @login_required
    def view(request, pk):
        def call(member, data):
            return service(actor=request.user, member=member, **data)

        return _member_event_view(request, pk, form_class, title, call)

    return view


@login_required
def member_transfer_out(request, pk):
    def call(member, data):
        return services.member_transfer_out(actor=request.user, member=member, **data)

    return _member_event_view(
        request,
        pk,
        TransferOutForm,
        "组织关系转出",
        call,
        initial=lambda member: {"dues_paid_until": dues_services.default_paid_until(member)},
    )


member_confirm = _member_event(ConfirmForm, "转正", services.member_confirm)
member_extend_probation = _member_event(ExtendProbationForm, "延长预备期", services.member_extend_probation)
member_change_category = _member_event(CategoryForm, "人员类别变更", services.member_change_category)
member_leave = _member_event(LeaveForm, "离开党员名册", services.member_leave)


# --- development ---------------------------------------------------------------------------------


@login_required
def prospect_list(request):
    user = request.user
    prospect_filter = ProspectFilter(
        request.GET or None, queryset=selectors.prospects(user), organizations=visible_organizations(user)
    )
    table = ProspectTable(prospect_filter.qs, user=user)
    return table_page(
        request, table, "发展党员", "members/prospects.html", {"filter": prospect_filter}, per_page=PER_PAGE
    )


@login_required
def prospect_create(request):
    require_write(request.user)
    form = ProspectForm(request.POST or None, organizations=_writable_organizations(request.user))

    def save(data):
        prospect = services.prospect_create(actor=request.user, **data)
        return f"已登记入党申请人{prospect.name}。", _prospect_page(prospect)

    back = reverse("members:prospects")
    return form_page(request, form, save, title="登记入党申请人", back=back, form_id="member-form")


def _card(prospect, today):
    done = {step.number: step.done_on for step in prospect.steps.all()}
    due = development.next_step(prospect, done, member=prospect.member)
    return {
        "prospect": prospect,
        "due": due,
        "late": development.late_steps(prospect, done, today=today, member=prospect.member),
        "done_count": len(done),
    }


@login_required
def prospect_detail(request, pk):
    prospect = _prospect(request, pk)
    steps = {step.number: step for step in prospect.steps.all()}
    card = _card(prospect, dates.today())
    rows = [
        {
            "step": step,
            "record": steps.get(number),
            "phase": development.PHASE_NAMES[development.PHASE_OF_STEP[number]],
        }
        for number, step in development.STEPS.items()
    ]
    deletable = services.deletable_step(prospect, steps)
    form = None
    if request.user.can_write and card["due"] is not None and prospect.stage != Stage.WITHDRAWN:
        form = StepForm(initial={"number": card["due"].step.number})
    context = {
        "prospect": prospect,
        "rows": rows,
        "deletable_number": deletable,  # the service's rule (services.step_delete_refusal)
        "card": card,
        "form": form,
        "can_write": request.user.can_write,
        "entries": audit.history_for(prospect)[:30],
    }
    return render(request, "members/prospect_detail.html", context)


@login_required
def prospect_record_step(request, pk):
    prospect = _prospect(request, pk, write=True)
    form = StepForm(request.POST or None)

    def save(data):
        step = services.prospect_record_step(actor=request.user, prospect=prospect, **data)
        return f"已记录第{step.number}步“{development.STEPS[step.number].name}”。", _prospect_page(prospect)

    title = f"记录发展步骤：{prospect.name}"
    return form_page(request, form, save, title=title, back=_prospect_page(prospect), form_id="member-form")


def _step(request, pk):
    return get_scoped_or_404(
        DevelopmentStep.objects.select_related("prospect__organization"),
        request.user,
        organization_field="prospect__organization",
        write=True,
        pk=pk,
    )


@login_required
def prospect_correct_step(request, pk):
    step = _step(request, pk)
    prospect = step.prospect
    fields = ("done_on", "days", "hours", "voters_entitled", "votes_for", "note")
    form = StepCorrectForm(request.POST or None, initial={f: getattr(step, f) for f in fields})
    name = development.STEPS[step.number].name

    def save(data):
        services.prospect_correct_step(actor=request.user, step=step, **data)
        return f"已修改第{step.number}步“{name}”。", _prospect_page(prospect)

    title = f"修改第{step.number}步“{name}”：{prospect.name}"
    return form_page(request, form, save, title=title, back=_prospect_page(prospect), form_id="member-form")


@require_POST
@login_required
def prospect_delete_step(request, pk):
    step = _step(request, pk)
    prospect = step.prospect
    try:
        services.prospect_delete_step(actor=request.user, step=step)
        messages.success(request, f"已删除第{step.number}步“{development.STEPS[step.number].name}”。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("members:prospect", pk=prospect.pk)


@login_required
def prospect_promote(request, pk):
    prospect = _prospect(request, pk, write=True)
    next_stage = {Stage.APPLICANT: "入党积极分子", Stage.ACTIVIST: "发展对象"}.get(prospect.stage, "下一阶段")
    form = DateForm(request.POST or None)

    def save(data):
        services.prospect_promote(actor=request.user, prospect=prospect, **data)
        return f"{prospect.name}已确定为{next_stage}。", _prospect_page(prospect)

    title = f"确定为{next_stage}：{prospect.name}"
    return form_page(request, form, save, title=title, back=_prospect_page(prospect), form_id="member-form")


@login_required
def prospect_admit(request, pk):
    prospect = _prospect(request, pk, write=True)
    form = DateForm(request.POST or None)
    form.fields["date"].label = "上级党委审批日期"

    def save(data):
        member = services.prospect_admit(actor=request.user, prospect=prospect, **data)
        return f"{member.name}已接收为预备党员，入党日期{member.admitted_on:%Y年%-m月%-d日}。", _member_page(
            member
        )

    title = f"接收为预备党员：{prospect.name}"
    return form_page(request, form, save, title=title, back=_prospect_page(prospect), form_id="member-form")


@require_POST
@login_required
def prospect_withdraw(request, pk):
    prospect = _prospect(request, pk, write=True)
    try:
        services.prospect_withdraw(actor=request.user, prospect=prospect)
        messages.success(request, f"{prospect.name}已终止培养。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("members:prospect", pk=prospect.pk)


@login_required
def board_home(request):
    user = request.user
    if user.is_secretary:
        return redirect("members:board", pk=getattr(organization_of(user), "pk", None))
    root = Organization.objects.root_committee()
    if root is None:
        return redirect("members:prospects")
    return redirect("members:board", pk=root.pk)


@login_required
def board(request, pk):
    organization = get_visible_organization(request.user, pk)
    today = dates.today()
    columns = {stage: [] for stage in selectors.BOARD_STAGES}
    for prospect in selectors.board_prospects(organization):
        columns[prospect.stage].append(_card(prospect, today))
    context = {
        "organization": organization,
        "columns": [(Stage(stage).label, stage, cards) for stage, cards in columns.items()],
        "can_write": request.user.can_write,
    }
    return render(request, "members/board.html", context)


# --- honours -------------------------------------------------------------------------------------


@login_required
def commendation_list(request):
    commendation_filter = CommendationFilter(
        request.GET or None, queryset=selectors.commendations(request.user)
    )
    table = CommendationTable(commendation_filter.qs)
    context = {"filter": commendation_filter, "can_write": request.user.can_write}
    return table_page(request, table, "表彰", "members/commendations.html", context, per_page=PER_PAGE)


@login_required
def commendation_create(request):
    require_write(request.user)
    organizations = _writable_organizations(request.user)
    form = CommendationForm(request.POST or None, organizations=organizations)

    def save(cleaned):
        data = dict(cleaned)
        id_number = data.pop("member_id_number")
        member = None
        if id_number:
            member = selectors.roster(request.user).matching("id_number", id_number).first()
            if member is None:
                raise ValidationError({"member_id_number": "在您可查看的党员名册中没有该公民身份号码。"})
        services.commendation_create(actor=request.user, member=member, **data)
        return "表彰已记录。", reverse("members:commendations")

    back = reverse("members:commendations")
    return form_page(request, form, save, title="记录表彰", back=back, form_id="member-form")


def _year(request):
    return year_param(request, dates.today().year)


@login_required
def medals(request):
    user = request.user
    year = _year(request)
    eligible = selectors.medal_eligible(year, within=visible_organizations(user))
    eligible_table = MedalEligibleTable(eligible, can_award=user.can_write, year=year, prefix="e-")
    awarded_table = MedalAwardTable(selectors.medal_awards(user, year=year), prefix="a-")
    if request.GET.get("export") == "xlsx":
        return xlsx_table_response(eligible_table, f"{year}年符合条件党员", f"光荣在党50年-{year}.xlsx")
    RequestConfig(request, paginate={"per_page": 100}).configure(eligible_table)
    RequestConfig(request, paginate={"per_page": 100}).configure(awarded_table)
    context = {
        "year": year,
        "cutoff": selectors.medal_cutoff(year),
        "eligible_table": eligible_table,
        "awarded_table": awarded_table,
        "can_write": user.can_write,
        "award_form": MedalAwardForm(initial={"awarded_on": _chosen_medal_day(request) or medal_day(year)}),
    }
    return render(request, "members/medals.html", context)


def _chosen_medal_day(request):
    form = MedalAwardForm({"awarded_on": request.GET.get("awarded_on", "")})
    return form.cleaned_data["awarded_on"] if form.is_valid() else None


def medal_day(year):
    """The day the 光荣在党50年 medals are awarded unless told otherwise: 1 July of the year."""
    return datetime.date(year, 7, 1)


@require_POST
@login_required
def medal_award(request):
    year = _year(request)
    member = _member(request, request.POST.get("member"), write=True)
    user = request.user
    awarded_by = organization_of(user)
    if awarded_by is None:
        awarded_by = Organization.objects.root_committee()
    form = MedalAwardForm(request.POST)
    if form.is_valid():
        awarded_on = form.cleaned_data["awarded_on"]
    else:
        # Not given at all: the medal's day (1 July); given but not a date: refused by the service.
        awarded_on = medal_day(year) if not request.POST.get("awarded_on") else None
    try:
        services.medal_award(
            actor=user, member=member, year=year, awarded_on=awarded_on, awarded_by=awarded_by
        )
        messages.success(
            request,
            f"已为{member.name}记录{year}年“光荣在党50年”纪念章（颁发日期{dates.chinese_date(awarded_on)}）。",
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    # The next award of the list keeps the day chosen.
    day = f"&awarded_on={awarded_on.isoformat()}" if awarded_on else ""
    return redirect(f"{reverse('members:medals')}?year={year}{day}")


# --- the national roster (全国党员管理系统) ----------------------------------------------------------


@login_required
def national_export(request):
    """The roster (members on it today) in the national system's column order, for staff."""
    require_staff(request.user)
    members = (
        Member.objects.filter(left_on__isnull=True)
        .select_related("organization")
        .order_by("organization__name_order", "organization__name", "name_order", "name")
    )
    content = write_workbook([Sheet("党员", list(national.NATIONAL_COLUMNS), national.roster_rows(members))])
    return file_response(
        content, f"党员名册（全国党员管理系统格式）-{dates.today():%Y%m%d}.xlsx", XLSX_CONTENT_TYPE
    )


@login_required
def reconcile(request):
    """Upload a national roster: compared in the background (jiguan.jobs), the job's page lists who
    is missing on either side and which fields differ (nothing changes)."""
    require_staff(request.user)
    require_write(request.user)
    form = importing_web.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.start(
            reconciliation.JOB_KIND,
            title="与全国党员管理系统名册比对",
            actor=request.user,
            upload=form.cleaned_data["file"],
        )
        return redirect("job", pk=job.pk)
    recent = Job.objects.filter(kind=reconciliation.JOB_KIND).select_related("created_by")[:5]
    return render(request, "members/reconcile.html", {"form": form, "recent": recent})


@login_required
@require_POST
def reconcile_apply(request, pk):
    """Apply the differences staff ticked on a reconciliation's page, each audited."""
    require_staff(request.user)
    require_write(request.user)
    job = get_object_or_404(Job, pk=pk, kind=reconciliation.JOB_KIND, status=JobStatus.DONE)
    keys = request.POST.getlist("difference")
    try:
        changed = reconciliation.apply_differences(
            actor=request.user, differences=job.result["differences"], keys=keys
        )
    except ValidationError as exc:
        messages.error(request, "未能更新：" + "；".join(exc.messages))
    else:
        applied = sorted(set(job.result.get("applied", [])) | set(keys))
        Job.objects.filter(pk=job.pk).update(result={**job.result, "applied": applied})
        messages.success(request, f"已按全国党员管理系统名册更新{changed}项信息（均记入变更记录）。")
    return redirect("job", pk=job.pk)

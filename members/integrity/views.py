"""Pages of the member-level integrity records. Every list starts from the user's scope; a
secretary sees and enters their own subtree, leadership reads, staff do everything."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse

from jiguan import dates
from jiguan.permissions import require_staff
from jiguan.uploads import stored_file_response
from jiguan.web import add_service_errors, year_param
from members.integrity import selectors, services
from members.integrity.forms import (
    CommitmentForm,
    CommitmentRuleForm,
    EndRegistrationForm,
    RegistrationForm,
    RiskFormForm,
    ScanForm,
)
from members.integrity.models import CommunityRegistration, IntegrityCommitment
from members.models import Member
from organizations.models import Organization
from organizations.scoping import get_scoped_or_404, visible_organizations


def _year(request):
    return year_param(request, dates.today().year)


def _member(request, pk, *, write=False):
    return get_scoped_or_404(Member.objects.select_related("organization"), request.user, write=write, pk=pk)


def _run(form, service, **kwargs):
    """Call a service; its ValidationError lands on the form."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


# Organizations in one page of a completion table, most missing first: a county's 600 were 100 KB.
COMPLETION_PER_PAGE = 50


def _completion(request, required, done_field):
    """One page (?page=) of the completion per organization, most missing first, with the
    organization names, and the query string of the page's links (the other parameters kept)."""
    page = Paginator(_completion_rows(required, done_field), COMPLETION_PER_PAGE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    page.query = params.urlencode()
    return page


def _completion_rows(required, done_field):
    """Completion per organization, with the organization names (two queries)."""
    rows = selectors.completion_by_organization(required, done_field)
    names = dict(
        Organization.objects.filter(pk__in=[r["organization_then_id"] for r in rows]).values_list(
            "pk", "name"
        )
    )
    table = [
        {
            "pk": r["organization_then_id"],
            "organization": names.get(r["organization_then_id"], ""),
            "required": r["required"],
            "done": r["done"],
            "missing": r["required"] - r["done"],
            "percent": round(100 * r["done"] / r["required"]) if r["required"] else 100,
        }
        for r in rows
    ]
    return sorted(table, key=lambda r: (-r["missing"], r["organization"]))


def _with_names(members):
    """The members as a list, each with `organization_then_name` (one query for the names)."""
    members = list(members)
    names = dict(
        Organization.objects.filter(pk__in={m.organization_then_id for m in members}).values_list(
            "pk", "name"
        )
    )
    for m in members:
        m.organization_then_name = names.get(m.organization_then_id, "")
    return members


MEMBERS_SHOWN = 500


def _within(request):
    """The organizations a list covers: the user's scope, or the subtree of the organization chosen
    (?organization=), and whether the list of members is shown (a secretary's scope, or one chosen
    organization: the whole county's members are counted, not listed)."""
    user = request.user
    visible = visible_organizations(user)
    chosen = request.GET.get("organization", "")
    if chosen.isdigit() and visible.filter(pk=chosen).exists():
        organization = Organization.objects.get(pk=chosen)
        return Organization.objects.subtree_of(organization), organization, True
    return visible, None, not user.sees_everything


def _back(name, year):
    return f"{reverse(name)}?year={year}"


# --- 廉政承诺书 ------------------------------------------------------------------------------------


@login_required
def commitments(request):
    user = request.user
    year = _year(request)
    within, chosen, listed = _within(request)
    required = selectors.commitment_required(year, within=within)
    context = {
        "year": year,
        "rule": selectors.commitment_rule(year),
        "completion": _completion(request, required, "signed_on"),
        "members": _with_names(required[:MEMBERS_SHOWN]) if listed else None,
        "chosen": chosen,
        "can_write": user.can_write,
        "is_staff": user.is_committee_staff,
        "roll_day": selectors.roll_day(year),
        "section": "commitments",
    }
    return render(request, "integrity/commitments.html", context)


@login_required
def commitment_rule(request):
    require_staff(request.user)
    year = _year(request)
    rule = selectors.commitment_rule(year)
    initial = {"everyone": rule.everyone, "posts": rule.post_list} if rule else {"everyone": True}
    form = CommitmentRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            services.commitment_rule_set,
            actor=request.user,
            year=year,
            everyone=data["everyone"],
            posts=data["posts"],
        ):
            messages.success(request, f"已设置{year}年廉政承诺书的签订范围。")
            return redirect(_back("integrity:commitments", year))
    title = f"{year}年廉政承诺书签订范围"
    return render(
        request,
        "integrity/form.html",
        {"form": form, "title": title, "year": year, "back": "integrity:commitments"},
    )


@login_required
def commitment_record(request, member_pk):
    member = _member(request, member_pk, write=True)
    year = _year(request)
    form = CommitmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            services.commitment_record,
            actor=request.user,
            member=member,
            year=year,
            signed_on=data["signed_on"],
            scan=data.get("scan"),
        ):
            messages.success(request, f"已记录{member.name}签订{year}年廉政承诺书。")
            return redirect(_back("integrity:commitments", year))
    title = f"{member.name} · 签订{year}年廉政承诺书"
    context = {"form": form, "title": title, "year": year, "back": "integrity:commitments", "multipart": True}
    return render(request, "integrity/form.html", context)


def _commitment(request, pk, *, write=False):
    return get_scoped_or_404(
        IntegrityCommitment.objects.select_related("member"), request.user, write=write, pk=pk
    )


@login_required
def commitment_scan(request, pk):
    return stored_file_response(_commitment(request, pk).scan)


@login_required
def commitment_attach_scan(request, pk):
    commitment = _commitment(request, pk, write=True)
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if _run(
            form,
            services.commitment_attach_scan,
            actor=request.user,
            commitment=commitment,
            scan=form.cleaned_data["scan"],
        ):
            messages.success(request, "已上传签字扫描件。")
            return redirect(_back("integrity:commitments", commitment.year))
    title = f"{commitment.member.name} · {commitment.year}年廉政承诺书扫描件"
    context = {
        "form": form,
        "title": title,
        "year": commitment.year,
        "back": "integrity:commitments",
        "multipart": True,
    }
    return render(request, "integrity/form.html", context)


# --- 廉政风险防控表 -----------------------------------------------------------------------------------


@login_required
def risk_forms(request):
    user = request.user
    year = _year(request)
    within, chosen, listed = _within(request)
    required = selectors.risk_form_required(year, within=within)
    context = {
        "year": year,
        "completion": _completion(request, required, "filed_on"),
        "members": _with_names(required[:MEMBERS_SHOWN]) if listed else None,
        "chosen": chosen,
        "can_write": user.can_write,
        "roll_day": selectors.roll_day(year),
        "section": "risk_forms",
    }
    return render(request, "integrity/risk_forms.html", context)


@login_required
def risk_form_edit(request, member_pk):
    member = _member(request, member_pk, write=True)
    year = _year(request)
    existing = member.risk_forms.filter(year=year).first()
    initial = (
        {f: getattr(existing, f) for f in ("filed_on", "post", "risk_points", "level", "measures")}
        if existing
        else None
    )
    form = RiskFormForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _run(
            form, services.risk_form_save, actor=request.user, member=member, year=year, **form.cleaned_data
        ):
            messages.success(request, f"已保存{member.name}的{year}年廉政风险防控表。")
            return redirect(_back("integrity:risk_forms", year))
    title = f"{member.name} · {year}年廉政风险防控表"
    return render(
        request,
        "integrity/form.html",
        {"form": form, "title": title, "year": year, "back": "integrity:risk_forms"},
    )


# --- 双报到 ----------------------------------------------------------------------------------------


@login_required
def community(request):
    user = request.user
    day = dates.parse_iso(request.GET.get("day")) or dates.today()
    within, chosen, listed = _within(request)
    in_service = selectors.in_service_registration(day, within=within)
    context = {
        "day": day,
        "completion": _completion(request, in_service.annotate(registered=F("community")), "registered"),
        "members": _with_names(in_service[:MEMBERS_SHOWN]) if listed else None,
        "chosen": chosen,
        "registrations": list(selectors.registrations(user).order_by("-registered_on")[:200]),
        "can_write": user.can_write,
        "section": "community",
    }
    return render(request, "integrity/community.html", context)


@login_required
def community_register(request, member_pk):
    member = _member(request, member_pk, write=True)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(form, services.community_register, actor=request.user, member=member, **form.cleaned_data):
            messages.success(request, f"已登记{member.name}到社区报到。")
            return redirect("integrity:community")
    context = {"form": form, "title": f"{member.name} · 到社区报到", "back": "integrity:community"}
    return render(request, "integrity/form.html", context)


@login_required
def community_end(request, pk):
    registration = get_scoped_or_404(
        CommunityRegistration.objects.select_related("member"), request.user, write=True, pk=pk
    )
    form = EndRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(
            form,
            services.community_registration_end,
            actor=request.user,
            registration=registration,
            ended_on=form.cleaned_data["ended_on"],
        ):
            messages.success(
                request, f"已登记{registration.member.name}在“{registration.community}”的报到结束。"
            )
            return redirect("integrity:community")
    title = f"{registration.member.name} · 结束在“{registration.community}”的报到"
    return render(
        request, "integrity/form.html", {"form": form, "title": title, "back": "integrity:community"}
    )

"""The dues pages: a branch's month (recorded on a phone in a few taps), a member's dues, bases,
payments and their corrections, and the arrears list."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jiguan import dates
from jiguan.web import NotFound, submit
from members.dues import selectors, services
from members.dues.forms import BaseForm, BranchMonthForm, CorrectForm, PaymentForm, VoidForm
from members.dues.models import DuesPayment
from members.dues.months import label, month_of, months_between
from members.models import Member
from organizations.models import Kind
from organizations.scoping import (
    get_scoped_or_404,
    get_visible_organization,
    organization_of,
    visible_organizations,
)

ARREARS_PER_PAGE = 20


def _month(year, month) -> datetime.date:
    try:
        value = datetime.date(int(year), int(month), 1)
    except (TypeError, ValueError):
        raise NotFound("月份无法识别。") from None
    if not 1921 <= value.year <= dates.today().year + 1:
        raise NotFound(f"月份应在1921年至{dates.today().year + 1}年之间。")
    return value


def _member(request, pk, *, write=False):
    return get_scoped_or_404(Member.objects.select_related("organization"), request.user, write=write, pk=pk)


def _asks_confirmation(form):
    """jiguan.web.submit's on_refusal: a refusal asking for confirmation (an amount far above the
    due) shows the form's confirmation box."""

    def check(exc):
        if getattr(exc, "error_dict", None):
            codes = {e.code for errors in exc.error_dict.values() for e in errors}
            if services.CONFIRM_CODE in codes:
                form.needs_confirmation = True

    return check


def _month_url(organization, month):
    return reverse("dues:month", args=[organization.pk, month.year, month.month])


@login_required
def index(request):
    """A secretary goes straight to their branch's month; staff and leadership pick a branch."""
    user = request.user
    today = dates.today()
    own = organization_of(user) if user.is_secretary else None
    if own is not None and own.kind == Kind.BRANCH:
        return redirect(_month_url(own, month_of(today)))
    branches = (
        visible_organizations(user).existing_on(today).filter(kind=Kind.BRANCH).order_by("name_order", "name")
    )
    query = request.GET.get("q", "").strip()[:50]
    if query:
        branches = branches.filter(name__icontains=query)
    page = Paginator(branches, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "dues/index.html",
        {"page": page, "query": query, "month": month_of(today), "title": "党费"},
    )


@login_required
def month_page(request, pk, year, month):
    """A branch's month: who owes dues, the due, what was paid; pay all, or member by member."""
    organization = get_visible_organization(request.user, pk)
    month = _month(year, month)
    sheet = selectors.month_sheet(organization, month)
    rows = list(sheet)
    totals = selectors.sheet_totals(sheet)
    previous = (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return render(
        request,
        "dues/month.html",
        {
            "title": f"{organization.name} {label(month)}党费",
            "organization": organization,
            "month": month,
            "month_label": label(month),
            "quarter": (month.month - 1) // 3 + 1,
            "rows": rows,
            "totals": totals,
            "previous_url": _month_url(organization, previous),
            "next_url": _month_url(organization, following),
            "show_next": following <= month_of(dates.today()).replace(year=dates.today().year + 1),
            "form": BranchMonthForm(),
            "can_write": request.user.can_write,
            "today": dates.today(),
        },
    )


@login_required
@require_POST
def pay_all(request, pk, year, month):
    """The whole branch paid the month as due (or the members ticked)."""
    organization = get_visible_organization(request.user, pk, write=True)
    month = _month(year, month)
    form = BranchMonthForm(request.POST)
    ids = [int(x) for x in request.POST.getlist("member") if x.isdigit()] or None
    if form.is_valid():
        try:
            created = services.branch_pay_month(
                actor=request.user,
                organization=organization,
                month=month,
                paid_on=form.cleaned_data["paid_on"],
                member_ids=ids,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if created:
                total = sum(p.amount for p in created)
                messages.success(request, f"已记录{len(created)}名党员{label(month)}的党费，共{total}元。")
            else:
                messages.info(request, f"{label(month)}有缴费基数的党员均已交清。")
    else:
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[field].label if field in form.fields else ''}：{errors[0]}"
            )
    return redirect(_month_url(organization, month))


@login_required
@require_POST
def pay_member_month(request, pk, year, month):
    """One tap: the member paid the month as due, today."""
    member = _member(request, pk, write=True)
    month = _month(year, month)
    try:
        created = services.payment_record(
            actor=request.user, member=member, months=[month], paid_on=dates.today()
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{member.name}：{message}")
    else:
        messages.success(request, f"已记录{member.name}{label(month)}党费{created[0].amount}元。")
    back = request.POST.get("back", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("dues:member", pk=member.pk)


@login_required
def member_page(request, pk):
    """A member's dues: bases, the last months with due and paid, every payment (voided ones too)."""
    member = _member(request, pk)
    this_month = month_of(dates.today())
    first = max(month_of(member.admitted_on), this_month.replace(year=this_month.year - 2))
    months = list(reversed(selectors.member_month_rows(member, first=first)))
    return render(
        request,
        "dues/member.html",
        {
            "title": f"{member.name}的党费",
            "member": member,
            "bases": list(selectors.member_bases(member)),
            "months": months,
            "payments": list(selectors.member_payments(member)[:100]),
            "paid_up_to": selectors.paid_up_to(member),
            "transfer_paid_until": selectors.transfer_paid_until(member),
            "can_write": request.user.can_write,
        },
    )


def _form_page(request, form, title, member, submit_label="保存"):
    return render(
        request,
        "dues/form.html",
        {"form": form, "title": title, "member": member, "submit_label": submit_label},
    )


@login_required
def base_create(request, pk):
    member = _member(request, pk, write=True)
    initial = {"start_month": month_of(dates.today()).replace(month=1)}
    form = BaseForm(request.POST or None, initial=initial)

    def save(data):
        base = services.base_set(actor=request.user, member=member, **data)
        message = f"已登记{member.name}自{label(base.start_month)}起的缴费基数，每月应交{base.due}元。"
        return message, reverse("dues:member", args=[member.pk])

    return submit(request, form, save) or _form_page(request, form, f"缴费基数：{member.name}", member)


@login_required
def payment_create(request, pk):
    member = _member(request, pk, write=True)
    initial_month = request.GET.get("month")
    initial = {"first_month": initial_month or month_of(dates.today()).strftime("%Y-%m")}
    form = PaymentForm(request.POST or None, initial=initial)
    form.needs_confirmation = False

    def save(d):
        months = months_between(d["first_month"], d["last_month"] or d["first_month"])
        created = services.payment_record(
            actor=request.user,
            member=member,
            months=months,
            paid_on=d["paid_on"],
            amount=d["amount"],
            confirmed=d["confirmed"],
            note=d["note"],
        )
        total = sum(p.amount for p in created)
        months_text = "、".join(label(p.month) for p in created)
        back = request.POST.get("back", "")
        if not (back.startswith("/") and not back.startswith("//")):
            back = reverse("dues:member", args=[member.pk])
        return f"已记录{member.name}{months_text}的党费，共{total}元。", back

    return submit(request, form, save, on_refusal=_asks_confirmation(form)) or render(
        request,
        "dues/form.html",
        {
            "form": form,
            "title": f"交纳党费：{member.name}",
            "member": member,
            "submit_label": "记录交纳",
            "back": request.GET.get("back") or request.POST.get("back", ""),
        },
    )


def _payment(request, pk):
    payment = get_scoped_or_404(
        DuesPayment.objects.select_related("member", "organization"), request.user, write=True, pk=pk
    )
    return payment


@login_required
def payment_void(request, pk):
    payment = _payment(request, pk)
    form = VoidForm(request.POST or None)

    def save(data):
        services.payment_void(actor=request.user, payment=payment, **data)
        message = f"已作废{payment.member.name}{label(payment.month)}的一笔{payment.amount}元记录。"
        return message, reverse("dues:member", args=[payment.member_id])

    return submit(request, form, save) or _form_page(
        request,
        form,
        f"作废交纳记录：{payment.member.name} {label(payment.month)} {payment.amount}元",
        payment.member,
        "作废",
    )


@login_required
def payment_correct(request, pk):
    payment = _payment(request, pk)
    form = CorrectForm(request.POST or None, initial={"amount": payment.amount, "paid_on": payment.paid_on})
    form.needs_confirmation = False

    def save(data):
        services.payment_correct(actor=request.user, payment=payment, **data)
        message = f"已更正{payment.member.name}{label(payment.month)}的交纳记录。"
        return message, reverse("dues:member", args=[payment.member_id])

    return submit(request, form, save, on_refusal=_asks_confirmation(form)) or _form_page(
        request,
        form,
        f"更正交纳记录：{payment.member.name} {label(payment.month)} {payment.amount}元",
        payment.member,
        "更正",
    )


@login_required
def arrears(request):
    """Members on the roster with a complete month of the window short (or, ?warned=1, every month
    of the warning window unpaid), most months owed first; the page's members with the months."""
    user = request.user
    today = dates.today()
    warned = request.GET.get("warned") == "1"
    organization_ids = None
    if not user.sees_everything:
        organization_ids = list(visible_organizations(user).values_list("pk", flat=True))
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    count, rows = selectors.arrears_members(
        organization_ids,
        today,
        warned_only=warned,
        offset=(number - 1) * ARREARS_PER_PAGE,
        limit=ARREARS_PER_PAGE,
    )
    pages = max(1, -(-count // ARREARS_PER_PAGE))
    number = min(number, pages)
    page = {"number": number, "pages": pages, "count": count, "object_list": rows}
    ids = [r["member_id"] for r in page["object_list"]]
    members = Member.objects.select_related("organization").in_bulk(ids)
    window = selectors.warning_window(today) if warned else selectors.arrears_window(today)
    owed = selectors.member_owed_months(ids, window)
    entries = [
        {
            "member": members[r["member_id"]],
            "months": owed.get(r["member_id"], []),
            "owed": selectors.yuan(r["owed"]),
            "short": int(r["short_months"] or 0),
        }
        for r in page["object_list"]
        if r["member_id"] in members
    ]
    return render(
        request,
        "dues/arrears.html",
        {
            "title": "连续6个月未交党费的党员" if warned else "欠交党费的党员",
            "page": page,
            "entries": entries,
            "warned": warned,
            "window": (window[0], window[-1]) if window else None,
            "label": label,
        },
    )

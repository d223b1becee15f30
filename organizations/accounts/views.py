"""Accounts, managed by committee staff: create, edit (role and organization), reset a password, deactivate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from jiguan import audit
from jiguan import services as jiguan_services
from jiguan.forms import PasswordResetForm
from jiguan.models import User
from jiguan.permissions import require_staff
from jiguan.views import password_errors_on_field
from jiguan.web import form_page, submit
from organizations.accounts import selectors, services
from organizations.accounts.forms import AccountForm
from organizations.accounts.tables import AccountTable
from organizations.scoping import organization_of


@login_required
def account_list(request):
    require_staff(request.user)
    table = AccountTable(selectors.accounts())
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "jiguan/accounts.html", {"table": table})


@login_required
def account_create(request):
    require_staff(request.user)
    form = AccountForm(request.POST or None, creating=True)

    def save(data):
        try:
            user = services.account_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                organization=data["organization"],
                password=data["password"],
            )
        except ValidationError as exc:
            raise password_errors_on_field(exc) from exc
        return f"账号“{user.username}”已创建。", reverse("accounts:list")

    return form_page(request, form, save, title="新建账号", back=reverse("accounts:list"))


@login_required
def account_edit(request, pk):
    require_staff(request.user)
    user = get_object_or_404(User, pk=pk)
    initial = {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "organization": organization_of(user),
        "is_active": user.is_active,
    }
    form = AccountForm(request.POST or None, initial=initial, creating=False)

    def save(data):
        services.account_update(
            actor=request.user,
            user=user,
            full_name=data["full_name"],
            role=data["role"],
            organization=data["organization"],
            is_active=data["is_active"],
        )
        return f"账号“{user.username}”已保存。", reverse("accounts:list")

    return submit(request, form, save) or render(
        request,
        "jiguan/account_edit.html",
        {"form": form, "account": user, "history": audit.history_for(user)[:20]},
    )


@login_required
def account_reset_password(request, pk):
    require_staff(request.user)
    user = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST or None)

    def save(data):
        try:
            jiguan_services.user_set_password(actor=request.user, user=user, password=data["password"])
        except ValidationError as exc:
            raise password_errors_on_field(exc) from exc
        return f"账号“{user.username}”的密码已重置，锁定已解除。", reverse("accounts:list")

    return form_page(request, form, save, title=f"重置密码：{user}", back=reverse("accounts:list"))


@login_required
@require_POST
def account_deactivate(request, pk):
    require_staff(request.user)
    user = get_object_or_404(User, pk=pk)
    if user == request.user:
        messages.error(request, "不能停用自己的账号。")
    else:
        jiguan_services.user_deactivate(actor=request.user, user=user)
        messages.success(request, f"账号“{user.username}”已停用。")
    return redirect("accounts:list")

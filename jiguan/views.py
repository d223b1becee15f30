from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from jiguan import audit, selectors, services
from jiguan.forms import AccountForm, OwnPasswordForm, PasswordResetForm, SignInForm
from jiguan.models import User
from jiguan.scoping import require_staff
from jiguan.tables import AccountTable
from jiguan.web import NotFound, form_page, submit

sign_in = LoginView.as_view(
    template_name="jiguan/login.html", authentication_form=SignInForm, redirect_authenticated_user=True
)


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, "您已退出登录。")
    return redirect("login")


@login_required
def home(request):
    context = selectors.home_context(request.user)
    return render(request, "jiguan/home.html", context)


@login_required
def password_change(request):
    """Change one's own password; an account whose password staff set comes here first (jiguan.middleware)."""
    form = OwnPasswordForm(request.user, request.POST or None)

    def save(data):
        try:
            services.user_set_password(actor=request.user, user=request.user, password=data["new_password1"])
        except ValidationError as exc:
            raise _password_errors_on_field(exc, "new_password1") from exc
        update_session_auth_hash(request, request.user)
        return "密码已修改。", reverse("home")

    context = {"form": form, "title": "修改密码", "first_password": request.user.must_change_password}
    return submit(request, form, save) or render(request, "jiguan/password_change.html", context)


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
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                organization=data["organization"],
                password=data["password"],
            )
        except ValidationError as exc:
            raise _password_errors_on_field(exc) from exc
        return f"账号“{user.username}”已创建。", reverse("accounts:list")

    return form_page(request, form, save, title="新建账号", back=reverse("accounts:list"))


def _password_errors_on_field(exc, field="password"):
    """validate_password raises a plain list of messages; they belong to the password field."""
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {field if name == "password" else name: e for name, e in exc.error_dict.items()}
        )
    return ValidationError({field: exc.messages})


@login_required
def account_edit(request, pk):
    require_staff(request.user)
    user = get_object_or_404(User, pk=pk)
    initial = {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "organization": user.organization,
        "is_active": user.is_active,
    }
    form = AccountForm(request.POST or None, initial=initial, creating=False)

    def save(data):
        services.user_update(
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
            services.user_set_password(actor=request.user, user=user, password=data["password"])
        except ValidationError as exc:
            raise _password_errors_on_field(exc) from exc
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
        services.user_deactivate(actor=request.user, user=user)
        messages.success(request, f"账号“{user.username}”已停用。")
    return redirect("accounts:list")


@login_required
def history(request, content_type_id, object_id):
    """The change history of one record, for anyone who may see the record."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None:
        raise Http404("没有找到该记录。")
    obj = selectors.visible_record(request.user, model, object_id)
    return render(request, "jiguan/history.html", {"object": obj, "entries": audit.history_for(obj)[:200]})


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有权限进行此操作。"
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    message = str(exception) if isinstance(exception, NotFound) else ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    return render(
        request, "403.html", {"message": "页面已过期或来源无法验证，请刷新页面后重试。"}, status=403
    )


@login_required
def import_upload(request):
    """Upload a workbook: a dry run shows every row's error or what would be stored; then confirm."""
    require_staff(request.user)
    from jiguan import importing_web

    return importing_web.handle(request)


@login_required
def import_template(request):
    require_staff(request.user)
    from jiguan import importing_web

    return importing_web.template(request)

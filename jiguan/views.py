from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jiguan import services
from jiguan.forms import OwnPasswordForm, SignInForm
from jiguan.permissions import require_staff
from jiguan.web import NotFound, submit

sign_in = LoginView.as_view(
    template_name="jiguan/login.html", authentication_form=SignInForm, redirect_authenticated_user=True
)


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, "您已退出登录。")
    return redirect("login")


def password_errors_on_field(exc, field="password"):
    """validate_password raises a plain list of messages; they belong to the password field."""
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {field if name == "password" else name: e for name, e in exc.error_dict.items()}
        )
    return ValidationError({field: exc.messages})


@login_required
def password_change(request):
    """Change one's own password; an account whose password staff set comes here first (jiguan.middleware)."""
    form = OwnPasswordForm(request.user, request.POST or None)

    def save(data):
        try:
            services.user_set_password(actor=request.user, user=request.user, password=data["new_password1"])
        except ValidationError as exc:
            raise password_errors_on_field(exc, "new_password1") from exc
        update_session_auth_hash(request, request.user)
        return "密码已修改。", reverse("home")

    context = {"form": form, "title": "修改密码", "first_password": request.user.must_change_password}
    return submit(request, form, save) or render(request, "jiguan/password_change.html", context)


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

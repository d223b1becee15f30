from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError

from jiguan import bounds, services
from jiguan.models import Role
from jiguan.numbers import normalize_number
from jiguan.web import client_address
from organizations.models import Organization


class Form(forms.Form):
    """The base of every form: its dates and whole numbers are bounded as jiguan.bounds bounds the
    fields they are stored in, so no service computes with a year 9999 or a count of 10^30."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bounds.bound_form_field(field)


class SignInForm(AuthenticationForm):
    """Sign-in, counted before the password is checked (jiguan.services.sign_in_attempt).

    The answers are the same whether or not an account has the name typed."""

    error_messages = {
        "invalid_login": "用户名或密码不正确。连续失败%(max)s次后账号将被锁定%(minutes)s分钟。",
        "inactive": "用户名或密码不正确。连续失败%(max)s次后账号将被锁定%(minutes)s分钟。",
        "locked": "该账号因连续登录失败已被锁定，请%(minutes)s分钟后再试，或请工委工作人员重置密码。",
        "address_locked": "本机登录失败次数过多，请%(minutes)s分钟后再试。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()
        address = client_address(self.request) if self.request is not None else ""
        refusal = services.sign_in_attempt(username=username, address=address)
        if refusal:
            raise ValidationError(self.error_messages[refusal], code=refusal, params=self._params())
        cleaned = super().clean()  # checks the password; a wrong one keeps the failure counted
        services.sign_in_succeeded(username=username, address=address)
        return cleaned

    def _params(self):
        return {"max": settings.LOGIN_MAX_FAILURES, "minutes": settings.LOGIN_LOCK_MINUTES}

    def get_invalid_login_error(self):
        return ValidationError(
            self.error_messages["invalid_login"], code="invalid_login", params=self._params()
        )

    def confirm_login_allowed(self, user):
        if not user.is_active:  # only with a backend that lets inactive accounts authenticate
            raise self.get_invalid_login_error()


class NumberField(forms.CharField):
    """A number typed by a person (ID number, phone number): normalised (jiguan.numbers) before
    any check, so full-width digits, spaces and a lower-case x count as the plain number."""

    def to_python(self, value):
        return normalize_number(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("minlength", None)  # spaces typed between groups of digits are allowed
        if self.max_length is not None:
            attrs["maxlength"] = str(self.max_length + 10)
        return attrs


class DateInput(forms.DateInput):
    """The browser's own date picker (a phone shows its date wheel). The value is always written
    yyyy-mm-dd, the only format an <input type="date"> accepts, whatever the locale's format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


class AccountForm(Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    organization = OrganizationChoiceField(
        label="所在党组织",
        queryset=Organization.objects.active(),
        required=False,
        help_text="党组织书记必填：只能查看和维护本组织及其下级组织。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, required=False, strip=False)

    def __init__(self, *args, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["password"].required = True
            del self.fields["is_active"]
        else:
            self.fields["username"].disabled = True
            del self.fields["password"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.SECRETARY and not cleaned.get("organization"):
            self.add_error("organization", "党组织书记必须指定所在党组织。")
        return cleaned


class PasswordResetForm(Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", "两次输入的密码不一致。")
        return cleaned


class OwnPasswordForm(PasswordChangeForm):
    """A person changing their own password (the first time: the one staff gave them)."""

    error_messages = {
        "password_mismatch": "两次输入的新密码不一致。",
        "password_incorrect": "原密码不正确，请重新输入。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields["new_password2"].help_text = ""

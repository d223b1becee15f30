from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiguan import bounds, services
from jiguan.docnumbers import normalize_document_number
from jiguan.numbers import normalize_number
from jiguan.web import client_address


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


# The URL name of the page answering the committee's register of document numbers as the user
# types: given by the app that keeps the register (activities' AppConfig.ready), read when a field is drawn.
DOCUMENT_REGISTER = {"url_name": ""}


def register_document_numbers(url_name: str) -> None:
    DOCUMENT_REGISTER["url_name"] = url_name


class DocumentNumberInput(forms.TextInput):
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if DOCUMENT_REGISTER["url_name"]:
            context["widget"]["attrs"]["data-register-url"] = reverse(DOCUMENT_REGISTER["url_name"])
        return context


class DocumentNumberField(forms.CharField):
    """A 文号 typed or chosen from the committee's register (the browser offers the register's numbers
    as the user types, site.js), checked to the GB/T 9704 form and normalised (jiguan.docnumbers)."""

    widget = DocumentNumberInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "文号")
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "从发文登记中选择，或按格式填写，如 示党工通〔2025〕3号")
        super().__init__(**kwargs)
        self.widget.attrs["autocomplete"] = "off"

    def to_python(self, value):
        return normalize_document_number(super().to_python(value))

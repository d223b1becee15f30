from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy

from jiguan import bounds, services
from jiguan.docnumbers import normalize_document_number
from jiguan.models import Role
from jiguan.numbers import normalize_number
from jiguan.web import client_address
from jiguan.widgets import MultipleSearchPicker, SearchPicker, SearchPickerMixin
from organizations.models import Organization, OrganizationVersion


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


class _OrganizationPicking(SearchPickerMixin):
    """An organization picker (jiguan.widgets): found by name or pinyin initials as the user types,
    within the field's queryset, which the view sets to what the user may see.

    - `date_field`: the form field holding the record's day. The picker offers the organizations
      that existed that day, named as they were, and asks again when the day changes; the service
      refuses a day before the founding or after the dissolution (the server decides).
    - `date_mode="since"`: organizations not dissolved by that day, founded then or later (a member
      admitted elsewhere before their organization existed).
    - `kinds`, `current_only` (not dissolved), `restrict(...)`: narrow the queryset and the search alike.
    """

    placeholder = "输入名称或拼音首字母查找，如 wsj"
    not_found_message = "没有找到名为“%(name)s”的党组织，请输入名称后从列表中选择。"
    ambiguous_message = "有多个名为“%(name)s”的党组织，请输入名称后从列表中选择。"

    def __init__(
        self, *, date_field=None, date_mode="on", kinds=None, current_only=False, queryset=None, **kwargs
    ):
        self.kinds = tuple(kinds or ())
        self.current_only = current_only
        self.excluded = ()
        super().__init__(queryset=Organization.objects.none() if queryset is None else queryset, **kwargs)
        data = {}
        if date_field:
            data.update(date_field=date_field, date_mode=date_mode)
        if self.kinds:
            data["kinds"] = " ".join(self.kinds)
        if current_only:
            data["current"] = "1"
        self.widget.url = reverse_lazy("organizations:pick")
        self.widget.data.update(data)
        self.widget.placeholder = self.placeholder
        self._setup_widget()

    def _set_queryset(self, queryset):
        self.base_queryset = queryset
        if queryset is not None:
            if self.kinds:
                queryset = queryset.filter(kind__in=self.kinds)
            if self.current_only:
                queryset = queryset.active()
            if self.excluded:
                queryset = queryset.exclude(pk__in=self.excluded)
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        if self.base_queryset is not None:
            result.queryset = self.base_queryset.all()
        return result

    def restrict(self, *, kinds=None, current_only=None, exclude=None):
        """Narrow the field (what it accepts and what its search offers alike): `kinds`,
        `current_only` (not dissolved), `exclude` (organizations left out, e.g. the one being moved)."""
        if kinds is not None:
            self.kinds = tuple(kinds)
            self.widget.data["kinds"] = " ".join(self.kinds)
        if current_only is not None:
            self.current_only = current_only
            self.widget.data["current"] = "1" if current_only else ""
        if exclude is not None:
            self.excluded = tuple(getattr(o, "pk", o) for o in exclude if o is not None)
            self.widget.data["exclude"] = " ".join(str(pk) for pk in self.excluded)
        self.queryset = self.base_queryset  # the setter applies them

    def labels(self, values, day=None):
        """The chosen organizations' names: as they were on the record's day (one query more)."""
        chosen = super().labels(values)
        if not chosen or day is None or self.widget.data.get("date_mode") != "on":
            return chosen
        then = dict(
            OrganizationVersion.objects.valid_on(day)
            .filter(organization_id__in=[pk for pk, _ in chosen])
            .values_list("organization_id", "name")
        )
        return [(pk, then.get(int(pk), label)) for pk, label in chosen]

    def find_by_name(self, queryset, name):
        return queryset.filter(Q(name=name) | Q(versions__name=name))

    def label_from_instance(self, obj):
        return obj.name


class OrganizationPickerField(_OrganizationPicking, forms.ModelChoiceField):
    widget = SearchPicker

    def to_python(self, value):
        if self.is_typed(value):
            value = self.resolve_typed(value)
        return super().to_python(value)


class OrganizationsPickerField(_OrganizationPicking, forms.ModelMultipleChoiceField):
    """Several organizations (联合开展党组织): chosen one by one, each shown with a remove button."""

    widget = MultipleSearchPicker

    def clean(self, value):
        if value:
            errors, resolved = [], []
            for item in value:
                try:
                    resolved.append(self.resolve_typed(item) if self.is_typed(item) else item)
                except ValidationError as exc:
                    errors.extend(exc.messages)
            if errors:
                raise ValidationError(errors)
            value = list(dict.fromkeys(str(v) for v in resolved))
        return super().clean(value)


class AccountForm(Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    organization = OrganizationPickerField(
        label="所在党组织",
        queryset=Organization.objects.all(),
        current_only=True,
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


class DocumentNumberField(forms.CharField):
    """A 文号 typed or chosen from the committee's register (the browser offers the register's numbers
    as the user types, site.js), checked to the GB/T 9704 form and normalised (jiguan.docnumbers)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "文号")
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "从发文登记中选择，或按格式填写，如 示党工通〔2025〕3号")
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"data-register-url": reverse_lazy("activities:document_numbers"), "autocomplete": "off"}
        )

    def to_python(self, value):
        return normalize_document_number(super().to_python(value))

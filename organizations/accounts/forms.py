from django import forms

from jiguan.forms import Form
from jiguan.models import Role
from organizations.models import Organization
from organizations.pickers import OrganizationPickerField


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

from django import forms

from jiguan import dates
from jiguan.forms import DateInput, Form
from members.integrity.models import RiskLevel
from organizations.models import Post


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput(), initial=dates.today)


class CommitmentForm(Form):
    signed_on = _date("签订日期")
    scan = forms.FileField(label="签字扫描件（PDF或图片）", required=False)


class ScanForm(Form):
    scan = forms.FileField(label="签字扫描件（PDF或图片）")


class CommitmentRuleForm(Form):
    everyone = forms.BooleanField(label="全体党员签订", required=False, initial=True)
    posts = forms.MultipleChoiceField(
        label="签订职务（不是全体党员时）",
        choices=Post.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RiskFormForm(Form):
    filed_on = _date("填报日期")
    post = forms.CharField(label="岗位", max_length=100, required=False)
    risk_points = forms.CharField(label="风险点", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    level = forms.ChoiceField(label="风险等级", choices=[("", "—")] + RiskLevel.choices, required=False)
    measures = forms.CharField(label="防控措施", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RegistrationForm(Form):
    community = forms.CharField(label="社区", max_length=100)
    registered_on = _date("报到日期")


class EndRegistrationForm(Form):
    ended_on = _date("结束日期")

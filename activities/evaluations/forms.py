from django import forms

from activities.evaluations.models import REPORTING_KINDS, AppraisalGrade, ReportGrade, TargetKind
from jiguan import dates
from jiguan.forms import DateInput, Form
from members.forms import MemberPickerField
from organizations.pickers import OrganizationPickerField


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput(), initial=dates.today)


class SecretaryReportForm(Form):
    reported_on = _date("述职日期")
    secretary_name = forms.CharField(
        label="书记姓名", max_length=50, required=False, help_text="留空则按述职当日的任职记录"
    )
    grade = forms.ChoiceField(
        label="评议等次", choices=[("", "（尚未评定）")] + ReportGrade.choices, required=False
    )
    file = forms.FileField(label="述职报告（PDF或图片）", required=False)


class ReportGradeForm(Form):
    grade = forms.ChoiceField(label="评议等次", choices=ReportGrade.choices)


class AppraisalForm(Form):
    """The day and activity of a branch's 民主评议党员; one grade field per member is added by the view."""

    held_on = _date("评议日期", required=False)
    activity = forms.ModelChoiceField(
        label="民主评议党员活动", queryset=None, required=False, empty_label="（不关联）"
    )

    def __init__(self, *args, activities=None, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda a: f"{a.date:%Y-%m-%d} {a.title}"
        self.members = list(members)
        for member in self.members:
            if member.status_then == "FULL":
                self.fields[f"grade_{member.pk}"] = forms.ChoiceField(
                    label=member.name, choices=[("", "—")] + AppraisalGrade.choices, required=False
                )

    def grade_fields(self):
        """(member, bound field or None for a probationary member), in roll order."""
        return [(m, self[f"grade_{m.pk}"] if f"grade_{m.pk}" in self.fields else None) for m in self.members]

    def grades(self):
        return {
            m: self.cleaned_data[f"grade_{m.pk}"]
            for m in self.members
            if f"grade_{m.pk}" in self.fields and self.cleaned_data.get(f"grade_{m.pk}")
        }


class SheetForm(Form):
    title = forms.CharField(label="名称", max_length=100, initial="基层党建工作考核量化表")
    target_kind = forms.ChoiceField(label="考核对象", choices=TargetKind.choices)


class ItemForm(Form):
    name = forms.CharField(label="考核内容", max_length=200)
    points = forms.DecimalField(label="分值", max_digits=6, decimal_places=1, min_value=0.1)
    criteria = forms.CharField(label="评分标准", max_length=300, required=False)


class TargetForm(Form):
    """An organization to assess, or (for a sheet assessing members) a member."""

    organization = OrganizationPickerField(label="党组织", kinds=REPORTING_KINDS, required=False)
    member = MemberPickerField(label="党员", required=False)

    def __init__(self, *args, organizations=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["member"].queryset = members


class ScoresForm(Form):
    def __init__(self, *args, items=(), scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=f"{item.position}. {item.name}（{item.points}分）",
                max_digits=6,
                decimal_places=1,
                required=False,
                initial=(scores or {}).get(item.pk),
            )

    def scores(self):
        return {item: self.cleaned_data.get(f"item_{item.pk}") for item in self.items}

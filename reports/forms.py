from django import forms

from jiguan.forms import Form
from organizations.pickers import OrganizationPickerField


class AnnualReportForm(Form):
    title = forms.CharField(
        label="标题", max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    text = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 28, "id": "id_text"}),
        help_text="每行一段；“一、”开头的行为一级标题，“（一）”开头的段落以楷体小标题起首。"
        "数字用占位符填写，如 {{ orgs_total }}；约数加“余”：{{ members_in_service|余 }}。",
    )


class ChooseReportForm(Form):
    # Any organization the user may see, dissolved ones too (the summaries of their past years).
    organization = OrganizationPickerField(label="党组织")
    year = forms.TypedChoiceField(
        label="年度", coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, organizations, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].widget.attrs["class"] = "form-control"
        self.fields["year"].choices = [(y, f"{y}年") for y in years]


class DashboardForm(Form):
    """The dashboard's organization (those a report is made for, not dissolved) and year."""

    org = OrganizationPickerField(label="党组织", current_only=True, required=False)
    year = forms.TypedChoiceField(
        label="年度",
        coerce=int,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )

    def __init__(self, *args, organizations, kinds, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = organizations
        self.fields["org"].restrict(kinds=kinds)
        self.fields["org"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["year"].choices = [(y, f"{y}年") for y in years]

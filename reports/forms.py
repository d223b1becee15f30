from django import forms

from jiguan.forms import Form


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
    organization = forms.ModelChoiceField(
        label="党组织", queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    year = forms.TypedChoiceField(
        label="年度", coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, organizations, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["year"].choices = [(y, f"{y}年") for y in years]

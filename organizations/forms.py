import datetime

from django import forms

from jiguan.forms import DateInput, Form, OrganizationChoiceField
from organizations.models import Kind, Organization, Post, Unit


def _date_field(label, required=True, initial=None):
    return forms.DateField(label=label, required=required, widget=DateInput(), initial=initial)


def _document_field():
    return forms.CharField(label="文号", max_length=50, required=False, help_text="例如：党工通〔2025〕12号")


class FoundForm(Form):
    kind = forms.ChoiceField(label="组织类别", choices=Kind.choices)
    name = forms.CharField(label="组织名称", max_length=100)
    parent = OrganizationChoiceField(label="上级组织", queryset=Organization.objects.none(), required=False)
    unit = forms.ModelChoiceField(label="所在单位", queryset=Unit.objects.all(), required=False)
    founded_on = _date_field("成立日期", initial=datetime.date.today)
    term_years = forms.IntegerField(
        label="任期（年）", required=False, min_value=1, max_value=10, help_text="留空则按组织类别的规定任期"
    )
    document_number = _document_field()

    def __init__(self, *args, parents, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        if kinds is not None:
            self.fields["kind"].choices = [(k, Kind(k).label) for k in kinds]


class RenameForm(Form):
    new_name = forms.CharField(label="新名称", max_length=100)
    date = _date_field("更名日期", initial=datetime.date.today)
    document_number = _document_field()


class MoveForm(Form):
    new_parent = OrganizationChoiceField(label="新的上级组织", queryset=Organization.objects.none())
    date = _date_field("调整日期", initial=datetime.date.today)
    document_number = _document_field()

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class MergeForm(Form):
    into = OrganizationChoiceField(label="划入的党组织", queryset=Organization.objects.none())
    date = _date_field("划入日期", initial=datetime.date.today)
    document_number = _document_field()

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets


class DissolveForm(Form):
    date = _date_field("撤销日期", initial=datetime.date.today)
    document_number = _document_field()


class OrganizationEditForm(Form):
    unit = forms.ModelChoiceField(label="所在单位", queryset=Unit.objects.all(), required=False)
    term_years = forms.IntegerField(
        label="任期（年）", required=False, min_value=1, max_value=10, help_text="留空则按组织类别的规定任期"
    )


class UnitForm(Form):
    name = forms.CharField(label="单位名称", max_length=100)
    leading_group_name = forms.CharField(label="党组（党委）名称", max_length=100, required=False)
    leading_group_secretary = forms.CharField(label="党组（党委）书记", max_length=50, required=False)


class AppointmentForm(Form):
    person_name = forms.CharField(label="姓名", max_length=50)
    post = forms.ChoiceField(label="职务", choices=Post.choices)
    start_on = _date_field("任职日期", initial=datetime.date.today)
    end_on = _date_field("免职日期", required=False)
    document_number = _document_field()


class AppointmentEndForm(Form):
    end_on = _date_field("免职日期", initial=datetime.date.today)


class ElectionForm(Form):
    elected_on = _date_field("选举日期", initial=datetime.date.today)
    term_number = forms.IntegerField(
        label="届次", required=False, min_value=1, help_text="留空则为上一届的下一届"
    )
    document_number = _document_field()


class LiaisonForm(Form):
    leader_name = forms.CharField(label="班子成员", max_length=50)
    organization = OrganizationChoiceField(label="联系的党组织", queryset=Organization.objects.none())
    start_on = _date_field("开始日期", initial=datetime.date.today)
    end_on = _date_field("结束日期", required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class LiaisonEndForm(Form):
    end_on = _date_field("结束日期", initial=datetime.date.today)

from django import forms

from jiguan import dates
from jiguan.forms import DateInput, DocumentNumberField, Form
from organizations.models import Kind, Post, Unit
from organizations.pickers import OrganizationPickerField

# Kinds that may stand above another organization (a 党小组 has nothing below it).
PARENT_KINDS = [k for k in Kind.values if k != Kind.PARTY_GROUP]


def _date_field(label, required=True, initial=None):
    return forms.DateField(label=label, required=required, widget=DateInput(), initial=initial)


def _document_field():
    return DocumentNumberField()


class FoundForm(Form):
    kind = forms.ChoiceField(label="组织类别", choices=Kind.choices)
    name = forms.CharField(label="组织名称", max_length=100)
    parent = OrganizationPickerField(
        label="上级组织", date_field="founded_on", kinds=PARENT_KINDS, required=False
    )
    unit = forms.ModelChoiceField(label="所在单位", queryset=Unit.objects.all(), required=False)
    founded_on = _date_field("成立日期", initial=dates.today)
    term_years = forms.IntegerField(
        label="任期（年）", required=False, min_value=1, max_value=10, help_text="留空则按组织类别的规定任期"
    )
    document_number = _document_field()

    def __init__(self, *args, parents, parent_kinds=None, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        if parent_kinds is not None:
            self.fields["parent"].restrict(kinds=parent_kinds)
        if kinds is not None:
            self.fields["kind"].choices = [(k, Kind(k).label) for k in kinds]


class RenameForm(Form):
    new_name = forms.CharField(label="新名称", max_length=100)
    date = _date_field("更名日期", initial=dates.today)
    document_number = _document_field()


class MoveForm(Form):
    new_parent = OrganizationPickerField(label="新的上级组织", date_field="date", kinds=PARENT_KINDS)
    date = _date_field("调整日期", initial=dates.today)
    document_number = _document_field()

    def __init__(self, *args, parents, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents
        self.fields["new_parent"].restrict(exclude=[organization])


class MergeForm(Form):
    into = OrganizationPickerField(label="划入的党组织", date_field="date")
    date = _date_field("划入日期", initial=dates.today)
    document_number = _document_field()

    def __init__(self, *args, targets, kinds, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets
        self.fields["into"].restrict(kinds=kinds, exclude=[organization])


class DissolveForm(Form):
    date = _date_field("撤销日期", initial=dates.today)
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
    start_on = _date_field("任职日期", initial=dates.today)
    end_on = _date_field("免职日期", required=False)
    document_number = _document_field()


class AppointmentEndForm(Form):
    end_on = _date_field("免职日期", initial=dates.today)


class ElectionForm(Form):
    elected_on = _date_field("选举日期", initial=dates.today)
    term_number = forms.IntegerField(
        label="届次", required=False, min_value=1, help_text="留空则为上一届的下一届"
    )
    document_number = _document_field()


class LiaisonForm(Form):
    leader_name = forms.CharField(label="班子成员", max_length=50)
    organization = OrganizationPickerField(label="联系的党组织", date_field="start_on")
    start_on = _date_field("开始日期", initial=dates.today)
    end_on = _date_field("结束日期", required=False)

    def __init__(self, *args, organizations, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].restrict(exclude=[committee])


class LiaisonEndForm(Form):
    end_on = _date_field("结束日期", initial=dates.today)

from django import forms
from django.urls import reverse_lazy

from jiguan import dates
from jiguan.forms import DateInput, DocumentNumberField, Form, NumberField
from jiguan.widgets import SearchPicker, SearchPickerMixin
from members import development
from members.dues.forms import MonthField
from members.models import Category, CommendationKind, Gender, LeftReason, Member, TransferScope
from organizations.pickers import OrganizationPickerField


def _date_field(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput(), initial=dates.today)


def _organization_field(label="所在党组织", required=True, date_field="date", date_mode="on"):
    """An organization picker offering what existed on the form's date (jiguan.forms)."""
    return OrganizationPickerField(label=label, required=required, date_field=date_field, date_mode=date_mode)


class MemberPickerField(SearchPickerMixin, forms.ModelChoiceField):
    """A member found by name as the user types (jiguan.widgets), among the members on the roster
    on the form's date (`date_field`) that the user may see. The view sets the queryset (the
    scope); the service checks the roster on the record's day."""

    widget = SearchPicker
    not_found_message = "党员名册中没有“%(name)s”，请输入姓名后从列表中选择。"
    ambiguous_message = "名册中有多名“%(name)s”，请输入姓名后从列表中选择。"

    def __init__(self, *, date_field=None, queryset=None, **kwargs):
        super().__init__(queryset=Member.objects.none() if queryset is None else queryset, **kwargs)
        self.widget.url = reverse_lazy("members:pick")
        self.widget.placeholder = "输入姓名查找"
        if date_field:
            self.widget.data["date_field"] = date_field
        self._setup_widget()

    def to_python(self, value):
        if self.is_typed(value):
            value = self.resolve_typed(value)
        return super().to_python(value)

    def find_by_name(self, queryset, name):
        return queryset.filter(name=name, left_on__isnull=True)

    def label_from_instance(self, obj):
        return obj.name


class _OrganizationsForm(Form):
    """A form whose organization fields offer only what the user may see (and existed on its date)."""

    organization_fields = ()

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.organization_fields:
            if name in self.fields and organizations is not None:
                self.fields[name].queryset = organizations


class PersonForm(_OrganizationsForm):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    id_number = NumberField(label="公民身份号码", max_length=18, min_length=18)
    birth_date = forms.DateField(
        label="出生日期", required=False, widget=DateInput(), help_text="留空则按公民身份号码"
    )
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族", required=False)
    education = forms.CharField(label="学历", max_length=20, required=False)
    phone = NumberField(label="联系电话", max_length=20, required=False)


class NationalDetailsForm(Form):
    """The member's details kept as the national system writes them (all optional)."""

    degree = forms.CharField(label="学位", max_length=20, required=False)
    native_place = forms.CharField(label="籍贯", max_length=50, required=False)
    work_post = forms.CharField(
        label="工作岗位", max_length=50, required=False, help_text="如 在岗职工、离退休人员"
    )
    residence = forms.CharField(label="现居住地", max_length=200, required=False)
    lost_contact = forms.BooleanField(label="失联党员", required=False)
    floating = forms.BooleanField(label="流动党员", required=False)


class MemberCreateForm(PersonForm, NationalDetailsForm):
    organization_fields = ("organization",)
    # A member admitted elsewhere may join an organization founded after their 入党日期.
    organization = _organization_field(date_field="admitted_on", date_mode="since")
    category = forms.ChoiceField(label="人员类别", choices=Category.choices)
    admitted_on = _date_field("入党日期")
    confirmed_on = forms.DateField(
        label="转正日期", required=False, widget=DateInput(), help_text="预备党员留空"
    )


class MemberEditForm(PersonForm, NationalDetailsForm):
    pass


class TransferInForm(MemberCreateForm):
    # A member arriving from outside: the national details are added on their page afterwards.
    degree = native_place = work_post = residence = lost_contact = floating = None
    organization = _organization_field()
    date = _date_field("转入日期")
    scope = forms.ChoiceField(label="转接范围", choices=TransferScope.choices)
    external_organization = forms.CharField(label="原党组织", max_length=100)
    dues_paid_until = MonthField(
        label="党费交至年月", required=False, help_text="转入前在原党组织交纳党费至哪个月"
    )


class MoveForm(_OrganizationsForm):
    organization_fields = ("to_organization",)
    to_organization = _organization_field("新党组织")
    date = _date_field("调整日期")
    as_transfer = forms.BooleanField(label="记为县内组织关系转接（转入）", required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class TransferOutForm(Form):
    date = _date_field("转出日期")
    scope = forms.ChoiceField(label="转接范围", choices=TransferScope.choices)
    external_organization = forms.CharField(label="转往党组织", max_length=100)
    dues_paid_until = MonthField(
        label="党费交至年月", required=False, help_text="默认为已连续交清的最后一个月"
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class ConfirmForm(Form):
    date = _date_field("转正日期")
    note = forms.CharField(label="说明", max_length=200, required=False)


class ExtendProbationForm(Form):
    months = forms.IntegerField(
        label="延长月数", min_value=1, max_value=24, help_text="6至12个月，只能延长一次"
    )
    date = _date_field("决定日期")
    note = forms.CharField(label="说明", max_length=200, required=False)


class CategoryForm(Form):
    category = forms.ChoiceField(label="新人员类别", choices=Category.choices)
    date = _date_field("变更日期")
    note = forms.CharField(label="说明", max_length=200, required=False)


class LeaveForm(Form):
    reason = forms.ChoiceField(
        label="离开原因", choices=[(LeftReason.EXPELLED, "出党"), (LeftReason.DIED, "去世")]
    )
    date = _date_field("日期")
    note = forms.CharField(label="说明", max_length=200, required=False)


class ProspectForm(PersonForm):
    organization_fields = ("organization",)
    organization = _organization_field(date_field="applied_on")
    category = forms.ChoiceField(label="人员类别", choices=Category.choices)
    applied_on = _date_field("递交入党申请书日期")


class StepForm(Form):
    number = forms.TypedChoiceField(
        label="步骤", coerce=int, choices=[(n, f"第{n}步 {s.name}") for n, s in development.STEPS.items()]
    )
    done_on = _date_field("完成日期")
    mentors = forms.CharField(label="培养联系人", max_length=100, required=False, help_text="第5步填写")
    sponsors = forms.CharField(label="入党介绍人", max_length=100, required=False, help_text="第9步填写")
    days = forms.IntegerField(label="培训天数", min_value=0, required=False, help_text="第11步填写天数或学时")
    hours = forms.IntegerField(label="培训学时", min_value=0, required=False)
    voters_entitled = forms.IntegerField(
        label="有表决权的正式党员数", min_value=0, required=False, help_text="第15、23步填写"
    )
    votes_for = forms.IntegerField(label="赞成票", min_value=0, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class StepCorrectForm(Form):
    done_on = _date_field("完成日期")
    days = forms.IntegerField(label="培训天数", min_value=0, required=False, help_text="第11步填写天数或学时")
    hours = forms.IntegerField(label="培训学时", min_value=0, required=False)
    voters_entitled = forms.IntegerField(
        label="有表决权的正式党员数", min_value=0, required=False, help_text="第15、23步填写"
    )
    votes_for = forms.IntegerField(label="赞成票", min_value=0, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class DateForm(Form):
    date = _date_field("日期")
    note = forms.CharField(label="说明", max_length=200, required=False)


class CommendationForm(_OrganizationsForm):
    organization_fields = ("granted_by", "recipient_organization")
    kind = forms.ChoiceField(label="表彰类别", choices=CommendationKind.choices)
    granted_by = _organization_field("表彰/推荐单位")
    date = _date_field("日期")
    member_id_number = NumberField(
        label="党员公民身份号码",
        max_length=18,
        required=False,
        help_text="个人表彰：填写党员的公民身份号码，或填写姓名",
    )
    person_name = forms.CharField(label="姓名", max_length=50, required=False)
    recipient_organization = _organization_field("受表彰党组织", required=False)
    recommended = forms.BooleanField(label="向上推荐", required=False)
    higher_body = forms.CharField(label="推荐至", max_length=100, required=False)
    document_number = DocumentNumberField()


class MedalAwardForm(Form):
    """The day the medals listed are awarded; the page offers 1 July of the year."""

    awarded_on = forms.DateField(label="颁发日期", widget=DateInput(attrs={"class": "form-control"}))

"""Entry forms, quick to fill on a phone: native date inputs, checkboxes for topics and people.
They only read input; the rules live in activities.services."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from activities.models import Activity, ActivityKind, DocumentKind, ItemStatus, ListKind, Topic
from activities.services import CondolenceEntry
from jiguan import dates
from jiguan.forms import DateInput, Form, OrganizationChoiceField
from members.models import Member, Prospect, Stage
from organizations.models import Organization


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (photos, scanned sign-in sheets, PDF)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class StyledForm(Form):
    """Bootstrap classes on every widget, so the shared form template renders cleanly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class OrganizationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProspectChoiceField(forms.ModelMultipleChoiceField):
    """Prospects labelled with their stage on the training's date (selectors.people_for's `stage_then`)."""

    def label_from_instance(self, obj):
        stage = getattr(obj, "stage_then", None)
        return f"{obj.name}（{Stage(stage).label if stage else '尚未递交申请'}）"


def parse_condolence_lines(text):
    """One person a line: 姓名 金额 情况 (amount in yuan; separated by spaces, commas or 、)."""
    entries = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = [p for p in re.split(r"[\s,，、]+", line.strip(), maxsplit=2) if p]
        if not parts:
            continue
        amount = Decimal("0")
        if len(parts) > 1:
            try:
                amount = Decimal(parts[1].removesuffix("元"))
            except InvalidOperation:
                raise ValidationError(f"第{number}行的慰问金“{parts[1]}”不是数字。") from None
        entries.append(
            CondolenceEntry(person_name=parts[0], amount=amount, note=parts[2] if len(parts) > 2 else "")
        )
    return entries


class ActivityForm(StyledForm):
    organization = OrganizationChoiceField(label="党组织", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="活动类型", choices=ActivityKind.choices)
    date = forms.DateField(label="日期", widget=DateInput())
    title = forms.CharField(label="主题", max_length=200)
    topics = forms.MultipleChoiceField(
        label="专题", choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    place = forms.CharField(label="地点", max_length=100, required=False)
    expected_count = forms.IntegerField(
        label="应到人数",
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    attended_count = forms.IntegerField(
        label="实到人数",
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="勾选了参加党员时，按勾选人数计算。",
    )
    attendees = MemberChoiceField(
        label="参加党员", queryset=Member.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    joined_organizations = OrganizationMultipleChoiceField(
        label="联合开展党组织", queryset=Organization.objects.none(), required=False
    )
    host = forms.CharField(label="主持人", max_length=50, required=False)
    recorder = forms.CharField(label="记录人", max_length=50, required=False)
    minutes = forms.CharField(label="会议记录", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    volunteer_community = forms.CharField(
        label="服务社区", max_length=100, required=False, help_text="志愿服务活动填写。"
    )
    condolence_lines = forms.CharField(
        label="慰问对象及慰问金",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "每行一人：姓名 金额 情况，如：张三 500 老党员"}
        ),
        help_text="走访慰问活动填写，每行一人。",
    )
    trainees = ProspectChoiceField(
        label="参训入党积极分子、发展对象",
        queryset=Prospect.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="培训活动填写，括号内为培训日期当天的发展阶段（按发展步骤的日期）；参训党员请勾选“参加党员”。",
    )
    attachments = MultipleFileField(
        label="照片、签到表或PDF", required=False, help_text="可多选，JPG、PNG 或 PDF，单个文件不超过 10 MB。"
    )

    # Fields that belong to one kind: the entry page shows them only when that kind is chosen.
    KIND_FIELDS = {
        "volunteer_community": ActivityKind.VOLUNTEER_SERVICE,
        "condolence_lines": ActivityKind.CONDOLENCE_VISIT,
        "trainees": ActivityKind.TRAINING,
    }

    def __init__(self, *args, organizations, members=None, prospects=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.active().order_by("name")
        self.fields["joined_organizations"].queryset = Organization.objects.active().order_by("name")
        self.fields["joined_organizations"].widget.attrs["size"] = 4
        if members is None:
            del self.fields["attendees"]
        else:
            self.fields["attendees"].queryset = members
        if prospects is None:
            del self.fields["trainees"]
        else:
            self.fields["trainees"].queryset = prospects
        if editing:
            self.fields["organization"].disabled = True
        for name, kind in self.KIND_FIELDS.items():
            if name in self.fields:
                self.fields[name].kind = kind
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "checks"

    def clean_condolence_lines(self):
        return parse_condolence_lines(self.cleaned_data.get("condolence_lines"))


class DocumentForm(StyledForm):
    prefix = forms.CharField(
        label="发文字号", max_length=30, initial="党工通", help_text="文号由系统按年度顺序编号。"
    )
    kind = forms.ChoiceField(
        label="文件类别",
        choices=[(k, label) for k, label in DocumentKind.choices if k not in (DocumentKind.REMINDER,)],
    )
    title = forms.CharField(label="标题", max_length=200)
    issued_on = forms.DateField(label="发文日期", widget=DateInput(), initial=dates.today)
    file = forms.FileField(label="文件（PDF）", required=False)


class ResponsibilityListForm(StyledForm):
    kind = forms.ChoiceField(label="清单类别", choices=ListKind.choices)
    prefix = forms.CharField(label="发文字号", max_length=30, initial="党工通")
    title = forms.CharField(label="标题", max_length=200)
    issued_on = forms.DateField(label="发文日期", widget=DateInput(), initial=dates.today)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    items = forms.CharField(
        label="事项",
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": "每行一项：任务｜责任人｜完成时限（如 2026-06-30）"}
        ),
        help_text="每行一项，用“｜”或“|”分隔任务、责任人、完成时限；责任人、时限可省略。",
    )
    file = forms.FileField(label="文件（PDF）", required=False)

    def clean_items(self):
        from activities.services import ItemEntry

        entries = []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            parts = [p.strip() for p in re.split(r"[|｜]", line)]
            if not parts or not parts[0]:
                continue
            deadline = None
            if len(parts) > 2 and parts[2]:
                try:
                    deadline = datetime.date.fromisoformat(parts[2])
                except ValueError:
                    raise ValidationError(
                        f"第{number}行的完成时限“{parts[2]}”不是日期（如 2026-06-30）。"
                    ) from None
            entries.append(
                ItemEntry(
                    task=parts[0], responsible_person=parts[1] if len(parts) > 1 else "", deadline=deadline
                )
            )
        if not entries:
            raise ValidationError("至少填写一项。")
        return entries


class ItemForm(StyledForm):
    task = forms.CharField(label="任务", max_length=300)
    responsible_person = forms.CharField(label="责任人", max_length=50, required=False)
    responsible_organization = OrganizationChoiceField(
        label="责任党组织", queryset=Organization.objects.none(), required=False
    )
    deadline = forms.DateField(label="完成时限", widget=DateInput(), required=False)
    status = forms.ChoiceField(label="状态", choices=ItemStatus.choices)
    done_on = forms.DateField(label="完成日期", widget=DateInput(), required=False)
    evidence_file = forms.FileField(label="佐证材料", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organization"].queryset = Organization.objects.active().order_by("name")


class LetterForm(StyledForm):
    subject = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 12}))


class LetterIssueForm(StyledForm):
    prefix = forms.CharField(label="发文字号", max_length=30, initial="党工提")
    issued_on = forms.DateField(label="发出日期", widget=DateInput(), initial=dates.today)


class HandledForm(StyledForm):
    handling_note = forms.CharField(label="办理情况", max_length=300, required=False)


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.date:%Y年%-m月%-d日} {obj.title}（{obj.organization.name}）"


class EvidenceFilterForm(StyledForm):
    """The GET filter that finds older activities to link as evidence of an item."""

    kind = forms.ChoiceField(
        label="活动类型", choices=[("", "全部类型"), *ActivityKind.choices], required=False
    )
    until = forms.DateField(label="日期不晚于", widget=DateInput(), required=False)


class ItemProgressForm(StyledForm):
    """What the responsible organization records of an item: status, done date and evidence."""

    status = forms.ChoiceField(label="状态", choices=ItemStatus.choices)
    done_on = forms.DateField(
        label="完成日期", widget=DateInput(), required=False, help_text="状态为已完成时填写，不填为今天。"
    )
    evidence_activities = ActivityChoiceField(
        label="佐证活动",
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="本年度本组织（含下级组织）开展的活动，最近的在前。",
    )
    evidence_file = forms.FileField(
        label="佐证材料",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        help_text="JPG、PNG 或 PDF，不超过 10 MB；重新上传将替换原文件。",
    )

    def __init__(self, *args, activities, shown=None, **kwargs):
        """`activities` are all that may be linked (what is checked on save); `shown`, when given,
        the part listed as checkboxes (the latest ones and those linked or ticked)."""
        super().__init__(*args, **kwargs)
        field = self.fields["evidence_activities"]
        field.queryset = activities
        if shown is not None:
            field.widget.choices = [(a.pk, field.label_from_instance(a)) for a in shown]

"""Entry forms, quick to fill on a phone: native date inputs, checkboxes for topics and people.
They only read input; the rules live in activities.services."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from activities import selectors
from activities.models import (
    AbsenceReason,
    Activity,
    ActivityKind,
    Document,
    DocumentKind,
    ItemStatus,
    ListKind,
    ReminderReason,
    Topic,
)
from activities.services import AbsenceEntry, CondolenceEntry
from jiguan import dates
from jiguan.forms import DateInput, Form
from jiguan.masking import unmask
from jiguan.names import normalize_name
from jiguan.numbers import normalize_number
from members import idnumber
from members.forms import MemberPickerField
from members.models import Member, Prospect, Stage
from organizations import selectors as organization_selectors
from organizations.pickers import OrganizationPickerField, OrganizationsPickerField


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


def show_next_number(form, date_field):
    """The prefix field says which number the document will be given (for its prefix and year), and
    number.js keeps saying it as the prefix or the date changes."""
    from django.urls import reverse

    field = form.fields["prefix"]
    prefix = form.data.get(form.add_prefix("prefix")) if form.is_bound else form.initial.get("prefix")
    day = dates.parse_iso(form.data.get(form.add_prefix(date_field))) if form.is_bound else None
    day = day or form.initial.get(date_field) or dates.today()
    if callable(day):
        day = day()
    field.widget.attrs.update(
        {"data-next-number": reverse("activities:next_number"), "data-date-field": f"id_{date_field}"}
    )
    field.help_text = next_number_text(prefix, day.year)


def next_number_text(prefix, year):
    prefix = normalize_number(prefix)
    if not prefix:
        return "文号由系统按发文字号和年度顺序编号。"
    return f"将编为：{selectors.next_number(prefix, year)}（按发文字号和年度顺序编号）"


# What marks an item of a pasted list as a key task (重点任务), in its fourth column.
KEY_TASK_MARKS = ("", "重点")


class RegulationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProspectChoiceField(forms.ModelMultipleChoiceField):
    """Prospects labelled with their stage on the training's date (selectors.people_for's `stage_then`)."""

    def label_from_instance(self, obj):
        stage = getattr(obj, "stage_then", None)
        return f"{obj.name}（{Stage(stage).label if stage else '尚未递交申请'}）"


class CondolenceForm(Form):
    """One person visited (走访慰问): a member picked from the roster, or someone outside it by
    name, with an ID number when known (two people of one name stay two people; one person
    visited twice with the same ID number counts once)."""

    member = MemberPickerField(label="党员（从名册选择）", required=False, date_field="date")
    person_name = forms.CharField(label="或：非党员姓名", max_length=50, required=False)
    id_number = forms.CharField(
        label="公民身份号码（选填）",
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    amount = forms.DecimalField(
        label="慰问金（元）",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    note = forms.CharField(label="情况", max_length=200, required=False)

    def __init__(self, *args, members=None, originals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else Member.objects.none()
        self.originals = originals  # the ID numbers recorded, shown masked to whoever may not see them

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("id_number"):
            cleaned["id_number"] = unmask(normalize_number(cleaned["id_number"]), self.originals)
        member, name = cleaned.get("member"), (cleaned.get("person_name") or "").strip()
        if member is not None and name:
            self.add_error("person_name", "已从名册选择党员，非党员姓名请留空（每行一人）。")
        elif member is None and not name and "person_name" not in self.errors and "member" not in self.errors:
            if cleaned.get("amount") or cleaned.get("id_number"):
                self.add_error("person_name", "请从名册选择党员，或填写非党员的姓名。")
        number = (cleaned.get("id_number") or "").strip()
        if number and member is None:
            try:
                idnumber.validate_id_number(number)
            except ValidationError as exc:
                self.add_error("id_number", exc.messages[0])
        return cleaned

    def entry(self):
        """The person as the service takes them, or None for a row left empty."""
        data = self.cleaned_data
        member, name = data.get("member"), (data.get("person_name") or "").strip()
        if member is None and not name:
            return None
        return CondolenceEntry(
            person_name=name,
            member=member,
            id_number="" if member is not None else (data.get("id_number") or ""),
            amount=data.get("amount") or Decimal("0"),
            note=data.get("note") or "",
        )


class _CondolenceFormSet(forms.BaseFormSet):
    def __init__(self, *args, members=None, originals=(), **kwargs):
        self.members = members
        self.originals = originals
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "members": self.members, "originals": self.originals}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            members=self.members,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def entries(self):
        return [entry for form in self.forms if (entry := form.entry()) is not None]


# Two empty rows without JavaScript; with it, 添加一人 adds more (activity_form.js).
CondolenceFormSet = forms.formset_factory(CondolenceForm, formset=_CondolenceFormSet, extra=2, max_num=500)


class AbsenceForm(Form):
    """One member who did not attend, and why (缺席党员及原因)."""

    member = MemberPickerField(label="缺席党员", required=False, date_field="date")
    reason = forms.ChoiceField(label="缺席原因", choices=[("", "—")] + AbsenceReason.choices, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else Member.objects.none()

    def clean(self):
        cleaned = super().clean()
        member, reason = cleaned.get("member"), cleaned.get("reason")
        if member is not None and not reason:
            self.add_error("reason", f"请选择{member.name}的缺席原因。")
        elif (
            member is None and (reason or (cleaned.get("note") or "").strip()) and "member" not in self.errors
        ):
            self.add_error("member", "请选择缺席的党员（每行一人）。")
        return cleaned

    def entry(self):
        """The absentee as the service takes them, or None for a row left empty."""
        data = self.cleaned_data
        if data.get("member") is None:
            return None
        return AbsenceEntry(
            member=data["member"], reason=data.get("reason") or "", note=data.get("note") or ""
        )


class _AbsenceFormSet(forms.BaseFormSet):
    def __init__(self, *args, members=None, **kwargs):
        self.members = members
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "members": self.members}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            members=self.members,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def entries(self):
        return [entry for form in self.forms if (entry := form.entry()) is not None]


# Two empty rows without JavaScript; with it, 添加一人 adds more (activity_form.js).
AbsenceFormSet = forms.formset_factory(AbsenceForm, formset=_AbsenceFormSet, extra=2, max_num=500)


class ActivityForm(Form):
    organization = OrganizationPickerField(label="党组织", date_field="date")
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
    joined_organizations = OrganizationsPickerField(
        label="联合开展党组织",
        date_field="date",
        required=False,
        help_text="可选多个：输入名称或拼音首字母，逐个选择。",
    )
    host = forms.CharField(label="主持人", max_length=50, required=False)
    recorder = forms.CharField(label="记录人", max_length=50, required=False)
    minutes = forms.CharField(label="会议记录", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    volunteer_community = forms.CharField(
        label="服务社区",
        max_length=100,
        required=False,
        help_text="志愿服务活动填写；可从党员报到的社区中选择。",
        # The communities members registered with (双报到), offered by members.templatetags.integrity_tags.
        widget=forms.TextInput(attrs={"list": "registered-communities"}),
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
        "trainees": ActivityKind.TRAINING,
    }

    def __init__(self, *args, organizations, members=None, prospects=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Dissolved organizations included: a record dated before the dissolution (the pickers
        # offer those existing on the date typed, activities.services refuses any other day).
        self.fields["organization"].queryset = organizations
        self.fields["joined_organizations"].queryset = organizations
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


class DocumentForm(Form):
    prefix = forms.CharField(label="发文字号", max_length=30)
    kind = forms.ChoiceField(
        label="文件类别",
        choices=[(k, label) for k, label in DocumentKind.choices if k not in (DocumentKind.REMINDER,)],
    )
    title = forms.CharField(label="标题", max_length=200)
    issued_on = forms.DateField(label="发文日期", widget=DateInput(), initial=dates.today)
    revises = RegulationChoiceField(
        label="修订的内部制度",
        queryset=Document.objects.none(),
        required=False,
        empty_label="（不是修订）",
        help_text="内部制度修订时选择被修订的原制度；新制度的页面会链接到原制度。",
    )
    file = forms.FileField(label="文件（PDF）", required=False)

    def __init__(self, *args, regulations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revises"].queryset = regulations


class ResponsibilityListForm(Form):
    """A list issued with its items pasted as lines. Each item's responsible organization (责任党组织)
    is named in its second column and matched exactly (after NFKC and trimming) to an organization
    existing on the issue date; a name that matches none, or several, is flagged on its line and
    nothing is saved, so that every item reaches the branch answering for it."""

    kind = forms.ChoiceField(label="清单类别", choices=ListKind.choices)
    prefix = forms.CharField(label="发文字号", max_length=30)
    title = forms.CharField(label="标题", max_length=200)
    issued_on = forms.DateField(label="发文日期", widget=DateInput(), initial=dates.today)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    pick = OrganizationPickerField(
        label="插入责任党组织",
        date_field="issued_on",
        required=False,
        help_text="从党组织树中查找并选择，名称插入到下面“事项”光标所在行的第二栏。",
    )
    items = forms.CharField(
        label="事项",
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "placeholder": "每行一项：任务｜责任党组织｜责任人｜完成时限（如 2026-06-30）｜重点",
                "data-item-lines": "1",
            }
        ),
        help_text="每行一项，用“｜”或“|”分隔：任务｜责任党组织｜责任人｜完成时限｜重点。"
        "责任党组织写党组织的准确名称（可用上面的查找插入），重点任务在第五栏写“重点”；"
        "责任人、时限可省略。",
    )
    file = forms.FileField(label="文件（PDF）", required=False)

    field_order = ["kind", "prefix", "title", "issued_on", "year", "pick", "items", "file"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = organizations
        self.fields["pick"].queryset = organizations
        self.fields["pick"].widget.attrs["data-insert-into"] = "id_items"

    def clean_pick(self):
        return None  # a helper for typing the lines, never saved

    def clean(self):
        cleaned = super().clean()
        lines = cleaned.get("items")
        if not lines:
            return cleaned
        day = cleaned.get("issued_on") or dates.today()
        names = {entry.responsible_organization for _, entry in lines if entry.responsible_organization}
        found = organization_selectors.organizations_named(self.organizations, names, day)
        problems = []
        for number, entry in lines:
            name = entry.responsible_organization
            if not name:
                problems.append(f"第{number}行没有写责任党组织。")
            elif len(found.get(name, ())) != 1:
                why = "有多个同名党组织" if found.get(name) else "没有找到这个党组织"
                problems.append(
                    f"第{number}行的责任党组织“{name}”：{why}（{day:%Y年%-m月%-d日}），请用“插入责任党组织”选择。"
                )
            else:
                entry.responsible_organization = found[name][0]
        if problems:
            self.add_error("items", problems)
        else:
            cleaned["items"] = [entry for _, entry in lines]
        return cleaned

    def clean_items(self):
        from activities.services import ItemEntry

        entries = []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            parts = [p.strip() for p in re.split(r"[|｜]", line)]
            if not parts or not parts[0]:
                continue
            parts += [""] * (5 - len(parts))
            deadline = None
            if parts[3]:
                try:
                    deadline = datetime.date.fromisoformat(normalize_number(parts[3]))
                except ValueError:
                    raise ValidationError(
                        f"第{number}行的完成时限“{parts[3]}”不是日期（如 2026-06-30）。"
                    ) from None
            key = parts[4]
            if key not in KEY_TASK_MARKS:
                raise ValidationError(f"第{number}行第五栏“{key}”：重点任务请写“重点”，其他事项留空。")
            entries.append(
                (
                    number,
                    ItemEntry(
                        task=parts[0],
                        responsible_organization=normalize_name(parts[1]),
                        responsible_person=parts[2],
                        deadline=deadline,
                        is_key_task=bool(key),
                    ),
                )
            )
        if not entries:
            raise ValidationError("至少填写一项。")
        return entries


class ItemForm(Form):
    task = forms.CharField(label="任务", max_length=300)
    is_key_task = forms.BooleanField(
        label="重点任务", required=False, help_text="党建工作要点的重点任务计入年度报告“重点任务”项数。"
    )
    responsible_person = forms.CharField(label="责任人", max_length=50, required=False)
    responsible_organization = OrganizationPickerField(label="责任党组织", current_only=True, required=False)
    deadline = forms.DateField(label="完成时限", widget=DateInput(), required=False)
    status = forms.ChoiceField(label="状态", choices=ItemStatus.choices)
    done_on = forms.DateField(label="完成日期", widget=DateInput(), required=False)
    evidence_file = forms.FileField(label="佐证材料", required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organization"].queryset = organizations


class LetterForm(Form):
    subject = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 12}))


class LetterWriteForm(Form):
    """A reminder letter written by hand (beside those drafted from what is due): to an organization
    existing on the letter's date, which is also the day it is issued unless changed then."""

    addressee = OrganizationPickerField(label="收函党组织", date_field="written_on")
    written_on = forms.DateField(label="成文日期", widget=DateInput(), initial=dates.today)
    reason = forms.ChoiceField(label="事由", choices=ReminderReason.choices, initial=ReminderReason.OTHER)
    subject = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="第一行写收函党组织名称加冒号（如“××党支部：”），打印时顶格。",
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = organizations


class LetterIssueForm(Form):
    prefix = forms.CharField(label="发文字号", max_length=30)
    issued_on = forms.DateField(label="发出日期", widget=DateInput(), initial=dates.today)


class HandledForm(Form):
    handling_note = forms.CharField(label="办理情况", max_length=300, required=False)


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.date:%Y年%-m月%-d日} {obj.title}（{obj.organization.name}）"


class EvidenceFilterForm(Form):
    """The GET filter that finds older activities to link as evidence of an item."""

    kind = forms.ChoiceField(
        label="活动类型", choices=[("", "全部类型"), *ActivityKind.choices], required=False
    )
    until = forms.DateField(label="日期不晚于", widget=DateInput(), required=False)


class ItemProgressForm(Form):
    """What the responsible organization records of an item: status, done date and evidence."""

    status = forms.ChoiceField(label="状态", choices=ItemStatus.choices)
    done_on = forms.DateField(
        label="完成日期", widget=DateInput(), required=False, help_text="状态为已完成时填写，不填为今天。"
    )
    progress_note = forms.CharField(
        label="进展情况",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="做了什么、还差什么，不超过1000字。",
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

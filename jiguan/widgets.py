"""The search picker: a field whose choices are found by typing, never shipped as <option>s.

The page carries only what is chosen (a hidden input per id) and a text box; jiguan/static/jiguan/
picker.js turns the text box into an accessible combobox that asks the field's search address as
the user types (and again when the date the field depends on changes). Without JavaScript the text
box still works: a name typed exactly is looked up when the form is posted.

The choices stay the field's queryset: a posted id outside it (out of the user's scope, or not
existing on the record's day when the service checks it) is refused on the server.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join

from jiguan import dates

# What separates several names typed without JavaScript into a multiple picker.
NAME_SEPARATORS = re.compile(r"[、，,；;\n]+")
# The prefix of a name typed (not picked) in the values the widget hands to its field.
TYPED = "="
TEXT_SUFFIX = "__text"


class SearchPicker(forms.Widget):
    """A combobox over a search address. `labels` (set by the field) names the chosen values."""

    multiple = False
    placeholder = "输入名称查找"

    def __init__(self, attrs=None, *, url="", data=None, placeholder=None):
        super().__init__(attrs)
        self.url = url
        self.data = dict(data or {})
        self.labels = lambda values, day=None: []
        self.day = None
        if placeholder:
            self.placeholder = placeholder

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.data = dict(self.data)  # each form's field narrows its own copy
        return copied

    def _values(self, value):
        if value in (None, ""):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [getattr(v, "pk", v) for v in values if v not in (None, "")]

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        input_id = attrs.pop("id", f"id_{name}")
        css = attrs.pop("class", "form-control")
        values = self._values(value)
        typed = [v[len(TYPED) :] for v in values if isinstance(v, str) and v.startswith(TYPED)]
        chosen = self.labels(
            [v for v in values if not (isinstance(v, str) and v.startswith(TYPED))], day=self.day
        )
        data = {"url": str(self.url), "name": name, **self.data}
        if self.multiple:
            data["multiple"] = ""
        data_attrs = format_html_join(
            " ", 'data-{}="{}"', ((k.replace("_", "-"), v) for k, v in data.items())
        )
        list_id = f"{input_id}_listbox"
        if self.multiple:
            items = format_html_join(
                "",
                '<li class="picker-chip"><input type="hidden" name="{}" value="{}"><span>{}</span>'
                '<button type="button" class="btn-close" data-remove aria-label="移除{}"></button></li>',
                ((name, pk, label, label) for pk, label in chosen),
            )
            chosen_html = format_html('<ul class="picker-chosen" aria-label="已选择">{}</ul>', items)
            text = "、".join(typed)
        else:
            pk, label = chosen[0] if chosen else ("", "")
            chosen_html = format_html(
                '<input type="hidden" name="{}" value="{}" id="{}_value">', name, pk, input_id
            )
            text = typed[0] if typed else label
        extra = format_html_join(
            " ",
            "{}",
            (
                (format_html("{}", k) if v is True else format_html('{}="{}"', k, v),)
                for k, v in attrs.items()
                if v not in (None, False)
            ),
        )
        return format_html(
            '<div class="picker" data-picker {}>{}'
            '<input type="text" class="{}" id="{}" name="{}{}" value="{}" autocomplete="off" '
            'role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="{}" '
            'placeholder="{}" {}>'
            '<ul class="picker-list list-group" id="{}" role="listbox" hidden></ul>'
            '<div class="picker-status form-text" aria-live="polite"></div></div>',
            data_attrs,
            chosen_html,
            css,
            input_id,
            name,
            TEXT_SUFFIX,
            text,
            list_id,
            self.placeholder,
            extra,
            list_id,
        )

    def value_from_datadict(self, data, files, name):
        """The ids picked, and any name typed without picking it (prefixed with TYPED)."""
        text = (data.get(name + TEXT_SUFFIX) or "").strip()
        if self.multiple:
            values = [
                v for v in (data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])) if v
            ]
            typed = [t.strip() for t in NAME_SEPARATORS.split(text) if t.strip()]
            return values + [TYPED + t for t in typed]
        value = data.get(name)
        if value:
            return value
        return TYPED + text if text else None

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + TEXT_SUFFIX not in data

    def id_for_label(self, id_):
        return id_


class MultipleSearchPicker(SearchPicker):
    multiple = True


class _PickerBoundField(BoundField):
    """Tells the widget the record's day (the value of the form's date field) before it renders,
    so that the chosen records are named as they were that day from the first paint."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        self.field.widget.day = self.field.record_day(self.form)
        return super().as_widget(widget, attrs, only_initial)


class SearchPickerMixin:
    """What a picker field adds to a ModelChoiceField: its widget names the chosen records, and a
    name typed instead of picked is looked up (`find_by_name`, defined by the field)."""

    def get_bound_field(self, form, field_name):
        return _PickerBoundField(form, self, field_name)

    def record_day(self, form):
        """The day in the form's date field (data-date-field), if it holds one."""
        name = self.widget.data.get("date_field")
        if not name or name not in form.fields:
            return None
        value = form[name].value()
        if isinstance(value, datetime.date):
            return value
        return dates.parse_iso(value) if isinstance(value, str) else None

    not_found_message = "没有找到“%(name)s”，请输入名称后从列表中选择。"
    ambiguous_message = "有多个名为“%(name)s”的记录，请从列表中选择。"

    def _setup_widget(self):
        self.widget.labels = self.labels

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._setup_widget()
        return result

    def labels(self, values, day=None):
        pks = [v for v in values if str(v).isdigit()]
        if not pks or self.queryset is None:
            return []
        # Within the field's queryset: a posted id out of the user's scope never shows its name.
        found = {str(o.pk): o for o in self.queryset.filter(pk__in=pks)}
        return [(pk, self.label_from_instance(found[str(pk)])) for pk in pks if str(pk) in found]

    def find_by_name(self, queryset, name):
        raise NotImplementedError

    def resolve_typed(self, value):
        """The pk of a typed name, within the field's queryset."""
        name = value[len(TYPED) :]
        matches = list(self.find_by_name(self.queryset, name).values_list("pk", flat=True).distinct()[:2])
        if not matches:
            raise ValidationError(self.not_found_message, code="not_found", params={"name": name})
        if len(matches) > 1:
            raise ValidationError(self.ambiguous_message, code="ambiguous", params={"name": name})
        return matches[0]

    @staticmethod
    def is_typed(value):
        return isinstance(value, str) and value.startswith(TYPED)

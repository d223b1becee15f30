"""Organization pickers for any form or filter bar (jiguan.widgets does the typing and searching)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy

from jiguan.widgets import MultipleSearchPicker, SearchPicker, SearchPickerMixin
from organizations.models import Organization, OrganizationVersion


class _OrganizationPicking(SearchPickerMixin):
    """An organization picker (jiguan.widgets): found by name or pinyin initials as the user types,
    within the field's queryset, which the view sets to what the user may see.

    - `date_field`: the form field holding the record's day. The picker offers the organizations
      that existed that day, named as they were, and asks again when the day changes; the service
      refuses a day before the founding or after the dissolution (the server decides).
    - `date_mode="since"`: organizations not dissolved by that day, founded then or later (a member
      admitted elsewhere before their organization existed).
    - `kinds`, `current_only` (not dissolved), `restrict(...)`: narrow the queryset and the search alike.
    """

    placeholder = "输入名称或拼音首字母查找，如 wsj"
    not_found_message = "没有找到名为“%(name)s”的党组织，请输入名称后从列表中选择。"
    ambiguous_message = "有多个名为“%(name)s”的党组织，请输入名称后从列表中选择。"

    def __init__(
        self, *, date_field=None, date_mode="on", kinds=None, current_only=False, queryset=None, **kwargs
    ):
        self.kinds = tuple(kinds or ())
        self.current_only = current_only
        self.excluded = ()
        super().__init__(queryset=Organization.objects.none() if queryset is None else queryset, **kwargs)
        data = {}
        if date_field:
            data.update(date_field=date_field, date_mode=date_mode)
        if self.kinds:
            data["kinds"] = " ".join(self.kinds)
        if current_only:
            data["current"] = "1"
        self.widget.url = reverse_lazy("organizations:pick")
        self.widget.data.update(data)
        self.widget.placeholder = self.placeholder
        self._setup_widget()

    def _set_queryset(self, queryset):
        self.base_queryset = queryset
        if queryset is not None:
            if self.kinds:
                queryset = queryset.filter(kind__in=self.kinds)
            if self.current_only:
                queryset = queryset.active()
            if self.excluded:
                queryset = queryset.exclude(pk__in=self.excluded)
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        if self.base_queryset is not None:
            result.queryset = self.base_queryset.all()
        return result

    def restrict(self, *, kinds=None, current_only=None, exclude=None):
        """Narrow the field (what it accepts and what its search offers alike): `kinds`,
        `current_only` (not dissolved), `exclude` (organizations left out, e.g. the one being moved)."""
        if kinds is not None:
            self.kinds = tuple(kinds)
            self.widget.data["kinds"] = " ".join(self.kinds)
        if current_only is not None:
            self.current_only = current_only
            self.widget.data["current"] = "1" if current_only else ""
        if exclude is not None:
            self.excluded = tuple(getattr(o, "pk", o) for o in exclude if o is not None)
            self.widget.data["exclude"] = " ".join(str(pk) for pk in self.excluded)
        self.queryset = self.base_queryset  # the setter applies them

    def labels(self, values, day=None):
        """The chosen organizations' names: as they were on the record's day (one query more)."""
        chosen = super().labels(values)
        if not chosen or day is None or self.widget.data.get("date_mode") != "on":
            return chosen
        then = dict(
            OrganizationVersion.objects.valid_on(day)
            .filter(organization_id__in=[pk for pk, _ in chosen])
            .values_list("organization_id", "name")
        )
        return [(pk, then.get(int(pk), label)) for pk, label in chosen]

    def find_by_name(self, queryset, name):
        return queryset.filter(Q(name=name) | Q(versions__name=name))

    def label_from_instance(self, obj):
        return obj.name


class OrganizationPickerField(_OrganizationPicking, forms.ModelChoiceField):
    widget = SearchPicker

    def to_python(self, value):
        if self.is_typed(value):
            value = self.resolve_typed(value)
        return super().to_python(value)


class OrganizationsPickerField(_OrganizationPicking, forms.ModelMultipleChoiceField):
    """Several organizations (联合开展党组织): chosen one by one, each shown with a remove button."""

    widget = MultipleSearchPicker

    def clean(self, value):
        if value:
            errors, resolved = [], []
            for item in value:
                try:
                    resolved.append(self.resolve_typed(item) if self.is_typed(item) else item)
                except ValidationError as exc:
                    errors.extend(exc.messages)
            if errors:
                raise ValidationError(errors)
            value = list(dict.fromkeys(str(v) for v in resolved))
        return super().clean(value)


class OrganizationPickerFilter(django_filters.ModelChoiceFilter):
    """An organization picker in a filter bar: any organization the user may see,
    dissolved ones included (their records stay), named as today. The filterset sets the queryset."""

    field_class = OrganizationPickerField

import django_filters
from django import forms

from jiguan import bounds


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap's small classes on every field, so that a filter bar fits a phone's width."""

    @property
    def form(self):
        # Styled when the form is first built, not in __init__: a subclass may still change a
        # filter's queryset after super().__init__(), and the form must be built after that.
        built = hasattr(self, "_form")
        form = super().form
        if not built:
            for field in form.fields.values():
                is_select = isinstance(field.widget, forms.Select)
                field.widget.attrs.setdefault(
                    "class", "form-select form-select-sm" if is_select else "form-control form-control-sm"
                )
        return form


class YearFilter(django_filters.NumberFilter):
    """A year typed into a filter bar: one of jiguan.bounds.year_range(), else the bar says why
    (a year such as 10^30 would overflow the database's date arithmetic)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra.setdefault("validators", [bounds.YearBound(self.label or "年度")])

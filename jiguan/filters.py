import django_filters
from django import forms


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

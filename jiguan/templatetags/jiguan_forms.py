"""Form fields rendered with Bootstrap's classes, in one place for every form of the project."""

from django import forms, template

register = template.Library()

_UNSTYLED = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)


@register.filter
def styled(bound_field):
    """The field's widget with `form-control` / `form-select`, or the class the form gave it (a
    filter bar's small ones), and `is-invalid` when it has errors: the one way a form is styled."""
    widget = bound_field.field.widget
    if isinstance(widget, _UNSTYLED):
        return bound_field.as_widget()
    css = widget.attrs.get("class") or ("form-select" if isinstance(widget, forms.Select) else "form-control")
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": css})

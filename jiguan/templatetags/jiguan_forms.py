"""Form fields rendered with Bootstrap's classes, in one place for every form of the project."""

from django import forms, template

register = template.Library()

_UNSTYLED = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)


@register.filter
def styled(bound_field):
    """The field's widget with `form-control` / `form-select` (and `is-invalid` when it has errors),
    unless the form gave the widget its own class."""
    widget = bound_field.field.widget
    if isinstance(widget, _UNSTYLED) or widget.attrs.get("class"):
        return bound_field.as_widget()
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": css})

"""The <td> cells of a table row, written in Python: the markup templates/django_tables2's row block
wrote with a loop of template tags per cell (a column's attributes and header read again for every
cell), at a fraction of the cost."""

from django import template
from django.template.base import render_value_in_context
from django.utils.formats import localize
from django.utils.html import conditional_escape, strip_tags
from django.utils.safestring import SafeData, mark_safe

register = template.Library()


def _label(header):
    """`{{ column.header|striptags }}`."""
    text = strip_tags(str(header))
    return conditional_escape(mark_safe(text) if isinstance(header, SafeData) else text)


def _columns(table):
    """Per column of `table`, read once per table: the <td> attributes and the data-label (the
    column's name, shown before the value when a row is a card on a phone). Attributes computed per
    record (a callable) are left to each cell."""
    columns = getattr(table, "_jiguan_cells", None)
    if columns is None:
        columns = {}
        for column in table.columns:
            attrs = {**table.attrs, **column.column.attrs}
            td = attrs.get("td", attrs.get("cell", {}))
            fixed = not any(callable(v) for v in td.values())
            columns[column.name] = (column.attrs["td"].as_html() if fixed else None, _label(column.header))
        table._jiguan_cells = columns
    return columns


@register.simple_tag(takes_context=True)
def table_cells(context, row):
    """The cells of `row` as django-tables2's bootstrap5 template writes them, each with data-label."""
    columns = _columns(row.table)
    parts = []
    for column, cell in row.items():
        td, label = columns[column.name]
        if td is None:
            td = column.attrs["td"].as_html()
        if column.localize is None:
            text = render_value_in_context(cell, context)
        else:
            text = conditional_escape(str(localize(cell, use_l10n=bool(column.localize))))
        parts.append(f'\n        <td {td} data-label="{label}">{text}</td>\n    ')
    return mark_safe("\n    " + "".join(parts))

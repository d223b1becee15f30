"""A lean base for the project's django-tables2 tables: the same cells, sorting and export, at a
fraction of the cost per cell.

django-tables2 spends most of a list page's time outside SQL: for every cell it inspects the
signature of the render method again (inspect.signature), and a DateColumn compiles and renders a
small template. `Table` reads each render method's signature once; `DateColumn` formats the date
directly. The rows' <td> markup is written by the `table_cells` tag (jiguan_tables), which the
project's table template uses.
"""

from weakref import WeakKeyDictionary

import django_tables2 as tables
from django.utils.formats import date_format
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import signature

# Argument names of the render and value methods, read once per function. A bound method is keyed
# by its function (its signature leaves `self` out), anything else callable by itself.
_bound_signatures = WeakKeyDictionary()
_signatures = WeakKeyDictionary()


def call_with_appropriate(fn, kwargs):
    """django_tables2.utils.call_with_appropriate, with the signature read once per function:
    `fn` gets the arguments of `kwargs` it names (all of them if it takes **kwargs), and is not
    called (None) when it names one `kwargs` lacks."""
    function = getattr(fn, "__func__", None)
    cache, key = (_signatures, fn) if function is None else (_bound_signatures, function)
    try:
        args, catch_all = cache[key]
    except KeyError:
        args, catch_all = cache[key] = signature(fn)
    except TypeError:  # not weakly referable: read every time, as django-tables2 does
        args, catch_all = signature(fn)
    if catch_all:
        return fn(**kwargs)
    if any(arg not in kwargs for arg in args):
        return None
    return fn(**{arg: kwargs[arg] for arg in args})


class _Row(BoundRow):
    def items(self):
        """BoundRow.items, without looking each column up again by its name (a walk over the
        table's columns per cell)."""
        for column in self.table.columns:
            column.current_value = self._get_and_render_with(
                column, render_func=self._call_render, default=column.default
            )
            column.current_record = self.record
            yield (column, column.current_value)

    def _call_render(self, bound_column, value=None):
        render_kwargs = self._optional_cell_arguments(bound_column, value)
        content = call_with_appropriate(bound_column.render, render_kwargs)
        return bound_column.link(content, **render_kwargs) if bound_column.link else content

    def _call_value(self, bound_column, value=None):
        return call_with_appropriate(bound_column.value, self._optional_cell_arguments(bound_column, value))


class _Rows(BoundRows):
    def __iter__(self):
        yield from self.generator_pinned_row(self.pinned_data.get("top"))
        for record in self.data:
            yield _Row(record, table=self.table)
        yield from self.generator_pinned_row(self.pinned_data.get("bottom"))

    def __getitem__(self, key):
        if isinstance(key, slice):
            return _Rows(data=self.data[key], table=self.table, pinned_data=self.pinned_data)
        return _Row(record=self.data[key], table=self.table)


class Table(tables.Table):
    """The project's table base: django_tables2.Table whose rows call render methods cheaply."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = _Rows(data=self.data, table=self, pinned_data=self.pinned_data)


class DateColumn(tables.DateColumn):
    """django_tables2.DateColumn (`{{ value|date:format|default:default }}`) without a template
    compiled and rendered per cell; the export still writes ISO dates."""

    def __init__(self, format=None, short=True, *args, **kwargs):
        if format is None:
            format = "SHORT_DATE_FORMAT" if short else "DATE_FORMAT"
        self.date_format = format
        super().__init__(format, short, *args, **kwargs)

    def render(self, value, bound_column):
        try:
            text = date_format(value, self.date_format)
        except (AttributeError, TypeError, ValueError):
            text = ""
        return text or bound_column.default

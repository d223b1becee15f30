"""A lean base for the project's django-tables2 tables: the same cells, sorting and export, at a
fraction of the cost per cell.

django-tables2 spends most of a list page's time outside SQL: for every cell it inspects the
signature of the render method again (inspect.signature), and a DateColumn compiles and renders a
small template. `Table` reads each render method's signature once; `DateColumn` formats the date
directly. The rows' <td> markup is written by the `table_cells` tag (jiguan_tables), which the
project's table template uses.
"""

from functools import cache
from weakref import WeakKeyDictionary

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django_tables2.columns import ManyToManyColumn
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import A, signature

_PLAIN_RENDER = tables.Column.render

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


_MISSING = object()


@cache
def _plan(model, accessor: str):
    """How a cell of `model`'s records reads `accessor` when it names one of the model's own
    attributes (no "__"): (the attribute, its choices' label method or None), read once per model
    and accessor. None for any other accessor, left to django-tables2."""
    if not accessor or A.SEPARATOR in accessor or A.LEGACY_SEPARATOR in accessor:
        return None
    try:
        field = model._meta.get_field(accessor)
    except FieldDoesNotExist:
        field = None
    display = f"get_{accessor}_display"
    return str(accessor), display if getattr(field, "choices", None) and hasattr(model, display) else None


class _Row(BoundRow):
    def _get_and_render_with(self, bound_column, render_func, default):
        """BoundRow._get_and_render_with for the usual cell, a model's own attribute: its choices'
        label or the attribute read directly, where django-tables2 makes an Accessor and walks it
        twice per cell (a dictionary lookup tried and failed first). Anything else (a relation's
        attribute, a callable, a missing attribute, a dict row) as django-tables2 does it."""
        record = self.record
        column = bound_column.column
        plan = None
        if isinstance(record, models.Model) and not isinstance(column, ManyToManyColumn):
            plan = _plan(type(record), bound_column.accessor)
        if plan is None:
            return super()._get_and_render_with(bound_column, render_func, default)
        name, display = plan
        if display is not None:
            value = getattr(record, display)()
        else:
            value = getattr(record, name, _MISSING)
            if value is _MISSING or callable(value):
                return super()._get_and_render_with(bound_column, render_func, default)
        if value in column.empty_values:
            return default
        return render_func(bound_column, value)

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
        if not bound_column.link and getattr(bound_column.render, "__func__", None) is _PLAIN_RENDER:
            return value  # Column.render: the value itself
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

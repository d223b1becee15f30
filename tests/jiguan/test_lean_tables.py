"""jiguan.tables and the table template's cells (jiguan_tables.table_cells) write what django-tables2's
own classes and row loop write: the same cells, data-labels, dates, links and export values."""

import datetime

import django_tables2 as tables
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from jiguan import tables as lean

# The row block the project's template had before table_cells, a template loop over row.items, in
# place of the project's.
LOOP_TEMPLATE = """{% extends "django_tables2/bootstrap5-responsive.html" %}
{% load l10n %}
{% block table.tbody.row %}
<tr {{ row.attrs.as_html }}>
    {% for column, cell in row.items %}
        <td {{ column.attrs.td.as_html }} data-label="{{ column.header|striptags }}">{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>
    {% endfor %}
</tr>
{% endblock table.tbody.row %}"""

ROWS = [
    {"pk": 1, "name": "第一支部 <b>", "day": datetime.date(2024, 3, 5), "count": 12345, "note": None},
    {"pk": 2, "name": "第二支部", "day": None, "count": 7, "note": "备注"},
]


def _columns(date_column):
    return {
        "name": tables.Column(verbose_name="名称", linkify=lambda record: f"/o/{record['pk']}/"),
        "day": date_column(verbose_name=mark_safe("<i>日期</i>"), format="Y年n月j日"),
        "count": tables.Column(verbose_name="人数", attrs={"td": {"class": "num"}}, localize=False),
        "note": tables.Column(verbose_name="备注", empty_values=()),
        "odd": tables.Column(
            verbose_name="单双", empty_values=(), attrs={"td": {"data-n": lambda record: record["pk"]}}
        ),
    }


def _render_note(self, value, record):
    return f"{value or '无'}（{record['pk']}）"


def _render_odd(record):
    return "单" if record["pk"] % 2 else "双"


def _table(base, date_column):
    attrs = {**_columns(date_column), "render_note": _render_note, "render_odd": staticmethod(_render_odd)}
    attrs["Meta"] = type("Meta", (), {"attrs": {"id": "t"}})
    return type("T", (base,), attrs)(ROWS)


def _html(template, table):
    return Template(template).render(Context({"table": table, "request": RequestFactory().get("/")}))


def test_the_cells_are_those_of_the_template_loop():
    reference = _html(LOOP_TEMPLATE, _table(tables.Table, tables.DateColumn))
    lean_html = _html(
        '{% extends "django_tables2/bootstrap5-responsive.html" %}', _table(lean.Table, lean.DateColumn)
    )
    assert 'data-label="日期">2024年3月5日</td>' in lean_html
    assert 'data-n="2"' in lean_html  # a per-record attribute, computed per cell
    assert "第一支部 &lt;b&gt;" in lean_html
    assert lean_html == reference


def test_the_export_is_that_of_django_tables2():
    reference = _table(tables.Table, tables.DateColumn)
    table = _table(lean.Table, lean.DateColumn)
    assert list(table.as_values()) == list(reference.as_values())
    assert list(table.as_values())[1][1] == "2024-03-05"


def test_a_render_method_gets_the_arguments_it_names():
    calls = []

    class Named:
        def render(self, value, record):
            calls.append((value, record))
            return "ok"

    assert lean.call_with_appropriate(Named().render, {"value": 1, "record": 2, "table": 3}) == "ok"
    assert lean.call_with_appropriate(Named().render, {"value": 1}) is None  # one it names is missing
    assert lean.call_with_appropriate(lambda **kw: sorted(kw), {"a": 1, "b": 2}) == ["a", "b"]
    assert calls == [(1, 2)]


def _member_table(base):
    from members.models import Member

    class MemberColumns(base):
        name = tables.Column(verbose_name="姓名")
        gender = tables.Column(verbose_name="性别")  # choices: the label
        education = tables.Column(verbose_name="学历", default="未填")  # blank: the default
        organization = tables.Column(verbose_name="党组织")  # a related record
        unit = tables.Column(verbose_name="单位", accessor="organization__name")  # through a relation
        greeting = tables.Column(verbose_name="问候")  # a callable attribute: called
        missing = tables.Column(verbose_name="缺", default="—")  # no such attribute: the default
        status = tables.Column(verbose_name="类别", linkify=lambda record: f"/m/{record.name}/")

        class Meta:
            model = Member
            fields = ("name", "gender", "education", "organization", "unit", "greeting", "missing", "status")

    from organizations.models import Organization

    organization = Organization(name="第一支部")
    members = [
        Member(name="张三", gender="M", education="", status="FULL", organization=organization),
        Member(name="李<四>", gender="F", education="大学", status="PROBATIONARY", organization=organization),
    ]
    for member in members:
        member.greeting = lambda member=member: f"你好，{member.name}"
    return MemberColumns(members)


def test_model_records_read_directly_give_django_tables2s_cells():
    reference = _html(LOOP_TEMPLATE, _member_table(tables.Table))
    lean_html = _html('{% extends "django_tables2/bootstrap5-responsive.html" %}', _member_table(lean.Table))
    assert 'data-label="性别">男</td>' in lean_html and 'data-label="学历">未填</td>' in lean_html
    assert "你好，李&lt;四&gt;" in lean_html and 'data-label="缺">—</td>' in lean_html
    assert '/m/张三/">正式党员</a>' in lean_html
    assert lean_html == reference

import django_tables2 as tables
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html_join

from jiguan.tables import DateColumn, Table
from organizations.models import Organization, Unit


class OrganizationTable(Table):
    name = tables.LinkColumn(
        "organizations:detail",
        args=[tables.A("pk")],
        verbose_name="组织名称",
        order_by=("name_order", "name"),
    )
    kind = tables.Column(verbose_name="组织类别")
    parent = tables.Column(verbose_name="上级组织", accessor="parent__name")
    unit = tables.Column(verbose_name="所在单位", accessor="unit__name")
    member_count = tables.Column(verbose_name="党员数")
    secretary_name = tables.Column(verbose_name="书记", orderable=False)
    founded_on = DateColumn(verbose_name="成立日期", format="Y年n月j日")
    term_expires_on = DateColumn(verbose_name="任期届满", format="Y年n月j日")
    dissolved_on = DateColumn(verbose_name="撤销日期", format="Y年n月j日")

    class Meta:
        model = Organization
        fields = (
            "name",
            "kind",
            "parent",
            "unit",
            "member_count",
            "secretary_name",
            "founded_on",
            "term_expires_on",
            "dissolved_on",
        )
        empty_text = "没有符合条件的党组织。可调整筛选条件。"
        attrs = {"class": "table table-sm table-hover", "id": "organization-table"}


class TermTable(Table):
    name = tables.LinkColumn(
        "organizations:detail",
        args=[tables.A("pk")],
        verbose_name="组织名称",
        order_by=("name_order", "name"),
    )
    kind = tables.Column(verbose_name="组织类别")
    term_number = tables.Column(verbose_name="届次")
    term_expires_on = DateColumn(verbose_name="任期届满日期", format="Y年n月j日")

    class Meta:
        model = Organization
        fields = ("name", "kind", "term_number", "term_expires_on")
        empty_text = "无"
        orderable = False
        attrs = {"class": "table table-sm"}


class UnitTable(Table):
    name = tables.Column(verbose_name="单位名称", order_by=("name_order", "name"))
    leading_group_name = tables.Column(verbose_name="党组（党委）")
    leading_group_secretary = tables.Column(verbose_name="党组（党委）书记")
    organization_count = tables.Column(verbose_name="党组织数（存续）")
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)
    export_exclude = ("actions",)

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_edit = can_edit

    def render_actions(self, record):
        """Everyone who sees the unit may read its history; committee staff also change it."""
        links = []
        if self.can_edit:
            links.append((reverse("organizations:unit_edit", args=[record.pk]), "修改"))
        content_type = ContentType.objects.get_for_model(Unit)  # cached after the first row
        links.append((reverse("history", args=[content_type.pk, record.pk]), "变更记录"))
        return format_html_join(" ", '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>', links)

    class Meta:
        fields = ("name", "leading_group_name", "leading_group_secretary", "organization_count", "actions")
        empty_text = "暂无单位。点击“添加单位”登记。"
        attrs = {"class": "table table-sm", "id": "unit-table"}


class LiaisonTable(Table):
    leader_name = tables.Column(verbose_name="班子成员")
    organization = tables.LinkColumn(
        "organizations:detail", args=[tables.A("organization_id")], verbose_name="联系的党组织"
    )
    start_on = DateColumn(verbose_name="开始日期", format="Y年n月j日")
    end_on = DateColumn(verbose_name="结束日期", format="Y年n月j日")
    actions = tables.TemplateColumn(
        template_name="organizations/_liaison_actions.html", verbose_name="", orderable=False
    )
    export_exclude = ("actions",)

    class Meta:
        fields = ("leader_name", "organization", "start_on", "end_on", "actions")
        empty_text = "暂无联系点。点击“添加联系点”登记。"
        attrs = {"class": "table table-sm", "id": "liaison-table"}

import django_tables2 as tables
from django.utils.html import format_html

from activities.models import Activity, Document, ReminderLetter, ResponsibilityItem
from jiguan.tables import DateColumn, Table


class ActivityTable(Table):
    date = DateColumn(verbose_name="日期", format="Y年n月j日")
    organization = tables.Column(
        verbose_name="党组织",
        accessor="organization__name",
        order_by=("organization__name_order", "organization__name"),
    )
    kind = tables.Column(verbose_name="活动类型")
    title = tables.LinkColumn("activities:detail", args=[tables.A("pk")], verbose_name="主题")
    topics = tables.Column(verbose_name="专题", empty_values=(), orderable=False)
    expected_count = tables.Column(verbose_name="应到", attrs={"td": {"class": "num"}})
    attended_count = tables.Column(verbose_name="实到", attrs={"td": {"class": "num"}})

    class Meta:
        model = Activity
        fields = ("date", "organization", "kind", "title", "topics", "expected_count", "attended_count")
        empty_text = "没有符合条件的活动。可调整筛选，或点击“记录活动”录入。"
        attrs = {"class": "table table-sm table-hover", "id": "activity-table"}

    def render_topics(self, record):
        return "、".join(t.get_topic_display() for t in record.topics.all())

    def value_topics(self, record):
        return self.render_topics(record)


class DocumentTable(Table):
    number = tables.Column(verbose_name="文号", accessor="serial", order_by=("year", "serial"))
    title = tables.LinkColumn("activities:document_detail", args=[tables.A("pk")], verbose_name="标题")
    kind = tables.Column(verbose_name="文件类别")
    issued_on = DateColumn(verbose_name="发文日期", format="Y年n月j日")
    issuer = tables.Column(verbose_name="发文单位", accessor="issuer__name")

    class Meta:
        model = Document
        fields = ("number", "title", "kind", "issued_on", "issuer")
        empty_text = "暂无文件。工委点击“发文”后在此列出。"
        attrs = {"class": "table table-sm table-hover", "id": "document-table"}

    def render_number(self, record):
        return record.number

    def value_number(self, record):
        return record.number


class OpenItemTable(Table):
    task = tables.Column(verbose_name="任务")
    responsible = tables.Column(verbose_name="责任人/党组织", empty_values=(), orderable=False)
    deadline = DateColumn(verbose_name="完成时限", format="Y年n月j日")
    status = tables.Column(verbose_name="状态")
    overdue = tables.Column(verbose_name="逾期", accessor="is_overdue", orderable=False)
    source = tables.LinkColumn(
        "activities:list_detail",
        args=[tables.A("responsibility_list_id")],
        verbose_name="所属清单",
        accessor="responsibility_list__document__title",
        orderable=False,
    )

    class Meta:
        model = ResponsibilityItem
        fields = ("task", "responsible", "deadline", "status", "overdue", "source")
        empty_text = "没有未完成的事项"
        attrs = {"class": "table table-sm table-hover", "id": "open-item-table"}

    def render_responsible(self, record):
        parts = [record.responsible_person, getattr(record.responsible_organization, "name", "")]
        return " / ".join(p for p in parts if p) or "—"

    def render_status(self, record):
        """The status, and under it what the organization wrote of its progress."""
        if not record.progress_note:
            return record.get_status_display()
        return format_html(
            '{}<div class="small text-secondary progress-note">{}</div>',
            record.get_status_display(),
            record.progress_note,
        )

    def value_status(self, record):
        note = f"：{record.progress_note}" if record.progress_note else ""
        return f"{record.get_status_display()}{note}"

    def value_responsible(self, record):
        return self.render_responsible(record)

    def render_overdue(self, value):
        return format_html('<span class="badge text-bg-danger">{}</span>', "逾期") if value else ""

    def value_overdue(self, value):
        return "逾期" if value else ""


class LetterTable(Table):
    subject = tables.LinkColumn("activities:letter_detail", args=[tables.A("pk")], verbose_name="标题")
    addressee = tables.Column(verbose_name="收函党组织", accessor="addressee__name")
    reason = tables.Column(verbose_name="事由")
    status = tables.Column(verbose_name="状态")
    number = tables.Column(verbose_name="文号", accessor="document", orderable=False)
    issued_on = DateColumn(verbose_name="发出日期", format="Y年n月j日")
    handled_on = DateColumn(verbose_name="办理日期", format="Y年n月j日")

    class Meta:
        model = ReminderLetter
        fields = ("subject", "addressee", "reason", "status", "number", "issued_on", "handled_on")
        empty_text = "暂无提醒函。工委可点击“按到期事项起草”。"
        attrs = {"class": "table table-sm table-hover", "id": "letter-table"}

    def render_number(self, value):
        return value.number

    def value_number(self, value):
        return value.number if value else ""

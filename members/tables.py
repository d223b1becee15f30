import django_tables2 as tables
from django.utils.html import format_html

from jiguan.masking import shown_id_number, shown_phone
from jiguan.tables import DateColumn, Table
from members.models import Commendation, MedalAward, Member, Prospect


class _MaskedMixin:
    """ID and phone numbers as jiguan.masking shows them to `user`, on the page and in the export alike."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def _id(self, value):
        return shown_id_number(self.user, value)

    def _phone(self, value):
        return shown_phone(self.user, value)


class MemberTable(_MaskedMixin, Table):
    name = tables.LinkColumn(
        "members:detail", args=[tables.A("pk")], verbose_name="姓名", order_by=("name_order", "name")
    )
    gender = tables.Column(verbose_name="性别")
    id_number = tables.Column(verbose_name="公民身份号码", orderable=False)  # encrypted: no order
    birth_date = DateColumn(verbose_name="出生日期", format="Y年n月j日")
    ethnicity = tables.Column(verbose_name="民族")
    education = tables.Column(verbose_name="学历")
    organization = tables.Column(
        verbose_name="所在党组织", order_by=("organization__name_order", "organization__name")
    )
    category = tables.Column(verbose_name="人员类别")
    status = tables.Column(verbose_name="党员类别")
    admitted_on = DateColumn(verbose_name="入党日期", format="Y年n月j日")
    confirmed_on = DateColumn(verbose_name="转正日期", format="Y年n月j日")
    phone = tables.Column(verbose_name="联系电话", orderable=False)

    class Meta:
        model = Member
        fields = (
            "name",
            "gender",
            "id_number",
            "birth_date",
            "ethnicity",
            "education",
            "organization",
            "category",
            "status",
            "admitted_on",
            "confirmed_on",
            "phone",
        )
        empty_text = "没有符合条件的党员。可调整筛选，或点击“登记党员”。"
        attrs = {"class": "table table-sm table-hover", "id": "roster"}

    def render_id_number(self, value):
        return self._id(value)

    def value_id_number(self, value):
        return self._id(value)

    def render_phone(self, value):
        return self._phone(value)

    def value_phone(self, value):
        return self._phone(value)


class ProspectTable(_MaskedMixin, Table):
    name = tables.LinkColumn(
        "members:prospect", args=[tables.A("pk")], verbose_name="姓名", order_by=("name_order", "name")
    )
    gender = tables.Column(verbose_name="性别")
    id_number = tables.Column(verbose_name="公民身份号码", orderable=False)  # encrypted: no order
    organization = tables.Column(
        verbose_name="所在党组织", order_by=("organization__name_order", "organization__name")
    )
    stage = tables.Column(verbose_name="发展阶段")
    applied_on = DateColumn(verbose_name="递交申请书日期", format="Y年n月j日")

    class Meta:
        model = Prospect
        fields = ("name", "gender", "id_number", "organization", "stage", "applied_on")
        empty_text = "没有符合条件的发展对象。可调整筛选，或点击“登记入党申请人”。"
        attrs = {"class": "table table-sm table-hover", "id": "prospects"}

    def render_id_number(self, value):
        return self._id(value)

    def value_id_number(self, value):
        return self._id(value)


class CommendationTable(Table):
    date = DateColumn(verbose_name="日期", format="Y年n月j日")
    kind = tables.Column(verbose_name="表彰类别")
    recipient = tables.Column(verbose_name="受表彰对象", empty_values=(), orderable=False)
    granted_by = tables.Column(verbose_name="表彰/推荐单位")
    recommended = tables.BooleanColumn(verbose_name="向上推荐", yesno="是,否")
    higher_body = tables.Column(verbose_name="推荐至")
    document_number = tables.Column(verbose_name="文号")

    class Meta:
        model = Commendation
        fields = ("date", "kind", "recipient", "granted_by", "recommended", "higher_body", "document_number")
        empty_text = "暂无表彰记录。点击“记录表彰”录入。"
        attrs = {"class": "table table-sm", "id": "commendations"}

    def render_recipient(self, record):
        return record.recipient_organization or record.member or record.person_name

    def value_recipient(self, record):
        return str(self.render_recipient(record))


class MedalAwardTable(Table):
    year = tables.Column(verbose_name="年度")
    member = tables.Column(verbose_name="姓名")
    organization = tables.Column(verbose_name="所在党组织", accessor="member__organization")
    confirmed_on = DateColumn(verbose_name="转正日期", accessor="member__confirmed_on", format="Y年n月j日")
    awarded_on = DateColumn(verbose_name="颁发日期", format="Y年n月j日")
    awarded_by = tables.Column(verbose_name="颁发单位")

    class Meta:
        model = MedalAward
        fields = ("year", "member", "organization", "confirmed_on", "awarded_on", "awarded_by")
        empty_text = "暂无颁发记录。可在上方“符合条件的党员”中颁发。"
        attrs = {"class": "table table-sm", "id": "medals-awarded"}


class MedalEligibleTable(Table):
    name = tables.LinkColumn(
        "members:detail", args=[tables.A("pk")], verbose_name="姓名", order_by=("name_order", "name")
    )
    organization = tables.Column(
        verbose_name="所在党组织", order_by=("organization__name_order", "organization__name")
    )
    admitted_on = DateColumn(verbose_name="入党日期", format="Y年n月j日")
    confirmed_on = DateColumn(verbose_name="转正日期", format="Y年n月j日")
    award = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = Member
        fields = ("name", "organization", "admitted_on", "confirmed_on")
        empty_text = "该年度没有符合条件的党员"
        attrs = {"class": "table table-sm", "id": "medals-eligible"}

    def __init__(self, *args, can_award=False, year=None, **kwargs):
        self.can_award, self.year = can_award, year
        super().__init__(*args, **kwargs)

    def render_award(self, record):
        if not self.can_award:
            return ""
        return format_html(
            '<button class="btn btn-sm btn-outline-danger" name="member" value="{}">颁发</button>', record.pk
        )

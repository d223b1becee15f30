"""Tables of the drill-down pages: the records behind a number, one table per kind of record.

A name (a member, an organization, an activity) links to its record's page for a user who may open
it (`Reach`: the one scoping function, organizations.scoping, asked once a page); for anyone else, and in
the exported workbook, it stays plain text."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from activities.evaluations.models import MemberGrade, SecretaryReport
from activities.models import (
    Activity,
    CondolenceVisit,
    Document,
    ReminderLetter,
    ResponsibilityItem,
    TrainingAttendance,
)
from jiguan.tables import DateColumn, Table
from members.integrity.models import IntegrityCommitment, RiskForm
from members.models import Commendation, MedalAward, Member, MemberVersion
from organizations.models import Appointment, LiaisonAssignment, Organization
from organizations.scoping import scoped, visible_organizations

DATE = "Y年n月j日"
ATTRS = {"class": "table table-sm table-hover", "id": "records-table"}


def date_column(header, accessor=None):
    return DateColumn(verbose_name=header, format=DATE, accessor=accessor)


class Reach:
    """Which record pages a user may open: those within their scope (all for staff and leadership),
    as the pages themselves decide (get_visible_organization, get_scoped_or_404). One query for the
    organizations and one for the members, on first use, and none for whoever sees everything."""

    def __init__(self, user):
        self.user = user
        self.everything = (
            user is not None and user.is_authenticated and (user.is_committee_staff or user.is_leadership)
        )
        self._organizations = self._members = None

    def organization(self, pk) -> bool:
        if self.everything:
            return True
        if self.user is None:
            return False
        if self._organizations is None:
            self._organizations = set(visible_organizations(self.user).values_list("pk", flat=True))
        return pk in self._organizations

    def member(self, pk) -> bool:
        if self.everything:
            return True
        if self.user is None:
            return False
        if self._members is None:
            self._members = set(scoped(Member.objects.all(), self.user).values_list("pk", flat=True))
        return pk in self._members


NOBODY = Reach(None)


class RecordLinkColumn(tables.Column):
    """A name linking to its record's page (`url` with the id at `pk`), for the users who may open it:
    `kind` "organization" (also an activity or a prospect, scoped by their organization at `owner`)
    or "member"."""

    def __init__(self, *args, url, pk, kind="organization", owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.url, self.pk, self.kind, self.owner = url, pk, kind, owner or pk

    def render(self, value, record, table):
        pk = tables.A(self.pk).resolve(record, quiet=True)
        owner = tables.A(self.owner).resolve(record, quiet=True)
        reach = getattr(table, "reach", NOBODY)
        if pk is None or not getattr(reach, self.kind)(owner):
            return value
        return format_html('<a href="{}">{}</a>', reverse(self.url, args=[pk]), value)

    def value(self, value):
        return value


class LinkedTable(Table):
    """A drill-down table whose names link for `reach` (a Reach; none given, no links)."""

    def __init__(self, *args, reach=NOBODY, **kwargs):
        super().__init__(*args, **kwargs)
        self.reach = reach


def _natural(accessor):
    """Sorted by the column as people read names (NameOrderField), where the name has its key."""
    return (f"{accessor}_order", accessor) if accessor == "name" or accessor.endswith("__name") else None


def organization_link(header, accessor, pk):
    return RecordLinkColumn(
        header, accessor=accessor, url="organizations:detail", pk=pk, order_by=_natural(accessor)
    )


def member_link(header, accessor, pk):
    return RecordLinkColumn(
        header, accessor=accessor, url="members:detail", pk=pk, kind="member", order_by=_natural(accessor)
    )


class ActivityRecords(LinkedTable):
    date = date_column("日期")
    organization = organization_link("党组织", "organization__name", "organization_id")
    kind = tables.Column("活动类型")
    title = RecordLinkColumn("主题", url="activities:detail", pk="pk", owner="organization_id")
    attended_count = tables.Column("实到人数", attrs={"td": {"class": "num"}})

    class Meta:
        model = Activity
        fields = ("date", "organization", "kind", "title", "attended_count")
        attrs = ATTRS


class OrganizationRecords(LinkedTable):
    name = organization_link("组织名称", "name", "pk")
    kind = tables.Column("组织类别")
    founded_on = date_column("成立日期")
    dissolved_on = date_column("撤销日期")

    class Meta:
        model = Organization
        fields = ("name", "kind", "founded_on", "dissolved_on")
        attrs = ATTRS


class MemberRecords(LinkedTable):
    name = member_link("姓名", "name", "pk")
    gender = tables.Column("性别")
    # The organization on E (reports.metrics.sources: details), not the member's organization now.
    organization = tables.Column("所在党组织（当年12月31日）", accessor="organization_then_name")
    category_then = tables.Column("人员类别", empty_values=())
    status_then = tables.Column("党员类别", empty_values=())
    admitted_on = date_column("入党日期")

    class Meta:
        model = Member
        fields = ("name", "gender", "organization", "category_then", "status_then", "admitted_on")
        attrs = ATTRS

    def render_category_then(self, value):
        from members.models import Category

        return dict(Category.choices).get(value, value)

    def render_status_then(self, value):
        from members.models import Status

        return dict(Status.choices).get(value, value)


class AdmissionRecords(LinkedTable):
    name = member_link("姓名", "member__name", "member_id")
    # The stretch's organization on the 入党日期, under its name then (reports.metrics.sources: details).
    organization = tables.Column("接收党组织", accessor="organization_then_name")
    admitted_on = date_column("入党日期", "member__admitted_on")

    class Meta:
        model = MemberVersion
        fields = ("name", "organization", "admitted_on")
        attrs = ATTRS


class DocumentRecords(Table):
    number = tables.Column("文号", empty_values=(), order_by=("year", "serial"))
    title = tables.Column("标题")
    kind = tables.Column("文件类别")
    issued_on = date_column("发文日期")

    class Meta:
        model = Document
        fields = ("number", "title", "kind", "issued_on")
        attrs = ATTRS

    def render_number(self, record):
        return record.number

    def value_number(self, record):
        return record.number


class ItemRecords(Table):
    number = tables.Column("序号")
    task = tables.Column("任务")
    responsible_person = tables.Column("责任人")
    deadline = date_column("完成时限")
    status = tables.Column("状态")

    class Meta:
        model = ResponsibilityItem
        fields = ("number", "task", "responsible_person", "deadline", "status")
        attrs = ATTRS


class LetterRecords(LinkedTable):
    issued_on = date_column("发出日期")
    addressee = organization_link("收函党组织", "addressee__name", "addressee_id")
    reason = tables.Column("事由")
    subject = tables.Column("标题")
    status = tables.Column("状态")

    class Meta:
        model = ReminderLetter
        fields = ("issued_on", "addressee", "reason", "subject", "status")
        attrs = ATTRS


class CommendationRecords(Table):
    date = date_column("日期")
    kind = tables.Column("表彰类别")
    recipient = tables.Column("受表彰对象", empty_values=(), orderable=False)
    recommended = tables.BooleanColumn("向上推荐", yesno="是,否")
    document_number = tables.Column("文号")

    class Meta:
        model = Commendation
        fields = ("date", "kind", "recipient", "recommended", "document_number")
        attrs = ATTRS

    def render_recipient(self, record):
        return str(record.recipient_organization or record.member or record.person_name)

    value_recipient = render_recipient


class CondolenceRecords(LinkedTable):
    date = date_column("日期", "activity__date")
    organization = organization_link("党组织", "activity__organization__name", "activity__organization_id")
    person_name = member_link("慰问对象", "person_name", "member_id")
    identity = tables.Column("身份", accessor="member_id", empty_values=())
    amount = tables.Column("慰问金（元）", attrs={"td": {"class": "num"}})

    class Meta:
        model = CondolenceVisit
        fields = ("date", "organization", "person_name", "identity", "amount")
        attrs = ATTRS

    def render_identity(self, record):
        # Why two visits of one name may count as two people (condolence_persons).
        if record.member_id:
            return "党员"
        return "非党员（已填身份号码）" if record.id_number else "非党员"

    value_identity = render_identity


class MedalRecords(LinkedTable):
    member = member_link("姓名", "member__name", "member_id")
    awarded_on = date_column("颁发日期")
    awarded_by = tables.Column("颁发单位", accessor="awarded_by__name")

    class Meta:
        model = MedalAward
        fields = ("member", "awarded_on", "awarded_by")
        attrs = ATTRS


class AppointmentRecords(LinkedTable):
    organization = organization_link("党组织", "organization__name", "organization_id")
    person_name = tables.Column("姓名")
    post = tables.Column("职务")
    start_on = date_column("任职日期")

    class Meta:
        model = Appointment
        fields = ("organization", "person_name", "post", "start_on")
        attrs = ATTRS


class TraineeRecords(LinkedTable):
    date = date_column("培训日期", "activity__date")
    organization = organization_link("党组织", "activity__organization__name", "activity__organization_id")
    person = tables.Column("参训人员", empty_values=(), orderable=False)
    # On the training's date, from the dates of the development steps (members.development.stage_on).
    stage_then = tables.Column("培训时所处阶段", empty_values=())

    class Meta:
        model = TrainingAttendance
        fields = ("date", "organization", "person", "stage_then")
        attrs = ATTRS

    def render_person(self, record):
        name = str(record.prospect or record.member)
        if record.prospect_id and self.reach.organization(record.prospect.organization_id):
            return format_html(
                '<a href="{}">{}</a>', reverse("members:prospect", args=[record.prospect_id]), name
            )
        if record.member_id and self.reach.member(record.member_id):
            return format_html(
                '<a href="{}">{}</a>', reverse("members:detail", args=[record.member_id]), name
            )
        return name

    def value_person(self, record):
        return str(record.prospect or record.member)

    def render_stage_then(self, record):
        return record.stage_then_label

    value_stage_then = render_stage_then


class LiaisonRecords(LinkedTable):
    leader_name = tables.Column("班子成员")
    organization = organization_link("联系的党组织", "organization__name", "organization_id")
    start_on = date_column("开始日期")
    end_on = date_column("结束日期")

    class Meta:
        model = LiaisonAssignment
        fields = ("leader_name", "organization", "start_on", "end_on")
        attrs = ATTRS


TABLES = {
    Activity: ActivityRecords,
    Organization: OrganizationRecords,
    Member: MemberRecords,
    MemberVersion: AdmissionRecords,
    Document: DocumentRecords,
    ResponsibilityItem: ItemRecords,
    ReminderLetter: LetterRecords,
    Commendation: CommendationRecords,
    CondolenceVisit: CondolenceRecords,
    MedalAward: MedalRecords,
    Appointment: AppointmentRecords,
    TrainingAttendance: TraineeRecords,
    LiaisonAssignment: LiaisonRecords,
}


class DuesMemberRecords(LinkedTable):
    """The members behind a dues metric (reports.dues_metrics), with their year: due and paid in S,
    and the months short by E. The numbers are read for the rows shown only (one query)."""

    name = member_link("姓名", "name", "pk")
    organization = organization_link("所在党组织（现）", "organization__name", "organization_id")
    due = tables.Column("全年应交（元）", empty_values=(), orderable=False, attrs={"td": {"class": "num"}})
    paid = tables.Column("全年实交（元）", empty_values=(), orderable=False, attrs={"td": {"class": "num"}})
    short = tables.Column("少交或未交的月份", empty_values=(), orderable=False)

    class Meta:
        model = Member
        fields = ("name", "organization")
        attrs = ATTRS

    def __init__(self, data, *args, scope=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.scope = scope
        self._years = None

    def _year(self, record):
        if self._years is None:
            from reports.metrics.dues import member_year_rows

            shown = self.page.object_list if getattr(self, "page", None) else self.data
            self._years = member_year_rows(self.scope, [getattr(m, "record", m).pk for m in shown])
        return self._years.get(record.pk) or {"due": "", "paid": "", "short": []}

    def render_due(self, record):
        return self._year(record)["due"]

    def render_paid(self, record):
        return self._year(record)["paid"]

    def render_short(self, record):
        return "、".join(f"{m.year}年{m.month}月" for m in self._year(record)["short"]) or "—"


def records_table(queryset, user=None):
    """The drill-down table of `queryset`; its names link to the records `user` may open."""
    # A number of 0 links here too: say so rather than show bare headers.
    reach = Reach(user)
    scope = getattr(queryset, "dues_scope", None)
    if scope is not None:
        return DuesMemberRecords(queryset, scope=scope, empty_text="没有计入该指标的记录。", reach=reach)
    table = TABLES[queryset.model]
    if issubclass(table, LinkedTable):
        return table(queryset, empty_text="没有计入该指标的记录。", reach=reach)
    return table(queryset, empty_text="没有计入该指标的记录。")


# --- the drill-downs of integrity work and evaluations (reports.metrics.integrity)


class CommitmentRecords(LinkedTable):
    name = member_link("姓名", "member__name", "member_id")
    organization = organization_link("签订时所在党组织", "organization__name", "organization_id")
    year = tables.Column("年度")
    signed_on = date_column("签订日期")

    class Meta:
        model = IntegrityCommitment
        fields = ("name", "organization", "year", "signed_on")
        attrs = ATTRS


class RiskFormRecords(LinkedTable):
    name = member_link("姓名", "member__name", "member_id")
    organization = organization_link("填报时所在党组织", "organization__name", "organization_id")
    filed_on = date_column("填报日期")
    level = tables.Column("风险等级")

    class Meta:
        model = RiskForm
        fields = ("name", "organization", "filed_on", "level")
        attrs = ATTRS


class SecretaryReportRecords(LinkedTable):
    organization = organization_link("党组织", "organization__name", "organization_id")
    secretary_name = tables.Column("书记")
    reported_on = date_column("述职日期")
    grade = tables.Column("评议等次")

    class Meta:
        model = SecretaryReport
        fields = ("organization", "secretary_name", "reported_on", "grade")
        attrs = ATTRS


class GradeRecords(LinkedTable):
    name = member_link("姓名", "member__name", "member_id")
    organization = organization_link(
        "评议党组织", "appraisal__organization__name", "appraisal__organization_id"
    )
    held_on = date_column("评议日期", "appraisal__held_on")
    grade = tables.Column("等次")

    class Meta:
        model = MemberGrade
        fields = ("name", "organization", "held_on", "grade")
        attrs = ATTRS


INTEGRITY_TABLES = {
    IntegrityCommitment: CommitmentRecords,
    RiskForm: RiskFormRecords,
    SecretaryReport: SecretaryReportRecords,
    MemberGrade: GradeRecords,
}


TABLES.update(INTEGRITY_TABLES)

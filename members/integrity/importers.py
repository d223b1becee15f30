"""The sheets 廉政承诺, 风险防控 and 社区报到 of the import workbook (WORKBOOK.md), through the one loop
of jiguan.importing.ServiceSheet: each row is read, its member found by ID number, rows already on
file counted as unchanged (the same file twice changes nothing), and recorded through the same
service as the pages (members.integrity.services), so a row is refused for the same reasons and in
the same words as the form, on its row and column; every wrong row is reported, those only a service
can judge (a registration overlapping the one before) too."""

from jiguan.importing import ServiceSheet
from members.importers import ID_COLUMN, members_by_id_number, read_member
from members.integrity import services
from members.integrity.models import CommunityRegistration, IntegrityCommitment, RiskForm, RiskLevel


def read_year(row, column="年度"):
    year = row.int(column, required=True)
    if year is not None:
        problem = services.year_errors(year)
        if problem:
            row.error(column, problem["year"])
            return None
    return year


class MemberYearSheet(ServiceSheet):
    """A sheet of one record a member and year (key: member + 年度)."""

    key_column = "年度"
    key_label = "同一党员、同一年度"
    model = None
    leaves_alone = {"members", "prospects"}  # their records only (jiguan.importing.ImportContext.reusable)

    def lookup(self, rows, context):
        return members_by_id_number(rows, context=context)

    def key(self, data):
        return (data["member"].pk, data["year"])

    def on_file(self, planned, context):
        records = self.model.objects.filter(member_id__in={p.data["member"].pk for p in planned})
        return {(r.member_id, r.year): r for r in records}


class CommitmentSheet(MemberYearSheet):
    sheet_name = "廉政承诺"
    columns = {ID_COLUMN: True, "年度": True, "签订日期": True}
    fields = {"member": ID_COLUMN, "year": "年度", "signed_on": "签订日期"}
    model = IntegrityCommitment

    def read(self, row, members, context):
        data = {
            "member": read_member(row, members),
            "year": read_year(row),
            "signed_on": row.date("签订日期", required=True),
        }
        return None if row.has_error else data

    def build(self, data, context):
        return services.commitment_new(**data)

    def store_built(self, records, context):
        services.commitments_store(actor=context.actor, commitments=records)


class RiskFormSheet(MemberYearSheet):
    sheet_name = "风险防控"
    columns = {ID_COLUMN: True, "年度": True, "填报日期": True, "风险等级": False, "风险点": False}
    fields = {
        "member": ID_COLUMN,
        "year": "年度",
        "filed_on": "填报日期",
        "level": "风险等级",
        "risk_points": "风险点",
    }
    model = RiskForm

    def read(self, row, members, context):
        data = {
            "member": read_member(row, members),
            "year": read_year(row),
            "filed_on": row.date("填报日期", required=True),
            "level": row.choice("风险等级", RiskLevel) or "",
            "risk_points": row.text("风险点", max_length=2000) or "",
        }
        return None if row.has_error else data

    def build(self, data, context):
        return services.risk_form_new(**data)

    def store_built(self, records, context):
        services.risk_forms_store(actor=context.actor, forms=records)


class CommunitySheet(ServiceSheet):
    sheet_name = "社区报到"
    columns = {ID_COLUMN: True, "社区": True, "报到日期": True, "结束日期": False}
    fields = {"member": ID_COLUMN, "community": "社区", "registered_on": "报到日期", "ended_on": "结束日期"}
    key_column = "报到日期"
    key_label = "同一党员、社区和报到日期"
    leaves_alone = {"members", "prospects"}

    def lookup(self, rows, context):
        return members_by_id_number(rows, context=context)

    def read(self, row, members, context):
        data = {
            "member": read_member(row, members),
            "community": row.text("社区", required=True, max_length=100),
            "registered_on": row.date("报到日期", required=True),
            "ended_on": row.date("结束日期"),
        }
        return None if row.has_error else data

    def key(self, data):
        return (data["member"].pk, data["community"], data["registered_on"])

    def on_file(self, planned, context):
        registrations = CommunityRegistration.objects.filter(
            member_id__in={p.data["member"].pk for p in planned}
        )
        self.registrations = {}  # member -> their registrations, on file then recorded here
        for registration in registrations:
            self.registrations.setdefault(registration.member_id, []).append(registration)
        return {(r.member_id, r.community, r.registered_on): r for r in registrations}

    def order(self, planned):
        # A member's registrations in the order they happened: each is checked against the earlier.
        return (planned.data["member"].pk, planned.data["registered_on"])

    def build(self, data, context):
        registrations = self.registrations.setdefault(data["member"].pk, [])
        registration = services.registration_new(**data, registrations=registrations)
        registrations.append(registration)
        return registration

    def store_built(self, records, context):
        services.registrations_store(actor=context.actor, registrations=records)

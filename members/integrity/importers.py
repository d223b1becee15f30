"""The sheets 廉政承诺, 风险防控 and 社区报到 of the import workbook (WORKBOOK.md), through
jiguan.importing.

`prepare` reads the cells, finds the members by ID number and the rows already on file (counted as
unchanged, so the same file twice changes nothing), and records each new row through the same service
as the pages (members.integrity.services): a row is refused for the same reasons and in the same
words as the form, on its row and column, and every wrong row is reported, those only a service can
judge (a registration overlapping the one before) too. Recording in `prepare` stores nothing for
good: the import runs in one transaction that is rolled back when any row anywhere is wrong, or for
a dry run (jiguan.importing). `apply` reports what was recorded.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from jiguan.importing import SheetResult
from jiguan.numbers import normalize_number
from members.integrity import services
from members.integrity.models import CommunityRegistration, IntegrityCommitment, RiskForm, RiskLevel
from members.models import Member, MemberVersion

_CHUNK = 900  # stays under SQLite's limit of bound parameters
ID_COLUMN = "公民身份号码"


def members_by_id_number(rows, context=None) -> dict:
    """{ID number: member} for the ID numbers of `rows`, with their membership stretches (so that
    the services' checks of a member's organization on a day cost no query)."""
    numbers = list({normalize_number(row.text(ID_COLUMN)) for row in rows if row.raw(ID_COLUMN)} - {""})
    found = {}
    chunk_size = _CHUNK // len(settings.DATA_KEYS)
    versions = Prefetch("versions", queryset=MemberVersion.objects.select_related("organization"))
    for start in range(0, len(numbers), chunk_size):
        chunk = numbers[start : start + chunk_size]
        for member in Member.objects.matching_any("id_number", chunk).prefetch_related(versions):
            found[member.id_number] = member
    return found


def read_member(row, members):
    id_number = normalize_number(row.text(ID_COLUMN, required=True))
    if not id_number:
        return None
    member = members.get(id_number)
    if member is None:
        row.error(ID_COLUMN, "党员名册中没有该公民身份号码。")
    return member


def read_year(row, column="年度"):
    year = row.int(column, required=True)
    if year is not None:
        problem = services.year_errors(year)
        if problem:
            row.error(column, problem["year"])
            return None
    return year


def record(context, sheet_name, row_number, columns, service, **kwargs):
    """Call `service`; its refusal is reported on the row, on the column of each field."""
    try:
        service(actor=context.actor, **kwargs)
        return True
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        for field, messages in errors.items():
            for message in messages:
                context.error(sheet_name, row_number, columns.get(field, ""), message)
        return False


def record_all(context, importer, service, planned, unchanged) -> SheetResult:
    """Record the planned rows ((row number, the service's arguments)) through `service`."""
    created = sum(
        record(context, importer.sheet_name, number, importer.fields, service, **data)
        for number, data in planned
    )
    return SheetResult(created=created, unchanged=unchanged)


class CommitmentSheet:
    sheet_name = "廉政承诺"
    columns = {ID_COLUMN: True, "年度": True, "签订日期": True}
    fields = {"member": ID_COLUMN, "year": "年度", "signed_on": "签订日期"}

    def prepare(self, rows, context):
        members = members_by_id_number(rows)
        existing = set(
            IntegrityCommitment.objects.filter(member__in=members.values()).values_list("member_id", "year")
        )
        seen, planned, unchanged = {}, [], 0
        for row in rows:
            member = read_member(row, members)
            year = read_year(row)
            signed_on = row.date("签订日期", required=True)
            if row.has_error:
                continue
            key = (member.pk, year)
            if key in seen:
                row.error("年度", f"与第{seen[key]}行重复（同一党员、同一年度）。")
                continue
            seen[key] = row.number
            if key in existing:
                unchanged += 1
                continue
            planned.append((row.number, {"member": member, "year": year, "signed_on": signed_on}))
        return record_all(context, self, services.commitment_record, planned, unchanged)

    def apply(self, plan, context):
        return plan


class RiskFormSheet:
    sheet_name = "风险防控"
    columns = {ID_COLUMN: True, "年度": True, "填报日期": True, "风险等级": False, "风险点": False}
    fields = {
        "member": ID_COLUMN,
        "year": "年度",
        "filed_on": "填报日期",
        "level": "风险等级",
        "risk_points": "风险点",
    }

    def prepare(self, rows, context):
        members = members_by_id_number(rows)
        existing = set(RiskForm.objects.filter(member__in=members.values()).values_list("member_id", "year"))
        seen, planned, unchanged = {}, [], 0
        for row in rows:
            member = read_member(row, members)
            year = read_year(row)
            filed_on = row.date("填报日期", required=True)
            level = row.choice("风险等级", RiskLevel) or ""
            risk_points = row.text("风险点", max_length=2000) or ""
            if row.has_error:
                continue
            key = (member.pk, year)
            if key in seen:
                row.error("年度", f"与第{seen[key]}行重复（同一党员、同一年度）。")
                continue
            seen[key] = row.number
            if key in existing:
                unchanged += 1
                continue
            data = {
                "member": member,
                "year": year,
                "filed_on": filed_on,
                "level": level,
                "risk_points": risk_points,
            }
            planned.append((row.number, data))
        return record_all(context, self, services.risk_form_save, planned, unchanged)

    def apply(self, plan, context):
        return plan


class CommunitySheet:
    sheet_name = "社区报到"
    columns = {ID_COLUMN: True, "社区": True, "报到日期": True, "结束日期": False}
    fields = {"member": ID_COLUMN, "community": "社区", "registered_on": "报到日期", "ended_on": "结束日期"}

    def prepare(self, rows, context):
        members = members_by_id_number(rows)
        existing = set(
            CommunityRegistration.objects.filter(member__in=members.values()).values_list(
                "member_id", "community", "registered_on"
            )
        )
        seen, planned, unchanged = {}, [], 0
        for row in rows:
            member = read_member(row, members)
            community = row.text("社区", required=True, max_length=100)
            registered_on = row.date("报到日期", required=True)
            ended_on = row.date("结束日期")
            if row.has_error:
                continue
            key = (member.pk, community, registered_on)
            if key in seen:
                row.error("报到日期", f"与第{seen[key]}行重复（同一党员、社区和报到日期）。")
                continue
            seen[key] = row.number
            if key in existing:
                unchanged += 1
                continue
            data = {
                "member": member,
                "community": community,
                "registered_on": registered_on,
                "ended_on": ended_on,
            }
            planned.append((row.number, data))
        # A member's registrations in the order they happened: each is checked against the earlier.
        planned.sort(key=lambda p: (p[1]["member"].pk, p[1]["registered_on"]))
        return record_all(context, self, services.community_register, planned, unchanged)

    def apply(self, plan, context):
        return plan

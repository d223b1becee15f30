"""The sheets 民主评议 and 述职评议 of the import workbook (WORKBOOK.md), through the one loop of
jiguan.importing.ServiceSheet and the same services as the pages (activities.evaluations.services),
so a row is refused for the same reasons and in the same words, and every wrong row is reported; the
import's one transaction forgets them all when any row anywhere is wrong."""

import datetime

from django.core.exceptions import ValidationError

from activities.evaluations import services
from activities.evaluations.models import AppraisalGrade, MemberGrade, ReportGrade, SecretaryReport
from jiguan.importing import ServiceSheet, SheetResult, report_refusal
from members.importers import ID_COLUMN, read_member
from members.integrity.importers import MemberYearSheet, read_year
from members.integrity.services import membership_on
from organizations.importers import read_organization


def _appraisal_day(member, year):
    """The day a member's grade of `year` is placed on, when the sheet gives no day: 31 December, or
    their last day on the roster in the year."""
    day = datetime.date(year, 12, 31)
    if member.left_on is not None and member.left_on <= day:
        day = member.left_on - datetime.timedelta(days=1)
    return day


class AppraisalSheet(MemberYearSheet):
    """One row a member: their grade of a year, given by the organization they belonged to at the end
    of the year (or when they left). The rows of one organization and year are recorded together, as
    the page records them, so the one-third rule counts them all (with grades already on file)."""

    sheet_name = "民主评议"
    columns = {ID_COLUMN: True, "年度": True, "等次": True}
    fields = {"member": ID_COLUMN, "year": "年度", "grades": "等次", "held_on": "年度", "activity": "年度"}
    model = MemberGrade

    def read(self, row, members, context):
        member = read_member(row, members)
        year = read_year(row)
        grade = row.choice("等次", AppraisalGrade, required=True)
        if row.has_error:
            return None
        day = _appraisal_day(member, year)
        version = membership_on(member, day)
        if version is None:
            row.error(ID_COLUMN, f"{member.name}在{year}年不在党员名册中。")
            return None
        return {
            "member": member,
            "year": year,
            "grade": grade,
            "day": day,
            "organization": version.organization,
        }

    def store(self, planned, stored, context):
        result = SheetResult(unchanged=sum(1 for item in planned if item.key in stored))
        groups = {}
        for item in planned:
            if item.key not in stored:
                groups.setdefault((item.data["organization"].pk, item.data["year"]), []).append(item)
        if not groups:
            return result
        # Checked group by group by appraisal_record's rules, what they read read once (the batch).
        batch = services.AppraisalBatch(
            [items[0].data["organization"] for items in groups.values()],
            [year for _, year in groups],
            [item.data["member"] for items in groups.values() for item in items],
        )
        for items in groups.values():
            organization, year = items[0].data["organization"], items[0].data["year"]
            held_on = min(item.data["day"] for item in items)
            if organization.last_day and organization.last_day < held_on:
                held_on = organization.last_day
            existing = batch.appraisal(organization, year)
            if existing is not None:
                held_on = existing.held_on
            # Who may not be graded is said on that member's row, as the page says it beside the name.
            problems = batch.grade_member_problems(
                members=[item.data["member"] for item in items], organization=organization, day=held_on
            )
            for item in items:
                if item.data["member"] in problems:
                    item.row.error(ID_COLUMN, problems[item.data["member"]])
            if problems:
                continue
            grades = {item.data["member"]: item.data["grade"] for item in items}
            try:
                batch.add(organization=organization, year=year, held_on=held_on, grades=grades)
                result.created += len(grades)
            except ValidationError as exc:
                report_refusal(items[0].row, exc, self.fields)
        if not context.errors:  # a wrong row anywhere: nothing is stored anyway
            batch.store(context.actor)
        return result


class SecretaryReportSheet(ServiceSheet):
    sheet_name = "述职评议"
    columns = {"党组织": True, "年度": True, "述职日期": True, "等次": False, "书记姓名": False}
    fields = {
        "organization": "党组织",
        "year": "年度",
        "reported_on": "述职日期",
        "grade": "等次",
        "secretary_name": "书记姓名",
        "file": "",
    }
    key_column = "年度"
    key_label = "同一党组织、同一年度"
    leaves_alone = {"members", "prospects"}  # its reports only (jiguan.importing.ImportContext.reusable)

    def read(self, row, lookup, context):
        year = read_year(row)
        reported_on = row.date("述职日期", required=True)
        data = {
            "organization": read_organization(row, "党组织", reported_on, context),
            "year": year,
            "reported_on": reported_on,
            "grade": row.choice("等次", ReportGrade) or "",
            "secretary_name": row.text("书记姓名", max_length=50) or "",
        }
        return None if row.has_error else data

    def key(self, data):
        return (data["organization"].pk, data["year"])

    def on_file(self, planned, context):
        reports = SecretaryReport.objects.filter(
            organization__in={p.data["organization"].pk for p in planned}
        )
        return {(r.organization_id, r.year): r for r in reports}

    def store(self, planned, stored, context):
        # The secretaries of the organizations named, read once: a row without 书记姓名 names the
        # secretary on 述职日期, as secretary_report_record does.
        self.secretaries = services.SecretaryNames([item.data["organization"] for item in planned])
        return super().store(planned, stored, context)

    def build(self, data, context):
        return services.secretary_report_new(**data, secretaries=self.secretaries)

    def store_built(self, records, context):
        services.secretary_reports_store(actor=context.actor, reports=records)

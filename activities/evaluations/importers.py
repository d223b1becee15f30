"""The sheets 民主评议 and 述职评议 of the import workbook (WORKBOOK.md), through jiguan.importing, as
members.integrity.importers does it: read, matched and recorded in `prepare` through the same
services as the pages (activities.evaluations.services), so a row is refused for the same reasons and
in the same words, and every wrong row is reported; the import's one transaction forgets them all
when any row anywhere is wrong."""

import datetime

from django.db.models import Q

from activities.evaluations import services
from activities.evaluations.models import AppraisalGrade, MemberGrade, ReportGrade, SecretaryReport
from jiguan.importing import SheetResult
from members.integrity.importers import (
    ID_COLUMN,
    members_by_id_number,
    read_member,
    read_year,
    record,
    record_all,
)
from members.integrity.services import membership_on
from organizations.models import Organization, OrganizationVersion


def _appraisal_day(member, year):
    """The day a member's grade of `year` is placed on, when the sheet gives no day: 31 December, or
    their last day on the roster in the year."""
    day = datetime.date(year, 12, 31)
    if member.left_on is not None and member.left_on <= day:
        day = member.left_on - datetime.timedelta(days=1)
    return day


class AppraisalSheet:
    """One row a member: their grade of a year, given by the organization they belonged to at the end
    of the year (or when they left). The rows of one organization and year are recorded together, as
    the page records them, so the one-third rule counts them all (with grades already on file)."""

    sheet_name = "民主评议"
    columns = {ID_COLUMN: True, "年度": True, "等次": True}
    fields = {"member": ID_COLUMN, "year": "年度", "grades": "等次", "held_on": "年度", "activity": "年度"}

    def prepare(self, rows, context):
        members = members_by_id_number(rows)
        existing = set(
            MemberGrade.objects.filter(member__in=members.values()).values_list("member_id", "year")
        )
        seen, groups, unchanged = {}, {}, 0
        for row in rows:
            member = read_member(row, members)
            year = read_year(row)
            grade = row.choice("等次", AppraisalGrade, required=True)
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
            day = _appraisal_day(member, year)
            version = membership_on(member, day)
            if version is None:
                row.error(ID_COLUMN, f"{member.name}在{year}年不在党员名册中。")
                continue
            group = groups.setdefault(
                (version.organization.pk, year), {"organization": version.organization, "rows": []}
            )
            group["rows"].append((row.number, member, grade, day))
        return self._record(groups, unchanged, context)

    def apply(self, plan, context):
        return plan

    def _record(self, groups, unchanged, context):
        created = 0
        for (_, year), group in groups.items():
            organization = group["organization"]
            first_row = group["rows"][0][0]
            held_on = min(day for _, _, _, day in group["rows"])
            if organization.last_day and organization.last_day < held_on:
                held_on = organization.last_day
            existing = organization.appraisals.filter(year=year).first()
            if existing is not None:
                held_on = existing.held_on
            # Who may not be graded is said on that member's row, as the page says it beside the name.
            problems = services.grade_member_problems(
                members=[member for _, member, _, _ in group["rows"]], organization=organization, day=held_on
            )
            for number, member, _, _ in group["rows"]:
                if member in problems:
                    context.error(self.sheet_name, number, ID_COLUMN, problems[member])
            if problems:
                continue
            grades = {member: grade for _, member, grade, _ in group["rows"]}
            if record(
                context,
                self.sheet_name,
                first_row,
                self.fields,
                services.appraisal_record,
                organization=organization,
                year=year,
                held_on=held_on,
                grades=grades,
            ):
                created += len(grades)
        return SheetResult(created=created, unchanged=unchanged)


def organization_named(name: str, day: datetime.date | None):
    """The organization bearing `name` on `day` (a dissolved one by its name then), else the one
    bearing it now; None when there is none."""
    if day is not None:
        version = (
            OrganizationVersion.objects.filter(name=name, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
            .select_related("organization")
            .first()
        )
        if version is not None:
            return version.organization
    return Organization.objects.filter(name=name).order_by("dissolved_on").first()


class SecretaryReportSheet:
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

    def prepare(self, rows, context):
        seen, planned, unchanged = {}, [], 0
        existing = set(SecretaryReport.objects.values_list("organization_id", "year"))
        for row in rows:
            name = row.text("党组织", required=True)
            year = read_year(row)
            reported_on = row.date("述职日期", required=True)
            grade = row.choice("等次", ReportGrade) or ""
            secretary_name = row.text("书记姓名", max_length=50) or ""
            organization = organization_named(name, reported_on) if name else None
            if name and organization is None:
                row.error("党组织", f"没有名为“{name}”的党组织。")
            if row.has_error:
                continue
            key = (organization.pk, year)
            if key in seen:
                row.error("年度", f"与第{seen[key]}行重复（同一党组织、同一年度）。")
                continue
            seen[key] = row.number
            if key in existing:
                unchanged += 1
                continue
            data = {
                "organization": organization,
                "year": year,
                "reported_on": reported_on,
                "grade": grade,
                "secretary_name": secretary_name,
            }
            planned.append((row.number, data))
        return record_all(context, self, services.secretary_report_record, planned, unchanged)

    def apply(self, plan, context):
        return plan

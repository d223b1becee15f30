"""The 党员 sheet of the import workbook (WORKBOOK.md), through jiguan.importing.

Every row is checked before anything is stored; members already on file (by ID number) count as
unchanged, so importing the same file twice changes nothing. The members are stored in bulk:
a 12,000-row sheet is a handful of inserts.
"""

from dataclasses import dataclass

from django.conf import settings

from jiguan import audit
from jiguan.importing import SheetResult
from jiguan.numbers import normalize_number
from members import idnumber
from members.models import Category, Gender, Member, MemberVersion, Status
from members.services import member_errors, new_member
from organizations.models import Organization

# The fields of a member, as the columns of the sheet.
_COLUMN_OF_FIELD = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "gender": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "education": "学历",
    "admitted_on": "入党日期",
    "confirmed_on": "转正日期",
    "organization": "所在党组织",
    "category": "人员类别",
    "phone": "联系电话",
}
_CHUNK = 900  # stays under SQLite's limit of bound parameters


@dataclass
class _Planned:
    member: Member
    valid_from: object


def _existing_id_numbers(id_numbers):
    """The ID numbers among `id_numbers` already on file (found through their keyed hashes)."""
    existing = set()
    id_numbers = list(id_numbers)
    chunk_size = _CHUNK // len(settings.DATA_KEYS)  # one hash a key for each number
    for start in range(0, len(id_numbers), chunk_size):
        chunk = id_numbers[start : start + chunk_size]
        existing.update(Member.objects.matching_any("id_number", chunk).values_list("id_number", flat=True))
    return existing


class MemberSheet:
    sheet_name = "党员"
    columns = {
        "姓名": True,
        "性别": True,
        "公民身份号码": True,
        "出生日期": False,
        "民族": False,
        "学历": False,
        "所在党组织": True,
        "人员类别": True,
        "党员类别": True,
        "入党日期": True,
        "转正日期": False,
        "联系电话": False,
    }

    def prepare(self, rows, context):
        organizations = {o.name: o for o in Organization.objects.active()}
        # An organization dissolved in the past may still be named, when no active one has the name.
        for organization in Organization.objects.filter(dissolved_on__isnull=False):
            organizations.setdefault(organization.name, organization)
        organizations.update(context.shared.get("organization_aliases", {}))  # the workbook's root
        existing = _existing_id_numbers(
            normalize_number(row.text("公民身份号码")) for row in rows if row.raw("公民身份号码")
        )
        seen = {}
        planned = []
        unchanged = 0
        for row in rows:
            name = row.text("姓名", required=True)
            gender = row.choice("性别", Gender, required=True)
            id_number = normalize_number(row.text("公民身份号码", required=True))
            birth_date = row.date("出生日期")
            ethnicity = row.text("民族") or "汉族"
            education = row.text("学历") or ""
            organization_name = row.text("所在党组织", required=True)
            category = row.choice("人员类别", Category, required=True)
            status = row.choice("党员类别", Status, required=True)
            admitted_on = row.date("入党日期", required=True)
            confirmed_on = row.date("转正日期")
            phone = normalize_number(row.text("联系电话"))

            organization = None
            if organization_name:
                organization = organizations.get(organization_name)
                if organization is None:
                    context.organization_not_found(row, "所在党组织", organization_name)
            if status == Status.FULL and row.raw("转正日期") in (None, "") and not confirmed_on:
                row.error("转正日期", "正式党员必须填写转正日期。")
            if status == Status.PROBATIONARY and confirmed_on:
                row.error("转正日期", "预备党员不应填写转正日期。")
            if id_number:
                errors = member_errors(
                    id_number=id_number,
                    gender=gender,
                    birth_date=birth_date,
                    admitted_on=admitted_on,
                    confirmed_on=confirmed_on if status == Status.FULL else None,
                    organization=organization,
                    check_duplicate=False,  # a member already on file counts as unchanged
                )
                if admitted_on is None:
                    errors.pop("admitted_on", None)  # reported as missing already
                if "id_number" not in errors:
                    if id_number in seen:
                        row.error("公民身份号码", f"与第{seen[id_number]}行重复。")
                        continue
                    seen[id_number] = row.number
                    birth_date = idnumber.birth_date_of(id_number)
                for field, message in errors.items():
                    row.error(_COLUMN_OF_FIELD[field], message)
            if row.has_error:
                continue
            if id_number in existing:
                unchanged += 1
                continue
            member = new_member(
                organization=organization,
                name=name,
                gender=gender,
                id_number=id_number,
                birth_date=birth_date,
                admitted_on=admitted_on,
                confirmed_on=confirmed_on if status == Status.FULL else None,
                ethnicity=ethnicity,
                education=education,
                phone=phone,
                category=category,
            )
            row.check(member, _COLUMN_OF_FIELD)
            if row.has_error:
                continue
            # Membership runs from 入党日期, or from the organization's founding when that is later.
            planned.append(_Planned(member, max(admitted_on, organization.founded_on)))
        return {"planned": planned, "unchanged": unchanged}

    def apply(self, plan, context):
        members = [p.member for p in plan["planned"]]
        Member.objects.bulk_create(members, batch_size=1000)
        MemberVersion.objects.bulk_create(
            [
                MemberVersion(
                    member=p.member,
                    organization=p.member.organization,
                    category=p.member.category,
                    valid_from=p.valid_from,
                )
                for p in plan["planned"]
            ],
            batch_size=1000,
        )
        audit.record_bulk_create(context.actor, members)
        return SheetResult(created=len(members), unchanged=plan["unchanged"])

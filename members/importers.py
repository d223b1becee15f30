"""The 党员 sheet of the import workbook (WORKBOOK.md), through jiguan.importing.

Every row is checked before anything is stored; members already on file (by ID number) count as
unchanged, so importing the same file twice changes nothing. The members are stored in bulk:
a 12,000-row sheet is a handful of inserts.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from jiguan import audit
from jiguan.docnumbers import normalize_document_number
from jiguan.importing import ServiceSheet, SheetResult
from jiguan.numbers import normalize_number
from members import development, idnumber, national, services
from members.models import (
    INDIVIDUAL_COMMENDATIONS,
    Category,
    Commendation,
    CommendationKind,
    DevelopmentStep,
    Gender,
    MedalAward,
    Member,
    MemberVersion,
    Prospect,
    Status,
)
from members.services import member_errors, new_member
from organizations import services as organization_services
from organizations.importers import read_organization
from organizations.models import Appointment, Organization, Post

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
    "degree": "学位",
    "native_place": "籍贯",
    "work_post": "工作岗位",
    "residence": "现居住地",
}
_CHUNK = 900  # stays under SQLite's limit of bound parameters
ID_COLUMN = "公民身份号码"


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
        # Optional, as the national roster writes them (members.national).
        "学位": False,
        "籍贯": False,
        "工作岗位": False,
        "现居住地": False,
        "是否失联党员": False,
        "是否流动党员": False,
    }

    def map_columns(self, names, rows, context):
        """The national roster's column names and its 人员类别 read as the sheet's (members.national)."""
        header = national.map_columns(names, rows)
        if header.ambiguous:
            context.error(self.sheet_name, 1, "人员类别", header.ambiguous)
            context.missing_columns.update({(self.sheet_name, "人员类别"), (self.sheet_name, "党员类别")})
        if header.renamed:
            context.notes.append(national.renamed_note(self.sheet_name, header))
        return header.names, header.derived, header.national

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
            details = {
                "degree": row.text("学位", max_length=20) or "",
                "native_place": row.text("籍贯", max_length=50) or "",
                "work_post": row.text("工作岗位", max_length=50) or "",
                "residence": row.text("现居住地", max_length=200) or "",
                "lost_contact": national.read_flag(row, "是否失联党员"),
                "floating": national.read_flag(row, "是否流动党员"),
            }

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
                **details,
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


# --- the member a row names, for every sheet --------------------------------------------------------

# Under which name of ImportContext.reusable the people read by ID number are kept.
_REUSABLE_NAME = {Member: "members", Prospect: "prospects"}


def members_by_id_number(rows, column=ID_COLUMN, model=Member, context=None) -> dict:
    """{ID number: member} for the ID numbers in `column` of `rows` (through their keyed hashes, in
    chunks), members with their membership stretches (so that the services' checks of a member's
    organization on a day cost no query). `model=Prospect` finds the people in development.

    With the import's `context`, what was read is kept in context.reusable (under "members" or
    "prospects") for the next sheets that name the same people, as long as the sheets between leave
    them alone (jiguan.importing): a county's sheets of dues, grades and commitments name the same
    12,000 members, each read (and decrypted) once instead of once a sheet."""
    numbers = list({normalize_number(row.text(column)) for row in rows if row.raw(column)} - {""})
    # ID number -> the person, or None when none is on file.
    known = {} if context is None else context.reusable.setdefault(_REUSABLE_NAME[model], {})
    wanted = [number for number in numbers if number not in known]
    found = {}
    chunk_size = _CHUNK // len(settings.DATA_KEYS)
    queryset = model.objects.all()
    if model is Member:
        versions = Prefetch("versions", queryset=MemberVersion.objects.select_related("organization"))
        queryset = queryset.select_related("organization").prefetch_related(versions)
    for start in range(0, len(wanted), chunk_size):
        for person in queryset.matching_any("id_number", wanted[start : start + chunk_size]):
            found[person.id_number] = person
    known.update(found)
    known.update((number, None) for number in wanted if number not in found)
    return {number: known[number] for number in numbers if known[number] is not None} | found


def read_member(row, members, column=ID_COLUMN, *, required=True, name_column=None, name=None):
    """The member whose ID number is in `column` (reported on the row when none is on the roster);
    the `name` read from `name_column`, when given, must be theirs."""
    id_number = normalize_number(row.text(column, required=required))
    if not id_number:
        return None
    member = members.get(id_number)
    if member is None:
        row.error(column, "党员名册中没有该公民身份号码。")
    elif name_column:
        check_name(row, name_column, member, name)
    return member


def check_name(row, column, person, name):
    """The `name` read from `column` is the name of the person the row's ID number names."""
    if name and name != person.name:
        row.error(column, f"该公民身份号码对应的是{person.name}，与“{name}”不一致。")


# --- 任职 --------------------------------------------------------------------------------------------


class AppointmentSheet(ServiceSheet):
    """任职: a person holding a post in an organization from 任职日期 (to 免职日期), through the
    service of the appointment form (organizations.services.appointment_create); a member named by
    公民身份号码 is linked (as members.services.appointment_with_holder links one). Rows are checked in
    date order by the service's rules (organizations.services.AppointmentBatch), so a new 书记
    relieves the one before as on the page, and stored at once. A row on file that the sheet now
    ends (免职日期) is ended (appointment_end)."""

    sheet_name = "任职"
    columns = {
        "党组织": True,
        "姓名": True,
        ID_COLUMN: False,
        "职务": True,
        "任职日期": True,
        "免职日期": False,
        "文号": False,
    }
    fields = {
        "organization": "党组织",
        "person_name": "姓名",
        "member": ID_COLUMN,
        "post": "职务",
        "start_on": "任职日期",
        "end_on": "免职日期",
        "document_number": "文号",
    }
    key_column = "任职日期"
    key_label = "同一党组织、姓名、职务和任职日期"

    def lookup(self, rows, context):
        return members_by_id_number(rows, context=context)

    def read(self, row, members, context):
        person_name = row.text("姓名", required=True, max_length=50)
        member = read_member(row, members, required=False, name_column="姓名", name=person_name)
        post = row.choice("职务", Post, required=True)
        start_on = row.date("任职日期", required=True)
        end_on = row.date("免职日期")
        document_number = row.text("文号", max_length=50) or ""
        try:
            document_number = normalize_document_number(document_number)
        except ValidationError as exc:
            row.error("文号", exc.messages[0])
        organization = read_organization(row, "党组织", start_on, context)
        if row.has_error:
            return None
        return {
            "organization": organization,
            "person_name": person_name,
            "member": member,
            "post": post,
            "start_on": start_on,
            "end_on": end_on,
            "document_number": document_number,
        }

    def key(self, data):
        return (data["organization"].pk, data["person_name"], data["post"], data["start_on"])

    def on_file(self, planned, context):
        organizations = {p.data["organization"].pk: p.data["organization"] for p in planned}
        appointments = Appointment.objects.filter(
            organization__in=set(organizations), start_on__in={p.data["start_on"] for p in planned}
        )
        # The rows are checked and stored in bulk (build, store_built): the organizations' 书记 read
        # once. A row on file that the sheet ends is ended on the batch's own instance, so that the
        # rows after it see it ended.
        self.batch = organization_services.AppointmentBatch(organizations.values())
        self.holders = []
        held = {a.pk: a for secretaries in self.batch.secretaries.values() for a in secretaries}
        return {
            (a.organization_id, a.person_name, a.post, a.start_on): held.get(a.pk, a) for a in appointments
        }

    def order(self, planned):
        return (planned.data["start_on"], planned.row.number)

    def build(self, data, context):
        """The appointment checked by appointment_create's rules (a new 书记 relieving the one in
        office, in memory), stored with the others by store_built."""
        data = dict(data)
        member = data.pop("member")
        appointment = self.batch.add(**data)
        if member is not None:
            self.holders.append((appointment, member))
        return appointment

    def store_built(self, records, context):
        self.batch.store(context.actor)
        services.appointment_holders_store(actor=context.actor, holders=self.holders)

    def update(self, data, stored, context):
        if data["end_on"] is None or stored.end_on is not None:
            return False
        organization_services.appointment_end(actor=context.actor, appointment=stored, end_on=data["end_on"])
        return True


# --- 表彰 --------------------------------------------------------------------------------------------

_WAYS = {"授予": False, "向上推荐": True}


class CommendationSheet(ServiceSheet):
    """表彰 (两优一先), through the service of the commendation form (services.commendation_create):
    a person (by name, a member linked by 公民身份号码) or an organization (by its name on the day),
    granted by 授予组织 or recommended by it to 上级机关."""

    sheet_name = "表彰"
    columns = {
        "类别": True,
        "对象": True,
        ID_COLUMN: False,
        "授予组织": True,
        "日期": True,
        "方式": False,
        "上级机关": False,
    }
    fields = {
        "kind": "类别",
        "member": ID_COLUMN,
        "person_name": "对象",
        "recipient_organization": "对象",
        "granted_by": "授予组织",
        "date": "日期",
        "recommended": "方式",
        "higher_body": "上级机关",
    }
    key_column = "对象"
    key_label = "同一类别、对象和日期"

    def lookup(self, rows, context):
        return members_by_id_number(rows, context=context)

    def read(self, row, members, context):
        kind = row.choice("类别", CommendationKind, required=True)
        date = row.date("日期", required=True)
        way = row.text("方式") or "授予"
        if way not in _WAYS:
            row.error("方式", f"“{way}”不是有效的选项，应为：授予、向上推荐。")
        higher_body = row.text("上级机关", max_length=100) or ""
        granted_by = read_organization(row, "授予组织", date, context)
        data = {"kind": kind, "date": date, "granted_by": granted_by, "higher_body": higher_body}
        if kind in INDIVIDUAL_COMMENDATIONS:
            data["person_name"] = row.text("对象", required=True, max_length=50)
            data["member"] = read_member(
                row, members, required=False, name_column="对象", name=data["person_name"]
            )
        elif kind:
            if row.text(ID_COLUMN):
                row.error(ID_COLUMN, "先进基层党组织是党组织，不填写公民身份号码。")
            data["recipient_organization"] = read_organization(row, "对象", date, context)
        if row.has_error:
            return None
        data["recommended"] = _WAYS[way]
        return data

    def key(self, data):
        recipient = data.get("recipient_organization")
        who = ("organization", recipient.pk) if recipient else ("person", data["person_name"])
        return (data["kind"], who, data["date"])

    def on_file(self, planned, context):
        commendations = Commendation.objects.filter(date__in={p.data["date"] for p in planned})
        return {
            (
                c.kind,
                ("organization", c.recipient_organization_id)
                if c.recipient_organization_id
                else ("person", c.person_name),
                c.date,
            ): c
            for c in commendations
        }

    def record(self, data, context):
        services.commendation_create(actor=context.actor, **data)


# --- 发展党员 ----------------------------------------------------------------------------------------


def _step_numbers_by_name():
    numbers = {}
    for step in development.STEPS.values():
        numbers.setdefault(step.name, []).append(step.number)
    return numbers


class DevelopmentSheet(ServiceSheet):
    """发展党员: one row a step of a person's development, through the services of the pages: step 1
    registers the applicant (services.prospect_create: the gender and the birth date from the ID
    number), every later step is recorded by services.prospect_record_step, so it is checked against
    the steps before it (in the sheet or on file) and against the rules, in their words. A person's
    rows are recorded in step order; after a wrong row, the person's later rows name it.

    Optional columns beyond WORKBOOK.md's five (an addition the contract allows) carry what some
    steps need, as the form asks it: 培养联系人 (step 5), 入党介绍人 (step 9), 培训天数 / 培训学时
    (step 11), 赞成票 and 有表决权的正式党员数 (steps 15 and 23)."""

    sheet_name = "发展党员"
    columns = {
        "姓名": True,
        ID_COLUMN: True,
        "党组织": True,
        "步骤": True,
        "日期": True,
        "培养联系人": False,
        "入党介绍人": False,
        "培训天数": False,
        "培训学时": False,
        "赞成票": False,
        "有表决权的正式党员数": False,
    }
    fields = {
        "name": "姓名",
        "gender": ID_COLUMN,
        "id_number": ID_COLUMN,
        "birth_date": ID_COLUMN,
        "organization": "党组织",
        "applied_on": "日期",
        "number": "步骤",
        "done_on": "日期",
        "mentors": "培养联系人",
        "sponsors": "入党介绍人",
        "days": "培训天数",
        "hours": "培训学时",
        "votes_for": "赞成票",
        "voters_entitled": "有表决权的正式党员数",
    }
    key_column = "步骤"
    key_label = "同一人、同一步骤"

    def lookup(self, rows, context):
        return {
            "prospects": members_by_id_number(rows, model=Prospect, context=context),
            "names": _step_numbers_by_name(),
        }

    def read(self, row, lookup, context):
        name = row.text("姓名", required=True, max_length=50)
        id_number = normalize_number(row.text(ID_COLUMN, required=True))
        if id_number:
            try:
                idnumber.validate_id_number(id_number)
            except ValidationError as exc:
                row.error(ID_COLUMN, exc.messages[0])
                id_number = None
        number = self._step(row, lookup["names"])
        done_on = row.date("日期", required=True)
        organization = read_organization(row, "党组织", done_on, context)
        extra = {
            "mentors": row.text("培养联系人", max_length=100) or "",
            "sponsors": row.text("入党介绍人", max_length=100) or "",
            "days": row.int("培训天数"),
            "hours": row.int("培训学时"),
            "votes_for": row.int("赞成票"),
            "voters_entitled": row.int("有表决权的正式党员数"),
        }
        prospect = lookup["prospects"].get(id_number) if id_number else None
        if prospect is not None:
            check_name(row, "姓名", prospect, name)
        if row.has_error:
            return None
        return {
            "name": name,
            "id_number": id_number,
            "organization": organization,
            "number": number,
            "done_on": done_on,
            **extra,
        }

    def _step(self, row, names):
        text = row.text("步骤", required=True)
        if not text:
            return None
        if text.isdigit():
            number = int(text)
            if number not in development.STEPS:
                row.error("步骤", f"步骤应为1至25，或步骤名称，现为“{text}”。")
                return None
            return number
        numbers = names.get(text.removeprefix("第").lstrip("0123456789").removeprefix("步").strip("“”"))
        if not numbers:
            row.error("步骤", f"“{text}”不是发展党员的步骤，应为1至25，或步骤名称（如“递交入党申请书”）。")
            return None
        if len(numbers) > 1:
            steps = "和".join(f"第{n}步" for n in numbers)
            row.error("步骤", f"“{text}”是{steps}的名称，请填写步骤编号。")
            return None
        return numbers[0]

    def key(self, data):
        return (data["id_number"], data["number"])

    def on_file(self, planned, context):
        prospects = Prospect.objects.matching_any("id_number", {p.data["id_number"] for p in planned})
        steps = DevelopmentStep.objects.filter(prospect__in=prospects).select_related("prospect")
        return {(step.prospect.id_number, step.number): step for step in steps}

    def order(self, planned):
        return (planned.data["id_number"], planned.data["number"])

    def store(self, planned, stored, context):
        # After a wrong row, the person's later steps name it rather than repeat its reason.
        self._failed = {}
        return super().store(planned, stored, context)

    def record(self, data, context):
        failed = self._failed.get(data["id_number"])
        if failed is not None:
            row_number, number = failed
            raise ValidationError(
                {
                    "number": f"第{data['number']}步“{development.STEPS[data['number']].name}”未能记录："
                    f"此人的第{number}步“{development.STEPS[number].name}”（本表第{row_number}行）有误，"
                    "请先改正该行。"
                }
            )
        if data["number"] == development.APPLICATION:
            services.prospect_create(
                actor=context.actor,
                organization=data["organization"],
                name=data["name"],
                gender=idnumber.gender_of(data["id_number"]),
                id_number=data["id_number"],
                applied_on=data["done_on"],
            )
            return
        prospect = Prospect.objects.matching("id_number", data["id_number"]).first()
        if prospect is None:
            first = development.STEPS[development.APPLICATION]
            raise ValidationError(
                {
                    "number": f"请按顺序记录：第{data['number']}步“{development.STEPS[data['number']].name}”"
                    f"之前的第1步“{first.name}”尚未完成（本表和系统中均无此人的记录）。"
                }
            )
        if prospect.organization_id != data["organization"].pk:
            raise ValidationError(
                {"organization": f"{prospect.name}的发展党组织是“{prospect.organization.name}”，与本行不同。"}
            )
        services.prospect_record_step(
            actor=context.actor,
            prospect=prospect,
            number=data["number"],
            done_on=data["done_on"],
            mentors=data["mentors"],
            sponsors=data["sponsors"],
            days=data["days"],
            hours=data["hours"],
            votes_for=data["votes_for"],
            voters_entitled=data["voters_entitled"],
        )

    def refused(self, item, exc, context):
        super().refused(item, exc, context)
        self._failed.setdefault(item.data["id_number"], (item.row.number, item.data["number"]))


# --- 纪念章 ------------------------------------------------------------------------------------------


class MedalSheet(ServiceSheet):
    """纪念章: the 光荣在党50年 medal of a member on 颁发日期 (its year), awarded by the root committee,
    through services.medal_award as on the medal page (eligibility checked there)."""

    sheet_name = "纪念章"
    columns = {ID_COLUMN: True, "颁发日期": True}
    fields = {"member": ID_COLUMN, "year": "颁发日期", "awarded_on": "颁发日期", "awarded_by": "颁发日期"}
    key_column = "颁发日期"
    key_label = "同一党员、同一年度"

    def lookup(self, rows, context):
        return members_by_id_number(rows, context=context), Organization.objects.root_committee()

    def read(self, row, lookup, context):
        members, committee = lookup
        member = read_member(row, members)
        awarded_on = row.date("颁发日期", required=True)
        if committee is None:
            row.error("颁发日期", "系统中还没有机关工委（组织树的根），请先导入“党组织”表。")
        if row.has_error:
            return None
        return {"member": member, "year": awarded_on.year, "awarded_on": awarded_on, "awarded_by": committee}

    def key(self, data):
        return (data["member"].pk, data["year"])

    def on_file(self, planned, context):
        medals = MedalAward.objects.filter(member_id__in={p.data["member"].pk for p in planned})
        return {(m.member_id, m.year): m for m in medals}

    def record(self, data, context):
        services.medal_award(actor=context.actor, **data)

"""The 党组织 sheet of the import workbook (WORKBOOK.md), through the organization services.

An organization already stored under the row's name is left as it is (importing twice changes
nothing); a 撤销日期 given for a stored organization not yet dissolved dissolves it. Rows may name a
parent that comes later in the sheet: rows are stored parents first.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import F

from jiguan.dated import holds_on
from jiguan.importing import ServiceSheet, SheetResult
from jiguan.names import name_key
from organizations import services
from organizations.models import Kind, LiaisonAssignment, Organization, OrganizationVersion, Unit

COLUMN_OF_FIELD = {
    "name": "组织名称",
    "new_name": "组织名称",
    "kind": "组织类别",
    "parent": "上级组织",
    "unit": "所在单位",
    "founded_on": "成立日期",
    "date": "撤销日期",
}


class OrganizationSheet:
    sheet_name = "党组织"
    columns = {
        "组织名称": True,
        "组织类别": True,
        "上级组织": False,
        "所在单位": False,
        "成立日期": True,
        "撤销日期": False,
    }

    def prepare(self, rows, context):
        entries = {}
        # Which row names which organization: a later sheet naming one whose row failed blames that row.
        context.shared["organization_rows"] = {}
        for row in rows:
            entry = {
                "row": row,
                "name": row.text("组织名称", required=True, max_length=100),
                "kind": row.choice("组织类别", Kind, required=True),
                "parent": row.text("上级组织", max_length=100),
                "unit": row.text("所在单位", max_length=100),
                "founded_on": row.date("成立日期", required=True),
                "dissolved_on": row.date("撤销日期"),
            }
            if entry["name"]:
                context.shared["organization_rows"].setdefault(entry["name"], row.number)
            if row.has_error:
                continue
            if entry["name"] in entries:
                row.error("组织名称", f"与第{entries[entry['name']]['row'].number}行重名。")
                continue
            if entry["dissolved_on"] and entry["dissolved_on"] < entry["founded_on"]:
                row.error("撤销日期", "撤销日期不能早于成立日期。")
                continue
            entries[entry["name"]] = entry

        stored = {
            o.name: o
            for o in Organization.objects.filter(
                name__in=[*entries, *(e["parent"] for e in entries.values() if e["parent"])]
            ).order_by("dissolved_on")
        }
        # Prefer the organization not dissolved when a name was reused.
        stored.update({o.name: o for o in Organization.objects.active().filter(name__in=stored)})
        self._match_root(entries, stored, context)
        similar = self._similar_names(context)
        plan = []
        for entry in entries.values():
            row, existing = entry["row"], stored.get(entry["name"])
            if existing is None and name_key(entry["name"]) in similar and not context.accept_similar:
                context.doubt(
                    row,
                    "组织名称",
                    f"与系统中已有的“{similar[name_key(entry['name'])]}”几乎相同（仅“中共”、空格或标点不同）。"
                    "如是同一组织，请改用已有名称；如确是新的党组织，请确认后导入。",
                )
                continue
            if existing is not None:
                if existing.kind != entry["kind"]:
                    row.error(
                        "组织类别",
                        f"已有名为“{existing.name}”的{existing.get_kind_display()}，与本行的类别不一致。",
                    )
                    continue
                entry["existing"] = existing
            parent_name = entry["parent"]
            if not parent_name:
                if entry["kind"] != Kind.WORKING_COMMITTEE and existing is None:
                    row.error("上级组织", "只有机关工委可以没有上级组织，请填写上级组织。")
                continue_with = True
            elif parent_name in entries:
                parent = entries[parent_name]
                self._check_parent(row, entry, parent["kind"], parent["founded_on"], parent["dissolved_on"])
                continue_with = True
            elif parent_name in stored:
                parent = stored[parent_name]
                if existing is None:
                    self._check_parent(row, entry, parent.kind, parent.founded_on, parent.dissolved_on)
                continue_with = True
            else:
                row.error("上级组织", f"没有找到名为“{parent_name}”的党组织（本表和系统中均没有）。")
                continue_with = False
            if continue_with and not row.has_error:
                plan.append(entry)
        self._blame_failed_parents(plan, entries)
        plan = [entry for entry in plan if not entry["row"].has_error]
        ordered = self._parents_first(plan, context)
        return {"entries": ordered, "stored": stored}

    def _blame_failed_parents(self, plan, entries):
        """A row whose parent's row (in this sheet) has an error says so: the parent's row is to
        blame, and this row is checked again once it is right. Down the tree, grandchildren too."""
        failed = {name for name, entry in entries.items() if entry["row"].has_error}
        changed = True
        while changed:
            changed = False
            for entry in plan:
                if entry["row"].has_error or entry["parent"] not in failed:
                    continue
                parent_row = entries[entry["parent"]]["row"].number
                entry["row"].error(
                    "上级组织", f"上级组织“{entry['parent']}”（本表第{parent_row}行）有误，请先改正该行。"
                )
                failed.add(entry["name"])
                changed = True

    def _match_root(self, entries, stored, context):
        """The workbook's root (the one 机关工委 without a parent) is the tree's root when the tree has
        one under another name: a county's workbook names its own committee, perhaps differently
        (a sample's 中共某县委…). The preview says so before anything is stored."""
        roots = [e for e in entries.values() if e["kind"] == Kind.WORKING_COMMITTEE and not e["parent"]]
        root = Organization.objects.root_committee()
        if len(roots) != 1 or root is None or roots[0]["name"] in stored:
            return
        entry = roots[0]
        stored[entry["name"]] = root
        context.shared.setdefault("organization_aliases", {})[entry["name"]] = root
        context.notes.append(
            f"“党组织”表第{entry['row'].number}行的“{entry['name']}”是组织树的根，"
            f"对应为本系统的根组织“{root.name}”，不另建；其他各表中的这个名称也指“{root.name}”。"
        )

    def _similar_names(self, context):
        """name_key -> the stored name, for every organization (one query); kept for later sheets."""
        similar = {}
        for name in Organization.objects.order_by("dissolved_on", "pk").values_list("name", flat=True):
            similar.setdefault(name_key(name), name)
        context.shared["similar_names"] = similar
        return similar

    def _check_parent(self, row, entry, parent_kind, parent_founded, parent_dissolved):
        allowed = services.ALLOWED_PARENT_KINDS[Kind(entry["kind"])]
        if parent_kind not in allowed:
            if entry["kind"] == Kind.DISCIPLINE_COMMITTEE:
                row.error("上级组织", "机关纪委只能设在机关党委之下。")
            elif entry["kind"] == Kind.PARTY_GROUP:
                row.error("上级组织", "党小组只能设在党支部之下。")
            else:
                names = "、".join(Kind(k).label for k in allowed) or "（无）"
                row.error("上级组织", f"{Kind(entry['kind']).label}的上级组织应为{names}。")
            return
        if parent_founded and parent_founded > entry["founded_on"]:
            row.error("成立日期", "成立日期早于上级组织的成立日期。")
        elif parent_dissolved and parent_dissolved <= entry["founded_on"]:
            row.error("上级组织", "上级组织在本组织成立时已撤销。")

    def _parents_first(self, plan, context):
        by_name = {entry["name"]: entry for entry in plan}
        ordered, placed = [], set()
        pending = list(plan)
        while pending:
            progress = [
                e for e in pending if not e["parent"] or e["parent"] not in by_name or e["parent"] in placed
            ]
            if not progress:
                for entry in pending:
                    entry["row"].error("上级组织", "上级组织关系形成循环。")
                break
            for entry in progress:
                ordered.append(entry)
                placed.add(entry["name"])
            pending = [e for e in pending if e["name"] not in placed]
        return ordered

    def apply(self, plan, context):
        result = SheetResult()
        organizations = dict(plan["stored"])
        units = {u.name: u for u in Unit.objects.all()}
        # Found parents first, then dissolve children first: a dissolution needs its children gone.
        rows = {entry["name"]: entry["row"].number for entry in plan["entries"]}
        batch = services.FoundingBatch(context.actor)
        for entry in plan["entries"]:
            parent = entry["parent"]
            if parent and parent not in organizations:
                # Its parent's row failed: that row is to blame, this one waits for it.
                entry["row"].error(
                    "上级组织",
                    f"上级组织“{parent}”（本表第{rows.get(parent, '?')}行）未能导入，请先改正该行。",
                )
                continue
            with _row_errors(entry["row"]):
                entry["organization"] = organizations[entry["name"]] = self._found(
                    entry, organizations, units, batch, context
                )
        batch.store()
        for entry in reversed(plan["entries"]):
            organization = entry.get("organization")
            if organization is None:
                continue
            if entry.get("existing") is None:
                result.created += 1
            elif entry["dissolved_on"] and organization.dissolved_on is None:
                result.updated += 1
            else:
                result.unchanged += 1
            if entry["dissolved_on"] and organization.dissolved_on is None:
                with _row_errors(entry["row"]):
                    services.organization_dissolve(
                        actor=context.actor, organization=organization, date=entry["dissolved_on"]
                    )
        context.shared["organizations"] = organizations
        return result

    def _found(self, entry, organizations, units, batch, context):
        existing = entry.get("existing")
        if existing is not None:
            return existing
        unit = None
        if entry["unit"]:
            unit = units.get(entry["unit"])
            if unit is None:
                unit = units[entry["unit"]] = services.unit_create(actor=context.actor, name=entry["unit"])
        return batch.found(
            kind=entry["kind"],
            name=entry["name"],
            parent=organizations.get(entry["parent"]) if entry["parent"] else None,
            unit=unit,
            founded_on=entry["founded_on"],
        )


class _row_errors:
    """Report a service's ValidationError on the row, with the column of the field it names."""

    def __init__(self, row):
        self.row = row

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None or not issubclass(exc_type, ValidationError):
            return False
        for field, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            for message in messages:
                self.row.error(COLUMN_OF_FIELD.get(field, ""), message)
        return True


# --- the organization a row names, for every sheet ------------------------------------------------


def organization_named(name: str, day: datetime.date | None):
    """The organization bearing `name` on `day` (a dissolved or renamed one by its name then), else
    the one bearing it now (preferring one not dissolved); None when there is none."""
    if day is not None:
        version = (
            OrganizationVersion.objects.filter(name=name).valid_on(day).select_related("organization").first()
        )
        if version is not None:
            return version.organization
    return (
        Organization.objects.filter(name=name).order_by(F("dissolved_on").asc(nulls_first=True), "pk").first()
    )


class _Names:
    """organization_named for the rows of one sheet: every organization's names read once (two
    queries, however many rows), answering as organization_named does. Read again for each sheet,
    since a sheet before may have founded or renamed organizations."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.versions = {}  # name -> its versions, in organization_named's order
        organizations = {}
        for version in OrganizationVersion.objects.select_related("organization").order_by(
            "organization_id", "valid_from"
        ):
            organization = organizations.setdefault(version.organization_id, version.organization)
            version.organization = organization  # one instance per organization
            self.versions.setdefault(version.name, []).append(version)
        self.now = {}  # name -> the organization bearing it now, one not dissolved first
        for organization in Organization.objects.order_by(F("dissolved_on").asc(nulls_first=True), "pk"):
            self.now.setdefault(organization.name, organizations.get(organization.pk, organization))

    def named(self, name, day):
        if day is not None:
            for version in self.versions.get(name, ()):
                if holds_on(day, version.valid_from, version.valid_to):
                    return version.organization
        return self.now.get(name)


def read_organization(row, column, day, context, *, required=True):
    """The organization named in `column` of `row`, as named on `day` (the row's date): the
    workbook's root is the tree's root (OrganizationSheet._match_root); a name found nowhere is
    reported on the row, blaming the 党组织 row that failed when there is one."""
    name = row.text(column, required=required, max_length=100)
    if not name:
        return None
    aliases = context.shared.get("organization_aliases", {})
    if name in aliases:
        return aliases[name]
    names = context.shared.get("organization_names")
    if names is None or names.sheet != context.sheet_number:
        names = context.shared["organization_names"] = _Names(context.sheet_number)
    organization = names.named(name, day)
    if organization is None:
        context.organization_not_found(row, column, name)
    return organization


# --- 联系点 ------------------------------------------------------------------------------------------


class LiaisonSheet(ServiceSheet):
    """联系点: a committee leader (班子成员) guiding an organization from 开始日期 (to 结束日期), through
    services.liaison_assign as the page; the leader belongs to the root committee, as on the page.
    A row on file without 结束日期 that the sheet now ends is ended (services.liaison_end)."""

    sheet_name = "联系点"
    columns = {"班子成员": True, "党组织": True, "开始日期": True, "结束日期": False}
    fields = {
        "leader_name": "班子成员",
        "committee": "党组织",
        "organization": "党组织",
        "start_on": "开始日期",
        "end_on": "结束日期",
    }
    key_column = "开始日期"
    key_label = "同一班子成员、党组织和开始日期"

    def lookup(self, rows, context):
        return Organization.objects.root_committee()

    def read(self, row, committee, context):
        leader_name = row.text("班子成员", required=True, max_length=50)
        start_on = row.date("开始日期", required=True)
        end_on = row.date("结束日期")
        organization = read_organization(row, "党组织", start_on, context)
        if committee is None:
            row.error("党组织", "系统中还没有机关工委（组织树的根），请先导入“党组织”表。")
        if row.has_error:
            return None
        return {
            "leader_name": leader_name,
            "committee": committee,
            "organization": organization,
            "start_on": start_on,
            "end_on": end_on,
        }

    def key(self, data):
        return (data["leader_name"], data["organization"].pk, data["start_on"])

    def on_file(self, planned, context):
        assignments = LiaisonAssignment.objects.filter(
            leader_name__in={p.data["leader_name"] for p in planned},
            organization__in={p.data["organization"].pk for p in planned},
        )
        return {(a.leader_name, a.organization_id, a.start_on): a for a in assignments}

    def order(self, planned):
        return planned.data["start_on"]

    def record(self, data, context):
        services.liaison_assign(actor=context.actor, **data)

    def update(self, data, stored, context):
        if data["end_on"] is None or stored.end_on is not None:
            return False
        services.liaison_end(actor=context.actor, assignment=stored, end_on=data["end_on"])
        return True

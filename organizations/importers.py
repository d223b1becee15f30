"""The 党组织 sheet of the import workbook (WORKBOOK.md), through the organization services.

An organization already stored under the row's name is left as it is (importing twice changes
nothing); a 撤销日期 given for a stored organization not yet dissolved dissolves it. Rows may name a
parent that comes later in the sheet: rows are stored parents first.
"""

from django.core.exceptions import ValidationError

from jiguan.importing import SheetResult
from organizations import services
from organizations.models import Kind, Organization, Unit

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
        plan = []
        for entry in entries.values():
            row, existing = entry["row"], stored.get(entry["name"])
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
        ordered = self._parents_first(plan, context)
        return {"entries": ordered, "stored": stored}

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
        for entry in plan["entries"]:
            with _row_errors(entry["row"]):
                entry["organization"] = organizations[entry["name"]] = self._found(
                    entry, organizations, units, context
                )
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

    def _found(self, entry, organizations, units, context):
        existing = entry.get("existing")
        if existing is not None:
            return existing
        unit = None
        if entry["unit"]:
            unit = units.get(entry["unit"])
            if unit is None:
                unit = units[entry["unit"]] = services.unit_create(actor=context.actor, name=entry["unit"])
        return services.organization_found(
            actor=context.actor,
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

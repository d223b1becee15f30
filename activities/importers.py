"""The 活动 sheet of the import workbook (WORKBOOK.md), through jiguan.importing.

Every row is checked against the same rules as activities.services (date within the
organization's life, attendance not above the expected count); activities already on file (same
organization, kind, date and title) count as unchanged, so importing a file twice changes nothing.
Rows are stored in bulk.
"""

from dataclasses import dataclass, field

from activities.models import Activity, ActivityKind, ActivityTopic, Topic
from jiguan import audit
from jiguan.importing import SheetResult
from organizations.models import Organization

# The fields of an activity, as the columns of the sheet.
_COLUMN_OF_FIELD = {
    "organization": "党组织",
    "kind": "活动类型",
    "date": "日期",
    "title": "主题",
    "place": "地点",
    "expected_count": "应到人数",
    "attended_count": "实到人数",
}


@dataclass
class _Planned:
    activity: Activity
    topics: list
    joined: list = field(default_factory=list)


class ActivitySheet:
    sheet_name = "活动"
    columns = {
        "党组织": True,
        "活动类型": True,
        "日期": True,
        "主题": True,
        "地点": False,
        "应到人数": False,
        "实到人数": False,
        "专题": False,
        "联合开展党组织": False,
    }

    def prepare(self, rows, context):
        organizations = {o.name: o for o in Organization.objects.filter(dissolved_on__isnull=False)}
        organizations.update({o.name: o for o in Organization.objects.active()})
        aliases = context.shared.get("organization_aliases", {})  # the workbook's root: the tree's
        organizations.update(aliases)
        topics_by_label = {str(label): value for value, label in Topic.choices}
        existing = set(
            Activity.objects.filter(
                organization__name__in={row.text("党组织") for row in rows}
                | {o.name for o in aliases.values()}
            ).values_list("organization_id", "kind", "date", "title")
        )
        seen = {}
        planned = []
        unchanged = 0
        for row in rows:
            organization_name = row.text("党组织", required=True)
            kind = row.choice("活动类型", ActivityKind, required=True)
            date = row.date("日期", required=True)
            title = row.text("主题", required=True)
            place = row.text("地点") or ""
            expected = row.int("应到人数")
            attended = row.int("实到人数")
            topic_labels = row.list("专题")
            joined_names = row.list("联合开展党组织")

            organization = None
            if organization_name:
                organization = organizations.get(organization_name)
                if organization is None:
                    context.organization_not_found(row, "党组织", organization_name)
            if organization and date:
                problem = organization.existence_problem(date, "活动")
                if problem:
                    row.error("日期", problem)
            if expected is not None and attended is not None and attended > expected:
                row.error("实到人数", f"实到人数（{attended}）不能多于应到人数（{expected}）。")
            topics = []
            for label in topic_labels:
                if label not in topics_by_label:
                    row.error("专题", f"“{label}”不是有效的专题，应为：{'、'.join(topics_by_label)}。")
                elif topics_by_label[label] not in topics:
                    topics.append(topics_by_label[label])
            joined = []
            for name in joined_names:
                other = organizations.get(name)
                if other is None:
                    context.organization_not_found(row, "联合开展党组织", name)
                elif date and other.existence_problem(date, "联合开展活动"):
                    row.error("联合开展党组织", other.existence_problem(date, "联合开展活动"))
                elif other != organization and other not in joined:
                    joined.append(other)
            if row.has_error:
                continue
            key = (organization.pk, kind, date, title)
            if key in seen:
                row.error("主题", f"与第{seen[key]}行重复（同一党组织、活动类型、日期和主题）。")
                continue
            seen[key] = row.number
            if key in existing:
                unchanged += 1
                continue
            activity = Activity(
                organization=organization,
                kind=kind,
                date=date,
                title=title,
                place=place,
                expected_count=expected,
                attended_count=attended,
                created_by=context.actor if context.actor is not None and context.actor.pk else None,
            )
            row.check(activity, _COLUMN_OF_FIELD)
            if row.has_error:
                continue
            planned.append(_Planned(activity, topics, joined))
        return {"planned": planned, "unchanged": unchanged}

    def apply(self, plan, context):
        activities = [p.activity for p in plan["planned"]]
        Activity.objects.bulk_create(activities, batch_size=1000)
        ActivityTopic.objects.bulk_create(
            [ActivityTopic(activity=p.activity, topic=t) for p in plan["planned"] for t in p.topics],
            batch_size=1000,
        )
        through = Activity.joined_organizations.through
        through.objects.bulk_create(
            [
                through(activity_id=p.activity.pk, organization_id=o.pk)
                for p in plan["planned"]
                for o in p.joined
            ],
            batch_size=1000,
        )
        audit.record_bulk_create(context.actor, activities)
        return SheetResult(created=len(activities), unchanged=plan["unchanged"])

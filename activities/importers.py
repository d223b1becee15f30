"""The 活动 sheet of the import workbook (WORKBOOK.md), through jiguan.importing.

Every row is checked against the same rules as activities.services (date within the
organization's life, attendance not above the expected count); activities already on file (same
organization, kind, date and title) count as unchanged, so importing a file twice changes nothing.
Rows are stored in bulk.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    CondolenceVisit,
    Topic,
    TrainingAttendance,
)
from activities.services import CondolenceEntry, TraineeEntry, activity_create, activity_update
from jiguan import audit
from jiguan.importing import ServiceSheet, SheetResult
from jiguan.numbers import normalize_number
from members.importers import ID_COLUMN, check_name, members_by_id_number
from members.models import Prospect
from organizations.importers import read_organization
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


# --- the people of an activity: 走访慰问 and 培训名单 ------------------------------------------------


def _as_it_is(activity):
    """The arguments of activities.services.activity_update that leave `activity` as it is."""
    return {
        "activity": activity,
        "date": activity.date,
        "title": activity.title,
        "kind": activity.kind,
        "place": activity.place,
        "expected_count": activity.expected_count,
        "attended_count": activity.attended_count,
        "topics": [t.topic for t in activity.topics.all()],
        "joined_organizations": list(activity.joined_organizations.all()),
        "host": activity.host,
        "recorder": activity.recorder,
        "minutes": activity.minutes,
        "volunteer_community": activity.volunteer_community,
    }


def _add_to_activity(context, *, organization, kind, date, title, **people):
    """Add the people of a row to the activity of `organization`, `kind`, `date` (and `title`): the
    one on file (from the 活动 sheet, an earlier row or the pages), else a new one; through the
    activity services, as the activity form adds them."""
    activities = Activity.objects.filter(organization=organization, kind=kind, date=date)
    if title is not None:
        activities = activities.filter(title=title)
    activity = activities.order_by("pk").first()
    if activity is None:
        activity_create(
            actor=context.actor,
            organization=organization,
            kind=kind,
            date=date,
            title=title or kind.label,
            **people,
        )
    else:
        activity_update(actor=context.actor, **_as_it_is(activity), **people)


class CondolenceSheet(ServiceSheet):
    """走访慰问: one row a person visited, with the condolence money; the visits of one organization on
    one day are one 走访慰问 activity (the one on file, else a new one titled 走访慰问), recorded
    through the activity services as the activity form records them (a member named by 公民身份号码
    on the roster that day is linked; an ID number of someone outside it is kept, so that the same
    person visited twice counts once)."""

    sheet_name = "走访慰问"
    columns = {"党组织": True, "日期": True, "对象姓名": True, ID_COLUMN: False, "慰问金": False}
    fields = {
        "organization": "党组织",
        "date": "日期",
        "condolence_visits": "对象姓名",
        "title": "",
        "kind": "",
    }
    key_column = "对象姓名"
    key_label = "同一党组织、日期和对象姓名"

    def read(self, row, lookup, context):
        date = row.date("日期", required=True)
        organization = read_organization(row, "党组织", date, context)
        person_name = row.text("对象姓名", required=True, max_length=50)
        id_number = normalize_number(row.text(ID_COLUMN, max_length=30))
        amount = row.money("慰问金")
        if amount is not None and amount < 0:
            row.error("慰问金", "慰问金不能为负数。")
        elif amount is not None:
            row.check(CondolenceVisit(person_name="", amount=amount), {"amount": "慰问金"})
        if row.has_error:
            return None
        return {
            "organization": organization,
            "date": date,
            "entry": CondolenceEntry(person_name=person_name, amount=amount or 0, id_number=id_number),
        }

    def key(self, data):
        return (data["organization"].pk, data["date"], data["entry"].person_name)

    def on_file(self, planned, context):
        visits = CondolenceVisit.objects.filter(
            activity__kind=ActivityKind.CONDOLENCE_VISIT,
            activity__organization__in={p.data["organization"].pk for p in planned},
            activity__date__in={p.data["date"] for p in planned},
        ).select_related("activity")
        return {(v.activity.organization_id, v.activity.date, v.person_name): v for v in visits}

    def order(self, planned):
        return (planned.data["organization"].pk, planned.data["date"], planned.row.number)

    def record(self, data, context):
        on_file = CondolenceVisit.objects.filter(
            activity__organization=data["organization"],
            activity__kind=ActivityKind.CONDOLENCE_VISIT,
            activity__date=data["date"],
        ).order_by("activity_id", "pk")
        first = on_file.first()
        visits = [
            CondolenceEntry(
                person_name=v.person_name,
                amount=v.amount,
                note=v.note,
                member=v.member,
                id_number=v.id_number,
            )
            for v in on_file
            if first is not None and v.activity_id == first.activity_id
        ]
        _add_to_activity(
            context,
            organization=data["organization"],
            kind=ActivityKind.CONDOLENCE_VISIT,
            date=data["date"],
            title=None,
            condolence_visits=[*visits, data["entry"]],
        )


class TrainingSheet(ServiceSheet):
    """培训名单: one row a person trained; a training is its organization, date and 培训名称 (a 培训
    activity: the one on file, from the 活动 sheet or the pages, else a new one). The person is named
    by 公民身份号码: an activist or a candidate in development (who must be one on that day, by the
    dates of their steps, as the form checks), else a member on the roster."""

    sheet_name = "培训名单"
    columns = {"党组织": True, "日期": True, "培训名称": True, "姓名": True, ID_COLUMN: True}
    fields = {
        "organization": "党组织",
        "date": "日期",
        "title": "培训名称",
        "trainees": ID_COLUMN,
        "kind": "",
    }
    key_column = ID_COLUMN
    key_label = "同一培训、同一人"

    def lookup(self, rows, context):
        return members_by_id_number(rows, context=context), members_by_id_number(
            rows, model=Prospect, context=context
        )

    def read(self, row, lookup, context):
        members, prospects = lookup
        date = row.date("日期", required=True)
        organization = read_organization(row, "党组织", date, context)
        title = row.text("培训名称", required=True, max_length=200)
        name = row.text("姓名", required=True, max_length=50)
        id_number = normalize_number(row.text(ID_COLUMN, required=True))
        if row.has_error:
            return None
        member, prospect = members.get(id_number), prospects.get(id_number)
        if prospect is not None and (member is None or date < member.admitted_on):
            check_name(row, "姓名", prospect, name)
            entry = TraineeEntry(prospect=prospect)
        elif member is not None:
            check_name(row, "姓名", member, name)
            entry = TraineeEntry(member=member)
        else:
            row.error(ID_COLUMN, "党员名册和发展党员记录中都没有该公民身份号码。")
            return None
        if row.has_error:
            return None
        return {
            "organization": organization,
            "date": date,
            "title": title,
            "id_number": id_number,
            "entry": entry,
        }

    def key(self, data):
        return (data["organization"].pk, data["date"], data["title"], data["id_number"])

    def on_file(self, planned, context):
        attendances = TrainingAttendance.objects.filter(
            activity__kind=ActivityKind.TRAINING,
            activity__organization__in={p.data["organization"].pk for p in planned},
            activity__date__in={p.data["date"] for p in planned},
        ).select_related("activity", "prospect", "member")
        return {
            (
                a.activity.organization_id,
                a.activity.date,
                a.activity.title,
                (a.prospect or a.member).id_number,
            ): a
            for a in attendances
        }

    def order(self, planned):
        return (
            planned.data["organization"].pk,
            planned.data["date"],
            planned.data["title"],
            planned.row.number,
        )

    def store(self, planned, stored, context):
        """The new rows of one training recorded in one call of the activity services instead of one
        a row (the services check each trainee alone, so the training's rows pass together when
        each would pass after the ones before). When the services refuse them, they are recorded
        row by row, so the refusal is reported on the row to blame, in the services' words."""
        result = SheetResult(unchanged=sum(1 for item in planned if item.key in stored))
        trainings = {}
        for item in planned:  # in `order`: a training's rows together, in the sheet's order
            if item.key not in stored:
                trainings.setdefault(item.key[:3], []).append(item)
        for index, items in enumerate(trainings.values()):
            if index % 20 == 0:
                context.step(
                    index, len(trainings), f"“{self.sheet_name}”表：第{index + 1}次培训，共{len(trainings)}次"
                )
            try:
                self.record_all([item.data for item in items], context)
                result.created += len(items)
                continue
            except ValidationError:
                pass  # nothing of the training was stored (the services' transaction): row by row
            for item in items:
                try:
                    self.record(item.data, context)
                    result.created += 1
                except ValidationError as exc:
                    self.refused(item, exc, context)
        return result

    def record(self, data, context):
        self.record_all([data], context)

    def record_all(self, rows, context):
        """Add the trainees of `rows` (of one training) to its activity, after those on file."""
        data = rows[0]
        on_file = TrainingAttendance.objects.filter(
            activity__organization=data["organization"],
            activity__kind=ActivityKind.TRAINING,
            activity__date=data["date"],
            activity__title=data["title"],
        ).order_by("activity_id", "pk")
        first = on_file.first()
        trainees = [
            TraineeEntry(prospect=t.prospect, member=t.member, hours=t.hours)
            for t in on_file
            if first is not None and t.activity_id == first.activity_id
        ]
        _add_to_activity(
            context,
            organization=data["organization"],
            kind=ActivityKind.TRAINING,
            date=data["date"],
            title=data["title"],
            trainees=[*trainees, *(row["entry"] for row in rows)],
        )

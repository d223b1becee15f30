"""What is due, as drafts of reminder letters (工作提醒函): terms expiring or overdue, probation
ending, required activities missing, responsibility-list items overdue. Staff review the drafts
before they are issued. Each source is read with a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from activities import rhythm
from activities.models import ReminderReason, ResponsibilityItem
from jiguan.dates import add_months, chinese_date
from members.models import Member, Status
from organizations.models import Organization

PROBATION_NOTICE_DAYS = 30
# A branch gets a letter about missing activities once this many required periods are missing.
MISSING_ACTIVITIES_MIN = 3


@dataclass
class DueReminder:
    addressee: Organization
    reason: str
    subject: str
    body: str


def _closing(sender):
    return f"\n\n请高度重视，按规定抓紧落实，并将落实情况及时报{sender.name}。\n\n特此提醒。"


def _term_reminders(sender, today):
    from organizations.selectors import terms_expiring, terms_overdue

    for organization in [*terms_overdue(today), *terms_expiring(today)]:
        expires = organization.term_expires_on
        if expires < today:
            reason, subject = ReminderReason.TERM_OVERDUE, f"关于{organization.name}按期换届的提醒函"
            text = f"你组织本届委员会任期已于{chinese_date(expires)}届满，至今尚未换届，已逾期。"
        else:
            reason, subject = ReminderReason.TERM_EXPIRING, f"关于{organization.name}任期即将届满的提醒函"
            text = f"你组织本届委员会任期将于{chinese_date(expires)}届满。"
        body = (
            f"{organization.name}：\n\n{text}根据《中国共产党党和国家机关基层组织工作条例》，"
            "党组织任期届满应当按期进行换届选举，请提前做好换届准备，按程序报批。" + _closing(sender)
        )
        yield DueReminder(organization, reason, subject, body)


def _probation_reminders(sender, today):
    """Probation ending within PROBATION_NOTICE_DAYS or already ended, an extension counted
    (members.rules.probation_end is the one rule for when probation ends)."""
    from members.rules import probation_end, probation_months

    notice_until = today + datetime.timedelta(days=PROBATION_NOTICE_DAYS)
    # Without an extension probation ends on the anniversary, so nobody admitted later can be due;
    # a few days' slack covers 29 February. The exact test, extension included, follows per member.
    admitted_by = add_months(notice_until, -probation_months()) + datetime.timedelta(days=3)
    members = (
        Member.objects.on_roster()
        .filter(status=Status.PROBATIONARY, admitted_on__lte=admitted_by)
        .select_related("organization")
        .order_by("organization_id", "admitted_on", "id")
    )
    by_organization = defaultdict(list)
    for member in members:
        ends = probation_end(member)
        if ends <= notice_until:
            by_organization[member.organization].append((member, ends))
    for organization, people in by_organization.items():
        lines = []
        for member, ends in people:
            state = "已届满" if ends < today else "将届满"
            extended = (
                f"预备期延长{member.probation_extension_months}个月，"
                if member.probation_extension_months
                else "预备期"
            )
            lines.append(
                f"{member.name}（{chinese_date(member.admitted_on)}入党，{extended}于{chinese_date(ends)}{state}）"
            )
        body = (
            f"{organization.name}：\n\n你组织以下预备党员预备期即将届满或已经届满：{'；'.join(lines)}。"
            "请及时督促本人提出转正申请，按程序召开支部党员大会讨论其转正问题。" + _closing(sender)
        )
        yield DueReminder(
            organization,
            ReminderReason.PROBATION_ENDING,
            f"关于{organization.name}预备党员按期转正的提醒函",
            body,
        )


def _missing_reminders(sender, today):
    branches = Organization.objects.subtree_of(sender, today).existing_on(today)
    for branch in rhythm.rhythm_table(branches, today.year, today):
        if branch.missing < MISSING_ACTIVITIES_MIN:
            continue
        by_kind = defaultdict(list)
        for requirement, period in branch.missing_items:
            by_kind[requirement.label].append(period.label)
        lines = "；".join(f"{label}（{'、'.join(labels)}）" for label, labels in by_kind.items())
        body = (
            f"{branch.organization.name}：\n\n经查，{today.year}年你支部以下组织生活未按规定开展或未录入系统：{lines}。"
            "请对照《中国共产党支部工作条例（试行）》，严格落实“三会一课”、主题党日等制度，及时补录活动记录。"
            + _closing(sender)
        )
        yield DueReminder(
            branch.organization,
            ReminderReason.ACTIVITIES_MISSING,
            f"关于{branch.organization.name}规范开展组织生活的提醒函",
            body,
        )


def overdue_items(today):
    """Open items past their deadline that an organization existing today answers for."""
    from activities.selectors import overdue_items_q

    return (
        ResponsibilityItem.objects.filter(overdue_items_q(today), responsible_organization__isnull=False)
        .select_related("responsible_organization", "responsibility_list__document")
        .order_by("responsible_organization_id", "deadline", "number")
    )


def _item_reminders(sender, today):
    by_organization = defaultdict(list)
    for item in overdue_items(today):
        by_organization[item.responsible_organization].append(item)
    for organization, items in by_organization.items():
        lines = "；".join(
            f"{item.task}（{item.responsibility_list.document.number}，完成时限{chinese_date(item.deadline)}）"
            for item in items
        )
        body = (
            f"{organization.name}：\n\n你组织承担的以下清单事项已超过完成时限，尚未完成：{lines}。"
            "请抓紧推进，完成后上传佐证材料。" + _closing(sender)
        )
        yield DueReminder(
            organization,
            ReminderReason.ITEMS_OVERDUE,
            f"关于{organization.name}清单事项逾期未完成的提醒函",
            body,
        )


def due_reminders(*, sender, today):
    """Every reminder due on `today`, as unsaved drafts' contents. An organization that does not
    exist that day (dissolved, or not yet founded) is never an addressee."""
    for source in (_term_reminders, _probation_reminders, _missing_reminders, _item_reminders):
        for due in source(sender, today):
            if due.addressee.exists_on(today):
                yield due

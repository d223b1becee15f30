"""The sheets 党费基数 and 党费 of the import workbook (WORKBOOK.md), through jiguan.importing.

All or nothing like every sheet; each wrong row is reported (sheet, row, column, reason). Members
are named by 公民身份号码; everything the rows need (members, their membership stretches, bases,
payments already on file) is read in a few bulk queries, and the rows are stored in bulk, so a
sheet of 144,000 payments (12 months × 12,000 members) is a handful of statements.

- 党费基数: member + 起始月份 is the key: the same base again is unchanged; another amount or class
  for that month corrects it (updated).
- 党费: member + 所属月份 + 交纳日期 is the key (a second payment for a month is a row with its own
  交纳日期): a payment already on file is unchanged. A month the member was not on the roster at its
  end (before 入党日期, after leaving, or not yet in the system) is refused on its row; so is an
  amount above CONFIRM_OVER_TIMES_DUE times the month's due (the page asks for confirmation;
  a sheet cannot). An empty 交纳日期 is taken as the month's last day (today, when later).
"""

import bisect
from decimal import Decimal

from jiguan import audit, dates
from jiguan.importing import SheetResult
from jiguan.numbers import normalize_number
from members.dues import ledger, rules, services
from members.dues.models import DuesBase, DuesClass, DuesPayment, PaymentKind
from members.dues.months import label, month_end, parse_month
from members.importers import members_by_id_number
from organizations.models import Organization

_CHUNK = 900


def _member_of(row, members):
    id_number = normalize_number(row.text("公民身份号码", required=True))
    if not id_number:
        return None
    member = members.get(id_number)
    if member is None:
        row.error("公民身份号码", "党员名册中没有该公民身份号码的党员。")
    return member


def _by_member(queryset, member_ids, key="member_id"):
    ids = sorted(member_ids)
    result = {}
    for start in range(0, len(ids), _CHUNK):
        for obj in queryset.filter(**{f"{key}__in": ids[start : start + _CHUNK]}):
            result.setdefault(getattr(obj, key), []).append(obj)
    return result


def _money(row, column):
    return row.money(column, required=True)


def _month(row, column):
    value = row.raw(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        row.error(column, "不能为空。")
        return None
    month = parse_month(value)
    if month is None:
        row.error(column, f"无法识别的月份“{value}”，请写作2021-01、2021/1或2021年1月。")
    return month


class DuesBaseSheet:
    sheet_name = "党费基数"
    leaves_alone = {"members", "prospects"}
    columns = {"公民身份号码": True, "起始月份": True, "缴费基数": True, "缴费类别": False}
    _COLUMN_OF_FIELD = {"start_month": "起始月份", "base": "缴费基数", "dues_class": "缴费类别"}

    def prepare(self, rows, context):
        members = members_by_id_number(rows, context=context)
        existing = {
            (b.member_id, b.start_month): b
            for bases in _by_member(DuesBase.objects.all(), {m.pk for m in members.values()}).values()
            for b in bases
        }
        seen = {}
        created, updated, unchanged = [], [], 0
        for row in rows:
            member = _member_of(row, members)
            start = _month(row, "起始月份")
            base = _money(row, "缴费基数")
            dues_class = row.choice("缴费类别", DuesClass)
            if row.has_error or member is None:
                continue
            dues_class = dues_class or services.default_class(member)
            errors = services.base_errors(member=member, start_month=start, base=base, dues_class=dues_class)
            for field, message in errors.items():
                row.error(self._COLUMN_OF_FIELD[field], message)
            if row.has_error:
                continue
            key = (member.pk, start)
            if key in seen:
                row.error("起始月份", f"与第{seen[key]}行重复（同一党员同一起始月份）。")
                continue
            seen[key] = row.number
            base = base.quantize(Decimal("0.01"))
            due = rules.monthly_due(base, dues_class)
            old = existing.get(key)
            if old is None:
                created.append(
                    DuesBase(member=member, start_month=start, base=base, dues_class=dues_class, due=due)
                )
            elif (old.base, old.dues_class, old.due) == (base, dues_class, due):
                unchanged += 1
            else:
                updated.append((old, audit.snapshot(old), base, dues_class, due))
        return {"created": created, "updated": updated, "unchanged": unchanged}

    def apply(self, plan, context):
        DuesBase.objects.bulk_create(plan["created"], batch_size=1000)
        changed = []
        for old, _before, base, dues_class, due in plan["updated"]:
            old.base, old.dues_class, old.due = base, dues_class, due
            changed.append(old)
        DuesBase.objects.bulk_update(changed, ["base", "dues_class", "due", "updated_at"], batch_size=1000)
        for old, before, *_ in plan["updated"]:
            audit.record_update(context.actor, old, before)
        audit.record_bulk_create(context.actor, plan["created"])
        link_bases({b.member_id for b in plan["created"]} | {b.member_id for b in changed})
        return SheetResult(created=len(plan["created"]), updated=len(changed), unchanged=plan["unchanged"])


def link_bases(member_ids):
    """Set `until_month` of the bases of `member_ids` (each runs until the next starts). Bulk."""
    changed = []
    for bases in _by_member(DuesBase.objects.order_by("member_id", "start_month"), member_ids).values():
        for base, following in zip(bases, [*bases[1:], None], strict=True):
            until = following.start_month if following else None
            if base.until_month != until:
                base.until_month = until
                changed.append(base)
    DuesBase.objects.bulk_update(changed, ["until_month"], batch_size=1000)
    ledger.mark_stale(member_ids)  # bulk_update sends no post_save: the bases changed here and in apply


class _Stretches:
    """A member's membership stretches, to find the organization on a day."""

    def __init__(self, versions):
        self.versions = sorted(versions, key=lambda v: v.valid_from)
        self.starts = [v.valid_from for v in self.versions]

    def organization_on(self, day):
        index = bisect.bisect_right(self.starts, day) - 1
        if index < 0:
            return None
        version = self.versions[index]
        if version.valid_to is not None and version.valid_to <= day:
            return None
        return version.organization_id


class _Bases:
    def __init__(self, bases):
        self.bases = sorted(bases, key=lambda b: b.start_month)
        self.starts = [b.start_month for b in self.bases]

    def due_in(self, month):
        index = bisect.bisect_right(self.starts, month) - 1
        return self.bases[index].due if index >= 0 else None


class DuesPaymentSheet:
    sheet_name = "党费"
    leaves_alone = {"members", "prospects"}
    columns = {"公民身份号码": True, "所属月份": True, "实交金额": True, "交纳日期": False}

    def prepare(self, rows, context):
        today = dates.today()
        members = members_by_id_number(rows, context=context)
        ids = {m.pk for m in members.values()}
        # The members come with their versions (members_by_id_number): no second read of them.
        stretches = {m.pk: _Stretches(m.versions.all()) for m in members.values() if m.versions.all()}
        bases = {pk: _Bases(b) for pk, b in _by_member(DuesBase.objects.all(), ids).items()}
        factor = rules.confirm_factor()
        # The instances, so that the audit names each payment's organization without a query.
        organizations = Organization.objects.in_bulk(
            {v.organization_id for versions in stretches.values() for v in versions.versions}
            | {m.organization_id for m in members.values()}
        )
        candidates = []
        months = set()
        seen = {}
        for row in rows:
            member = _member_of(row, members)
            month = _month(row, "所属月份")
            amount = _money(row, "实交金额")
            paid_on = row.date("交纳日期")
            if row.has_error or member is None:
                continue
            if amount <= 0:
                row.error("实交金额", "实交金额应大于0元。")
            elif amount.as_tuple().exponent < -2:
                row.error("实交金额", "实交金额最多保留两位小数（分）。")
            elif amount > Decimal("100000"):
                row.error("实交金额", "实交金额超过10万元，请核对。")
            for message in services.payment_month_errors(member, month).values():
                row.error("所属月份", message)
            if row.has_error:
                continue
            end = month_end(month)
            if end > today and member.left_on is None:
                organization_id = member.organization_id  # paid in advance, to today's organization
            else:
                organization_id = stretches.get(member.pk) and stretches[member.pk].organization_on(end)
            if not organization_id:
                row.error(
                    "所属月份", f"{label(month)}月底{member.name}不在党员名册中（组织关系不在本系统）。"
                )
                continue
            due = bases[member.pk].due_in(month) if member.pk in bases else None
            if due and amount > due * factor:
                row.error(
                    "实交金额",
                    f"{label(month)}实交{amount}元，超过应交{due}元的{factor}倍；"
                    "确属自愿多交，请在党费页面逐笔录入并确认。",
                )
                continue
            if paid_on is None:
                paid_on = min(end, today)
            elif paid_on > today:
                row.error("交纳日期", "交纳日期不能晚于今天。")
                continue
            elif paid_on < member.admitted_on:
                row.error("交纳日期", "交纳日期不能早于入党日期。")
                continue
            key = (member.pk, month, paid_on)
            if key in seen:
                row.error("交纳日期", f"与第{seen[key]}行重复：同一月份的第二笔交纳须有不同的交纳日期。")
                continue
            seen[key] = row.number
            months.add(month)
            payment = DuesPayment(
                member=member,
                organization=organizations[organization_id],
                month=month,
                amount=amount.quantize(Decimal("0.01")),
                paid_on=paid_on,
                kind=PaymentKind.PAID,
            )
            row.check(payment, {"amount": "实交金额", "paid_on": "交纳日期", "month": "所属月份"})
            if row.has_error:
                continue
            candidates.append(payment)
        on_file = set()
        if candidates:
            query = DuesPayment.objects.filter(voided_on__isnull=True, month__in=sorted(months))
            for payments in _by_member(query.only("member_id", "month", "paid_on"), ids).values():
                on_file.update((p.member_id, p.month, p.paid_on) for p in payments)
        created = [p for p in candidates if (p.member_id, p.month, p.paid_on) not in on_file]
        return {"created": created, "unchanged": len(candidates) - len(created)}

    def apply(self, plan, context):
        DuesPayment.objects.bulk_create(plan["created"], batch_size=2000)
        audit.record_bulk_create(context.actor, plan["created"])
        return SheetResult(created=len(plan["created"]), unchanged=plan["unchanged"])

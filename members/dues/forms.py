"""Forms of the dues pages (jiguan.forms.Form: bounded dates; money and months typed in any width)."""

from decimal import Decimal

from django import forms

from jiguan import dates
from jiguan.forms import DateInput, Form
from jiguan.numbers import normalize_number
from members.dues.models import DuesClass
from members.dues.months import label, parse_month


class MonthInput(forms.TextInput):
    """The browser's month picker; the value is written yyyy-mm."""

    input_type = "month"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m")
        return value


class MonthField(forms.Field):
    """A month: 2021-07, 2021/7 or 2021年7月 (stored as its first day)."""

    widget = MonthInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return parse_month(value)
        month = parse_month(normalize_number(value).replace("年", "年").strip())
        if month is None:
            month = parse_month(str(value).strip())
        if month is None:
            raise forms.ValidationError(f"无法识别的月份“{value}”，请写作2021-07或2021年7月。")
        if not 1921 <= month.year <= dates.today().year + 1:
            raise forms.ValidationError(f"月份应在1921年至{dates.today().year + 1}年之间。")
        return month


class MoneyField(forms.DecimalField):
    """An amount of yuan: full-width digits and a trailing 元 are accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "请填写金额（元），如25.50。",
                "max_digits": "金额过大，请核对。",
                "max_decimal_places": "金额最多保留两位小数（分）。",
                "max_whole_digits": "金额过大，请核对。",
                "min_value": "金额不能小于%(limit_value)s元。",
                "required": "请填写金额。",
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_number(value).removesuffix("元")
        return super().to_python(value)


class BaseForm(Form):
    start_month = MonthField(label="起始月份", help_text="通常每年1月核定一次，工资变动时重新核定")
    base = MoneyField(
        label="缴费基数（元）", min_value=Decimal("0"), help_text="每月固定税后工资收入，或离退休费"
    )
    dues_class = forms.ChoiceField(
        label="缴费类别",
        required=False,
        choices=[("", "按人员类别（在职或离退休）"), *DuesClass.choices],
        help_text="学生、下岗失业、低保党员每月交纳0.2元",
    )


class PaymentForm(Form):
    first_month = MonthField(label="所属月份（自）")
    last_month = MonthField(
        label="所属月份（至）", required=False, help_text="一次交纳多个月时填写；不填即只交一个月"
    )
    amount = MoneyField(label="每月实交金额（元）", required=False, help_text="不填即按每月应交金额")
    paid_on = forms.DateField(label="交纳日期", widget=DateInput(), initial=dates.today)
    confirmed = forms.BooleanField(label="确认金额无误（自愿多交）", required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_month"), cleaned.get("last_month")
        if first and last and last < first:
            self.add_error("last_month", f"所属月份（至）不能早于{label(first)}。")
        if first and last and (last.year - first.year) * 12 + last.month - first.month >= 36:
            self.add_error("last_month", "一次最多交纳36个月。")
        return cleaned


class BranchMonthForm(Form):
    paid_on = forms.DateField(label="交纳日期", widget=DateInput(), initial=dates.today)


class VoidForm(Form):
    reason = forms.CharField(label="作废原因", max_length=200)


class CorrectForm(Form):
    amount = MoneyField(label="正确的实交金额（元）")
    paid_on = forms.DateField(label="交纳日期", widget=DateInput(), initial=dates.today)
    reason = forms.CharField(label="更正原因", max_length=200)
    confirmed = forms.BooleanField(label="确认金额无误（自愿多交）", required=False)

"""The 18-character citizen ID number (公民身份号码, GB 11643-1999)."""

import datetime
import re

from django.core.exceptions import ValidationError

from jiguan import dates
from jiguan.numbers import normalize_number

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_digit(first17):
    """The mod-11 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def birth_date_of(id_number):
    """Digits 7–14 as a date, or None when they are not a real date."""
    try:
        return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def gender_of(id_number):
    """'M' when the 17th digit is odd, 'F' when it is even."""
    return "M" if int(id_number[16]) % 2 == 1 else "F"


def validate_id_number(value):
    """Raise ValidationError (in Chinese) unless `value` is a well-formed ID number."""
    value = normalize_number(value)
    if len(value) != 18:
        raise ValidationError("公民身份号码应为18位，现为%(n)s位。", params={"n": len(value)}, code="length")
    if not _SHAPE.match(value):
        raise ValidationError("公民身份号码前17位应为数字，最后一位为数字或X。", code="shape")
    birth = birth_date_of(value)
    if birth is None or birth.year < 1900 or birth > dates.today():
        raise ValidationError("公民身份号码中的出生日期（第7至14位）无效。", code="birth_date")
    expected = check_digit(value[:17])
    if value[17] != expected:
        raise ValidationError(
            "公民身份号码校验位错误：最后一位应为%(expected)s。",
            params={"expected": expected},
            code="check_digit",
        )

"""Values read back from the change history, written the way the rest of the interface writes them.

The audit stores plain JSON (jiguan.audit._plain): days and times as ISO strings, yes/no as true/false.
Shown raw, a user would read "2026-03-02" and "True" next to pages that say 2026年3月2日 and 是.
"""

import datetime
import re

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

register = template.Library()

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@register.filter
def audit_value(value):
    """One stored value as a user reads it: （空）, 是/否, 2021年7月1日, 2021年7月1日 09:30, or the text itself."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return format_date(datetime.date.fromisoformat(value), "Y年n月j日")
        except ValueError:
            return value
    if isinstance(value, str) and _ISO_TIME.match(value):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return format_date(moment, "Y年n月j日 H:i")
    return value

"""The change history writes stored values the way every other page does: 2021年7月1日, 是/否, （空）."""

import pytest

from jiguan.templatetags.jiguan_display import audit_value


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2021-07-01", "2021年7月1日"),
        ("2026-03-02T01:30:00+00:00", "2026年3月2日 09:30"),  # UTC stored, Asia/Shanghai shown
        (True, "是"),
        (False, "否"),
        (None, "（空）"),
        ("", "（空）"),
        ("党支部", "党支部"),
        ("2021-13-45", "2021-13-45"),  # not a day: left as typed
        (3, 3),
    ],
)
def test_stored_values_read_as_on_the_other_pages(stored, shown):
    assert audit_value(stored) == shown

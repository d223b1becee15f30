"""The shared sample workbook (../shared/examples/import-sample.xlsx, kept in tests/fixtures) goes in
whole through the command users run, and a second import changes nothing."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from activities.models import Activity
from members.models import Member
from organizations.models import Organization

SAMPLE = Path(__file__).parent / "fixtures" / "import-sample.xlsx"

pytestmark = pytest.mark.django_db


def counts():
    return Organization.objects.count(), Member.objects.count(), Activity.objects.count()


def test_sample_imports_whole_and_twice_changes_nothing(capsys):
    call_command("import_workbook", str(SAMPLE))
    assert counts() == (8, 5, 8)
    water = Organization.objects.get(name="县水利局党支部")
    assert water.parent.name == "中共某县委县直机关工委"
    assert Organization.objects.get(name="交通运输局路政党支部").dissolved_on.isoformat() == "2020-12-31"
    assert Member.objects.matching("id_number", "450322198810030143").get().status == "PROBATIONARY"
    joint = Activity.objects.get(title="全民国家安全教育日学法活动")
    assert set(joint.joined_organizations.values_list("name", flat=True)) == {
        "县水利局党支部",
        "交通运输局机关党支部",
    }
    call_command("import_workbook", str(SAMPLE))
    assert counts() == (8, 5, 8)
    assert "新增0条" in capsys.readouterr().out


def test_dry_run_stores_nothing():
    call_command("import_workbook", str(SAMPLE), "--dry-run")
    assert counts() == (0, 0, 0)


def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_workbook", "/nonexistent/file.xlsx")

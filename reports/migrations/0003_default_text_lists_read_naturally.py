"""Saved texts that began from the committee's former default text carry its two list sentences,
which read 撤销了（共0个） and 下发了《…责任清单》等0个清单 in a year with nothing to list. They become
the sentences of the present default text (reports.default_text), which read 撤销党组织0个 and
下发抓基层党建工作责任清单0个. Only these exact sentences change; nothing else of a text is touched."""

from django.db import migrations

REPLACEMENTS = [
    (
        "下发了《{{ year }}年度工委班子成员抓基层党建工作责任清单》等{{ lists_issued }}个清单（{{ lists_issued_numbers }}）",
        "下发抓基层党建工作责任清单{{ lists_issued }}个（{{ lists_issued_numbers }}）",
    ),
    (
        "撤销了{{ orgs_dissolved_names }}（共{{ orgs_dissolved }}个）",
        "撤销党组织{{ orgs_dissolved }}个（{{ orgs_dissolved_names }}）",
    ),
]


def forwards(apps, schema_editor):
    AnnualReport = apps.get_model("reports", "AnnualReport")
    for report in AnnualReport.objects.all().only("pk", "text"):
        text = report.text
        for old, new in REPLACEMENTS:
            text = text.replace(old, new)
        if text != report.text:
            AnnualReport.objects.filter(pk=report.pk).update(text=text)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_chinese_field_labels")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

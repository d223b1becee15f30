"""python manage.py annual_report --year 2021 [--org NAME] --format pdf|xlsx|html --output PATH

Writes the same file the report page offers for download (WORKBOOK.md, "Commands"). --org
defaults to the root organization (the committee).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization
from reports.metrics import year_out_of_range_message, year_range
from reports.outputs import render_file
from reports.views import FORMATS


class Command(BaseCommand):
    help = "生成年度工作总结（PDF、Excel 或网页）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--org", default="", help="党组织名称，默认为工委（根组织）")
        parser.add_argument("--format", choices=sorted(FORMATS), required=True, dest="file_format")
        parser.add_argument("--output", required=True)

    def handle(self, *args, year, org, file_format, output, **options):
        if year not in year_range():
            raise CommandError(f"超出范围：{year_out_of_range_message(year)}")
        organization = self.find_organization(org)
        content = render_file(organization, year, file_format)
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {output}：{exc.strerror}") from exc
        self.stdout.write(f"已生成 {organization.name}{year}年工作总结：{path}（{len(content)} 字节）")

    def find_organization(self, name):
        if not name:
            root = Organization.objects.root_committee()
            if root is None:
                raise CommandError("没有找到工委（根组织），请先建立组织树或用 --org 指定党组织。")
            return root
        matches = list(Organization.objects.filter(name=name).order_by("dissolved_on"))
        if not matches:
            raise CommandError(f"没有找到名为“{name}”的党组织。")
        active = [o for o in matches if o.dissolved_on is None]
        return active[0] if active else matches[-1]

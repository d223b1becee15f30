from django.core.management.base import BaseCommand, CommandError

from jiguan.importing import import_workbook


class Command(BaseCommand):
    help = "导入工作簿（党组织、党员、活动及各可选工作表，格式见 WORKBOOK.md）。任何一行有误则全部不导入。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="工作簿文件 .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        parser.add_argument(
            "--accept-similar",
            action="store_true",
            help="确认与已有名称几乎相同（仅“中共”、空格或标点不同）的党组织确是新的党组织，"
            "并确认全国党员管理系统名册中本系统不认识的列不导入",
        )

    def handle(self, *args, path, dry_run, accept_similar, **options):
        try:
            with open(path, "rb") as file:
                report = import_workbook(file, dry_run=dry_run, accept_similar=accept_similar)
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{path}") from exc
        for note in report.notes:
            self.stdout.write(note)
        if report.ignored_sheets:
            self.stderr.write(report.ignored_note)
        for sheet, result in report.results.items():
            self.stdout.write(
                f"{sheet}：新增{result.created}条，更新{result.updated}条，未变{result.unchanged}条"
            )
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            if any(error.confirmable for error in report.errors):
                self.stderr.write(
                    "如几乎相同的名称确是新的党组织、所列的列确可不导入，请加 --accept-similar 重新导入。"
                )
            raise CommandError(f"发现{len(report.errors)}处错误，未导入任何数据。")
        if dry_run:
            self.stdout.write(self.style.SUCCESS("检查通过（试运行，未保存）。"))
        else:
            self.stdout.write(self.style.SUCCESS("导入完成。"))

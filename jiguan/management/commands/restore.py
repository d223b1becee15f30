from django.core.management.base import BaseCommand, CommandError

from jiguan.backup import BackupError, restore


class Command(BaseCommand):
    help = "把 manage.py backup 生成的备份恢复到一个空数据库和空的上传文件目录；不是空的则拒绝。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件（.zip）")

    def handle(self, *args, path, **options):
        try:
            manifest = restore(path, stdout=self.stdout)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{rows}行数据、{len(manifest['files'])}个上传文件"
                f"（备份于{manifest['created_at']}，来自{manifest['database']}）。"
            )
        )

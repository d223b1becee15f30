from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiguan.backup import BackupError, backup, default_backup_name


class Command(BaseCommand):
    help = "把数据库的全部数据和上传文件备份到一个文件（恢复：manage.py restore PATH）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件路径（.zip）；给出目录时，在其中按日期时间命名")

    def handle(self, *args, path, **options):
        target = Path(path)
        if target.is_dir() or path.endswith("/"):
            target = default_backup_name(target)
        try:
            manifest = backup(target)
        except (BackupError, OSError) as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(f"备份完成：{target}（{rows}行数据，{len(manifest['files'])}个上传文件）。")
        )

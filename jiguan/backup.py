"""Backup and restore: one archive with the database contents and the uploaded files.

The archive is a zip holding

- `manifest.json`: the format and its version, when and from which database it was made, the
  migrations the data belongs to, the number of rows of every table, and the size and SHA-256 of
  the data file and of every uploaded file;
- `data.jsonl`: every row of every table but the sessions, in Django's portable serialization
  (dumpdata), so that an archive made on SQLite restores on PostgreSQL and the other way round;
  primary keys are kept, content types and permissions included, so that the audit's references
  to content types and everything else point where they pointed; ID and phone numbers stay
  encrypted (jiguan.fields), so a restore needs the data key they were written with;
- `media/...`: every file under MEDIA_ROOT.

The backup reads the database in one transaction (REPEATABLE READ on PostgreSQL, so that every
table is read as of the same moment) and writes PATH.part, renamed to PATH when complete; the
archive is readable by its owner only, as it holds personal data.

The restore loads an archive into an empty database and an empty MEDIA_ROOT, and refuses anything
else. It checks the data and every file against their checksums; brings the schema to the
migrations of the archive (an empty database is migrated first), loads the rows in one transaction
with the content types and permissions of the archive (loaddata: constraints checked at the end,
PostgreSQL's sequences moved past the loaded keys), compares the number of rows of every table,
writes the files, and then applies the migrations the program has beyond the archive's. Any
failure leaves the database and MEDIA_ROOT as they were: empty.
"""

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.dispatch import Signal
from django.utils import timezone

from jiguan import data_version
from jiguan.crypto import UndecryptableValue

FORMAT = "jiguan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
# Rows never backed up: sessions end with the move anyway.
SKIPPED_MODELS = (Session,)
# Rows the target database has before any data (created by migrate), replaced by the archive's.
REPLACED_MODELS = (Permission, ContentType)


# Sent inside the restore's transaction once the rows are loaded (loaddata: raw saves): a higher
# layer keeping something derived from the records computes it again (members.dues.ledger).
restored = Signal()


class BackupError(Exception):
    """The archive cannot be made or restored; the text is one Chinese sentence for the operator."""


def _sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tables():
    """Every table backed up, with its model: the auto-created many-to-many tables included."""
    return {
        model._meta.db_table: model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed and model not in _skipped()
    }


def _skipped():
    """The models never backed up: SKIPPED_MODELS, and what is computed from the records (the dues
    ledger, empty after a restore and filled again when read)."""
    return [*SKIPPED_MODELS, *(model for model in apps.get_models() if data_version.derived(model))]


def _row_counts():
    return {table: model._base_manager.count() for table, model in sorted(_tables().items())}


def _applied_migrations(connection):
    """The latest applied migration of every app, as the graph's leaves of what is applied."""
    executor = MigrationExecutor(connection)
    applied = set(executor.loader.applied_migrations)
    leaves = {}
    for app_label, name in applied:
        node = (app_label, name)
        children = (
            executor.loader.graph.node_map[node].children if node in executor.loader.graph.node_map else ()
        )
        if not any(child.key in applied and child.key[0] == app_label for child in children):
            leaves.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(leaves.items())}


def _media_files(root: Path):
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def backup(path, *, using=DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to `path`; return its manifest."""
    path = Path(path)
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    partial = path.with_name(path.name + ".part")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jiguan-backup-") as work:
        data_path = Path(work) / DATA
        outermost = not connection.in_atomic_block  # (inside a test's transaction, a savepoint)
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = _row_counts()
            call_command(
                "dumpdata",
                format="jsonl",
                output=str(data_path),
                exclude=[f"{m._meta.app_label}.{m._meta.model_name}" for m in _skipped()],
                use_base_manager=True,
                database=using,
                verbosity=0,
            )
            migrations = _applied_migrations(connection)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "django": django.get_version(),
            "migrations": migrations,
            "tables": counts,
            "data": {"name": DATA, "size": data_path.stat().st_size, "sha256": _sha256_of(data_path)},
            "files": [],
        }
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(descriptor, "wb") as raw,
                zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive,
            ):
                archive.write(data_path, DATA)
                for file in _media_files(media_root):
                    relative = file.relative_to(media_root).as_posix()
                    archive.write(file, MEDIA_PREFIX + relative, compress_type=zipfile.ZIP_STORED)
                    manifest["files"].append(
                        {"path": relative, "size": file.stat().st_size, "sha256": _sha256_of(file)}
                    )
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return manifest


# --- restore -----------------------------------------------------------------------------------


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile):
        raise BackupError("该文件不是本系统的备份（没有有效的备份清单 manifest.json）。") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("该文件不是本系统的备份。")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupError("该备份由较新版本的程序生成，请先升级程序再恢复。")
    return manifest


def _safe_media_path(media_root: Path, relative: str) -> Path:
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or any(part in ("..", "") for part in parts) or "\\" in relative:
        raise BackupError(f"备份中的文件路径“{relative}”不安全，已拒绝恢复。")
    return media_root.joinpath(*parts)


def database_rows(using=DEFAULT_DB_ALIAS):
    """{table: rows} of the tables that hold data (not those migrate fills), where there are any."""
    found = {}
    for table, model in _tables().items():
        if model in REPLACED_MODELS:
            continue
        try:
            count = model._base_manager.using(using).count()
        except DatabaseError:  # the table does not exist yet: nothing in it
            continue
        if count:
            found[table] = count
    return found


def _check_empty(media_root: Path, using):
    rows = database_rows(using)
    if rows:
        tables = _tables()
        names = list(
            dict.fromkeys(
                str(tables[t]._meta.verbose_name) for t in sorted(rows) if not tables[t]._meta.auto_created
            )
        )
        raise BackupError(
            f"目标数据库不是空的（已有{'、'.join(names[:5])}等数据），为免覆盖现有数据，不予恢复；"
            "请在一个新建的空数据库上恢复。"
        )
    if _media_files(media_root):
        raise BackupError(
            f"上传文件目录 {media_root} 不是空的，为免覆盖现有文件，不予恢复；请指定一个空目录。"
        )


def _migration_targets(executor, manifest):
    targets = []
    for app_label, names in manifest.get("migrations", {}).items():
        for name in names:
            if (app_label, name) not in executor.loader.graph.nodes:
                raise BackupError(f"该备份的数据结构（{app_label}.{name}）比本程序新，请先升级程序再恢复。")
            targets.append((app_label, name))
    return targets


def restore(path, *, using=DEFAULT_DB_ALIAS, stdout=None) -> dict:
    """Load the archive at `path` into the empty database and MEDIA_ROOT; return its manifest."""
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"找不到备份文件：{path}") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BackupError("该文件不是有效的备份（不是完整的zip文件），可能已损坏。") from None
    with archive, tempfile.TemporaryDirectory(prefix="jiguan-restore-") as work:
        manifest = read_manifest(archive)
        data_path = Path(work) / DATA
        _extract(archive, DATA, data_path, manifest["data"]["sha256"], manifest["data"]["size"], "数据文件")

        executor = MigrationExecutor(connection)
        targets = _migration_targets(executor, manifest)
        if executor.loader.applied_migrations:
            _check_empty(media_root, using)
        elif _media_files(media_root):
            _check_empty(media_root, using)
        if executor.migration_plan(targets):
            _say(stdout, "按备份的数据结构建立数据库表……")
            executor.migrate(targets)
            connection.close()  # a fresh connection sees the new tables' sequences
            _check_empty(media_root, using)

        written = []
        try:
            # An exact copy: the load gives the records a new version, but starts no work of its own
            # (a background task would be a row the archive does not have).
            with data_version.quietly(), transaction.atomic(using=using):
                Permission.objects.using(using).all().delete()
                ContentType.objects.using(using).all().delete()
                ContentType.objects.clear_cache()
                _say(stdout, "载入数据……")
                try:
                    call_command("loaddata", str(data_path), database=using, verbosity=0)
                except (DatabaseError, DeserializationError) as exc:
                    if isinstance(exc.__cause__ or exc.__context__, UndecryptableValue):
                        raise BackupError(
                            "备份中的身份证号和电话号码是用另一个数据密钥加密的，已撤销恢复："
                            "请把备份时的密钥设为 JIGUAN_DATA_KEY（可与现在的密钥并列，用逗号分隔）后再恢复。"
                        ) from exc
                    raise BackupError(f"备份中的数据无法载入，已撤销恢复（{str(exc)[:300]}）。") from exc
                restored.send(sender=None, using=using)
                ContentType.objects.clear_cache()
                counts = {
                    table: model._base_manager.using(using).count() for table, model in _tables().items()
                }
                differing = [
                    table
                    for table, expected in manifest["tables"].items()
                    if counts.get(table, 0) != expected
                ]
                if differing:
                    raise BackupError(f"载入后的行数与备份不符（{'、'.join(differing[:5])}），已撤销恢复。")
                _say(stdout, f"写入上传文件（{len(manifest['files'])}个）……")
                for entry in manifest["files"]:
                    target = _safe_media_path(media_root, entry["path"])
                    written.append(target)
                    _extract(
                        archive, MEDIA_PREFIX + entry["path"], target, entry["sha256"], entry["size"], "文件"
                    )
        except BaseException:
            for target in written:
                target.unlink(missing_ok=True)
            ContentType.objects.clear_cache()
            raise
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        _say(stdout, "升级数据结构到本程序的版本……")
        call_command("migrate", database=using, verbosity=0)
    return manifest


def _extract(archive, name, target: Path, sha256, size, what):
    """Copy member `name` to `target`, refusing it unless its size and SHA-256 are the manifest's."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise BackupError(f"备份中缺少{what}“{name}”，可能已损坏，已拒绝恢复。") from None
    if info.file_size != size:
        raise BackupError(f"备份中的{what}“{name}”大小与清单不符，可能已损坏，已拒绝恢复。")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    try:
        with archive.open(info) as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        target.unlink(missing_ok=True)
        raise BackupError(f"备份中的{what}“{name}”已损坏（无法解压），已拒绝恢复。") from None
    if digest.hexdigest() != sha256:
        target.unlink(missing_ok=True)
        raise BackupError(f"备份中的{what}“{name}”校验值与清单不符，可能已损坏或被改动，已拒绝恢复。")


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def default_backup_name(directory) -> Path:
    """jiguan-2026-12-02-0300.zip in `directory`, for the nightly job."""
    return Path(directory) / f"jiguan-{timezone.localtime():%Y-%m-%d-%H%M}.zip"

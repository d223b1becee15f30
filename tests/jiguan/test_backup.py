"""Backup and restore (issue 12): a round trip keeps the row count of every table and every file
byte for byte, SQLite to SQLite, SQLite to PostgreSQL and back; a restore refuses a database or
media folder that is not empty, and an archive that is damaged, with a Chinese sentence.

The round trips run the real commands in separate processes on their own databases (the demo
county, built once for the module); PostgreSQL at JIGUAN_TEST_PG (default 127.0.0.1:5432, user
postgres, trust), each test database created and dropped here.
"""

import base64
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from jiguan import backup as backup_module
from organizations.models import Unit

PG_SERVER = os.environ.get("JIGUAN_TEST_PG", "postgres://postgres@127.0.0.1:5432")
MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]
FILES = {
    "activities/2025/05/7/合影.png": bytes(range(256)) * 40,
    "documents/2025/示党工通〔2025〕3号.pdf": b"%PDF-1.4\n%%EOF\n",
    "evidence/2025/签到表.jpg": hashlib.sha256(b"seed").digest() * 1000,
}


def run(*args, env):
    result = subprocess.run([*MANAGE, *args], env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


# The one data key of every process here: the county's ID numbers are encrypted with it, and every
# restore must read them (a restore under another key is refused, tested below).
DATA_KEY = base64.urlsafe_b64encode(b"jiguan-backup-test-data-key-0001").decode()


def environment(var_dir, *, database_url=None, media_root=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_ROOT")}
    env["JIGUAN_VAR_DIR"] = str(var_dir)
    env["JIGUAN_DATA_KEY"] = DATA_KEY
    if database_url:
        env["DATABASE_URL"] = database_url
    if media_root:
        env["MEDIA_ROOT"] = str(media_root)
    return env


def postgres_reachable():
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=5).close()
        return True
    except Exception:
        return False


class PostgresDatabase:
    def __init__(self):
        import psycopg

        self.name = f"jiguan_backup_test_{uuid.uuid4().hex[:10]}"
        self.url = f"{PG_SERVER}/{self.name}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def query(self, sql):
        import psycopg

        with psycopg.connect(self.url) as connection:
            return connection.execute(sql).fetchall()


class SqliteDatabase:
    def __init__(self, var_dir):
        self.path = Path(var_dir) / "jiguan.sqlite3"

    def query(self, sql):
        with sqlite3.connect(self.path) as connection:
            return connection.execute(sql).fetchall()


def tables(database):
    if isinstance(database, SqliteDatabase):
        rows = database.query(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        rows = database.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(name for (name,) in rows)


def row_counts(database):
    return {table: database.query(f'SELECT COUNT(*) FROM "{table}"')[0][0] for table in tables(database)}


def audit_targets(database):
    return database.query(
        "SELECT a.id, c.app_label, c.model, a.object_id FROM jiguan_auditentry a"
        " JOIN django_content_type c ON c.id = a.content_type_id ORDER BY a.id"
    )


def files_of(root):
    root = Path(root)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The demo county on SQLite with uploaded files, and its backup."""
    var_dir = tmp_path_factory.mktemp("source")
    env = environment(var_dir)
    run("migrate", "--noinput", "-v0", env=env)
    # The demo county as built on 24 November of last year (seed_demo builds it up to today: on
    # 1 January this year would hold almost nothing), so its size does not depend on the day the
    # suite runs; always a day past, so every record is one the services accept.
    run(
        "shell",
        "-c",
        "import datetime; from jiguan import dates; from reports import demo;"
        " demo.build(today=datetime.date(dates.today().year - 1, 11, 24))",
        env=env,
    )
    for relative, content in FILES.items():
        path = var_dir / "media" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    archive = var_dir.parent / "county.zip"
    output = run("backup", str(archive), env=env)
    assert "备份完成" in output
    return {"database": SqliteDatabase(var_dir), "media": var_dir / "media", "archive": archive}


def assert_same(source, target, source_media, target_media):
    expected, found = row_counts(source), row_counts(target)
    # Neither sessions, the cache (computed numbers, the records' version, a pending background
    # run) nor the dues ledger (members.dues.ledger) are in an archive: they are made again.
    ledger = ("members_duesledgermonth", "members_duesledgeryear", "members_duesledgerstale")
    for transient in ("django_session", "jiguan_cache", *ledger):
        expected.pop(transient, None)
        found.pop(transient, None)
    assert found == expected
    assert sum(expected.values()) > 10_000
    assert audit_targets(target) == audit_targets(source)
    assert files_of(target_media) == files_of(source_media)
    assert set(files_of(target_media)) == set(FILES)


def test_the_archive_holds_a_manifest_with_every_table_and_file(county):
    with zipfile.ZipFile(county["archive"]) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "jiguan-backup" and manifest["format_version"] == 1
        assert manifest["database"] == "sqlite"
        assert "members" in manifest["migrations"]
        assert {f["path"] for f in manifest["files"]} == set(FILES)
        assert manifest["tables"]["members_member"] > 100
        assert "django_session" not in manifest["tables"]
        assert "members_duesledgermonth" not in manifest["tables"]
    assert oct(county["archive"].stat().st_mode & 0o777) == "0o600"


def test_round_trip_sqlite_to_sqlite(county, tmp_path):
    env = environment(tmp_path)
    output = run("restore", str(county["archive"]), env=env)
    assert "恢复完成" in output
    assert_same(county["database"], SqliteDatabase(tmp_path), county["media"], tmp_path / "media")


@pytest.mark.skipif(not postgres_reachable(), reason="PostgreSQL is not reachable at JIGUAN_TEST_PG")
def test_round_trip_sqlite_to_postgresql_and_back(county, tmp_path):
    target = PostgresDatabase()
    try:
        env = environment(tmp_path / "pg", database_url=target.url)
        output = run("restore", str(county["archive"]), env=env)
        assert "来自sqlite" in output
        assert_same(county["database"], target, county["media"], tmp_path / "pg" / "media")
        # The sequences were moved past the loaded keys: new rows get new keys.
        run(
            "shell",
            "-c",
            "from organizations.models import Unit; Unit.objects.create(name='恢复后新建的单位')",
            env=env,
        )
        assert target.query("SELECT COUNT(*) FROM organizations_unit WHERE name = '恢复后新建的单位'") == [
            (1,)
        ]

        # And back: a backup made on PostgreSQL restores on SQLite.
        archive = tmp_path / "from-postgresql.zip"
        run("backup", str(archive), env=env)
        back_env = environment(tmp_path / "back")
        run("restore", str(archive), env=back_env)
        transient = ("django_session", "jiguan_cache")  # not in an archive (see assert_same)
        back_counts = row_counts(SqliteDatabase(tmp_path / "back"))
        assert back_counts["django_session"] == 0
        assert {t: n for t, n in back_counts.items() if t not in transient} == {
            t: n for t, n in row_counts(target).items() if t not in transient
        }
        assert files_of(tmp_path / "back" / "media") == files_of(county["media"])
    finally:
        target.drop()


# --- refusals, in this process on the test database ---------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def small_archive(db, media_root, tmp_path):
    """A backup of the (empty) test database with two files, then MEDIA_ROOT emptied again."""
    for relative, content in list(FILES.items())[:2]:
        path = media_root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    archive = tmp_path / "small.zip"
    backup_module.backup(archive)
    for path in media_root.rglob("*"):
        if path.is_file():
            path.unlink()
    return archive


def rewritten(archive, tmp_path, change):
    """A copy of `archive` with its manifest (a dict) or members changed by `change(manifest, members)`."""
    with zipfile.ZipFile(archive) as source:
        members = {name: source.read(name) for name in source.namelist()}
    manifest = json.loads(members["manifest.json"])
    change(manifest, members)
    members["manifest.json"] = json.dumps(manifest).encode()
    copy = tmp_path / "changed.zip"
    with zipfile.ZipFile(copy, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    return copy


def restore_refused(path):
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(path), stdout=io.StringIO())
    return str(caught.value)


def test_a_restore_into_the_empty_test_database_brings_the_files_back(small_archive, media_root):
    content_types = ContentType.objects.count()
    call_command("restore", str(small_archive), stdout=io.StringIO())
    assert files_of(media_root) == {r: hashlib.sha256(c).hexdigest() for r, c in list(FILES.items())[:2]}
    assert ContentType.objects.count() == content_types


def test_a_database_with_data_is_refused(small_archive, committee, media_root):
    message = restore_refused(small_archive)
    assert message.startswith("目标数据库不是空的（已有")
    assert "党组织" in message and "不予恢复" in message
    assert not files_of(media_root)


def test_a_media_folder_with_files_is_refused(small_archive, media_root):
    (media_root / "old.txt").parent.mkdir(parents=True, exist_ok=True)
    (media_root / "old.txt").write_text("x")
    assert "上传文件目录" in restore_refused(small_archive)
    assert set(files_of(media_root)) == {"old.txt"}


def test_a_file_changed_in_the_archive_is_refused_and_nothing_is_left(small_archive, media_root, tmp_path):
    def change(manifest, members):
        name = "media/" + manifest["files"][-1]["path"]
        members[name] = members[name][:-1] + b"!"

    message = restore_refused(rewritten(small_archive, tmp_path, change))
    assert "校验值与清单不符" in message
    assert not files_of(media_root)
    assert not Unit.objects.exists()


def without_line(model):
    """A change that drops the first row of `model` from the data, checksums made to match."""

    def change(manifest, members):
        lines = members["data.jsonl"].splitlines(keepends=True)
        dropped = next(i for i, line in enumerate(lines) if json.loads(line)["model"] == model)
        members["data.jsonl"] = b"".join(lines[:dropped] + lines[dropped + 1 :])
        manifest["data"]["size"] = len(members["data.jsonl"])
        manifest["data"]["sha256"] = hashlib.sha256(members["data.jsonl"]).hexdigest()

    return change


def test_a_row_missing_from_the_data_is_refused(small_archive, media_root, tmp_path):
    message = restore_refused(rewritten(small_archive, tmp_path, without_line("auth.permission")))
    assert message == "载入后的行数与备份不符（auth_permission），已撤销恢复。"
    assert not files_of(media_root)


def test_data_that_breaks_a_reference_is_refused(small_archive, media_root, tmp_path):
    message = restore_refused(rewritten(small_archive, tmp_path, without_line("contenttypes.contenttype")))
    assert message.startswith("备份中的数据无法载入，已撤销恢复（")
    assert ContentType.objects.exists()


def test_a_path_out_of_the_media_folder_is_refused(small_archive, media_root, tmp_path):
    def change(manifest, members):
        entry = manifest["files"][0]
        members["media/../../escape.txt"] = members.pop("media/" + entry["path"])
        entry["path"] = "../../escape.txt"

    assert "不安全" in restore_refused(rewritten(small_archive, tmp_path, change))
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"not a zip", "该文件不是有效的备份"),
        (None, "该文件不是本系统的备份"),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused(db, media_root, tmp_path, content, expected):
    path = tmp_path / "other.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hello")
    else:
        path.write_bytes(content)
    assert expected in restore_refused(path)


def test_an_archive_from_a_newer_program_is_refused(small_archive, media_root, tmp_path):
    def change(manifest, members):
        manifest["migrations"]["members"] = ["9999_from_the_future"]

    assert "比本程序新，请先升级程序再恢复" in restore_refused(rewritten(small_archive, tmp_path, change))


def test_an_archive_made_under_another_data_key_is_refused(db, media_root, settings, tmp_path):
    """ID and phone numbers stay encrypted in the archive: restored under another key, they could
    not be read, so the restore is refused and says which key it needs."""
    from jiguan import crypto
    from members.models import Member, MemberVersion
    from organizations.models import Organization, OrganizationVersion
    from tests.activities.helpers import make_member
    from tests.factories import OrganizationFactory

    branch = OrganizationFactory(name="加密测试党支部")
    member = make_member(branch, "张三")
    archive = tmp_path / "encrypted.zip"
    backup_module.backup(archive)
    with zipfile.ZipFile(archive) as source:
        data = source.read("data.jsonl").decode()
    assert member.id_number not in data  # the archive holds the token, not the number
    for model in (MemberVersion, Member, OrganizationVersion, Organization):
        model.objects.all().delete()

    settings.DATA_KEYS = [crypto.new_key()]
    message = restore_refused(archive)
    assert message.startswith("备份中的身份证号和电话号码是用另一个数据密钥加密的，已撤销恢复")
    assert not Member.objects.exists()

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def _debug_in_a_fresh_process(tmp_path, **env_vars):
    """settings.DEBUG as a process without pytest-django reads it (pytest-django forces it off)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(DJANGO_SETTINGS_MODULE="jiguan.settings", JIGUAN_VAR_DIR=str(tmp_path), **env_vars)
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_by_default(tmp_path):
    assert _debug_in_a_fresh_process(tmp_path) == "False"
    assert _debug_in_a_fresh_process(tmp_path, DJANGO_DEBUG="1") == "True"  # the check can fail


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "a-production-secret-key-that-is-long-enough-and-random-9f8e7d6c5b4a3",
        "ALLOWED_HOSTS": "dangjian.example.gov.cn",
        "JIGUAN_HTTPS": "1",
        "JIGUAN_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _database_setting_with_url(tmp_path, url, expression):
    """`expression` (on settings.DATABASES['default']) as a fresh process with DATABASE_URL `url` reads it."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "JIGUAN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "jiguan.settings",
    }
    code = f"from django.conf import settings; print(settings.DATABASES['default']{expression})"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip(), result.stderr


def test_database_url_selects_postgresql(tmp_path):
    engine, errors = _database_setting_with_url(tmp_path, "postgres://u@db.example:5432/jiguan", "['ENGINE']")
    assert engine == "django.db.backends.postgresql", errors


def test_postgresql_connections_run_without_jit_and_with_room_to_hash(tmp_path):
    # The URL's options are given last: they win over jiguan's.
    url = "postgres://u@db.example:5432/jiguan?options=-c%20statement_timeout%3D60000"
    options, errors = _database_setting_with_url(tmp_path, url, "['OPTIONS']['options']")
    assert options == "-c jit=off -c work_mem=16MB -c statement_timeout=60000", errors


@pytest.mark.django_db
def test_the_postgresql_server_is_told_no_jit():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "16MB"

"""A gunicorn worker (jiguan.wsgi) loads what it keeps for good before its first request and hides
it from the garbage collector's full collections (jiguan.process)."""

import gc
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from jiguan import data_version, process


def test_the_wsgi_application_freezes_what_the_process_keeps():
    code = (
        "import gc, json, sys; import jiguan.wsgi;"
        "print(json.dumps({'frozen': gc.get_freeze_count(), 'pinyin': 'pypinyin' in sys.modules,"
        " 'views': 'members.views' in sys.modules, 'left': len(gc.get_objects())}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jiguan.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["pinyin"] and state["views"]  # loaded before the first request
    # pypinyin's dictionaries alone are ~190,000 objects: all out of the collector's sight, and
    # next to nothing left for a full collection to walk.
    assert state["frozen"] > 250_000
    assert state["left"] < 1_000


@pytest.mark.django_db
def test_the_collector_is_paused_while_a_stored_value_is_made_and_resumes_after():
    seen = []
    assert gc.isenabled()
    with process.collector_paused():
        with process.collector_paused():
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())  # the inner pause left resuming to the outer
    seen.append(gc.isenabled())
    with pytest.raises(ValueError), process.collector_paused():
        raise ValueError
    seen.append(gc.isenabled())
    assert seen == [False, False, True, True]
    # A report's value is computed (and read back) with the collector paused.
    data_version.cached("test:collector", lambda: seen.append(gc.isenabled()) or 1, year=2025)
    assert seen[-1] is False and gc.isenabled()

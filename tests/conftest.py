"""Shared fixtures: a small tree and one user of each role (STYLE.md, point 7).

    committee (机关工委)
    ├── branch_a (党支部)  ── group_a (党小组)
    └── branch_b (党支部)

`secretary` is the secretary of branch_a; `other_secretary` of branch_b.
"""

import datetime
import os
import tempfile

import pytest
import time_machine

from jiguan.models import Role
from organizations.models import Kind
from tests.factories import PASSWORD, OrganizationFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# The day every test runs on, unless the test travels elsewhere itself. An ordinary day by default;
# set JIGUAN_TEST_NOW to run the whole suite on another one, e.g. an edge of the year:
#   JIGUAN_TEST_NOW=2026-12-31T16:30:00+00:00 make test   (1 January 00:30 in Shanghai)
TEST_NOW = datetime.datetime.fromisoformat(os.environ.get("JIGUAN_TEST_NOW", "2026-11-24T10:00:00+08:00"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, the test database is a file (in memory, in /dev/shm where there is one), not
    Django's in-memory database: the live server of the browser tests then gives each of its threads
    a connection of its own, as production does. With the in-memory database all its threads share
    the test's one connection, and a page's fetch (the document number's preview, a picker's search)
    answered while a form is posted breaks the other's transaction."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
        database.setdefault("TEST", {})["NAME"] = os.path.join(folder, f"jiguan-test-{os.getpid()}.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test database file is private, as the deploy check (jiguan.checks) wants a database to be."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and os.path.isfile(str(database["NAME"])):
        os.chmod(database["NAME"], 0o600)


@pytest.fixture(autouse=True)
def clock():
    """No test depends on the real date: the clock starts at TEST_NOW and ticks from there.

    A test that needs a particular day calls `clock.move_to(...)` (time-machine's traveller).
    """
    with time_machine.travel(TEST_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings, tmp_path, monkeypatch):
    """Background jobs (jiguan.jobs) run when enqueued, their files in a folder of the test's own."""
    from jiguan import jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(jobs, "JOBS_DIR", tmp_path / "jobs")
    # The reports' warming after each write would run at once here: only its own tests turn it on.
    settings.JIGUAN_WARM_REPORTS = False


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every role fixture hashes a password; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def committee(db):
    return OrganizationFactory(
        kind=Kind.WORKING_COMMITTEE, name="中共测试县委县直机关工委", founded_on=datetime.date(1998, 6, 1)
    )


@pytest.fixture
def branch_a(committee):
    return OrganizationFactory(kind=Kind.BRANCH, name="甲局机关党支部", parent=committee)


@pytest.fixture
def group_a(branch_a):
    return OrganizationFactory(kind=Kind.PARTY_GROUP, name="甲局第一党小组", parent=branch_a)


@pytest.fixture
def branch_b(committee):
    return OrganizationFactory(kind=Kind.BRANCH, name="乙局机关党支部", parent=committee)


@pytest.fixture
def staff(committee):
    return UserFactory(username="staff", full_name="工委干事", role=Role.STAFF, organization=committee)


@pytest.fixture
def leader(committee):
    return UserFactory(username="leader", full_name="工委书记", role=Role.LEADERSHIP, organization=committee)


@pytest.fixture
def secretary(branch_a, group_a):
    return UserFactory(username="secretary", full_name="甲局书记", role=Role.SECRETARY, organization=branch_a)


@pytest.fixture
def other_secretary(branch_b):
    return UserFactory(username="other", full_name="乙局书记", role=Role.SECRETARY, organization=branch_b)


@pytest.fixture
def password():
    return PASSWORD


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff):
    return _client_for(client, staff)


@pytest.fixture
def leader_client(client, leader):
    return _client_for(client, leader)


@pytest.fixture
def secretary_client(client, secretary):
    return _client_for(client, secretary)


# --- browser tests -------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized screen, as branch secretaries use."""
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page, username, password=PASSWORD):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def signed_in():
    return sign_in


@pytest.fixture(autouse=True)
def _no_cache_between_tests(request, django_db_blocker):
    """The cache (a table of the database) is not emptied by the flush that ends a transactional
    test (browser tests): empty it, so that no computed number outlives the records it came from."""
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()

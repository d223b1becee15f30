"""Issue 10, done when: every link and button a page shows its user works for that user.

Each demo role (committee staff, leadership, a branch secretary) signs in in Chromium, then the crawl
(tests/crawling.py) follows everything reachable from the home page: the links, the GET forms
(filters, searches) submitted as shown, and the POST buttons. The pages are read with the browser's
own request context (`page.request`: the same session, cookies and server as the tab), as HTML
rather than rendered, so that three roles × a couple of hundred pages take a minute, not ten: what
the user is shown is the HTML the server renders for that user.

POST buttons change things, and pressing them for real in the live county would make the rest of the
crawl lie (a deleted activity's links answer 404). So each button is pressed exactly as shown (the
form's own fields and the pressed button's name/value) by the same user through Django's test client,
inside a transaction that is rolled back afterwards: the view runs all its checks (scope, role, the
service's rules) against the real records, and nothing stays. The client skips the CSRF check (the
browser's token is tested elsewhere), so 403 here is the permission check, 405 a button on a URL that
does not take POST, 404 a record out of the user's reach. A form answering 200 with its errors (a
required field left empty) is fine: the user may use it.
"""

import time
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from jiguan.demo import DEMO_PASSWORD
from jiguan.models import User
from tests.conftest import sign_in
from tests.crawling import crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("gongwei", "lingdao", "shuji")  # staff, leadership, secretary (jiguan.demo_accounts)


def _fetch(page):
    def fetch(url):
        response = page.request.get(url, timeout=60000)
        content_type = response.headers.get("content-type", "")
        text = response.text() if "text/html" in content_type else ""
        return response.status, content_type, text

    return fetch


def _submit_post(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)

    def submit_post(url, fields):
        data = defaultdict(list)
        for name, value in fields:
            data[name].append(value)
        try:
            with transaction.atomic():
                status = client.post(url, data).status_code
                transaction.set_rollback(True)
        except Exception as error:  # a 500: say what broke
            return f"500 {type(error).__name__}: {error}"[:300]
        return status

    return submit_post


def test_every_link_and_button_a_page_shows_works_for_its_user(browser, live_server):
    call_command("seed_demo")
    failures, figures = [], {}
    for username in ROLES:
        started = time.monotonic()
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15000)
        sign_in(page, username, DEMO_PASSWORD)
        assert page.url.rstrip("/") == live_server.url, page.url  # signed in, on the home page
        result = crawl(live_server.url, _fetch(page), _submit_post(User.objects.get(username=username)))
        context.close()
        figures[username] = (
            f"{len(result.pages)} pages, {len(result.downloads)} downloads, {len(result.posts)} POST buttons,"
            f" {time.monotonic() - started:.0f} s"
        )
        failures += [f"{username}: {finding}" for finding in result.failures]
        assert len(result.pages) > 50, (username, result.pages)  # the crawl did get past the home page
    print("\n".join(f"{username}: {line}" for username, line in figures.items()))
    assert failures == [], figures

import datetime
import re
import threading
import time

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiguan.models import SignInThrottle, User

pytestmark = pytest.mark.django_db

WRONG = "wrong-password"
LOCKED = "已被锁定"


def _alert(response):
    return re.search(r'<div class="alert alert-danger"[^>]*>(.*?)</div>', response.content.decode()).group(1)


def _sign_in(client, username, password, address="192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_sign_in_page_is_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "登录" in text and "用户名" in text and "密码" in text


def test_pages_need_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_right_password_signs_in(client, staff, password):
    response = _sign_in(client, "staff", password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_is_told_in_chinese(client, staff):
    response = _sign_in(client, "staff", WRONG)
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert SignInThrottle.objects.get(key="account:staff").failures == 1


def test_repeated_failures_lock_the_account(client, staff, password, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _sign_in(client, "staff", WRONG)
    locked_until = SignInThrottle.objects.get(key="account:staff").locked_until
    assert locked_until is not None and locked_until > timezone.now()
    # Even the right password is refused while locked.
    response = _sign_in(client, "staff", password)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()


def test_lock_expires_and_the_count_starts_again(client, staff, password, settings, clock):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _sign_in(client, "staff", WRONG)
    clock.shift(datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES, seconds=1))
    assert "用户名或密码不正确" in _sign_in(client, "staff", WRONG).content.decode()
    assert SignInThrottle.objects.get(key="account:staff").failures == 1
    assert _sign_in(client, "staff", password).status_code == 302


def test_a_right_password_is_not_counted_and_failures_are_forgotten_after_a_while(
    client, staff, password, settings, clock
):
    _sign_in(client, "staff", WRONG)
    _sign_in(Client(), "staff", password)
    assert SignInThrottle.objects.get(key="account:staff").failures == 1
    for _ in range(settings.LOGIN_MAX_FAILURES - 2):
        _sign_in(client, "staff", WRONG)
    clock.shift(datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES, seconds=1))
    _sign_in(client, "staff", WRONG)  # the earlier failures are forgotten: this one is the first
    assert SignInThrottle.objects.get(key="account:staff").failures == 1


def test_an_unknown_name_is_answered_exactly_like_an_account(staff, settings):
    answers = {}
    for username in ("staff", "nobody"):
        client = Client()
        pages = [_sign_in(client, username, WRONG) for _ in range(settings.LOGIN_MAX_FAILURES + 1)]
        answers[username] = [(page.status_code, _alert(page)) for page in pages]
    assert answers["staff"] == answers["nobody"]
    assert LOCKED in answers["nobody"][-1][1] and LOCKED not in answers["nobody"][-2][1]


def test_many_failures_from_one_address_lock_the_address(client, staff, password, settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3
    for name in ("a", "b", "c"):
        _sign_in(client, name, WRONG)
    response = _sign_in(client, "staff", password)
    assert response.status_code == 200 and "本机登录失败次数过多" in response.content.decode()
    assert _sign_in(Client(), "staff", password, address="192.0.2.11").status_code == 302


def test_right_passwords_from_a_shared_address_do_not_add_up(client, staff, password, settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3
    for _ in range(5):
        assert _sign_in(Client(), "staff", password).status_code == 302
    assert SignInThrottle.objects.get(key="address:192.0.2.10").failures == 0


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, settings):
    settings.BEHIND_PROXY = True
    client.post(
        reverse("login"),
        {"username": "x", "password": WRONG},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7",
    )
    assert SignInThrottle.objects.filter(key="address:198.51.100.7").exists()


def test_deactivated_account_cannot_sign_in(client, staff, password):
    User.objects.filter(pk=staff.pk).update(is_active=False)
    response = _sign_in(client, "staff", password)
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_sign_out_needs_post(staff_client):
    assert staff_client.get(reverse("logout")).status_code == 405
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert staff_client.get(reverse("home")).status_code == 302


def test_session_expires_after_inactivity(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60
    assert "jiguan.middleware.IdleSessionMiddleware" in settings.MIDDLEWARE


def _session_writes(client, url):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_a_session_is_kept_alive_without_a_write_per_page(staff_client, clock, settings):
    """Each request keeps the session alive, but the session is written (its expiry moved) at most
    once a minute, not on every page; idle for SESSION_COOKIE_AGE, it has ended."""
    from django.contrib.sessions.models import Session

    home = reverse("home")
    assert _session_writes(staff_client, home)  # the first request stores when it was saved
    expiry = Session.objects.get().expire_date
    clock.shift(30)
    assert _session_writes(staff_client, home) == []  # half a minute later: nothing written
    assert Session.objects.get().expire_date == expiry
    clock.shift(31)
    assert _session_writes(staff_client, home)  # a minute later: the expiry moves
    assert Session.objects.get().expire_date > expiry
    # Requests every 50 seconds for longer than the idle time keep the session alive.
    for _ in range(settings.SESSION_COOKIE_AGE // 50 + 2):
        clock.shift(50)
        assert staff_client.get(home).status_code == 200
    clock.shift(settings.SESSION_COOKIE_AGE + 1)
    assert staff_client.get(home).status_code == 302  # idle too long: signed out


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_wrong_passwords_gets_five_checks_and_the_right_one_no_pass(
    staff, password, settings, monkeypatch
):
    """31 sign-ins at once, 30 wrong and the right one: at most five wrong passwords are checked, the
    others are refused unchecked, whatever the timing; the right one signs in only if it came before
    the lock, and gives back its own slot only."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    checks = []
    original = MD5PasswordHasher.verify

    def slow_verify(self, password, encoded):
        checks.append(password)
        time.sleep(0.3)  # every request of the burst is inside the check at the same time
        return original(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", slow_verify)
    barrier = threading.Barrier(31, timeout=30)
    answers = []

    def attempt(secret, index):
        try:
            barrier.wait()
            response = Client().post(
                reverse("login"),
                {"username": "staff", "password": secret},
                REMOTE_ADDR=f"192.0.2.{index}",
            )
            answers.append((secret, response.status_code, LOCKED in response.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(WRONG, i)) for i in range(30)]
    threads.append(threading.Thread(target=attempt, args=(password, 30)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert len(answers) == 31
    wrong_checked = [c for c in checks if c == WRONG]
    assert len(wrong_checked) <= settings.LOGIN_MAX_FAILURES  # the sixth wrong one is refused unchecked
    assert len([a for a in answers if a[2]]) == 31 - len(checks)  # the others: refused, "locked"
    signed_in = [a for a in answers if a[1] == 302]
    assert all(secret == password for secret, _, _ in signed_in)
    assert len(signed_in) == (password in checks)  # signed in only if it had a slot before the lock
    throttle = SignInThrottle.objects.get(key="account:staff")
    assert throttle.failures == len(wrong_checked)
    # Five wrong ones checked lock the name, whether the right one came before them or after.
    assert (throttle.locked_until is not None) == (len(wrong_checked) == settings.LOGIN_MAX_FAILURES)

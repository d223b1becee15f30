import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jiguan.models import User

pytestmark = pytest.mark.django_db


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
    response = client.post(reverse("login"), {"username": "staff", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_is_told_in_chinese(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    staff.refresh_from_db()
    assert staff.failed_logins == 1


def test_repeated_failures_lock_the_account(client, staff, password, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(reverse("login"), {"username": "staff", "password": "wrong-password"})
    staff.refresh_from_db()
    assert staff.locked_until is not None and staff.locked_until > timezone.now()
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "staff", "password": password})
    assert response.status_code == 200
    assert "已被锁定" in response.content.decode()


def test_lock_expires(client, staff, password):
    User.objects.filter(pk=staff.pk).update(locked_until=timezone.now() - datetime.timedelta(minutes=1))
    response = client.post(reverse("login"), {"username": "staff", "password": password})
    assert response.status_code == 302


def test_success_resets_the_failure_count(client, staff, password):
    client.post(reverse("login"), {"username": "staff", "password": "wrong-password"})
    client.post(reverse("login"), {"username": "staff", "password": password})
    staff.refresh_from_db()
    assert staff.failed_logins == 0


def test_deactivated_account_cannot_sign_in(client, staff, password):
    User.objects.filter(pk=staff.pk).update(is_active=False)
    response = client.post(reverse("login"), {"username": "staff", "password": password})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode() or "停用" in response.content.decode()


def test_sign_out_needs_post(staff_client):
    assert staff_client.get(reverse("logout")).status_code == 405
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert staff_client.get(reverse("home")).status_code == 302


def test_session_expires_after_inactivity(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60

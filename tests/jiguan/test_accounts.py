import pytest
from django.test import Client
from django.urls import reverse

from jiguan.models import AuditEntry, Role, SignInThrottle, User
from organizations.scoping import organization_of

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Hongqi-piaopiao-88"


def test_staff_creates_a_secretary_bound_to_an_organization(staff_client, branch_a):
    response = staff_client.post(
        reverse("accounts:create"),
        {
            "username": "zhang",
            "full_name": "张书记",
            "role": Role.SECRETARY,
            "organization": branch_a.pk,
            "password": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="zhang")
    assert user.role == Role.SECRETARY and organization_of(user) == branch_a
    assert user.check_password(GOOD_PASSWORD)
    assert AuditEntry.objects.filter(object_id=str(user.pk), action="CREATE").exists()


def test_secretary_without_organization_is_refused(staff_client):
    response = staff_client.post(
        reverse("accounts:create"),
        {
            "username": "wang",
            "full_name": "王书记",
            "role": Role.SECRETARY,
            "password": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "党组织书记必须指定所在党组织" in response.content.decode()
    assert not User.objects.filter(username="wang").exists()


def test_weak_password_is_refused_on_its_field(staff_client, committee):
    response = staff_client.post(
        reverse("accounts:create"),
        {
            "username": "li",
            "full_name": "李干事",
            "role": Role.STAFF,
            "organization": committee.pk,
            "password": "12345678",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "初始密码" in text
    assert "密码太短，至少需要10个字符。" in text and "密码不能全是数字。" in text
    assert not User.objects.filter(username="li").exists()


def test_staff_changes_role_and_deactivates(staff_client, secretary, committee):
    response = staff_client.post(
        reverse("accounts:edit", args=[secretary.pk]),
        {
            "full_name": "甲局书记",
            "role": Role.LEADERSHIP,
            "organization": committee.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.role == Role.LEADERSHIP
    staff_client.post(reverse("accounts:deactivate", args=[secretary.pk]))
    secretary.refresh_from_db()
    assert secretary.is_active is False


def test_staff_resets_a_password_and_unlocks(staff_client, secretary, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        Client().post(reverse("login"), {"username": "secretary", "password": "wrong-password"})
    assert SignInThrottle.objects.get(key="account:secretary").locked_until is not None
    response = staff_client.post(
        reverse("accounts:reset_password", args=[secretary.pk]),
        {
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.check_password(GOOD_PASSWORD)
    assert not SignInThrottle.objects.filter(key="account:secretary").exists()
    entry = AuditEntry.objects.filter(object_id=str(secretary.pk)).first()
    assert GOOD_PASSWORD not in str(entry.changes)


@pytest.mark.parametrize("name", ["accounts:list", "accounts:create"])
def test_only_staff_manage_accounts(client, secretary, leader, name):
    for user in (secretary, leader):
        client.force_login(user)
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "只有工委工作人员" in response.content.decode()


def test_account_list_shows_roles_in_chinese(staff_client, secretary, leader):
    text = staff_client.get(reverse("accounts:list")).content.decode()
    assert "党组织书记" in text and "工委领导" in text and "甲局机关党支部" in text


def _create_account(staff_client, branch_a):
    staff_client.post(
        reverse("accounts:create"),
        {
            "username": "zhang",
            "full_name": "张书记",
            "role": Role.SECRETARY,
            "organization": branch_a.pk,
            "password": GOOD_PASSWORD,
        },
    )
    return User.objects.get(username="zhang")


def test_an_account_created_by_staff_chooses_its_own_password_before_any_page(staff_client, branch_a):
    user = _create_account(staff_client, branch_a)
    assert user.must_change_password
    client = Client()
    response = client.post(reverse("login"), {"username": "zhang", "password": GOOD_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert "请先设置您自己的密码" in response.content.decode()
    for name in ("home", "members:roster", "accounts:list"):
        assert client.get(reverse(name))["Location"] == reverse("password_change")
    assert client.get(reverse("members:roster"), {"export": "xlsx"}).status_code == 302

    same = {"old_password": GOOD_PASSWORD, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    response = client.post(reverse("password_change"), same)
    assert "新密码不能与原密码相同" in response.content.decode()
    short = {"old_password": GOOD_PASSWORD, "new_password1": "abc", "new_password2": "abc"}
    assert "密码太短，至少需要10个字符。" in client.post(reverse("password_change"), short).content.decode()

    own = "Wode-xinmima-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": GOOD_PASSWORD, "new_password1": own, "new_password2": own},
    )
    assert response["Location"] == reverse("home")
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(own)
    assert client.get(reverse("home")).status_code == 200


def test_a_password_reset_by_staff_is_for_one_sign_in(staff_client, secretary, password):
    staff_client.post(
        reverse("accounts:reset_password", args=[secretary.pk]),
        {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD},
    )
    secretary.refresh_from_db()
    assert secretary.must_change_password
    client = Client()
    client.force_login(secretary)
    assert client.get(reverse("members:roster"))["Location"] == reverse("password_change")
    assert client.post(reverse("logout")).status_code == 302  # signing out stays possible


def test_changing_ones_own_password_asks_nothing_more(secretary_client, secretary, password):
    own = "Wode-xinmima-2026"
    secretary_client.post(
        reverse("password_change"), {"old_password": password, "new_password1": own, "new_password2": own}
    )
    secretary.refresh_from_db()
    assert secretary.check_password(own) and not secretary.must_change_password
    assert secretary_client.get(reverse("members:roster")).status_code == 200


def test_the_service_refuses_a_secretary_without_organization_and_saves_nothing(staff, secretary):
    from django.core.exceptions import ValidationError

    from organizations.accounts import services

    with pytest.raises(ValidationError) as exc:
        services.account_update(
            actor=staff,
            user=secretary,
            full_name="改名",
            role=Role.SECRETARY,
            organization=None,
            is_active=True,
        )
    assert exc.value.message_dict == {"organization": ["党组织书记必须指定所在党组织。"]}
    secretary.refresh_from_db()
    assert secretary.full_name == "甲局书记"
    with pytest.raises(ValidationError):
        services.account_create(
            actor=staff, username="zhao", full_name="赵书记", role=Role.SECRETARY, password=GOOD_PASSWORD
        )
    assert not User.objects.filter(username="zhao").exists()


def test_an_accounts_organization_change_is_in_its_history(staff, secretary, branch_b):
    from organizations.accounts import services

    services.account_update(
        actor=staff,
        user=secretary,
        full_name="甲局书记",
        role=Role.SECRETARY,
        organization=branch_b,
        is_active=True,
    )
    assert organization_of(secretary) == branch_b
    entry = AuditEntry.objects.filter(object_id=str(secretary.pk)).latest("id")
    assert entry.changes["organization"]["new"] == str(branch_b)

import pytest
from django.urls import reverse

from jiguan.models import AuditEntry, Role, User

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
    assert user.role == Role.SECRETARY and user.organization == branch_a
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
    assert "初始密码" in text and "密码" in text
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


def test_staff_resets_a_password_and_unlocks(staff_client, secretary):
    User.objects.filter(pk=secretary.pk).update(failed_logins=3)
    response = staff_client.post(
        reverse("accounts:reset_password", args=[secretary.pk]),
        {
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.check_password(GOOD_PASSWORD) and secretary.failed_logins == 0
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

"""Every page against every role: signed out → sign-in; another subtree → 404; leadership write → 403."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

READ_PAGES = [
    ("organizations:tree", False),
    ("organizations:list", False),
    ("organizations:terms", False),
    ("organizations:units", False),
    ("organizations:liaisons", False),
    ("organizations:detail", True),
]
# Structure changes: committee staff only, even in the secretary's own subtree.
STAFF_PAGES = [
    "organizations:rename",
    "organizations:move",
    "organizations:merge",
    "organizations:dissolve",
    "organizations:edit",
    "organizations:election_create",
]
# Writes a secretary may make in their own subtree.
SUBTREE_WRITE_PAGES = ["organizations:appointment_create", "found_group"]


def url(name, org):
    if name == "found_group":
        return reverse("organizations:found") + f"?parent={org.pk}"
    return reverse(name, args=[org.pk])


FIXTURE = {"staff": "staff", "leader": "leader", "secretary": "secretary", "other": "other_secretary"}


@pytest.fixture
def users(request, branch_a, branch_b):
    """Only the user the test signs in as (hashing passwords for all four is slow)."""

    class Lazy(dict):
        def __missing__(self, who):
            return request.getfixturevalue(FIXTURE[who])

    return Lazy()


def status(client, users, who, path, method="get"):
    if who != "anonymous":
        client.force_login(users[who])
    return getattr(client, method)(path)


EXPECTED_READ = {"anonymous": 302, "other": 404, "leader": 200, "staff": 200, "secretary": 200}
EXPECTED_STAFF = {"anonymous": 302, "other": 404, "leader": 403, "staff": 200, "secretary": 403}
EXPECTED_SUBTREE = {"anonymous": 302, "other": 404, "leader": 403, "staff": 200, "secretary": 200}


@pytest.mark.parametrize("who", list(EXPECTED_READ))
@pytest.mark.parametrize("name,with_org", READ_PAGES)
def test_read_pages(client, users, branch_a, who, name, with_org):
    path = reverse(name, args=[branch_a.pk]) if with_org else reverse(name)
    expected = EXPECTED_READ[who] if with_org else {**EXPECTED_READ, "other": 200}[who]
    response = status(client, users, who, path)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", list(EXPECTED_STAFF))
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_structure_pages(client, users, branch_a, who, name):
    response = status(client, users, who, url(name, branch_a))
    assert response.status_code == EXPECTED_STAFF[who]


@pytest.mark.parametrize("who", list(EXPECTED_SUBTREE))
@pytest.mark.parametrize("name", SUBTREE_WRITE_PAGES)
def test_subtree_write_pages(client, users, branch_a, who, name):
    assert status(client, users, who, url(name, branch_a)).status_code == EXPECTED_SUBTREE[who]


@pytest.mark.parametrize(
    "who,expected", [("anonymous", 302), ("other", 404), ("leader", 403), ("secretary", 403)]
)
def test_delete_is_refused_to_all_but_staff(client, users, branch_b, branch_a, who, expected):
    path = reverse("organizations:delete", args=[branch_a.pk])
    assert status(client, users, who, path, "post").status_code == expected


@pytest.mark.parametrize("name", ["organizations:unit_create", "organizations:liaison_create"])
@pytest.mark.parametrize(
    "who,expected", [("anonymous", 302), ("leader", 403), ("secretary", 403), ("staff", 200)]
)
def test_committee_pages(client, users, committee, name, who, expected):
    assert status(client, users, who, reverse(name)).status_code == expected


def test_secretary_may_not_found_a_branch(secretary_client, branch_a, committee):
    response = secretary_client.post(
        reverse("organizations:found") + f"?parent={branch_a.pk}",
        {"kind": "BRANCH", "name": "私设支部", "parent": committee.pk, "founded_on": "2025-01-01"},
    )
    assert response.status_code == 200
    assert "私设支部" not in [o.name for o in branch_a.children.all()]


def test_secretary_founds_a_party_group_under_their_branch(secretary_client, branch_a):
    response = secretary_client.post(
        reverse("organizations:found") + f"?parent={branch_a.pk}",
        {"kind": "PARTY_GROUP", "name": "甲局第二党小组", "parent": branch_a.pk, "founded_on": "2025-01-01"},
    )
    assert response.status_code == 302
    assert branch_a.children.filter(name="甲局第二党小组").exists()


def test_secretary_lists_only_their_subtree(secretary_client, branch_a, group_a, branch_b):
    body = secretary_client.get(reverse("organizations:list")).content.decode()
    assert "甲局机关党支部" in body and "甲局第一党小组" in body and "乙局机关党支部" not in body

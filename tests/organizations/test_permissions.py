"""Every page against every role: signed out → sign-in; another subtree → 404; leadership write → 403."""

import datetime

import pytest
from django.urls import reverse

from organizations import urls as organization_urls
from organizations.models import Appointment, LiaisonAssignment, Post
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

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


# --- every URL of organizations/urls.py, each role -------------------------------------------------
# The path of each named URL, built from the records of the fixtures (branch_a is the secretary's).
PATHS = {
    "tree": lambda r: reverse("organizations:tree"),
    "list": lambda r: reverse("organizations:list"),
    "pick": lambda r: reverse("organizations:pick") + "?q=党",
    "terms": lambda r: reverse("organizations:terms"),
    "found": lambda r: reverse("organizations:found") + f"?parent={r['branch'].pk}",
    "units": lambda r: reverse("organizations:units"),
    "unit_create": lambda r: reverse("organizations:unit_create"),
    "unit_edit": lambda r: reverse("organizations:unit_edit", args=[r["unit"].pk]),
    "liaisons": lambda r: reverse("organizations:liaisons"),
    "liaison_create": lambda r: reverse("organizations:liaison_create"),
    "liaison_end": lambda r: reverse("organizations:liaison_end", args=[r["liaison"].pk]),
    "appointment_end": lambda r: reverse("organizations:appointment_end", args=[r["appointment"].pk]),
    "detail": lambda r: reverse("organizations:detail", args=[r["branch"].pk]),
    "edit": lambda r: reverse("organizations:edit", args=[r["branch"].pk]),
    "rename": lambda r: reverse("organizations:rename", args=[r["branch"].pk]),
    "move": lambda r: reverse("organizations:move", args=[r["branch"].pk]),
    "merge": lambda r: reverse("organizations:merge", args=[r["branch"].pk]),
    "dissolve": lambda r: reverse("organizations:dissolve", args=[r["branch"].pk]),
    "delete": lambda r: reverse("organizations:delete", args=[r["branch"].pk]),
    "appointment_create": lambda r: reverse("organizations:appointment_create", args=[r["branch"].pk]),
    "election_create": lambda r: reverse("organizations:election_create", args=[r["branch"].pk]),
}
LIST = {"anonymous": 302, "other": 200, "leader": 200, "staff": 200, "secretary": 200}
COMMITTEE = {"anonymous": 302, "other": 403, "leader": 403, "staff": 200, "secretary": 403}
EXPECTED = {
    "tree": LIST,
    "list": LIST,
    "pick": LIST,  # answers within each user's scope (tests/organizations/test_picker.py)
    "terms": LIST,
    "units": LIST,
    "liaisons": LIST,
    "detail": EXPECTED_READ,
    "found": EXPECTED_SUBTREE,
    "appointment_create": EXPECTED_SUBTREE,
    "appointment_end": EXPECTED_SUBTREE,
    "edit": EXPECTED_STAFF,
    "rename": EXPECTED_STAFF,
    "move": EXPECTED_STAFF,
    "merge": EXPECTED_STAFF,
    "dissolve": EXPECTED_STAFF,
    "election_create": EXPECTED_STAFF,
    "delete": {**EXPECTED_STAFF, "staff": 302},  # a POST; staff go back to a page after it
    "unit_create": COMMITTEE,
    "unit_edit": COMMITTEE,
    "liaison_create": COMMITTEE,
    "liaison_end": COMMITTEE,
}


def test_the_matrix_covers_every_url_of_the_app():
    names = {pattern.name for pattern in organization_urls.urlpatterns}
    assert names == set(PATHS) == set(EXPECTED)


@pytest.fixture
def records(committee, branch_a):
    appointment = Appointment.objects.create(
        organization=branch_a, person_name="张三", post=Post.SECRETARY, start_on=datetime.date(2024, 1, 1)
    )
    liaison = LiaisonAssignment.objects.create(
        leader_name="李四", committee=committee, organization=branch_a, start_on=datetime.date(2024, 1, 1)
    )
    return {"branch": branch_a, "unit": UnitFactory(), "appointment": appointment, "liaison": liaison}


@pytest.mark.parametrize("who", list(EXPECTED_READ))
@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_url_for_every_role(client, users, records, who, name):
    response = status(client, users, who, PATHS[name](records), "post" if name == "delete" else "get")
    assert response.status_code == EXPECTED[name][who]
    if who == "other" and response.status_code == 200:
        # A list page of the other secretary shows nothing of branch_a (its liaison included).
        assert records["branch"].name not in response.content.decode()
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/abc/",
        "/organizations/99999999/",
        "/organizations/1x/rename/",
        "/organizations/units/abc/edit/",
        "/organizations/new/?parent=abc",
        "/organizations/new/?parent=99999999",
        "/organizations/appointments/99999999/end/",
    ],
)
def test_a_malformed_or_unknown_address_is_a_404(staff_client, committee, path):
    response = staff_client.get(path)
    assert response.status_code == 404
    assert "没有找到" in response.content.decode() or "页面不存在" in response.content.decode()

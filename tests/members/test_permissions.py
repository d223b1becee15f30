"""Every URL of members/urls.py against every role (as tests/organizations/test_permissions.py does
for organizations): signed out → sign-in; a record of another subtree → 404; a write by leadership
→ 403; what is the committee's → 403 for a secretary. A URL added or renamed fails
test_the_matrix_covers_every_url_of_the_app until it has its row here."""

import datetime

import pytest
from django.urls import reverse

from jiguan.models import Job, JobStatus
from members import urls as member_urls
from tests.factories import MemberFactory, ProspectFactory
from tests.organizations.test_permissions import users  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

READ = {"anonymous": 302, "other": 404, "leader": 200, "staff": 200, "secretary": 200}
WRITE = {"anonymous": 302, "other": 404, "leader": 403, "staff": 200, "secretary": 200}
LIST = {"anonymous": 302, "other": 200, "leader": 200, "staff": 200, "secretary": 200}
CREATE = {"anonymous": 302, "other": 200, "leader": 403, "staff": 200, "secretary": 200}
STAFF = {"anonymous": 302, "other": 403, "leader": 403, "staff": 200, "secretary": 403}

PATHS = {
    "roster": lambda r: reverse("members:roster"),
    "pick": lambda r: reverse("members:pick") + "?q=党",
    "create": lambda r: reverse("members:create"),
    "transfer_in": lambda r: reverse("members:transfer_in"),
    "detail": lambda r: reverse("members:detail", args=[r["member"].pk]),
    "edit": lambda r: reverse("members:edit", args=[r["member"].pk]),
    "move": lambda r: reverse("members:move", args=[r["member"].pk]),
    "transfer_out": lambda r: reverse("members:transfer_out", args=[r["member"].pk]),
    "confirm": lambda r: reverse("members:confirm", args=[r["probationary"].pk]),
    "extend_probation": lambda r: reverse("members:extend_probation", args=[r["probationary"].pk]),
    "change_category": lambda r: reverse("members:change_category", args=[r["member"].pk]),
    "leave": lambda r: reverse("members:leave", args=[r["member"].pk]),
    "prospects": lambda r: reverse("members:prospects"),
    "prospect_create": lambda r: reverse("members:prospect_create"),
    "prospect": lambda r: reverse("members:prospect", args=[r["prospect"].pk]),
    "prospect_step": lambda r: reverse("members:prospect_step", args=[r["prospect"].pk]),
    "prospect_step_edit": lambda r: reverse("members:prospect_step_edit", args=[r["step"].pk]),
    "prospect_step_delete": lambda r: reverse("members:prospect_step_delete", args=[r["step"].pk]),
    "prospect_promote": lambda r: reverse("members:prospect_promote", args=[r["prospect"].pk]),
    "prospect_admit": lambda r: reverse("members:prospect_admit", args=[r["prospect"].pk]),
    "prospect_withdraw": lambda r: reverse("members:prospect_withdraw", args=[r["prospect"].pk]),
    "board_home": lambda r: reverse("members:board_home"),
    "board": lambda r: reverse("members:board", args=[r["branch"].pk]),
    "commendations": lambda r: reverse("members:commendations"),
    "commendation_create": lambda r: reverse("members:commendation_create"),
    "medals": lambda r: reverse("members:medals"),
    "medal_award": lambda r: reverse("members:medal_award"),
    "national_export": lambda r: reverse("members:national_export"),
    "reconcile": lambda r: reverse("members:reconcile"),
    "reconcile_apply": lambda r: reverse("members:reconcile_apply", args=[r["reconciliation"].pk]),
}
POSTS = {"prospect_step_delete", "prospect_withdraw", "medal_award", "reconcile_apply"}  # answer a POST only
DONE = {**WRITE, "staff": 302, "secretary": 302}  # a POST that did it goes back to a page
EXPECTED = {
    "roster": LIST,
    "pick": LIST,  # answers within each user's scope
    "create": CREATE,
    "transfer_in": CREATE,
    "detail": READ,
    "edit": WRITE,
    "move": WRITE,
    "transfer_out": WRITE,
    "confirm": WRITE,
    "extend_probation": WRITE,
    "change_category": WRITE,
    "leave": WRITE,
    "prospects": LIST,
    "prospect_create": CREATE,
    "prospect": READ,
    "prospect_step": WRITE,
    "prospect_step_edit": WRITE,
    "prospect_step_delete": DONE,
    "prospect_promote": WRITE,
    "prospect_admit": WRITE,
    "prospect_withdraw": DONE,
    "board_home": {who: 302 for who in READ},  # to a branch's board (or to the sign-in)
    "board": READ,
    "commendations": LIST,
    "commendation_create": CREATE,
    "medals": LIST,
    "medal_award": DONE,
    "national_export": STAFF,
    "reconcile": STAFF,
    "reconcile_apply": {**STAFF, "staff": 302},  # nothing ticked: back to the reconciliation's page
}


@pytest.fixture
def records(branch_a):
    member = MemberFactory(organization=branch_a, name="甲党员", admitted_on=datetime.date(2000, 7, 1))
    probationary = MemberFactory(
        organization=branch_a, name="甲预备党员", status="PROBATIONARY", admitted_on=datetime.date(2026, 3, 1)
    )
    prospect = ProspectFactory(organization=branch_a, stage="CANDIDATE")
    reconciliation = Job.objects.create(
        kind="reconcile", title="名册比对", status=JobStatus.DONE, result={"differences": [], "applied": []}
    )
    return {
        "reconciliation": reconciliation,
        "branch": branch_a,
        "member": member,
        "probationary": probationary,
        "prospect": prospect,
        "step": prospect.steps.order_by("-number").first(),
    }


def test_the_matrix_covers_every_url_of_the_app():
    names = {pattern.name for pattern in member_urls.urlpatterns}
    assert names == set(PATHS) == set(EXPECTED)


@pytest.mark.parametrize("who", list(READ))
@pytest.mark.parametrize("name", list(PATHS))
def test_every_url_for_every_role(client, users, records, who, name):  # noqa: F811
    if who != "anonymous":
        client.force_login(users[who])
    path = PATHS[name](records)
    if name in POSTS:
        response = client.post(path, {"member": records["member"].pk} if name == "medal_award" else {})
    else:
        response = client.get(path)
    assert response.status_code == EXPECTED[name][who]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))

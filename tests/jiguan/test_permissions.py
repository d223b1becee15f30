"""Every URL of the base (jiguan.urls: sign-in, password, import, background jobs), of the account pages (organizations.accounts.urls) and of the
root URLconf's own pages (home, history) against every role, as the apps' matrices do."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, reverse

from jiguan import urls as jiguan_urls
from jiguan.models import Job, JobStatus
from organizations.accounts import urls as account_urls
from organizations.models import Organization
from reports import root_urls
from tests.organizations.test_permissions import users  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

SIGNED_IN = {"anonymous": 302, "other": 200, "leader": 200, "staff": 200, "secretary": 200}
STAFF = {"anonymous": 302, "other": 403, "leader": 403, "staff": 200, "secretary": 403}

PATHS = {
    "home": lambda r: reverse("home"),
    "login": lambda r: reverse("login"),
    "logout": lambda r: reverse("logout"),
    "password_change": lambda r: reverse("password_change"),
    "import_workbook": lambda r: reverse("import_workbook"),
    "import_template": lambda r: reverse("import_template"),
    "history": lambda r: reverse("history", args=[r["organization_type"].pk, r["branch"].pk]),
    "jobs": lambda r: reverse("jobs"),
    "job": lambda r: reverse("job", args=[r["job"].pk]),
    "job_file": lambda r: reverse("job_file", args=[r["job"].pk]),
    "import_job_confirm": lambda r: reverse("import_job_confirm", args=[r["job"].pk]),
    "accounts:list": lambda r: reverse("accounts:list"),
    "accounts:create": lambda r: reverse("accounts:create"),
    "accounts:edit": lambda r: reverse("accounts:edit", args=[r["account"].pk]),
    "accounts:reset_password": lambda r: reverse("accounts:reset_password", args=[r["account"].pk]),
    "accounts:deactivate": lambda r: reverse("accounts:deactivate", args=[r["account"].pk]),
}
POSTS = {"logout", "accounts:deactivate", "import_job_confirm"}
# The secretary's job: staff see every job, anyone else their own.
OWN_JOB = {"anonymous": 302, "other": 404, "leader": 404, "staff": 200, "secretary": 200}
EXPECTED = {
    "home": SIGNED_IN,
    # Signed in, the sign-in page sends one home; signed out it is the page itself.
    "login": {"anonymous": 200, "other": 302, "leader": 302, "staff": 302, "secretary": 302},
    "logout": {who: 302 for who in SIGNED_IN},  # a POST; everyone ends at the sign-in
    "password_change": SIGNED_IN,
    "import_workbook": STAFF,
    "import_template": STAFF,
    "history": {"anonymous": 302, "other": 404, "leader": 200, "staff": 200, "secretary": 200},
    "jobs": SIGNED_IN,
    "job": OWN_JOB,
    "job_file": {**OWN_JOB, "staff": 404, "secretary": 404},  # the job wrote no file
    "import_job_confirm": {**STAFF, "staff": 403},  # staff only, and only a checked import
    "accounts:list": STAFF,
    "accounts:create": STAFF,
    "accounts:edit": STAFF,
    "accounts:reset_password": STAFF,
    "accounts:deactivate": {**STAFF, "staff": 302},
}


def _names(patterns, namespace=""):
    return {namespace + p.name for p in patterns if isinstance(p, URLPattern) and p.name}


def test_the_matrix_covers_every_url_of_the_base_the_accounts_and_the_root():
    names = _names(jiguan_urls.urlpatterns) | _names(account_urls.urlpatterns, "accounts:")
    names |= _names(root_urls.urlpatterns)  # the root's own pages (the apps are included)
    assert names == set(PATHS) == set(EXPECTED)


@pytest.fixture
def records(branch_a, secretary):
    job = Job.objects.create(kind="reconcile", title="名册比对", created_by=secretary, status=JobStatus.DONE)
    return {
        "job": job,
        "branch": branch_a,
        "account": secretary,
        "organization_type": ContentType.objects.get_for_model(Organization),
    }


@pytest.mark.parametrize("who", list(SIGNED_IN))
@pytest.mark.parametrize("name", list(PATHS))
def test_every_url_for_every_role(client, users, records, who, name):  # noqa: F811
    if who != "anonymous":
        client.force_login(users[who])
    path = PATHS[name](records)
    response = client.post(path) if name in POSTS else client.get(path)
    assert response.status_code == EXPECTED[name][who]
    if who == "anonymous" and response.status_code == 302 and name != "logout":
        assert response["Location"].startswith(reverse("login"))

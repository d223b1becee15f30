"""Demo sign-ins, one per role (printed by seed_demo)."""

from jiguan.demo import DEMO_PASSWORD
from jiguan.models import Role, User
from organizations.models import AccountOrganization

DEMO_ACCOUNTS = [
    # username, full name, role, key of the organization in county.organizations
    ("gongwei", "李文静", Role.STAFF, "root"),
    ("lingdao", "陈建国", Role.LEADERSHIP, "root"),
    ("shuji", "黄海燕", Role.SECRETARY, "demo_secretary_org"),
]


def build(county):
    for username, full_name, role, org_key in DEMO_ACCOUNTS:
        organization = county.organizations[org_key]
        user = User(username=username, full_name=full_name, role=role)
        user.set_password(DEMO_PASSWORD)
        user.save()
        AccountOrganization.objects.create(user=user, organization=organization)
        county.users[username] = user

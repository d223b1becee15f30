"""The demo county for `make run` (`manage.py seed_demo`): every app's part, in dependency order.

The parts and the DemoCounty they share are described in jiguan.demo.
"""

from django.db import transaction

from activities import demo as activities_demo
from jiguan import dates
from jiguan.demo import DemoCounty
from members import demo as members_demo
from organizations import demo as organizations_demo
from organizations import demo_accounts
from organizations.models import Kind, Organization


def already_seeded():
    return Organization.objects.filter(kind=Kind.WORKING_COMMITTEE).exists()


@transaction.atomic
def build(today=None):
    """Build the whole demo county; returns the DemoCounty. All or nothing."""
    county = DemoCounty(today=today or dates.today())
    for part, module in (
        ("organizations", organizations_demo),
        ("accounts", demo_accounts),
        ("members", members_demo),
        ("activities", activities_demo),
    ):
        county.use_random(part)
        module.build(county)
    return county

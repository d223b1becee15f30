"""The demo county: a believable county for `make run`, built deterministically.

Each app contributes its part through a `demo.build(county)` function, in dependency order. The
`DemoCounty` object carries what later parts need (the root, the organizations, a seeded random
generator, the demo's years).
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction

DEMO_PASSWORD = "Dangjian-2026-demo"
SEED = 20211231


@dataclass
class DemoCounty:
    rng: random.Random
    today: datetime.date
    years: tuple = (2025, 2026)
    root: object = None
    units: dict = field(default_factory=dict)
    organizations: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def already_seeded():
    from organizations.models import Kind, Organization

    return Organization.objects.filter(kind=Kind.WORKING_COMMITTEE).exists()


@transaction.atomic
def build(today=None):
    """Build the whole demo county; returns the DemoCounty. All or nothing."""
    from activities import demo as activities_demo
    from jiguan import demo_accounts
    from members import demo as members_demo
    from organizations import demo as organizations_demo

    county = DemoCounty(rng=random.Random(SEED), today=today or datetime.date.today())
    organizations_demo.build(county)
    demo_accounts.build(county)
    members_demo.build(county)
    activities_demo.build(county)
    return county

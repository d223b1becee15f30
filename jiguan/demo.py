"""The demo county's shared state: a believable county for `make run`, built deterministically.

Each app contributes its part through a `demo.build(county)` function; reports.demo calls them in
dependency order. The `DemoCounty` object carries what later parts need (the root, the
organizations, a seeded random generator, the demo's years).

The county depends on its reference day only: the same day gives the same records. The demo covers
the year before the reference day's and that year up to the day. Each app draws from a random
generator of its own, so a different number of draws in one part (a later day has more months of
activities) never changes what another part chooses.
"""

import datetime
import random
from dataclasses import dataclass, field

DEMO_PASSWORD = "Dangjian-2026-demo"
SEED = 20211231


@dataclass
class DemoCounty:
    today: datetime.date
    rng: random.Random = None
    years: tuple = ()
    root: object = None
    units: dict = field(default_factory=dict)
    organizations: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        self.years = self.years or (self.today.year - 1, self.today.year)
        if self.rng is None:
            self.use_random("county")

    def use_random(self, part):
        """Draw from now on from the generator of `part` (seeded by the part's name)."""
        self.rng = random.Random(f"{SEED}:{part}")

"""The tree page's tree, drawn once for each version of the records and day for those who see the
whole county: 2,400 organizations took 0.13 s to fetch and draw (6,000 at ten times the benchmark's
county, ~0.35 s), on every visit; stored, the page reads it back in one query. A secretary's own
subtree is small and drawn each time."""

import datetime

from django.template.loader import render_to_string

from jiguan import data_version, dates
from organizations import selectors


def tree_html(user, day: datetime.date) -> str:
    """The nested tree `user` sees as it stood on `day`, as HTML."""

    def draw():
        entries = selectors.tree_entries(selectors.organization_tree(user, day))
        return render_to_string("organizations/_tree.html", {"entries": entries})

    if not user.sees_everything:
        return draw()
    return data_version.cached(f"organizations:tree:{day.isoformat()}", draw, year=dates.today().year)

"""The county's numbers made again in the background after a write, so the first page that shows
them after a change does not wait for them: the dashboard, the report page, its PDF and workbook
of the root committee, for this year and last year (the year most summaries are written for).

A committed write gives the records a new version (jiguan.data_version), which makes every stored
computation stale; ``schedule`` (connected to ``data_version.new_version``) then enqueues one
``warm`` task on the background worker (``manage.py db_worker``). However many writes come in a
row, at most one task waits: the pending flag is taken by the first write and given back by the
task as it starts, so writes during its run enqueue the next one. With ``JIGUAN_WARM_REPORTS=0``
nothing is scheduled (the numbers are then computed by the first page that needs them, as always).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django_tasks import task

from jiguan import dates

logger = logging.getLogger(__name__)
PENDING_KEY = "reports:warming-pending"
PENDING_SECONDS = 15 * 60  # a task lost with its worker frees the flag after this


def schedule(sender=None, **kwargs) -> None:
    """data_version.new_version: one warm task queued, unless one is waiting already."""
    if not settings.JIGUAN_WARM_REPORTS:
        return
    if cache.add(PENDING_KEY, True, PENDING_SECONDS):
        warm.enqueue()


@task()
def warm() -> None:
    """Compute and store the root committee's numbers, charts and files of this year and last year,
    the staff's and the leadership's home pages, the county's tree, arrears lists and 三会一课 order."""
    from organizations.models import Kind, Organization

    cache.delete(PENDING_KEY)  # writes from now on schedule the next run
    root = Organization.objects.filter(kind=Kind.WORKING_COMMITTEE, parent__isnull=True).first()
    if root is None:
        return
    this_year = dates.today().year
    # The dues ledger first: the members the writes marked stale are computed again here, in the
    # background, not in the next reader's request.
    from members.dues import ledger

    ledger.bring_up_to_date((this_year - 1, this_year))
    for year in (this_year, this_year - 1):
        warm_scope(root, year)
    from activities import rhythm
    from jiguan.models import Role, User
    from members.dues import selectors as dues
    from organizations.tree import tree_html
    from reports.home import home_context

    # What a staff member's pages show of the whole county (the same for every staff account):
    # the home page's counts and dues warning, today's tree, the arrears lists of the county and
    # this year's 三会一课 order.
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk").first()
    if staff is not None:
        home_context(staff)
        tree_html(staff, dates.today())
    for warned_only in (False, True):
        dues.arrears_members(None, dates.today(), warned_only=warned_only)
    # The leadership's home: the key numbers and the readiness check (seconds at four times the
    # benchmark's county), the same for every leadership account.
    leader = User.objects.filter(role=Role.LEADERSHIP, is_active=True).order_by("pk").first()
    if leader is not None:
        home_context(leader)
    rhythm.county_order(this_year, dates.today())


def warm_scope(root, year: int) -> None:
    """What the dashboard and the report of `root` and `year` read, stored (reports.metrics.cache):
    each already stored for the records' version costs one read."""
    from reports import charts, metrics, outputs
    from reports.dashboard_views import body_html

    scope = metrics.ReportScope(root, year)
    metrics.compute_all(root, year, scope=scope)
    metrics.compute_last_year(root, year)
    charts.charts_for(scope)
    body_html(root, year)  # the dashboard as drawn
    outputs.page_body(root, year)  # the report page as drawn
    outputs.render_file(root, year, "pdf")  # the summary's numbers, lists and 附图 on the way
    outputs.render_file(root, year, "xlsx")

"""The numbers are computed once and reused until a write could change them (reports.metrics.cache,
jiguan.data_version): last year's stay cached while this year's records are written, and are
computed afresh when a past record is corrected or added. Tests run on 24 November 2026 (the clock)."""

import datetime
import pickle
import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import ActivityKind
from activities.services import activity_create, activity_update
from jiguan import data_version
from members.dues import selectors as dues_selectors
from reports.metrics import NO_RECORDS, compute_all, compute_last_year

D = datetime.date
pytestmark = pytest.mark.django_db

# The records' version and the stored numbers: what a year's numbers cost when nothing changed.
FROM_CACHE = 2


def theme_day(actor, organization, day):
    return activity_create(
        actor=actor, organization=organization, kind=ActivityKind.THEME_DAY, date=day, title=f"主题党日{day}"
    )


def test_last_years_numbers_stay_cached_while_this_year_is_written(
    staff, committee, branch_a, django_assert_num_queries
):
    theme_day(staff, branch_a, D(2025, 5, 4))
    assert compute_all(committee, 2025)["theme_days"] == 1
    assert compute_all(committee, 2026)["theme_days"] == 0
    theme_day(staff, branch_a, D(2026, 5, 4))
    with django_assert_num_queries(FROM_CACHE):
        assert compute_all(committee, 2025)["theme_days"] == 1
    assert compute_all(committee, 2026)["theme_days"] == 1  # this year's: computed afresh


def test_a_years_numbers_are_computed_once_for_its_report_and_the_next_years(
    staff, committee, branch_a, django_assert_num_queries
):
    # 2025's own report and 2026's comparison column read one computation (the warm run makes both).
    theme_day(staff, branch_a, D(2025, 5, 4))
    values = compute_all(committee, 2025)
    with django_assert_num_queries(FROM_CACHE):
        last_year = compute_last_year(committee, 2026)
    assert last_year["theme_days"] == values["theme_days"] == 1
    # A kind with no record at all that year says so beside the next year's number, not 0.
    assert values["lists_issued"] == 0 and last_year["lists_issued"] is NO_RECORDS


def test_a_past_record_added_or_corrected_is_counted_at_once(staff, committee, branch_a):
    first = theme_day(staff, branch_a, D(2025, 5, 4))
    assert compute_all(committee, 2025)["theme_days"] == 1
    theme_day(staff, branch_a, D(2025, 6, 4))
    assert compute_all(committee, 2025)["theme_days"] == 2
    # Moved from 2025 into this year: both years change, though the record now carries a 2026 date.
    assert compute_all(committee, 2026)["theme_days"] == 0
    activity_update(actor=staff, activity=first, date=D(2026, 1, 5), title=first.title)
    assert compute_all(committee, 2025)["theme_days"] == 1
    assert compute_all(committee, 2026)["theme_days"] == 1


def test_last_year_beside_the_report_follows_the_records(staff, committee, branch_a):
    assert compute_last_year(committee, 2026)["theme_days"] is NO_RECORDS
    theme_day(staff, branch_a, D(2025, 5, 4))
    assert compute_last_year(committee, 2026)["theme_days"] == 1


def test_a_write_rolled_back_leaves_the_numbers_as_they_were(staff, committee, branch_a):
    assert compute_all(committee, 2025)["theme_days"] == 0
    with pytest.raises(RuntimeError), transaction.atomic():
        theme_day(staff, branch_a, D(2025, 5, 4))
        assert compute_all(committee, 2025)["theme_days"] == 1  # the transaction sees its own write
        raise RuntimeError
    # (Rolled back to a savepoint of a transaction that wrote before, the version may stay new: the
    # numbers are then computed again, never read from what the rolled-back write saw.)
    assert compute_all(committee, 2025)["theme_days"] == 0


def test_a_commit_gives_the_records_a_new_version(staff, branch_a, django_capture_on_commit_callbacks):
    past, current = data_version.version_of(2025), data_version.version_of(2026)
    with django_capture_on_commit_callbacks(execute=True):
        theme_day(staff, branch_a, D(2026, 5, 4))
    assert data_version.version_of(2025) == past  # a record of this year leaves last year alone
    assert data_version.version_of(2026) != current
    current = data_version.version_of(2026)
    with django_capture_on_commit_callbacks(execute=True):
        theme_day(staff, branch_a, D(2024, 5, 4))
    assert data_version.version_of(2025) != past
    assert data_version.version_of(2026) != current


def test_a_past_record_leaves_the_years_before_it_alone(staff, branch_a, django_capture_on_commit_callbacks):
    # Last year's report compares with the year before: a record of 2025 written leaves 2024's
    # numbers stored; a change of an existing record (its former dates unknown) makes every year stale.
    versions = {year: data_version.version_of(year) for year in (2023, 2024, 2025, 2026)}
    with django_capture_on_commit_callbacks(execute=True):
        activity = theme_day(staff, branch_a, D(2025, 5, 4))
    after = {year: data_version.version_of(year) for year in versions}
    assert [after[year] == versions[year] for year in versions] == [True, True, False, False]
    with django_capture_on_commit_callbacks(execute=True):
        activity.save()
    assert all(data_version.version_of(year) != after[year] for year in versions)


def test_the_cache_emptied_costs_a_computation_not_a_wrong_number(staff, committee, branch_a):
    theme_day(staff, branch_a, D(2025, 5, 4))
    assert compute_all(committee, 2025)["theme_days"] == 1
    cache.clear()
    assert compute_all(committee, 2025)["theme_days"] == 1


def test_no_records_keeps_its_identity_through_the_cache():
    assert pickle.loads(pickle.dumps(NO_RECORDS)) is NO_RECORDS


def test_a_value_is_stored_deflated_and_a_file_as_it_is():
    """data_version.cached deflates what it stores (the county's 三会一课 record is 330 KB pickled at
    1x), except files, which are compressed already; both read back as they were made."""
    value = {"rows": [("第一党支部", NO_RECORDS, D(2025, 1, 1))] * 2000}
    assert data_version.cached("test:value", lambda: value, year=2025) == value
    raw = cache.get(data_version.stored_key("test:value", year=2025))
    assert len(pickle.dumps(raw)) < len(pickle.dumps(value)) / 10
    read = data_version.cached("test:value", lambda: pytest.fail("computed again"), year=2025)
    assert read == value and read["rows"][0][1] is NO_RECORDS
    assert data_version.stored("test:value", year=2025) == value
    pdf = b"%PDF-1.7 " + bytes(range(256)) * 10
    assert data_version.cached("test:file", lambda: pdf, year=2025) == pdf
    assert cache.get(data_version.stored_key("test:file", year=2025)) == pdf
    assert data_version.cached("test:file", lambda: pytest.fail("computed again"), year=2025) == pdf


def _redis_url():
    """Redis on this machine, when it runs (jiguan never needs it; production may choose it)."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/15"


@pytest.mark.skipif(_redis_url() is None, reason="no Redis on 127.0.0.1:6379")
def test_with_redis_the_numbers_cost_no_query_of_the_database(
    settings, staff, committee, branch_a, django_assert_num_queries, django_capture_on_commit_callbacks
):
    import secrets

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url(),
            "KEY_PREFIX": f"jiguan-test-{secrets.token_hex(4)}",
            "TIMEOUT": 60,
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        theme_day(staff, branch_a, D(2025, 5, 4))
    assert compute_all(committee, 2025)["theme_days"] == 1
    with django_assert_num_queries(0):
        assert compute_all(committee, 2025)["theme_days"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        theme_day(staff, branch_a, D(2025, 6, 4))
    assert compute_all(committee, 2025)["theme_days"] == 2


def test_a_file_made_once_follows_the_records_and_the_summarys_text(staff, committee, branch_a):
    from reports.outputs import render_file
    from reports.services import annual_report_save

    theme_day(staff, branch_a, D(2025, 5, 4))
    annual_report_save(
        actor=staff, organization=committee, year=2025, title="总结", text="主题党日{{ theme_days }}次。"
    )
    assert "主题党日1（上年无记录）次" in text_of(render_file(committee, 2025, "html"))
    theme_day(staff, branch_a, D(2025, 6, 4))  # a record: the file is made again
    assert "主题党日2（上年无记录）次" in text_of(render_file(committee, 2025, "html"))
    annual_report_save(  # the text (not among the records the version follows) is part of the key
        actor=staff, organization=committee, year=2025, title="总结", text="全年主题党日{{ theme_days }}次。"
    )
    assert "全年主题党日2（上年无记录）次" in text_of(render_file(committee, 2025, "html"))


def test_the_report_page_drawn_once_follows_the_records_and_the_summarys_text(
    staff, committee, branch_a, client
):
    from reports.services import annual_report_save

    client.force_login(staff)
    url = reverse("reports:report", args=[committee.pk, 2025])
    theme_day(staff, branch_a, D(2025, 5, 4))
    annual_report_save(
        actor=staff, organization=committee, year=2025, title="总结", text="主题党日{{ theme_days }}次。"
    )
    assert "主题党日1（上年无记录）次" in text_of(client.get(url).content)
    assert "主题党日1（上年无记录）次" in text_of(client.get(url).content)  # read back
    theme_day(staff, branch_a, D(2025, 6, 4))  # a record: the page is drawn again
    assert "主题党日2（上年无记录）次" in text_of(client.get(url).content)
    annual_report_save(  # the text (not among the records the version follows) is part of the key
        actor=staff, organization=committee, year=2025, title="总结", text="全年主题党日{{ theme_days }}次。"
    )
    assert "全年主题党日2（上年无记录）次" in text_of(client.get(url).content)


def text_of(html: bytes) -> str:
    return re.sub(r"<[^>]+>", "", html.decode())


@pytest.mark.django_db(transaction=True)  # writes that commit, as in production
def test_after_a_write_the_countys_numbers_are_made_again_in_the_background(
    settings, staff, committee, branch_a, django_assert_num_queries
):
    from reports import warming

    settings.JIGUAN_WARM_REPORTS = True  # (tests run tasks at once: the worker's run is this call)
    theme_day(staff, branch_a, D(2026, 5, 4))
    # The page after the write finds this year's and last year's numbers stored for the new version.
    with django_assert_num_queries(FROM_CACHE):
        assert compute_all(committee, 2026)["theme_days"] == 1
    with django_assert_num_queries(FROM_CACHE):
        assert compute_all(committee, 2025)["theme_days"] == 0
    # The county's arrears lists (what the staff and the leadership open) are ranked already.
    for warned_only in (False, True):
        with CaptureQueriesContext(connection) as queries:
            dues_selectors.arrears_members(warned_only=warned_only)
        assert not [q for q in queries if q["sql"].startswith("WITH months")]
    assert cache.get(warming.PENDING_KEY) is None  # given back by the run
    # A run already waiting: a write queues no second one (the waiting run will see it).
    cache.add(warming.PENDING_KEY, True)
    theme_day(staff, branch_a, D(2026, 6, 4))
    with CaptureQueriesContext(connection) as queries:
        assert compute_all(committee, 2026)["theme_days"] == 2
    assert len(queries) > FROM_CACHE  # not stored by a run: computed by the page


@pytest.mark.django_db(transaction=True)
def test_without_warming_a_write_queues_nothing(staff, committee, branch_a):
    from reports import warming

    theme_day(staff, branch_a, D(2026, 5, 4))
    assert cache.get(warming.PENDING_KEY) is None
    with CaptureQueriesContext(connection) as queries:
        compute_all(committee, 2026)
    assert len(queries) > FROM_CACHE


@pytest.mark.django_db(transaction=True)
def test_after_a_write_the_staff_pages_are_made_again_in_the_background(
    settings, staff, staff_client, committee, branch_a, monkeypatch
):
    from reports import home

    settings.JIGUAN_WARM_REPORTS = True  # (tests run tasks at once: the worker's run is this call)
    theme_day(staff, branch_a, D(2026, 5, 4))

    def not_again(*args, **kwargs):
        raise AssertionError("computed by the page, not stored by the background run")

    # The home page after the write reads the overview and the dues warning the run stored.
    monkeypatch.setattr(home, "_staff_overview", not_again)
    monkeypatch.setattr(home, "_dues_panel", not_again)
    response = staff_client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["staff"]["activities"] == 1
    # And today's tree of the county, drawn by the run too.
    from organizations import tree

    monkeypatch.setattr(tree.selectors, "organization_tree", not_again)
    assert branch_a.name in staff_client.get(reverse("organizations:tree")).content.decode()
    # And this year's 三会一课 order of the county: the page makes only its own branches.
    from activities import rhythm

    monkeypatch.setattr(rhythm, "worst_first", not_again)
    page = staff_client.get(reverse("activities:rhythm"))
    assert [row.organization for row in page.context["table"]] == [branch_a]


@pytest.mark.django_db(transaction=True)
def test_after_a_write_the_leadership_home_is_made_again_in_the_background(
    settings, staff, leader, leader_client, committee, branch_a, monkeypatch
):
    from reports import home

    settings.JIGUAN_WARM_REPORTS = True
    theme_day(staff, branch_a, D(2026, 5, 4))

    def not_again(*args, **kwargs):
        raise AssertionError("computed by the page, not stored by the background run")

    # The key numbers and the readiness check (seconds at county scale) were stored by the run.
    monkeypatch.setattr(home, "readiness", not_again)
    monkeypatch.setattr(home.metrics, "compute_all", not_again)
    response = leader_client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["leadership"]["root"] == committee

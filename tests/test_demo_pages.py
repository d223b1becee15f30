"""The demo county, seeded as `make run` seeds it, and every page opened as each role would.

This catches what unit tests with tiny data miss: a template that breaks on real records, a page
that errors for one role. Failures are collected and reported together.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from activities.models import Activity, Document, ReminderLetter, ResponsibilityList
from jiguan import dates
from jiguan.models import User
from members.models import Member, Prospect
from organizations.models import Kind, Organization
from organizations.scoping import organization_of

pytestmark = pytest.mark.django_db

READ_PAGES = [
    ("home", []),
    ("organizations:tree", []),
    ("organizations:list", []),
    ("organizations:terms", []),
    ("organizations:units", []),
    ("organizations:liaisons", []),
    ("members:roster", []),
    ("members:prospects", []),
    ("members:board_home", []),
    ("members:commendations", []),
    ("members:medals", []),
    ("activities:list", []),
    ("activities:rhythm", []),
    ("activities:open_items", []),
    ("activities:letters", []),
    ("reports:index", []),
    ("reports:dashboard", []),
]
STAFF_PAGES = [
    ("accounts:list", []),
    ("accounts:create", []),
    ("import_workbook", []),
    ("organizations:found", []),
    ("members:create", []),
    ("members:transfer_in", []),
    ("activities:create", []),
    ("activities:documents", []),
    ("activities:document_create", []),
]


def object_pages(secretary_org):
    """Detail pages of records within the secretary's subtree, so that every role may read them."""
    in_scope = Organization.objects.subtree_of(secretary_org)
    member = Member.objects.filter(organization__in=in_scope).first()
    activity = Activity.objects.filter(organization__in=in_scope).first()
    prospect = Prospect.objects.filter(organization__in=in_scope).first()
    year = dates.today().year - 1
    pages = [
        ("organizations:detail", [secretary_org.pk]),
        ("members:detail", [member.pk]),
        ("members:board", [secretary_org.pk]),
        ("activities:detail", [activity.pk]),
        ("activities:rhythm_branch", [secretary_org.pk]),
        ("reports:report", [secretary_org.pk, year]),
        ("reports:readiness", [secretary_org.pk, year]),
        ("reports:records", [secretary_org.pk, year, "probationary_admitted"]),
    ]
    if prospect:
        pages.append(("members:prospect", [prospect.pk]))
    return pages


def committee_pages():
    root = Organization.objects.get(kind=Kind.WORKING_COMMITTEE)
    year = dates.today().year - 1
    pages = [
        ("reports:report", [root.pk, year]),
        ("reports:readiness", [root.pk, year]),
        ("reports:edit", [root.pk, year]),
        ("reports:records", [root.pk, year, "orgs_total"]),
        ("reports:records", [root.pk, year, "central_group_study_sessions"]),
        ("activities:document_detail", [Document.objects.first().pk]),
        ("activities:list_detail", [ResponsibilityList.objects.first().pk]),
        ("activities:letter_detail", [ReminderLetter.objects.first().pk]),
    ]
    return pages


def open_all(client, pages):
    failures = []
    for name, args in pages:
        url = reverse(name, args=args)
        response = client.get(url, follow=True)
        if response.status_code != 200:
            failures.append(f"{url} → {response.status_code}")
    return failures


def test_every_page_opens_for_every_role_on_the_demo_county(client):
    call_command("seed_demo", verbosity=0)
    staff, leader, secretary = (User.objects.get(username=u) for u in ("gongwei", "lingdao", "shuji"))
    own_pages = object_pages(organization_of(secretary))

    failures = []
    client.force_login(staff)
    failures += open_all(client, READ_PAGES + STAFF_PAGES + own_pages + committee_pages())
    client.force_login(leader)
    failures += open_all(client, READ_PAGES + own_pages + committee_pages()[:2])
    client.force_login(secretary)
    failures += open_all(client, READ_PAGES + own_pages)
    assert failures == []


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    counts = (Organization.objects.count(), Member.objects.count(), Activity.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Organization.objects.count(), Member.objects.count(), Activity.objects.count()) == counts
    assert counts[0] > 40 and counts[1] > 300 and counts[2] > 1000

"""The tree: nested from one fetch, warnings, and a query count that does not grow with the tree."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiguan import dates
from organizations import selectors, services
from organizations.models import Appointment, Election, Kind, Organization, OrganizationVersion, Post
from tests.organizations.helpers import make_member

pytestmark = pytest.mark.django_db

D = datetime.date


def big_tree(committee, size):
    """About `size` organizations written in bulk: committees, branches, groups, with secretaries and terms."""
    orgs, versions = [], []
    per = 9  # one party committee, its discipline committee, 5 branches, 2 groups
    for i in range(size // per):
        top = Organization.objects.create(
            kind=Kind.PARTY_COMMITTEE, name=f"机关党委{i}", parent=committee, founded_on=D(2010, 1, 1)
        )
        created = [top]
        created.append(
            Organization.objects.create(
                kind=Kind.DISCIPLINE_COMMITTEE, name=f"纪委{i}", parent=top, founded_on=D(2010, 1, 1)
            )
        )
        branches = [
            Organization.objects.create(
                kind=Kind.BRANCH, name=f"支部{i}-{j}", parent=top, founded_on=D(2010, 1, 1)
            )
            for j in range(5)
        ]
        created += branches
        created += [
            Organization.objects.create(
                kind=Kind.PARTY_GROUP, name=f"小组{i}-{j}", parent=branches[0], founded_on=D(2010, 1, 1)
            )
            for j in range(2)
        ]
        orgs += created
    for o in orgs:
        versions.append(
            OrganizationVersion(organization=o, name=o.name, parent=o.parent, valid_from=o.founded_on)
        )
    OrganizationVersion.objects.bulk_create(versions)
    Appointment.objects.bulk_create(
        Appointment(organization=o, person_name="书记", post=Post.SECRETARY, start_on=D(2020, 1, 1))
        for o in orgs[::2]
    )
    Election.objects.bulk_create(
        Election(organization=o, term_number=1, elected_on=D(2022, 1, 1), expires_on=D(2025, 1, 1))
        for o in orgs
        if o.kind == Kind.BRANCH
    )
    return len(orgs) + 1


def flatten(nodes):
    for node in nodes:
        yield node
        yield from flatten(node.children)


def test_tree_nests_and_warns(staff, committee, branch_a, group_a, branch_b):
    make_member(branch_a)
    make_member(branch_a)
    services.appointment_create(
        actor=staff, organization=branch_a, person_name="甲书记", post=Post.SECRETARY, start_on=D(2020, 1, 1)
    )
    services.election_create(actor=staff, organization=branch_b, elected_on=D(2020, 1, 1))  # overdue
    (root,) = selectors.organization_tree(staff)
    assert root.organization == committee
    by_name = {n.organization: n for n in root.children}
    a, b = by_name[branch_a], by_name[branch_b]
    assert (a.name, a.member_count, [s.person_name for s in a.secretaries]) == (
        "甲局机关党支部",
        2,
        ["甲书记"],
    )
    assert [c.name for c in a.children] == ["甲局第一党小组"]
    assert ("secondary", "未录入换届") in a.warnings
    assert ("danger", "缺书记") in b.warnings
    assert any("换届已逾期" in text for _, text in b.warnings)


def test_tree_on_a_past_day_shows_the_old_names_and_parents(staff, committee, branch_a, branch_b):
    services.organization_rename(
        actor=staff, organization=branch_a, new_name="甲局新支部", date=D(2025, 1, 1)
    )
    services.organization_dissolve(actor=staff, organization=branch_b, date=D(2025, 1, 1))
    (root,) = selectors.organization_tree(staff, D(2024, 6, 1))
    assert sorted(n.name for n in root.children) == ["乙局机关党支部", "甲局机关党支部"]
    (root,) = selectors.organization_tree(staff, D(2025, 6, 1))
    assert [n.name for n in root.children] == ["甲局新支部"]


def test_secretary_tree_starts_at_their_branch(secretary, branch_a, group_a, branch_b):
    roots = selectors.organization_tree(secretary)
    assert [n.organization for n in roots] == [branch_a]
    assert {n.organization for n in flatten(roots)} == {branch_a, group_a}


def test_tree_query_count_does_not_grow_with_the_tree(staff, committee, django_assert_num_queries):
    size = big_tree(committee, 450)
    assert size > 400
    # Two queries whatever the size: the organizations (with names, parents, member counts and
    # terms as of the day, as subqueries) and the prefetch of the secretaries in office.
    with django_assert_num_queries(2):
        nodes = list(flatten(selectors.organization_tree(staff)))
    assert len(nodes) == size
    assert sum(1 for n in nodes if any(text == "缺书记" for _, text in n.warnings)) > 0


def test_tree_page_query_count_is_fixed(staff_client, committee, django_assert_max_num_queries):
    big_tree(committee, 300)
    url = reverse("organizations:tree")
    # Drawn once: the tree's two queries and the cache's reads and write, whatever the size.
    with django_assert_max_num_queries(15):
        drawn = staff_client.get(url)
    assert drawn.content.decode().count("data-org=") == Organization.objects.count()
    # Then read back while no record changes: session, user, the records' version, the stored tree
    # and the user's organization for the header; no other organization is fetched.
    with CaptureQueriesContext(connection) as queries:
        again = staff_client.get(url)
    assert len(queries) == 5
    assert sum("organizations_organization" in q["sql"] for q in queries.captured_queries) == 1

    def tree_of(response):
        page = response.content.decode()
        return page[page.index('<div id="org-tree">') :]

    assert tree_of(again) == tree_of(drawn)


def test_the_stored_tree_follows_every_write_and_the_day(staff, staff_client, committee, branch_a):
    url = reverse("organizations:tree")
    assert "甲局机关党支部" in staff_client.get(url).content.decode()
    services.organization_rename(
        actor=staff, organization=branch_a, new_name="丙局机关党支部", date=dates.today()
    )
    page = staff_client.get(url).content.decode()
    assert "丙局机关党支部" in page and "甲局机关党支部" not in page
    # Another day is another tree: the name before the rename.
    yesterday = dates.today() - datetime.timedelta(days=1)
    assert "甲局机关党支部" in staff_client.get(url, {"date": yesterday.isoformat()}).content.decode()


def test_a_secretarys_tree_is_drawn_each_time(secretary, client, branch_a, branch_b):
    from jiguan.data_version import stored_key

    client.force_login(secretary)
    page = client.get(reverse("organizations:tree")).content.decode()
    assert branch_a.name in page and branch_b.name not in page
    key = stored_key(f"organizations:tree:{dates.today().isoformat()}", year=dates.today().year)
    from django.core.cache import cache

    assert cache.get(key) is None  # only the whole county's tree is stored


def test_list_page_query_count_is_fixed(staff_client, committee, django_assert_num_queries):
    big_tree(committee, 300)
    url = reverse("organizations:list")
    staff_client.get(url, {"kind": Kind.BRANCH})  # the session saved; the rows counted, the count stored
    # Session and user (2), the records' version and the stored count (data_version.count), the page
    # of rows (parent, unit, member count, secretary and term joined or as subqueries), the units for
    # the filter's choices, the user's organization for the header.
    with django_assert_num_queries(7):
        response = staff_client.get(url, {"kind": Kind.BRANCH})
    assert response.status_code == 200


def test_terms_page_shows_a_page_of_each_list(staff_client, committee, django_assert_num_queries):
    from organizations.views import TERMS_PER_PAGE

    big_tree(committee, 300)
    day = dates.today()
    overdue = selectors.terms_overdue(day).count()
    assert overdue > TERMS_PER_PAGE
    # Session and user (2), each list's count and (the overdue one: none expire soon here) its page
    # of rows, the user's organization for the header, and the session saved (3): 9 however many
    # terms have ended.
    assert not selectors.terms_expiring(day).exists()
    with django_assert_num_queries(9):
        body = staff_client.get(reverse("organizations:terms")).content.decode()
    overdue_part = body[body.index('id="overdue"') : body.index('id="expiring"')]
    assert overdue_part.count("<tr") == TERMS_PER_PAGE + 1  # the header row and a page
    assert "o-page=2" in overdue_part


def test_tree_page_shows_kind_count_and_warnings(staff_client, staff, committee, branch_a):
    make_member(branch_a)
    body = staff_client.get(reverse("organizations:tree")).content.decode()
    assert "甲局机关党支部" in body and "党支部" in body and "党员1名" in body and "缺书记" in body
    assert "<details" in body


def test_a_committee_counts_the_members_of_its_branches(staff, committee, branch_a, group_a, branch_b):
    make_member(branch_a)
    make_member(branch_a)
    make_member(group_a)
    make_member(branch_b)
    (root,) = selectors.organization_tree(staff)
    by_org = {n.organization: n for n in flatten([root])}
    assert by_org[committee].member_count == 0  # nobody belongs to the committee itself
    assert by_org[committee].total_member_count == 4
    assert by_org[branch_a].total_member_count == 3
    assert by_org[group_a].total_member_count == 1
    assert by_org[branch_b].total_member_count == 1


def test_tree_page_shows_the_committee_with_everyone_below_it(staff_client, committee, branch_a, branch_b):
    for _ in range(3):
        make_member(branch_a)
    make_member(branch_b)
    body = staff_client.get(reverse("organizations:tree")).content.decode()
    committee_line = body[body.index(f'data-org="{committee.pk}"') :]
    committee_line = committee_line[: committee_line.index("</summary>")]
    assert "党员4名" in committee_line
    assert "党员3名" in body and "党员1名" in body


# The tree's markup as templates/organizations/tree.html wrote it with template tags per
# organization, before organization_tree wrote it in Python.
TREE_LOOP = """{% for entry in entries %}{% if entry.close %}</ul>
</details>{% if entry.in_item %}</li>{% endif %}{% else %}{% with node=entry.node %}{% if entry.in_item %}<li>{% endif %}{% if entry.leaf %}<div class="org-node org-leaf ms-3" data-org="{{ node.pk }}">{% else %}<details class="org-node" {% if entry.depth < 2 %}open{% endif %} data-org="{{ node.pk }}">
<summary>{% endif %}<a href="{% url 'organizations:detail' node.pk %}" class="org-name">{{ node.name }}</a>
<span class="badge text-bg-light border">{{ node.organization.get_kind_display }}</span>
<span class="small text-muted">党员{{ node.total_member_count }}名{% for s in node.secretaries %} · 书记：{{ s.person_name }}{% endfor %}</span>
{% for level, text in node.warnings %}<span class="badge text-bg-{{ level }} org-warning">{{ text }}</span>{% endfor %}
{% if entry.leaf %}</div>{% if entry.in_item %}</li>{% endif %}{% else %}</summary>
<ul class="list-unstyled ms-4 mb-1">{% endif %}{% endwith %}{% endif %}{% endfor %}"""


def test_the_tree_is_written_as_the_template_loop_wrote_it(staff, committee):
    from django.template import Context, Template

    big_tree(committee, 40)
    OrganizationVersion.objects.filter(name="机关党委1").update(name="机关党委<1>")  # escaped alike
    entries = selectors.tree_entries(selectors.organization_tree(staff, dates.today()))
    assert any(e.node and e.node.warnings for e in entries) and any(
        e.node and e.node.secretaries for e in entries
    )
    context = Context({"entries": entries})
    written = Template("{% load organization_tree %}{% organization_tree entries %}").render(context)
    assert "机关党委&lt;1&gt;" in written
    assert written == Template(TREE_LOOP).render(context)


def test_the_list_counts_members_on_the_roster_and_sorts_by_them(staff, committee, branch_a, branch_b):
    for _ in range(3):
        make_member(branch_a)
    gone = make_member(branch_b)
    make_member(branch_b)
    type(gone).objects.filter(pk=gone.pk).update(left_on=D(2020, 1, 1))
    rows = list(selectors.organization_list(staff).order_by("-member_count", "name"))
    counts = {o.pk: o.member_count for o in rows}
    assert counts[branch_a.pk] == 3 and counts[branch_b.pk] == 1 and counts[committee.pk] == 0
    assert [o.pk for o in rows][:2] == [branch_a.pk, branch_b.pk]

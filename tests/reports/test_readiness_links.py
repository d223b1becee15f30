"""The readiness page links a finding to its fix only for a user who may make it (issue 10: the crawl
found leadership shown 填写防控表, 登记述职 and 核定缴费基数, each answering 403)."""

import pytest

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

FIX_PATHS = ("/integrity/risk-forms/member/", "/evaluations/reports/organization/", "/dues/member/")


@pytest.fixture
def member(branch_a):
    # No risk form for the year, no dues base, and branch_a's secretary has not reported.
    return MemberFactory(organization=branch_a, name="王五")


def _fix_links(client, committee, member):
    page = client.get(f"/reports/{committee.pk}/2026/readiness/").content.decode()
    assert "王五" in page
    return {path for path in FIX_PATHS if f'href="{path}' in page}


def test_staff_are_offered_the_fixes(staff_client, committee, member):
    assert _fix_links(staff_client, committee, member) == set(FIX_PATHS)


def test_leadership_reads_the_findings_without_links_to_forms_it_may_not_use(
    leader_client, committee, member
):
    assert _fix_links(leader_client, committee, member) == set()
    for path in (f"/integrity/risk-forms/member/{member.pk}/", f"/dues/member/{member.pk}/base/"):
        assert leader_client.get(path).status_code == 403  # the links were right to go


def test_a_secretary_sees_the_parent_organization_named_not_linked(secretary_client, committee, branch_a):
    page = secretary_client.get(f"/organizations/{branch_a.pk}/").content.decode()
    assert committee.name in page
    assert f'href="/organizations/{committee.pk}/"' not in page
    assert secretary_client.get(f"/organizations/{committee.pk}/").status_code == 404


def test_staff_follow_the_parent_link(staff_client, committee, branch_a):
    page = staff_client.get(f"/organizations/{branch_a.pk}/").content.decode()
    assert f'href="/organizations/{committee.pk}/"' in page

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import reverse

from organizations.models import Organization
from organizations.scoping import get_scoped_or_404, get_visible_organization, visible_organizations

pytestmark = pytest.mark.django_db


def test_staff_and_leadership_see_everything(staff, leader, branch_a, branch_b, group_a):
    assert visible_organizations(staff).count() == Organization.objects.count() == 4
    assert visible_organizations(leader).count() == 4


def test_secretary_sees_only_their_subtree(secretary, branch_a, group_a, branch_b):
    assert set(visible_organizations(secretary)) == {branch_a, group_a}


def test_signed_out_sees_nothing(branch_a):
    from django.contrib.auth.models import AnonymousUser

    assert visible_organizations(AnonymousUser()).count() == 0


def test_secretary_gets_404_for_another_organization(secretary_client, branch_b, branch_a):
    assert secretary_client.get(reverse("organizations:detail", args=[branch_b.pk])).status_code == 404
    assert secretary_client.get(reverse("organizations:detail", args=[branch_a.pk])).status_code == 200


def test_not_found_page_is_chinese(secretary_client):
    response = secretary_client.get("/organizations/999999/")
    assert response.status_code == 404
    assert "没有找到" in response.content.decode()


def test_malformed_url_is_404_not_a_traceback(staff_client, staff, committee):
    response = staff_client.get("/organizations/abc/")
    assert response.status_code == 404  # the URL's int converter answers
    # A malformed key that the URL lets through reaches the scoping code, which answers 404 too.
    content_type = ContentType.objects.get_for_model(Organization)
    staff_client.raise_request_exception = True
    response = staff_client.get(reverse("history", args=[content_type.pk, "abc"]))
    assert response.status_code == 404
    for lookup in ("abc", None, "1.5"):
        with pytest.raises(Http404):
            get_visible_organization(staff, lookup)
        with pytest.raises(Http404):
            get_scoped_or_404(Organization.objects.all(), staff, pk=lookup)


def test_history_of_another_subtree_is_hidden(secretary_client, branch_b):
    content_type = ContentType.objects.get_for_model(Organization)
    url = reverse("history", args=[content_type.pk, branch_b.pk])
    assert secretary_client.get(url).status_code == 404

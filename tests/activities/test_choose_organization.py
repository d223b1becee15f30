"""Staff recording an activity choose the organizing organization first; the form then offers the
members of that organization's subtree as attendees (a reload by activity_form.js when the picker
picks, or a no-JS button)."""

from django.urls import reverse

from tests.activities.helpers import make_member

CREATE = reverse("activities:create")


def test_before_an_organization_is_chosen_staff_get_the_chooser_not_the_attendees(client, staff, branch_a):
    client.force_login(staff)
    response = client.get(CREATE)
    assert "attendees" not in response.context["form"].fields
    page = response.content.decode()
    assert 'name="choose_attendees"' in page and "选择参加党员" in page
    # The reload is done by a static file (no inline script), told where to reload.
    assert 'data-choose-organization="/activities/new/"' in page
    assert 'src="/static/activities/activity_form.js"' in page and "<script>" not in page


def test_the_chosen_organizations_subtree_is_offered(client, staff, branch_a, group_a, branch_b):
    in_branch = make_member(branch_a, "甲支部党员")
    in_group = make_member(group_a, "甲小组党员")
    make_member(branch_b, "乙支部党员")
    client.force_login(staff)
    response = client.get(CREATE, {"organization": branch_a.pk})
    offered = list(response.context["form"].fields["attendees"].queryset)
    assert set(offered) == {in_branch, in_group}
    page = response.content.decode()
    assert "甲小组党员" in page and "乙支部党员" not in page
    assert response.context["form"]["organization"].value() == branch_a.pk


def test_the_no_javascript_button_reloads_with_the_organization(client, staff, branch_a):
    client.force_login(staff)
    response = client.post(
        CREATE, {"organization": branch_a.pk, "kind": "THEME_DAY", "choose_attendees": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{CREATE}?organization={branch_a.pk}&kind=THEME_DAY"
    # the date typed is kept, and the members offered are those of that day
    response = client.post(
        CREATE,
        {"organization": branch_a.pk, "kind": "THEME_DAY", "date": "2024-05-01", "choose_attendees": "1"},
    )
    assert response["Location"] == f"{CREATE}?organization={branch_a.pk}&kind=THEME_DAY&date=2024-05-01"
    assert "attendees" in client.get(response["Location"]).context["form"].fields


def test_an_organization_outside_the_secretarys_subtree_offers_nobody(client, secretary, branch_b):
    make_member(branch_b, "乙支部党员")
    client.force_login(secretary)
    response = client.post(CREATE, {"organization": branch_b.pk, "choose_attendees": "1"})
    assert response["Location"] == CREATE

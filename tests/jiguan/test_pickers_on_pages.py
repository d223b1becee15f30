"""Organization pickers on the pages: no page ships the organizations as <option>s; the server still
decides (an id posted outside the user's scope, or of an organization that did not exist on the
record's day, is refused with a message naming the field); a name typed without JavaScript is
looked up."""

import datetime
import re

import pytest
from django.urls import reverse

from activities.models import Activity
from members.models import Member
from organizations import services
from organizations.models import Kind
from tests.factories import OrganizationFactory, id_number_for

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def many(committee):
    """Sixty branches: a page listing them as options would show it."""
    return [
        OrganizationFactory(kind=Kind.BRANCH, name=f"测试局第{n}党支部", parent=committee) for n in range(60)
    ]


PAGES = [
    "activities:create",
    "activities:list",
    "members:create",
    "members:transfer_in",
    "members:roster",
    "members:prospects",
    "members:prospect_create",
    "members:commendation_create",
    "organizations:found",
    "organizations:liaison_create",
    "activities:letter_write",
    "reports:index",
    "reports:dashboard",
    "accounts:create",
]


@pytest.mark.parametrize("name", PAGES)
def test_no_page_ships_the_organizations_as_options(staff_client, many, name):
    response = staff_client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    assert not [o for o in options if "测试局" in o], options
    assert "data-picker" in html


def test_the_pickers_say_where_to_search_and_which_date_they_follow(staff_client, branch_a):
    html = staff_client.get(reverse("activities:create")).content.decode()
    pickers = re.findall(r'<div class="picker" data-picker ([^>]*)>', html)
    assert any('data-name="organization"' in p and 'data-date-field="date"' in p for p in pickers)
    assert any('data-name="joined_organizations"' in p and "data-multiple" in p for p in pickers)
    organization_pickers = [p for p in pickers if "organization" in p]
    assert len(organization_pickers) == 2
    assert all('data-url="/organizations/pick/"' in p for p in organization_pickers)
    # The people visited are picked from the roster of the activity's day.
    assert any('data-url="/members/pick/"' in p and 'data-date-field="date"' in p for p in pickers)
    assert 'role="combobox"' in html and 'aria-controls="id_organization_listbox"' in html


def test_an_id_out_of_the_secretarys_scope_is_refused(client, secretary, branch_a, branch_b):
    client.force_login(secretary)
    response = client.post(
        reverse("activities:create"),
        {"organization": branch_b.pk, "kind": "THEME_DAY", "date": "2025-05-01", "title": "越界"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in " ".join(response.context["form"].errors["organization"])
    assert branch_b.name not in response.content.decode()  # its name is not revealed either
    assert not Activity.objects.exists()


def test_an_organization_not_existing_on_the_day_is_refused_on_the_page(
    staff, staff_client, branch_a, branch_b
):
    services.organization_dissolve(actor=staff, organization=branch_b, date=D(2024, 1, 1))
    response = staff_client.post(
        reverse("activities:create"),
        {
            "organization": branch_a.pk,
            "joined_organizations": [branch_b.pk],
            "kind": "THEME_DAY",
            "date": "2024-05-01",
            "title": "联合主题党日",
        },
    )
    assert response.status_code == 200
    assert "“乙局机关党支部”已于2024年1月1日撤销，2024年5月1日已不存在" in response.content.decode()
    response = staff_client.post(
        reverse("activities:create"),
        {
            "organization": branch_a.pk,
            "joined_organizations": [branch_b.pk],
            "kind": "THEME_DAY",
            "date": "2023-05-01",
            "title": "联合主题党日",
        },
    )
    assert response.status_code == 302
    assert list(Activity.objects.get().joined_organizations.all()) == [branch_b]


def test_a_name_typed_without_javascript_is_looked_up(staff_client, branch_a, branch_b):
    response = staff_client.post(
        reverse("activities:create"),
        {
            "organization__text": "甲局机关党支部",
            "joined_organizations__text": "乙局机关党支部",
            "kind": "THEME_DAY",
            "date": "2025-05-01",
            "title": "手填名称",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.organization == branch_a and list(activity.joined_organizations.all()) == [branch_b]
    response = staff_client.post(
        reverse("activities:create"),
        {"organization__text": "丙局", "kind": "THEME_DAY", "date": "2025-05-01", "title": "无此组织"},
    )
    assert "没有找到名为“丙局”的党组织" in response.content.decode()


def test_a_filter_takes_a_picked_or_typed_organization(staff_client, branch_a, branch_b):
    from tests.factories import MemberFactory

    MemberFactory(organization=branch_a, name="甲支部党员")
    MemberFactory(organization=branch_b, name="乙支部党员")
    for query in ({"organization": branch_a.pk}, {"organization__text": "甲局机关党支部"}):
        html = staff_client.get(reverse("members:roster"), query).content.decode()
        assert "甲支部党员" in html and "乙支部党员" not in html


def test_a_member_joins_an_organization_founded_after_their_admission(staff_client, committee):
    later = OrganizationFactory(
        kind=Kind.BRANCH, name="后设党支部", parent=committee, founded_on=D(2020, 1, 1)
    )
    html = staff_client.get(reverse("members:create")).content.decode()
    assert 'data-date-field="admitted_on" data-date-mode="since"' in html
    response = staff_client.post(
        reverse("members:create"),
        {
            "name": "老党员",
            "gender": "M",
            "id_number": id_number_for(D(1960, 1, 1)),
            "organization": later.pk,
            "category": "RETIRED",
            "admitted_on": "1985-07-01",
            "confirmed_on": "1986-07-01",
        },
    )
    assert response.status_code == 302
    assert Member.objects.get().versions.get().valid_from == D(2020, 1, 1)


def test_the_organization_chosen_is_named_as_it_was_on_the_forms_date(staff, staff_client, branch_a):
    services.organization_rename(
        actor=staff, organization=branch_a, new_name="甲局第一党支部", date=D(2024, 1, 1)
    )
    url = reverse("activities:create")
    html = staff_client.get(url, {"organization": branch_a.pk, "date": "2023-05-04"}).content.decode()
    assert 'value="甲局机关党支部"' in html
    html = staff_client.get(url, {"organization": branch_a.pk, "date": "2024-05-04"}).content.decode()
    assert 'value="甲局第一党支部"' in html

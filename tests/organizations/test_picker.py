"""The organization picker's search (organizations:pick): by name and pinyin initials, within the
user's scope, as the tree stood on the record's day, and fast on stored keys."""

import datetime

import pytest
from django.urls import reverse

from organizations import selectors, services
from organizations.models import Kind, Organization, OrganizationVersion
from tests.factories import OrganizationFactory

D = datetime.date
PICK = reverse("organizations:pick")


def names(response):
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def health(committee):
    return OrganizationFactory(kind=Kind.BRANCH, name="卫生健康局机关第一党支部", parent=committee)


def test_the_search_keys_are_stored_with_the_name(health):
    version = OrganizationVersion.objects.get(organization=health)
    assert version.name_initials == "wsjkjjgdydzb"
    assert version.name_pinyin.startswith("weishengjiankangju")


def test_pinyin_initials_find_the_organization(staff_client, health, branch_a):
    assert names(staff_client.get(PICK, {"q": "wsj"})) == ["卫生健康局机关第一党支部"]
    assert names(staff_client.get(PICK, {"q": "WSJ"})) == ["卫生健康局机关第一党支部"]
    assert names(staff_client.get(PICK, {"q": "weisheng"})) == ["卫生健康局机关第一党支部"]
    assert names(staff_client.get(PICK, {"q": "健康局"})) == ["卫生健康局机关第一党支部"]
    assert names(staff_client.get(PICK, {"q": "甲局"})) == ["甲局机关党支部"]


def test_a_secretary_finds_only_their_subtree(client, secretary, health, branch_b):
    client.force_login(secretary)
    assert names(client.get(PICK, {"q": "党"})) == ["甲局机关党支部", "甲局第一党小组"]
    assert names(client.get(PICK, {"q": "wsj"})) == []
    assert client.get(PICK, {"ids": f"{branch_b.pk}"}).json()["results"] == []


def test_signed_out_gets_the_sign_in_page(client, health):
    assert client.get(PICK, {"q": "wsj"}).status_code == 302


def test_on_a_day_it_offers_what_existed_named_as_then(staff, staff_client, committee, health):
    services.organization_rename(
        actor=staff, organization=health, new_name="卫健局机关第一党支部", date=D(2020, 3, 1)
    )
    late = OrganizationFactory(
        kind=Kind.BRANCH, name="卫生新设党支部", parent=committee, founded_on=D(2022, 1, 1)
    )
    services.organization_dissolve(actor=staff, organization=late, date=D(2023, 1, 1))

    assert names(staff_client.get(PICK, {"q": "wsj", "day": "2019-05-01"})) == ["卫生健康局机关第一党支部"]
    assert names(staff_client.get(PICK, {"q": "wjj", "day": "2021-05-01"})) == ["卫健局机关第一党支部"]
    assert names(staff_client.get(PICK, {"q": "卫生", "day": "2022-06-01"})) == ["卫生新设党支部"]
    assert names(staff_client.get(PICK, {"q": "卫生", "day": "2023-01-01"})) == []
    # Without a day: every organization ever in scope, found by any of its names, named as today.
    rows = staff_client.get(PICK, {"q": "卫生"}).json()["results"]
    assert [(r["name"], r["note"]) for r in rows] == [
        ("卫生新设党支部", "2023年1月1日撤销"),  # the name starts with what was typed: first
        ("卫健局机关第一党支部", ""),  # found by its former name
    ]


def test_ids_are_reread_for_a_new_day(staff, staff_client, committee, health):
    services.organization_dissolve(actor=staff, organization=health, date=D(2023, 1, 1))
    rows = staff_client.get(PICK, {"ids": f"{health.pk}", "day": "2022-12-31"}).json()["results"]
    assert [(r["name"], r["exists"]) for r in rows] == [("卫生健康局机关第一党支部", True)]
    rows = staff_client.get(PICK, {"ids": f"{health.pk}", "day": "2023-01-01"}).json()["results"]
    assert [(r["name"], r["exists"]) for r in rows] == [("卫生健康局机关第一党支部", False)]


def test_kinds_current_and_exclude_narrow_the_search(
    staff, staff_client, committee, branch_a, group_a, branch_b
):
    assert names(staff_client.get(PICK, {"q": "党", "kinds": "PARTY_GROUP"})) == ["甲局第一党小组"]
    services.organization_dissolve(actor=staff, organization=branch_b, date=D(2023, 1, 1))
    assert "乙局机关党支部" not in names(staff_client.get(PICK, {"q": "党", "current": "1"}))
    assert "甲局机关党支部" not in names(staff_client.get(PICK, {"q": "党", "exclude": str(branch_a.pk)}))


def test_best_matches_first_and_at_most_twenty(staff_client, committee):
    for n in range(25):
        OrganizationFactory(kind=Kind.BRANCH, name=f"交通运输局第{n}党支部", parent=committee)
    OrganizationFactory(kind=Kind.BRANCH, name="县交通运输局党支部", parent=committee)
    data = staff_client.get(PICK, {"q": "县交通"}).json()
    assert [r["name"] for r in data["results"]] == ["县交通运输局党支部"]
    data = staff_client.get(PICK, {"q": "交通"}).json()
    assert len(data["results"]) == 20 and data["more"] is True
    assert data["results"][0]["name"] == "交通运输局第0党支部"


@pytest.mark.parametrize("day", [None, D(2024, 1, 1)])
def test_a_search_is_one_query_whatever_the_tree(committee, day, django_assert_num_queries):
    for n in range(30):
        OrganizationFactory(kind=Kind.BRANCH, name=f"测试局第{n}党支部", parent=committee)
    with django_assert_num_queries(1):
        rows, more = selectors.organization_choices(Organization.objects.all(), text="csj", day=day)
    assert len(rows) == 20 and more

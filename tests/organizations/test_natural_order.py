"""Issue 10: names sort as people expect: 第一、第二 … 第十一 in order, then by pinyin."""

import datetime

import pytest
from django.urls import reverse

from jiguan.pinyin import sort_key
from organizations.models import Kind
from organizations.selectors import organization_children, organization_tree
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def test_ordinals_in_chinese_and_digits_sort_as_numbers_and_the_rest_by_pinyin():
    names = [
        "第十一党支部",
        "第二党支部",
        "第一党支部",
        "第10党支部",
        "第三党支部",
        "张三",
        "王五",
        "李四",
        "统一战线",
    ]
    assert sorted(names, key=sort_key) == [
        "第一党支部",
        "第二党支部",
        "第三党支部",
        "第10党支部",
        "第十一党支部",
        "李四",
        "统一战线",
        "王五",
        "张三",
    ]


def test_the_tree_and_the_organizations_page_list_branches_in_ordinal_order(staff, staff_client, committee):
    for ordinal in reversed(ORDINALS):
        OrganizationFactory(
            kind=Kind.BRANCH,
            name=f"甲局机关第{ordinal}党支部",
            parent=committee,
            founded_on=datetime.date(2010, 1, 1),
        )
    expected = [f"甲局机关第{o}党支部" for o in ORDINALS]
    tree = organization_tree(staff)
    assert [node.name for node in tree[0].children] == expected
    assert [o.name for o in organization_children(committee, staff)] == expected
    html = staff_client.get(reverse("organizations:tree")).content.decode()
    positions = [html.index(name) for name in expected]
    assert positions == sorted(positions)


def test_the_root_shows_no_empty_term(staff_client, committee, branch_a):
    html = staff_client.get(reverse("organizations:detail", args=[committee.pk])).content.decode()
    assert "—年" not in html and ">任期</dt>" not in html
    html = staff_client.get(reverse("organizations:detail", args=[branch_a.pk])).content.decode()
    assert ">任期</dt>" in html  # a branch has its term (3 years)

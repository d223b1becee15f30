"""Issue 10: names in the order people expect, on every list and picker, sorted by the database
(NameOrderField): 第一、第二 … 第十一 by ordinal, people and units by pinyin, 中共 not read."""

import datetime
import json

import pytest

from jiguan.pinyin import order_key
from organizations.models import Kind, Organization, Unit
from tests.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ORDINALS = ["第一", "第二", "第三", "第九", "第十", "第十一", "第二十"]


def test_the_key_reads_ordinals_as_numbers_and_names_by_pinyin():
    keys = [order_key(f"卫生局{n}党支部") for n in ORDINALS]
    assert keys == sorted(keys)
    assert order_key("王五") < order_key("张三") < order_key("赵四")
    assert order_key("中共县审计局党支部") == order_key("县审计局党支部")
    assert order_key("2号党支部") < order_key("11号党支部")


@pytest.fixture
def branches(committee):
    shuffled = [ORDINALS[i] for i in (5, 0, 3, 6, 1, 4, 2)]
    return [
        OrganizationFactory(
            kind=Kind.BRANCH, name=f"卫生局{n}党支部", parent=committee, founded_on=datetime.date(2010, 1, 1)
        )
        for n in shuffled
    ]


def _positions(page, names):
    return [page.index(name) for name in names]


def test_lists_and_pickers_put_branches_in_ordinal_order(staff_client, branches):
    names = [f"卫生局{n}党支部" for n in ORDINALS]
    assert [o.name for o in Organization.objects.filter(name__startswith="卫生局")] == names
    page = staff_client.get("/organizations/list/").content.decode()
    positions = _positions(page, [f">{name}<" for name in names])
    assert positions == sorted(positions)
    found = json.loads(staff_client.get("/organizations/pick/", {"q": "卫生局"}).content)
    picked = [row["name"] for row in found["results"]]
    assert picked == names
    dated = json.loads(staff_client.get("/organizations/pick/", {"q": "卫生局", "day": "2020-01-01"}).content)
    assert [row["name"] for row in dated["results"]] == names


def test_the_roster_and_units_read_by_pinyin(staff_client, branch_a):
    for name in ("赵四", "王五", "张三", "艾一"):
        MemberFactory(organization=branch_a, name=name)
    page = staff_client.get("/members/").content.decode()
    positions = _positions(page, [f">{n}<" for n in ("艾一", "王五", "张三", "赵四")])
    assert positions == sorted(positions)
    sorted_page = staff_client.get("/members/", {"sort": "-name"}).content.decode()
    positions = _positions(sorted_page, [f">{n}<" for n in ("赵四", "张三", "王五", "艾一")])
    assert positions == sorted(positions)
    for name in ("中共财政局", "审计局", "安监局"):
        Unit.objects.create(name=name)
    assert [u.name for u in Unit.objects.all()] == ["安监局", "中共财政局", "审计局"]

"""An empty list says what to do next where the user can act, not only "暂无…"."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url,words",
    [
        ("activities:list", "没有符合条件的活动。可调整筛选，或点击“记录活动”录入。"),
        ("members:roster", "没有符合条件的党员。可调整筛选，或点击“登记党员”。"),
        ("members:commendations", "暂无表彰记录。点击“记录表彰”录入。"),
        ("organizations:liaisons", "暂无联系点。点击“添加联系点”登记。"),
    ],
)
def test_an_empty_list_says_what_to_do_next(staff_client, url, words):
    page = staff_client.get(reverse(url)).content.decode()
    assert words in page


def test_a_drill_down_to_zero_says_there_are_no_records(leader_client, committee):
    page = leader_client.get(reverse("reports:records", args=[committee.pk, 2021, "orgs_branches"]))
    assert page.status_code == 200
    assert "没有计入该指标的记录。" in page.content.decode()

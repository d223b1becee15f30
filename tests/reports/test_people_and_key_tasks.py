"""condolence_persons counts people, not names; work_plan_key_tasks counts the items marked key tasks.
Both entered through the pages, as staff enter them."""

import datetime

import pytest
from django.urls import reverse

from activities.models import ActivityKind, CondolenceVisit, ResponsibilityItem
from reports.metrics import compute_all
from tests.activities.helpers import visits_data
from tests.factories import MemberFactory, id_number_for

pytestmark = pytest.mark.django_db
D = datetime.date


def record_visit(client, organization, day, *rows):
    response = client.post(
        reverse("activities:create"),
        {
            "organization": organization.pk,
            "kind": ActivityKind.CONDOLENCE_VISIT,
            "date": day.isoformat(),
            "title": f"走访慰问{day}",
            **visits_data(*rows),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return response


def test_people_visited_are_counted_once_each_and_namesakes_twice(staff_client, committee, branch_a):
    veteran = MemberFactory(organization=branch_a, name="王大爷")
    known = id_number_for(D(1950, 2, 2), "F")
    # 1 July: the member, two different people both called 张三 (no ID numbers), 李奶奶 with hers.
    record_visit(
        staff_client,
        branch_a,
        D(2025, 7, 1),
        {"member": veteran.pk, "amount": "500"},
        {"person_name": "张三", "amount": "300"},
        {"person_name": "张三", "amount": "300"},
        {"person_name": "李奶奶", "id_number": known, "amount": "400"},
    )
    # Spring festival: the member again, 李奶奶 again (same ID number), and the member once more,
    # typed as an outsider with his ID number: the same person.
    record_visit(
        staff_client,
        committee,
        D(2025, 1, 20),
        {"member": veteran.pk, "amount": "500"},
        {"person_name": "李奶奶", "id_number": known, "amount": "400"},
        {"person_name": "王大爷", "id_number": veteran.id_number, "amount": "100"},
    )
    assert CondolenceVisit.objects.count() == 7
    values = compute_all(committee, 2025, codes=["condolence_persons", "condolence_amount_wan"])
    # 王大爷, 张三, the other 张三, 李奶奶
    assert values["condolence_persons"] == 4
    assert values["condolence_amount_wan"] == pytest.approx(0.25)  # 2,500 yuan


def test_the_drill_down_says_who_is_a_member(staff_client, committee, branch_a):
    veteran = MemberFactory(organization=branch_a, name="王大爷")
    record_visit(
        staff_client,
        branch_a,
        D(2025, 7, 1),
        {"member": veteran.pk, "amount": "500"},
        {"person_name": "张三", "amount": "300"},
    )
    body = staff_client.get(reverse("reports:records", args=[committee.pk, 2025, "condolence_persons"]))
    html = body.content.decode()
    assert "党员" in html and "非党员" in html


def test_a_person_outside_the_scope_or_the_roster_is_refused_on_the_page(
    client, secretary, branch_a, branch_b
):
    stranger = MemberFactory(organization=branch_b, name="乙支部党员")
    client.force_login(secretary)
    response = client.post(
        reverse("activities:create"),
        {
            "organization": branch_a.pk,
            "kind": ActivityKind.CONDOLENCE_VISIT,
            "date": "2025-07-01",
            "title": "走访",
            **visits_data({"member": stranger.pk, "amount": "100"}),
        },
    )
    assert response.status_code == 200
    assert "请按提示修改走访慰问对象" in response.content.decode()
    assert response.context["visits"].forms[0].errors["member"]
    assert not CondolenceVisit.objects.exists()


def test_an_invalid_id_number_is_refused_on_its_row(staff_client, branch_a):
    response = staff_client.post(
        reverse("activities:create"),
        {
            "organization": branch_a.pk,
            "kind": ActivityKind.CONDOLENCE_VISIT,
            "date": "2025-07-01",
            "title": "走访",
            **visits_data({"person_name": "赵阿姨", "id_number": "12345", "amount": "100"}),
        },
    )
    assert response.status_code == 200
    assert "公民身份号码应为18位" in response.content.decode()


def test_editing_a_visit_keeps_its_people(staff_client, branch_a):
    veteran = MemberFactory(organization=branch_a, name="王大爷")
    record_visit(
        staff_client, branch_a, D(2025, 7, 1), {"member": veteran.pk, "amount": "500", "note": "老党员"}
    )
    visit = CondolenceVisit.objects.get()
    form = staff_client.get(reverse("activities:edit", args=[visit.activity_id])).context["visits"]
    assert form.forms[0].initial["member"] == veteran.pk and form.forms[0].initial["note"] == "老党员"
    html = staff_client.get(reverse("activities:detail", args=[visit.activity_id])).content.decode()
    assert reverse("members:detail", args=[veteran.pk]) in html


def test_only_items_marked_key_tasks_are_counted(staff_client, committee):
    staff_client.post(
        reverse("activities:list_create"),
        {
            "kind": "WORK_POINTS",
            "prefix": "党工发",
            "title": "2025年党建工作要点",
            "issued_on": "2025-02-01",
            "year": "2025",
            "items": "加强政治建设｜中共测试县委县直机关工委｜张三｜2025-06-30｜重点\n"
            "推进学习教育｜中共测试县委县直机关工委｜｜｜重点\n做好日常工作｜中共测试县委县直机关工委｜李四",
        },
    )
    assert list(ResponsibilityItem.objects.order_by("number").values_list("task", "is_key_task")) == [
        ("加强政治建设", True),
        ("推进学习教育", True),
        ("做好日常工作", False),
    ]
    assert compute_all(committee, 2025, codes=["work_plan_key_tasks"])["work_plan_key_tasks"] == 2
    # Staff mark one more on the item's page; the number follows.
    item = ResponsibilityItem.objects.get(task="做好日常工作")
    response = staff_client.post(
        reverse("activities:item_edit", args=[item.pk]),
        {"task": item.task, "is_key_task": "on", "status": "OPEN"},
    )
    assert response.status_code == 302
    assert compute_all(committee, 2025, codes=["work_plan_key_tasks"])["work_plan_key_tasks"] == 3


def test_a_fifth_column_other_than_key_task_is_refused(staff_client, committee):
    response = staff_client.post(
        reverse("activities:list_create"),
        {
            "kind": "WORK_POINTS",
            "prefix": "党工发",
            "title": "2025年党建工作要点",
            "issued_on": "2025-02-01",
            "year": "2025",
            "items": "加强政治建设｜中共测试县委县直机关工委｜张三｜2025-06-30｜要紧",
        },
    )
    assert "第1行第五栏“要紧”" in response.content.decode()
    assert not ResponsibilityItem.objects.exists()

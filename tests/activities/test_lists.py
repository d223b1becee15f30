"""Responsibility lists: issued as documents, items with progress; open items overdue first."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities import selectors, services
from activities.models import DocumentKind, ItemStatus, ListKind

TODAY = datetime.date(2025, 7, 1)


def issue_list(staff, committee, items, **kwargs):
    return services.responsibility_list_issue(
        actor=staff,
        issuer=committee,
        prefix="党工通",
        title=kwargs.pop("title", "2025年全面从严治党主体责任清单"),
        issued_on=datetime.date(2025, 2, 1),
        items=items,
        **kwargs,
    )


def test_a_list_is_a_numbered_document_with_items(committee, branch_a, staff):
    rlist = issue_list(
        staff,
        committee,
        [
            services.ItemEntry(
                "召开专题会议", responsible_organization=branch_a, deadline=datetime.date(2025, 3, 31)
            ),
            services.ItemEntry(
                "开展警示教育", responsible_person="王委员", deadline=datetime.date(2025, 9, 30)
            ),
        ],
    )
    assert rlist.document.number == "党工通〔2025〕1号"
    assert rlist.document.kind == DocumentKind.RESPONSIBILITY_LIST
    assert [(i.number, i.task) for i in rlist.items.all()] == [(1, "召开专题会议"), (2, "开展警示教育")]


def test_work_points_items_are_key_tasks_when_marked(committee, staff):
    rlist = issue_list(
        staff,
        committee,
        [services.ItemEntry(f"重点任务{n}", is_key_task=True) for n in range(1, 19)]
        + [services.ItemEntry(f"其他事项{n}") for n in range(1, 4)],
        title="2025年党建工作要点",
        kind=ListKind.WORK_POINTS,
    )
    assert rlist.document.kind == DocumentKind.WORK_POINTS
    assert rlist.items.count() == 21
    assert rlist.items.filter(is_key_task=True).count() == 18


def test_an_item_without_a_task_stores_nothing(committee, staff):
    with pytest.raises(ValidationError) as exc:
        issue_list(staff, committee, [services.ItemEntry("有任务"), services.ItemEntry(" ")])
    assert "第2项" in exc.value.message_dict["items"][0]
    from activities.models import Document

    assert Document.objects.count() == 0


def test_progress_counts_done_total_and_overdue(committee, branch_a, staff):
    rlist = issue_list(
        staff,
        committee,
        [
            services.ItemEntry("一", deadline=datetime.date(2025, 3, 31)),
            services.ItemEntry("二", deadline=datetime.date(2025, 5, 31)),
            services.ItemEntry("三", deadline=datetime.date(2025, 12, 31)),
        ],
    )
    first, second, _ = rlist.items.all()
    services.responsibility_item_update(actor=staff, item=first, status=ItemStatus.DONE)
    services.responsibility_item_update(actor=staff, item=second, status=ItemStatus.IN_PROGRESS)
    assert selectors.list_progress(rlist, TODAY) == {"total": 3, "done": 1, "overdue": 1}
    first.refresh_from_db()
    assert first.done_on is not None


def test_evidence_activities_are_linked(committee, branch_a, staff):
    from activities.models import ActivityKind

    rlist = issue_list(staff, committee, [services.ItemEntry("开展主题党日")])
    activity = services.activity_create(
        actor=staff,
        organization=branch_a,
        kind=ActivityKind.THEME_DAY,
        date=datetime.date(2025, 3, 5),
        title="主题党日",
    )
    item = rlist.items.get()
    services.responsibility_item_update(
        actor=staff, item=item, status=ItemStatus.DONE, evidence_activities=[activity]
    )
    assert list(item.evidence_activities.all()) == [activity]


def test_open_items_overdue_first(committee, branch_a, branch_b, staff, secretary):
    rlist = issue_list(
        staff,
        committee,
        [
            services.ItemEntry(
                "未到期", responsible_organization=branch_a, deadline=datetime.date(2025, 8, 1)
            ),
            services.ItemEntry(
                "已逾期", responsible_organization=branch_a, deadline=datetime.date(2025, 6, 1)
            ),
            services.ItemEntry(
                "别人的", responsible_organization=branch_b, deadline=datetime.date(2025, 5, 1)
            ),
            services.ItemEntry(
                "已完成", responsible_organization=branch_a, deadline=datetime.date(2025, 1, 1)
            ),
        ],
    )
    done = rlist.items.get(task="已完成")
    services.responsibility_item_update(actor=staff, item=done, status=ItemStatus.DONE)
    assert [i.task for i in selectors.open_items(staff, TODAY)] == ["别人的", "已逾期", "未到期"]
    assert [i.task for i in selectors.open_items(secretary, TODAY)] == ["已逾期", "未到期"]


def test_the_overdue_badge_renders_without_a_deprecation_warning(staff, committee, branch_a):
    """format_html() without arguments is deprecated (Django 5.0) and will raise in Django 6.0."""
    import warnings

    from activities.tables import OpenItemTable

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        cell = OpenItemTable([]).render_overdue(True)
    assert "逾期" in cell and "badge" in cell

"""The report pages: permission matrix, report with drill-downs, editor and preview, readiness."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity
from members.models import Member
from organizations.models import Appointment, Election, Post
from reports.models import AnnualReport
from tests.reports import county

YEAR = 2021


def urls(org):
    return {
        "report": reverse("reports:report", args=[org.pk, YEAR]),
        "records": reverse("reports:records", args=[org.pk, YEAR, "orgs_total"]),
        "readiness": reverse("reports:readiness", args=[org.pk, YEAR]),
        "pdf": reverse("reports:download", args=[org.pk, YEAR, "pdf"]),
        "xlsx": reverse("reports:download", args=[org.pk, YEAR, "xlsx"]),
    }


READ_PAGES = ["report", "records", "readiness", "xlsx"]


@pytest.mark.parametrize("page", READ_PAGES)
def test_signed_out_goes_to_login(client, branch_a, page):
    response = client.get(urls(branch_a)[page])
    assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize("page", READ_PAGES)
def test_secretary_of_another_subtree_gets_404(client, other_secretary, branch_a, page):
    client.force_login(other_secretary)
    assert client.get(urls(branch_a)[page]).status_code == 404


@pytest.mark.parametrize("page", READ_PAGES)
def test_secretary_sees_their_own_subtree(secretary_client, branch_a, page):
    assert secretary_client.get(urls(branch_a)[page]).status_code == 200


@pytest.mark.parametrize("page", READ_PAGES)
def test_secretary_cannot_report_for_the_committee(secretary_client, committee, page):
    assert secretary_client.get(urls(committee)[page]).status_code == 404


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("who", ["staff_client", "leader_client"])
def test_staff_and_leadership_see_any_organization(request, committee, branch_b, page, who):
    client = request.getfixturevalue(who)
    assert client.get(urls(committee)[page]).status_code == 200
    assert client.get(urls(branch_b)[page]).status_code == 200


def test_index_lists_years_with_links(leader_client, committee):
    response = leader_client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert (
        reverse("reports:report", args=[committee.pk, datetime.date.today().year])
        in response.content.decode()
    )


def test_year_out_of_range_is_404(staff_client, committee):
    assert staff_client.get(reverse("reports:report", args=[committee.pk, 1800])).status_code == 404
    assert staff_client.get(reverse("reports:report", args=[committee.pk, 2999])).status_code == 404


def test_editor_is_for_staff_only(client, committee, leader, secretary, staff):
    url = reverse("reports:edit", args=[committee.pk, YEAR])
    client.force_login(leader)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x", "text": "y"}).status_code == 403
    client.force_login(secretary)
    assert client.get(url).status_code == 404  # the committee is outside their subtree
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert not AnnualReport.objects.exists()


def test_editor_refuses_unknown_placeholders_and_saves_good_text(staff_client, committee):
    url = reverse("reports:edit", args=[committee.pk, YEAR])
    response = staff_client.post(url, {"title": "总结", "text": "共{{ orgs_totl }}个"})
    assert response.status_code == 200
    assert "无法识别的占位符：{{ orgs_totl }}" in response.content.decode()
    assert not AnnualReport.objects.exists()
    response = staff_client.post(url, {"title": "总结", "text": "一、标题\n共{{ orgs_total }}个"})
    assert response.status_code == 302
    assert AnnualReport.objects.get().text == "一、标题\n共{{ orgs_total }}个"


def test_preview_renders_without_the_template_engine(staff_client, committee, branch_a):
    url = reverse("reports:preview", args=[committee.pk, YEAR])
    data = staff_client.post(url, {"text": "{{ orgs_total }}个{{ request }}{% debug %}<i>x</i>"}).json()
    assert data["html"] == "<p>1个{{ request }}{% debug %}&lt;i&gt;x&lt;/i&gt;</p>"
    assert "{{ request }}" in data["message"]


def test_preview_is_for_staff(leader_client, committee):
    assert (
        leader_client.post(reverse("reports:preview", args=[committee.pk, YEAR]), {"text": ""}).status_code
        == 403
    )


@pytest.fixture
def built(committee, branch_a, group_a, branch_b):
    return county.build(committee, branch_a, group_a, branch_b)


def test_report_links_every_number_and_shows_last_year(leader_client, built, django_assert_max_num_queries):
    # The year's metrics and last year's (16 queries each), the two lists, the text, the session: 43;
    # the 附图 add six (four breakdowns, two for the rhythm table): 49. A loop over rows would make
    # this grow with the county.
    with django_assert_max_num_queries(49):
        response = leader_client.get(reverse("reports:report", args=[built.committee.pk, YEAR]))
    html = response.content.decode()
    link = reverse("reports:records", args=[built.committee.pk, YEAR, "central_group_study_sessions"])
    assert f'href="{link}"' in html
    assert "（上年1）" in html  # one session on 31 December 2020
    assert "全年开展工委理论学习中心组学习活动" in html


def test_drill_down_lists_the_records_behind_the_number(leader_client, built):
    response = leader_client.get(reverse("reports:records", args=[built.committee.pk, YEAR, "orgs_branches"]))
    html = response.content.decode()
    for name in ("甲局机关党支部", "乙局机关第一党支部", "县委办党支部", "县自然资源局第一党支部"):
        assert name in html
    assert "明年党支部" not in html and "调出党支部" not in html
    assert (
        leader_client.get(reverse("reports:records", args=[built.committee.pk, YEAR, "nope"])).status_code
        == 404
    )


def test_drill_down_of_a_branch_stays_in_its_subtree(secretary_client, built):
    response = secretary_client.get(
        reverse("reports:records", args=[built.branch_a.pk, YEAR, "party_member_training_person_times"])
    )
    html = response.content.decode()
    assert "甲局机关党支部" in html and "外县党支部" not in html and "调出党支部" not in html


def test_readiness_finds_what_would_make_numbers_wrong(staff_client, built):
    d = datetime.date
    Appointment.objects.create(
        organization=built.branch_a, person_name="甲", post=Post.SECRETARY, start_on=d(2019, 1, 1)
    )
    Election.objects.create(
        organization=built.branch_a, term_number=1, elected_on=d(2019, 1, 1), expires_on=d(2022, 1, 1)
    )
    Election.objects.create(
        organization=built.branch_b, term_number=1, elected_on=d(2017, 1, 1), expires_on=d(2020, 1, 1)
    )
    late = county.member("迟转正", built.branch_a, admitted=d(2020, 3, 1))  # probation ended 2021-03-01
    extended = county.member("延长期", built.branch_a, admitted=d(2020, 3, 1))
    Member.objects.filter(pk=extended.pk).update(probation_extension_months=12)  # to 2022: not overdue
    response = staff_client.get(reverse("reports:readiness", args=[built.committee.pk, YEAR]))
    html = response.content.decode()
    no_secretary = html.split('id="check-no_secretary"')[1].split("</section>")[0]
    assert "县委办党支部" in no_secretary and "县自然资源局第一党支部" in no_secretary
    assert "甲局机关党支部" not in no_secretary and "乙局机关第一党支部" not in no_secretary  # both have one
    overdue = html.split('id="check-elections_overdue"')[1].split("</section>")[0]
    assert "乙局机关第一党支部（任期届满：2020年1月1日）" in overdue and "甲局机关党支部" not in overdue
    probation = html.split('id="check-probation_overdue"')[1].split("</section>")[0]
    assert late.name in probation and "延长期" not in probation
    assert reverse("members:confirm", args=[late.pk]) in probation
    missing = html.split('id="check-attendance_missing"')[1].split("</section>")[0]
    untracked = Activity.objects.filter(
        attended_count__isnull=True, date__year=YEAR, organization=built.committee
    )
    assert reverse("activities:edit", args=[untracked.first().pk]) in missing


def test_download_names_and_types(leader_client, built):
    response = leader_client.get(reverse("reports:download", args=[built.committee.pk, YEAR, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert (
        leader_client.get(reverse("reports:download", args=[built.committee.pk, YEAR, "doc"])).status_code
        == 404
    )

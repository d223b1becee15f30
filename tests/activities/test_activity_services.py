"""Recording activities of each kind, and the rules that keep bad input out."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from activities import services
from activities.models import Activity, ActivityKind, Topic
from activities.selectors import trainees_with_stage
from jiguan.models import AuditEntry
from members.models import Stage, Status
from tests.activities.helpers import make_member, make_prospect
from tests.factories import OrganizationFactory

DAY = datetime.date(2025, 5, 20)


def record(actor, organization, **overrides):
    values = {"kind": ActivityKind.THEME_DAY, "date": DAY, "title": "学习党的二十届四中全会精神"}
    values.update(overrides)
    return services.activity_create(actor=actor, organization=organization, **values)


def test_a_meeting_is_stored_with_its_topics_and_audited(branch_a, staff):
    activity = record(
        staff,
        branch_a,
        kind=ActivityKind.COMMITTEE_MEETING,
        topics=[Topic.FIRST_TOPIC, Topic.IDEOLOGY],
        expected_count=5,
        attended_count=5,
        host="张书记",
        recorder="李委员",
        minutes="第一议题：学习习近平总书记重要讲话。",
    )
    activity.refresh_from_db()
    assert sorted(t.topic for t in activity.topics.all()) == ["FIRST_TOPIC", "IDEOLOGY"]
    assert activity.host == "张书记"
    assert AuditEntry.objects.filter(object_id=str(activity.pk), action="CREATE").count() == 1


def test_attendees_set_the_attended_count(branch_a, group_a, staff):
    people = [make_member(branch_a), make_member(group_a), make_member(branch_a)]
    activity = record(staff, branch_a, attendees=people, expected_count=4, attended_count=1)
    assert activity.attended_count == 3
    assert set(activity.attendees.all()) == set(people)


def test_an_attendee_from_another_branch_is_refused(branch_a, branch_b, staff):
    stranger = make_member(branch_b, "外支部党员")
    with pytest.raises(ValidationError) as exc:
        record(staff, branch_a, attendees=[make_member(branch_a), stranger])
    assert "外支部党员" in exc.value.message_dict["attendees"][0]
    assert Activity.objects.count() == 0


def test_an_attendee_who_joined_after_the_day_is_refused(branch_a, staff):
    late = make_member(branch_a, "新党员", status=Status.PROBATIONARY, admitted_on=datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError) as exc:
        record(staff, branch_a, attendees=[late])
    assert "attendees" in exc.value.message_dict


def test_attendance_above_the_expected_count_is_refused(branch_a, staff):
    with pytest.raises(ValidationError) as exc:
        record(staff, branch_a, expected_count=10, attended_count=11)
    assert exc.value.message_dict["attended_count"] == ["实到人数（11）不能多于应到人数（10）。"]
    assert Activity.objects.count() == 0


def test_a_date_before_the_founding_is_refused(committee, staff):
    young = OrganizationFactory(parent=committee, founded_on=datetime.date(2025, 6, 10))
    with pytest.raises(ValidationError) as exc:
        record(staff, young, date=datetime.date(2025, 6, 9))
    assert "成立日期" in exc.value.message_dict["date"][0]
    assert record(staff, young, date=datetime.date(2025, 6, 10)).pk


def test_a_date_on_or_after_the_dissolution_is_refused(committee, staff):
    old = OrganizationFactory(parent=committee, founded_on=datetime.date(2010, 1, 1))
    old.dissolved_on = datetime.date(2025, 3, 31)
    old.save()
    with pytest.raises(ValidationError) as exc:
        record(staff, old, date=datetime.date(2025, 3, 31))
    assert "撤销" in exc.value.message_dict["date"][0]
    assert record(staff, old, date=datetime.date(2025, 3, 30)).pk


def test_an_empty_title_names_the_field(branch_a, staff):
    with pytest.raises(ValidationError) as exc:
        record(staff, branch_a, title="  ")
    assert "title" in exc.value.message_dict


def test_a_condolence_visit_keeps_people_and_money(branch_a, staff):
    activity = record(
        staff,
        branch_a,
        kind=ActivityKind.CONDOLENCE_VISIT,
        date=datetime.date(2025, 6, 28),
        title="七一走访慰问老党员",
        condolence_visits=[
            services.CondolenceEntry("王大爷", Decimal("500"), "老党员"),
            services.CondolenceEntry("赵阿姨", Decimal("800.50"), "生活困难党员"),
        ],
    )
    visits = list(activity.condolence_visits.order_by("person_name"))
    assert [(v.person_name, v.amount) for v in visits] == [
        ("王大爷", Decimal("500.00")),
        ("赵阿姨", Decimal("800.50")),
    ]


def test_negative_condolence_money_is_refused(branch_a, staff):
    with pytest.raises(ValidationError) as exc:
        record(
            staff,
            branch_a,
            kind=ActivityKind.CONDOLENCE_VISIT,
            condolence_visits=[services.CondolenceEntry("王大爷", Decimal("-1"))],
        )
    assert "慰问金" in exc.value.message_dict["condolence_visits"][0]


def test_condolence_visits_belong_to_condolence_activities(branch_a, staff):
    with pytest.raises(ValidationError) as exc:
        record(staff, branch_a, condolence_visits=[services.CondolenceEntry("王大爷", Decimal("5"))])
    assert "condolence_visits" in exc.value.message_dict


def test_a_training_records_each_trainee_and_their_stage_follows_from_the_dates(branch_a, staff):
    activist = make_prospect(branch_a, "积极分子甲", stage=Stage.ACTIVIST)  # activist since 2024-03-01
    candidate = make_prospect(branch_a, "发展对象乙", stage=Stage.CANDIDATE)  # candidate since 2025-03-02
    member = make_member(branch_a)
    activity = record(
        staff,
        branch_a,
        kind=ActivityKind.TRAINING,
        title="入党积极分子、发展对象培训班",
        trainees=[
            services.TraineeEntry(prospect=activist, hours=24),
            services.TraineeEntry(prospect=candidate, hours=24),
            services.TraineeEntry(member=member),
        ],
    )
    rows = trainees_with_stage(activity.trainees.all())
    stages = {(t.prospect or t.member).name: t.stage_then for t in rows}
    assert stages == {"积极分子甲": "ACTIVIST", "发展对象乙": "CANDIDATE", member.name: "FULL"}
    # Moved to a day before 2 March 2025, the same row reads the stage of that day.
    services.activity_update(
        actor=staff, activity=activity, date=datetime.date(2025, 3, 1), title=activity.title
    )
    stages = {
        t.prospect.name: t.stage_then for t in trainees_with_stage(activity.trainees.all()) if t.prospect
    }
    assert stages == {"积极分子甲": "ACTIVIST", "发展对象乙": "ACTIVIST"}


def test_a_prospect_who_was_no_activist_on_the_training_day_is_refused(branch_a, staff):
    applicant = make_prospect(branch_a, "申请人丙", stage=Stage.APPLICANT)
    activist = make_prospect(branch_a, "积极分子丁", stage=Stage.ACTIVIST)  # activist since 2024-03-01
    with pytest.raises(ValidationError) as exc:
        record(
            staff,
            branch_a,
            kind=ActivityKind.TRAINING,
            date=datetime.date(2024, 2, 29),
            trainees=[services.TraineeEntry(prospect=applicant), services.TraineeEntry(prospect=activist)],
        )
    assert exc.value.message_dict["trainees"] == [
        "申请人丙、积极分子丁在2024年2月29日不是入党积极分子或发展对象（按发展步骤的日期），不能列为参训人员。"
    ]
    assert not Activity.objects.exists()


def test_moving_a_training_before_a_trainee_became_an_activist_is_refused(branch_a, staff):
    activist = make_prospect(branch_a, "积极分子戊", stage=Stage.ACTIVIST)
    activity = record(
        staff, branch_a, kind=ActivityKind.TRAINING, trainees=[services.TraineeEntry(prospect=activist)]
    )
    with pytest.raises(ValidationError) as exc:
        services.activity_update(
            actor=staff, activity=activity, date=datetime.date(2024, 2, 1), title=activity.title
        )
    assert "积极分子戊在2024年2月1日不是入党积极分子或发展对象" in exc.value.message_dict["trainees"][0]
    activity.refresh_from_db()
    assert activity.date == DAY


def test_a_trainee_must_be_someone(branch_a, staff):
    with pytest.raises(ValidationError) as exc:
        record(
            staff,
            branch_a,
            kind=ActivityKind.TRAINING,
            trainees=[services.TraineeEntry()],
        )
    assert "trainees" in exc.value.message_dict


def test_volunteer_service_keeps_its_community_and_joined_organizations(branch_a, branch_b, staff):
    activity = record(
        staff,
        branch_a,
        kind=ActivityKind.VOLUNTEER_SERVICE,
        title="双报到进社区",
        volunteer_community="城关镇幸福社区",
        joined_organizations=[branch_b, branch_a],
        attended_count=12,
    )
    assert activity.volunteer_community == "城关镇幸福社区"
    assert list(activity.joined_organizations.all()) == [branch_b]  # the organizer does not join itself


def test_update_changes_topics_and_audits_the_difference(branch_a, staff):
    activity = record(staff, branch_a, topics=[Topic.LAW_STUDY])
    services.activity_update(
        actor=staff, activity=activity, date=DAY, title="每月一法：学习宪法", topics=[Topic.INTEGRITY]
    )
    activity.refresh_from_db()
    assert [t.topic for t in activity.topics.all()] == ["INTEGRITY"]
    entry = AuditEntry.objects.get(object_id=str(activity.pk), action="UPDATE")
    assert entry.changes["title"]["new"] == "每月一法：学习宪法"


def test_update_with_bad_counts_changes_nothing(branch_a, staff):
    activity = record(staff, branch_a, expected_count=5, attended_count=5)
    with pytest.raises(ValidationError):
        services.activity_update(
            actor=staff, activity=activity, date=DAY, title="改了", expected_count=5, attended_count=9
        )
    activity.refresh_from_db()
    assert activity.title == "学习党的二十届四中全会精神"


def test_delete_removes_the_activity_and_audits(branch_a, staff):
    activity = record(staff, branch_a)
    pk = activity.pk
    services.activity_delete(actor=staff, activity=activity)
    assert not Activity.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_id=str(pk), action="DELETE").exists()

"""Entering the past: every service that records a dated fact refuses a day on which the
organization named did not exist (before its founding, on or after its dissolution), with a Chinese
message that says so, and accepts any day of its life, a dissolved organization's too.

The tree: the committee (1998), 甲局机关党支部 and 乙局机关党支部 (2010); 丙局机关党支部 founded on
1 March 2016 and dissolved on 1 July 2023.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from activities import services as activity_services
from activities.models import ActivityKind, LetterStatus, ReminderLetter
from members import services as member_services
from members.models import MedalAward, Member
from organizations import services
from organizations.models import Kind
from tests.factories import MemberFactory, OrganizationFactory, id_number_for

pytestmark = pytest.mark.django_db

D = datetime.date
FOUNDED, DISSOLVED = D(2016, 3, 1), D(2023, 7, 1)
BEFORE = "“丙局机关党支部”在2016年2月29日尚未成立（成立于2016年3月1日）"
AFTER = "“丙局机关党支部”已于2023年7月1日撤销，2023年7月1日已不存在"


@pytest.fixture
def gone(staff, committee):
    """丙局机关党支部, dissolved on 1 July 2023 (its members moved out first)."""
    branch = OrganizationFactory(
        kind=Kind.BRANCH, name="丙局机关党支部", parent=committee, founded_on=FOUNDED
    )
    services.organization_dissolve(actor=staff, organization=branch, date=DISSOLVED)
    branch.refresh_from_db()
    return branch


def message(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


def activity(staff, organization, day, **extra):
    return activity_services.activity_create(
        actor=staff,
        organization=organization,
        kind=ActivityKind.THEME_DAY,
        date=day,
        title="主题党日",
        **extra,
    )


# --- the organization's own life ------------------------------------------------------------------


def test_an_activity_of_a_dissolved_organization_is_recorded_before_its_dissolution(staff, gone):
    assert activity(staff, gone, D(2023, 6, 30)).organization == gone
    with pytest.raises(ValidationError) as exc:
        activity(staff, gone, DISSOLVED)
    assert AFTER in message(exc, "date") and "活动的日期应早于撤销日期" in message(exc, "date")
    with pytest.raises(ValidationError) as exc:
        activity(staff, gone, D(2016, 2, 29))
    assert BEFORE in message(exc, "date") and "活动的日期不能早于成立日期" in message(exc, "date")


def test_an_organization_joining_an_activity_existed_that_day(staff, branch_a, gone):
    joint = activity(staff, branch_a, D(2020, 5, 4), joined_organizations=[gone])
    assert list(joint.joined_organizations.all()) == [gone]
    with pytest.raises(ValidationError) as exc:
        activity(staff, branch_a, D(2024, 5, 4), joined_organizations=[gone])
    assert AFTER.replace("2023年7月1日已", "2024年5月4日已") in message(exc, "joined_organizations")
    # Moving an activity to a day its joining organization no longer existed is refused too.
    with pytest.raises(ValidationError):
        activity_services.activity_update(
            actor=staff, activity=joint, date=D(2024, 5, 4), title="主题党日", joined_organizations=[gone]
        )


def test_a_dissolved_organization_is_appointed_renamed_and_elected_before_its_dissolution(staff, gone):
    services.appointment_create(
        actor=staff, organization=gone, person_name="张三", post="SECRETARY", start_on=D(2020, 1, 1)
    )
    services.election_create(actor=staff, organization=gone, elected_on=D(2020, 1, 1))
    services.organization_rename(
        actor=staff, organization=gone, new_name="丙局第一党支部", date=D(2021, 1, 1)
    )
    gone.refresh_from_db()
    assert gone.name == "丙局第一党支部"
    assert [v.name for v in gone.versions.order_by("valid_from")] == ["丙局机关党支部", "丙局第一党支部"]
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(
            actor=staff, organization=gone, person_name="李四", post="SECRETARY", start_on=D(2023, 8, 1)
        )
    assert "任职的日期应早于撤销日期" in message(exc, "start_on")


def test_a_dissolved_organization_may_take_a_name_free_at_the_time(staff, committee, gone):
    # 丙局新党支部 exists today; the dissolved branch carried that name only before it was founded.
    OrganizationFactory(kind=Kind.BRANCH, name="丙局新党支部", parent=committee, founded_on=D(2024, 1, 1))
    services.organization_rename(actor=staff, organization=gone, new_name="丙局新党支部", date=D(2022, 1, 1))
    # ...but not a name another organization carried during those days.
    OrganizationFactory(kind=Kind.BRANCH, name="丁局党支部", parent=committee, founded_on=D(2019, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.organization_rename(
            actor=staff, organization=gone, new_name="丁局党支部", date=D(2023, 1, 1)
        )
    assert "已有名为“丁局党支部”的党组织" in message(exc, "new_name")


def test_founding_moving_and_merging_name_an_organization_of_that_day(staff, committee, branch_a, gone):
    group = services.organization_found(
        actor=staff, kind=Kind.PARTY_GROUP, name="丙局第一党小组", parent=gone, founded_on=D(2018, 1, 1)
    )
    assert group.parent == gone
    with pytest.raises(ValidationError) as exc:
        services.organization_found(
            actor=staff, kind=Kind.PARTY_GROUP, name="丙局第二党小组", parent=gone, founded_on=D(2023, 7, 2)
        )
    assert "已于2023年7月1日撤销" in message(exc, "parent")
    with pytest.raises(ValidationError) as exc:
        services.organization_merge(actor=staff, organization=branch_a, into=gone, date=D(2024, 1, 1))
    assert "划入的日期应早于撤销日期" in message(exc, "into")


def test_a_liaison_is_with_an_organization_of_that_day(staff, committee, gone):
    services.liaison_assign(
        actor=staff, leader_name="王书记", committee=committee, organization=gone, start_on=D(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.liaison_assign(
            actor=staff, leader_name="赵书记", committee=committee, organization=gone, start_on=D(2024, 1, 1)
        )
    assert "设为联系点的日期应早于撤销日期" in message(exc, "start_on")


# --- members ------------------------------------------------------------------------------------


BORN = D(1980, 5, 1)


def person(birth=BORN):
    return {"name": "新党员", "gender": "M", "id_number": id_number_for(birth)}


def test_a_member_joins_an_organization_of_that_day(staff, gone):
    with pytest.raises(ValidationError) as exc:
        member_services.member_create(actor=staff, organization=gone, admitted_on=D(2023, 8, 1), **person())
    assert "加入的日期应早于撤销日期" in message(exc, "organization")
    member = member_services.member_create(
        actor=staff, organization=gone, admitted_on=D(2020, 8, 1), **person(D(1981, 1, 1))
    )
    assert member.versions.get().valid_from == D(2020, 8, 1)


def test_a_member_admitted_before_the_founding_joins_on_the_founding_day(staff, committee):
    later = OrganizationFactory(
        kind=Kind.BRANCH, name="后设党支部", parent=committee, founded_on=D(2020, 1, 1)
    )
    member = member_services.member_create(
        actor=staff, organization=later, admitted_on=D(2005, 7, 1), confirmed_on=D(2006, 7, 1), **person()
    )
    assert member.versions.get().valid_from == D(2020, 1, 1)


def test_a_transfer_in_or_a_move_names_an_organization_of_that_day(staff, branch_a, gone):
    with pytest.raises(ValidationError) as exc:
        member_services.member_transfer_in(
            actor=staff,
            organization=gone,
            date=D(2016, 2, 29),
            scope="BEYOND",
            external_organization="外县党支部",
            admitted_on=D(2005, 7, 1),
            confirmed_on=D(2006, 7, 1),
            **person(),
        )
    assert BEFORE in message(exc, "organization")
    member = MemberFactory(organization=branch_a)
    with pytest.raises(ValidationError) as exc:
        member_services.member_move(actor=staff, member=member, to_organization=gone, date=D(2024, 1, 1))
    assert "撤销" in message(exc, "to_organization")
    moved = member_services.member_move(actor=staff, member=member, to_organization=gone, date=D(2022, 1, 1))
    assert moved.organization == gone


def test_an_applicant_and_their_steps_are_in_an_organization_of_that_day(staff, gone):
    with pytest.raises(ValidationError) as exc:
        member_services.prospect_create(
            actor=staff, organization=gone, applied_on=D(2023, 9, 1), **person(D(1998, 1, 1))
        )
    assert "递交入党申请书的日期应早于撤销日期" in message(exc, "organization")
    prospect = member_services.prospect_create(
        actor=staff, organization=gone, applied_on=D(2022, 9, 1), **person(D(1998, 1, 1))
    )
    with pytest.raises(ValidationError) as exc:
        member_services.prospect_record_step(actor=staff, prospect=prospect, number=2, done_on=D(2023, 9, 1))
    assert "发展步骤的日期应早于撤销日期" in message(exc, "done_on")


def test_a_commendation_is_granted_by_and_to_organizations_of_that_day(staff, committee, gone):
    member_services.commendation_create(
        actor=staff,
        kind="ADVANCED_ORGANIZATION",
        granted_by=committee,
        recipient_organization=gone,
        date=D(2021, 6, 28),
    )
    with pytest.raises(ValidationError) as exc:
        member_services.commendation_create(
            actor=staff,
            kind="ADVANCED_ORGANIZATION",
            granted_by=committee,
            recipient_organization=gone,
            date=D(2024, 6, 28),
        )
    assert "表彰的日期应早于撤销日期" in message(exc, "recipient_organization")
    with pytest.raises(ValidationError) as exc:
        member_services.commendation_create(
            actor=staff, kind="OUTSTANDING_MEMBER", granted_by=gone, person_name="张三", date=D(2024, 6, 28)
        )
    assert "表彰的日期应早于撤销日期" in message(exc, "granted_by")


def test_the_medal_carries_its_day_within_the_year(staff, committee, branch_a):
    veteran = MemberFactory(
        organization=branch_a, birth_date=D(1950, 3, 3), admitted_on=D(1974, 1, 1), confirmed_on=D(1975, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        member_services.medal_award(
            actor=staff, member=veteran, year=2025, awarded_on=D(2026, 7, 1), awarded_by=committee
        )
    assert "颁发日期应在2025年内" in message(exc, "awarded_on")
    with pytest.raises(ValidationError) as exc:
        member_services.medal_award(
            actor=staff, member=veteran, year=2025, awarded_on=None, awarded_by=committee
        )
    assert "请填写颁发日期" in message(exc, "awarded_on")
    award = member_services.medal_award(
        actor=staff, member=veteran, year=2025, awarded_on=D(2025, 6, 28), awarded_by=committee
    )
    assert MedalAward.objects.get() == award and award.awarded_on == D(2025, 6, 28)


# --- reminder letters -----------------------------------------------------------------------------


def test_a_letter_by_hand_goes_to_an_organization_of_its_date(staff, committee, gone):
    letter = activity_services.reminder_letter_create(
        actor=staff,
        sender=committee,
        addressee=gone,
        reason="OTHER",
        subject="关于规范党费收缴的提醒函",
        body="丙局机关党支部：\n\n请规范党费收缴。",
        written_on=D(2023, 3, 1),
    )
    assert letter.status == LetterStatus.DRAFT and letter.written_on == D(2023, 3, 1)
    with pytest.raises(ValidationError) as exc:
        activity_services.reminder_letter_issue(
            actor=staff, letter=letter, prefix="党工提", issued_on=D(2023, 7, 3)
        )
    assert "发出提醒函的日期应早于撤销日期" in message(exc, "issued_on")
    activity_services.reminder_letter_issue(
        actor=staff, letter=letter, prefix="党工提", issued_on=D(2023, 3, 2)
    )
    assert letter.document.number == "党工提〔2023〕1号"
    with pytest.raises(ValidationError) as exc:
        activity_services.reminder_letter_create(
            actor=staff,
            sender=committee,
            addressee=gone,
            reason="OTHER",
            subject="迟到的提醒函",
            body="正文",
            written_on=D(2024, 1, 1),
        )
    assert "收函的日期应早于撤销日期" in message(exc, "addressee")
    assert ReminderLetter.objects.count() == 1


# --- the people visited -------------------------------------------------------------------------


def visit(staff, organization, day, *entries):
    return activity_services.activity_create(
        actor=staff,
        organization=organization,
        kind=ActivityKind.CONDOLENCE_VISIT,
        date=day,
        title="走访慰问",
        condolence_visits=list(entries),
    )


def entry(**fields):
    return activity_services.CondolenceEntry(amount=Decimal("500"), **fields)


def test_a_member_visited_was_on_the_roster_that_day(staff, branch_a):
    member = MemberFactory(organization=branch_a, name="王大爷", admitted_on=D(2020, 7, 1))
    with pytest.raises(ValidationError) as exc:
        visit(staff, branch_a, D(2019, 6, 28), entry(member=member))
    assert "王大爷在2019年6月28日不在党员名册中" in message(exc, "condolence_visits")
    stored = visit(staff, branch_a, D(2021, 6, 28), entry(member=member)).condolence_visits.get()
    assert (stored.member, stored.person_name, stored.id_number) == (member, "王大爷", "")


def test_an_outsiders_id_number_is_checked_and_one_of_a_member_links_the_member(staff, branch_a):
    member = MemberFactory(organization=branch_a, name="王大爷")
    with pytest.raises(ValidationError) as exc:
        visit(staff, branch_a, D(2025, 6, 28), entry(person_name="赵阿姨", id_number="450322198001010000"))
    assert "赵阿姨的公民身份号码校验位错误" in message(exc, "condolence_visits")
    stored = visit(
        staff, branch_a, D(2025, 6, 28), entry(person_name="王大爷", id_number=member.id_number.lower())
    ).condolence_visits.get()
    assert stored.member == member and stored.id_number == ""
    with pytest.raises(ValidationError) as exc:
        visit(staff, branch_a, D(2025, 6, 28), entry())
    assert "请从党员名册选择走访慰问对象，或填写姓名" in message(exc, "condolence_visits")


def test_every_member_of_the_roster_may_be_named_by_the_service(staff, branch_a, branch_b):
    # The service checks the roster; who may be picked (the scope) is the form's business.
    elsewhere = MemberFactory(organization=branch_b, name="乙支部老党员")
    assert (
        visit(staff, branch_a, D(2025, 6, 28), entry(member=elsewhere)).condolence_visits.get().member
        == elsewhere
    )
    assert Member.objects.count() == 1


def test_an_imported_activity_names_organizations_of_its_day(staff, branch_a, gone):
    from jiguan.importing import import_workbook
    from tests.activities.test_import import workbook

    rows = [
        ["丙局机关党支部", "主题党日", "2023-06-30", "撤销前", "", "", "", "", ""],
        ["丙局机关党支部", "主题党日", "2023-07-01", "撤销当日", "", "", "", "", ""],
        ["甲局机关党支部", "主题党日", "2023-08-01", "联合", "", "", "", "", "丙局机关党支部"],
    ]
    report = import_workbook(workbook(rows), actor=staff)
    assert not report.stored
    errors = {(e.row, e.column): str(e) for e in report.errors}
    assert set(errors) == {(3, "日期"), (4, "联合开展党组织")}
    assert "活动的日期应早于撤销日期" in errors[(3, "日期")]
    assert "联合开展活动的日期应早于撤销日期" in errors[(4, "联合开展党组织")]


def test_a_secretary_of_the_past_relieves_the_one_in_office_then(staff, committee):
    branch = OrganizationFactory(
        kind=Kind.BRANCH, name="戊局党支部", parent=committee, founded_on=D(2016, 3, 1)
    )
    first = services.appointment_create(
        actor=staff, organization=branch, person_name="朱海涛", post="SECRETARY", start_on=D(2021, 2, 1)
    )
    services.organization_dissolve(actor=staff, organization=branch, date=DISSOLVED)
    first.refresh_from_db()
    assert first.end_on == DISSOLVED  # posts end with the organization
    second = services.appointment_create(
        actor=staff, organization=branch, person_name="张三", post="SECRETARY", start_on=D(2022, 5, 1)
    )
    first.refresh_from_db()
    assert first.end_on == D(2022, 5, 1)
    assert second.end_on == DISSOLVED  # and the new one too

"""Founding, renaming, moving, dissolving, deleting: every rule of DOMAIN.md, in Chinese."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from jiguan.models import AuditEntry
from organizations import services
from organizations.models import EventKind, Kind, Organization, OrganizationEvent, OrganizationVersion
from tests.organizations.helpers import make_member

pytestmark = pytest.mark.django_db

D = datetime.date
FOUNDING = D(2020, 1, 1)


def found(staff, kind, name, parent, day=FOUNDING):
    return services.organization_found(actor=staff, kind=kind, name=name, parent=parent, founded_on=day)


def errors(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


def test_founding_records_version_event_and_audit(staff, committee):
    org = found(staff, Kind.PARTY_COMMITTEE, "中共县法院机关党委", committee)
    assert org.versions.get().name == "中共县法院机关党委"
    assert org.events.get().kind == EventKind.FOUNDED
    assert AuditEntry.objects.filter(object_id=str(org.pk), action="CREATE").exists()


def test_discipline_committee_only_under_party_committee(staff, committee, branch_a):
    with pytest.raises(ValidationError) as exc:
        found(staff, Kind.DISCIPLINE_COMMITTEE, "纪委", branch_a)
    assert "机关纪委只能设在机关党委之下" in errors(exc, "parent")
    party_committee = found(staff, Kind.PARTY_COMMITTEE, "机关党委", committee)
    assert found(staff, Kind.DISCIPLINE_COMMITTEE, "纪委", party_committee).parent == party_committee


def test_party_group_only_under_a_branch(staff, committee):
    with pytest.raises(ValidationError) as exc:
        found(staff, Kind.PARTY_GROUP, "第一党小组", committee)
    assert "党小组只能设在党支部之下" in errors(exc, "parent")
    assert not Organization.objects.filter(name="第一党小组").exists()


def test_non_root_needs_a_parent_and_only_one_root(staff, committee):
    with pytest.raises(ValidationError) as exc:
        found(staff, Kind.BRANCH, "孤立支部", None)
    assert "必须有上级组织" in errors(exc, "parent")
    with pytest.raises(ValidationError) as exc:
        found(staff, Kind.WORKING_COMMITTEE, "另一个工委", None)
    assert "只能有一个根" in errors(exc, "kind")


def test_name_unique_among_undissolved(staff, committee, branch_a):
    with pytest.raises(ValidationError) as exc:
        found(staff, Kind.BRANCH, branch_a.name, committee)
    assert "组织名称不能重复" in errors(exc, "name")
    old = found(staff, Kind.BRANCH, "旧支部", committee)
    services.organization_dissolve(actor=staff, organization=old, date=D(2021, 1, 1))
    assert found(staff, Kind.BRANCH, "旧支部", committee, D(2021, 2, 1)).pk != old.pk


def test_parent_must_exist_on_the_founding_day(staff, committee):
    young = found(staff, Kind.GENERAL_BRANCH, "新总支", committee, D(2020, 6, 1))
    with pytest.raises(ValidationError) as exc:
        found(staff, Kind.BRANCH, "早产支部", young, D(2020, 1, 1))
    assert "尚未成立" in errors(exc, "parent")
    services.organization_dissolve(actor=staff, organization=young, date=D(2021, 1, 1))
    with pytest.raises(ValidationError) as exc:
        found(staff, Kind.BRANCH, "迟到支部", young, D(2021, 3, 1))
    assert "已于2021年1月1日撤销" in errors(exc, "parent")


def test_rename_opens_a_new_version(staff, branch_a):
    services.organization_rename(
        actor=staff,
        organization=branch_a,
        new_name="甲局第一党支部",
        date=D(2025, 3, 1),
        document_number="党工通〔2025〕3号",
    )
    branch_a.refresh_from_db()
    assert branch_a.name == "甲局第一党支部"
    old, new = OrganizationVersion.objects.filter(organization=branch_a).order_by("valid_from")
    assert (old.name, old.valid_to) == ("甲局机关党支部", D(2025, 3, 1))
    assert (new.name, new.valid_from, new.valid_to) == ("甲局第一党支部", D(2025, 3, 1), None)
    event = branch_a.events.get(kind=EventKind.RENAMED)
    assert (event.old_name, event.new_name, event.document_number) == (
        "甲局机关党支部",
        "甲局第一党支部",
        "党工通〔2025〕3号",
    )


def test_rename_to_a_taken_name_is_refused(staff, branch_a, branch_b):
    with pytest.raises(ValidationError) as exc:
        services.organization_rename(
            actor=staff, organization=branch_a, new_name=branch_b.name, date=D(2025, 1, 1)
        )
    assert "不能重复" in errors(exc, "new_name")


def test_rename_before_the_last_change_is_refused(staff, branch_a):
    services.organization_rename(actor=staff, organization=branch_a, new_name="甲一", date=D(2025, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.organization_rename(actor=staff, organization=branch_a, new_name="甲二", date=D(2024, 3, 1))
    assert "不能早于" in errors(exc, "date")
    with pytest.raises(ValidationError) as exc:
        services.organization_rename(actor=staff, organization=branch_a, new_name="甲二", date=D(2001, 3, 1))
    assert "不能早于" in errors(exc, "date")


def test_nothing_happens_after_dissolution(staff, committee, branch_b):
    services.organization_dissolve(actor=staff, organization=branch_b, date=D(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.organization_rename(actor=staff, organization=branch_b, new_name="复活", date=D(2024, 6, 1))
    assert "已于2024年1月1日撤销，2024年6月1日已不存在，更名的日期应早于撤销日期" in errors(exc, "date")
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(
            actor=staff, organization=branch_b, person_name="张三", post="SECRETARY", start_on=D(2024, 2, 1)
        )
    assert "任职的日期应早于撤销日期" in errors(exc, "start_on")
    with pytest.raises(ValidationError) as exc:
        found(staff, Kind.PARTY_GROUP, "小组", branch_b, D(2024, 2, 1))
    assert "撤销" in errors(exc, "parent")


def test_move_changes_parent_from_the_date(staff, committee, branch_a):
    general = found(staff, Kind.GENERAL_BRANCH, "总支", committee, D(2015, 1, 1))
    services.organization_move(actor=staff, organization=branch_a, new_parent=general, date=D(2025, 5, 1))
    branch_a.refresh_from_db()
    assert branch_a.parent == general
    event = branch_a.events.get(kind=EventKind.REPARENTED)
    assert (event.old_parent, event.new_parent) == (committee, general)
    assert Organization.objects.as_of(D(2025, 4, 30)).get(pk=branch_a.pk).parent_then_id == committee.pk
    assert Organization.objects.as_of(D(2025, 5, 1)).get(pk=branch_a.pk).parent_then_id == general.pk


def test_move_refuses_a_cycle(staff, committee):
    top = found(staff, Kind.PARTY_COMMITTEE, "机关党委", committee)
    general = found(staff, Kind.GENERAL_BRANCH, "总支", top)
    with pytest.raises(ValidationError) as exc:
        services.organization_move(actor=staff, organization=top, new_parent=general, date=D(2025, 1, 1))
    # The kind rule fires first here (a 机关党委 hangs under the committee); both refuse the move.
    assert "new_parent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.organization_move(actor=staff, organization=top, new_parent=top, date=D(2025, 1, 1))
    assert "new_parent" in exc.value.message_dict


def test_move_refuses_a_cycle_by_descendant(staff, committee):
    general = found(staff, Kind.GENERAL_BRANCH, "总支甲", committee)
    inner = found(staff, Kind.GENERAL_BRANCH, "总支乙", committee)
    # The kinds' parent rules already rule out every cycle a move could make; the cycle check is
    # the second guard, tested directly.
    services._check_no_cycle(general, inner, D(2025, 1, 1))  # unrelated: no error
    branch = found(staff, Kind.BRANCH, "支部", general)
    with pytest.raises(ValidationError) as exc:
        services._check_no_cycle(general, branch, D(2025, 1, 1))
    assert "形成循环" in errors(exc, "new_parent")


def test_move_to_a_parent_dissolved_is_refused(staff, committee, branch_a):
    general = found(staff, Kind.GENERAL_BRANCH, "总支", committee)
    services.organization_dissolve(actor=staff, organization=general, date=D(2022, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.organization_move(actor=staff, organization=branch_a, new_parent=general, date=D(2023, 1, 1))
    assert "已于2022年1月1日撤销" in errors(exc, "new_parent")


def test_dissolve_refused_while_children_remain_naming_them(staff, branch_a, group_a):
    with pytest.raises(ValidationError) as exc:
        services.organization_dissolve(actor=staff, organization=branch_a, date=D(2025, 1, 1))
    assert "甲局第一党小组" in errors(exc, "date")
    branch_a.refresh_from_db()
    assert branch_a.dissolved_on is None


def test_dissolve_refused_while_members_remain_naming_them(staff, branch_b):
    make_member(branch_b, name="王红")
    with pytest.raises(ValidationError) as exc:
        services.organization_dissolve(actor=staff, organization=branch_b, date=D(2025, 1, 1))
    assert "1名党员" in errors(exc, "date") and "王红" in errors(exc, "date")


def test_dissolve_before_founding_is_refused(staff, branch_b):
    with pytest.raises(ValidationError) as exc:
        services.organization_dissolve(actor=staff, organization=branch_b, date=D(2000, 1, 1))
    assert "不能早于成立日期" in errors(exc, "date")


def test_dissolve_ends_posts_and_records_event(staff, branch_b):
    services.appointment_create(
        actor=staff, organization=branch_b, person_name="李四", post="SECRETARY", start_on=D(2020, 1, 1)
    )
    services.organization_dissolve(
        actor=staff, organization=branch_b, date=D(2025, 1, 1), document_number="党工通〔2025〕1号"
    )
    assert branch_b.appointments.get().end_on == D(2025, 1, 1)
    assert branch_b.events.filter(kind=EventKind.DISSOLVED, date=D(2025, 1, 1)).exists()


def test_delete_without_history(staff, committee):
    org = found(staff, Kind.BRANCH, "误录支部", committee)
    services.organization_delete(actor=staff, organization=org)
    assert not Organization.objects.filter(name="误录支部").exists()
    assert AuditEntry.objects.filter(action="DELETE", object_repr="误录支部").exists()


def test_delete_with_history_is_refused(staff, committee, branch_a):
    services.organization_rename(actor=staff, organization=branch_a, new_name="甲局支部", date=D(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.organization_delete(actor=staff, organization=branch_a)
    assert "有历史记录的党组织不能删除，请撤销" in exc.value.messages[0]
    assert Organization.objects.filter(pk=branch_a.pk).exists()


def test_delete_with_members_is_refused(staff, committee):
    org = found(staff, Kind.BRANCH, "有党员支部", committee)
    make_member(org)
    with pytest.raises(ValidationError):
        services.organization_delete(actor=staff, organization=org)
    assert OrganizationEvent.objects.filter(organization=org).exists()

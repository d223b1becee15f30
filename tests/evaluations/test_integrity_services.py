"""The rules of the member-level integrity records (members.integrity.services)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jiguan.models import AuditEntry
from members.integrity import selectors, services
from members.integrity.models import IntegrityCommitment, RiskForm
from members.models import AppointmentHolder, MemberVersion
from organizations.models import Appointment, Post
from tests.factories import MemberFactory, OrganizationFactory

D = datetime.date
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def member(branch_a):
    return MemberFactory(name="张三", organization=branch_a)


def test_a_commitment_is_recorded_once_a_year_with_its_scan(staff, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("承诺书.pdf", PDF, content_type="application/pdf")
    commitment = services.commitment_record(
        actor=staff, member=member, year=2021, signed_on=D(2021, 2, 3), scan=scan
    )
    assert commitment.organization == member.organization
    assert commitment.scan.read() == PDF
    assert AuditEntry.objects.filter(object_id=str(commitment.pk)).exists()
    with pytest.raises(ValidationError, match="已签订2021年的廉政承诺书"):
        services.commitment_record(actor=staff, member=member, year=2021, signed_on=D(2021, 3, 3))


def test_a_commitment_for_a_year_may_be_signed_the_december_before_not_earlier(staff, member):
    services.commitment_record(actor=staff, member=member, year=2022, signed_on=D(2021, 12, 28))
    with pytest.raises(ValidationError, match="2023年的签订日期应在2022年或2023年内"):
        services.commitment_record(actor=staff, member=member, year=2023, signed_on=D(2021, 12, 28))


def test_a_scan_that_is_not_what_it_claims_is_refused(staff, member):
    fake = SimpleUploadedFile("承诺书.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        services.commitment_record(actor=staff, member=member, year=2021, signed_on=D(2021, 2, 3), scan=fake)
    assert not IntegrityCommitment.objects.exists()


def test_a_commitment_of_a_dissolved_branch_is_entered_before_its_dissolution(staff, committee):
    old = OrganizationFactory(name="已撤销支部", parent=committee, founded_on=D(2010, 1, 1))
    member = MemberFactory(organization=old)
    old.dissolved_on = D(2021, 6, 30)
    old.save()
    services.commitment_record(actor=staff, member=member, year=2021, signed_on=D(2021, 3, 1))
    with pytest.raises(ValidationError, match="已于2021年6月30日撤销"):
        services.risk_form_save(actor=staff, member=member, year=2021, filed_on=D(2021, 7, 2), level="LOW")


def test_who_must_sign_follows_the_years_rule(staff, branch_a):
    secretary = MemberFactory(name="书记甲", organization=branch_a)
    plain = MemberFactory(name="党员乙", organization=branch_a)
    appointment = Appointment.objects.create(
        organization=branch_a,
        person_name="书记甲",
        post=Post.SECRETARY,
        start_on=D(2019, 1, 1),
    )
    AppointmentHolder.objects.create(appointment=appointment, member=secretary)
    within = branch_a.__class__.objects.filter(pk=branch_a.pk)
    assert {m.name for m in selectors.commitment_required(2021, within=within)} == {"书记甲", "党员乙"}
    services.commitment_rule_set(actor=staff, year=2021, everyone=False, posts=[Post.SECRETARY])
    required = list(selectors.commitment_required(2021, within=within))
    assert [m.name for m in required] == ["书记甲"]
    services.commitment_record(actor=staff, member=secretary, year=2021, signed_on=D(2021, 1, 5))
    assert selectors.completion_by_organization(
        selectors.commitment_required(2021, within=within), "signed_on"
    ) == [{"organization_then_id": branch_a.pk, "required": 1, "done": 1}]
    assert plain  # not required under the rule


def test_a_risk_form_is_filed_once_and_corrected_in_place(staff, member):
    form = services.risk_form_save(
        actor=staff,
        member=member,
        year=2021,
        filed_on=D(2021, 3, 1),
        level="HIGH",
        risk_points="审批",
        measures="双人",
    )
    again = services.risk_form_save(
        actor=staff, member=member, year=2021, filed_on=D(2021, 3, 2), level="LOW"
    )
    assert again.pk == form.pk and RiskForm.objects.get().level == "LOW"
    with pytest.raises(ValidationError, match="风险等级应为高、中或低"):
        services.risk_form_save(actor=staff, member=member, year=2022, filed_on=D(2022, 3, 2), level="极高")


def test_community_registration_is_for_in_service_members_one_at_a_time(staff, branch_a):
    member = MemberFactory(name="李四", organization=branch_a)
    services.community_register(actor=staff, member=member, community="城东社区", registered_on=D(2020, 3, 1))
    with pytest.raises(ValidationError, match="请先登记上一次报到的结束日期"):
        services.community_register(
            actor=staff, member=member, community="城西社区", registered_on=D(2021, 3, 1)
        )
    first = member.community_registrations.get()
    services.community_registration_end(actor=staff, registration=first, ended_on=D(2021, 2, 1))
    services.community_register(actor=staff, member=member, community="城西社区", registered_on=D(2021, 3, 1))

    retired = MemberFactory(name="王五", organization=branch_a, category="RETIRED")
    with pytest.raises(ValidationError, match="双报到只适用于在职党员"):
        services.community_register(
            actor=staff, member=retired, community="城东社区", registered_on=D(2021, 3, 1)
        )


def test_who_is_not_registered(staff, branch_a):
    registered = MemberFactory(name="甲", organization=branch_a)
    MemberFactory(name="乙", organization=branch_a)
    MemberFactory(name="丙", organization=branch_a, category="RETIRED")
    services.community_register(
        actor=staff, member=registered, community="城东社区", registered_on=D(2020, 3, 1)
    )
    within = branch_a.__class__.objects.filter(pk=branch_a.pk)
    rows = {m.name: m.community for m in selectors.in_service_registration(D(2021, 12, 31), within=within)}
    assert rows == {"甲": "城东社区", "乙": None}
    assert MemberVersion.objects.count() == 3

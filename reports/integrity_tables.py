"""Drill-down tables of the integrity and evaluation metrics (reports.metrics.integrity)."""

import django_tables2 as tables

from activities.evaluations.models import MemberGrade, SecretaryReport
from members.integrity.models import IntegrityCommitment, RiskForm
from reports.tables import ATTRS, LinkedTable, date_column, member_link, organization_link


class CommitmentRecords(LinkedTable):
    name = member_link("姓名", "member__name", "member_id")
    organization = organization_link("签订时所在党组织", "organization__name", "organization_id")
    year = tables.Column("年度")
    signed_on = date_column("签订日期")

    class Meta:
        model = IntegrityCommitment
        fields = ("name", "organization", "year", "signed_on")
        attrs = ATTRS


class RiskFormRecords(LinkedTable):
    name = member_link("姓名", "member__name", "member_id")
    organization = organization_link("填报时所在党组织", "organization__name", "organization_id")
    filed_on = date_column("填报日期")
    level = tables.Column("风险等级")

    class Meta:
        model = RiskForm
        fields = ("name", "organization", "filed_on", "level")
        attrs = ATTRS


class SecretaryReportRecords(LinkedTable):
    organization = organization_link("党组织", "organization__name", "organization_id")
    secretary_name = tables.Column("书记")
    reported_on = date_column("述职日期")
    grade = tables.Column("评议等次")

    class Meta:
        model = SecretaryReport
        fields = ("organization", "secretary_name", "reported_on", "grade")
        attrs = ATTRS


class GradeRecords(LinkedTable):
    name = member_link("姓名", "member__name", "member_id")
    organization = organization_link(
        "评议党组织", "appraisal__organization__name", "appraisal__organization_id"
    )
    held_on = date_column("评议日期", "appraisal__held_on")
    grade = tables.Column("等次")

    class Meta:
        model = MemberGrade
        fields = ("name", "organization", "held_on", "grade")
        attrs = ATTRS


INTEGRITY_TABLES = {
    IntegrityCommitment: CommitmentRecords,
    RiskForm: RiskFormRecords,
    SecretaryReport: SecretaryReportRecords,
    MemberGrade: GradeRecords,
}

from django.apps import AppConfig

from jiguan import data_version


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "党员"

    def ready(self):
        from jiguan import importing
        from members import reconciliation
        from members.dues import ledger
        from members.dues.importers import DuesBaseSheet, DuesPaymentSheet
        from members.importers import (
            AppointmentSheet,
            CommendationSheet,
            DevelopmentSheet,
            MedalSheet,
            MemberSheet,
        )
        from members.integrity.importers import CommitmentSheet, CommunitySheet, RiskFormSheet
        from members.services import membership
        from organizations import contributions

        # The order among every app's sheets: jiguan.importing.register.
        importing.register(MemberSheet, order=20)
        importing.register(DuesBaseSheet, order=40)
        importing.register(DuesPaymentSheet, order=41)
        importing.register(CommitmentSheet, order=60)
        importing.register(RiskFormSheet, order=61)
        importing.register(CommunitySheet, order=62)
        importing.register(AppointmentSheet, order=70)
        importing.register(CommendationSheet, order=71)
        importing.register(DevelopmentSheet, order=73)
        importing.register(MedalSheet, order=75)
        data_version.watch(self)  # the reports' cached numbers follow every change of these records
        ledger.watch()  # the dues ledger follows the changes of the member-months' records
        reconciliation.register()  # the background job comparing the national roster
        contributions.register_dissolve_check(membership.organization_dissolve_check)
        contributions.register_merge_step(membership.organization_merge_step)

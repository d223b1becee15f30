from django.apps import AppConfig

from jiguan import data_version


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "活动与文件"

    def ready(self):
        from activities import held
        from activities.evaluations.importers import AppraisalSheet, SecretaryReportSheet
        from activities.importers import ActivitySheet, CondolenceSheet, TrainingSheet
        from activities.views.organized_life import organization_page_part
        from jiguan import forms, importing
        from organizations import contributions

        # The order among every app's sheets: jiguan.importing.register.
        importing.register(ActivitySheet, order=30)
        importing.register(AppraisalSheet, order=50)
        importing.register(SecretaryReportSheet, order=51)
        importing.register(CondolenceSheet, order=72)
        importing.register(TrainingSheet, order=74)
        data_version.watch(self)  # the reports' cached numbers follow every change of these records
        held.watch()  # the activities held by month, counted again with each write of an activity
        contributions.register_page_part(organization_page_part)
        forms.register_document_numbers("activities:document_numbers")

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "报告"

    def ready(self):
        from reports import summary_zip

        summary_zip.register()

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "报告"

    def ready(self):
        from jiguan import data_version
        from reports import summary_zip, warming

        summary_zip.register()
        # After a committed write, the county's numbers are made again in the background.
        data_version.new_version.connect(warming.schedule, dispatch_uid="reports:warming")

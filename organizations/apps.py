from django.apps import AppConfig

from jiguan import data_version


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "党组织"

    def ready(self):
        from jiguan import importing
        from organizations.importers import LiaisonSheet, OrganizationSheet

        importing.register(OrganizationSheet, order=10)
        importing.register(LiaisonSheet, order=76)
        data_version.watch(self)  # the reports' cached numbers follow every change of these records

from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "党组织"

    def ready(self):
        from jiguan import importing
        from organizations.importers import LiaisonSheet, OrganizationSheet

        importing.register(OrganizationSheet, order=10)
        importing.register(LiaisonSheet, order=76)

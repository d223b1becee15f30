from django.apps import AppConfig


class JiguanConfig(AppConfig):
    name = "jiguan"
    verbose_name = "账号与系统"

    def ready(self):
        from django.db.models.signals import post_migrate

        from jiguan import (
            bounds,
            checks,  # noqa: F401  (registers the deploy checks)
            data_version,
        )

        bounds.install()
        # A flush or a migration changes records without saving them one by one.
        post_migrate.connect(data_version.migrated, dispatch_uid="data_version:migrate")
        from jiguan import importing_jobs

        importing_jobs.register()

from django.apps import AppConfig


class JiguanConfig(AppConfig):
    name = "jiguan"
    verbose_name = "账号与系统"

    def ready(self):
        from jiguan import (
            bounds,
            checks,  # noqa: F401  (registers the deploy checks)
        )

        bounds.install()

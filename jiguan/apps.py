from django.apps import AppConfig


class JiguanConfig(AppConfig):
    name = "jiguan"
    verbose_name = "账号与系统"

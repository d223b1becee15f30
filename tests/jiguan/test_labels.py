"""Every field of the project's models has a Chinese label: the change history, forms, tables and
exports show field labels to users, whose interface is Chinese."""

import re

from django.apps import apps

APPS = ["jiguan", "organizations", "members", "activities", "reports"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_field_is_labelled_in_chinese():
    unlabelled = [
        f"{model.__name__}.{field.name}"
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.concrete_fields
        if not field.primary_key and not CJK.search(str(field.verbose_name))
    ]
    assert unlabelled == []

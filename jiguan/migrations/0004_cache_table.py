"""The table of the database cache (settings.CACHES), so that `migrate` alone sets up a database."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("jiguan", "0003_sign_in_throttle_and_first_password")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]

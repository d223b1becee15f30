from django.db import migrations, models


def forget_counts(apps, schema_editor):
    """The rows so far hold the required kinds only, without attendance: dropped here, counted again
    for every kind once migrate is done (activities.held, on post_migrate)."""
    apps.get_model("activities", "HeldByMonth").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0010_held_by_month"),
    ]

    operations = [
        migrations.AddField(
            model_name="heldbymonth",
            name="held",
            field=models.PositiveIntegerField(default=0, verbose_name="全年次数"),
        ),
        migrations.AddField(
            model_name="heldbymonth",
            name="attended",
            field=models.PositiveIntegerField(default=0, verbose_name="实到人次"),
        ),
        migrations.RunPython(forget_counts, migrations.RunPython.noop),
    ]
